#pragma once

#include <QHash>
#include <QString>

namespace heartline {

/// What an abrupt stop (a crash, kill -9) leaves of the heartbeats heartline-server writes behind:
/// the server keeps the latest heartbeat of each session in memory and writes them in one
/// transaction about once a second, so a crash loses the last second's. Every other write (sessions,
/// statuses, calls) is committed before it is acknowledged and survives.
///
/// The harness cannot stop the server without its shutdown flush, and the server's own flush timer
/// runs on the wall clock. So: after a flush on a whole simulated second, remember() reads every
/// session's stored heartbeat; at the crash, one simulated second later, the server is stopped (and
/// flushes), and rollBack() writes the remembered values back, as if that flush had never happened.
/// The result depends on simulated time only.
class HeartbeatCheckpoint final
{
public:
    /// Reads the written-behind heartbeat of every open session (session_heartbeats) from the SQLite
    /// file at `databasePath`.
    bool remember(const QString &databasePath, QString *error = nullptr);
    /// Writes the remembered values back; sessions opened since keep theirs. The server must be stopped.
    bool rollBack(const QString &databasePath, QString *error = nullptr);
    [[nodiscard]] qsizetype size() const { return m_heartbeats.size(); }

private:
    QHash<qint64, qint64> m_heartbeats; ///< session id → last_heartbeat (ms)
};

} // namespace heartline
