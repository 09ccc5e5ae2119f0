#include "LoopbackSocket.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace heartline::bench {

namespace {

QString systemError(const char *what)
{
    return QString::fromLatin1(what) + u": "_s + QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

LoopbackSocket::LoopbackSocket(LoopbackSocket &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) { }

LoopbackSocket &LoopbackSocket::operator=(LoopbackSocket &&other) noexcept
{
    if (this != &other) {
        close();
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

void LoopbackSocket::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

bool LoopbackSocket::connectTo(quint16 port)
{
    close();
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        m_error = systemError("socket");
        return false;
    }
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Blocking connect: on loopback it completes at once (or is refused at once).
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        m_error = systemError("connect to 127.0.0.1");
        close();
        return false;
    }
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    return true;
}

bool LoopbackSocket::sendAll(QByteArrayView data, int timeoutMs)
{
    qsizetype offset = 0;
    while (offset < data.size()) {
        const ssize_t sent = ::send(m_fd, data.data() + offset, size_t(data.size() - offset), MSG_NOSIGNAL);
        if (sent > 0) {
            offset += sent;
            continue;
        }
        if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            m_error = systemError("send");
            return false;
        }
        pollfd entry {m_fd, POLLOUT, 0};
        if (::poll(&entry, 1, timeoutMs) <= 0) {
            m_error = u"send: timed out"_s;
            return false;
        }
    }
    return true;
}

qsizetype LoopbackSocket::receive(char *buffer, qsizetype capacity, int timeoutMs)
{
    for (;;) {
        const ssize_t received = ::recv(m_fd, buffer, size_t(capacity), 0);
        if (received >= 0)
            return received;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            m_error = systemError("recv");
            return -1;
        }
        pollfd entry {m_fd, POLLIN, 0};
        if (::poll(&entry, 1, timeoutMs) <= 0) {
            m_error = u"recv: timed out"_s;
            return -1;
        }
    }
}

} // namespace heartline::bench
