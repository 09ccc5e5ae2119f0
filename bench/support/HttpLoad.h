#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include <QByteArray>
#include <QString>

#include "HttpWire.h"
#include "LoopbackSocket.h"

namespace heartline::bench {

/// An HTTP/1.1 load generator over keep-alive connections to 127.0.0.1, driven with epoll from the
/// calling thread (the server under test is another process, so the two never share an event loop).
/// Each connection has at most one request in flight, as an agent app's connection does: no pipelining.
/// It uses no Qt event loop and shares nothing, so a run may go on in a thread of its own (opened
/// first, then run there, told when to end with setStop()) while the thread that made it does other work.
class HttpLoad final
{
public:
    /// The request with this index (counted over the whole run, from 0), sent on that connection.
    using RequestSource = std::function<QByteArray(qint64 index, int connection)>;

    struct Result
    {
        qint64 answered = 0; ///< 2xx answers
        qint64 failed = 0;   ///< any other status
        double seconds = 0;  ///< from the first send to the last answer
        std::vector<double> latencyUs;
        int firstFailureStatus = 0;
        QByteArray firstFailureBody;
        QString error; ///< a connection broke or the server sent something unreadable: the run stopped

        [[nodiscard]] bool ok() const { return error.isEmpty() && failed == 0; }
        [[nodiscard]] double perSecond() const { return seconds > 0 ? double(answered + failed) / seconds : 0; }
        /// One line for a failed run: the error, or the first refused answer.
        [[nodiscard]] QString problem() const;
    };

    explicit HttpLoad(quint16 port) : m_port(port) { }
    ~HttpLoad();
    HttpLoad(const HttpLoad &) = delete;
    HttpLoad &operator=(const HttpLoad &) = delete;

    /// Opens this many connections (closing any open before); false with error() set. Each one
    /// sends `primer` and waits for its answer (any status) before the next batch is opened: a burst
    /// of connects beyond the server's listen backlog (50 for Qt) would otherwise leave some half-open
    /// for a second, and that second would land in the first measurement.
    bool open(int connections, const QByteArray &primer = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    /// Closes every connection.
    void close() { closeAll(); }
    [[nodiscard]] int connections() const { return int(m_connections.size()); }
    [[nodiscard]] const QString &error() const { return m_error; }
    /// A run ends early once *stop is true (read with relaxed order, from any thread): no request is
    /// sent after that, and the run returns as soon as those in flight are answered. nullptr: never.
    void setStop(const std::atomic<bool> *stop) { m_stop = stop; }

    /// Closed loop: every connection sends its next request as soon as the answer to the previous one
    /// is in, until `requests` were sent or `maxSeconds` passed. Latency: send to answer.
    Result closedLoop(qint64 requests, double maxSeconds, const RequestSource &source);

    /// Open loop at a constant rate: request i is due at start + i / perSecond and goes out on the
    /// next free connection. Latency counts from when it was due, so time spent waiting for a free
    /// connection behind a slow answer is charged too (no coordinated omission).
    Result fixedRate(double perSecond, qint64 requests, const RequestSource &source);

private:
    struct Connection
    {
        LoopbackSocket socket;
        HttpAnswerReader reader;
        QByteArray unsent;
        qsizetype unsentOffset = 0;
        qint64 startedNs = 0;
    };

    Result run(qint64 requests, double maxSeconds, double perSecond, const RequestSource &source);
    bool startRequest(int index, const QByteArray &request, qint64 startedNs);
    bool flush(int index);
    void closeAll();

    quint16 m_port = 0;
    int m_epoll = -1;
    std::vector<Connection> m_connections;
    QString m_error;
    const std::atomic<bool> *m_stop = nullptr;
};

} // namespace heartline::bench
