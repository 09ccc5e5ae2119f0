// The seed's heartbeat surface over real HTTP: login -> heartbeat -> status update, the
// token-agent match, heartbeats written behind within a second, expiry through the cleanup
// endpoint with a manual clock (and recovery on the next heartbeat), restart safety, the feature
// switch, and a table of bad requests (a key sent twice among them) that each get their exact
// error and change nothing.

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "agents/AgentService.h"
#include "users/UserStore.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QJsonObject seedBody(const QString &agentId, const QString &status = u"available"_s, bool deviceConnected = true)
{
    return QJsonObject {{u"agentId"_s, agentId}, {u"deviceConnected"_s, deviceConnected}, {u"currentStatus"_s, status}};
}

const QStringList watchedTables {u"users"_s, u"auth_tokens"_s, u"agent_sessions"_s, u"session_heartbeats"_s,
                                 u"agent_status_changes"_s};

} // namespace

class TestHeartbeatHttp final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<InProcessServer> m_fixture;
    QByteArray m_aliceToken;
    QByteArray m_bobToken;
    QByteArray m_adminToken;
    QByteArray m_supervisorToken;

    QByteArray login(const QString &userId, const QString &password)
    {
        HttpTestClient http(m_fixture->baseUrl());
        const HttpReply reply
            = http.postJson(u"/api/auth/login"_s, QJsonObject {{u"userId"_s, userId}, {u"password"_s, password}});
        return reply.json().value(u"token"_s).toString().toLatin1();
    }

    HttpReply postHeartbeat(const QJsonObject &body, const QByteArray &token)
    {
        HttpTestClient http(m_fixture->baseUrl());
        http.setBearerToken(token);
        return http.postJson(u"/api/agent-heartbeat"_s, body);
    }

    QString sessionStatus(const QString &agentId)
    {
        TableReader tables(m_fixture->databasePath());
        return tables
            .scalar(u"SELECT status FROM agent_sessions WHERE agent_id = '%1' AND logout_at IS NULL"_s.arg(agentId))
            .toString();
    }

    void startAndLogIn(const QHash<QString, QString> &settings = {})
    {
        m_fixture = std::make_unique<InProcessServer>();
        QVERIFY2(m_fixture->start(settings), qPrintable(m_fixture->error()));
        UserStore &users = *m_fixture->server().users();
        QVERIFY(users.add(u"alice"_s, u"Alice Agent"_s, Role::Agent, u"alice-password"_s));
        QVERIFY(users.add(u"bob"_s, u"Bob Agent"_s, Role::Agent, u"bob-password"_s));
        QVERIFY(users.add(u"ada"_s, u"Ada Admin"_s, Role::Admin, u"ada-password"_s));
        QVERIFY(users.add(u"sam"_s, u"Sam Supervisor"_s, Role::Supervisor, u"sam-password"_s));
        m_aliceToken = login(u"alice"_s, u"alice-password"_s);
        m_bobToken = login(u"bob"_s, u"bob-password"_s);
        m_adminToken = login(u"ada"_s, u"ada-password"_s);
        m_supervisorToken = login(u"sam"_s, u"sam-password"_s);
        QVERIFY(!m_aliceToken.isEmpty() && !m_adminToken.isEmpty());
    }

private Q_SLOTS:
    void init() { startAndLogIn(); }
    void cleanup() { m_fixture.reset(); }

    void loginHeartbeatStatusUpdate()
    {
        // The seed's integration test 1.
        const HttpReply first = postHeartbeat(seedBody(u"alice"_s), m_aliceToken);
        QCOMPARE(first.status, 200);
        const QJsonObject body = first.json();
        QCOMPARE(body.value(u"status"_s).toString(), u"available"_s);
        QCOMPARE(body.value(u"activity"_s).toString(), u"idle"_s);
        QCOMPARE(body.value(u"heartbeatIntervalSeconds"_s).toInt(), 30);
        QCOMPARE(body.value(u"serverTimeMs"_s).toInteger(), m_fixture->clock().nowMs());
        const QJsonObject readiness = body.value(u"readiness"_s).toObject();
        QCOMPARE(readiness.value(u"ready"_s).toBool(), true); // seed fields only, fresh, no call: ready
        QCOMPARE(readiness.value(u"score"_s).toInt(), 100);
        QCOMPARE(sessionStatus(u"alice"_s), u"available"_s); // committed before the answer

        m_fixture->clock().advanceSeconds(30);
        const HttpReply second = postHeartbeat(seedBody(u"alice"_s, u"away"_s), m_aliceToken);
        QCOMPARE(second.status, 200);
        QCOMPARE(second.json().value(u"status"_s).toString(), u"away"_s);
        QCOMPARE(second.json().value(u"readiness"_s).toObject().value(u"ready"_s).toBool(), false);
        QCOMPARE(sessionStatus(u"alice"_s), u"away"_s);
        TableReader tables(m_fixture->databasePath());
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM agent_status_changes WHERE agent_id = 'alice'"_s).toInt(), 2);
    }

    void statisticsCountHeartbeatProcessing()
    {
        QCOMPARE(postHeartbeat(seedBody(u"alice"_s), m_aliceToken).status, 200);
        QCOMPARE(postHeartbeat(seedBody(u"bob"_s), m_bobToken).status, 200);
        HttpTestClient supervisor(m_fixture->baseUrl());
        supervisor.setBearerToken(m_supervisorToken);
        const QJsonObject statistics
            = supervisor.get(u"/api/agent-heartbeat"_s).json().value(u"statistics"_s).toObject();
        const QJsonObject processing = statistics.value(u"heartbeatProcessing"_s).toObject();
        QCOMPARE(processing.value(u"count"_s).toInt(), 2);
        QVERIFY(processing.value(u"p99Ms"_s).toDouble() > 0);
    }

    void deviceDetailsAreScored()
    {
        QJsonObject body = seedBody(u"alice"_s);
        body.insert(u"devices"_s,
                    QJsonObject {{u"audioInput"_s, true},
                                 {u"audioOutput"_s, true},
                                 {u"voiceRegistered"_s, false},
                                 {u"networkRttMs"_s, 40}});
        const HttpReply reply = postHeartbeat(body, m_aliceToken);
        QCOMPARE(reply.status, 200);
        const QJsonObject readiness = reply.json().value(u"readiness"_s).toObject();
        // An unregistered voice line costs no points: it is a gate, calls cannot ring whatever the score.
        QCOMPARE(readiness.value(u"score"_s).toInt(), 100);
        QCOMPARE(readiness.value(u"ready"_s).toBool(), false);
        QCOMPARE(readiness.value(u"failedGates"_s).toArray().first()[u"gate"_s].toString(), u"voice_not_registered"_s);
        QVERIFY(readiness.value(u"reasons"_s).toArray().contains(u"voice line not registered, calls cannot ring"_s));
    }

    void heartbeatForAnotherAgentIsForbidden()
    {
        const auto before = TableReader(m_fixture->databasePath()).dump(u"agent_sessions"_s);
        const HttpReply reply = postHeartbeat(seedBody(u"bob"_s), m_aliceToken);
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.errorCode(), u"forbidden"_s);
        QCOMPARE(TableReader(m_fixture->databasePath()).dump(u"agent_sessions"_s), before);
    }

    void heartbeatsAreWrittenBehindWithinASecond()
    {
        QCOMPARE(postHeartbeat(seedBody(u"alice"_s), m_aliceToken).status, 200);
        const qint64 firstAt = m_fixture->clock().nowMs();
        m_fixture->clock().advanceSeconds(10);
        QCOMPARE(postHeartbeat(seedBody(u"alice"_s), m_aliceToken).status, 200);
        const qint64 secondAt = m_fixture->clock().nowMs();
        // Handed to the writer's thread by the flush timer (at most one second later), one row per
        // session, newest value, in the narrow heartbeat table.
        TableReader tables(m_fixture->databasePath());
        const QString written = u"SELECT h.last_heartbeat FROM session_heartbeats h JOIN agent_sessions s "
                                "ON s.id = h.session_id WHERE s.agent_id = 'alice'"_s;
        QTRY_COMPARE_WITH_TIMEOUT(tables.scalar(written).toLongLong(), secondAt, 5000);
        QVERIFY(secondAt != firstAt);

        // The session ends: the seed's columns of its row keep its last heartbeat.
        m_fixture->clock().advanceSeconds(5);
        HttpTestClient http(m_fixture->baseUrl());
        http.setBearerToken(m_aliceToken);
        QCOMPARE(http.post(u"/api/auth/logout"_s, {}).status, 204);
        QCOMPARE(tables.scalar(u"SELECT last_heartbeat FROM agent_sessions WHERE agent_id = 'alice'"_s).toLongLong(),
                 secondAt);
        QCOMPARE(tables.scalar(u"SELECT device_connected FROM agent_sessions WHERE agent_id = 'alice'"_s).toInt(), 1);
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM session_heartbeats"_s).toInt(), 0);
    }

    void cleanupExpiresStaleAgentsAndTheyRecover()
    {
        QCOMPARE(postHeartbeat(seedBody(u"alice"_s), m_aliceToken).status, 200);
        QCOMPARE(postHeartbeat(seedBody(u"bob"_s), m_bobToken).status, 200);
        m_fixture->clock().advanceSeconds(60);
        QCOMPARE(postHeartbeat(seedBody(u"bob"_s), m_bobToken).status, 200);

        HttpTestClient admin(m_fixture->baseUrl());
        admin.setBearerToken(m_adminToken);
        QCOMPARE(admin.get(u"/api/cron/heartbeat-cleanup"_s).json().value(u"changed"_s).toArray().size(), 0);

        m_fixture->clock().advanceSeconds(16); // alice's last heartbeat is now 76 s old, bob's 16 s
        const HttpReply cleanup = admin.get(u"/api/cron/heartbeat-cleanup"_s);
        QCOMPARE(cleanup.status, 200);
        const QJsonArray changed = cleanup.json().value(u"changed"_s).toArray();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().toObject().value(u"agentId"_s).toString(), u"alice"_s);
        QCOMPARE(changed.first().toObject().value(u"to"_s).toString(), u"offline"_s);
        QCOMPARE(changed.first().toObject().value(u"cause"_s).toString(), u"cleanup"_s);
        QCOMPARE(sessionStatus(u"alice"_s), u"offline"_s);
        QCOMPARE(sessionStatus(u"bob"_s), u"available"_s);
        const AgentRecord *alice = m_fixture->server().agents()->agent(u"alice"_s);
        QCOMPARE(toString(alice->activity), u"stale"_s);
        QCOMPARE(alice->readiness.failedGates.first().gate, u"status_not_available"_s);
        TableReader tables(m_fixture->databasePath());
        QCOMPARE(tables
                     .scalar(u"SELECT changed_by || ':' || reason FROM agent_status_changes WHERE agent_id = "
                             "'alice' ORDER BY id DESC LIMIT 1"_s)
                     .toString(),
                 u"server:cleanup"_s);

        // The agent comes back: its next heartbeat restores it, no one has to intervene.
        const HttpReply back = postHeartbeat(seedBody(u"alice"_s), m_aliceToken);
        QCOMPARE(back.json().value(u"status"_s).toString(), u"available"_s);
        QCOMPARE(back.json().value(u"readiness"_s).toObject().value(u"ready"_s).toBool(), true);
    }

    void cleanupNeedsAnAdmin_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<int>("status");
        QTest::newRow("nobody") << QString() << 401;
        QTest::newRow("agent") << u"alice"_s << 403;
        QTest::newRow("supervisor") << u"sam"_s << 403;
        QTest::newRow("admin") << u"ada"_s << 200;
    }
    void cleanupNeedsAnAdmin()
    {
        QFETCH(QString, who);
        QFETCH(int, status);
        HttpTestClient http(m_fixture->baseUrl());
        if (who == u"alice")
            http.setBearerToken(m_aliceToken);
        else if (who == u"sam")
            http.setBearerToken(m_supervisorToken);
        else if (who == u"ada")
            http.setBearerToken(m_adminToken);
        QCOMPARE(http.get(u"/api/cron/heartbeat-cleanup"_s).status, status);
    }

    void restartKeepsUsersSessionsAndStatuses()
    {
        QCOMPARE(postHeartbeat(seedBody(u"alice"_s), m_aliceToken).status, 200);
        QCOMPARE(postHeartbeat(seedBody(u"bob"_s, u"away"_s), m_bobToken).status, 200);
        const qint64 heartbeatAt = m_fixture->clock().nowMs();
        m_fixture->stop(); // pending heartbeats are written on the way down
        QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));

        AgentService &agents = *m_fixture->server().agents();
        QCOMPARE(toString(agents.agent(u"alice"_s)->snapshot.status), u"available"_s);
        QCOMPARE(toString(agents.agent(u"bob"_s)->snapshot.status), u"away"_s);
        QCOMPARE(agents.agent(u"alice"_s)->snapshot.lastHeartbeatMs, std::optional<qint64>(heartbeatAt));
        // The heartbeat is fresh, but the app may not have survived the restart: not offerable
        // until it is heard from.
        const ReadinessResult loaded = agents.agent(u"alice"_s)->readiness;
        QVERIFY(!loaded.ready);
        QCOMPARE(loaded.failedGates.size(), 1);
        QCOMPARE(loaded.failedGates.first().gate, u"unconfirmed"_s);
        QCOMPARE(loaded.failedGates.first().reason, u"not heard from since restart"_s);

        // Tokens survive too: the same session keeps working, and its heartbeat confirms it.
        const HttpReply again = postHeartbeat(seedBody(u"alice"_s), m_aliceToken);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value(u"status"_s).toString(), u"available"_s);
        QVERIFY(agents.agent(u"alice"_s)->readiness.ready);
        TableReader tables(m_fixture->databasePath());
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM agent_sessions WHERE agent_id = 'alice'"_s).toInt(), 1);
    }

    void logoutEndsTheAgentSession()
    {
        QCOMPARE(postHeartbeat(seedBody(u"alice"_s), m_aliceToken).status, 200);
        HttpTestClient http(m_fixture->baseUrl());
        http.setBearerToken(m_aliceToken);
        QCOMPARE(http.post(u"/api/auth/logout"_s, {}).status, 204);
        TableReader tables(m_fixture->databasePath());
        QCOMPARE(tables
                     .scalar(u"SELECT status || ':' || (logout_at IS NOT NULL) FROM agent_sessions WHERE agent_id "
                             "= 'alice'"_s)
                     .toString(),
                 u"offline:1"_s);
        QVERIFY(!m_fixture->server().agents()->agent(u"alice"_s)->readiness.ready);
    }

    void switchedOffHeartbeatsAreRefused()
    {
        startAndLogIn({{u"FEATURE_AGENT_HEARTBEAT"_s, u"false"_s}});
        const HttpReply reply = postHeartbeat(seedBody(u"alice"_s), m_aliceToken);
        QCOMPARE(reply.status, 503);
        QCOMPARE(reply.errorCode(), u"feature_disabled"_s);
    }

    void badRequests_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("token"); // "alice", "ada", "none" or a literal
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");

        const QByteArray json = "application/json";
        const QString hb = u"/api/agent-heartbeat"_s;
        QTest::newRow("no token") << QByteArray(
            "POST") << hb << QByteArray(R"({"agentId":"alice","deviceConnected":true,"currentStatus":"available"})")
                                  << json << u"none"_s << 401 << u"unauthenticated"_s << QString();
        QTest::newRow("forged token") << QByteArray(
            "POST") << hb << QByteArray(R"({"agentId":"alice","deviceConnected":true,"currentStatus":"available"})")
                                      << json << u"forged"_s << 401 << u"unauthenticated"_s << QString();
        QTest::newRow("admin token") << QByteArray(
            "POST") << hb << QByteArray(R"({"agentId":"alice","deviceConnected":true,"currentStatus":"available"})")
                                     << json << u"ada"_s << 403 << u"forbidden"_s << QString();
        QTest::newRow("malformed json") << QByteArray("POST") << hb << QByteArray(R"({"agentId":"alice",)") << json
                                        << u"alice"_s << 400 << u"malformed_json"_s << QString();
        QTest::newRow("array body") << QByteArray("POST") << hb << QByteArray("[]") << json << u"alice"_s << 400
                                    << u"malformed_json"_s << QString();
        QTest::newRow("empty body") << QByteArray("POST") << hb << QByteArray() << json << u"alice"_s << 400
                                    << u"malformed_json"_s << QString();
        // QJsonDocument keeps the last of two equal keys: each of these would have been read as a
        // valid heartbeat for alice (and set her available).
        QTest::newRow("agentId twice")
            << QByteArray("POST") << hb
            << QByteArray(R"({"agentId":"bob","agentId":"alice","deviceConnected":true,"currentStatus":"available"})")
            << json << u"alice"_s << 400 << u"duplicate_key"_s << u"agentId"_s;
        QTest::newRow("currentStatus twice")
            << QByteArray("POST") << hb
            << QByteArray(
                   R"({"agentId":"alice","currentStatus":"away","deviceConnected":true,"currentStatus":"available"})")
            << json << u"alice"_s << 400 << u"duplicate_key"_s << u"currentStatus"_s;
        QTest::newRow("devices key twice")
            << QByteArray("POST") << hb
            << QByteArray(R"({"agentId":"alice","deviceConnected":true,"currentStatus":"available",)"
                          R"("devices":{"audioInput":false,"audioInput":true}})")
            << json << u"alice"_s << 400 << u"duplicate_key"_s << u"devices.audioInput"_s;
        QTest::newRow("missing agentId") << QByteArray("POST") << hb
                                         << QByteArray(R"({"deviceConnected":true,"currentStatus":"available"})")
                                         << json << u"alice"_s << 400 << u"missing_field"_s << u"agentId"_s;
        QTest::newRow("missing deviceConnected")
            << QByteArray("POST") << hb << QByteArray(R"({"agentId":"alice","currentStatus":"available"})") << json
            << u"alice"_s << 400 << u"missing_field"_s << u"deviceConnected"_s;
        QTest::newRow("missing currentStatus")
            << QByteArray("POST") << hb << QByteArray(R"({"agentId":"alice","deviceConnected":true})") << json
            << u"alice"_s << 400 << u"missing_field"_s << u"currentStatus"_s;
        QTest::newRow("agentId number") << QByteArray(
            "POST") << hb << QByteArray(R"({"agentId":7,"deviceConnected":true,"currentStatus":"available"})")
                                        << json << u"alice"_s << 400 << u"wrong_type"_s << u"agentId"_s;
        QTest::newRow("deviceConnected string")
            << QByteArray("POST") << hb
            << QByteArray(R"({"agentId":"alice","deviceConnected":"true","currentStatus":"available"})") << json
            << u"alice"_s << 400 << u"wrong_type"_s << u"deviceConnected"_s;
        QTest::newRow("status unknown") << QByteArray(
            "POST") << hb << QByteArray(R"({"agentId":"alice","deviceConnected":true,"currentStatus":"busy"})")
                                        << json << u"alice"_s << 400 << u"invalid_value"_s << u"currentStatus"_s;
        QTest::newRow("status null") << QByteArray("POST") << hb
                                     << QByteArray(R"({"agentId":"alice","deviceConnected":true,"currentStatus":null})")
                                     << json << u"alice"_s << 400 << u"wrong_type"_s << u"currentStatus"_s;
        QTest::newRow("empty agentId") << QByteArray(
            "POST") << hb << QByteArray(R"({"agentId":"","deviceConnected":true,"currentStatus":"available"})")
                                       << json << u"alice"_s << 400 << u"invalid_value"_s << u"agentId"_s;
        QTest::newRow("devices not object")
            << QByteArray("POST") << hb
            << QByteArray(R"({"agentId":"alice","deviceConnected":true,"currentStatus":"available","devices":[]})")
            << json << u"alice"_s << 400 << u"wrong_type"_s << u"devices"_s;
        QTest::newRow("negative rtt")
            << QByteArray("POST") << hb
            << QByteArray(
                   R"({"agentId":"alice","deviceConnected":true,"currentStatus":"available","devices":{"networkRttMs":-1}})")
            << json << u"alice"_s << 400 << u"invalid_value"_s << u"devices.networkRttMs"_s;
        QTest::newRow("loss over 100")
            << QByteArray("POST") << hb
            << QByteArray(
                   R"({"agentId":"alice","deviceConnected":true,"currentStatus":"available","devices":{"packetLossPercent":101}})")
            << json << u"alice"_s << 400 << u"invalid_value"_s << u"devices.packetLossPercent"_s;
        QTest::newRow("future version")
            << QByteArray("POST") << hb
            << QByteArray(R"({"v":9,"agentId":"alice","deviceConnected":true,"currentStatus":"available"})") << json
            << u"alice"_s << 400 << u"unsupported_version"_s << u"v"_s;
        QTest::newRow("other agent") << QByteArray(
            "POST") << hb << QByteArray(R"({"agentId":"bob","deviceConnected":true,"currentStatus":"available"})")
                                     << json << u"alice"_s << 403 << u"forbidden"_s << u"agentId"_s;
        QTest::newRow("unknown agent") << QByteArray(
            "POST") << hb << QByteArray(R"({"agentId":"zed","deviceConnected":true,"currentStatus":"available"})")
                                       << json << u"alice"_s << 403 << u"forbidden"_s << u"agentId"_s;
        QTest::newRow("text content type")
            << QByteArray("POST") << hb
            << QByteArray(R"({"agentId":"alice","deviceConnected":true,"currentStatus":"available"})")
            << QByteArray("text/plain") << u"alice"_s << 415 << u"unsupported_media_type"_s << QString();
        QTest::newRow("body over 64 KiB")
            << QByteArray("POST") << hb
            << QByteArray(R"({"agentId":"alice","deviceConnected":true,"currentStatus":"available","pad":")")
                + QByteArray(65 * 1024, 'x') + QByteArray(R"("})")
            << json << u"alice"_s << 413 << u"payload_too_large"_s << QString();
        QTest::newRow("GET heartbeat with body fields") << QByteArray("PUT") << hb << QByteArray("{}") << json
                                                        << u"alice"_s << 405 << u"method_not_allowed"_s << QString();
        QTest::newRow("DELETE heartbeat") << QByteArray("DELETE") << hb << QByteArray() << QByteArray() << u"alice"_s
                                          << 405 << u"method_not_allowed"_s << QString();
        QTest::newRow("POST cleanup") << QByteArray("POST") << u"/api/cron/heartbeat-cleanup"_s << QByteArray("{}")
                                      << json << u"ada"_s << 405 << u"method_not_allowed"_s << QString();
        QTest::newRow("unknown path") << QByteArray("POST") << u"/api/agent-heartbeats"_s << QByteArray("{}") << json
                                      << u"alice"_s << 404 << u"not_found"_s << QString();
    }
    void badRequests()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, token);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, field);

        // alice has a session with a known status; nothing below may change any table.
        QCOMPARE(postHeartbeat(seedBody(u"alice"_s, u"away"_s), m_aliceToken).status, 200);
        m_fixture->server().agents()->flushHeartbeats();
        QMap<QString, QStringList> before;
        for (const QString &table : watchedTables)
            before.insert(table, TableReader(m_fixture->databasePath()).dump(table));

        HttpTestClient http(m_fixture->baseUrl());
        if (token == u"alice")
            http.setBearerToken(m_aliceToken);
        else if (token == u"ada")
            http.setBearerToken(m_adminToken);
        else if (token != u"none")
            http.setBearerToken(token.toLatin1());
        const HttpReply reply = http.send(method, path, body, contentType);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
        QVERIFY(!reply.json().value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());

        m_fixture->server().agents()->flushHeartbeats();
        for (const QString &table : watchedTables)
            QCOMPARE(TableReader(m_fixture->databasePath()).dump(table), before.value(table));
        QCOMPARE(toString(m_fixture->server().agents()->agent(u"alice"_s)->snapshot.status), u"away"_s);
    }
};

QTEST_GUILESS_MAIN(TestHeartbeatHttp)
#include "tst_heartbeat_http.moc"
