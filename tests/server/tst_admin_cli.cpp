// The admin CLI as an admin runs it (the real heartline-server binary, passwords on stdin):
// add / list / passwd / disable, its refusals and exit codes, and a disable reaching a server
// that is running on the same database.

#include <QSignalSpy>
#include <QTest>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "ServerProcess.h"
#include "TableReader.h"
#include "auth/AuthService.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

/// Runs `heartline-server --db PATH <arguments>` with fast password hashing.
ProcessResult cli(const QString &databasePath, const QStringList &arguments, const QByteArray &input = {})
{
    return runProcess(ServerProcess::binary(),
                      QStringList {u"--db"_s, databasePath, u"--set"_s, u"PASSWORD_ITERATIONS=1000"_s} + arguments,
                      input);
}

QString describe(const ProcessResult &result)
{
    return u"exit %1\nstdout: %2\nstderr: %3"_s.arg(result.exitCode).arg(result.standardOutput, result.standardError);
}

int loginStatus(const QUrl &baseUrl, const QString &userId, const QString &password)
{
    HttpTestClient http(baseUrl);
    return http.postJson(u"/api/auth/login"_s, {{u"userId"_s, userId}, {u"password"_s, password}}).status;
}

} // namespace

class TestAdminCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addListPasswdDisableRoundTrip()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"h.db"_s);

        ProcessResult result
            = cli(db, {u"user"_s, u"add"_s, u"alice"_s, u"--role"_s, u"agent"_s, u"--name"_s, u"Alice Agent"_s},
                  "first secret\n");
        QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
        QVERIFY(result.standardOutput.contains(u"alice"_s));
        result = cli(db, {u"user"_s, u"add"_s, u"sam.s@example.com"_s, u"--role"_s, u"supervisor"_s},
                     "sam secret"); // no final newline
        QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));

        result = cli(db, {u"user"_s, u"list"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
        QCOMPARE(result.standardOutput,
                 u"ID\tNAME\tROLE\tDISABLED\n"
                 "alice\tAlice Agent\tagent\tno\n"
                 "sam.s@example.com\tsam.s@example.com\tsupervisor\tno\n"_s);

        // The real server checks the passwords the CLI stored.
        ServerProcess server;
        QVERIFY2(server.start({u"--db"_s, db}), qPrintable(server.output()));
        QCOMPARE(loginStatus(server.baseUrl(), u"alice"_s, u"first secret"_s), 200);
        QCOMPARE(loginStatus(server.baseUrl(), u"sam.s@example.com"_s, u"sam secret"_s), 200);

        result = cli(db, {u"user"_s, u"passwd"_s, u"alice"_s}, "second secret\r\n");
        QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
        QCOMPARE(loginStatus(server.baseUrl(), u"alice"_s, u"first secret"_s), 401);
        QCOMPARE(loginStatus(server.baseUrl(), u"alice"_s, u"second secret"_s), 200);

        result = cli(db, {u"user"_s, u"disable"_s, u"alice"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
        QCOMPARE(loginStatus(server.baseUrl(), u"alice"_s, u"second secret"_s), 401);
        QCOMPARE(loginStatus(server.baseUrl(), u"sam.s@example.com"_s, u"sam secret"_s), 200);

        result = cli(db, {u"user"_s, u"list"_s});
        QCOMPARE(result.standardOutput,
                 u"ID\tNAME\tROLE\tDISABLED\n"
                 "alice\tAlice Agent\tagent\tyes\n"
                 "sam.s@example.com\tsam.s@example.com\tsupervisor\tno\n"_s);

        result = cli(db, {u"user"_s, u"enable"_s, u"alice"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
        QCOMPARE(loginStatus(server.baseUrl(), u"alice"_s, u"second secret"_s), 200);

        // Every change is in the audit log, made by "cli", and no password is in it.
        TableReader tables(db);
        QCOMPARE(tables.dump(u"audit_log"_s).replaceInStrings(QRegularExpression(u"^\\d+\\|\\d+\\|"_s), QString()),
                 QStringList(
                     {uR"(cli|user.add|alice|{"displayName":"Alice Agent","role":"agent"})"_s,
                      uR"(cli|user.add|sam.s@example.com|{"displayName":"sam.s@example.com","role":"supervisor"})"_s,
                      u"cli|user.password|alice|{}"_s, u"cli|user.disable|alice|{}"_s, u"cli|user.enable|alice|{}"_s}));
    }

    void refusesBadCommands_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");

        const QStringList add {u"user"_s, u"add"_s};
        QTest::newRow("duplicate user") << add + QStringList {u"alice"_s, u"--role"_s, u"admin"_s}
                                        << QByteArray("a-long-password\n") << 4 << u"alice already exists"_s;
        QTest::newRow("bad role") << add + QStringList {u"bob"_s, u"--role"_s, u"boss"_s}
                                  << QByteArray("a-long-password\n") << 2 << u"--role boss is not a role"_s;
        QTest::newRow("missing role") << add + QStringList {u"bob"_s} << QByteArray("a-long-password\n") << 2
                                      << u"--role is required"_s;
        QTest::newRow("id with a space") << add + QStringList {u"bob smith"_s, u"--role"_s, u"agent"_s}
                                         << QByteArray("a-long-password\n") << 2 << u"\"bob smith\" is not accepted"_s;
        QTest::newRow("id with a slash") << add + QStringList {u"a/b"_s, u"--role"_s, u"agent"_s}
                                         << QByteArray("a-long-password\n") << 2 << u"\"a/b\" is not accepted"_s;
        QTest::newRow("id with a final newline") << add + QStringList {u"bob\n"_s, u"--role"_s, u"agent"_s}
                                                 << QByteArray("a-long-password\n") << 2 << u"1 to 64 characters"_s;
        QTest::newRow("id of 65 characters") << add + QStringList {QString(65, u'a'), u"--role"_s, u"agent"_s}
                                             << QByteArray("a-long-password\n") << 2 << u"1 to 64 characters"_s;
        QTest::newRow("empty password") << add + QStringList {u"bob"_s, u"--role"_s, u"agent"_s} << QByteArray("\n")
                                        << 2 << u"must not be empty"_s;
        QTest::newRow("password of 7 characters") << add + QStringList {u"bob"_s, u"--role"_s, u"agent"_s}
                                                  << QByteArray("1234567\n") << 2 << u"at least 8 characters"_s;
        QTest::newRow("passwd of 7 characters") << QStringList {u"user"_s, u"passwd"_s, u"alice"_s}
                                                << QByteArray("seven77\n") << 2 << u"at least 8 characters"_s;
        QTest::newRow("no password at all")
            << add + QStringList {u"bob"_s, u"--role"_s, u"agent"_s} << QByteArray() << 2 << u"must not be empty"_s;
        QTest::newRow("two ids") << add + QStringList {u"bob"_s, u"carl"_s, u"--role"_s, u"agent"_s}
                                 << QByteArray("a-long-password\n") << 2 << u"exactly one user id"_s;
        QTest::newRow("passwd of unknown user") << QStringList {u"user"_s, u"passwd"_s, u"mallory"_s}
                                                << QByteArray("a-long-password\n") << 3 << u"no user with id mallory"_s;
        QTest::newRow("passwd empty") << QStringList {u"user"_s, u"passwd"_s, u"alice"_s} << QByteArray("\n") << 2
                                      << u"must not be empty"_s;
        QTest::newRow("disable unknown user")
            << QStringList {u"user"_s, u"disable"_s, u"mallory"_s} << QByteArray() << 3 << u"no user with id mallory"_s;
        QTest::newRow("disable without id")
            << QStringList {u"user"_s, u"disable"_s} << QByteArray() << 2 << u"exactly one user id"_s;
        QTest::newRow("unknown subcommand") << QStringList {u"user"_s, u"delete"_s, u"alice"_s} << QByteArray() << 2
                                            << u"unknown command: user delete"_s;
        QTest::newRow("unknown command") << QStringList {u"agents"_s, u"list"_s} << QByteArray() << 2
                                         << u"unknown command: agents list"_s;
    }
    void refusesBadCommands()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, input);
        QFETCH(int, exitCode);
        QFETCH(QString, message);

        QTemporaryDir dir;
        const QString db = dir.filePath(u"h.db"_s);
        QCOMPARE(cli(db, {u"user"_s, u"add"_s, u"alice"_s, u"--role"_s, u"agent"_s}, "alice password\n").exitCode, 0);
        const QStringList before = TableReader(db).dump(u"users"_s);
        QCOMPARE(before.size(), 1);

        const ProcessResult result = cli(db, arguments, input);
        QVERIFY2(result.exitCode == exitCode, qPrintable(describe(result)));
        QVERIFY2(result.standardError.contains(message), qPrintable(describe(result)));
        QVERIFY(result.standardOutput.isEmpty());
        QCOMPARE(TableReader(db).dump(u"users"_s), before);
    }

    void usageErrorsDoNotCreateADatabase()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"never.db"_s);
        const ProcessResult result
            = cli(db, {u"user"_s, u"add"_s, u"bob"_s, u"--role"_s, u"boss"_s}, "a-long-password\n");
        QCOMPARE(result.exitCode, 2);
        QVERIFY(!QFileInfo::exists(db));
    }

    void disableReachesARunningServer()
    {
        InProcessServer fixture;
        QVERIFY2(fixture.start(), qPrintable(fixture.error()));
        const QString db = fixture.databasePath();
        QCOMPARE(cli(db, {u"user"_s, u"add"_s, u"alice"_s, u"--role"_s, u"agent"_s}, "alice password\n").exitCode, 0);
        QCOMPARE(cli(db, {u"user"_s, u"add"_s, u"sam"_s, u"--role"_s, u"supervisor"_s}, "sam password\n").exitCode, 0);

        HttpTestClient http(fixture.baseUrl());
        const auto tokenOf = [&](const QString &id, const QString &password) {
            return http.postJson(u"/api/auth/login"_s, {{u"userId"_s, id}, {u"password"_s, password}})
                .json()
                .value(u"token"_s)
                .toString()
                .toLatin1();
        };
        const QByteArray alice = tokenOf(u"alice"_s, u"alice password"_s);
        const QByteArray sam = tokenOf(u"sam"_s, u"sam password"_s);
        const auto meStatus = [&](const QByteArray &token) {
            HttpTestClient client(fixture.baseUrl());
            client.setBearerToken(token);
            return client.get(u"/api/auth/me"_s).status;
        };
        QCOMPARE(meStatus(alice), 200);

        QSignalSpy reloaded(fixture.server().auth(), &AuthService::reloaded);
        const ProcessResult result = cli(db, {u"user"_s, u"disable"_s, u"alice"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
        // The server's watch timer (every 2 s) notices the CLI's commit.
        QVERIFY(reloaded.wait(10'000));
        QCOMPARE(meStatus(alice), 401);
        QCOMPARE(meStatus(sam), 200);
    }
};

QTEST_GUILESS_MAIN(TestAdminCli)
#include "tst_admin_cli.moc"
