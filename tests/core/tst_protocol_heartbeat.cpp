#include <QTest>

#include "ProtocolTestData.h"
#include "protocol/HeartbeatProtocol.h"

using namespace heartline;
using namespace heartline::testdata;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(heartline::HttpHeartbeat)
Q_DECLARE_METATYPE(heartline::HttpHeartbeatReply)

namespace {

// The body the seed's frontend sends, byte for byte.
const QByteArray SeedBody = R"({"agentId":"a1","deviceConnected":true,"currentStatus":"available"})";
const QJsonObject Seed = object(SeedBody);
const QJsonObject Reply = toJson(
    HttpHeartbeatReply {sampleReadiness(), 30, AgentStatus::Available, AgentActivity::Idle, 1'767'225'600'000});

void addBad(const char *name, const QByteArray &raw, QStringView code, const QString &field)
{
    QTest::newRow(name) << raw << code.toString() << field;
}

} // namespace

class TestProtocolHeartbeat final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedBodyParses()
    {
        const auto parsed = parseHttpHeartbeat(SeedBody);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.value(), (HttpHeartbeat {u"a1"_s, true, AgentStatus::Available, {}, {}}));
    }

    void typeIsIgnoredWhateverItHolds_data()
    {
        QTest::addColumn<QJsonValue>("type");
        QTest::newRow("heartbeat") << QJsonValue(u"heartbeat"_s);
        QTest::newRow("unknown word") << QJsonValue(u"anything"_s);
        QTest::newRow("number") << QJsonValue(3);
    }
    void typeIsIgnoredWhateverItHolds()
    {
        QFETCH(QJsonValue, type);
        const auto parsed = parseHttpHeartbeat(editJson(Seed, u"type"_s, type));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.value().agentId, u"a1"_s);
    }

    void serializedBodyHasNoTypeButAVersion()
    {
        const QJsonObject body = toJson(HttpHeartbeat {u"a1"_s, true, AgentStatus::Available, {}, {}});
        QCOMPARE(body, edit(Seed, u"v"_s, 1));
    }

    void bodyRoundTrip_data()
    {
        QTest::addColumn<HttpHeartbeat>("body");
        QTest::newRow("seed fields only") << HttpHeartbeat {u"a1"_s, false, AgentStatus::Offline, {}, {}};
        QTest::newRow("away with reason") << HttpHeartbeat {u"a1"_s, true, AgentStatus::Away, u"break"_s, {}};
        QTest::newRow("empty devices") << HttpHeartbeat {u"a1"_s, true, AgentStatus::Available, {}, DeviceState {}};
        QTest::newRow("everything") << HttpHeartbeat {letters(MaxIdLength), true, AgentStatus::Away,
                                                      letters(MaxReasonLength), fullDevices()};
    }
    void bodyRoundTrip()
    {
        QFETCH(HttpHeartbeat, body);
        const auto parsed = parseHttpHeartbeat(serialize(body));
        QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
        QVERIFY(parsed.value() == body);
    }

    void replyRoundTrip_data()
    {
        QTest::addColumn<HttpHeartbeatReply>("reply");
        QTest::newRow("not ready") << HttpHeartbeatReply {sampleReadiness(), 30, AgentStatus::Away, AgentActivity::Idle,
                                                          1'767'225'600'000};
        QTest::newRow("ready") << HttpHeartbeatReply {readyReadiness(), 1, AgentStatus::Available,
                                                      AgentActivity::WrapUp, 0};
        QTest::newRow("empty readiness") << HttpHeartbeatReply {ReadinessResult {}, 3600, AgentStatus::Offline,
                                                                AgentActivity::Stale, MaxSafeInteger};
    }
    void replyRoundTrip()
    {
        QFETCH(HttpHeartbeatReply, reply);
        const auto parsed = parseHttpHeartbeatReply(serialize(reply));
        QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
        QVERIFY(parsed.value() == reply);
        // Written without QJsonObject, byte for byte what QJsonDocument writes.
        QCOMPARE(serialize(reply), serialize(toJson(reply)));
    }

    void replyTextIsEscapedAsJson()
    {
        ReadinessResult readiness = sampleReadiness();
        readiness.failedGates.append(
            ReadinessGate {u"odd"_s, u"quote \" backslash \\ tab\t newline\n bell\x07 \u00e9\u20ac\U0001F600"_s});
        const HttpHeartbeatReply reply {readiness, 30, AgentStatus::Away, AgentActivity::Idle, 5};
        QCOMPARE(serialize(reply), serialize(toJson(reply)));
        const auto parsed = parseHttpHeartbeatReply(serialize(reply));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->readiness.failedGates.last().reason, readiness.failedGates.last().reason);
    }

    void badBody_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        addBad("empty input", QByteArray(), JsonProblem::MalformedJson, QString());
        addBad("not JSON", "agentId=a1&deviceConnected=true", JsonProblem::MalformedJson, QString());
        addBad("truncated JSON", SeedBody.left(20), JsonProblem::MalformedJson, QString());
        addBad("array instead of object", "[" + SeedBody + "]", JsonProblem::MalformedJson, QString());
        addBad("over 64 KiB", editJson(Seed, u"padding"_s, letters(MaxMessageBytes)), JsonProblem::TooLarge, QString());
        addBad("v=2", editJson(Seed, u"v"_s, 2), JsonProblem::UnsupportedVersion, u"v"_s);
        addBad("v as string", editJson(Seed, u"v"_s, u"1"_s), JsonProblem::WrongType, u"v"_s);
        addBad("without agentId", editJson(Seed, u"agentId"_s, Remove), JsonProblem::MissingField, u"agentId"_s);
        addBad("agentId empty", editJson(Seed, u"agentId"_s, u""_s), JsonProblem::InvalidValue, u"agentId"_s);
        addBad("agentId too long", editJson(Seed, u"agentId"_s, letters(MaxIdLength + 1)), JsonProblem::InvalidValue,
               u"agentId"_s);
        addBad("agentId as number", editJson(Seed, u"agentId"_s, 42), JsonProblem::WrongType, u"agentId"_s);
        addBad("without deviceConnected", editJson(Seed, u"deviceConnected"_s, Remove), JsonProblem::MissingField,
               u"deviceConnected"_s);
        addBad("deviceConnected as string", editJson(Seed, u"deviceConnected"_s, u"true"_s), JsonProblem::WrongType,
               u"deviceConnected"_s);
        addBad("deviceConnected as 0", editJson(Seed, u"deviceConnected"_s, 0), JsonProblem::WrongType,
               u"deviceConnected"_s);
        addBad("deviceConnected null", editJson(Seed, u"deviceConnected"_s, QJsonValue()), JsonProblem::WrongType,
               u"deviceConnected"_s);
        addBad("without currentStatus", editJson(Seed, u"currentStatus"_s, Remove), JsonProblem::MissingField,
               u"currentStatus"_s);
        addBad("currentStatus busy", editJson(Seed, u"currentStatus"_s, u"busy"_s), JsonProblem::InvalidValue,
               u"currentStatus"_s);
        addBad("currentStatus empty", editJson(Seed, u"currentStatus"_s, u""_s), JsonProblem::InvalidValue,
               u"currentStatus"_s);
        addBad("awayReason too long", editJson(Seed, u"awayReason"_s, letters(MaxReasonLength + 1)),
               JsonProblem::InvalidValue, u"awayReason"_s);
        addBad("devices as string", editJson(Seed, u"devices"_s, u"ok"_s), JsonProblem::WrongType, u"devices"_s);
        addBad("devices rtt as string", editJson(Seed, u"devices.networkRttMs"_s, u"20"_s), JsonProblem::WrongType,
               u"devices.networkRttMs"_s);
        addBad("devices loss negative", editJson(Seed, u"devices.packetLossPercent"_s, -1), JsonProblem::InvalidValue,
               u"devices.packetLossPercent"_s);
        addBad("devices voiceRegistered as 1", editJson(Seed, u"devices.voiceRegistered"_s, 1), JsonProblem::WrongType,
               u"devices.voiceRegistered"_s);
        addBad("devices output name as array", editJson(Seed, u"devices.audioOutputName"_s, QJsonArray()),
               JsonProblem::WrongType, u"devices.audioOutputName"_s);
    }
    void badBody()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        QFETCH(QString, field);
        verifyProblem(parseHttpHeartbeat(raw), code, field);
    }

    void badReply_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        addBad("not JSON", "<html>502 Bad Gateway</html>", JsonProblem::MalformedJson, QString());
        addBad("v=3", editJson(Reply, u"v"_s, 3), JsonProblem::UnsupportedVersion, u"v"_s);
        addBad("without readiness", editJson(Reply, u"readiness"_s, Remove), JsonProblem::MissingField, u"readiness"_s);
        addBad("readiness ready missing", editJson(Reply, u"readiness.ready"_s, Remove), JsonProblem::MissingField,
               u"readiness.ready"_s);
        addBad("factor maxPoints over 100", editJson(Reply, u"readiness.factors[0].maxPoints"_s, 101),
               JsonProblem::InvalidValue, u"readiness.factors[0].maxPoints"_s);
        addBad("gate reason as number", editJson(Reply, u"readiness.failedGates[0].reason"_s, 1),
               JsonProblem::WrongType, u"readiness.failedGates[0].reason"_s);
        addBad("interval zero", editJson(Reply, u"heartbeatIntervalSeconds"_s, 0), JsonProblem::InvalidValue,
               u"heartbeatIntervalSeconds"_s);
        addBad("interval fractional", editJson(Reply, u"heartbeatIntervalSeconds"_s, 29.9), JsonProblem::WrongType,
               u"heartbeatIntervalSeconds"_s);
        addBad("bad status", editJson(Reply, u"status"_s, u"ready"_s), JsonProblem::InvalidValue, u"status"_s);
        addBad("bad activity", editJson(Reply, u"activity"_s, u"talking"_s), JsonProblem::InvalidValue, u"activity"_s);
        addBad("serverTimeMs missing", editJson(Reply, u"serverTimeMs"_s, Remove), JsonProblem::MissingField,
               u"serverTimeMs"_s);
    }
    void badReply()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        QFETCH(QString, field);
        verifyProblem(parseHttpHeartbeatReply(raw), code, field);
    }
};

QTEST_APPLESS_MAIN(TestProtocolHeartbeat)
#include "tst_protocol_heartbeat.moc"
