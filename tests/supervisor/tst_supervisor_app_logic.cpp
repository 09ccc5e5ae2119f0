// The supervisor dashboard's logic without widgets: reading /ws/supervisor messages (oversized ones
// and the queues message included), reading the HTTP answers, header figures and the routing summary,
// readiness reasons at the dashboard's time, the connectivity issue log, the readiness histogram, the chart history
// window, reconnect backoff and the server clock.

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include "SupervisorAppTestData.h"
#include "client/ReconnectBackoff.h"
#include "connection/IncomingMessage.h"
#include "connection/ServerClock.h"
#include "connection/SupervisorApi.h"
#include "connection/SupervisorConnection.h"
#include "models/ChartHistory.h"
#include "models/ConnectivityIssueLog.h"
#include "models/DashboardFigures.h"
#include "models/ReadinessText.h"
#include "readiness/ReadinessConfig.h"
#include "readiness/ReadinessScorer.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

/// A snapshot of `count` agents as the server serializes it.
QByteArray snapshotOf(int count)
{
    SupervisorSnapshot snapshot;
    snapshot.serverTimeMs = ManualClock::DefaultStartMs;
    snapshot.stats = QJsonObject {{u"agents"_s, count}};
    for (int i = 0; i < count; ++i)
        snapshot.agents.append(agentFromSpec(u"agent%1 available idle %2 support,sales"_s.arg(i).arg(i % 101)));
    return serialize(SupervisorServerMessage {snapshot});
}

const QByteArray QueuesMessage = R"({"type":"queues","v":1,"serverTimeMs":1767225600000,
  "queues":[{"name":"support","agentsReady":3,"longestWaitSeconds":95,"averageWaitSeconds":41.5,
             "servedToday":14,"abandonedToday":2,"timedOutToday":0,"rejectedToday":0,
             "serviceLevelPercent":87.5,"serviceLevelSeconds":20,
             "waiting":[{"callSid":"CA1","from":"+15550100","waitSeconds":95,"position":1,"beingConnected":false},
                        {"callSid":"CA2","from":"+15550101","waitSeconds":12,"position":2,"beingConnected":true}]},
            {"name":"sales","agentsReady":0,"longestWaitSeconds":0,"averageWaitSeconds":0,
             "servedToday":0,"abandonedToday":0,"timedOutToday":0,"rejectedToday":0,
             "serviceLevelPercent":100,"serviceLevelSeconds":20,"waiting":[]}]})";

} // namespace

class TestSupervisorAppLogic final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smallMessagesUseTheProtocolParser()
    {
        const QByteArray raw = snapshotOf(3);
        QVERIFY(raw.size() < MaxMessageBytes);
        const auto message = readIncomingMessage(raw);
        QVERIFY(message);
        const auto &server = std::get<SupervisorServerMessage>(message.value());
        const auto &snapshot = std::get<SupervisorSnapshot>(server);
        QCOMPARE(snapshot, std::get<SupervisorSnapshot>(parseSupervisorServerMessage(raw).value()));
        QCOMPARE(snapshot.agents.size(), 3);
    }

    void oversizedAgentMessagesAreRead()
    {
        // 2,000 agents: far beyond the protocol's 64 KiB, as the server really sends them.
        const QByteArray raw = snapshotOf(2000);
        QVERIFY(raw.size() > 1'000'000);
        const auto message = readIncomingMessage(raw);
        QVERIFY2(message, qPrintable(message ? QString() : message.error().message));
        const auto &snapshot = std::get<SupervisorSnapshot>(std::get<SupervisorServerMessage>(message.value()));
        QCOMPARE(snapshot.agents.size(), 2000);
        QCOMPARE(snapshot.agents.at(1234), agentFromSpec(u"agent1234 available idle 22 support,sales"_s));
        QCOMPARE(snapshot.stats.value(u"agents"_s).toInt(), 2000);
        QCOMPARE(snapshot.serverTimeMs, ManualClock::DefaultStartMs);

        SupervisorAgentsChanged changed {agentsFromSpecs(QStringList(800, u"x away idle 0"_s)), 42};
        const auto changedMessage = readIncomingMessage(serialize(SupervisorServerMessage {changed}));
        QVERIFY(changedMessage);
        QCOMPARE(std::get<SupervisorAgentsChanged>(std::get<SupervisorServerMessage>(changedMessage.value())), changed);
    }

    void queuesMessageIsRead()
    {
        const auto message = readIncomingMessage(QueuesMessage);
        QVERIFY2(message, qPrintable(message ? QString() : message.error().message));
        const auto &update = std::get<QueuesUpdate>(message.value());
        QCOMPARE(update.serverTimeMs, ManualClock::DefaultStartMs);
        QCOMPARE(update.queues.size(), 2);
        const QueueStatus &support = update.queues.first();
        QCOMPARE(support.name, u"support"_s);
        QCOMPARE(support.agentsReady, 3);
        QCOMPARE(support.longestWaitSeconds, 95);
        QCOMPARE(support.averageWaitSeconds, 41.5);
        QCOMPARE(support.abandonedToday, 2);
        QCOMPARE(support.serviceLevelPercent, std::optional<double>(87.5));
        QCOMPARE(support.waiting,
                 (QList<WaitingCaller> {{u"CA1"_s, u"+15550100"_s, 95, 1}, {u"CA2"_s, u"+15550101"_s, 12, 2}}));
        QCOMPARE(update.queues.at(1).serviceLevelPercent, std::nullopt);
    }

    void unreadableMessages_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::newRow("not JSON") << QByteArray("snapshot") << u"malformed_json"_s << QString();
        QTest::newRow("unknown type") << QByteArray(R"({"type":"bogus"})") << u"unknown_type"_s << u"type"_s;
        QTest::newRow("version 2") << QByteArray(R"({"type":"stats","v":2,"stats":{},"serverTimeMs":1})")
                                   << u"unsupported_version"_s << u"v"_s;
        QTest::newRow("queues: wait as text") << QByteArray(
            R"({"type":"queues","serverTimeMs":1,"queues":[{"name":"q","agentsReady":0,"longestWaitSeconds":0,"averageWaitSeconds":0,"servedToday":0,"abandonedToday":0,"timedOutToday":0,"rejectedToday":0,"serviceLevelPercent":100,"serviceLevelSeconds":20,
                "waiting":[{"callSid":"CA1","from":"x","waitSeconds":"95","position":1,"beingConnected":false}]}]})")
                                              << u"wrong_type"_s << u"queues[0].waiting[0].waitSeconds"_s;
        QTest::newRow("queues: service level over 100")
            << QByteArray(R"({"type":"queues","serverTimeMs":1,"queues":[{"name":"q","agentsReady":0,
                "longestWaitSeconds":0,"averageWaitSeconds":0,"servedToday":0,"abandonedToday":0,"timedOutToday":0,
                "rejectedToday":0,"serviceLevelPercent":101,"serviceLevelSeconds":20,"waiting":[]}]})")
            << u"invalid_value"_s << u"queues[0].serviceLevelPercent"_s;
        QTest::newRow("queues: position 0") << QByteArray(
            R"({"type":"queues","serverTimeMs":1,"queues":[{"name":"q","agentsReady":0,"longestWaitSeconds":0,"averageWaitSeconds":0,"servedToday":0,"abandonedToday":0,"timedOutToday":0,"rejectedToday":0,"serviceLevelPercent":100,"serviceLevelSeconds":20,
                "waiting":[{"callSid":"CA1","from":"x","waitSeconds":1,"position":0,"beingConnected":false}]}]})")
                                            << u"invalid_value"_s << u"queues[0].waiting[0].position"_s;
        QTest::newRow("queues: no list") << QByteArray(R"({"type":"queues","serverTimeMs":1})") << u"missing_field"_s
                                         << u"queues"_s;
        QJsonObject snapshot = QJsonDocument::fromJson(snapshotOf(300)).object();
        QJsonArray agents = snapshot.value(u"agents"_s).toArray();
        QJsonObject agent250 = agents.at(250).toObject();
        agent250.insert(u"status"_s, u"busy"_s);
        agents.replace(250, agent250);
        snapshot.insert(u"agents"_s, agents);
        const QByteArray badAgent = QJsonDocument(snapshot).toJson(QJsonDocument::Compact);
        QTest::newRow("oversized snapshot with a bad agent")
            << badAgent << u"invalid_value"_s << u"agents[250].status"_s;
        // Built without raw strings: moc (Qt 6.4) loses its way in this one.
        const QByteArray bigUnknown = "{\"type\":\"bogus\",\"padding\":\"" + QByteArray(70'000, 'x') + "\"}";
        QTest::newRow("oversized unknown type") << bigUnknown << u"unknown_type"_s << u"type"_s;
    }
    void unreadableMessages()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const auto message = readIncomingMessage(raw);
        QVERIFY(!message);
        QCOMPARE(message.error().code, code);
        QCOMPARE(message.error().field, field);
    }

    void loginReply_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code"); // empty: read
        QTest::addColumn<QString>("field");
        QTest::newRow("good") << QByteArray(
            R"({"token":"tok","role":"supervisor","expiresAt":"2026-01-01T12:00:00.000Z"})")
                              << QString() << QString();
        QTest::newRow("no token") << QByteArray(R"({"role":"supervisor","expiresAt":"2026-01-01T12:00:00.000Z"})")
                                  << u"missing_field"_s << u"token"_s;
        QTest::newRow("bad expiry") << QByteArray(R"({"token":"t","role":"admin","expiresAt":"tomorrow"})")
                                    << u"invalid_value"_s << u"expiresAt"_s;
        QTest::newRow("not JSON") << QByteArray("<html>") << u"malformed_json"_s << QString();
    }
    void loginReply()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const auto reply = parseLoginReply(body);
        if (code.isEmpty()) {
            QVERIFY(reply);
            QCOMPARE(reply.value(), (LoginReply {"tok", u"supervisor"_s, ManualClock::DefaultStartMs + 12 * 3600'000}));
            return;
        }
        QVERIFY(!reply);
        QCOMPARE(reply.error().code, code);
        QCOMPARE(reply.error().field, field);
    }

    void connectivityIssues()
    {
        const auto issues = parseConnectivityIssues(
            R"({"issues":[{"id":4,"agentId":"alice","kind":"high_rtt","openedAt":"2026-01-01T00:00:40.000Z",
                "closedAt":null,"detail":"round trip 700 ms"},
               {"id":3,"agentId":"alice","kind":"device_disconnected","openedAt":"2026-01-01T00:00:30.000Z",
                "closedAt":"2026-01-01T00:01:00.000Z","detail":"device not connected"}]})");
        QVERIFY(issues);
        QCOMPARE(issues.value(),
                 (QList<ConnectivityIssueView> {{4, u"alice"_s, u"high_rtt"_s, ManualClock::DefaultStartMs + 40'000,
                                                 std::nullopt, u"round trip 700 ms"_s},
                                                {3, u"alice"_s, u"device_disconnected"_s,
                                                 ManualClock::DefaultStartMs + 30'000,
                                                 ManualClock::DefaultStartMs + 60'000, u"device not connected"_s}}));
        const auto bad = parseConnectivityIssues(
            R"({"issues":[{"id":4,"agentId":"a","kind":"k","openedAt":"noon","closedAt":null,"detail":""}]})");
        QVERIFY(!bad);
        QCOMPARE(bad.error().field, u"issues[0].openedAt"_s);
    }

    void routingDecisions()
    {
        const auto decisions = parseRoutingDecisions(
            R"({"decisions":[{"callSid":"CA1","queue":"default","attempt":2,"path":"enhanced","chosenAgentId":"alice",
                "durationUs":41,"decidedAt":"2026-01-01T00:00:05.000Z",
                "candidates":[{"agentId":"bob","score":40,"ready":false,"reasons":["no audio input device"],
                               "failedGates":[]},
                              {"agentId":"alice","score":100,"ready":true,"reasons":[],"failedGates":[]}]},
               {"callSid":"CA2","queue":"sales","attempt":1,"path":"queued","chosenAgentId":null,"durationUs":9,
                "decidedAt":"2026-01-01T00:00:06.000Z","candidates":[]}]})");
        QVERIFY(decisions);
        QCOMPARE(decisions->size(), 2);
        QCOMPARE(
            decisions->at(0),
            (RoutingDecisionView {u"CA1"_s,
                                  u"default"_s,
                                  2,
                                  u"enhanced"_s,
                                  u"alice"_s,
                                  41,
                                  ManualClock::DefaultStartMs + 5000,
                                  {{u"bob"_s, 40, false, {u"no audio input device"_s}}, {u"alice"_s, 100, true, {}}}}));
        QCOMPARE(decisions->at(1).chosenAgentId, QString());
        QCOMPARE(decisions->at(1).path, u"queued"_s);
    }

    void errorBodies_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::newRow("server error body")
            << 400 << QByteArray(R"({"error":{"code":"invalid_value","message":"bad","field":"limit"}})")
            << u"invalid_value"_s << u"limit"_s;
        QTest::newRow("no body") << 502 << QByteArray() << u"http_502"_s << QString();
    }
    void errorBodies()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const Problem problem = problemFromErrorBody(status, body);
        QCOMPARE(problem.code, code);
        QCOMPARE(problem.field, field);
    }

    void routesStayUnderTheServersPath()
    {
        // A server behind a proxy at https://office.example/heartline: every route, and the live
        // socket, stay under /heartline.
        SupervisorApi api;
        api.setBaseUrl(QUrl(u"https://office.example/heartline/"_s));
        QCOMPARE(api.supervisorSocketUrl(), QUrl(u"wss://office.example/heartline/ws/supervisor"_s));
        api.setBaseUrl(QUrl(u"http://127.0.0.1:8080"_s));
        QCOMPARE(api.supervisorSocketUrl(), QUrl(u"ws://127.0.0.1:8080/ws/supervisor"_s));
    }

    void figuresCountTheTablesAgents()
    {
        // a4 is logged out with a score of 90 left from its last session: it counts as offline only.
        const QList<AgentView> agents
            = agentsFromSpecs({u"a1 available idle 90"_s, u"a2 away:lunch idle 80"_s, u"a3 available on-call 95"_s,
                               u"a4 - disconnected 90"_s, u"a5 available idle 40"_s});
        const QJsonObject stats = QJsonDocument::fromJson(R"({"agents": 99, "ready": 42, "averageReadinessScore": 12.5,
            "heartbeatProcessing": {"count": 1200, "p50Ms": 0.21, "p99Ms": 1.4}})")
                                      .object();
        RoutingSummary routing;
        routing.enhanced = 6;
        routing.legacy = 1;
        routing.fallback = 1;
        routing.queued = 2;
        const DashboardFigures figures = DashboardFigures::from(&agents, stats, routing);
        QCOMPARE(figures.agents, 5);
        QCOMPARE(figures.loggedIn, 4);
        QCOMPARE(figures.ready, 1);    // a1; a3 is on a call, a2 away, a5 scores too low
        QCOMPARE(figures.notReady, 3); // over logged-in agents: a4 is in neither
        QCOMPARE(figures.onCall, 1);
        QCOMPARE(figures.away, 1);
        QCOMPARE(figures.offline, 1);
        QCOMPARE(figures.deviceConnectedRate, std::optional<double>(1.0));
        QCOMPARE(figures.averageReadiness, std::optional<double>((90 + 80 + 95 + 40) / 4.0)); // not a4's 90
        // Only the server measures how long a heartbeat takes.
        QCOMPARE(figures.heartbeatP50Ms, std::optional<double>(0.21));
        QCOMPARE(figures.heartbeatP99Ms, std::optional<double>(1.4));
        QCOMPARE(figures.routingSuccessRate, std::optional<double>(0.8));
        QCOMPARE(figures.routingDecisions, 10);

        // Nobody logged in: no rates; before the first snapshot no counts at all.
        const QList<AgentView> loggedOut = agentsFromSpecs({u"a4 - disconnected 90"_s});
        const DashboardFigures nobody = DashboardFigures::from(&loggedOut, {}, {});
        QCOMPARE(nobody.ready, 0);
        QCOMPARE(nobody.offline, 1);
        QCOMPARE(nobody.averageReadiness, std::nullopt);
        QCOMPARE(nobody.deviceConnectedRate, std::nullopt);
        const DashboardFigures before = DashboardFigures::from(
            nullptr, QJsonObject {{u"ready"_s, 3}, {u"heartbeatProcessing"_s, QJsonValue::Null}}, {});
        QCOMPARE(before.ready, std::nullopt);
        QCOMPARE(before.agents, std::nullopt);
        QCOMPARE(before.heartbeatP50Ms, std::nullopt);
        QCOMPARE(before.routingSuccessRate, std::nullopt);
    }

    void heartbeatReasonsAreWordedAtTheDashboardsTime_data()
    {
        QTest::addColumn<qint64>("ageAtScoringMs");
        QTest::addColumn<qint64>("ageNowMs");
        QTest::addColumn<QString>("age");
        QTest::addColumn<QString>("expected");
        // Scored by the server's own scorer, shown later: the age is today's, the rest the server's.
        QTest::newRow("points lost") << qint64(40'000) << qint64(43'000) << u"43 s"_s
                                     << u"last heartbeat 43 s ago (limit 75 s)"_s;
        QTest::newRow("gate failed") << qint64(80'000) << qint64(125'000) << u"2 min 05 s"_s
                                     << u"last heartbeat 2 min 05 s ago (limit 75 s)"_s;
    }
    void heartbeatReasonsAreWordedAtTheDashboardsTime()
    {
        QFETCH(qint64, ageAtScoringMs);
        QFETCH(qint64, ageNowMs);
        QFETCH(QString, age);
        QFETCH(QString, expected);
        const qint64 heartbeatMs = ManualClock::DefaultStartMs;
        AgentSnapshot snapshot;
        snapshot.sessionActive = true;
        snapshot.status = AgentStatus::Available;
        snapshot.connection = ConnectionKind::WebSocket;
        snapshot.lastHeartbeatMs = heartbeatMs;
        AgentView agent = agentFromSpec(u"a1 available idle 0"_s);
        agent.lastHeartbeatMs = heartbeatMs;
        agent.readiness = scoreReadiness(snapshot, ReadinessConfig {}, heartbeatMs + ageAtScoringMs);
        const QStringList reasons = ReadinessText::reasons(agent, heartbeatMs + ageNowMs);
        QVERIFY2(reasons.contains(expected), qPrintable(reasons.join(u" | "_s)));
        QCOMPARE(ReadinessText::heartbeatAge(agent, heartbeatMs + ageNowMs), age);
        // Reasons that hold no age are the server's, unchanged.
        for (const ReadinessFactor &factor : std::as_const(agent.readiness.factors)) {
            if (factor.name != u"heartbeat"_s)
                QCOMPARE(ReadinessText::factorReason(factor, agent, heartbeatMs + ageNowMs), factor.reason);
        }
    }

    void issueLogMergesHistoryAndPushes()
    {
        const qint64 t = ManualClock::DefaultStartMs;
        const ConnectivityIssueView headsetOpen {7, u"a1"_s, u"headset_unplugged"_s, t, std::nullopt, u"no mic"_s};
        ConnectivityIssueView headsetClosed = headsetOpen;
        headsetClosed.closedAtMs = t + 30'000;
        const ConnectivityIssueView older {3, u"a1"_s, u"high_rtt"_s, t - 60'000, t - 50'000, u"700 ms"_s};
        const ConnectivityIssueView otherAgent {8, u"a2"_s, u"stale_heartbeat"_s, t + 1000, std::nullopt, {}};

        ConnectivityIssueLog log;
        QSignalSpy changed(&log, &ConnectivityIssueLog::changed);
        // The push of the close arrives before the history that was read while the issue was open.
        log.merge({headsetClosed, otherAgent});
        QCOMPARE(changed.count(), 2);
        log.merge({headsetOpen, older});
        QCOMPARE(log.issues(u"a1"_s), (QList<ConnectivityIssueView> {headsetClosed, older})); // still closed
        QCOMPARE(log.issues(u"a2"_s), QList<ConnectivityIssueView> {otherAgent});
        changed.clear();
        log.merge({headsetClosed}); // nothing new
        QCOMPARE(changed.count(), 0);

        // The newest PerAgentLimit are kept.
        QList<ConnectivityIssueView> many;
        for (int i = 0; i < ConnectivityIssueLog::PerAgentLimit + 5; ++i)
            many.append({100 + i, u"a3"_s, u"high_rtt"_s, t + i * 1000, std::nullopt, {}});
        log.merge(many);
        const QList<ConnectivityIssueView> kept = log.issues(u"a3"_s);
        QCOMPARE(kept.size(), ConnectivityIssueLog::PerAgentLimit);
        QCOMPARE(kept.first().id, 100 + ConnectivityIssueLog::PerAgentLimit + 4);
        QCOMPARE(kept.last().id, 105);

        QSignalSpy cleared(&log, &ConnectivityIssueLog::cleared);
        log.clear();
        QCOMPARE(cleared.count(), 1);
        QVERIFY(log.issues(u"a1"_s).isEmpty());
    }

    void routingSummary()
    {
        QList<RoutingDecisionView> decisions;
        for (const QString &path :
             {u"enhanced"_s, u"enhanced"_s, u"fallback"_s, u"legacy"_s, u"queued"_s, u"none"_s, u"enhanced"_s})
            decisions.append(RoutingDecisionView {u"CA"_s, u"default"_s, 1, path, {}, 0, 0, {}});
        const RoutingSummary summary = RoutingSummary::from(decisions);
        QCOMPARE(summary, (RoutingSummary {3, 1, 1, 1, 1}));
        QCOMPARE(summary.successRate(), std::optional<double>(5.0 / 7.0));
        QCOMPARE(RoutingSummary {}.successRate(), std::nullopt);
    }

    void histogram()
    {
        QList<AgentView> agents = agentsFromSpecs(
            {u"a available idle 0"_s, u"b available idle 9"_s, u"c available idle 10"_s, u"d away idle 69"_s,
             u"e available idle 70"_s, u"f available idle 100"_s, u"g available idle 95"_s, u"h - disconnected 50"_s});
        const std::array<int, 10> expected {2, 1, 0, 0, 0, 0, 1, 1, 0, 2};
        QCOMPARE(readinessHistogram(agents), expected);
    }

    void chartHistoryKeepsTheLastHour()
    {
        ChartHistory history;
        const qint64 start = ManualClock::DefaultStartMs;
        QVERIFY(history.due(start));
        for (int i = 0; i < 400; ++i)
            history.add(ChartSample {start + i * ChartHistory::SampleIntervalMs, i, 0});
        // 400 samples 10 s apart: the newest and the 360 before it are within the hour.
        QCOMPARE(history.samples().size(), size_t(361));
        QCOMPARE(history.samples().front().readyAgents, 39);
        QCOMPARE(history.samples().back().readyAgents, 399);
        const qint64 last = history.samples().back().atMs;
        QVERIFY(!history.due(last + 9999));
        QVERIFY(history.due(last + 10'000));
        history.add(ChartSample {last - 1, 7, 7}); // the clock went back: ignored
        QCOMPARE(history.samples().back().readyAgents, 399);
    }

    void backoffOfTheDashboard()
    {
        // The apps' shared ReconnectBackoff (tested in full in tst_agent_backoff), as the dashboard
        // sets it: 1 s doubling to a 30 s cap, and a draw of 0.5 is no jitter.
        ReconnectBackoff backoff(SupervisorConnection::Options {}.backoff, [] { return 0.5; });
        QList<int> got;
        for (int i = 0; i < 8; ++i)
            got.append(backoff.nextDelayMs());
        QCOMPARE(got, (QList<int> {1000, 2000, 4000, 8000, 16'000, 30'000, 30'000, 30'000}));
        backoff.reset();
        QCOMPARE(backoff.nextDelayMs(), 1000);
    }

    void serverClockFollowsTheServer()
    {
        ManualClock local(1'000'000);
        ServerClock server(local);
        QCOMPARE(server.nowMs(), 1'000'000);
        server.sync(400'000); // this desk is 600 s ahead
        QCOMPARE(server.nowMs(), 400'000);
        local.advanceSeconds(5);
        QCOMPARE(server.nowMs(), 405'000);
        QCOMPARE(server.offsetMs(), -600'000);
    }
};

QTEST_APPLESS_MAIN(TestSupervisorAppLogic)
#include "tst_supervisor_app_logic.moc"
