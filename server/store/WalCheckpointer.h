#pragma once

#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include <QString>

#include "core/Result.h"

namespace heartline {

class Database;

/// What one checkpoint did (SQLite's PRAGMA wal_checkpoint result).
struct CheckpointOutcome
{
    bool ok = false;            ///< false: the checkpoint could not run (error says why)
    int walFrames = 0;          ///< frames in the WAL
    int checkpointedFrames = 0; ///< of those, frames now copied into the database file
    bool restarted = false;     ///< the WAL had grown past Options::restartAtFrames: a RESTART checkpoint ran
    QString error;
};

/// Copies the SQLite write-ahead log into the database file from a thread of its own.
///
/// SQLite's automatic checkpoint runs inside whichever commit crosses 1000 WAL pages and calls
/// fdatasync two or three times: on the server that is the event loop, stalled for milliseconds
/// about every hundred routed calls, with every request in flight waiting behind it. start() turns
/// the automatic checkpoint off on the server's connection and checkpoints every intervalMs from
/// this thread instead, on its own connection (PASSIVE: it never blocks the writer, and the next
/// commit after a complete checkpoint starts the WAL over, so it stays small). Durability is the
/// same: commits are in the WAL either way.
///
/// A PASSIVE checkpoint cannot finish while commits keep arriving (a login storm: thousands of small
/// transactions in a row), and the WAL would keep growing. Past restartAtFrames a RESTART checkpoint
/// follows, which holds new commits back until it is done (100-200 ms for a WAL of that size on the
/// benchmark machine: rare, and only in such storms), and the WAL file is cut back to
/// walSizeLimitBytes when it starts over.
class WalCheckpointer final
{
public:
    struct Options
    {
        int intervalMs = 1000;
        int restartAtFrames = 16'000;                ///< about 64 MB of 4 KB pages
        qint64 walSizeLimitBytes = 16 * 1024 * 1024; ///< PRAGMA journal_size_limit
    };

    WalCheckpointer() : WalCheckpointer(Options {}) { }
    explicit WalCheckpointer(Options options) : m_options(options) { }
    ~WalCheckpointer() { stop(); }
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    /// Opens the checkpoint connection to database's file and starts the thread; on success the
    /// automatic checkpoint of database's own connection is off and its WAL size limit set. Call
    /// from the thread that owns database's connection.
    [[nodiscard]] std::optional<Problem> start(const Database &database);
    /// Stops the thread after one last checkpoint. The server's connection checkpoints on close.
    void stop();

    /// Runs a checkpoint on the thread now and waits for it (tests, shutdown).
    CheckpointOutcome checkpointNow();

private:
    void run(const QString &path, std::promise<QString> opened);

    Options m_options;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    bool m_stopping = false;
    quint64 m_requested = 0; ///< checkpoints asked for through checkpointNow()
    quint64 m_completed = 0;
    CheckpointOutcome m_last;
};

} // namespace heartline
