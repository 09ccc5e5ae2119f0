#include <QJsonDocument>
#include <QTest>

#include "ProtocolTestData.h"
#include "protocol/AgentProtocol.h"

using namespace heartline;
using namespace heartline::testdata;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(heartline::AgentClientMessage)
Q_DECLARE_METATYPE(heartline::AgentServerMessage)

namespace {

// Valid messages that the bad-input rows break one field at a time.
const QJsonObject Heartbeat = object(R"({"type":"heartbeat","currentStatus":"available","deviceConnected":true})");
const QJsonObject Welcome
    = toJson(AgentWelcome {u"a1"_s, u"Ada"_s, 30, 10, AgentStatus::Available, std::nullopt, AgentActivity::Idle,
                           sampleReadiness(), 1000, false, 180, 30, 30, 200});
const QJsonObject StatusChanged = toJson(AgentStatusChanged {AgentStatus::Away, u"no-answer"_s, AgentActivity::Idle,
                                                             StatusChangeSource::Server, u"no-answer"_s, std::nullopt});
const QJsonObject Readiness = toJson(
    AgentReadiness {AgentStatus::Away, u"lunch"_s, AgentActivity::Ringing, sampleReadiness(), 1'767'225'640'000});
const QJsonObject CallOffered
    = toJson(AgentCallOffered {u"CA123"_s, u"+15550100"_s, u"client:a1"_s, std::nullopt, 0, 1000});

void addBad(const char *name, const QByteArray &raw, QStringView code, const QString &field)
{
    QTest::newRow(name) << raw << code.toString() << field;
}

/// `fromClient`: client messages are capped at 64 KiB; the server's own are read up to 64 MiB.
void addEnvelopeRows(const QJsonObject &valid, bool fromClient = true)
{
    addBad("empty input", QByteArray(), JsonProblem::MalformedJson, QString());
    addBad("whitespace only", "  \n", JsonProblem::MalformedJson, QString());
    addBad("not JSON", "{\"type\":", JsonProblem::MalformedJson, QString());
    addBad("trailing garbage", json(valid) + " x", JsonProblem::MalformedJson, QString());
    addBad("array instead of object", "[" + json(valid) + "]", JsonProblem::MalformedJson, QString());
    addBad("string instead of object", "\"heartbeat\"", JsonProblem::MalformedJson, QString());
    if (fromClient)
        addBad("over 64 KiB", editJson(valid, u"padding"_s, letters(MaxMessageBytes)), JsonProblem::TooLarge,
               QString());
    // QJsonDocument would keep the second "type"; the message is refused instead of half-read.
    addBad("a key twice", json(valid).chopped(1) + ",\"type\":\"x\"}", JsonProblem::DuplicateKey, u"type"_s);
    addBad("missing type", editJson(valid, u"type"_s, Remove), JsonProblem::MissingField, u"type"_s);
    addBad("type not a string", editJson(valid, u"type"_s, 3), JsonProblem::WrongType, u"type"_s);
    addBad("type null", editJson(valid, u"type"_s, QJsonValue()), JsonProblem::WrongType, u"type"_s);
    addBad("type empty", editJson(valid, u"type"_s, u""_s), JsonProblem::UnknownType, u"type"_s);
    addBad("unknown type", editJson(valid, u"type"_s, u"reboot"_s), JsonProblem::UnknownType, u"type"_s);
    addBad("type in other case", editJson(valid, u"type"_s, u"Heartbeat"_s), JsonProblem::UnknownType, u"type"_s);
    addBad("v=2", editJson(valid, u"v"_s, 2), JsonProblem::UnsupportedVersion, u"v"_s);
    addBad("v=0", editJson(valid, u"v"_s, 0), JsonProblem::UnsupportedVersion, u"v"_s);
    addBad("v as string", editJson(valid, u"v"_s, u"1"_s), JsonProblem::WrongType, u"v"_s);
    addBad("v fractional", editJson(valid, u"v"_s, 1.5), JsonProblem::WrongType, u"v"_s);
}

} // namespace

class TestProtocolAgent final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issueContractExamplesParse()
    {
        const auto heartbeat
            = parseAgentClientMessage(R"({"type":"heartbeat","currentStatus":"available","deviceConnected":true})");
        QVERIFY(heartbeat.ok());
        QCOMPARE(heartbeat.value(), AgentClientMessage(AgentHeartbeat {AgentStatus::Available, true, {}, {}, {}}));

        const auto hello = parseAgentClientMessage(R"({"type":"hello","token":"abc"})");
        QVERIFY(hello.ok());
        QCOMPARE(hello.value(), AgentClientMessage(AgentHello {u"abc"_s, {}, {}}));
    }

    void serializedHeartbeatIsTheContractShapeWithVersion()
    {
        const QByteArray bytes = serialize(AgentHeartbeat {AgentStatus::Available, true, {}, {}, {}});
        QCOMPARE(bytes, QByteArray(R"({"currentStatus":"available","deviceConnected":true,"type":"heartbeat","v":1})"));
    }

    void unknownFieldsAreIgnoredAndNullMeansAbsent()
    {
        const auto parsed = parseAgentClientMessage(
            R"({"type":"heartbeat","v":1,"currentStatus":"away","deviceConnected":false,"seq":null,)"
            R"("awayReason":"lunch","battery":{"percent":80},"devices":{"audioInput":true,"camera":"on"}})");
        QVERIFY(parsed.ok());
        const auto &heartbeat = std::get<AgentHeartbeat>(parsed.value());
        QCOMPARE(toString(heartbeat.currentStatus), u"away"_s);
        QCOMPARE(heartbeat.awayReason, u"lunch"_s);
        QCOMPARE(heartbeat.seq, std::nullopt);
        QVERIFY(heartbeat.devices.has_value());
        QCOMPARE(heartbeat.devices->audioInput, true);
        QCOMPARE(heartbeat.devices->audioOutput, std::nullopt);
    }

    void statusErrorNamesTheAcceptedWords()
    {
        const auto parsed
            = parseAgentClientMessage(R"({"type":"heartbeat","currentStatus":"busy","deviceConnected":true})");
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().message, u"currentStatus must be one of available, away or offline, got \"busy\"."_s);
    }

    void unknownTypeListsTheChannelTypes()
    {
        const auto parsed = parseAgentClientMessage(R"({"type":"welcome"})");
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().message,
                 u"type must be one of hello, heartbeat, deviceState or setStatus on /ws/agent from an agent app, "
                 u"got \"welcome\"."_s);
    }

    void clientRoundTrip_data()
    {
        QTest::addColumn<AgentClientMessage>("message");
        QTest::newRow("hello bare") << AgentClientMessage(AgentHello {});
        QTest::newRow("hello full") << AgentClientMessage(
            AgentHello {letters(MaxTokenLength), u"1.4.2"_s, u"agent-a1"_s});
        QTest::newRow("heartbeat bare") << AgentClientMessage(AgentHeartbeat {AgentStatus::Offline, false, {}, {}, {}});
        QTest::newRow("heartbeat full") << AgentClientMessage(
            AgentHeartbeat {AgentStatus::Away, true, MaxSafeInteger, letters(MaxReasonLength), fullDevices()});
        QTest::newRow("heartbeat empty devices")
            << AgentClientMessage(AgentHeartbeat {AgentStatus::Available, true, 0, {}, DeviceState {}});
        QTest::newRow("deviceState bare") << AgentClientMessage(AgentDeviceState {DeviceState {}, {}});
        QTest::newRow("deviceState full") << AgentClientMessage(AgentDeviceState {fullDevices(), false});
        DeviceState quiet;
        quiet.presence = Presence::Quiet;
        quiet.idleSeconds = 30.0;
        QTest::newRow("deviceState quiet") << AgentClientMessage(AgentDeviceState {quiet, true});
        QTest::newRow("setStatus bare") << AgentClientMessage(AgentSetStatus {AgentStatus::Available, {}});
        QTest::newRow("setStatus away") << AgentClientMessage(AgentSetStatus {AgentStatus::Away, u"lunch"_s});
    }
    void clientRoundTrip()
    {
        QFETCH(AgentClientMessage, message);
        const QByteArray bytes = serialize(message);
        QVERIFY(bytes.contains(R"("v":1)"));
        const auto parsed = parseAgentClientMessage(bytes);
        QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(messageType(parsed.value()), messageType(message));
        QVERIFY(parsed.value() == message);
        // Whichever way a message is written (the ack straight into bytes), the text is QJsonDocument's.
        const QJsonObject written = std::visit([](const auto &typed) { return toJson(typed); }, message);
        QCOMPARE(bytes, QJsonDocument(written).toJson(QJsonDocument::Compact));
    }

    void serverRoundTrip_data()
    {
        QTest::addColumn<AgentServerMessage>("message");
        QTest::newRow("welcome bare") << AgentServerMessage(AgentWelcome {u"a1"_s,
                                                                          u""_s,
                                                                          1,
                                                                          1,
                                                                          AgentStatus::Offline,
                                                                          {},
                                                                          AgentActivity::Disconnected,
                                                                          ReadinessResult {},
                                                                          0,
                                                                          false,
                                                                          {},
                                                                          {},
                                                                          {},
                                                                          {}});
        QTest::newRow("welcome full") << AgentServerMessage(
            AgentWelcome {u"a1"_s, u"Ada Lovelace"_s, 30, 10, AgentStatus::Away, u"lunch"_s, AgentActivity::WrapUp,
                          sampleReadiness(), 1'767'225'600'000, true, 0, 3600, 30, 600'000});
        QTest::newRow("ack bare") << AgentServerMessage(
            AgentAck {{}, AgentStatus::Available, AgentActivity::Idle, readyReadiness(), 5});
        QTest::newRow("ack with seq") << AgentServerMessage(
            AgentAck {7, AgentStatus::Away, AgentActivity::Cooldown, sampleReadiness(), 1'767'225'600'000});
        QTest::newRow("readiness bare") << AgentServerMessage(
            AgentReadiness {AgentStatus::Offline, {}, AgentActivity::Disconnected, ReadinessResult {}, 0});
        QTest::newRow("readiness ringing") << AgentServerMessage(
            AgentReadiness {AgentStatus::Available, {}, AgentActivity::Ringing, readyReadiness(), 1'767'225'640'000});
        QTest::newRow("readiness away") << AgentServerMessage(
            AgentReadiness {AgentStatus::Away, u"lunch"_s, AgentActivity::WrapUp, sampleReadiness(), MaxSafeInteger});
        QTest::newRow("statusChanged bare") << AgentServerMessage(AgentStatusChanged {
            AgentStatus::Offline, {}, AgentActivity::Stale, StatusChangeSource::Server, u"cleanup"_s, {}});
        QTest::newRow("statusChanged full") << AgentServerMessage(
            AgentStatusChanged {AgentStatus::Away, u"no-answer"_s, AgentActivity::Idle, StatusChangeSource::Supervisor,
                                u"supervisor"_s, u"Put away by Grace"_s});
        QTest::newRow("statusChanged by agent") << AgentServerMessage(AgentStatusChanged {
            AgentStatus::Available, {}, AgentActivity::Idle, StatusChangeSource::Agent, u"reconnect"_s, {}});
        QTest::newRow("sessionReplaced") << AgentServerMessage(
            AgentSessionReplaced {u"You signed in on another computer."_s});
        QTest::newRow("callOffered bare")
            << AgentServerMessage(AgentCallOffered {u"CA1"_s, u"+15550100"_s, u"client:a1"_s, {}, 0, 1});
        QTest::newRow("callOffered queued") << AgentServerMessage(
            AgentCallOffered {u"CA2"_s, u"+15550100"_s, u"client:a1"_s, u"support"_s, 95, 1'767'225'600'000});
        QTest::newRow("callEnded") << AgentServerMessage(AgentCallEnded {u"CA2"_s, u"completed"_s});
        QTest::newRow("error") << AgentServerMessage(ServerError {u"unauthorized"_s, u"The token expired."_s});
    }
    void serverRoundTrip()
    {
        QFETCH(AgentServerMessage, message);
        const QByteArray bytes = serialize(message);
        QVERIFY(bytes.contains(R"("v":1)"));
        const auto parsed = parseAgentServerMessage(bytes);
        QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(messageType(parsed.value()), messageType(message));
        QVERIFY(parsed.value() == message);
    }

    void serverWireShape()
    {
        const QJsonObject welcome = toJson(AgentWelcome {u"a1"_s,
                                                         u"Ada"_s,
                                                         30,
                                                         10,
                                                         AgentStatus::Available,
                                                         {},
                                                         AgentActivity::Idle,
                                                         readyReadiness(),
                                                         1000,
                                                         true,
                                                         {},
                                                         {},
                                                         {},
                                                         {}});
        QCOMPARE(welcome,
                 object(R"({"type":"welcome","v":1,"agentId":"a1","displayName":"Ada",)"
                        R"("heartbeatIntervalSeconds":30,"pingIntervalSeconds":10,"status":"available",)"
                        R"("activity":"idle","serverTimeMs":1000,"resumed":true,)"
                        R"("readiness":{"score":100,"ready":true,"reasons":[],"failedGates":[],)"
                        R"("factors":[{"name":"heartbeat","points":40,"maxPoints":40,)"
                        R"("reason":"last heartbeat 1 s ago"}]}})"));
        // A push, not an answer: no seq, and the away reason spelled out rather than left to the app to guess.
        const QJsonObject pushed
            = toJson(AgentReadiness {AgentStatus::Away, u"lunch"_s, AgentActivity::Idle, readyReadiness(), 2000});
        QCOMPARE(pushed,
                 object(R"({"type":"readiness","v":1,"status":"away","awayReason":"lunch","activity":"idle",)"
                        R"("serverTimeMs":2000,)"
                        R"("readiness":{"score":100,"ready":true,"reasons":[],"failedGates":[],)"
                        R"("factors":[{"name":"heartbeat","points":40,"maxPoints":40,)"
                        R"("reason":"last heartbeat 1 s ago"}]}})"));
        const QJsonObject offer = toJson(AgentCallOffered {u"CA1"_s, u"+1555"_s, u"client:a1"_s, u"support"_s, 4, 9});
        QCOMPARE(offer,
                 object(R"({"type":"callOffered","v":1,"callSid":"CA1","from":"+1555","to":"client:a1",)"
                        R"("queue":"support","waitSeconds":4,"offeredAtMs":9})"));
    }

    void badClientInput_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        addEnvelopeRows(Heartbeat);
        addBad("server type on client channel", editJson(Heartbeat, u"type"_s, u"welcome"_s), JsonProblem::UnknownType,
               u"type"_s);
        addBad("heartbeat without currentStatus", editJson(Heartbeat, u"currentStatus"_s, Remove),
               JsonProblem::MissingField, u"currentStatus"_s);
        addBad("heartbeat without deviceConnected", editJson(Heartbeat, u"deviceConnected"_s, Remove),
               JsonProblem::MissingField, u"deviceConnected"_s);
        addBad("deviceConnected as string", editJson(Heartbeat, u"deviceConnected"_s, u"true"_s),
               JsonProblem::WrongType, u"deviceConnected"_s);
        addBad("deviceConnected as number", editJson(Heartbeat, u"deviceConnected"_s, 1), JsonProblem::WrongType,
               u"deviceConnected"_s);
        addBad("deviceConnected null", editJson(Heartbeat, u"deviceConnected"_s, QJsonValue()), JsonProblem::WrongType,
               u"deviceConnected"_s);
        addBad("bad status word", editJson(Heartbeat, u"currentStatus"_s, u"busy"_s), JsonProblem::InvalidValue,
               u"currentStatus"_s);
        addBad("status word in capitals", editJson(Heartbeat, u"currentStatus"_s, u"Available"_s),
               JsonProblem::InvalidValue, u"currentStatus"_s);
        addBad("status as number", editJson(Heartbeat, u"currentStatus"_s, 1), JsonProblem::WrongType,
               u"currentStatus"_s);
        addBad("negative seq", editJson(Heartbeat, u"seq"_s, -1), JsonProblem::InvalidValue, u"seq"_s);
        addBad("fractional seq", editJson(Heartbeat, u"seq"_s, 3.5), JsonProblem::WrongType, u"seq"_s);
        addBad("seq as string", editJson(Heartbeat, u"seq"_s, u"3"_s), JsonProblem::WrongType, u"seq"_s);
        addBad("seq beyond 2^53", editJson(Heartbeat, u"seq"_s, 1e16), JsonProblem::InvalidValue, u"seq"_s);
        addBad("away reason too long", editJson(Heartbeat, u"awayReason"_s, letters(MaxReasonLength + 1)),
               JsonProblem::InvalidValue, u"awayReason"_s);
        addBad("away reason empty", editJson(Heartbeat, u"awayReason"_s, u""_s), JsonProblem::InvalidValue,
               u"awayReason"_s);
        addBad("devices as array", editJson(Heartbeat, u"devices"_s, QJsonArray()), JsonProblem::WrongType,
               u"devices"_s);
        addBad("devices rtt as string", editJson(Heartbeat, u"devices.networkRttMs"_s, u"20"_s), JsonProblem::WrongType,
               u"devices.networkRttMs"_s);
        addBad("devices rtt negative", editJson(Heartbeat, u"devices.networkRttMs"_s, -1), JsonProblem::InvalidValue,
               u"devices.networkRttMs"_s);
        addBad("devices rtt over a minute", editJson(Heartbeat, u"devices.networkRttMs"_s, 60000.5),
               JsonProblem::InvalidValue, u"devices.networkRttMs"_s);
        addBad("devices loss over 100", editJson(Heartbeat, u"devices.packetLossPercent"_s, 101),
               JsonProblem::InvalidValue, u"devices.packetLossPercent"_s);
        addBad("call quality MOS over 5", editJson(Heartbeat, u"devices.callQuality.mos"_s, 5.5),
               JsonProblem::InvalidValue, u"devices.callQuality.mos"_s);
        addBad("call quality as text", editJson(Heartbeat, u"devices.callQuality"_s, u"good"_s), JsonProblem::WrongType,
               u"devices.callQuality"_s);
        addBad("presence unknown", editJson(Heartbeat, u"devices.presence"_s, u"asleep"_s), JsonProblem::InvalidValue,
               u"devices.presence"_s);
        addBad("idle seconds negative", editJson(Heartbeat, u"devices.idleSeconds"_s, -1), JsonProblem::InvalidValue,
               u"devices.idleSeconds"_s);
        addBad("idle seconds as string", editJson(Heartbeat, u"devices.idleSeconds"_s, u"12"_s), JsonProblem::WrongType,
               u"devices.idleSeconds"_s);
        addBad("voice line unknown", editJson(Heartbeat, u"devices.voiceLine"_s, u"pstn"_s), JsonProblem::InvalidValue,
               u"devices.voiceLine"_s);
        addBad("devices audioInput as string", editJson(Heartbeat, u"devices.audioInput"_s, u"yes"_s),
               JsonProblem::WrongType, u"devices.audioInput"_s);
        addBad("devices name too long", editJson(Heartbeat, u"devices.audioInputName"_s, letters(MaxNameLength + 1)),
               JsonProblem::InvalidValue, u"devices.audioInputName"_s);
        addBad("devices networkType empty", editJson(Heartbeat, u"devices.networkType"_s, u""_s),
               JsonProblem::InvalidValue, u"devices.networkType"_s);

        const QJsonObject deviceState = object(R"({"type":"deviceState","devices":{}})");
        addBad("deviceState without devices", editJson(deviceState, u"devices"_s, Remove), JsonProblem::MissingField,
               u"devices"_s);
        addBad("deviceState devices null", editJson(deviceState, u"devices"_s, QJsonValue()), JsonProblem::WrongType,
               u"devices"_s);
        addBad("deviceState voiceRegistered as number", editJson(deviceState, u"devices.voiceRegistered"_s, 0),
               JsonProblem::WrongType, u"devices.voiceRegistered"_s);
        addBad("deviceState deviceConnected as string", editJson(deviceState, u"deviceConnected"_s, u"false"_s),
               JsonProblem::WrongType, u"deviceConnected"_s);

        const QJsonObject setStatus = object(R"({"type":"setStatus","status":"away","reason":"lunch"})");
        addBad("setStatus without status", editJson(setStatus, u"status"_s, Remove), JsonProblem::MissingField,
               u"status"_s);
        addBad("setStatus unknown status", editJson(setStatus, u"status"_s, u"dnd"_s), JsonProblem::InvalidValue,
               u"status"_s);
        addBad("setStatus reason too long", editJson(setStatus, u"reason"_s, letters(MaxReasonLength + 1)),
               JsonProblem::InvalidValue, u"reason"_s);
        addBad("setStatus reason as object", editJson(setStatus, u"reason"_s, QJsonObject()), JsonProblem::WrongType,
               u"reason"_s);

        const QJsonObject hello = object(R"({"type":"hello","token":"abc"})");
        addBad("hello token too long", editJson(hello, u"token"_s, letters(MaxTokenLength + 1)),
               JsonProblem::InvalidValue, u"token"_s);
        addBad("hello token empty", editJson(hello, u"token"_s, u""_s), JsonProblem::InvalidValue, u"token"_s);
        addBad("hello token as number", editJson(hello, u"token"_s, 123), JsonProblem::WrongType, u"token"_s);
        addBad("hello clientVersion as object", editJson(hello, u"clientVersion"_s, QJsonObject()),
               JsonProblem::WrongType, u"clientVersion"_s);
        addBad("hello voiceIdentity too long", editJson(hello, u"voiceIdentity"_s, letters(MaxIdLength + 1)),
               JsonProblem::InvalidValue, u"voiceIdentity"_s);
    }
    void badClientInput()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        QFETCH(QString, field);
        verifyProblem(parseAgentClientMessage(raw), code, field);
    }

    void badServerInput_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        addEnvelopeRows(Welcome, false);
        addBad("client type on server channel", editJson(Welcome, u"type"_s, u"heartbeat"_s), JsonProblem::UnknownType,
               u"type"_s);
        addBad("welcome without agentId", editJson(Welcome, u"agentId"_s, Remove), JsonProblem::MissingField,
               u"agentId"_s);
        addBad("welcome agentId empty", editJson(Welcome, u"agentId"_s, u""_s), JsonProblem::InvalidValue,
               u"agentId"_s);
        addBad("welcome agentId too long", editJson(Welcome, u"agentId"_s, letters(MaxIdLength + 1)),
               JsonProblem::InvalidValue, u"agentId"_s);
        addBad("welcome interval zero", editJson(Welcome, u"heartbeatIntervalSeconds"_s, 0), JsonProblem::InvalidValue,
               u"heartbeatIntervalSeconds"_s);
        addBad("welcome interval fractional", editJson(Welcome, u"heartbeatIntervalSeconds"_s, 30.5),
               JsonProblem::WrongType, u"heartbeatIntervalSeconds"_s);
        addBad("welcome interval as string", editJson(Welcome, u"heartbeatIntervalSeconds"_s, u"30"_s),
               JsonProblem::WrongType, u"heartbeatIntervalSeconds"_s);
        addBad("welcome ping interval too long", editJson(Welcome, u"pingIntervalSeconds"_s, 3601),
               JsonProblem::InvalidValue, u"pingIntervalSeconds"_s);
        addBad("welcome bad activity", editJson(Welcome, u"activity"_s, u"busy"_s), JsonProblem::InvalidValue,
               u"activity"_s);
        addBad("welcome idle prompt negative", editJson(Welcome, u"idlePromptSeconds"_s, -1), JsonProblem::InvalidValue,
               u"idlePromptSeconds"_s);
        addBad("welcome idle grace zero", editJson(Welcome, u"idleGraceSeconds"_s, 0), JsonProblem::InvalidValue,
               u"idleGraceSeconds"_s);
        addBad("welcome quiet negative", editJson(Welcome, u"inputQuietSeconds"_s, -1), JsonProblem::InvalidValue,
               u"inputQuietSeconds"_s);
        addBad("welcome reconnect spread too wide", editJson(Welcome, u"reconnectSpreadMs"_s, 600'001),
               JsonProblem::InvalidValue, u"reconnectSpreadMs"_s);
        addBad("welcome reconnect spread text", editJson(Welcome, u"reconnectSpreadMs"_s, u"fast"_s),
               JsonProblem::WrongType, u"reconnectSpreadMs"_s);
        addBad("welcome resumed missing", editJson(Welcome, u"resumed"_s, Remove), JsonProblem::MissingField,
               u"resumed"_s);
        addBad("welcome serverTimeMs negative", editJson(Welcome, u"serverTimeMs"_s, -1), JsonProblem::InvalidValue,
               u"serverTimeMs"_s);
        addBad("welcome serverTimeMs as string", editJson(Welcome, u"serverTimeMs"_s, u"1000"_s),
               JsonProblem::WrongType, u"serverTimeMs"_s);
        addBad("readiness missing", editJson(Welcome, u"readiness"_s, Remove), JsonProblem::MissingField,
               u"readiness"_s);
        addBad("readiness as string", editJson(Welcome, u"readiness"_s, u"ready"_s), JsonProblem::WrongType,
               u"readiness"_s);
        addBad("readiness score over 100", editJson(Welcome, u"readiness.score"_s, 101), JsonProblem::InvalidValue,
               u"readiness.score"_s);
        addBad("readiness ready as string", editJson(Welcome, u"readiness.ready"_s, u"yes"_s), JsonProblem::WrongType,
               u"readiness.ready"_s);
        addBad("readiness factors not an array", editJson(Welcome, u"readiness.factors"_s, QJsonObject()),
               JsonProblem::WrongType, u"readiness.factors"_s);
        addBad("readiness factor not an object", editJson(Welcome, u"readiness.factors[0]"_s, 5),
               JsonProblem::WrongType, u"readiness.factors[0]"_s);
        addBad("readiness factor points over its weight", editJson(Welcome, u"readiness.factors[1].points"_s, 26),
               JsonProblem::InvalidValue, u"readiness.factors[1].points"_s);
        addBad("readiness gate without its name", editJson(Welcome, u"readiness.failedGates[0].gate"_s, Remove),
               JsonProblem::MissingField, u"readiness.failedGates[0].gate"_s);

        addBad("statusChanged unknown source", editJson(StatusChanged, u"by"_s, u"robot"_s), JsonProblem::InvalidValue,
               u"by"_s);
        addBad("statusChanged without cause", editJson(StatusChanged, u"cause"_s, Remove), JsonProblem::MissingField,
               u"cause"_s);
        addBad("statusChanged message too long", editJson(StatusChanged, u"message"_s, letters(MaxMessageLength + 1)),
               JsonProblem::InvalidValue, u"message"_s);
        addBad("callOffered negative wait", editJson(CallOffered, u"waitSeconds"_s, -1), JsonProblem::InvalidValue,
               u"waitSeconds"_s);
        addBad("callOffered callSid as number", editJson(CallOffered, u"callSid"_s, 12), JsonProblem::WrongType,
               u"callSid"_s);
        addBad("callOffered without offeredAtMs", editJson(CallOffered, u"offeredAtMs"_s, Remove),
               JsonProblem::MissingField, u"offeredAtMs"_s);
        addBad("readiness without status", editJson(Readiness, u"status"_s, Remove), JsonProblem::MissingField,
               u"status"_s);
        addBad("readiness bad status", editJson(Readiness, u"status"_s, u"busy"_s), JsonProblem::InvalidValue,
               u"status"_s);
        addBad("readiness without activity", editJson(Readiness, u"activity"_s, Remove), JsonProblem::MissingField,
               u"activity"_s);
        addBad("readiness bad activity", editJson(Readiness, u"activity"_s, u"dialing"_s), JsonProblem::InvalidValue,
               u"activity"_s);
        addBad("readiness activity as number", editJson(Readiness, u"activity"_s, 3), JsonProblem::WrongType,
               u"activity"_s);
        addBad("readiness away reason empty", editJson(Readiness, u"awayReason"_s, u""_s), JsonProblem::InvalidValue,
               u"awayReason"_s);
        addBad("readiness away reason too long", editJson(Readiness, u"awayReason"_s, letters(MaxReasonLength + 1)),
               JsonProblem::InvalidValue, u"awayReason"_s);
        addBad("readiness without readiness", editJson(Readiness, u"readiness"_s, Remove), JsonProblem::MissingField,
               u"readiness"_s);
        addBad("readiness readiness null", editJson(Readiness, u"readiness"_s, QJsonValue()), JsonProblem::WrongType,
               u"readiness"_s);
        addBad("readiness without ready", editJson(Readiness, u"readiness.ready"_s, Remove), JsonProblem::MissingField,
               u"readiness.ready"_s);
        addBad("readiness gate as string", editJson(Readiness, u"readiness.failedGates[0]"_s, u"reserved"_s),
               JsonProblem::WrongType, u"readiness.failedGates[0]"_s);
        addBad("readiness without serverTimeMs", editJson(Readiness, u"serverTimeMs"_s, Remove),
               JsonProblem::MissingField, u"serverTimeMs"_s);
        addBad("readiness serverTimeMs fractional", editJson(Readiness, u"serverTimeMs"_s, 1.5), JsonProblem::WrongType,
               u"serverTimeMs"_s);
        addBad("readiness serverTimeMs beyond 2^53", editJson(Readiness, u"serverTimeMs"_s, 1e16),
               JsonProblem::InvalidValue, u"serverTimeMs"_s);
        addBad("ack seq negative",
               editJson(toJson(AgentAck {1, AgentStatus::Available, AgentActivity::Idle, {}, 1}), u"seq"_s, -5),
               JsonProblem::InvalidValue, u"seq"_s);
        addBad("callEnded without outcome", R"({"type":"callEnded","callSid":"CA1"})", JsonProblem::MissingField,
               u"outcome"_s);
        addBad("sessionReplaced without message", R"({"type":"sessionReplaced"})", JsonProblem::MissingField,
               u"message"_s);
        addBad("error without code", R"({"type":"error","message":"x"})", JsonProblem::MissingField, u"code"_s);
    }
    void badServerInput()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        QFETCH(QString, field);
        verifyProblem(parseAgentServerMessage(raw), code, field);
    }

    void sizeLimitIsInclusive()
    {
        // A message of exactly MaxMessageBytes is read; one byte more is refused before parsing.
        QByteArray raw = json(Heartbeat);
        raw.insert(raw.size() - 1, QByteArray(MaxMessageBytes - raw.size(), ' '));
        QCOMPARE(raw.size(), MaxMessageBytes);
        QVERIFY(parseAgentClientMessage(raw).ok());
        raw.insert(raw.size() - 1, ' ');
        verifyProblem(parseAgentClientMessage(raw), JsonProblem::TooLarge.toString(), QString());
    }
};

QTEST_APPLESS_MAIN(TestProtocolAgent)
#include "tst_protocol_agent.moc"
