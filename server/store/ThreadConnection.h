#pragma once

#include <QSqlDatabase>
#include <QString>

namespace heartline {

/// A connection of its own to the server's SQLite file, for a thread that writes or checkpoints beside
/// the event loop's connection (WalCheckpointer, HeartbeatWriter). Opened on, used on and closed on the
/// thread that makes it, as Qt SQL requires; settings as the server's connection: a busy timeout of
/// 5 s (a commit of another connection is waited out) and synchronous=NORMAL (a commit is in the WAL
/// when it returns, synced at checkpoints).
class ThreadConnection final
{
    Q_DISABLE_COPY_MOVE(ThreadConnection)

public:
    /// `name` must be unique in the process.
    ThreadConnection(const QString &name, const QString &path);
    ~ThreadConnection();

    /// Empty when the connection is open, else why not.
    [[nodiscard]] const QString &error() const { return m_error; }
    [[nodiscard]] QSqlDatabase database() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
    QString m_error;
};

} // namespace heartline
