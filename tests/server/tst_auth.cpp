// Logins, session tokens and roles over real HTTP against an in-process server with a manual
// clock: the login answer, refusals that all look alike, expiry, logout, 401 versus 403, and
// changes made by another process (the admin CLI) reaching the running server.

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include "Database.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "JsonResponses.h"
#include "admin/AuditLog.h"
#include "agents/AgentService.h"
#include "auth/AuthService.h"
#include "auth/Crypto.h"
#include "users/UserStore.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QJsonObject credentials(const QString &userId, const QString &password)
{
    return QJsonObject {{u"userId"_s, userId}, {u"password"_s, password}};
}

} // namespace

class TestAuth final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<InProcessServer> m_fixture;
    HttpTestClient m_http;

    /// Logs in and returns the token, failing the test when the login is refused.
    QByteArray login(const QString &userId, const QString &password)
    {
        HttpTestClient client(m_fixture->baseUrl());
        const HttpReply reply = client.postJson(u"/api/auth/login"_s, credentials(userId, password));
        if (reply.status != 200)
            qWarning() << "login of" << userId << "answered" << reply.status << reply.body;
        return reply.json().value(u"token"_s).toString().toLatin1();
    }

    HttpReply getWithToken(const QString &path, const QByteArray &token)
    {
        HttpTestClient client(m_fixture->baseUrl());
        client.setBearerToken(token);
        return client.get(path);
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<InProcessServer>();
        QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
        m_http.setBaseUrl(m_fixture->baseUrl());
        m_http.setBearerToken({});
        UserStore &users = *m_fixture->server().users();
        QVERIFY(users.add(u"alice"_s, u"Alice Agent"_s, Role::Agent, u"alice-password"_s));
        QVERIFY(users.add(u"sam"_s, u"Sam Supervisor"_s, Role::Supervisor, u"sam-password"_s));
        QVERIFY(users.add(u"ada"_s, u"Ada Admin"_s, Role::Admin, u"ada-password"_s));
        QVERIFY(users.add(u"dora"_s, u"Dora Disabled"_s, Role::Agent, u"dora-password"_s));
        QVERIFY(!users.disable(u"dora"_s));
    }
    void cleanup() { m_fixture.reset(); }

    void loginAnswersTokenRoleAndExpiry()
    {
        const HttpReply reply = m_http.postJson(u"/api/auth/login"_s, credentials(u"alice"_s, u"alice-password"_s));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.contentType, QByteArray("application/json"));
        const QJsonObject body = reply.json();
        QCOMPARE(body.keys(), (QStringList {u"expiresAt"_s, u"role"_s, u"token"_s}));
        QCOMPARE(body.value(u"role"_s).toString(), u"agent"_s);
        // Default SESSION_TOKEN_TTL: 12 hours after the manual clock's 2026-01-01T00:00:00Z.
        QCOMPARE(body.value(u"expiresAt"_s).toString(), u"2026-01-01T12:00:00.000Z"_s);
        const QString token = body.value(u"token"_s).toString();
        static const QRegularExpression base64url(u"^[A-Za-z0-9_-]{43}$"_s);
        QVERIFY2(base64url.match(token).hasMatch(), qPrintable(token));

        // Stored only as its SHA-256: no column anywhere holds the token itself.
        TableReader tables(m_fixture->databasePath());
        const QStringList rows = tables.dump(u"auth_tokens"_s);
        QCOMPARE(rows.size(), 1);
        QVERIFY(rows.first().startsWith(QString::fromLatin1(sha256(token.toLatin1()).toHex()) + u'|'));
        QVERIFY(!rows.first().contains(token));
        QCOMPARE(rows.first(),
                 QString::fromLatin1(sha256(token.toLatin1()).toHex())
                     + u"|alice|agent|1767225600000|1767268800000|NULL"_s);

        // Two logins give two different tokens.
        QVERIFY(login(u"alice"_s, u"alice-password"_s) != token.toLatin1());
    }

    void meDescribesTheSession()
    {
        const QByteArray token = login(u"sam"_s, u"sam-password"_s);
        m_fixture->clock().advanceSeconds(60);
        const HttpReply reply = getWithToken(u"/api/auth/me"_s, token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json(),
                 (QJsonObject {{u"userId"_s, u"sam"_s},
                               {u"role"_s, u"supervisor"_s},
                               {u"displayName"_s, u"Sam Supervisor"_s},
                               {u"expiresAt"_s, u"2026-01-01T12:00:00.000Z"_s}}));
    }

    void refusedLoginsLookAlike_data()
    {
        QTest::addColumn<QString>("userId");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("logged"); ///< what the server's log says, for the admin
        QTest::newRow("wrong password") << u"alice"_s << u"not-alice-password"_s
                                        << u"login refused for \"alice\": wrong password"_s;
        QTest::newRow("unknown user") << u"mallory"_s << u"alice-password"_s
                                      << u"login refused for \"mallory\": no such user"_s;
        QTest::newRow("disabled user, right password")
            << u"dora"_s << u"dora-password"_s << u"login refused for \"dora\": the account is disabled"_s;
        QTest::newRow("id not even valid")
            << u"no such user!"_s << u"x"_s << u"login refused for \"no such user!\": no such user"_s;
        QTest::newRow("password of another user")
            << u"alice"_s << u"sam-password"_s << u"login refused for \"alice\": wrong password"_s;
        QTest::newRow("case differs") << u"Alice"_s << u"alice-password"_s
                                      << u"login refused for \"Alice\": no such user"_s;
        QTest::newRow("a line break in the id stays on one line")
            << u"eve\nheartline.auth: login: eve admin"_s << u"x"_s
            << u"login refused for \"eve\\nheartline.auth: login: eve admin\": no such user"_s;
    }
    void refusedLoginsLookAlike()
    {
        QFETCH(QString, userId);
        QFETCH(QString, password);
        QFETCH(QString, logged);
        QTest::ignoreMessage(QtWarningMsg, qPrintable(logged)); // and fails the test if it never comes
        const HttpReply reply = m_http.postJson(u"/api/auth/login"_s, credentials(userId, password));
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.errorCode(), u"invalid_credentials"_s);
        // Same body for every cause: nothing tells an unknown user from a wrong password.
        QCOMPARE(reply.json(),
                 (QJsonObject {{u"error"_s,
                                QJsonObject {{u"code"_s, u"invalid_credentials"_s},
                                             {u"message"_s, u"unknown user or wrong password"_s}}}}));
        QVERIFY(!reply.json().contains(u"token"_s));
        QCOMPARE(TableReader(m_fixture->databasePath()).scalar(u"SELECT count(*) FROM auth_tokens"_s).toInt(), 0);
    }

    void repeatedFailuresLockTheAccountForAWhile()
    {
        const QByteArray supervisor = login(u"sam"_s, u"sam-password"_s);
        auto attempt = [this](const QString &password) {
            return m_http.postJson(u"/api/auth/login"_s, credentials(u"alice"_s, password));
        };
        for (int i = 1; i <= 5; ++i) {
            QTest::ignoreMessage(QtWarningMsg, "login refused for \"alice\": wrong password");
            QCOMPARE(attempt(u"guess-%1"_s.arg(i)).status, 401);
        }
        // Locked: even the right password waits, and no password is checked meanwhile.
        const HttpReply locked = attempt(u"alice-password"_s);
        QCOMPARE(locked.status, 429);
        QCOMPARE(locked.errorCode(), u"too_many_attempts"_s);
        QCOMPARE(locked.header("Retry-After"), QByteArray("30"));
        QCOMPARE(TableReader(m_fixture->databasePath())
                     .scalar(u"SELECT count(*) FROM auth_tokens WHERE user_id = 'alice'"_s)
                     .toInt(),
                 0);
        // Supervisors see it, with when it ends.
        const QJsonArray users = getWithToken(u"/api/users"_s, supervisor).json().value(u"users"_s).toArray();
        QString lockedUntil;
        for (const QJsonValue &user : users) {
            if (user[u"id"_s].toString() == u"alice")
                lockedUntil = user[u"signInLockedUntil"_s].toString();
            else
                QVERIFY(!user.toObject().contains(u"signInLockedUntil"_s));
        }
        QCOMPARE(lockedUntil, isoTimestamp(m_fixture->clock().nowMs() + 30'000));

        // The lock ends by itself; another failure then locks for twice as long.
        m_fixture->clock().advanceSeconds(29);
        QCOMPARE(attempt(u"alice-password"_s).status, 429);
        m_fixture->clock().advanceSeconds(1);
        QTest::ignoreMessage(QtWarningMsg, "login refused for \"alice\": wrong password");
        QCOMPARE(attempt(u"guess-6"_s).status, 401);
        QCOMPARE(attempt(u"alice-password"_s).header("Retry-After"), QByteArray("60"));
        m_fixture->clock().advanceSeconds(60);
        // The right password works again, and starts the count over.
        QCOMPARE(attempt(u"alice-password"_s).status, 200);
        QTest::ignoreMessage(QtWarningMsg, "login refused for \"alice\": wrong password");
        QCOMPARE(attempt(u"guess-7"_s).status, 401);
        QCOMPARE(attempt(u"alice-password"_s).status, 200);
        // Another account was never locked.
        QVERIFY(!login(u"ada"_s, u"ada-password"_s).isEmpty());
    }

    void manyFailuresFromOneAddressLockIt()
    {
        // Twenty different names tried from one address: the address waits, whichever account it asks for.
        for (int i = 0; i < 20; ++i) {
            QTest::ignoreMessage(QtWarningMsg, qPrintable(u"login refused for \"user%1\": no such user"_s.arg(i)));
            QCOMPARE(m_http.postJson(u"/api/auth/login"_s, credentials(u"user%1"_s.arg(i), u"x"_s)).status, 401);
        }
        const HttpReply locked = m_http.postJson(u"/api/auth/login"_s, credentials(u"alice"_s, u"alice-password"_s));
        QCOMPARE(locked.status, 429);
        QCOMPARE(locked.header("Retry-After"), QByteArray("30"));
        m_fixture->clock().advanceSeconds(30);
        QCOMPARE(m_http.postJson(u"/api/auth/login"_s, credentials(u"alice"_s, u"alice-password"_s)).status, 200);
        // A good sign-in ends the run of failures there: the next mistake is one, not the 21st.
        QTest::ignoreMessage(QtWarningMsg, "login refused for \"mallory\": no such user");
        QCOMPARE(m_http.postJson(u"/api/auth/login"_s, credentials(u"mallory"_s, u"x"_s)).status, 401);
        QCOMPARE(m_http.postJson(u"/api/auth/login"_s, credentials(u"sam"_s, u"sam-password"_s)).status, 200);
    }

    void tokenExpiresAfterItsLifetime()
    {
        const QByteArray token = login(u"alice"_s, u"alice-password"_s);
        QCOMPARE(getWithToken(u"/api/auth/me"_s, token).status, 200);
        m_fixture->clock().advanceSeconds(43200 - 1);
        QCOMPARE(getWithToken(u"/api/auth/me"_s, token).status, 200);
        m_fixture->clock().advanceSeconds(1);
        const HttpReply expired = getWithToken(u"/api/auth/me"_s, token);
        QCOMPARE(expired.status, 401);
        QCOMPARE(expired.errorCode(), u"unauthenticated"_s);
        // A fresh login works again.
        QCOMPARE(getWithToken(u"/api/auth/me"_s, login(u"alice"_s, u"alice-password"_s)).status, 200);
    }

    void tokenLifetimeComesFromConfiguration()
    {
        m_fixture->stop();
        QVERIFY2(m_fixture->start({{u"SESSION_TOKEN_TTL"_s, u"600"_s}}), qPrintable(m_fixture->error()));
        const HttpReply reply = HttpTestClient(m_fixture->baseUrl())
                                    .postJson(u"/api/auth/login"_s, credentials(u"alice"_s, u"alice-password"_s));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(u"expiresAt"_s).toString(), u"2026-01-01T00:10:00.000Z"_s);
        const QByteArray token = reply.json().value(u"token"_s).toString().toLatin1();
        m_fixture->clock().advanceSeconds(600);
        QCOMPARE(getWithToken(u"/api/auth/me"_s, token).status, 401);
    }

    void logoutRevokesTheToken()
    {
        const QByteArray token = login(u"alice"_s, u"alice-password"_s);
        const QByteArray other = login(u"alice"_s, u"alice-password"_s);
        HttpTestClient client(m_fixture->baseUrl());
        client.setBearerToken(token);
        const HttpReply logout = client.post(u"/api/auth/logout"_s, {}, {});
        QCOMPARE(logout.status, 204);
        QCOMPARE(getWithToken(u"/api/auth/me"_s, token).status, 401);
        QCOMPARE(client.post(u"/api/auth/logout"_s, {}, {}).errorCode(), u"unauthenticated"_s);
        // Only that session ended, and the revocation is on disk.
        QCOMPARE(getWithToken(u"/api/auth/me"_s, other).status, 200);
        TableReader tables(m_fixture->databasePath());
        QCOMPARE(tables
                     .scalar(u"SELECT count(*) FROM auth_tokens WHERE token_hash = x'%1' AND revoked_at = %2"_s
                                 .arg(QString::fromLatin1(sha256(token).toHex()))
                                 .arg(ManualClock::DefaultStartMs))
                     .toInt(),
                 1);
    }

    void tokensSurviveARestart()
    {
        const QByteArray token = login(u"alice"_s, u"alice-password"_s);
        const QByteArray revoked = login(u"sam"_s, u"sam-password"_s);
        HttpTestClient client(m_fixture->baseUrl());
        client.setBearerToken(revoked);
        QCOMPARE(client.post(u"/api/auth/logout"_s, {}, {}).status, 204);

        m_fixture->stop();
        QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
        QCOMPARE(getWithToken(u"/api/auth/me"_s, token).status, 200);
        QCOMPARE(getWithToken(u"/api/auth/me"_s, revoked).status, 401);
    }

    void unauthenticatedAndForbiddenAreDistinct_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("no header") << QString() << QByteArray() << 401 << u"unauthenticated"_s;
        QTest::newRow("not bearer") << QString() << QByteArray("Basic YWxpY2U6YWxpY2UtcHc=") << 401
                                    << u"unauthenticated"_s;
        QTest::newRow("empty bearer") << QString() << QByteArray("Bearer ") << 401 << u"unauthenticated"_s;
        QTest::newRow("unknown token") << QString() << QByteArray("Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                                       << 401 << u"unauthenticated"_s;
        QTest::newRow("agent") << u"alice"_s << QByteArray() << 403 << u"forbidden"_s;
        QTest::newRow("supervisor") << u"sam"_s << QByteArray() << 200 << QString();
        QTest::newRow("admin") << u"ada"_s << QByteArray() << 200 << QString();
    }
    void unauthenticatedAndForbiddenAreDistinct()
    {
        QFETCH(QString, who);
        QFETCH(QByteArray, authorization);
        QFETCH(int, status);
        QFETCH(QString, code);
        if (!who.isEmpty())
            authorization = "bearer " + login(who, who + u"-password"_s); // the scheme is case-insensitive
        Headers headers;
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        const HttpReply reply = m_http.get(u"/api/users"_s, headers);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(reply.header("WWW-Authenticate"), status == 401 ? QByteArray("Bearer") : QByteArray());
        if (status == 200) {
            const QJsonArray users = reply.json().value(u"users"_s).toArray();
            QCOMPARE(users.size(), 4);
            QCOMPARE(users.at(0).toObject(),
                     (QJsonObject {{u"id"_s, u"ada"_s},
                                   {u"displayName"_s, u"Ada Admin"_s},
                                   {u"role"_s, u"admin"_s},
                                   {u"disabled"_s, false},
                                   {u"createdAt"_s, u"2026-01-01T00:00:00.000Z"_s},
                                   {u"updatedAt"_s, u"2026-01-01T00:00:00.000Z"_s}}));
            QCOMPARE(users.at(2).toObject().value(u"disabled"_s).toBool(), true); // dora
            QVERIFY(!reply.body.contains("password"));
            QVERIFY(!reply.body.contains("salt"));
        }
        // Every role may ask who it is.
        if (status == 403 || status == 200) {
            Headers sameAuth {{"Authorization", authorization}};
            QCOMPARE(m_http.get(u"/api/auth/me"_s, sameAuth).status, 200);
        }
    }

    void changesByAnotherProcessReachTheServer()
    {
        const QByteArray alice = login(u"alice"_s, u"alice-password"_s);
        const QByteArray sam = login(u"sam"_s, u"sam-password"_s);
        AuthService &auth = *m_fixture->server().auth();
        QVERIFY2(!auth.reloadIfChanged(), "nothing changed outside: no reload");
        // Heartbeats written behind by the server's own writer thread (another connection) are not
        // an outside change: reloading every token and profile for them would stall the event loop.
        HttpTestClient agentHttp(m_fixture->baseUrl());
        agentHttp.setBearerToken(alice);
        QCOMPARE(
            agentHttp
                .postJson(u"/api/agent-heartbeat"_s,
                          {{u"agentId"_s, u"alice"_s}, {u"deviceConnected"_s, true}, {u"currentStatus"_s, u"away"_s}})
                .status,
            200);
        m_fixture->server().agents()->flushHeartbeats();
        QVERIFY2(!auth.reloadIfChanged(), "heartbeats written behind are not an outside change");

        // Another connection stands in for the admin CLI (which the CLI tests run for real).
        auto database = Database::open(m_fixture->databasePath());
        QVERIFY(database);
        UserStore outside(*database, m_fixture->clock(), 1000);
        AuditRecord audit {0, 0, u"cli"_s, u"user.password"_s, u"alice"_s, {}};
        QVERIFY(!outside.setPassword(u"alice"_s, u"new-alice-password"_s, &audit));

        // Served from memory: until the reload the old token still passes.
        QCOMPARE(getWithToken(u"/api/auth/me"_s, alice).status, 200);
        QVERIFY(auth.reloadIfChanged());
        QCOMPARE(getWithToken(u"/api/auth/me"_s, alice).status, 401);
        QCOMPARE(getWithToken(u"/api/auth/me"_s, sam).status, 200);
        QVERIFY(!auth.reloadIfChanged());

        QCOMPARE(m_http.postJson(u"/api/auth/login"_s, credentials(u"alice"_s, u"alice-password"_s)).status, 401);
        QCOMPARE(m_http.postJson(u"/api/auth/login"_s, credentials(u"alice"_s, u"new-alice-password"_s)).status, 200);

        // The watch timer finds the next change by itself.
        QSignalSpy reloaded(&auth, &AuthService::reloaded);
        AuditRecord disabling {0, 0, u"cli"_s, u"user.disable"_s, u"sam"_s, {}};
        QVERIFY(!outside.disable(u"sam"_s, &disabling));
        QVERIFY(reloaded.wait(10'000));
        QCOMPARE(getWithToken(u"/api/auth/me"_s, sam).status, 401);
    }
};

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
