// The heartbeat writer on its own: thousands of sessions written in transactions of
// RowsPerTransaction, on the caller's connection and from its thread, each session's newest row
// winning, closed sessions left alone, and rows that could not be written kept for the next try.

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "Database.h"
#include "TableReader.h"
#include "store/HeartbeatWriter.h"
#include "store/Migrator.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

/// More than two transactions' worth, and not a multiple of RowsPerTransaction.
constexpr int Sessions = 2 * HeartbeatWriter::RowsPerTransaction + 137;

bool exec(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    return query.exec(sql);
}

} // namespace

class TestHeartbeatWriter final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Database> m_database;

    QString path() const { return m_dir.filePath(u"h.db"_s); }

private Q_SLOTS:
    void init()
    {
        QFile::remove(path());
        auto database = Database::open(path());
        QVERIFY(database);
        m_database.emplace(std::move(database).value());
        const QSqlDatabase db = m_database->connection();
        QVERIFY(Migrator().migrate(db));
        QVERIFY(
            exec(db,
                 u"INSERT INTO users (id, display_name, role, password_hash, password_salt, "
                 "password_iterations, created_at, updated_at) VALUES ('a', 'A', 'agent', x'00', x'00', 1, 0, 0)"_s));
        QSqlQuery session(db);
        session.prepare(u"INSERT INTO agent_sessions (id, agent_id, login_at, logout_at) VALUES (?, 'a', 0, ?)"_s);
        QVERIFY(QSqlDatabase(db).transaction());
        for (int id = 1; id <= Sessions + 1; ++id) {
            session.bindValue(0, id);
            // The last one has ended: its heartbeat is not written.
            session.bindValue(1, id == Sessions + 1 ? QVariant(qint64(5)) : QVariant(QMetaType(QMetaType::LongLong)));
            QVERIFY(session.exec());
        }
        QVERIFY(QSqlDatabase(db).commit());
    }
    void cleanup() { m_database.reset(); }

    void writesEveryOpenSessionInChunks()
    {
        HeartbeatRows rows;
        for (int id = 1; id <= Sessions + 1; ++id)
            rows.insert(id, HeartbeatRow {1000 + id, id % 2 == 0});
        HeartbeatWriter::write(m_database->connection(), rows);
        QVERIFY(rows.isEmpty());
        TableReader tables(path());
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM session_heartbeats"_s).toInt(), Sessions);
        QCOMPARE(tables
                     .scalar(u"SELECT count(*) FROM session_heartbeats WHERE last_heartbeat = 1000 + session_id "
                             "AND device_connected = (session_id % 2 = 0)"_s)
                     .toInt(),
                 Sessions);
        QCOMPARE(
            tables.scalar(u"SELECT count(*) FROM session_heartbeats WHERE session_id = %1"_s.arg(Sessions + 1)).toInt(),
            0);
    }

    void theThreadWritesWhatIsHandedOverNewestWinning()
    {
        HeartbeatWriter writer;
        QVERIFY(!writer.start(path()));
        HeartbeatRows first;
        HeartbeatRows second;
        for (int id = 1; id <= Sessions; ++id) {
            first.insert(id, HeartbeatRow {100, false});
            if (id % 3 == 0)
                second.insert(id, HeartbeatRow {200, true});
        }
        writer.submit(first);
        writer.submit(second);
        QVERIFY(writer.flush());
        TableReader tables(path());
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM session_heartbeats"_s).toInt(), Sessions);
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM session_heartbeats WHERE last_heartbeat = 200"_s).toInt(),
                 Sessions / 3);
        writer.stop();
    }

    void rowsThatCannotBeWrittenAreKept()
    {
        // Another connection holds the write lock past the writer's busy timeout.
        QSqlDatabase db = m_database->connection();
        QVERIFY(exec(db, u"PRAGMA busy_timeout = 0"_s));
        QSqlDatabase blocker = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"blocker"_s);
        blocker.setDatabaseName(path());
        QVERIFY(blocker.open());
        QVERIFY(exec(blocker, u"BEGIN IMMEDIATE"_s));
        HeartbeatRows rows {{1, HeartbeatRow {7, true}}, {2, HeartbeatRow {8, false}}};
        HeartbeatWriter::write(db, rows);
        QCOMPARE(rows.size(), 2);
        QVERIFY(exec(blocker, u"ROLLBACK"_s));
        blocker.close();
        blocker = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"blocker"_s);
        HeartbeatWriter::write(db, rows);
        QVERIFY(rows.isEmpty());
        QCOMPARE(TableReader(path()).scalar(u"SELECT sum(last_heartbeat) FROM session_heartbeats"_s).toInt(), 15);
    }
};

QTEST_GUILESS_MAIN(TestHeartbeatWriter)
#include "tst_heartbeat_writer.moc"
