#pragma once

#include <optional>
#include <vector>

#include <QByteArray>
#include <QList>
#include <QString>

#include "LoopbackSocket.h"

namespace heartline::bench {

/// Reads WebSocket frames from a server (unmasked) and gives back whole messages; control frames
/// (ping, pong, close) come out as they arrive, between the fragments of a data message if need be.
class WebSocketFrameReader final
{
public:
    struct Message
    {
        int opcode = 0; ///< 1 text, 2 binary, 8 close, 9 ping, 10 pong
        QByteArray payload;
    };

    void feed(const char *data, qsizetype size) { m_buffer.append(data, size); }
    [[nodiscard]] std::optional<Message> next();
    [[nodiscard]] const QString &error() const { return m_error; }

private:
    QByteArray m_buffer;
    QByteArray m_fragments;
    int m_fragmentOpcode = 0;
    QString m_error;
};

/// A client frame (masked, as RFC 6455 requires of clients) carrying the payload.
[[nodiscard]] QByteArray webSocketClientFrame(int opcode, QByteArrayView payload);

/// Many agent apps on /ws/agent, each on its own connection to 127.0.0.1, driven with epoll from the
/// calling thread: the upgrade with a bearer token, the welcome, then heartbeats answered by acks.
/// The server's pings are answered, so connections stay up as long as needed.
class WebSocketLoad final
{
public:
    struct Result
    {
        qint64 acks = 0;
        double seconds = 0;
        std::vector<double> latencyUs; ///< heartbeat sent to its ack received
        QString error;

        [[nodiscard]] double perSecond() const { return seconds > 0 ? double(acks) / seconds : 0; }
    };

    explicit WebSocketLoad(quint16 port) : m_port(port) { }
    ~WebSocketLoad();
    WebSocketLoad(const WebSocketLoad &) = delete;
    WebSocketLoad &operator=(const WebSocketLoad &) = delete;

    /// Opens one connection per token and waits for every welcome; false with error() set. With a
    /// firstHeartbeat, each connection then sends it and waits for its ack, as the agent app does on
    /// its welcome: the session stays heard from however long opening the others takes.
    bool open(const QList<QByteArray> &tokens, const QByteArray &firstHeartbeat = {});
    [[nodiscard]] int connections() const { return int(m_connections.size()); }
    [[nodiscard]] const QString &error() const { return m_error; }

    /// Closed loop: every agent sends `heartbeatJson` and the next one as soon as its ack came, for
    /// `seconds` or until `maxAcks` acks.
    Result heartbeats(const QByteArray &heartbeatJson, double seconds, qint64 maxAcks);
    /// Sends `heartbeatJson` once on every connection and waits for all the acks.
    Result heartbeatOnce(const QByteArray &heartbeatJson);
    /// Keeps every connection up (pings answered) for this long; false if one broke.
    bool idle(double seconds);
    void close();

private:
    struct Connection
    {
        LoopbackSocket socket;
        WebSocketFrameReader reader;
        qint64 sentNs = 0;
        bool waiting = false;
    };

    /// Reads what arrived on a connection; acks are counted through onAck. False when it broke.
    template <typename OnAck> bool service(int index, OnAck &&onAck);
    /// The first heartbeat of connections [first, last), sent on each, then each one's ack read.
    bool firstHeartbeats(qsizetype first, qsizetype last, const QByteArray &heartbeatJson);
    /// Services every connection with something to read, waiting up to timeoutMs for the first (pings
    /// answered, nothing else expected). False when one broke.
    bool serviceReady(int timeoutMs);

    quint16 m_port = 0;
    int m_epoll = -1;
    std::vector<Connection> m_connections;
    QString m_error;
};

} // namespace heartline::bench
