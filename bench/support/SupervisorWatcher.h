#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <QByteArray>
#include <QString>

#include "LoopbackSocket.h"
#include "WebSocketLoad.h"

namespace heartline::bench {

/// One supervisor app on /ws/supervisor, for the phases measured with someone watching: the upgrade
/// with a bearer token, then a thread of its own reads every message the server sends as it comes
/// (pings answered), as a dashboard that keeps up would, so the server writes out every push. Messages
/// are counted by type, not parsed: the load generator beside it needs the CPU (only the snapshot's
/// pages are read, to know when the last one came).
class SupervisorWatcher final
{
public:
    struct Counts
    {
        qint64 messages = 0;
        qint64 agentsChanged = 0; ///< agentsChanged messages
        qint64 views = 0;         ///< agent views they carried
        qint64 bytes = 0;         ///< of every message
        qint64 largest = 0;       ///< bytes of the largest agentsChanged
    };

    explicit SupervisorWatcher(quint16 port) : m_port(port) { }
    ~SupervisorWatcher() { close(); }
    SupervisorWatcher(const SupervisorWatcher &) = delete;
    SupervisorWatcher &operator=(const SupervisorWatcher &) = delete;

    /// Opens the socket with `Authorization: Bearer <token>` and starts reading; false with error().
    bool open(const QByteArray &token);
    /// Waits until the snapshot's last page came; false (error() set) if not within `seconds`.
    bool waitForSnapshot(double seconds);
    /// What came since the previous call (or open()).
    [[nodiscard]] Counts take();
    [[nodiscard]] QString error() const;
    void close();

private:
    void read();
    void handle(const WebSocketFrameReader::Message &message);
    void fail(const QString &error);

    quint16 m_port = 0;
    LoopbackSocket m_socket;
    WebSocketFrameReader m_reader; ///< the reading thread's
    std::thread m_thread;
    std::atomic<bool> m_stop {false};
    mutable std::mutex m_mutex; ///< guards what follows
    std::condition_variable m_snapshotDone;
    Counts m_counts;
    bool m_lastPageCame = false;
    QString m_error;
};

} // namespace heartline::bench
