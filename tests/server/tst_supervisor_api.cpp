// The supervisors' HTTP routes against an in-process server with a manual clock: the statistics of
// a known population, GET /api/agent-heartbeat (shape, one agent, roles), GET /api/agents filters
// and their refusals, and the status and logout routes with their audit trail.

#include <QJsonArray>
#include <QTest>

#include "SupervisorTestSupport.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QStringList idsOf(const QJsonArray &agents)
{
    QStringList ids;
    for (const QJsonValue &agent : agents)
        ids.append(agent.toObject().value(u"agentId"_s).toString());
    return ids;
}

} // namespace

class TestSupervisorApi final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SupervisorFixture> m_fixture;

    /// The population every statistics and filter test reads, all over HTTP-style heartbeats:
    /// a1 fresh, a2 40 s old, a3 65 s old (all available), a4 away for lunch without its device,
    /// a5 expired 80 s ago (cleanup set it offline, stale), a6 never logged in, a7 logged in
    /// without any heartbeat. Interval 30 s, threshold 75 s (the defaults).
    bool populate()
    {
        SupervisorFixture &f = *m_fixture;
        if (!f.heartbeat(u"a5"_s, AgentStatus::Available))
            return false;
        f.clock().advanceSeconds(15);
        if (!f.heartbeat(u"a3"_s, AgentStatus::Available))
            return false;
        f.clock().advanceSeconds(25);
        if (!f.heartbeat(u"a2"_s, AgentStatus::Available))
            return false;
        f.clock().advanceSeconds(40);
        if (!f.heartbeat(u"a1"_s, AgentStatus::Available)
            || !f.heartbeat(u"a4"_s, AgentStatus::Away, false, u"lunch"_s))
            return false;
        if (!f.agents().setStatus(u"a7"_s, AgentStatus::Available, {}, StatusChangeSource::Agent, u"agent"_s))
            return false;
        // What the expiry timer does at a5's deadline.
        const QList<StatusChange> changes = f.agents().runDueWork();
        return changes.size() == 1 && changes.first().agentId == u"a5"_s;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<SupervisorFixture>();
        QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
    }
    void cleanup() { m_fixture.reset(); }

    void statisticsOfAKnownPopulation()
    {
        QVERIFY(populate());
        const HttpReply reply = m_fixture->get(u"/api/agent-heartbeat"_s, m_fixture->login(u"sam"_s));
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json();
        QCOMPARE(body.keys(), (QStringList {u"agents"_s, u"serverTimeMs"_s, u"statistics"_s}));
        QCOMPARE(body.value(u"serverTimeMs"_s).toInteger(), ManualClock::DefaultStartMs + 80'000);

        const QJsonObject stats = body.value(u"statistics"_s).toObject();
        QCOMPARE(stats.value(u"computedAtMs"_s).toInteger(), ManualClock::DefaultStartMs + 80'000);
        QCOMPARE(stats.value(u"agents"_s).toInt(), 7);
        QCOMPARE(stats.value(u"loggedIn"_s).toInt(), 6);
        QCOMPARE(stats.value(u"byStatus"_s).toObject(),
                 (QJsonObject {{u"available"_s, 4}, {u"away"_s, 1}, {u"offline"_s, 2}}));
        QCOMPARE(stats.value(u"byActivity"_s).toObject(),
                 (QJsonObject {{u"idle"_s, 4},
                               {u"ringing"_s, 0},
                               {u"on-call"_s, 0},
                               {u"wrap-up"_s, 0},
                               {u"cooldown"_s, 0},
                               {u"stale"_s, 1},
                               {u"disconnected"_s, 2}}));
        QCOMPARE(stats.value(u"byConnection"_s).toObject(),
                 (QJsonObject {{u"websocket"_s, 0}, {u"http"_s, 5}, {u"none"_s, 1}}));
        QCOMPARE(stats.value(u"heartbeatAge"_s).toObject(),
                 (QJsonObject {{u"intervalSeconds"_s, 30},
                               {u"thresholdSeconds"_s, 75},
                               {u"withinInterval"_s, 2},
                               {u"withinTwoIntervals"_s, 1},
                               {u"withinThreshold"_s, 1},
                               {u"expired"_s, 1},
                               {u"never"_s, 1}}));
        // a1, a2 and a3 pass every gate and score at least 70; a4, a5 and a7 fail a gate.
        QCOMPARE(stats.value(u"ready"_s).toInt(), 3);
        QCOMPARE(stats.value(u"notReady"_s).toInt(), 3);
        QCOMPARE(stats.value(u"deviceConnected"_s).toInt(), 4);
        QCOMPARE(stats.value(u"deviceConnectedRate"_s).toDouble(), 4.0 / 6.0);
        QCOMPARE(stats.value(u"heartbeatProcessing"_s), QJsonValue(QJsonValue::Null));

        // The average is that of the logged-in agents' scores shown beside it.
        const QJsonArray agents = body.value(u"agents"_s).toArray();
        QCOMPARE(idsOf(agents), (QStringList {u"a1"_s, u"a2"_s, u"a3"_s, u"a4"_s, u"a5"_s, u"a6"_s, u"a7"_s}));
        int sum = 0;
        int readyShown = 0;
        for (const QJsonValue &agent : agents) {
            const QJsonObject view = agent.toObject();
            if (!view.value(u"loggedIn"_s).toBool())
                continue;
            sum += view.value(u"readiness"_s).toObject().value(u"score"_s).toInt();
            readyShown += view.value(u"readiness"_s).toObject().value(u"ready"_s).toBool() ? 1 : 0;
        }
        QCOMPARE(readyShown, 3);
        QCOMPARE(stats.value(u"averageReadinessScore"_s).toDouble(), std::round(sum * 10.0 / 6) / 10);
        const QJsonObject a5 = agents.at(4).toObject();
        QCOMPARE(a5.value(u"status"_s).toString(), u"offline"_s);
        QCOMPARE(a5.value(u"activity"_s).toString(), u"stale"_s);
        QCOMPARE(a5.value(u"lastHeartbeatMs"_s).toInteger(), ManualClock::DefaultStartMs);
    }

    void agentHeartbeatRoles_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("no token") << QString() << 401 << u"unauthenticated"_s;
        QTest::newRow("agent") << u"a1"_s << 403 << u"forbidden"_s;
        QTest::newRow("supervisor") << u"sam"_s << 200 << QString();
        QTest::newRow("admin") << u"ada"_s << 200 << QString();
    }
    void agentHeartbeatRoles()
    {
        QFETCH(QString, who);
        QFETCH(int, status);
        QFETCH(QString, code);
        const QByteArray token = who.isEmpty() ? QByteArray() : m_fixture->login(who);
        for (const QString &path : {u"/api/agent-heartbeat"_s, u"/api/agent-heartbeat?agentId=a1"_s, u"/api/agents"_s,
                                    u"/api/agents?status=available"_s}) {
            const HttpReply reply = m_fixture->get(path, token);
            QCOMPARE(reply.status, status);
            QCOMPARE(reply.errorCode(), code);
            // Refused before anything about the agents is revealed.
            if (status != 200)
                QVERIFY(!reply.body.contains("a1"));
        }
    }

    void oneAgentById_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::newRow("known agent") << u"agentId=a1"_s << 200 << QString() << QString();
        QTest::newRow("unknown agent") << u"agentId=nobody"_s << 404 << u"unknown_agent"_s << u"agentId"_s;
        QTest::newRow("a supervisor is no agent") << u"agentId=sam"_s << 404 << u"unknown_agent"_s << u"agentId"_s;
        QTest::newRow("empty id") << u"agentId="_s << 400 << u"invalid_value"_s << u"agentId"_s;
        QTest::newRow("parameter name in the wrong case")
            << u"agentid=a1"_s << 400 << u"invalid_value"_s << u"agentid"_s;
        QTest::newRow("two ids") << u"agentId=a1&agentId=a2"_s << 400 << u"invalid_value"_s << u"agentId"_s;
    }
    void oneAgentById()
    {
        QFETCH(QString, query);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, field);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Away, true, u"lunch"_s));
        m_fixture->clock().advanceSeconds(3);
        const HttpReply reply = m_fixture->get(u"/api/agent-heartbeat?"_s + query, m_fixture->login(u"sam"_s));
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
        if (status == 200) {
            const QJsonObject body = reply.json();
            QCOMPARE(body.keys(), (QStringList {u"agent"_s, u"serverTimeMs"_s}));
            QCOMPARE(body.value(u"serverTimeMs"_s).toInteger(), ManualClock::DefaultStartMs + 3000);
            JsonReader reader(body.value(u"agent"_s).toObject());
            AgentView view;
            readFields(reader, view);
            QVERIFY(reader.ok());
            QCOMPARE(view.agentId, u"a1"_s);
            QCOMPARE(view.displayName, u"Ada Lovelace"_s);
            QCOMPARE(view.awayReason, std::optional<QString>(u"lunch"_s));
            QCOMPARE(view.lastHeartbeatMs, std::optional<qint64>(ManualClock::DefaultStartMs));
            QCOMPARE(view.queues, (QStringList {u"support"_s, u"sales"_s}));
        }
    }

    void agentsFilters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("ids");
        QTest::newRow("none") << QString()
                              << QStringList {u"a1"_s, u"a2"_s, u"a3"_s, u"a4"_s, u"a5"_s, u"a6"_s, u"a7"_s};
        QTest::newRow("available") << u"status=available"_s << QStringList {u"a1"_s, u"a2"_s, u"a3"_s, u"a7"_s};
        QTest::newRow("away") << u"status=away"_s << QStringList {u"a4"_s};
        QTest::newRow("offline") << u"status=offline"_s << QStringList {u"a5"_s, u"a6"_s};
        QTest::newRow("stale") << u"activity=stale"_s << QStringList {u"a5"_s};
        QTest::newRow("disconnected") << u"activity=disconnected"_s << QStringList {u"a6"_s, u"a7"_s};
        QTest::newRow("on a call") << u"activity=on-call"_s << QStringList {};
        QTest::newRow("ready") << u"ready=true"_s << QStringList {u"a1"_s, u"a2"_s, u"a3"_s};
        QTest::newRow("not ready") << u"ready=false"_s << QStringList {u"a4"_s, u"a5"_s, u"a6"_s, u"a7"_s};
        QTest::newRow("queue support") << u"queue=support"_s << QStringList {u"a1"_s, u"a2"_s, u"a4"_s};
        QTest::newRow("queue billing") << u"queue=billing"_s << QStringList {u"a6"_s, u"a7"_s};
        QTest::newRow("queue nobody serves") << u"queue=legal"_s << QStringList {};
        QTest::newRow("queue names are exact") << u"queue=Support"_s << QStringList {};
        QTest::newRow("name, any case") << u"q=ada"_s << QStringList {u"a1"_s};
        QTest::newRow("id, any case") << u"q=A7"_s << QStringList {u"a7"_s};
        QTest::newRow("substring of two names") << u"q=an"_s << QStringList {u"a3"_s, u"a7"_s};
        QTest::newRow("encoded space") << u"q=Ada%20L"_s << QStringList {u"a1"_s};
        QTest::newRow("available in support") << u"status=available&queue=support"_s << QStringList {u"a1"_s, u"a2"_s};
        QTest::newRow("ready in sales") << u"ready=true&queue=sales"_s << QStringList {u"a1"_s, u"a3"_s};
    }
    void agentsFilters()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, ids);
        QVERIFY(populate());
        const HttpReply reply = m_fixture->get(u"/api/agents"_s + (query.isEmpty() ? QString() : u"?"_s + query),
                                               m_fixture->login(u"sam"_s));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().keys(), (QStringList {u"agents"_s, u"serverTimeMs"_s}));
        QCOMPARE(idsOf(reply.json().value(u"agents"_s).toArray()), ids);
    }

    void agentsFilterRefusals_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("field");
        QTest::newRow("unknown status") << u"status=busy"_s << u"status"_s;
        QTest::newRow("empty status") << u"status="_s << u"status"_s;
        QTest::newRow("status in capitals") << u"status=AVAILABLE"_s << u"status"_s;
        QTest::newRow("unknown activity") << u"activity=sleeping"_s << u"activity"_s;
        QTest::newRow("activity with underscore") << u"activity=on_call"_s << u"activity"_s;
        QTest::newRow("ready as yes") << u"ready=yes"_s << u"ready"_s;
        QTest::newRow("ready as 1") << u"ready=1"_s << u"ready"_s;
        QTest::newRow("empty queue") << u"queue="_s << u"queue"_s;
        QTest::newRow("queue over 128 characters") << u"queue="_s + QString(129, u'q') << u"queue"_s;
        QTest::newRow("empty text") << u"q="_s << u"q"_s;
        QTest::newRow("misspelled parameter") << u"stauts=away"_s << u"stauts"_s;
        QTest::newRow("status twice") << u"status=away&status=available"_s << u"status"_s;
        QTest::newRow("good filter, then a bad one") << u"queue=support&ready=maybe"_s << u"ready"_s;
    }
    void agentsFilterRefusals()
    {
        QFETCH(QString, query);
        QFETCH(QString, field);
        const HttpReply reply = m_fixture->get(u"/api/agents?"_s + query, m_fixture->login(u"sam"_s));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorCode(), u"invalid_value"_s);
        const QJsonObject error = reply.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"field"_s).toString(), field);
        QVERIFY2(error.value(u"message"_s).toString().contains(field),
                 qPrintable(error.value(u"message"_s).toString()));
    }

    void statusRoute_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("agentId");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("audit"); // newest audit row of the agent afterwards
        const QString untouched = u"offline|available|heartbeat|agent"_s;
        QTest::newRow("supervisor imposes away")
            << u"sam"_s << u"a1"_s << QByteArray(R"({"status":"away","reason":"meeting"})") << 200 << QString()
            << QString() << u"available|away|meeting (supervisor)|supervisor"_s;
        QTest::newRow("admin sets offline") << u"ada"_s << u"a1"_s << QByteArray(R"({"status":"offline"})") << 200
                                            << QString() << QString() << u"available|offline|supervisor|supervisor"_s;
        QTest::newRow("agent sets its own") << u"a1"_s << u"a1"_s << QByteArray(R"({"status":"away","reason":"break"})")
                                            << 200 << QString() << QString() << u"available|away|break (agent)|agent"_s;
        QTest::newRow("agent logs itself in by status")
            << u"a6"_s << u"a6"_s << QByteArray(R"({"status":"available"})") << 200 << QString() << QString()
            << u"offline|available|agent|agent"_s;
        QTest::newRow("agent sets another") << u"a1"_s << u"a2"_s << QByteArray(R"({"status":"offline"})") << 403
                                            << u"forbidden"_s << QString() << untouched;
        QTest::newRow("no token") << QString() << u"a1"_s << QByteArray(R"({"status":"offline"})") << 401
                                  << u"unauthenticated"_s << QString() << untouched;
        QTest::newRow("unknown agent") << u"sam"_s << u"nobody"_s << QByteArray(R"({"status":"away"})") << 404
                                       << u"unknown_agent"_s << u"agentId"_s << untouched;
        QTest::newRow("logged-out agent") << u"sam"_s << u"a6"_s << QByteArray(R"({"status":"available"})") << 409
                                          << u"not_logged_in"_s << u"agentId"_s << QString();
        QTest::newRow("unknown status") << u"sam"_s << u"a1"_s << QByteArray(R"({"status":"busy"})") << 400
                                        << u"invalid_value"_s << u"status"_s << untouched;
        QTest::newRow("no status") << u"sam"_s << u"a1"_s << QByteArray(R"({"reason":"x"})") << 400
                                   << u"missing_field"_s << u"status"_s << untouched;
        QTest::newRow("status as number") << u"sam"_s << u"a1"_s << QByteArray(R"({"status":1})") << 400
                                          << u"wrong_type"_s << u"status"_s << untouched;
        QTest::newRow("reason as number") << u"sam"_s << u"a1"_s << QByteArray(R"({"status":"away","reason":42})")
                                          << 400 << u"wrong_type"_s << u"reason"_s << untouched;
        QTest::newRow("empty reason") << u"sam"_s << u"a1"_s << QByteArray(R"({"status":"away","reason":""})") << 400
                                      << u"invalid_value"_s << u"reason"_s << untouched;
        QTest::newRow("not JSON") << u"sam"_s << u"a1"_s << QByteArray("status=away") << 400 << u"malformed_json"_s
                                  << QString() << untouched;
        QTest::newRow("status twice") << u"sam"_s << u"a1"_s
                                      << QByteArray(R"({"status":"available","reason":"x","status":"offline"})") << 400
                                      << u"duplicate_key"_s << u"status"_s << untouched;
    }
    void statusRoute()
    {
        QFETCH(QString, who);
        QFETCH(QString, agentId);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, field);
        QFETCH(QString, audit);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        QVERIFY(m_fixture->heartbeat(u"a2"_s, AgentStatus::Available));
        HttpTestClient client(m_fixture->server().baseUrl());
        if (!who.isEmpty())
            client.setBearerToken(m_fixture->login(who));
        const HttpReply reply = client.post(u"/api/agents/%1/status"_s.arg(agentId), body);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
        QCOMPARE(m_fixture->lastAuditRow(agentId == u"nobody"_s ? u"a1"_s : agentId), audit);
        if (status == 200) {
            const QJsonObject agent = reply.json().value(u"agent"_s).toObject();
            QCOMPARE(agent.value(u"agentId"_s).toString(), agentId);
            QCOMPARE(agent.value(u"status"_s).toString(),
                     QJsonDocument::fromJson(body).object().value(u"status"_s).toString());
            QVERIFY(agent.value(u"loggedIn"_s).toBool());
        }
    }

    void wrongContentTypeIsRefused()
    {
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        HttpTestClient client(m_fixture->server().baseUrl());
        client.setBearerToken(m_fixture->login(u"sam"_s));
        const HttpReply reply = client.post(u"/api/agents/a1/status"_s, R"({"status":"away"})", "text/plain");
        QCOMPARE(reply.status, 415);
        QCOMPARE(reply.errorCode(), u"unsupported_media_type"_s);
    }

    void logoutRoute_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("agentId");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("loggedInAfter");
        QTest::newRow("supervisor") << u"sam"_s << u"a1"_s << QByteArray() << 200 << QString() << false;
        QTest::newRow("admin, with a reason")
            << u"ada"_s << u"a1"_s << QByteArray(R"({"reason":"shift ended"})") << 200 << QString() << false;
        QTest::newRow("already logged out") << u"sam"_s << u"a6"_s << QByteArray() << 200 << QString() << false;
        QTest::newRow("agent") << u"a1"_s << u"a1"_s << QByteArray() << 403 << u"forbidden"_s << true;
        QTest::newRow("no token") << QString() << u"a1"_s << QByteArray() << 401 << u"unauthenticated"_s << true;
        QTest::newRow("unknown agent") << u"sam"_s << u"nobody"_s << QByteArray() << 404 << u"unknown_agent"_s << true;
        QTest::newRow("reason as number")
            << u"sam"_s << u"a1"_s << QByteArray(R"({"reason":7})") << 400 << u"wrong_type"_s << true;
    }
    void logoutRoute()
    {
        QFETCH(QString, who);
        QFETCH(QString, agentId);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(bool, loggedInAfter);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        HttpTestClient client(m_fixture->server().baseUrl());
        if (!who.isEmpty())
            client.setBearerToken(m_fixture->login(who));
        const HttpReply reply = client.post(u"/api/agents/%1/logout"_s.arg(agentId), body,
                                            body.isEmpty() ? QByteArray() : QByteArray("application/json"));
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        if (status == 200) {
            QCOMPARE(reply.json().value(u"agent"_s).toObject().value(u"loggedIn"_s).toBool(), false);
            QCOMPARE(reply.json().value(u"agent"_s).toObject().value(u"status"_s).toString(), u"offline"_s);
        }
        // a1 as the agent app would find it.
        const AgentRecord *a1 = m_fixture->agents().agent(u"a1"_s);
        QCOMPARE(a1->snapshot.sessionActive, loggedInAfter || agentId != u"a1"_s);
        if (!loggedInAfter && agentId == u"a1"_s)
            QCOMPARE(m_fixture->lastAuditRow(u"a1"_s), u"available|offline|supervisor|supervisor"_s);
    }

    void unknownMethodsAnswer405()
    {
        const HttpReply reply = m_fixture->get(u"/api/agents/a1/status"_s, m_fixture->login(u"sam"_s));
        QCOMPARE(reply.status, 405);
        QCOMPARE(reply.header("Allow"), QByteArray("POST"));
    }
};

QTEST_GUILESS_MAIN(TestSupervisorApi)
#include "tst_supervisor_api.moc"
