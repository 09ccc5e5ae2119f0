// The admin routes against an in-process server over real HTTP: who may call them (401/403 for
// everyone but admins, nothing written), users added, disabled, enabled and given a new password
// with the effect a user notices (sign-in works or not, sessions end), agents' profiles changed and
// routed by, the routing plan reloaded, bad bodies refused with the database unchanged, and every
// change in the audit log and pushed to supervisors.

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include "SupervisorTestSupport.h"
#include "TableReader.h"
#include "agents/AgentService.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

/// The tables an admin change may write, dumped: equal dumps mean nothing changed.
QStringList administrationTables(const QString &databasePath)
{
    TableReader tables(databasePath);
    QStringList all;
    for (const QString &table :
         {u"users"_s, u"auth_tokens"_s, u"agent_profiles"_s, u"agent_sessions"_s, u"audit_log"_s})
        all += tables.dump(table).replaceInStrings(QRegularExpression(u"^"_s), table + u": "_s);
    return all;
}

QString errorFieldOf(const HttpReply &reply)
{
    return reply.json().value(u"error"_s).toObject().value(u"field"_s).toString();
}

} // namespace

class TestAdminRoutes final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SupervisorFixture> m_fixture;
    QByteArray m_admin;

    HttpReply send(const QByteArray &verb, const QString &path, const QJsonObject &body = {},
                   const QByteArray &token = {})
    {
        HttpTestClient client(m_fixture->server().baseUrl());
        client.setBearerToken(token.isNull() ? m_admin : token);
        const bool withBody = verb != "GET";
        return client.send(verb, path, withBody ? QJsonDocument(body).toJson(QJsonDocument::Compact) : QByteArray(),
                           withBody ? QByteArray("application/json") : QByteArray());
    }

    QStringList tables() const { return administrationTables(m_fixture->server().databasePath()); }

    /// The newest audit row: "actor|action|target|detail".
    QString lastAudit() const
    {
        TableReader reader(m_fixture->server().databasePath());
        return reader
            .scalar(u"SELECT actor || '|' || action || '|' || target || '|' || detail FROM audit_log ORDER BY id DESC "
                    "LIMIT 1"_s)
            .toString();
    }

    int passwordStatus(const QString &userId, const QString &password)
    {
        const QJsonObject credentials {{u"userId"_s, userId}, {u"password"_s, password}};
        return HttpTestClient(m_fixture->server().baseUrl()).postJson(u"/api/auth/login"_s, credentials).status;
    }

    bool connectSupervisor(SupervisorSocketClient &client)
    {
        return client.open(m_fixture->webSocketUrl(), "Bearer " + m_fixture->login(u"sam"_s))
            && client.nextOf<SupervisorWelcome>() && client.nextOf<SupervisorSnapshot>()
            && client.nextOf<SupervisorQueues>();
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<SupervisorFixture>();
        QVERIFY2(m_fixture->start(standardAgents(), {{u"SUPERVISOR_PUSH_INTERVAL_MS"_s, u"10000"_s}}),
                 qPrintable(m_fixture->error()));
        m_admin = m_fixture->login(u"ada"_s);
        QVERIFY(!m_admin.isEmpty());
    }
    void cleanup() { m_fixture.reset(); }

    void onlyAdminsMayAdminister_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QJsonObject>("body");
        const QJsonObject newUser {
            {u"userId"_s, u"zoe"_s}, {u"password"_s, u"zoe-password"_s}, {u"role"_s, u"agent"_s}};
        QTest::newRow("list users") << QByteArray("GET") << u"/api/admin/users"_s << QJsonObject();
        QTest::newRow("add user") << QByteArray("POST") << u"/api/admin/users"_s << newUser;
        QTest::newRow("disable") << QByteArray("POST") << u"/api/admin/users/a2/disable"_s << QJsonObject();
        QTest::newRow("enable") << QByteArray("POST") << u"/api/admin/users/a2/enable"_s << QJsonObject();
        QTest::newRow("password") << QByteArray("POST") << u"/api/admin/users/a2/password"_s
                                  << QJsonObject {{u"password"_s, u"new-password"_s}};
        QTest::newRow("read profile") << QByteArray("GET") << u"/api/admin/agents/a2/profile"_s << QJsonObject();
        QTest::newRow("change profile") << QByteArray("PATCH") << u"/api/admin/agents/a2/profile"_s
                                        << QJsonObject {{u"priority"_s, 3}};
        QTest::newRow("reload routing") << QByteArray("POST") << u"/api/admin/routing/reload"_s << QJsonObject();
        QTest::newRow("audit") << QByteArray("GET") << u"/api/admin/audit"_s << QJsonObject();
    }
    void onlyAdminsMayAdminister()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(QJsonObject, body);
        const QStringList before = tables();
        const struct
        {
            QByteArray token;
            int status;
            QString code;
        } refusals[] = {
            {QByteArray(""), 401, u"unauthenticated"_s},
            {QByteArray("not-a-token"), 401, u"unauthenticated"_s},
            {m_fixture->login(u"a2"_s), 403, u"forbidden"_s},
            {m_fixture->login(u"sam"_s), 403, u"forbidden"_s},
        };
        for (const auto &refusal : refusals) {
            const HttpReply reply = send(verb, path, body, refusal.token);
            QCOMPARE(reply.status, refusal.status);
            QCOMPARE(reply.errorCode(), refusal.code);
        }
        // Logins wrote tokens; nothing else may have changed.
        auto withoutTokens = [](QStringList rows) {
            rows.removeIf([](const QString &row) { return row.startsWith(u"auth_tokens: "_s); });
            return rows;
        };
        QCOMPARE(withoutTokens(tables()), withoutTokens(before));
        const HttpReply allowed = send(verb, path, body);
        QVERIFY2(allowed.status == 200 || allowed.status == 201, allowed.body.constData());
    }

    void anAddedUserSignsInAndTheChangeIsAuditedAndPushed()
    {
        SupervisorSocketClient supervisor;
        QVERIFY(connectSupervisor(supervisor));
        const HttpReply added = send("POST", u"/api/admin/users"_s,
                                     {{u"userId"_s, u"zoe"_s},
                                      {u"password"_s, u"zoe-password"_s},
                                      {u"role"_s, u"supervisor"_s},
                                      {u"name"_s, u"Zoe Zhang"_s}});
        QCOMPARE(added.status, 201);
        QCOMPARE(added.json()[u"user"_s][u"displayName"_s].toString(), u"Zoe Zhang"_s);
        QCOMPARE(passwordStatus(u"zoe"_s, u"zoe-password"_s), 200);
        QCOMPARE(lastAudit(), uR"(ada|user.add|zoe|{"displayName":"Zoe Zhang","role":"supervisor"})"_s);

        const auto pushed = supervisor.nextOf<SupervisorAdminChange>();
        QVERIFY(pushed);
        QCOMPARE(pushed->actor, u"ada"_s);
        QCOMPARE(pushed->action, u"user.add"_s);
        QCOMPARE(pushed->target, u"zoe"_s);
        QVERIFY(pushed->id > 0);

        const HttpReply audit = send("GET", u"/api/admin/audit?limit=1"_s);
        QCOMPARE(audit.status, 200);
        const QJsonArray changes = audit.json()[u"changes"_s].toArray();
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first()[u"id"_s].toInteger(), pushed->id);
        QCOMPARE(send("GET", u"/api/admin/audit?limit=0"_s).status, 400);

        const HttpReply listed = send("GET", u"/api/admin/users"_s);
        const QJsonArray users = listed.json()[u"users"_s].toArray();
        QStringList ids;
        for (const QJsonValue user : users) {
            ids.append(user[u"id"_s].toString());
            if (user[u"id"_s] == u"a1"_s) // agents come with their profile
                QCOMPARE(user[u"profile"_s][u"skills"_s].toArray(), QJsonArray({u"support"_s, u"sales"_s}));
        }
        QVERIFY(ids.contains(u"zoe"_s));
    }

    void badRequestsChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        const QString users = u"/api/admin/users"_s;
        const QString profile = u"/api/admin/agents/a2/profile"_s;
        QTest::newRow("not JSON") << QByteArray("POST") << users << QByteArray("{userId") << 400 << u"malformed_json"_s
                                  << QString();
        QTest::newRow("no userId") << QByteArray("POST") << users
                                   << QByteArray(R"({"password":"long-enough","role":"agent"})") << 400
                                   << u"missing_field"_s << u"userId"_s;
        QTest::newRow("role a number") << QByteArray("POST") << users
                                       << QByteArray(R"({"userId":"x1","password":"long-enough","role":7})") << 400
                                       << u"wrong_type"_s << u"role"_s;
        QTest::newRow("unknown role") << QByteArray("POST") << users
                                      << QByteArray(R"({"userId":"x1","password":"long-enough","role":"boss"})") << 400
                                      << u"invalid_value"_s << u"role"_s;
        QTest::newRow("short password") << QByteArray("POST") << users
                                        << QByteArray(R"({"userId":"x1","password":"short","role":"agent"})") << 400
                                        << u"invalid_value"_s << u"password"_s;
        QTest::newRow("bad id") << QByteArray("POST") << users
                                << QByteArray(R"({"userId":"no spaces","password":"long-enough","role":"agent"})")
                                << 400 << u"invalid_value"_s << u"id"_s;
        QTest::newRow("unknown field") << QByteArray(
            "POST") << users << QByteArray(R"({"userId":"x1","password":"long-enough","role":"agent","admin":true})")
                                       << 400 << u"invalid_value"_s << u"admin"_s;
        QTest::newRow("existing user") << QByteArray("POST") << users
                                       << QByteArray(R"({"userId":"a2","password":"long-enough","role":"agent"})")
                                       << 409 << u"already_exists"_s << u"id"_s;
        QTest::newRow("oversize") << QByteArray("POST") << users
                                  << QByteArray(R"({"userId":"x1","name":")") + QByteArray(70'000, 'n')
                + QByteArray(R"(","password":"long-enough","role":"agent"})")
                                  << 413 << u"payload_too_large"_s << QString();
        QTest::newRow("short new password")
            << QByteArray("POST") << u"/api/admin/users/a2/password"_s << QByteArray(R"({"password":"short"})") << 400
            << u"invalid_value"_s << u"password"_s;
        QTest::newRow("password of nobody")
            << QByteArray("POST") << u"/api/admin/users/nobody/password"_s
            << QByteArray(R"({"password":"long-enough"})") << 404 << u"not_found"_s << u"id"_s;
        QTest::newRow("disable nobody") << QByteArray("POST") << u"/api/admin/users/nobody/disable"_s << QByteArray()
                                        << 404 << u"not_found"_s << u"id"_s;
        QTest::newRow("disable oneself") << QByteArray("POST") << u"/api/admin/users/ada/disable"_s << QByteArray()
                                         << 403 << u"forbidden"_s << u"id"_s;
        QTest::newRow("zero calls at once")
            << QByteArray("PATCH") << profile << QByteArray(R"({"maxConcurrentCalls":0})") << 400 << u"invalid_value"_s
            << u"maxConcurrentCalls"_s;
        QTest::newRow("priority text") << QByteArray("PATCH") << profile << QByteArray(R"({"priority":"high"})") << 400
                                       << u"wrong_type"_s << u"priority"_s;
        QTest::newRow("fractional wrap-up") << QByteArray("PATCH") << profile << QByteArray(R"({"wrapUpSeconds":1.5})")
                                            << 400 << u"wrong_type"_s << u"wrapUpSeconds"_s;
        QTest::newRow("skill with comma") << QByteArray("PATCH") << profile << QByteArray(R"({"skills":["a,b"]})")
                                          << 400 << u"invalid_value"_s << u"skills"_s;
        QTest::newRow("skills not a list") << QByteArray("PATCH") << profile << QByteArray(R"({"skills":"sales"})")
                                           << 400 << u"wrong_type"_s << u"skills"_s;
        QTest::newRow("misspelt field") << QByteArray("PATCH") << profile << QByteArray(R"({"maxCals":2})") << 400
                                        << u"invalid_value"_s << u"maxCals"_s;
        QTest::newRow("profile of a supervisor")
            << QByteArray("PATCH") << u"/api/admin/agents/sam/profile"_s << QByteArray(R"({"priority":1})") << 404
            << u"unknown_agent"_s << u"agentId"_s;
    }
    void badRequestsChangeNothing()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const QStringList before = tables();
        HttpTestClient client(m_fixture->server().baseUrl());
        client.setBearerToken(m_admin);
        const HttpReply reply = client.send(verb, path, body, body.isEmpty() ? QByteArray() : "application/json");
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(errorFieldOf(reply), field);
        QVERIFY(!reply.json()[u"error"_s][u"message"_s].toString().isEmpty());
        QCOMPARE(tables(), before);
    }

    void disablingEndsTheSessionsAndEnablingLetsTheUserBack()
    {
        const QByteArray agentToken = m_fixture->login(u"a2"_s);
        QVERIFY(m_fixture->heartbeat(u"a2"_s, AgentStatus::Available));
        QVERIFY(m_fixture->agents().agent(u"a2"_s)->sessionId != 0);

        const HttpReply disabled = send("POST", u"/api/admin/users/a2/disable"_s);
        QCOMPARE(disabled.status, 200);
        QCOMPARE(disabled.json()[u"user"_s][u"disabled"_s].toBool(), true);
        QCOMPARE(m_fixture->get(u"/api/auth/me"_s, agentToken).status, 401);
        QCOMPARE(m_fixture->agents().agent(u"a2"_s)->sessionId, 0);
        QCOMPARE(passwordStatus(u"a2"_s, u"a2-password"_s), 401);
        QCOMPARE(lastAudit(), u"ada|user.disable|a2|{}"_s);

        // A disabled agent keeps their profile: listed, and an admin may still change it.
        const HttpReply profile = send("PATCH", u"/api/admin/agents/a2/profile"_s, {{u"priority"_s, 7}});
        QCOMPARE(profile.status, 200);
        QCOMPARE(profile.json()[u"profile"_s][u"priority"_s].toInt(), 7);

        QCOMPARE(send("POST", u"/api/admin/users/a2/enable"_s).status, 200);
        QCOMPARE(passwordStatus(u"a2"_s, u"a2-password"_s), 200);
        QCOMPARE(lastAudit(), u"ada|user.enable|a2|{}"_s);
    }

    void aNewPasswordReplacesTheOldOneAndEndsSessions()
    {
        const QByteArray old = m_fixture->login(u"a3"_s);
        QVERIFY(!old.isEmpty());
        QCOMPARE(send("POST", u"/api/admin/users/a3/password"_s, {{u"password"_s, u"brand-new-secret"_s}}).status, 200);
        QCOMPARE(m_fixture->get(u"/api/auth/me"_s, old).status, 401);
        QCOMPARE(passwordStatus(u"a3"_s, u"a3-password"_s), 401);
        QCOMPARE(passwordStatus(u"a3"_s, u"brand-new-secret"_s), 200);
        QCOMPARE(lastAudit(), u"ada|user.password|a3|{}"_s); // never the password itself
    }

    void aChangedProfileIsStoredAuditedAndRoutedBy()
    {
        const HttpReply changed = send("PATCH", u"/api/admin/agents/a5/profile"_s,
                                       {{u"skills"_s, QJsonArray {u"billing"_s}}, {u"wrapUpSeconds"_s, 30}});
        QCOMPARE(changed.status, 200);
        QCOMPARE(changed.json()[u"profile"_s][u"skills"_s].toArray(), QJsonArray {u"billing"_s});
        QCOMPARE(changed.json()[u"profile"_s][u"maxConcurrentCalls"_s].toInt(), 1); // untouched
        const AgentRecord *record = m_fixture->agents().agent(u"a5"_s);
        QCOMPARE(record->profile.skills, QStringList {u"billing"_s});
        QCOMPARE(record->profile.wrapUpSeconds, 30);
        QCOMPARE(
            lastAudit(),
            uR"(ada|agent.profile|a5|{"skills":{"from":[],"to":["billing"]},"wrapUpSeconds":{"from":15,"to":30}})"_s);

        // Read back as stored, also after a restart.
        m_fixture->server().stop();
        QVERIFY(m_fixture->server().start({{u"SUPERVISOR_PUSH_INTERVAL_MS"_s, u"10000"_s}}));
        m_admin = m_fixture->login(u"ada"_s);
        const HttpReply read = send("GET", u"/api/admin/agents/a5/profile"_s);
        QCOMPARE(read.json()[u"profile"_s][u"skills"_s].toArray(), QJsonArray {u"billing"_s});
        QCOMPARE(read.json()[u"profile"_s][u"wrapUpSeconds"_s].toInt(), 30);

        // The same values again: nothing to write, nothing to record.
        const QStringList before = tables();
        QCOMPARE(send("PATCH", u"/api/admin/agents/a5/profile"_s, {{u"wrapUpSeconds"_s, 30}}).status, 200);
        QCOMPARE(tables(), before);
    }

    void theRoutingPlanReloadsWithTheSameQueues()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"routing.json"_s);
        auto writePlan = [&path](const QByteArray &json) {
            QFile file(path);
            return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(json) == json.size();
        };
        QVERIFY(writePlan(
            R"({"queues":[{"name":"support","skills":["support"]},{"name":"billing","skills":["billing"]}]})"));
        m_fixture.reset();
        m_fixture = std::make_unique<SupervisorFixture>();
        QVERIFY2(m_fixture->start(standardAgents(), {{u"ROUTING_FILE"_s, path}}), qPrintable(m_fixture->error()));
        m_admin = m_fixture->login(u"ada"_s);
        for (const QString &agent : {u"a2"_s, u"a6"_s, u"a7"_s})
            QVERIFY(m_fixture->heartbeat(agent, AgentStatus::Available));
        const QByteArray supervisor = m_fixture->login(u"sam"_s);
        auto readyIn = [&](const QString &queue) {
            const QJsonArray queues = m_fixture->get(u"/api/queues"_s, supervisor).json()[u"queues"_s].toArray();
            for (const QJsonValue entry : queues) {
                if (entry[u"name"_s] == queue)
                    return entry[u"agentsReady"_s].toInt();
            }
            return -1;
        };
        QCOMPARE(readyIn(u"support"_s), 1); // a2
        QCOMPARE(readyIn(u"billing"_s), 2); // a6, a7

        // Billing callers may now be served by anyone: every ready agent counts for it.
        QVERIFY(writePlan(R"({"queues":[{"name":"support","skills":["support"]},{"name":"billing"}]})"));
        const HttpReply reloaded = send("POST", u"/api/admin/routing/reload"_s);
        QCOMPARE(reloaded.status, 200);
        QCOMPARE(reloaded.json()[u"queues"_s].toArray(), QJsonArray({u"support"_s, u"billing"_s}));
        QCOMPARE(readyIn(u"billing"_s), 3);
        QCOMPARE(lastAudit(), uR"(ada|routing.reload||{"queues":["support","billing"]})"_s);

        // A new queue needs a restart; a broken file is not taken. Either way the running plan stays.
        const QStringList before = tables();
        QVERIFY(writePlan(R"({"queues":[{"name":"support"},{"name":"billing"},{"name":"sales"}]})"));
        HttpReply refused = send("POST", u"/api/admin/routing/reload"_s);
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), u"routing_not_reloaded"_s);
        QVERIFY2(refused.json()[u"error"_s][u"message"_s].toString().contains(u"restart"_s), refused.body.constData());
        QVERIFY(writePlan(R"({"queues":[)"));
        refused = send("POST", u"/api/admin/routing/reload"_s);
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), u"routing_not_reloaded"_s);
        QCOMPARE(readyIn(u"billing"_s), 3);
        QCOMPARE(tables(), before);
    }
};

QTEST_GUILESS_MAIN(TestAdminRoutes)
#include "tst_admin_routes.moc"
