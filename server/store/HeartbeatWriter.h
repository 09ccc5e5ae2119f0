#pragma once

#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include <QHash>
#include <QSqlDatabase>
#include <QString>

#include "core/Result.h"

namespace heartline {

/// The latest heartbeat of one session, as written behind.
struct HeartbeatRow
{
    qint64 atMs = 0;
    bool deviceConnected = false;
};

/// Session id → its latest heartbeat.
using HeartbeatRows = QHash<qint64, HeartbeatRow>;

/// Writes heartbeat timestamps into session_heartbeats from a thread of its own, on its own
/// connection, so the event loop never waits for them: it hands over a second's worth with submit()
/// and goes on. Rows go in transactions of RowsPerTransaction, so the write lock is never held for
/// long and the server's own writes (logins, statuses, calls: durable before they are acknowledged)
/// wait at most about a millisecond behind it.
///
/// Only open sessions are written (a session that ended meanwhile keeps what its close wrote). A
/// batch that fails (the disk is full, the file is locked) is kept, newer rows winning, and tried again
/// with the next one. A crash loses what was handed over and not yet committed: the last second.
class HeartbeatWriter final
{
public:
    static constexpr int RowsPerTransaction = 500;

    HeartbeatWriter() = default;
    ~HeartbeatWriter() { stop(); }
    HeartbeatWriter(const HeartbeatWriter &) = delete;
    HeartbeatWriter &operator=(const HeartbeatWriter &) = delete;

    /// Opens the writer's connection to the database file and starts the thread.
    [[nodiscard]] std::optional<Problem> start(const QString &databasePath);
    [[nodiscard]] bool isRunning() const { return m_thread.joinable(); }
    /// Hands the rows to the thread and returns at once (rows of a session replace older ones not yet written).
    void submit(HeartbeatRows rows);
    /// Waits until every row handed over so far is committed, or up to timeoutMs. False when some are
    /// not (a failed write, or the time ran out).
    bool flush(int timeoutMs = 10'000);
    /// Writes what was handed over, then stops the thread.
    void stop();

    /// Writes the rows on `db` in transactions of RowsPerTransaction; the rows not written are left in
    /// `rows` (empty when all were). The thread's work, and the server's own when no thread runs.
    static void write(const QSqlDatabase &db, HeartbeatRows &rows);

private:
    void run(const QString &path, std::promise<QString> opened);

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    HeartbeatRows m_queue;
    bool m_stopping = false;
    quint64 m_submitted = 0; ///< batches handed over
    quint64 m_written = 0;   ///< batches whose rows are all committed
};

} // namespace heartline
