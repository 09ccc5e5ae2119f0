// Schema migrations: an empty file gets the whole schema (with the seed's fields and indexes),
// re-opening changes nothing, a failed step leaves the previous version, and a database from a
// newer heartline-server is refused by the server and by the admin CLI.

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "Database.h"
#include "ServerProcess.h"
#include "store/Migrator.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QStringList column(QSqlDatabase db, const QString &sql, int index = 0)
{
    QStringList values;
    QSqlQuery query(db);
    if (!query.exec(sql))
        return {u"error: "_s + query.lastError().text()};
    while (query.next())
        values.append(query.value(index).toString());
    return values;
}

/// The columns of an index, in index order.
QStringList indexColumns(QSqlDatabase db, const QString &index)
{
    return column(db, u"SELECT name FROM pragma_index_info('%1') ORDER BY seqno"_s.arg(index));
}

bool exec(QSqlDatabase db, const QString &sql)
{
    QSqlQuery query(db);
    return query.exec(sql);
}

void setUserVersion(const QString &path, int version)
{
    auto database = Database::open(path);
    QVERIFY(database);
    QVERIFY(exec(database->connection(), u"PRAGMA user_version = %1"_s.arg(version)));
}

} // namespace

class TestMigrations final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void migratesAnEmptyDatabaseToTheLatestVersion()
    {
        QTemporaryDir dir;
        auto database = Database::open(dir.filePath(u"h.db"_s));
        QVERIFY(database);
        const QSqlDatabase db = database->connection();

        const Migrator migrator;
        QVERIFY(migrator.latestVersion() >= 1);
        QCOMPARE(migrator.latestVersion(), builtInMigrations().size());
        const auto version = migrator.migrate(db);
        QVERIFY2(version, qPrintable(version ? QString() : version.error().message));
        QCOMPARE(version.value(), migrator.latestVersion());
        QCOMPARE(Migrator::schemaVersion(db).value(), migrator.latestVersion());

        const QStringList tables = column(db, u"SELECT name FROM sqlite_schema WHERE type = 'table'"_s);
        for (const auto &table :
             {u"users"_s, u"auth_tokens"_s, u"agent_sessions"_s, u"agent_status_changes"_s, u"call_sessions"_s,
              u"connectivity_issues"_s, u"routing_decisions"_s, u"queues"_s, u"queue_members"_s}) {
            QVERIFY2(tables.contains(table), qPrintable(table));
        }
    }

    void hasTheSeedsHeartbeatFieldsAndIndexes()
    {
        QTemporaryDir dir;
        auto database = Database::open(dir.filePath(u"h.db"_s));
        QVERIFY(database);
        const QSqlDatabase db = database->connection();
        QVERIFY(Migrator().migrate(db));

        // @@index([lastHeartbeat, deviceConnected, status]) and
        // @@index([agentId, status, logoutAt, lastHeartbeat]), column for column.
        const QStringList indexes
            = column(db, u"SELECT name FROM pragma_index_list('agent_sessions') WHERE origin = 'c'"_s);
        QStringList shapes;
        for (const QString &index : indexes)
            shapes.append(indexColumns(db, index).join(u','));
        QVERIFY2(shapes.contains(u"last_heartbeat,device_connected,status"_s), qPrintable(shapes.join(u' ')));
        QVERIFY2(shapes.contains(u"agent_id,status,logout_at,last_heartbeat"_s), qPrintable(shapes.join(u' ')));

        // The seed's defaults: deviceConnected false, maxConcurrentCalls 1, lastHeartbeat unset.
        QVERIFY(exec(db,
                     u"INSERT INTO users (id, display_name, role, password_hash, password_salt, "
                     "password_iterations, created_at, updated_at) VALUES ('a1', 'A', 'agent', x'00', x'00', 1, "
                     "0, 0)"_s));
        QVERIFY(exec(db, u"INSERT INTO agent_sessions (agent_id, login_at) VALUES ('a1', 1767225600000)"_s));
        QSqlQuery row(db);
        QVERIFY(row.exec(u"SELECT device_connected, max_concurrent_calls, last_heartbeat, status, login_at "
                         "FROM agent_sessions"_s));
        QVERIFY(row.next());
        QCOMPARE(row.value(0).toInt(), 0);
        QCOMPARE(row.value(1).toInt(), 1);
        QVERIFY(row.value(2).isNull());
        QCOMPARE(row.value(3).toString(), u"offline"_s);
        QCOMPARE(row.value(4).toLongLong(), 1767225600000);
    }

    void refusesWronglyTypedOrDanglingRows_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::newRow("timestamp as text")
            << u"INSERT INTO agent_sessions (agent_id, login_at) VALUES ('a1', 'yesterday')"_s;
        QTest::newRow("session of an unknown agent")
            << u"INSERT INTO agent_sessions (agent_id, login_at) VALUES ('ghost', 1)"_s;
        QTest::newRow("unknown status")
            << u"INSERT INTO agent_sessions (agent_id, login_at, status) VALUES ('a1', 1, 'busy')"_s;
        QTest::newRow("unknown role") << u"INSERT INTO users (id, display_name, role, password_hash, password_salt, "
                                         "password_iterations, created_at, updated_at) VALUES ('b', 'B', 'boss', "
                                         "x'00', x'00', 1, 0, 0)"_s;
        QTest::newRow("token hash not 32 bytes")
            << u"INSERT INTO auth_tokens (token_hash, user_id, role, created_at, expires_at) VALUES "
               "(x'0102', 'a1', 'agent', 0, 1)"_s;
    }
    void refusesWronglyTypedOrDanglingRows()
    {
        QFETCH(QString, statement);
        QTemporaryDir dir;
        auto database = Database::open(dir.filePath(u"h.db"_s));
        QVERIFY(database);
        const QSqlDatabase db = database->connection();
        QVERIFY(Migrator().migrate(db));
        QVERIFY(exec(db,
                     u"INSERT INTO users (id, display_name, role, password_hash, password_salt, "
                     "password_iterations, created_at, updated_at) VALUES ('a1', 'A', 'agent', x'00', x'00', 1, "
                     "0, 0)"_s));
        QVERIFY(!exec(db, statement));
    }

    void reopeningIsIdempotent()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.db"_s);
        {
            auto database = Database::open(path);
            QVERIFY(database);
            QVERIFY(Migrator().migrate(database->connection()));
            QVERIFY(exec(database->connection(),
                         u"INSERT INTO queues (name, created_at) VALUES ('support', 1767225600000)"_s));
        }
        auto database = Database::open(path);
        QVERIFY(database);
        const QSqlDatabase db = database->connection();
        const QStringList schemaBefore = column(db, u"SELECT sql FROM sqlite_schema ORDER BY name"_s);
        for (int round = 0; round < 2; ++round) {
            const auto version = Migrator().migrate(db);
            QVERIFY(version);
            QCOMPARE(version.value(), Migrator().latestVersion());
        }
        QCOMPARE(column(db, u"SELECT sql FROM sqlite_schema ORDER BY name"_s), schemaBefore);
        QCOMPARE(column(db, u"SELECT name FROM queues"_s), QStringList {u"support"_s});
    }

    void aFailedMigrationLeavesThePreviousVersion()
    {
        QTemporaryDir dir;
        auto database = Database::open(dir.filePath(u"h.db"_s));
        QVERIFY(database);
        const QSqlDatabase db = database->connection();
        QList<Migration> migrations = builtInMigrations();
        const int good = migrations.size();
        migrations.append(Migration {good + 1, u"%1_broken.sql"_s.arg(good + 1, 4, 10, QChar(u'0')),
                                     u"CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);"_s});

        const auto result = Migrator(migrations).migrate(db);
        QVERIFY(!result);
        QCOMPARE(result.error().code, u"migration_failed"_s);
        QVERIFY2(result.error().message.contains(u"_broken.sql"_s), qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(u"no_such_table"_s), qPrintable(result.error().message));
        QCOMPARE(Migrator::schemaVersion(db).value(), good);
        QVERIFY(!column(db, u"SELECT name FROM sqlite_schema"_s).contains(u"half_done"_s));
    }

    void refusesMigrationsOutOfSequence()
    {
        QTemporaryDir dir;
        auto database = Database::open(dir.filePath(u"h.db"_s));
        QVERIFY(database);
        const auto result = Migrator({Migration {1, u"0001_a.sql"_s, u"CREATE TABLE a (x INTEGER)"_s},
                                      Migration {3, u"0003_c.sql"_s, u"CREATE TABLE c (x INTEGER)"_s}})
                                .migrate(database->connection());
        QVERIFY(!result);
        QCOMPARE(result.error().code, u"migration_failed"_s);
        QVERIFY(result.error().message.contains(u"0003_c.sql"_s));
        QCOMPARE(Migrator::schemaVersion(database->connection()).value(), 0);
    }

    void refusesANewerSchema()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.db"_s);
        setUserVersion(path, 999);
        auto database = Database::open(path);
        QVERIFY(database);
        const auto result = Migrator().migrate(database->connection());
        QVERIFY(!result);
        QCOMPARE(result.error().code, u"schema_too_new"_s);
        QVERIFY2(result.error().message.contains(u"999"_s), qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(u"up to %1"_s.arg(Migrator().latestVersion())),
                 qPrintable(result.error().message));
        QCOMPARE(Migrator::schemaVersion(database->connection()).value(), 999);
    }

    void theServerAndTheCliRefuseANewerSchema_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("server") << QStringList {u"--listen"_s, u"127.0.0.1:0"_s};
        QTest::newRow("user list") << QStringList {u"user"_s, u"list"_s};
        QTest::newRow("user disable") << QStringList {u"user"_s, u"disable"_s, u"alice"_s};
    }
    void theServerAndTheCliRefuseANewerSchema()
    {
        QFETCH(QStringList, arguments);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.db"_s);
        setUserVersion(path, 999);
        const ProcessResult result = runProcess(ServerProcess::binary(), QStringList {u"--db"_s, path} + arguments);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.standardError.contains(u"schema version 999"_s), qPrintable(result.standardError));
        QVERIFY2(result.standardError.contains(u"up to %1"_s.arg(Migrator().latestVersion())),
                 qPrintable(result.standardError));
        QVERIFY(!result.standardOutput.contains(u"listening"_s));
    }

    void splitsStatementsOutsideQuotesAndComments_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QStringList>("statements");
        QTest::newRow("two") << u"CREATE TABLE a (x);\nCREATE TABLE b (y);\n"_s
                             << QStringList {u"CREATE TABLE a (x)"_s, u"CREATE TABLE b (y)"_s};
        QTest::newRow("no final semicolon") << u"SELECT 1"_s << QStringList {u"SELECT 1"_s};
        QTest::newRow("semicolon in a string") << u"INSERT INTO t VALUES ('a;b');SELECT 2;"_s
                                               << QStringList {u"INSERT INTO t VALUES ('a;b')"_s, u"SELECT 2"_s};
        QTest::newRow("doubled quote") << u"SELECT 'it''s; fine';"_s << QStringList {u"SELECT 'it''s; fine'"_s};
        QTest::newRow("line comment") << u"-- first; not a statement\nSELECT 1; -- trailing; comment\n"_s
                                      << QStringList {u"SELECT 1"_s};
        QTest::newRow("block comment") << u"/* a; b */ SELECT 1;"_s << QStringList {u"SELECT 1"_s};
        QTest::newRow("only comments") << u"-- nothing here;\n/* ; */\n"_s << QStringList {};
    }
    void splitsStatementsOutsideQuotesAndComments()
    {
        QFETCH(QString, sql);
        QFETCH(QStringList, statements);
        QCOMPARE(splitSqlStatements(sql), statements);
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
