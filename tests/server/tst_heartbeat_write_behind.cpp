// Heartbeats written behind in chunks: a second's worth of heartbeats from many agents is written a
// chunk per transaction with the event loop free in between, every one of them reaches the table,
// the newest value of a session wins, and an explicit flush still writes everything at once.

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "Database.h"
#include "agents/AgentStore.h"
#include "store/Migrator.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

constexpr int Agents = 1000;
constexpr qint64 Now = 1'767'225'600'000; // 2026-01-01T00:00:00Z

qint64 count(const Database &database, const QString &where)
{
    QSqlQuery query(database.connection());
    if (!query.exec(u"SELECT count(*) FROM agent_sessions WHERE "_s + where) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

} // namespace

class TestHeartbeatWriteBehind final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<Database> m_database;
    std::unique_ptr<AgentStore> m_store;
    QList<qint64> m_sessions;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto database = Database::open(m_dir->filePath(u"h.db"_s));
        QVERIFY(database);
        m_database.emplace(std::move(database).value());
        QVERIFY(Migrator().migrate(m_database->connection()));
        m_store = std::make_unique<AgentStore>(*m_database);
        m_sessions.clear();
        QSqlDatabase db = m_database->connection();
        QVERIFY(db.transaction());
        QSqlQuery user(db);
        user.prepare(u"INSERT INTO users (id, display_name, role, password_hash, password_salt, password_iterations, "
                     "created_at, updated_at) VALUES (?, ?, 'agent', x'00', x'00', 1, 0, 0)"_s);
        for (int i = 0; i < Agents; ++i) {
            user.addBindValue(u"agent-%1"_s.arg(i));
            user.addBindValue(u"Agent %1"_s.arg(i));
            QVERIFY2(user.exec(), qPrintable(user.lastError().text()));
        }
        QVERIFY(db.commit());
        for (int i = 0; i < Agents; ++i) {
            AgentProfile profile;
            profile.agentId = u"agent-%1"_s.arg(i);
            const auto session = m_store->openSession(profile, Now);
            QVERIFY(session);
            m_sessions.append(session.value());
        }
    }

    void cleanup()
    {
        m_store.reset();
        m_database.reset();
    }

    void aChunkIsWrittenPerTransaction()
    {
        for (qint64 session : std::as_const(m_sessions))
            m_store->queueHeartbeat(session, Now + 1000, true);
        QCOMPARE(m_store->writeQueued(AgentStore::FlushChunkRows), AgentStore::FlushChunkRows);
        QCOMPARE(count(*m_database, u"last_heartbeat = %1"_s.arg(Now + 1000)), AgentStore::FlushChunkRows);
        QCOMPARE(m_store->pendingHeartbeats(), Agents - AgentStore::FlushChunkRows);
    }

    void theTimersWriteEveryHeartbeatChunkByChunk()
    {
        for (qint64 session : std::as_const(m_sessions))
            m_store->queueHeartbeat(session, Now + 1000, true);
        // A later heartbeat of the same session replaces the queued one.
        m_store->queueHeartbeat(m_sessions.first(), Now + 2000, false);
        QCOMPARE(m_store->pendingHeartbeats(), Agents);
        QTRY_COMPARE_WITH_TIMEOUT(m_store->pendingHeartbeats(), 0, 10'000);
        QCOMPARE(count(*m_database, u"last_heartbeat = %1 AND device_connected = 1"_s.arg(Now + 1000)), Agents - 1);
        QCOMPARE(
            count(
                *m_database,
                u"id = %1 AND last_heartbeat = %2 AND device_connected = 0"_s.arg(m_sessions.first()).arg(Now + 2000)),
            1);
    }

    void anExplicitFlushWritesEverythingAtOnce()
    {
        for (qint64 session : std::as_const(m_sessions))
            m_store->queueHeartbeat(session, Now + 3000, true);
        m_store->flushHeartbeats();
        QCOMPARE(m_store->pendingHeartbeats(), 0);
        QCOMPARE(count(*m_database, u"last_heartbeat = %1"_s.arg(Now + 3000)), Agents);
    }
};

QTEST_GUILESS_MAIN(TestHeartbeatWriteBehind)
#include "tst_heartbeat_write_behind.moc"
