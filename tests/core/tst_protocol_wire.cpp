#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include "ProtocolTestData.h"
#include "protocol/AgentProtocol.h"
#include "protocol/HeartbeatProtocol.h"
#include "protocol/JsonReader.h"
#include "protocol/SupervisorProtocol.h"

using namespace heartline;
using namespace heartline::testdata;
using namespace Qt::StringLiterals;

namespace {

struct Example
{
    QString channel;
    QByteArray json;
};

/// The JSON blocks of docs/protocol.md marked `<!-- example: CHANNEL -->`.
QList<Example> documentedExamples()
{
    QFile file(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../docs/protocol.md"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression pattern(uR"(<!-- example: ([a-z-]+) -->\s*```json\n(.*?)```)"_s,
                                            QRegularExpression::DotMatchesEverythingOption);
    QList<Example> out;
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text))
        out.append(Example {match.captured(1), match.captured(2).toUtf8()});
    return out;
}

/// Parses an example with its channel's parser, checks it survives serialize → parse, and returns
/// "channel/type" for the coverage check (or an empty string after a failed check).
template <typename Parse> QString checkExample(Parse parse, const QString &channel, const QByteArray &json)
{
    const auto parsed = parse(json);
    if (!parsed.ok()) {
        qWarning().noquote() << channel << parsed.error().field << parsed.error().message;
        return {};
    }
    const auto again = parse(serialize(parsed.value()));
    if (!again.ok() || !(again.value() == parsed.value()))
        return {};
    if constexpr (requires { messageType(parsed.value()); })
        return channel + u'/' + messageType(parsed.value());
    else
        return channel;
}

} // namespace

class TestProtocolWire final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyDocumentedExampleParsesAndRoundTrips()
    {
        const QList<Example> examples = documentedExamples();
        QSet<QString> covered;
        for (const Example &example : examples) {
            QString seen;
            if (example.channel == u"agent-client")
                seen = checkExample(parseAgentClientMessage, example.channel, example.json);
            else if (example.channel == u"agent-server")
                seen = checkExample(parseAgentServerMessage, example.channel, example.json);
            else if (example.channel == u"supervisor-client")
                seen = checkExample(parseSupervisorClientMessage, example.channel, example.json);
            else if (example.channel == u"supervisor-server")
                seen = checkExample(parseSupervisorServerMessage, example.channel, example.json);
            else if (example.channel == u"http-heartbeat")
                seen = checkExample(parseHttpHeartbeat, example.channel, example.json);
            else if (example.channel == u"http-heartbeat-reply")
                seen = checkExample(parseHttpHeartbeatReply, example.channel, example.json);
            QVERIFY2(!seen.isEmpty(), example.json.constData());
            covered.insert(seen);
        }
        // Every message of every channel is documented with at least one example.
        const QSet<QString> expected {
            u"http-heartbeat"_s,
            u"http-heartbeat-reply"_s,
            u"agent-client/hello"_s,
            u"agent-client/heartbeat"_s,
            u"agent-client/deviceState"_s,
            u"agent-client/setStatus"_s,
            u"agent-server/welcome"_s,
            u"agent-server/ack"_s,
            u"agent-server/readiness"_s,
            u"agent-server/statusChanged"_s,
            u"agent-server/sessionReplaced"_s,
            u"agent-server/callOffered"_s,
            u"agent-server/callEnded"_s,
            u"agent-server/error"_s,
            u"supervisor-client/hello"_s,
            u"supervisor-client/setAgentStatus"_s,
            u"supervisor-client/logoutAgent"_s,
            u"supervisor-server/welcome"_s,
            u"supervisor-server/snapshot"_s,
            u"supervisor-server/agentsChanged"_s,
            u"supervisor-server/agentsRemoved"_s,
            u"supervisor-server/stats"_s,
            u"supervisor-server/queues"_s,
            u"supervisor-server/connectivityIssues"_s,
            u"supervisor-server/adminChange"_s,
            u"supervisor-server/error"_s,
        };
        QCOMPARE(covered, expected);
    }

    void readinessWireShape()
    {
        QCOMPARE(toJson(sampleReadiness()),
                 object(R"J({"score":62,"ready":false,)J"
                        R"J("reasons":["status is away (lunch)","no audio output device","packet loss 3 %"],)J"
                        R"J("factors":[{"name":"heartbeat","points":30,"maxPoints":30,)J"
                        R"J("reason":"last heartbeat 4 s ago"},)J"
                        R"J({"name":"device","points":12,"maxPoints":25,"reason":"no audio output device"},)J"
                        R"J({"name":"network","points":20,"maxPoints":25,"reason":"packet loss 3 %"}],)J"
                        R"J("failedGates":[{"gate":"status_not_available","reason":"status is away (lunch)"}]})J"));
    }

    void readinessReasonsAreNotRead()
    {
        // reasons are derived from factors and gates; a stale or odd list on the wire changes nothing.
        const QJsonObject wire = edit(toJson(sampleReadiness()), u"reasons"_s, QJsonArray {u"made up"_s});
        JsonReader reader(wire);
        ReadinessResult parsed;
        readFields(reader, parsed);
        QVERIFY(reader.ok());
        QCOMPARE(parsed, sampleReadiness());
    }

    void deviceStateWritesOnlyWhatWasReported()
    {
        DeviceState devices;
        devices.audioInput = false;
        devices.networkRttMs = 0;
        QCOMPARE(toJson(devices), object(R"({"audioInput":false,"networkRttMs":0})"));
        QCOMPARE(toJson(DeviceState {}), QJsonObject());
        QCOMPARE(
            toJson(fullDevices()),
            object(R"({"audioInput":true,"audioOutput":false,"audioInputName":"USB Headset Mic",)"
                   R"("audioOutputName":"","voiceRegistered":true,"networkRttMs":42.5,)"
                   R"("packetLossPercent":0.25,"networkType":"wifi",)"
                   R"("callQuality":{"jitterMs":12.5,"lossPercent":0.5,"roundTripMs":38,"mos":4.2},"voiceLine":"sip",)"
                   R"("presence":"idle","idleSeconds":212.5})"));
    }

    void errorWireShape()
    {
        QCOMPARE(serialize(toJson(ServerError {u"forbidden"_s, u"No."_s})),
                 QByteArray(R"({"code":"forbidden","message":"No.","type":"error","v":1})"));
    }

    void firstProblemWins()
    {
        // Both currentStatus and deviceConnected are wrong: the one read first is reported, and
        // later reads do not overwrite it.
        const auto parsed
            = parseHttpHeartbeat(R"({"agentId":"a1","deviceConnected":"yes","currentStatus":"busy","devices":7})");
        verifyProblem(parsed, JsonProblem::WrongType.toString(), u"deviceConnected"_s);
    }

    void wholeNumbersWrittenWithFractionZeroAreIntegers()
    {
        const auto parsed = parseAgentClientMessage(
            R"({"type":"heartbeat","currentStatus":"available","deviceConnected":true,"seq":2.0})");
        QVERIFY(parsed.ok());
        QCOMPARE(std::get<AgentHeartbeat>(parsed.value()).seq, 2);
    }

    void longValuesAreShortenedInMessages()
    {
        const QByteArray raw = editJson(object(R"({"type":"setStatus"})"), u"status"_s, letters(10000));
        const auto parsed = parseAgentClientMessage(raw);
        verifyProblem(parsed, JsonProblem::InvalidValue.toString(), u"status"_s);
        QVERIFY2(parsed.error().message.size() < 200, qPrintable(parsed.error().message));
        QVERIFY(parsed.error().message.contains(u"10000 characters"));
    }

    void readerReportsNestedPaths()
    {
        // The reader works on its own too (e.g. for REST bodies): nested objects and list elements
        // carry their path, and the first problem is kept.
        const QJsonObject body = object(R"({"current":{"networkRttMs":10},"history":[{"audioInput":true},)"
                                        R"({"audioInput":1},{"audioInput":"x"}]})");
        JsonReader reader(body);
        const DeviceState current = reader.object<DeviceState>(u"current");
        QVERIFY(reader.ok());
        QCOMPARE(current.networkRttMs, 10.0);
        const QList<DeviceState> history = reader.objectList<DeviceState>(u"history");
        QVERIFY(!reader.ok());
        QCOMPARE(reader.problem().field, u"history[1].audioInput"_s);
        QCOMPARE(reader.problem().code, JsonProblem::WrongType.toString());
        QCOMPARE(reader.problem().message,
                 u"history[1].audioInput must be a boolean (true or false), got the number 1."_s);
        // After a problem every read is a no-op that returns a default.
        QCOMPARE(reader.string(u"missing", IdText), QString());
        QCOMPARE(reader.problem().field, u"history[1].audioInput"_s);
    }

    void wordsRoundTrip()
    {
        for (StatusChangeSource source :
             {StatusChangeSource::Agent, StatusChangeSource::Server, StatusChangeSource::Supervisor})
            QVERIFY(statusChangeSourceFromString(toString(source)) == source);
        for (ConnectionKind kind : {ConnectionKind::WebSocket, ConnectionKind::HttpOnly, ConnectionKind::None})
            QVERIFY(connectionKindFromString(toString(kind)) == kind);
        QCOMPARE(toString(ConnectionKind::WebSocket), u"websocket"_s);
        QVERIFY(!connectionKindFromString(u"WebSocket"));
    }
};

QTEST_APPLESS_MAIN(TestProtocolWire)
#include "tst_protocol_wire.moc"
