// /ws/agent as an agent app uses it: authentication both ways, heartbeats answered with readiness,
// status choices made durable, status changes pushed by the server, and liveness three ways
// (socket closed, pings unanswered, reconnect within the grace period). Between heartbeats the server
// pushes the agent's own view (readiness) when a call rings, is answered or ends there.

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "WebSocketTestClient.h"
#include "agents/AgentService.h"
#include "realtime/AgentSocketServer.h"
#include "users/UserStore.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int PingIntervalSeconds = 5;
const QString CallSid = u"CA0123456789abcdef0123456789abcdef"_s;

QJsonObject heartbeat(const QString &status, bool deviceConnected = true, qint64 seq = -1)
{
    QJsonObject message {
        {u"type"_s, u"heartbeat"_s}, {u"currentStatus"_s, status}, {u"deviceConnected"_s, deviceConnected}};
    if (seq >= 0)
        message.insert(u"seq"_s, seq);
    return message;
}

/// The first failed gate of a message's readiness ("reserved", "at_capacity"), or empty.
QString firstFailedGate(const QJsonObject &message)
{
    const QJsonArray gates = message.value(u"readiness"_s).toObject().value(u"failedGates"_s).toArray();
    return gates.isEmpty() ? QString() : gates.first().toObject().value(u"gate"_s).toString();
}

} // namespace

class TestAgentSocket final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<InProcessServer> m_fixture;

    QByteArray login(const QString &userId, const QString &password)
    {
        HttpTestClient http(m_fixture->baseUrl());
        const HttpReply reply
            = http.postJson(u"/api/auth/login"_s, QJsonObject {{u"userId"_s, userId}, {u"password"_s, password}});
        return reply.json().value(u"token"_s).toString().toLatin1();
    }

    AgentService &agents() { return *m_fixture->server().agents(); }
    const AgentRecord &alice() { return *agents().agent(u"alice"_s); }

    /// Connects alice with a bearer token and takes the welcome.
    void connectAlice(WebSocketTestClient &client, QJsonObject *welcome = nullptr)
    {
        QVERIFY(client.open(m_fixture->baseUrl(), u"/ws/agent"_s, login(u"alice"_s, u"alice-password"_s)));
        const QJsonObject first = client.next();
        QCOMPARE(first.value(u"type"_s).toString(), u"welcome"_s);
        if (welcome)
            *welcome = first;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<InProcessServer>();
        QVERIFY2(m_fixture->start(
                     {{u"WS_PING_INTERVAL"_s, QString::number(PingIntervalSeconds)}, {u"RECONNECT_GRACE"_s, u"30"_s}}),
                 qPrintable(m_fixture->error()));
        UserStore &users = *m_fixture->server().users();
        QVERIFY(users.add(u"alice"_s, u"Alice Agent"_s, Role::Agent, u"alice-password"_s));
        QVERIFY(users.add(u"sam"_s, u"Sam Supervisor"_s, Role::Supervisor, u"sam-password"_s));
    }
    void cleanup() { m_fixture.reset(); }

    void helloWithTokenGetsWelcome()
    {
        WebSocketTestClient client;
        QVERIFY(client.open(m_fixture->baseUrl(), u"/ws/agent"_s));
        client.sendJson(
            {{u"type"_s, u"hello"_s}, {u"token"_s, QString::fromLatin1(login(u"alice"_s, u"alice-password"_s))}});
        const QJsonObject welcome = client.next();
        QCOMPARE(welcome.value(u"type"_s).toString(), u"welcome"_s);
        QCOMPARE(welcome.value(u"agentId"_s).toString(), u"alice"_s);
        QCOMPARE(welcome.value(u"displayName"_s).toString(), u"Alice Agent"_s);
        QCOMPARE(welcome.value(u"heartbeatIntervalSeconds"_s).toInt(), 30);
        QCOMPARE(welcome.value(u"pingIntervalSeconds"_s).toInt(), PingIntervalSeconds);
        QCOMPARE(welcome.value(u"resumed"_s).toBool(), false);
        // The desk's times (defaults), and how widely to spread a return after a drop: one app here.
        QCOMPARE(welcome.value(u"idlePromptSeconds"_s).toInt(), 60);
        QCOMPARE(welcome.value(u"idleGraceSeconds"_s).toInt(), 30);
        QCOMPARE(welcome.value(u"inputQuietSeconds"_s).toInt(), 30);
        QCOMPARE(welcome.value(u"reconnectSpreadMs"_s).toInt(), 100);
        QCOMPARE(toString(alice().snapshot.connection), toString(ConnectionKind::WebSocket));
    }

    void theReconnectSpreadGrowsWithTheFloor_data()
    {
        QTest::addColumn<qsizetype>("apps");
        QTest::addColumn<int>("spreadMs");
        // About 5,000 apps a second come back after a restart, never narrower than 100 ms.
        QTest::newRow("none") << qsizetype(0) << 100;
        QTest::newRow("a small office") << qsizetype(40) << 100;
        QTest::newRow("1,000 agents") << qsizetype(1000) << 200;
        QTest::newRow("10,000 agents") << qsizetype(10'000) << 2000;
        QTest::newRow("beyond any floor: capped") << qsizetype(100'000'000) << 600'000;
    }
    void theReconnectSpreadGrowsWithTheFloor()
    {
        QFETCH(qsizetype, apps);
        QFETCH(int, spreadMs);
        QCOMPARE(AgentSocketServer::reconnectSpreadMs(apps), spreadMs);
    }

    void bearerOnUpgradeGetsWelcomeFirst()
    {
        WebSocketTestClient client;
        QJsonObject welcome;
        connectAlice(client, &welcome);
        QCOMPARE(welcome.value(u"agentId"_s).toString(), u"alice"_s);
        QCOMPARE(welcome.value(u"v"_s).toInt(), 1);
    }

    void heartbeatIsAnsweredWithReadiness()
    {
        WebSocketTestClient client;
        connectAlice(client);
        client.sendJson(heartbeat(u"available"_s, true, 7));
        const QJsonObject ack = client.nextOfType(u"ack"_s);
        QCOMPARE(ack.value(u"seq"_s).toInt(), 7);
        QCOMPARE(ack.value(u"status"_s).toString(), u"available"_s);
        QCOMPARE(ack.value(u"activity"_s).toString(), u"idle"_s);
        const QJsonObject readiness = ack.value(u"readiness"_s).toObject();
        QCOMPARE(readiness.value(u"ready"_s).toBool(), true);
        QCOMPARE(readiness.value(u"score"_s).toInt(), 100);

        // Status changes from heartbeats are durable before the ack.
        TableReader tables(m_fixture->databasePath());
        QCOMPARE(tables.scalar(u"SELECT status FROM agent_sessions WHERE agent_id = 'alice' AND logout_at IS NULL"_s)
                     .toString(),
                 u"available"_s);
    }

    void setStatusIsDurableAndAudited()
    {
        WebSocketTestClient client;
        connectAlice(client);
        client.sendJson(heartbeat(u"available"_s));
        client.nextOfType(u"ack"_s);
        client.sendJson({{u"type"_s, u"setStatus"_s}, {u"status"_s, u"away"_s}, {u"reason"_s, u"lunch"_s}});
        const QJsonObject ack = client.nextOfType(u"ack"_s);
        QCOMPARE(ack.value(u"status"_s).toString(), u"away"_s);
        QCOMPARE(ack.value(u"readiness"_s).toObject().value(u"ready"_s).toBool(), false);
        QVERIFY(
            ack.value(u"readiness"_s).toObject().value(u"reasons"_s).toArray().contains(u"status is away (lunch)"_s));

        TableReader tables(m_fixture->databasePath());
        QCOMPARE(tables.scalar(u"SELECT status || '/' || away_reason FROM agent_sessions WHERE agent_id = 'alice'"_s)
                     .toString(),
                 u"away/lunch"_s);
        QCOMPARE(tables
                     .scalar(u"SELECT changed_by || ':' || from_status || '->' || to_status FROM "
                             "agent_status_changes WHERE agent_id = 'alice' ORDER BY id DESC LIMIT 1"_s)
                     .toString(),
                 u"agent:available->away"_s);
    }

    void deviceChangeShowsInReadiness()
    {
        WebSocketTestClient client;
        connectAlice(client);
        client.sendJson(heartbeat(u"available"_s));
        client.nextOfType(u"ack"_s);
        client.sendJson({{u"type"_s, u"deviceState"_s},
                         {u"devices"_s, QJsonObject {{u"audioInput"_s, false}, {u"audioOutput"_s, true}}}});
        const QJsonObject readiness = client.nextOfType(u"ack"_s).value(u"readiness"_s).toObject();
        QCOMPARE(readiness.value(u"score"_s).toInt(), 85);
        QVERIFY(readiness.value(u"reasons"_s).toArray().contains(u"headset or microphone not found"_s));
        QCOMPARE(alice().snapshot.devices.audioInput, std::optional<bool>(false));
    }

    void closingTheSocketDisconnectsAtOnce()
    {
        WebSocketTestClient client;
        connectAlice(client);
        client.sendJson(heartbeat(u"available"_s));
        client.nextOfType(u"ack"_s);
        QVERIFY(alice().readiness.ready);

        QSignalSpy lost(m_fixture->server().agentSockets(), &AgentSocketServer::agentDisconnected);
        client.close();
        QVERIFY(lost.wait(1000)); // the requirement: disconnected in under a second
        QCOMPARE(toString(alice().activity), toString(AgentActivity::Disconnected));
        QVERIFY(!alice().readiness.ready);
        QCOMPARE(alice().readiness.failedGates.first().gate, u"disconnected"_s);
    }

    void silentClientIsFoundWithinTwoPingIntervals()
    {
        SilentWebSocketClient silent;
        QVERIFY(silent.open(m_fixture->baseUrl(), u"/ws/agent"_s, login(u"alice"_s, u"alice-password"_s)));
        silent.sendText(R"({"type":"heartbeat","currentStatus":"available","deviceConnected":true})");
        QTRY_COMPARE(toString(alice().snapshot.status), toString(AgentStatus::Available));
        QCOMPARE(toString(alice().activity), toString(AgentActivity::Idle));

        AgentSocketServer &sockets = *m_fixture->server().agentSockets();
        // Walk the clock in quarter intervals, as the liveness timer does; pings go unanswered.
        const qint64 lastFrame = m_fixture->clock().nowMs();
        while (m_fixture->clock().nowMs() - lastFrame < 2 * PingIntervalSeconds * 1000
               && sockets.isConnected(u"alice"_s)) {
            m_fixture->clock().advanceMs(PingIntervalSeconds * 250);
            sockets.checkLiveness();
        }
        QVERIFY2(!sockets.isConnected(u"alice"_s), "a half-open connection must be found within 2 ping intervals");
        QCOMPARE(toString(alice().activity), toString(AgentActivity::Disconnected));
    }

    void appsConnectedTogetherArePingedInGroups()
    {
        // Apps that connect at the same moment (every app, after a restart) are pinged a group per
        // liveness check: 10,000 pings and their pongs in one event-loop turn would hold every heartbeat.
        UserStore &users = *m_fixture->server().users();
        AgentSocketServer &sockets = *m_fixture->server().agentSockets();
        std::vector<std::unique_ptr<SilentWebSocketClient>> apps;
        for (int i = 0; i < 4; ++i) {
            const QString id = u"spread-%1"_s.arg(i);
            QVERIFY(users.add(id, id, Role::Agent, u"spread-password"_s));
            apps.push_back(std::make_unique<SilentWebSocketClient>());
            QVERIFY(apps.back()->open(m_fixture->baseUrl(), u"/ws/agent"_s, login(id, u"spread-password"_s)));
            QTRY_VERIFY(sockets.isConnected(id));
        }
        const quint64 before = sockets.pingsSent();
        int checksThatPinged = 0;
        for (int check = 0; check < AgentSocketServer::LivenessChecksPerInterval; ++check) {
            m_fixture->clock().advanceMs(PingIntervalSeconds * 1000 / AgentSocketServer::LivenessChecksPerInterval);
            const quint64 sent = sockets.pingsSent();
            sockets.checkLiveness();
            QVERIFY2(sockets.pingsSent() - sent <= 1, "apps that connected together were pinged together");
            checksThatPinged += sockets.pingsSent() > sent ? 1 : 0;
        }
        QCOMPARE(sockets.pingsSent() - before, quint64(4)); // each app once in the interval
        QCOMPARE(checksThatPinged, 4);
    }

    void answeringClientStaysConnected()
    {
        WebSocketTestClient client;
        connectAlice(client);
        AgentSocketServer &sockets = *m_fixture->server().agentSockets();
        for (int i = 0; i < 5; ++i) {
            m_fixture->clock().advanceSeconds(PingIntervalSeconds);
            sockets.checkLiveness(); // sends a ping; the real client answers with a pong
            QTRY_VERIFY(alice().snapshot.wsPingRttMs.has_value());
            const_cast<AgentRecord &>(alice()).snapshot.wsPingRttMs.reset(); // observe the next pong
        }
        QVERIFY(sockets.isConnected(u"alice"_s));
        QCOMPARE(toString(alice().snapshot.connection), toString(ConnectionKind::WebSocket));
    }

    void reconnectWithinGraceResumes()
    {
        {
            WebSocketTestClient first;
            connectAlice(first);
            first.sendJson(heartbeat(u"available"_s));
            first.nextOfType(u"ack"_s);
            QSignalSpy lost(m_fixture->server().agentSockets(), &AgentSocketServer::agentDisconnected);
            first.close();
            QVERIFY(lost.wait(5000));
        }
        m_fixture->clock().advanceSeconds(20);
        agents().runDueWork();
        QCOMPARE(toString(alice().snapshot.status), toString(AgentStatus::Available)); // kept through the grace period

        WebSocketTestClient second;
        QJsonObject welcome;
        connectAlice(second, &welcome);
        QCOMPARE(welcome.value(u"resumed"_s).toBool(), true);
        QCOMPARE(welcome.value(u"status"_s).toString(), u"available"_s);
    }

    void afterTheGracePeriodTheAgentIsOffline()
    {
        WebSocketTestClient client;
        connectAlice(client);
        client.sendJson(heartbeat(u"available"_s));
        client.nextOfType(u"ack"_s);
        QSignalSpy lost(m_fixture->server().agentSockets(), &AgentSocketServer::agentDisconnected);
        client.close();
        QVERIFY(lost.wait(5000));

        m_fixture->clock().advanceSeconds(31);
        const QList<StatusChange> changes = agents().runDueWork();
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().cause, u"disconnected"_s);
        QCOMPARE(toString(alice().snapshot.status), toString(AgentStatus::Offline));

        WebSocketTestClient again;
        QJsonObject welcome;
        connectAlice(again, &welcome);
        QCOMPARE(welcome.value(u"resumed"_s).toBool(), false);
        QCOMPARE(welcome.value(u"status"_s).toString(), u"offline"_s);
    }

    void secondLoginReplacesTheFirst()
    {
        WebSocketTestClient first;
        connectAlice(first);
        WebSocketTestClient second;
        connectAlice(second);
        const QJsonObject replaced = first.nextOfType(u"sessionReplaced"_s);
        QVERIFY(!replaced.value(u"message"_s).toString().isEmpty());
        QVERIFY(first.waitForDisconnected());
        QVERIFY(second.isConnected());
        QCOMPARE(toString(alice().snapshot.connection),
                 toString(ConnectionKind::WebSocket)); // the new socket keeps her connected
        second.sendJson(heartbeat(u"available"_s));
        QCOMPARE(second.nextOfType(u"ack"_s).value(u"status"_s).toString(), u"available"_s);
    }

    void serverImposedStatusIsPushed()
    {
        WebSocketTestClient client;
        connectAlice(client);
        client.sendJson(heartbeat(u"available"_s));
        client.nextOfType(u"ack"_s);
        QVERIFY(agents().setStatus(u"alice"_s, AgentStatus::Away, u"meeting"_s, StatusChangeSource::Supervisor,
                                   u"supervisor"_s));
        const QJsonObject pushed = client.nextOfType(u"statusChanged"_s);
        QCOMPARE(pushed.value(u"status"_s).toString(), u"away"_s);
        QCOMPARE(pushed.value(u"awayReason"_s).toString(), u"meeting"_s);
        QCOMPARE(pushed.value(u"by"_s).toString(), u"supervisor"_s);
        QCOMPARE(pushed.value(u"cause"_s).toString(), u"supervisor"_s);

        // A routine heartbeat does not undo what the supervisor set; an explicit choice does.
        client.sendJson(heartbeat(u"available"_s));
        QCOMPARE(client.nextOfType(u"ack"_s).value(u"status"_s).toString(), u"away"_s);
        client.sendJson({{u"type"_s, u"setStatus"_s}, {u"status"_s, u"available"_s}});
        QCOMPARE(client.nextOfType(u"ack"_s).value(u"status"_s).toString(), u"available"_s);
    }

    void reservingTheAgentPushesReadinessAtOnce()
    {
        WebSocketTestClient client;
        connectAlice(client);
        client.sendJson(heartbeat(u"available"_s));
        QCOMPARE(client.nextOfType(u"ack"_s).value(u"readiness"_s).toObject().value(u"ready"_s).toBool(), true);

        // Routing reserves her: the app hears it now, not with the ack of a heartbeat 30 s away.
        QVERIFY(agents().reserve(u"alice"_s, CallSid));
        const QJsonObject ringing = client.nextOfType(u"readiness"_s);
        QCOMPARE(ringing.value(u"status"_s).toString(), u"available"_s);
        QCOMPARE(ringing.value(u"activity"_s).toString(), u"ringing"_s);
        QVERIFY(!ringing.contains(u"seq"_s)); // a push answers no heartbeat
        QCOMPARE(ringing.value(u"serverTimeMs"_s).toInteger(), m_fixture->clock().nowMs());
        QCOMPARE(ringing.value(u"readiness"_s).toObject().value(u"ready"_s).toBool(), false);
        QCOMPARE(firstFailedGate(ringing), u"reserved"_s);

        // The caller hangs up while it rings: back to idle and ready, pushed as well.
        QVERIFY(!agents().offerUnanswered(u"alice"_s, CallSid, OfferOutcome::Canceled));
        const QJsonObject released = client.nextOfType(u"readiness"_s);
        QCOMPARE(released.value(u"activity"_s).toString(), u"idle"_s);
        QCOMPARE(released.value(u"readiness"_s).toObject().value(u"ready"_s).toBool(), true);
    }

    void aBurstOfChangesIsOnePushWithWhereItEnded()
    {
        WebSocketTestClient client;
        connectAlice(client);
        client.sendJson(heartbeat(u"available"_s));
        client.nextOfType(u"ack"_s);
        const qsizetype before = client.received().size();

        // Reserved and answered in one go, as a status callback can do: the app never sees "ringing".
        QVERIFY(agents().reserve(u"alice"_s, CallSid));
        agents().offerAnswered(u"alice"_s, CallSid);
        agents().revalidate(u"alice"_s);
        const QJsonObject pushed = client.nextOfType(u"readiness"_s);
        QCOMPARE(pushed.value(u"activity"_s).toString(), u"on-call"_s);
        QCOMPARE(firstFailedGate(pushed), u"at_capacity"_s);

        // Heartbeats and pings that change nothing the app shows push nothing: only their acks come.
        client.sendJson(heartbeat(u"available"_s, true, 1));
        QCOMPARE(client.nextOfType(u"ack"_s).value(u"activity"_s).toString(), u"on-call"_s);
        const_cast<AgentRecord &>(alice()).snapshot.wsPingRttMs.reset(); // observe the next pong
        m_fixture->clock().advanceSeconds(PingIntervalSeconds);
        m_fixture->server().agentSockets()->checkLiveness(); // a ping; its pong updates her round trip
        QTRY_VERIFY(alice().snapshot.wsPingRttMs.has_value());
        client.sendJson(heartbeat(u"available"_s, true, 2));
        QCOMPARE(client.nextOfType(u"ack"_s).value(u"seq"_s).toInt(), 2);
        QStringList types;
        for (const QJsonObject &message : client.received().sliced(before))
            types.append(message.value(u"type"_s).toString());
        QCOMPARE(types, (QStringList {u"readiness"_s, u"ack"_s, u"ack"_s}));
    }

    void badMessagesAreAnsweredAndTheSocketStays_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("named"); // a field the error message must name, when given
        QTest::newRow("not json") << u"{nope"_s << u"malformed_json"_s << QString();
        QTest::newRow("array") << u"[1,2]"_s << u"malformed_json"_s << QString();
        QTest::newRow("unknown type") << uR"({"type":"dance"})"_s << u"unknown_type"_s << u"type"_s;
        QTest::newRow("future version")
            << uR"({"type":"heartbeat","v":2,"currentStatus":"available","deviceConnected":true})"_s
            << u"unsupported_version"_s << u"v"_s;
        QTest::newRow("missing status") << uR"({"type":"heartbeat","deviceConnected":true})"_s << u"missing_field"_s
                                        << u"currentStatus"_s;
        QTest::newRow("bad status") << uR"({"type":"setStatus","status":"busy"})"_s << u"invalid_value"_s
                                    << u"status"_s;
        QTest::newRow("wrong type") << uR"({"type":"heartbeat","currentStatus":"available","deviceConnected":"yes"})"_s
                                    << u"wrong_type"_s << u"deviceConnected"_s;
        // Read as the last value, each of these would have made alice available.
        QTest::newRow("status twice") << uR"({"type":"setStatus","status":"away","status":"available"})"_s
                                      << u"duplicate_key"_s << u"status"_s;
        QTest::newRow("currentStatus twice")
            << uR"({"type":"heartbeat","currentStatus":"away","deviceConnected":true,"currentStatus":"available"})"_s
            << u"duplicate_key"_s << u"currentStatus"_s;
        QTest::newRow("type twice")
            << uR"({"type":"hello","currentStatus":"available","deviceConnected":true,"type":"heartbeat"})"_s
            << u"duplicate_key"_s << u"type"_s;
    }
    void badMessagesAreAnsweredAndTheSocketStays()
    {
        QFETCH(QString, text);
        QFETCH(QString, code);
        QFETCH(QString, named);
        WebSocketTestClient client;
        connectAlice(client);
        client.sendJson(heartbeat(u"away"_s));
        client.nextOfType(u"ack"_s);
        client.sendText(text);
        const QJsonObject error = client.nextOfType(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), code);
        QVERIFY2(error.value(u"message"_s).toString().contains(named),
                 qPrintable(error.value(u"message"_s).toString()));
        QVERIFY(client.isConnected());
        QCOMPARE(toString(alice().snapshot.status), toString(AgentStatus::Away)); // nothing changed
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QString>("code");
        QTest::newRow("bad bearer") << u"bearer-bad"_s << u"unauthenticated"_s;
        QTest::newRow("bad hello token") << u"hello-bad"_s << u"unauthenticated"_s;
        QTest::newRow("heartbeat before hello") << u"no-hello"_s << u"unauthenticated"_s;
        QTest::newRow("supervisor token") << u"supervisor"_s << u"forbidden"_s;
    }
    void refusals()
    {
        QFETCH(QString, how);
        QFETCH(QString, code);
        WebSocketTestClient client;
        if (how == u"bearer-bad") {
            QVERIFY(client.open(m_fixture->baseUrl(), u"/ws/agent"_s, "not-a-token"));
        } else if (how == u"supervisor") {
            QVERIFY(client.open(m_fixture->baseUrl(), u"/ws/agent"_s, login(u"sam"_s, u"sam-password"_s)));
        } else {
            QVERIFY(client.open(m_fixture->baseUrl(), u"/ws/agent"_s));
            if (how == u"hello-bad")
                client.sendJson({{u"type"_s, u"hello"_s}, {u"token"_s, u"forged"_s}});
            else
                client.sendJson(heartbeat(u"available"_s));
        }
        const QJsonObject error = client.nextOfType(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), code);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(agents().agent(u"alice"_s)->snapshot.sessionActive, false);
    }

    void plainHttpGetIsToldToUpgrade()
    {
        HttpTestClient http(m_fixture->baseUrl());
        const HttpReply reply = http.get(u"/ws/agent"_s);
        QCOMPARE(reply.status, 426);
        QCOMPARE(reply.errorCode(), u"upgrade_required"_s);
    }
};

QTEST_GUILESS_MAIN(TestAgentSocket)
#include "tst_agent_socket.moc"
