#include "WebSocketLoad.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace heartline::bench {

namespace {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool isAck(const QByteArray &payload)
{
    return payload.contains("\"type\":\"ack\"");
}

} // namespace

std::optional<WebSocketFrameReader::Message> WebSocketFrameReader::next()
{
    for (;;) {
        if (m_buffer.size() < 2)
            return std::nullopt;
        const auto *bytes = reinterpret_cast<const quint8 *>(m_buffer.constData());
        const bool fin = bytes[0] & 0x80;
        const int opcode = bytes[0] & 0x0f;
        const bool masked = bytes[1] & 0x80;
        quint64 length = bytes[1] & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return std::nullopt;
            length = (quint64(bytes[2]) << 8) | bytes[3];
            header = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return std::nullopt;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | bytes[2 + i];
            header = 10;
        }
        if (masked) {
            m_error = u"the server sent a masked frame"_s;
            return std::nullopt;
        }
        if (quint64(m_buffer.size() - header) < length)
            return std::nullopt;
        QByteArray payload = m_buffer.mid(header, qsizetype(length));
        m_buffer.remove(0, header + qsizetype(length));
        if (opcode >= 8)
            return Message {opcode, payload};
        if (opcode != 0) {
            m_fragmentOpcode = opcode;
            m_fragments.clear();
        }
        m_fragments.append(payload);
        if (fin) {
            Message message {m_fragmentOpcode, m_fragments};
            m_fragments.clear();
            return message;
        }
    }
}

QByteArray webSocketClientFrame(int opcode, QByteArrayView payload)
{
    QByteArray frame;
    frame.reserve(payload.size() + 14);
    frame.append(char(0x80 | opcode));
    const quint64 length = quint64(payload.size());
    if (length < 126) {
        frame.append(char(0x80 | length));
    } else if (length < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(length >> 8));
        frame.append(char(length & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((length >> shift) & 0xff));
    }
    // Any key will do for a benchmark; the server must unmask it like any other.
    constexpr char mask[4] = {0x1b, 0x2c, 0x3d, 0x4e};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    return frame;
}

WebSocketLoad::~WebSocketLoad()
{
    close();
}

void WebSocketLoad::close()
{
    m_connections.clear();
    if (m_epoll >= 0)
        ::close(m_epoll);
    m_epoll = -1;
}

bool WebSocketLoad::open(const QList<QByteArray> &tokens, const QByteArray &firstHeartbeat)
{
    close();
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_connections.resize(size_t(tokens.size()));
    // Upgrades go out in batches and are then read back, so opening thousands takes seconds, not
    // minutes; a batch stays below Qt's listen backlog of 50, or the connects beyond it stall for a second.
    // Between batches the connections already open answer the server's pings: opening tens of
    // thousands takes longer than the server waits for a pong before it drops a connection.
    constexpr qsizetype Batch = 32;
    char buffer[16384];
    for (qsizetype first = 0; first < tokens.size(); first += Batch) {
        const qsizetype last = qMin(tokens.size(), first + Batch);
        for (qsizetype i = first; i < last; ++i) {
            Connection &connection = m_connections[size_t(i)];
            const QByteArray upgrade = "GET /ws/agent HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port)
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer "
                + tokens.at(i) + "\r\n\r\n";
            if (!connection.socket.connectTo(m_port) || !connection.socket.sendAll(upgrade)) {
                m_error = u"WebSocket %1: %2"_s.arg(i).arg(connection.socket.error());
                return false;
            }
        }
        for (qsizetype i = first; i < last; ++i) {
            Connection &connection = m_connections[size_t(i)];
            QByteArray head;
            qsizetype headerEnd = -1;
            while (headerEnd < 0) {
                const qsizetype received = connection.socket.receive(buffer, sizeof buffer);
                if (received <= 0) {
                    m_error = u"WebSocket %1: no upgrade answer (%2)"_s.arg(i).arg(connection.socket.error());
                    return false;
                }
                head.append(buffer, received);
                headerEnd = head.indexOf("\r\n\r\n");
            }
            if (!head.startsWith("HTTP/1.1 101")) {
                m_error = u"WebSocket %1: upgrade refused: %2"_s.arg(i).arg(QString::fromUtf8(head.left(200)));
                return false;
            }
            connection.reader.feed(head.constData() + headerEnd + 4, head.size() - headerEnd - 4);
            std::optional<WebSocketFrameReader::Message> welcome;
            while (!(welcome = connection.reader.next())) {
                if (!connection.reader.error().isEmpty()) {
                    m_error = connection.reader.error();
                    return false;
                }
                const qsizetype received = connection.socket.receive(buffer, sizeof buffer);
                if (received <= 0) {
                    m_error = u"WebSocket %1: no welcome (%2)"_s.arg(i).arg(connection.socket.error());
                    return false;
                }
                connection.reader.feed(buffer, received);
            }
            if (welcome->opcode != 1 || !welcome->payload.contains("\"welcome\"")) {
                m_error = u"WebSocket %1: expected a welcome, got %2"_s.arg(i).arg(
                    QString::fromUtf8(welcome->payload.left(300)));
                return false;
            }
            epoll_event event {};
            event.events = EPOLLIN;
            event.data.u32 = quint32(i);
            ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, connection.socket.fd(), &event);
        }
        if (!firstHeartbeat.isEmpty() && !firstHeartbeats(first, last, firstHeartbeat))
            return false;
        if (!serviceReady(0))
            return false;
    }
    return true;
}

bool WebSocketLoad::firstHeartbeats(qsizetype first, qsizetype last, const QByteArray &heartbeatJson)
{
    const QByteArray frame = webSocketClientFrame(1, heartbeatJson);
    for (qsizetype i = first; i < last; ++i) {
        if (!m_connections[size_t(i)].socket.sendAll(frame)) {
            m_error = u"WebSocket %1: %2"_s.arg(i).arg(m_connections[size_t(i)].socket.error());
            return false;
        }
    }
    char buffer[16384];
    for (qsizetype i = first; i < last; ++i) {
        Connection &connection = m_connections[size_t(i)];
        for (;;) {
            const std::optional<WebSocketFrameReader::Message> message = connection.reader.next();
            if (!message) {
                if (!connection.reader.error().isEmpty()) {
                    m_error = connection.reader.error();
                    return false;
                }
                const qsizetype received = connection.socket.receive(buffer, sizeof buffer);
                if (received <= 0) {
                    m_error = u"WebSocket %1: no ack to the first heartbeat (%2)"_s.arg(i).arg(
                        received == 0 ? u"closed"_s : connection.socket.error());
                    return false;
                }
                connection.reader.feed(buffer, received);
                continue;
            }
            if (message->opcode == 9 && !connection.socket.sendAll(webSocketClientFrame(10, message->payload))) {
                m_error = connection.socket.error();
                return false;
            }
            if (message->opcode == 8 || (message->opcode == 1 && message->payload.contains("\"type\":\"error\""))) {
                m_error = u"WebSocket %1: the first heartbeat was refused: %2"_s.arg(i).arg(
                    QString::fromUtf8(message->payload.left(300)));
                return false;
            }
            if (message->opcode == 1 && isAck(message->payload))
                break;
        }
    }
    return true;
}

template <typename OnAck> bool WebSocketLoad::service(int index, OnAck &&onAck)
{
    Connection &connection = m_connections[size_t(index)];
    char buffer[65536];
    for (;;) {
        const ssize_t received = ::recv(connection.socket.fd(), buffer, sizeof buffer, 0);
        if (received > 0) {
            connection.reader.feed(buffer, received);
            continue;
        }
        if (received == 0) {
            m_error = u"the server closed WebSocket %1"_s.arg(index);
            return false;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
        if (errno != EINTR) {
            m_error = u"recv on WebSocket %1: %2"_s.arg(index).arg(QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
    }
    while (auto message = connection.reader.next()) {
        if (message->opcode == 9) {
            if (!connection.socket.sendAll(webSocketClientFrame(10, message->payload))) {
                m_error = connection.socket.error();
                return false;
            }
        } else if (message->opcode == 8) {
            m_error
                = u"the server closed WebSocket %1: %2"_s.arg(index).arg(QString::fromUtf8(message->payload.mid(2)));
            return false;
        } else if (message->opcode == 1 && isAck(message->payload)) {
            connection.waiting = false;
            onAck(index, connection);
        } else if (message->opcode == 1 && message->payload.contains("\"type\":\"error\"")) {
            m_error = u"WebSocket %1: %2"_s.arg(index).arg(QString::fromUtf8(message->payload.left(300)));
            return false;
        }
    }
    if (!connection.reader.error().isEmpty()) {
        m_error = connection.reader.error();
        return false;
    }
    return true;
}

bool WebSocketLoad::serviceReady(int timeoutMs)
{
    std::vector<epoll_event> events(256);
    for (;;) {
        const int ready = ::epoll_wait(m_epoll, events.data(), int(events.size()), timeoutMs);
        for (int e = 0; e < ready; ++e) {
            if (!service(int(events[size_t(e)].data.u32), [](int, Connection &) {}))
                return false;
        }
        // A full array may leave more behind: read on without waiting.
        if (ready < int(events.size()))
            return true;
        timeoutMs = 0;
    }
}

WebSocketLoad::Result WebSocketLoad::heartbeats(const QByteArray &heartbeatJson, double seconds, qint64 maxAcks)
{
    Result result;
    const QByteArray frame = webSocketClientFrame(1, heartbeatJson);
    const qint64 startNs = nowNs();
    const qint64 stopNs = startNs + qint64(seconds * 1e9);
    qint64 lastAckNs = startNs;
    qint64 inFlight = 0;
    qint64 sent = 0;
    auto send = [&](Connection &connection) {
        connection.sentNs = nowNs();
        connection.waiting = true;
        ++inFlight;
        ++sent;
        return connection.socket.sendAll(frame);
    };
    for (Connection &connection : m_connections) {
        if (!send(connection)) {
            result.error = connection.socket.error();
            return result;
        }
    }
    std::vector<epoll_event> events(256);
    while (inFlight > 0) {
        if (nowNs() > stopNs + 30'000'000'000) {
            result.error = u"%1 heartbeats not acknowledged within 30 s"_s.arg(inFlight);
            break;
        }
        const int ready = ::epoll_wait(m_epoll, events.data(), int(events.size()), 100);
        for (int e = 0; e < ready; ++e) {
            const int index = int(events[size_t(e)].data.u32);
            const bool ok = service(index, [&](int, Connection &connection) {
                const qint64 now = nowNs();
                lastAckNs = now;
                --inFlight;
                ++result.acks;
                result.latencyUs.push_back(double(now - connection.sentNs) / 1000.0);
                if (now < stopNs && sent < maxAcks && !send(connection))
                    m_error = connection.socket.error();
            });
            if (!ok || !m_error.isEmpty()) {
                result.error = m_error;
                inFlight = 0;
                break;
            }
        }
    }
    result.seconds = double(lastAckNs - startNs) / 1e9;
    return result;
}

WebSocketLoad::Result WebSocketLoad::heartbeatOnce(const QByteArray &heartbeatJson)
{
    return heartbeats(heartbeatJson, 0, 0);
}

bool WebSocketLoad::idle(double seconds)
{
    const qint64 stopNs = nowNs() + qint64(seconds * 1e9);
    while (nowNs() < stopNs) {
        if (!serviceReady(50))
            return false;
    }
    return true;
}

} // namespace heartline::bench
