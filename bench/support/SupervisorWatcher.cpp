#include "SupervisorWatcher.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>

#include "protocol/SupervisorProtocol.h"

using namespace Qt::StringLiterals;

namespace heartline::bench {

namespace {

/// The "type" of a message heartline-server wrote: keys come sorted, so it is near the end
/// (`..."type":"agentsChanged","v":1}`), and nothing before it needs reading.
QByteArrayView typeOf(const QByteArray &payload)
{
    constexpr QByteArrayView key = "\"type\":\"";
    const QByteArrayView tail = QByteArrayView(payload).last(qMin<qsizetype>(payload.size(), 64));
    const qsizetype at = tail.lastIndexOf(key);
    if (at < 0)
        return {};
    const QByteArrayView rest = tail.sliced(at + key.size());
    const qsizetype end = rest.indexOf('"');
    return end < 0 ? QByteArrayView() : rest.first(end);
}

} // namespace

bool SupervisorWatcher::open(const QByteArray &token)
{
    close();
    m_stop = false;
    m_reader = WebSocketFrameReader();
    {
        const std::lock_guard lock(m_mutex);
        m_counts = {};
        m_lastPageCame = false;
        m_error.clear();
    }
    const QByteArray upgrade = "GET /ws/supervisor HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer "
        + token + "\r\n\r\n";
    if (!m_socket.connectTo(m_port) || !m_socket.sendAll(upgrade)) {
        fail(u"supervisor socket: "_s + m_socket.error());
        return false;
    }
    QByteArray head;
    qsizetype headerEnd = -1;
    char buffer[16384];
    while (headerEnd < 0) {
        const qsizetype received = m_socket.receive(buffer, sizeof buffer);
        if (received <= 0) {
            fail(u"supervisor socket: no upgrade answer (%1)"_s.arg(m_socket.error()));
            return false;
        }
        head.append(buffer, received);
        headerEnd = head.indexOf("\r\n\r\n");
    }
    if (!head.startsWith("HTTP/1.1 101")) {
        fail(u"supervisor socket: upgrade refused: "_s + QString::fromUtf8(head.left(200)));
        return false;
    }
    m_reader.feed(head.constData() + headerEnd + 4, head.size() - headerEnd - 4);
    m_thread = std::thread([this] { read(); });
    return true;
}

bool SupervisorWatcher::waitForSnapshot(double seconds)
{
    std::unique_lock lock(m_mutex);
    const bool came = m_snapshotDone.wait_for(lock, std::chrono::duration<double>(seconds),
                                              [this] { return m_lastPageCame || !m_error.isEmpty(); });
    if (!came)
        m_error = u"the supervisor's snapshot did not end within %1 s"_s.arg(seconds);
    return m_lastPageCame;
}

SupervisorWatcher::Counts SupervisorWatcher::take()
{
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_counts, {});
}

QString SupervisorWatcher::error() const
{
    const std::lock_guard lock(m_mutex);
    return m_error;
}

void SupervisorWatcher::close()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
    m_socket.close();
}

void SupervisorWatcher::fail(const QString &error)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_error.isEmpty())
            m_error = error;
    }
    m_snapshotDone.notify_all();
}

void SupervisorWatcher::read()
{
    // Whatever came with the upgrade answer first (the welcome, perhaps more).
    while (auto message = m_reader.next())
        handle(*message);
    char buffer[65536];
    while (!m_stop) {
        pollfd entry {m_socket.fd(), POLLIN, 0};
        if (::poll(&entry, 1, 50) <= 0)
            continue;
        for (;;) {
            const ssize_t received = ::recv(m_socket.fd(), buffer, sizeof buffer, 0);
            if (received > 0) {
                m_reader.feed(buffer, received);
                continue;
            }
            if (received == 0) {
                fail(u"the server closed the supervisor socket"_s);
                return;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (errno != EINTR) {
                fail(u"recv on the supervisor socket: "_s + QString::fromLocal8Bit(std::strerror(errno)));
                return;
            }
        }
        while (auto message = m_reader.next())
            handle(*message);
        if (!m_reader.error().isEmpty()) {
            fail(m_reader.error());
            return;
        }
    }
}

void SupervisorWatcher::handle(const WebSocketFrameReader::Message &message)
{
    if (message.opcode == 9) {
        (void)m_socket.sendAll(webSocketClientFrame(10, message.payload));
        return;
    }
    if (message.opcode == 8) {
        fail(u"the server closed the supervisor socket: "_s + QString::fromUtf8(message.payload.mid(2)));
        return;
    }
    if (message.opcode != 1)
        return;
    const QByteArrayView type = typeOf(message.payload);
    bool lastPage = false;
    if (type == "snapshot") {
        const auto parsed = parseSupervisorServerMessage(message.payload);
        if (!parsed) {
            fail(u"an unreadable snapshot page: "_s + parsed.error().message);
            return;
        }
        const auto &page = std::get<SupervisorSnapshot>(parsed.value());
        lastPage = page.page == page.pages;
    } else if (type == "error") {
        fail(u"the server sent an error: "_s + QString::fromUtf8(message.payload.left(300)));
        return;
    }
    {
        const std::lock_guard lock(m_mutex);
        ++m_counts.messages;
        m_counts.bytes += message.payload.size();
        if (type == "agentsChanged") {
            ++m_counts.agentsChanged;
            m_counts.views += message.payload.count("\"agentId\":");
            m_counts.largest = qMax(m_counts.largest, qint64(message.payload.size()));
        }
        if (lastPage)
            m_lastPageCame = true;
    }
    if (lastPage)
        m_snapshotDone.notify_all();
}

} // namespace heartline::bench
