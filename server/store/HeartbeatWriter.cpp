#include "store/HeartbeatWriter.h"

#include <vector>

#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

#include "store/ThreadConnection.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHeartbeatWriter, "heartline.store.heartbeats")

namespace heartline {

namespace {

/// A failed batch is tried again after this long, with whatever arrived meanwhile.
constexpr int RetryMs = 1000;

} // namespace

std::optional<Problem> HeartbeatWriter::start(const QString &databasePath)
{
    if (m_thread.joinable())
        return std::nullopt;
    std::promise<QString> opened;
    std::future<QString> openError = opened.get_future();
    m_stopping = false;
    m_thread = std::thread(&HeartbeatWriter::run, this, databasePath, std::move(opened));
    if (const QString error = openError.get(); !error.isEmpty()) {
        m_thread.join();
        return Problem {u"database_unavailable"_s, u"database"_s,
                        u"database %1: cannot open the heartbeat connection: %2"_s.arg(databasePath, error)};
    }
    return std::nullopt;
}

void HeartbeatWriter::submit(HeartbeatRows rows)
{
    if (rows.isEmpty())
        return;
    {
        std::lock_guard lock(m_mutex);
        if (m_queue.isEmpty()) {
            m_queue = std::move(rows);
        } else {
            for (auto it = rows.constBegin(); it != rows.constEnd(); ++it)
                m_queue.insert(it.key(), it.value());
        }
        ++m_submitted;
    }
    m_wake.notify_all();
}

bool HeartbeatWriter::flush(int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    if (!m_thread.joinable())
        return m_queue.isEmpty();
    const quint64 ticket = m_submitted;
    return m_done.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this, ticket] { return m_written >= ticket; });
}

void HeartbeatWriter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_thread.joinable())
            return;
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    m_stopping = false;
}

void HeartbeatWriter::write(const QSqlDatabase &db, HeartbeatRows &rows)
{
    // Only sessions still open: a close that came first wrote the final values into agent_sessions.
    QSqlQuery upsert(db);
    upsert.prepare(u"INSERT INTO session_heartbeats (session_id, last_heartbeat, device_connected) "
                   "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM agent_sessions WHERE id = ? AND logout_at IS NULL) "
                   "ON CONFLICT (session_id) DO UPDATE SET last_heartbeat = excluded.last_heartbeat, "
                   "device_connected = excluded.device_connected"_s);
    // In a list of their own: erasing from a QHash while walking it moves its entries about.
    std::vector<std::pair<qint64, HeartbeatRow>> pending;
    pending.reserve(size_t(rows.size()));
    for (auto it = rows.constBegin(); it != rows.constEnd(); ++it)
        pending.emplace_back(it.key(), it.value());
    QSqlDatabase connection = db;
    size_t written = 0;
    while (written < pending.size()) {
        if (!connection.transaction()) {
            qCWarning(lcHeartbeatWriter).noquote()
                << "cannot begin writing heartbeats:" << connection.lastError().text();
            break;
        }
        const size_t chunkEnd = qMin(pending.size(), written + size_t(RowsPerTransaction));
        bool failed = false;
        for (size_t i = written; i < chunkEnd && !failed; ++i) {
            const auto &[sessionId, row] = pending[i];
            upsert.bindValue(0, sessionId);
            upsert.bindValue(1, row.atMs);
            upsert.bindValue(2, row.deviceConnected ? 1 : 0);
            upsert.bindValue(3, sessionId);
            failed = !upsert.exec();
            if (failed)
                qCWarning(lcHeartbeatWriter).noquote() << "writing heartbeats failed:" << upsert.lastError().text();
        }
        if (!failed && !connection.commit()) {
            qCWarning(lcHeartbeatWriter).noquote() << "committing heartbeats failed:" << connection.lastError().text();
            failed = true;
        }
        if (failed) {
            connection.rollback();
            break; // this chunk and the rest are kept
        }
        written = chunkEnd;
    }
    if (written == pending.size()) {
        rows.clear();
        return;
    }
    HeartbeatRows rest;
    for (size_t i = written; i < pending.size(); ++i)
        rest.insert(pending[i].first, pending[i].second);
    rows = std::move(rest);
}

void HeartbeatWriter::run(const QString &path, std::promise<QString> opened)
{
    // Its busy timeout waits out a commit of the server's own connection (short: one status, one call).
    const ThreadConnection connection(u"heartline-heartbeats-%1"_s.arg(quintptr(this)), path);
    opened.set_value(connection.error());
    if (!connection.error().isEmpty())
        return;
    {
        const QSqlDatabase db = connection.database();
        QSqlQuery(db).exec(u"PRAGMA wal_autocheckpoint=0"_s); // WalCheckpointer's job

        HeartbeatRows failed; // kept from a batch that could not be written
        std::unique_lock lock(m_mutex);
        for (;;) {
            const bool retrying = !failed.isEmpty();
            m_wake.wait_for(lock, std::chrono::milliseconds(retrying ? RetryMs : 60'000),
                            [this] { return m_stopping || !m_queue.isEmpty(); });
            const bool stopping = m_stopping;
            const quint64 ticket = m_submitted;
            HeartbeatRows rows = std::exchange(m_queue, {});
            lock.unlock();
            for (auto it = failed.constBegin(); it != failed.constEnd(); ++it) {
                if (!rows.contains(it.key()))
                    rows.insert(it.key(), it.value()); // newer rows win
            }
            write(db, rows);
            failed = std::move(rows);
            lock.lock();
            if (failed.isEmpty())
                m_written = ticket;
            m_done.notify_all();
            if (stopping)
                break;
        }
        lock.unlock();
        if (!failed.isEmpty())
            qCWarning(lcHeartbeatWriter) << "stopped with" << failed.size() << "heartbeats not written";
    }
}

} // namespace heartline
