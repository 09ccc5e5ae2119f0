#pragma once

#include <QByteArrayView>
#include <QString>

namespace heartline::bench {

/// A TCP connection to 127.0.0.1, as a plain non-blocking file descriptor with Nagle off, closed on
/// destruction. The load generators drive many of them with epoll: a Qt socket per connection would
/// cost the client about as much as the server it measures.
class LoopbackSocket final
{
public:
    LoopbackSocket() = default;
    ~LoopbackSocket() { close(); }
    LoopbackSocket(const LoopbackSocket &) = delete;
    LoopbackSocket &operator=(const LoopbackSocket &) = delete;
    LoopbackSocket(LoopbackSocket &&other) noexcept;
    LoopbackSocket &operator=(LoopbackSocket &&other) noexcept;

    /// Connects to 127.0.0.1:port; false with error() set on failure.
    bool connectTo(quint16 port);
    void close();

    [[nodiscard]] int fd() const { return m_fd; }
    [[nodiscard]] bool isOpen() const { return m_fd >= 0; }
    [[nodiscard]] const QString &error() const { return m_error; }

    /// Writes everything, waiting up to timeoutMs for room; false (error() set) on failure.
    bool sendAll(QByteArrayView data, int timeoutMs = 10'000);
    /// Waits up to timeoutMs for bytes and reads what is there: > 0 bytes read, 0 when the peer
    /// closed, -1 on error or timeout (error() says which).
    qsizetype receive(char *buffer, qsizetype capacity, int timeoutMs = 10'000);

private:
    int m_fd = -1;
    QString m_error;
};

} // namespace heartline::bench
