#include "store/WalCheckpointer.h"

#include <chrono>

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include "Database.h"
#include "store/ThreadConnection.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcCheckpoint, "heartline.store.checkpoint")

namespace heartline {

namespace {

CheckpointOutcome checkpoint(const QSqlDatabase &db, const QString &mode)
{
    CheckpointOutcome outcome;
    QSqlQuery query(db);
    if (!query.exec(u"PRAGMA wal_checkpoint(%1)"_s.arg(mode)) || !query.next()) {
        outcome.error = query.lastError().text();
        return outcome;
    }
    outcome.ok = true;
    outcome.walFrames = query.value(1).toInt();
    outcome.checkpointedFrames = query.value(2).toInt();
    return outcome;
}

/// PASSIVE, then RESTART when the WAL has grown past the limit.
CheckpointOutcome checkpoint(const QSqlDatabase &db, int restartAtFrames)
{
    CheckpointOutcome outcome = checkpoint(db, u"PASSIVE"_s);
    if (!outcome.ok || outcome.walFrames < restartAtFrames)
        return outcome;
    outcome = checkpoint(db, u"RESTART"_s);
    outcome.restarted = outcome.ok;
    return outcome;
}

} // namespace

std::optional<Problem> WalCheckpointer::start(const Database &database)
{
    if (m_thread.joinable())
        return std::nullopt;
    std::promise<QString> opened;
    std::future<QString> openError = opened.get_future();
    m_stopping = false;
    m_thread = std::thread(&WalCheckpointer::run, this, database.path(), std::move(opened));
    if (const QString error = openError.get(); !error.isEmpty()) {
        m_thread.join();
        return Problem {u"database_unavailable"_s, u"database"_s,
                        u"database %1: cannot open the checkpoint connection: %2"_s.arg(database.path(), error)};
    }
    for (const QString &pragma :
         {u"PRAGMA wal_autocheckpoint=0"_s, u"PRAGMA journal_size_limit=%1"_s.arg(m_options.walSizeLimitBytes)}) {
        QSqlQuery query(database.connection());
        if (!query.exec(pragma)) {
            stop();
            return Problem {u"database_unavailable"_s, u"database"_s,
                            u"database %1: %2 failed: %3"_s.arg(database.path(), pragma, query.lastError().text())};
        }
    }
    return std::nullopt;
}

void WalCheckpointer::stop()
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

CheckpointOutcome WalCheckpointer::checkpointNow()
{
    std::unique_lock lock(m_mutex);
    if (!m_thread.joinable())
        return CheckpointOutcome {false, 0, 0, false, u"the checkpointer is not running"_s};
    const quint64 ticket = ++m_requested;
    m_wake.notify_all();
    m_done.wait(lock, [this, ticket] { return m_completed >= ticket; });
    return m_last;
}

void WalCheckpointer::run(const QString &path, std::promise<QString> opened)
{
    // As the server's connection (synchronous=NORMAL): the WAL is synced before it is copied, the file after.
    const ThreadConnection connection(u"heartline-checkpoint-%1"_s.arg(quintptr(this)), path);
    opened.set_value(connection.error());
    if (!connection.error().isEmpty())
        return;
    {
        const QSqlDatabase db = connection.database();

        bool failing = false;
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait_for(lock, std::chrono::milliseconds(m_options.intervalMs),
                            [this] { return m_stopping || m_requested > m_completed; });
            const bool stopping = m_stopping;
            const quint64 requested = m_requested;
            lock.unlock();
            const CheckpointOutcome outcome = checkpoint(db, m_options.restartAtFrames);
            if (!outcome.ok && !failing)
                qCWarning(lcCheckpoint).noquote() << "checkpoint of" << path << "failed:" << outcome.error;
            failing = !outcome.ok;
            lock.lock();
            m_last = outcome;
            m_completed = requested;
            m_done.notify_all();
            if (stopping)
                break;
        }
        lock.unlock();
    }
}

} // namespace heartline
