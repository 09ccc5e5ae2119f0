// Bad requests on the login route (and unknown paths and wrong methods elsewhere): each gets
// its exact status and error code, and none of them changes the database. Credentials longer than
// any user's are refused before a password is hashed, and a password being checked does not hold
// up anyone else's requests.

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "auth/PasswordHasher.h"
#include "users/UserStore.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestLoginRequests final : public QObject
{
    Q_OBJECT

private:
    InProcessServer m_fixture;

    /// heartline_password_checks_total from /metrics.
    double passwordChecks() const
    {
        const QByteArray text = HttpTestClient(m_fixture.baseUrl()).get(u"/metrics"_s).body;
        static const QRegularExpression line(u"^heartline_password_checks_total (\\S+)$"_s,
                                             QRegularExpression::MultilineOption);
        const QRegularExpressionMatch match = line.match(QString::fromUtf8(text));
        return match.hasMatch() ? match.captured(1).toDouble() : -1;
    }

    QStringList snapshot() const
    {
        TableReader tables(m_fixture.databasePath());
        return tables.dump(u"users"_s) + QStringList {u"--"_s} + tables.dump(u"auth_tokens"_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_fixture.start(), qPrintable(m_fixture.error()));
        QVERIFY(m_fixture.server().users()->add(u"alice"_s, u"Alice"_s, Role::Agent, u"alice-password"_s));
        // One live session, so "unchanged" also covers the tokens table.
        HttpTestClient http(m_fixture.baseUrl());
        QCOMPARE(http.postJson(u"/api/auth/login"_s, {{u"userId"_s, u"alice"_s}, {u"password"_s, u"alice-password"_s}})
                     .status,
                 200);
    }

    void refusesBadRequests_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");

        const QByteArray json = "application/json";
        const QString login = u"/api/auth/login"_s;
        const QByteArray padding(65 * 1024, ' ');

        QTest::newRow("malformed JSON") << QByteArray("POST") << login << json << QByteArray(R"({"userId": "alice",)")
                                        << 400 << u"malformed_json"_s << QString();
        QTest::newRow("array body") << QByteArray("POST") << login << json
                                    << QByteArray(R"([{"userId":"alice","password":"alice-password"}])") << 400
                                    << u"malformed_json"_s << QString();
        QTest::newRow("string body") << QByteArray("POST") << login << json << QByteArray(R"("alice")") << 400
                                     << u"malformed_json"_s << QString();
        QTest::newRow("empty body") << QByteArray("POST") << login << json << QByteArray() << 400 << u"malformed_json"_s
                                    << QString();
        QTest::newRow("missing userId") << QByteArray("POST") << login << json
                                        << QByteArray(R"({"password":"alice-password"})") << 400 << u"missing_field"_s
                                        << u"userId"_s;
        QTest::newRow("userId number") << QByteArray("POST") << login << json
                                       << QByteArray(R"({"userId":42,"password":"alice-password"})") << 400
                                       << u"wrong_type"_s << u"userId"_s;
        QTest::newRow("userId null") << QByteArray("POST") << login << json
                                     << QByteArray(R"({"userId":null,"password":"alice-password"})") << 400
                                     << u"wrong_type"_s << u"userId"_s;
        QTest::newRow("empty userId") << QByteArray("POST") << login << json
                                      << QByteArray(R"({"userId":"","password":"alice-password"})") << 400
                                      << u"invalid_value"_s << u"userId"_s;
        QTest::newRow("missing password") << QByteArray("POST") << login << json << QByteArray(R"({"userId":"alice"})")
                                          << 400 << u"missing_field"_s << u"password"_s;
        QTest::newRow("empty password") << QByteArray("POST") << login << json
                                        << QByteArray(R"({"userId":"alice","password":""})") << 400
                                        << u"invalid_value"_s << u"password"_s;
        QTest::newRow("password array") << QByteArray("POST") << login << json
                                        << QByteArray(R"({"userId":"alice","password":["alice-password"]})") << 400
                                        << u"wrong_type"_s << u"password"_s;
        QTest::newRow("userId twice") << QByteArray("POST") << login << json
                                      << QByteArray(
                                             R"({"userId":"mallory","userId":"alice","password":"alice-password"})")
                                      << 400 << u"duplicate_key"_s << u"userId"_s;
        QTest::newRow("password twice") << QByteArray(
            "POST") << login << json << QByteArray(R"({"userId":"alice","password":"x","password":"alice-password"})")
                                        << 400 << u"duplicate_key"_s << u"password"_s;
        QTest::newRow("60,000-character userId")
            << QByteArray("POST") << login << json
            << QByteArray(R"({"userId":")" + QByteArray(60'000, 'a') + R"(","password":"alice-password"})") << 400
            << u"invalid_value"_s << u"userId"_s;
        QTest::newRow("userId of 65 characters")
            << QByteArray("POST") << login << json
            << QByteArray(R"({"userId":")" + QByteArray(65, 'a') + R"(","password":"alice-password"})") << 400
            << u"invalid_value"_s << u"userId"_s;
        QTest::newRow("password of 1025 characters")
            << QByteArray("POST") << login << json
            << QByteArray(R"({"userId":"alice","password":")" + QByteArray(1025, 'p') + R"("})") << 400
            << u"invalid_value"_s << u"password"_s;
        QTest::newRow("65 KiB body") << QByteArray("POST") << login << json
                                     << QByteArray(R"({"userId":"alice","password":"alice-password"})" + padding) << 413
                                     << u"payload_too_large"_s << QString();
        QTest::newRow("text/plain") << QByteArray("POST") << login << QByteArray("text/plain")
                                    << QByteArray(R"({"userId":"alice","password":"alice-password"})") << 415
                                    << u"unsupported_media_type"_s << QString();
        QTest::newRow("form encoded") << QByteArray("POST") << login << QByteArray("application/x-www-form-urlencoded")
                                      << QByteArray("userId=alice&password=alice-password") << 415
                                      << u"unsupported_media_type"_s << QString();
        QTest::newRow("lookalike content type") << QByteArray("POST") << login << QByteArray("application/jsonp")
                                                << QByteArray(R"({"userId":"alice","password":"alice-password"})")
                                                << 415 << u"unsupported_media_type"_s << QString();
        QTest::newRow("GET instead of POST") << QByteArray("GET") << login << QByteArray() << QByteArray() << 405
                                             << u"method_not_allowed"_s << QString();
        QTest::newRow("PUT instead of POST")
            << QByteArray("PUT") << login << json << QByteArray(R"({"userId":"alice","password":"alice-password"})")
            << 405 << u"method_not_allowed"_s << QString();
        QTest::newRow("DELETE instead of POST") << QByteArray("DELETE") << login << QByteArray() << QByteArray() << 405
                                                << u"method_not_allowed"_s << QString();
        QTest::newRow("unknown path") << QByteArray("POST") << u"/api/auth/signin"_s << json
                                      << QByteArray(R"({"userId":"alice","password":"alice-password"})") << 404
                                      << u"not_found"_s << QString();
        QTest::newRow("trailing slash") << QByteArray("POST") << u"/api/auth/login/"_s << json
                                        << QByteArray(R"({"userId":"alice","password":"alice-password"})") << 404
                                        << u"not_found"_s << QString();
        QTest::newRow("prefix of a route")
            << QByteArray("POST") << u"/api/auth"_s << json
            << QByteArray(R"({"userId":"alice","password":"alice-password"})") << 404 << u"not_found"_s << QString();
        QTest::newRow("wrong password") << QByteArray("POST") << login << json
                                        << QByteArray(R"({"userId":"alice","password":"bob-password"})") << 401
                                        << u"invalid_credentials"_s << QString();
        QTest::newRow("POST to a GET route") << QByteArray("POST") << u"/api/auth/me"_s << json << QByteArray("{}")
                                             << 405 << u"method_not_allowed"_s << QString();
        QTest::newRow("POST to /healthz") << QByteArray("POST") << u"/healthz"_s << QByteArray() << QByteArray() << 405
                                          << u"method_not_allowed"_s << QString();
    }
    void refusesBadRequests()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, field);

        const QStringList before = snapshot();
        QCOMPARE(before.size(), 3); // alice, separator, her token

        HttpTestClient http(m_fixture.baseUrl());
        const HttpReply reply = http.send(method, path, body, contentType);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.contentType, QByteArray("application/json"));
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
        QVERIFY(!reply.json().value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
        QVERIFY(!reply.json().contains(u"token"_s));
        // Every answer, matched or not, carries the common headers.
        QCOMPARE(reply.header("Cache-Control"), QByteArray("no-store"));
        if (status == 405) {
            const QByteArray allow = path == u"/api/auth/me" || path == u"/healthz" ? "GET" : "POST";
            QCOMPARE(reply.header("Allow"), allow);
        } else {
            QCOMPARE(reply.header("Allow"), QByteArray());
        }

        QCOMPARE(snapshot(), before);
    }

    void oversizedCredentialsAreRefusedWithoutHashing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("60,000-character userId")
            << QByteArray(R"({"userId":")" + QByteArray(60'000, 'a') + R"(","password":"alice-password"})")
            << u"userId"_s;
        QTest::newRow("60,000-character password")
            << QByteArray(R"({"userId":"alice","password":")" + QByteArray(60'000, 'p') + R"("})") << u"password"_s;
    }
    void oversizedCredentialsAreRefusedWithoutHashing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        HttpTestClient http(m_fixture.baseUrl());
        const double checksBefore = passwordChecks();
        const HttpReply reply = http.post(u"/api/auth/login"_s, body);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorCode(), u"invalid_value"_s);
        QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
        QCOMPARE(passwordChecks(), checksBefore); // answered before PBKDF2 ran

        // The counter does count: an unknown user of ordinary length costs one check.
        QCOMPARE(http.postJson(u"/api/auth/login"_s, {{u"userId"_s, u"zed"_s}, {u"password"_s, u"pw"_s}}).status, 401);
        QCOMPARE(passwordChecks(), checksBefore + 1);
    }

    void acceptsJsonWithACharset()
    {
        HttpTestClient http(m_fixture.baseUrl());
        const HttpReply reply = http.post(u"/api/auth/login"_s, R"({"userId":"alice","password":"alice-password"})",
                                          "Application/JSON; charset=utf-8");
        QCOMPARE(reply.status, 200);
        QVERIFY(!reply.json().value(u"token"_s).toString().isEmpty());
    }

    void acceptsABodyOfExactly64KiB()
    {
        QByteArray body = R"({"userId":"alice","password":"alice-password"})";
        body += QByteArray(64 * 1024 - body.size(), ' ');
        QCOMPARE(body.size(), 64 * 1024);
        HttpTestClient http(m_fixture.baseUrl());
        QCOMPARE(http.post(u"/api/auth/login"_s, body).status, 200);
    }

    void heartbeatsGoOnWhileAPasswordIsChecked()
    {
        // A user whose password takes about a second to check (its own iteration count, stored with it).
        QVERIFY(m_fixture.server().users()->add(u"slow"_s, u"Slow"_s, Role::Agent, u"slow-password"_s));
        const PasswordHash slowHash = PasswordHasher::hash(u"slow-password"_s, 1'000'000);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"slow-user"_s);
            db.setDatabaseName(m_fixture.databasePath());
            QVERIFY(db.open());
            QSqlQuery update(db);
            update.prepare(u"UPDATE users SET password_hash = ?, password_salt = ?, password_iterations = ? "
                           "WHERE id = 'slow'"_s);
            update.addBindValue(slowHash.hash);
            update.addBindValue(slowHash.salt);
            update.addBindValue(slowHash.iterations);
            QVERIFY(update.exec());
            db.close();
        }
        QSqlDatabase::removeDatabase(u"slow-user"_s);
        HttpTestClient http(m_fixture.baseUrl());
        const QByteArray alice = loginToken(m_fixture.baseUrl(), u"alice"_s);
        http.setBearerToken(alice);

        // The slow login is sent and left running; heartbeats are answered meanwhile.
        QNetworkAccessManager network;
        QNetworkRequest request(m_fixture.baseUrl().resolved(QUrl(u"/api/auth/login"_s)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        std::unique_ptr<QNetworkReply> slowLogin(
            network.post(request, QByteArrayLiteral(R"({"userId":"slow","password":"slow-password"})")));
        const QJsonObject heartbeat {
            {u"agentId"_s, u"alice"_s}, {u"deviceConnected"_s, true}, {u"currentStatus"_s, u"available"_s}};
        for (int i = 0; i < 3; ++i)
            QCOMPARE(http.postJson(u"/api/agent-heartbeat"_s, heartbeat).status, 200);
        QVERIFY(!slowLogin->isFinished());
        QVERIFY(QTest::qWaitFor([&slowLogin] { return slowLogin->isFinished(); }, 30'000));
        QCOMPARE(slowLogin->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    }
};

QTEST_GUILESS_MAIN(TestLoginRequests)
#include "tst_login_requests.moc"
