#include <limits>

#include <QTest>

#include "ProtocolTestData.h"
#include "protocol/SupervisorProtocol.h"

using namespace heartline;
using namespace heartline::testdata;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(heartline::SupervisorClientMessage)
Q_DECLARE_METATYPE(heartline::SupervisorServerMessage)
Q_DECLARE_METATYPE(heartline::AgentView)

namespace {

const QJsonObject SetAgentStatus = object(R"({"type":"setAgentStatus","agentId":"a1","status":"away","reason":"x"})");
const QJsonObject Snapshot = toJson(
    SupervisorSnapshot {{fullAgentView(), bareAgentView()}, QJsonObject {{u"connected"_s, 2}}, 1'767'225'600'000});

QJsonObject sampleStats()
{
    return object(R"({"agents":12,"connected":9,"connectivityRate":0.75,"byStatus":{"available":5,"away":3},)"
                  R"("issues":[{"agentId":"a3","issue":"no audio input"}]})");
}

void addBad(const char *name, const QByteArray &raw, QStringView code, const QString &field)
{
    QTest::newRow(name) << raw << code.toString() << field;
}

/// `fromClient`: client messages are capped at 64 KiB; the server's own are read up to 64 MiB.
void addEnvelopeRows(const QJsonObject &valid, bool fromClient = true)
{
    addBad("empty input", QByteArray(), JsonProblem::MalformedJson, QString());
    addBad("not JSON", "{type: hello}", JsonProblem::MalformedJson, QString());
    addBad("array instead of object", "[]", JsonProblem::MalformedJson, QString());
    addBad("number instead of object", "42", JsonProblem::MalformedJson, QString());
    if (fromClient)
        addBad("over 64 KiB", editJson(valid, u"padding"_s, letters(MaxMessageBytes)), JsonProblem::TooLarge,
               QString());
    // QJsonDocument would keep the second "type"; the message is refused instead of half-read.
    addBad("a key twice", json(valid).chopped(1) + ",\"type\":\"x\"}", JsonProblem::DuplicateKey, u"type"_s);
    addBad("missing type", editJson(valid, u"type"_s, Remove), JsonProblem::MissingField, u"type"_s);
    addBad("type as array", editJson(valid, u"type"_s, QJsonArray {u"hello"_s}), JsonProblem::WrongType, u"type"_s);
    addBad("unknown type", editJson(valid, u"type"_s, u"subscribe"_s), JsonProblem::UnknownType, u"type"_s);
    addBad("v=2", editJson(valid, u"v"_s, 2), JsonProblem::UnsupportedVersion, u"v"_s);
    addBad("v as string", editJson(valid, u"v"_s, u"1"_s), JsonProblem::WrongType, u"v"_s);
    addBad("v as boolean", editJson(valid, u"v"_s, true), JsonProblem::WrongType, u"v"_s);
}

} // namespace

class TestProtocolSupervisor final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clientRoundTrip_data()
    {
        QTest::addColumn<SupervisorClientMessage>("message");
        QTest::newRow("hello bare") << SupervisorClientMessage(SupervisorHello {});
        QTest::newRow("hello with token") << SupervisorClientMessage(SupervisorHello {u"s3cr3t"_s});
        QTest::newRow("setAgentStatus bare")
            << SupervisorClientMessage(SupervisorSetAgentStatus {u"a1"_s, AgentStatus::Offline, {}});
        QTest::newRow("setAgentStatus away")
            << SupervisorClientMessage(SupervisorSetAgentStatus {u"a1"_s, AgentStatus::Away, u"meeting"_s});
        QTest::newRow("logoutAgent bare") << SupervisorClientMessage(SupervisorLogoutAgent {u"a1"_s, {}});
        QTest::newRow("logoutAgent with reason")
            << SupervisorClientMessage(SupervisorLogoutAgent {letters(MaxIdLength), u"shift ended"_s});
    }
    void clientRoundTrip()
    {
        QFETCH(SupervisorClientMessage, message);
        const auto parsed = parseSupervisorClientMessage(serialize(message));
        QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(messageType(parsed.value()), messageType(message));
        QVERIFY(parsed.value() == message);
    }

    void serverRoundTrip_data()
    {
        QTest::addColumn<SupervisorServerMessage>("message");
        QTest::newRow("welcome") << SupervisorServerMessage(SupervisorWelcome {u"u7"_s, u"supervisor"_s, 12});
        QTest::newRow("snapshot empty") << SupervisorServerMessage(SupervisorSnapshot {{}, QJsonObject {}, 0});
        QTest::newRow("snapshot full") << SupervisorServerMessage(
            SupervisorSnapshot {{fullAgentView(), bareAgentView()}, sampleStats(), 1'767'225'600'000});
        QTest::newRow("snapshot page 1 of 3")
            << SupervisorServerMessage(SupervisorSnapshot {{fullAgentView()}, sampleStats(), 1'767'225'600'000, 1, 3});
        QTest::newRow("snapshot page 3 of 3 without stats")
            << SupervisorServerMessage(SupervisorSnapshot {{bareAgentView()}, {}, 1'767'225'600'020, 3, 3});
        QTest::newRow("snapshot empty last page")
            << SupervisorServerMessage(SupervisorSnapshot {{}, {}, 1'767'225'600'020, 40, 40});
        QTest::newRow("agentsChanged one bare")
            << SupervisorServerMessage(SupervisorAgentsChanged {{bareAgentView()}, 5});
        QTest::newRow("agentsChanged one full")
            << SupervisorServerMessage(SupervisorAgentsChanged {{fullAgentView()}, 5});
        QTest::newRow("agentsRemoved none") << SupervisorServerMessage(SupervisorAgentsRemoved {});
        QTest::newRow("agentsRemoved two") << SupervisorServerMessage(SupervisorAgentsRemoved {{u"a1"_s, u"a2"_s}});
        QTest::newRow("stats") << SupervisorServerMessage(SupervisorStats {sampleStats(), 99});
        QTest::newRow("queues empty") << SupervisorServerMessage(SupervisorQueues {{}, 7});
        QTest::newRow("queues full") << SupervisorServerMessage(
            SupervisorQueues {{QueueView {u"support"_s,
                                          {WaitingCallerView {u"CA1"_s, u"+15551230000"_s, 1, 95, false},
                                           WaitingCallerView {u"CA2"_s, u"+15551230001"_s, 2, 10, true}},
                                          95,
                                          41.5,
                                          12,
                                          1,
                                          0,
                                          2,
                                          84.5,
                                          20,
                                          3},
                               QueueView {u"billing"_s, {}, 0, 0, 0, 0, 0, 0, 100, 30, 0}},
                              8});
        QTest::newRow("connectivityIssues empty") << SupervisorServerMessage(SupervisorConnectivityIssues {{}, 3});
        QTest::newRow("connectivityIssues open and closed") << SupervisorServerMessage(SupervisorConnectivityIssues {
            {ConnectivityIssueView {41, u"a1"_s, u"headset_unplugged"_s, 1000, 5000, u"headset not found"_s},
             ConnectivityIssueView {42, u"a2"_s, u"high_rtt"_s, 2000, std::nullopt, QString()}},
            9});
        QTest::newRow("error") << SupervisorServerMessage(ServerError {u"forbidden"_s, u"Agents only."_s});
    }
    void serverRoundTrip()
    {
        QFETCH(SupervisorServerMessage, message);
        const auto parsed = parseSupervisorServerMessage(serialize(message));
        QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(messageType(parsed.value()), messageType(message));
        QVERIFY(parsed.value() == message);
        // agentsChanged and snapshot pages are written without QJsonObject: byte for byte what
        // QJsonDocument writes, as every other message is.
        QCOMPARE(serialize(message), std::visit([](const auto &m) { return json(toJson(m)); }, message));
    }

    void agentViewBytesAreQJsonDocumentBytes_data()
    {
        QTest::addColumn<AgentView>("view");
        QTest::newRow("every optional field present") << fullAgentView();
        QTest::newRow("every optional field absent, nulls") << bareAgentView();

        AgentView text = fullAgentView();
        const QString odd = u"quote \" backslash \\ slash / tab\t newline\n cr\r bell\x07 del\x7f "
                            "\u00e9\u00fc \u20ac \u2028 \U0001F600"_s;
        text.agentId = u"agent-\u00e9"_s;
        text.displayName = u"Zo\u00eb \"Z\" O'Brien \u5f20\u4f1f"_s + odd;
        text.awayReason = odd;
        text.devices.audioInputName = u"Jabra \u00e9vol\u00fbtion\tMic"_s;
        text.devices.audioOutputName = u""_s;
        text.devices.networkType = u"wi\\fi"_s;
        text.queues = {u"support"_s, u"\u00e9quipe"_s, u"a\"b"_s, QString()};
        text.readiness.failedGates.append(ReadinessGate {u"odd"_s, odd});
        text.readiness.factors.append(ReadinessFactor {u"\u00e9"_s, 1, 2, u"\x01\x1f"_s});
        QTest::newRow("non-ASCII and escaped text") << text;

        AgentView numbers = fullAgentView();
        numbers.devices.networkRttMs = 38; // a whole number held as a double
        numbers.devices.packetLossPercent = 0.1 + 0.2;
        numbers.devices.idleSeconds = 9'999'999.5;
        numbers.devices.callQuality = CallQuality {1e-7, 100, 60000, 1};
        numbers.wsRttMs = 1e21;
        numbers.lastHeartbeatMs = MaxSafeInteger;
        numbers.currentCallStartedMs = 0;
        numbers.activeCalls = 0;
        numbers.maxConcurrentCalls = std::numeric_limits<int>::max();
        numbers.callsToday = -1;
        numbers.readiness = ReadinessResult {};
        QTest::newRow("numbers at their edges, empty readiness") << numbers;

        AgentView notFinite = bareAgentView();
        notFinite.wsRttMs = std::numeric_limits<double>::infinity();
        notFinite.devices.networkRttMs = std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("doubles JSON cannot hold: null") << notFinite;

        AgentView partial = bareAgentView();
        partial.devices.audioInput = false;
        partial.devices.voiceRegistered = false;
        partial.devices.callQuality = CallQuality {};
        partial.devices.presence = Presence::Quiet;
        partial.devices.voiceLine = VoiceLine::Client;
        partial.awayReason = QString();
        partial.queues = {u"only"_s};
        QTest::newRow("some device fields, empty call quality and away reason") << partial;
    }
    void agentViewBytesAreQJsonDocumentBytes()
    {
        QFETCH(AgentView, view);
        QByteArray written;
        JsonWriter writer(written);
        write(writer, view);
        QCOMPARE(written, json(toJson(view)));

        // In the messages that carry views, beside others, with and without statistics.
        const SupervisorAgentsChanged changed {{bareAgentView(), view, fullAgentView()}, 1'767'225'600'000};
        QCOMPARE(serialize(changed), json(toJson(changed)));
        const SupervisorAgentsChanged none {{}, 0};
        QCOMPARE(serialize(none), json(toJson(none)));
        const SupervisorSnapshot first {{view, view}, sampleStats(), 1'767'225'600'000, 1, 2};
        QCOMPARE(serialize(first), json(toJson(first)));
        const SupervisorSnapshot emptyStats {{view}, {}, 5, 1, 1};
        QCOMPARE(serialize(emptyStats), json(toJson(emptyStats)));
        const SupervisorSnapshot later {{view}, {}, 7, 2, 2};
        QCOMPARE(serialize(later), json(toJson(later)));
    }

    void agentViewWritesNullsForUnknownTimesAndRtt()
    {
        const QJsonObject view = toJson(bareAgentView());
        QVERIFY(view.value(u"lastHeartbeatMs").isNull());
        QVERIFY(view.value(u"currentCallStartedMs").isNull());
        QVERIFY(view.value(u"wsRttMs").isNull());
        QVERIFY(!view.contains(u"awayReason"));
        QCOMPARE(view.value(u"devices").toObject(), QJsonObject());
        QCOMPARE(view.value(u"connection").toString(), u"none"_s);
        QCOMPARE(view.value(u"queues").toArray(), QJsonArray());
    }

    void agentViewWireShape()
    {
        AgentView view = bareAgentView();
        view.readiness = readyReadiness();
        view.connection = ConnectionKind::HttpOnly;
        view.lastHeartbeatMs = 1000;
        QCOMPARE(toJson(view),
                 object(R"({"agentId":"a2","displayName":"Grace Hopper","status":"offline",)"
                        R"("activity":"disconnected","loggedIn":false,"connection":"http","lastHeartbeatMs":1000,)"
                        R"("devices":{},"deviceConnected":false,"activeCalls":0,"maxConcurrentCalls":1,)"
                        R"("callsToday":0,"currentCallStartedMs":null,"wsRttMs":null,"queues":[],)"
                        R"("readiness":{"score":100,"ready":true,"reasons":[],"failedGates":[],)"
                        R"("factors":[{"name":"heartbeat","points":40,"maxPoints":40,)"
                        R"("reason":"last heartbeat 1 s ago"}]}})"));
    }

    void statsPassThroughUntouched()
    {
        const auto parsed = parseSupervisorServerMessage(serialize(SupervisorStats {sampleStats(), 1}));
        QVERIFY(parsed.ok());
        QCOMPARE(std::get<SupervisorStats>(parsed.value()).stats, sampleStats());
    }

    void snapshotPages()
    {
        // Page 1 carries the statistics; the others leave them out.
        const QJsonObject first = toJson(SupervisorSnapshot {{fullAgentView()}, sampleStats(), 10, 1, 2});
        QCOMPARE(first.value(u"page"_s).toInt(), 1);
        QCOMPARE(first.value(u"pages"_s).toInt(), 2);
        QCOMPARE(first.value(u"stats"_s).toObject(), sampleStats());
        const QJsonObject second = toJson(SupervisorSnapshot {{bareAgentView()}, {}, 11, 2, 2});
        QCOMPARE(second.value(u"page"_s).toInt(), 2);
        QVERIFY(!second.contains(u"stats"_s));
        const auto parsed = parseSupervisorServerMessage(json(second));
        QVERIFY(parsed.ok());
        QCOMPARE(std::get<SupervisorSnapshot>(parsed.value()),
                 (SupervisorSnapshot {{bareAgentView()}, QJsonObject {}, 11, 2, 2}));
        // Statistics on a later page are read all the same.
        const auto withStats = parseSupervisorServerMessage(editJson(second, u"stats"_s, sampleStats()));
        QVERIFY(withStats.ok());
        QCOMPARE(std::get<SupervisorSnapshot>(withStats.value()).stats, sampleStats());
    }

    void snapshotWithoutPagesIsPageOneOfOne()
    {
        // As a server from before paging sends it: the whole floor in one message.
        QJsonObject old = Snapshot;
        old.remove(u"page"_s);
        old.remove(u"pages"_s);
        const auto parsed = parseSupervisorServerMessage(json(old));
        QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
        const auto &snapshot = std::get<SupervisorSnapshot>(parsed.value());
        QCOMPARE(snapshot.page, 1);
        QCOMPARE(snapshot.pages, 1);
        QCOMPARE(snapshot.agents.size(), 2);
        QCOMPARE(snapshot.stats, (QJsonObject {{u"connected"_s, 2}}));
    }

    void serverMessagesOver64KiBAreRead()
    {
        // A snapshot grows with the fleet; only what clients send is capped at 64 KiB.
        const QByteArray big = editJson(Snapshot, u"padding"_s, letters(4 * MaxMessageBytes));
        QVERIFY(big.size() > 4 * MaxMessageBytes);
        QVERIFY(parseSupervisorServerMessage(big).ok());
        QCOMPARE(
            parseSupervisorClientMessage(editJson(SetAgentStatus, u"padding"_s, letters(MaxMessageBytes))).error().code,
            JsonProblem::TooLarge.toString());
    }

    void badClientInput_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        addEnvelopeRows(SetAgentStatus);
        addBad("agent channel type", R"({"type":"heartbeat","currentStatus":"available","deviceConnected":true})",
               JsonProblem::UnknownType, u"type"_s);
        addBad("server type on client channel", editJson(SetAgentStatus, u"type"_s, u"snapshot"_s),
               JsonProblem::UnknownType, u"type"_s);
        addBad("setAgentStatus without agentId", editJson(SetAgentStatus, u"agentId"_s, Remove),
               JsonProblem::MissingField, u"agentId"_s);
        addBad("setAgentStatus agentId empty", editJson(SetAgentStatus, u"agentId"_s, u""_s), JsonProblem::InvalidValue,
               u"agentId"_s);
        addBad("setAgentStatus agentId too long", editJson(SetAgentStatus, u"agentId"_s, letters(MaxIdLength + 1)),
               JsonProblem::InvalidValue, u"agentId"_s);
        addBad("setAgentStatus agentId as number", editJson(SetAgentStatus, u"agentId"_s, 17), JsonProblem::WrongType,
               u"agentId"_s);
        addBad("setAgentStatus without status", editJson(SetAgentStatus, u"status"_s, Remove),
               JsonProblem::MissingField, u"status"_s);
        addBad("setAgentStatus bad status", editJson(SetAgentStatus, u"status"_s, u"busy"_s), JsonProblem::InvalidValue,
               u"status"_s);
        addBad("setAgentStatus activity word as status", editJson(SetAgentStatus, u"status"_s, u"idle"_s),
               JsonProblem::InvalidValue, u"status"_s);
        addBad("setAgentStatus reason too long", editJson(SetAgentStatus, u"reason"_s, letters(MaxReasonLength + 1)),
               JsonProblem::InvalidValue, u"reason"_s);
        addBad("setAgentStatus reason as boolean", editJson(SetAgentStatus, u"reason"_s, false), JsonProblem::WrongType,
               u"reason"_s);
        addBad("logoutAgent without agentId", R"({"type":"logoutAgent"})", JsonProblem::MissingField, u"agentId"_s);
        addBad("logoutAgent agentId null", R"({"type":"logoutAgent","agentId":null})", JsonProblem::WrongType,
               u"agentId"_s);
        addBad("hello token as number", R"({"type":"hello","token":5})", JsonProblem::WrongType, u"token"_s);
        addBad("hello token too long", editJson(object(R"({"type":"hello"})"), u"token"_s, letters(MaxTokenLength + 1)),
               JsonProblem::InvalidValue, u"token"_s);
    }
    void badClientInput()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        QFETCH(QString, field);
        verifyProblem(parseSupervisorClientMessage(raw), code, field);
    }

    void badServerInput_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        addEnvelopeRows(Snapshot, false);
        addBad("client type on server channel", editJson(Snapshot, u"type"_s, u"setAgentStatus"_s),
               JsonProblem::UnknownType, u"type"_s);
        addBad("snapshot without agents", editJson(Snapshot, u"agents"_s, Remove), JsonProblem::MissingField,
               u"agents"_s);
        const QJsonObject queues = toJson(SupervisorQueues {
            {QueueView {
                u"support"_s, {WaitingCallerView {u"CA1"_s, u"+1555"_s, 1, 5, false}}, 5, 0, 0, 0, 0, 0, 100, 20, 0}},
            1});
        addBad("queues without queues", editJson(queues, u"queues"_s, Remove), JsonProblem::MissingField, u"queues"_s);
        addBad("queue service level over 100", editJson(queues, u"queues[0].serviceLevelPercent"_s, 101),
               JsonProblem::InvalidValue, u"queues[0].serviceLevelPercent"_s);
        addBad("waiting caller position 0", editJson(queues, u"queues[0].waiting[0].position"_s, 0),
               JsonProblem::InvalidValue, u"queues[0].waiting[0].position"_s);
        addBad("waiting caller without callSid", editJson(queues, u"queues[0].waiting[0].callSid"_s, Remove),
               JsonProblem::MissingField, u"queues[0].waiting[0].callSid"_s);
        addBad("snapshot agents as object", editJson(Snapshot, u"agents"_s, QJsonObject()), JsonProblem::WrongType,
               u"agents"_s);
        addBad("snapshot agent not an object", editJson(Snapshot, u"agents[1]"_s, u"a2"_s), JsonProblem::WrongType,
               u"agents[1]"_s);
        addBad("agent without agentId", editJson(Snapshot, u"agents[0].agentId"_s, Remove), JsonProblem::MissingField,
               u"agents[0].agentId"_s);
        addBad("agent bad status", editJson(Snapshot, u"agents[1].status"_s, u"busy"_s), JsonProblem::InvalidValue,
               u"agents[1].status"_s);
        addBad("agent bad activity", editJson(Snapshot, u"agents[0].activity"_s, u"on_call"_s),
               JsonProblem::InvalidValue, u"agents[0].activity"_s);
        addBad("agent bad connection", editJson(Snapshot, u"agents[0].connection"_s, u"wifi"_s),
               JsonProblem::InvalidValue, u"agents[0].connection"_s);
        addBad("agent loggedIn as string", editJson(Snapshot, u"agents[0].loggedIn"_s, u"true"_s),
               JsonProblem::WrongType, u"agents[0].loggedIn"_s);
        addBad("agent lastHeartbeatMs as string", editJson(Snapshot, u"agents[0].lastHeartbeatMs"_s, u"1000"_s),
               JsonProblem::WrongType, u"agents[0].lastHeartbeatMs"_s);
        addBad("agent lastHeartbeatMs negative", editJson(Snapshot, u"agents[1].lastHeartbeatMs"_s, -1),
               JsonProblem::InvalidValue, u"agents[1].lastHeartbeatMs"_s);
        addBad("agent wsRttMs negative", editJson(Snapshot, u"agents[0].wsRttMs"_s, -0.5), JsonProblem::InvalidValue,
               u"agents[0].wsRttMs"_s);
        addBad("agent activeCalls fractional", editJson(Snapshot, u"agents[0].activeCalls"_s, 1.5),
               JsonProblem::WrongType, u"agents[0].activeCalls"_s);
        addBad("agent callsToday negative", editJson(Snapshot, u"agents[0].callsToday"_s, -3),
               JsonProblem::InvalidValue, u"agents[0].callsToday"_s);
        addBad("agent without devices", editJson(Snapshot, u"agents[1].devices"_s, Remove), JsonProblem::MissingField,
               u"agents[1].devices"_s);
        addBad("agent devices rtt as string", editJson(Snapshot, u"agents[0].devices.networkRttMs"_s, u"20"_s),
               JsonProblem::WrongType, u"agents[0].devices.networkRttMs"_s);
        addBad("agent readiness score negative", editJson(Snapshot, u"agents[0].readiness.score"_s, -1),
               JsonProblem::InvalidValue, u"agents[0].readiness.score"_s);
        addBad("agent queues as string", editJson(Snapshot, u"agents[0].queues"_s, u"support"_s),
               JsonProblem::WrongType, u"agents[0].queues"_s);
        addBad("agent queue name as number", editJson(Snapshot, u"agents[0].queues[1]"_s, 7), JsonProblem::WrongType,
               u"agents[0].queues[1]"_s);
        addBad("snapshot without stats", editJson(Snapshot, u"stats"_s, Remove), JsonProblem::MissingField, u"stats"_s);
        addBad("snapshot stats as array", editJson(Snapshot, u"stats"_s, QJsonArray()), JsonProblem::WrongType,
               u"stats"_s);
        addBad("snapshot serverTimeMs fractional", editJson(Snapshot, u"serverTimeMs"_s, 1.25), JsonProblem::WrongType,
               u"serverTimeMs"_s);
        const QJsonObject secondPage = toJson(SupervisorSnapshot {{bareAgentView()}, {}, 1, 2, 3});
        addBad("snapshot page 0", editJson(Snapshot, u"page"_s, 0), JsonProblem::InvalidValue, u"page"_s);
        addBad("snapshot page after the last", editJson(secondPage, u"page"_s, 4), JsonProblem::InvalidValue,
               u"page"_s);
        addBad("snapshot pages 0", editJson(Snapshot, u"pages"_s, 0), JsonProblem::InvalidValue, u"pages"_s);
        addBad("snapshot page as string", editJson(secondPage, u"page"_s, u"2"_s), JsonProblem::WrongType, u"page"_s);
        addBad("snapshot pages fractional", editJson(secondPage, u"pages"_s, 2.5), JsonProblem::WrongType, u"pages"_s);
        addBad("snapshot page 1 of 3 without stats",
               editJson(object(editJson(secondPage, u"page"_s, 1)), u"stats"_s, Remove), JsonProblem::MissingField,
               u"stats"_s);
        addBad("snapshot later page stats as array", editJson(secondPage, u"stats"_s, QJsonArray()),
               JsonProblem::WrongType, u"stats"_s);
        addBad("agentsRemoved id empty", R"({"type":"agentsRemoved","agentIds":["a1",""]})", JsonProblem::InvalidValue,
               u"agentIds[1]"_s);
        addBad("agentsRemoved ids missing", R"({"type":"agentsRemoved"})", JsonProblem::MissingField, u"agentIds"_s);
        addBad("welcome without role", R"({"type":"welcome","userId":"u1","serverTimeMs":1})",
               JsonProblem::MissingField, u"role"_s);
        addBad("stats serverTimeMs as string", R"({"type":"stats","stats":{},"serverTimeMs":"1"})",
               JsonProblem::WrongType, u"serverTimeMs"_s);
        addBad("agentsChanged agent displayName too long",
               editJson(toJson(SupervisorAgentsChanged {{bareAgentView()}, 1}), u"agents[0].displayName"_s,
                        letters(MaxNameLength + 1)),
               JsonProblem::InvalidValue, u"agents[0].displayName"_s);
    }
    void badServerInput()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        QFETCH(QString, field);
        verifyProblem(parseSupervisorServerMessage(raw), code, field);
    }
};

QTEST_APPLESS_MAIN(TestProtocolSupervisor)
#include "tst_protocol_supervisor.moc"
