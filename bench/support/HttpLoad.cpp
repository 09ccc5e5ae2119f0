#include "HttpLoad.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace heartline::bench {

namespace {

constexpr quint32 TimerTag = 0xffffffffu;

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

QString HttpLoad::Result::problem() const
{
    if (!error.isEmpty())
        return error;
    if (failed > 0) {
        return u"%1 of %2 requests refused, the first with %3: %4"_s.arg(failed)
            .arg(answered + failed)
            .arg(firstFailureStatus)
            .arg(QString::fromUtf8(firstFailureBody.left(300)));
    }
    return {};
}

HttpLoad::~HttpLoad()
{
    closeAll();
}

void HttpLoad::closeAll()
{
    m_connections.clear();
    if (m_epoll >= 0)
        ::close(m_epoll);
    m_epoll = -1;
}

bool HttpLoad::open(int connections, const QByteArray &primer)
{
    closeAll();
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_connections.resize(size_t(connections));
    constexpr int Batch = 32; // below Qt's listen backlog of 50
    char buffer[16384];
    for (int first = 0; first < connections; first += Batch) {
        const int last = qMin(connections, first + Batch);
        for (int i = first; i < last; ++i) {
            Connection &connection = m_connections[size_t(i)];
            if (!connection.socket.connectTo(m_port) || (!primer.isEmpty() && !connection.socket.sendAll(primer))) {
                m_error = u"connection %1: %2"_s.arg(i).arg(connection.socket.error());
                closeAll();
                return false;
            }
        }
        for (int i = first; i < last && !primer.isEmpty(); ++i) {
            Connection &connection = m_connections[size_t(i)];
            while (!connection.reader.next()) {
                const qsizetype received = connection.socket.receive(buffer, sizeof buffer);
                if (received <= 0 || !connection.reader.error().isEmpty()) {
                    m_error = u"connection %1: no answer to the primer (%2)"_s.arg(i).arg(
                        connection.reader.error().isEmpty() ? connection.socket.error() : connection.reader.error());
                    closeAll();
                    return false;
                }
                connection.reader.feed(buffer, received);
            }
        }
    }
    for (int i = 0; i < connections; ++i) {
        epoll_event event {};
        event.events = EPOLLIN;
        event.data.u32 = quint32(i);
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_connections[size_t(i)].socket.fd(), &event);
    }
    return true;
}

bool HttpLoad::startRequest(int index, const QByteArray &request, qint64 startedNs)
{
    Connection &connection = m_connections[size_t(index)];
    connection.startedNs = startedNs;
    connection.unsent = request;
    connection.unsentOffset = 0;
    return flush(index);
}

bool HttpLoad::flush(int index)
{
    Connection &connection = m_connections[size_t(index)];
    while (connection.unsentOffset < connection.unsent.size()) {
        const ssize_t sent = ::send(connection.socket.fd(), connection.unsent.constData() + connection.unsentOffset,
                                    size_t(connection.unsent.size() - connection.unsentOffset), MSG_NOSIGNAL);
        if (sent > 0) {
            connection.unsentOffset += sent;
            continue;
        }
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // The socket buffer is full (large requests only): finish when epoll says there is room.
            epoll_event event {};
            event.events = EPOLLIN | EPOLLOUT;
            event.data.u32 = quint32(index);
            ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, connection.socket.fd(), &event);
            return true;
        }
        if (sent < 0 && errno == EINTR)
            continue;
        m_error = u"send on connection %1: %2"_s.arg(index).arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (connection.unsentOffset > 0 && connection.unsent.size() > 0) {
        connection.unsent.clear();
        connection.unsentOffset = 0;
    }
    return true;
}

HttpLoad::Result HttpLoad::closedLoop(qint64 requests, double maxSeconds, const RequestSource &source)
{
    return run(requests, maxSeconds, 0, source);
}

HttpLoad::Result HttpLoad::fixedRate(double perSecond, qint64 requests, const RequestSource &source)
{
    // Generous: a server that falls far behind still finishes (and shows it in its latencies).
    return run(requests, double(requests) / perSecond * 4 + 10, perSecond, source);
}

HttpLoad::Result HttpLoad::run(qint64 requests, double maxSeconds, double perSecond, const RequestSource &source)
{
    Result result;
    result.latencyUs.reserve(size_t(qMin<qint64>(requests, 4'000'000)));
    if (m_connections.empty()) {
        result.error = u"no open connections"_s;
        return result;
    }
    const qint64 startNs = nowNs();
    const qint64 stopSendingNs = startNs + qint64(maxSeconds * 1e9);
    qint64 nextIndex = 0;
    qint64 inFlight = 0;
    qint64 lastAnswerNs = startNs;

    auto send = [&](int connection, qint64 startedNs) {
        const QByteArray request = source(nextIndex++, connection);
        ++inFlight;
        if (!startRequest(connection, request, startedNs))
            result.error = m_error;
    };

    // Open loop only: requests that are due, waiting for a free connection, and the free connections.
    const bool openLoop = perSecond > 0;
    std::deque<qint64> due;
    std::deque<int> idle;
    qint64 scheduled = 0;
    qint64 intervalNs = 0;
    int timer = -1;
    if (openLoop) {
        intervalNs = qMax<qint64>(1000, qint64(1e9 / perSecond));
        timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        itimerspec spec {};
        spec.it_interval.tv_sec = intervalNs / 1'000'000'000;
        spec.it_interval.tv_nsec = intervalNs % 1'000'000'000;
        spec.it_value.tv_nsec = 1000;
        ::timerfd_settime(timer, 0, &spec, nullptr);
        epoll_event event {};
        event.events = EPOLLIN;
        event.data.u32 = TimerTag;
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, timer, &event);
        for (int i = 0; i < connections(); ++i)
            idle.push_back(i);
    } else {
        for (int i = 0; i < connections() && nextIndex < requests; ++i)
            send(i, nowNs());
    }

    std::vector<epoll_event> events(256);
    char buffer[65536];
    bool stopped = false;
    while (result.error.isEmpty()) {
        if (!stopped && m_stop && m_stop->load(std::memory_order_relaxed)) {
            stopped = true;
            requests = openLoop ? scheduled : nextIndex; // nothing more is sent
            due.clear();
        }
        const bool allSent = openLoop ? scheduled >= requests && due.empty() : nextIndex >= requests;
        if (inFlight == 0 && (allSent || (!openLoop && nowNs() >= stopSendingNs)))
            break;
        if (nowNs() > stopSendingNs + 30'000'000'000) {
            result.error = u"the server did not answer %1 requests within 30 s"_s.arg(inFlight);
            break;
        }
        const int ready = ::epoll_wait(m_epoll, events.data(), int(events.size()), 100);
        if (ready < 0 && errno != EINTR) {
            result.error = u"epoll_wait: "_s + QString::fromLocal8Bit(std::strerror(errno));
            break;
        }
        for (int e = 0; e < ready && result.error.isEmpty(); ++e) {
            const epoll_event &event = events[size_t(e)];
            if (event.data.u32 == TimerTag) {
                quint64 expirations = 0;
                [[maybe_unused]] const auto bytes = ::read(timer, &expirations, sizeof expirations);
                const qint64 now = nowNs();
                const qint64 dueCount = qMin(requests, (now - startNs) / intervalNs + 1);
                for (; scheduled < dueCount; ++scheduled)
                    due.push_back(startNs + scheduled * intervalNs);
                continue;
            }
            const int index = int(event.data.u32);
            Connection &connection = m_connections[size_t(index)];
            if (event.events & EPOLLOUT) {
                if (!flush(index)) {
                    result.error = m_error;
                    break;
                }
                if (connection.unsent.isEmpty()) {
                    epoll_event back {};
                    back.events = EPOLLIN;
                    back.data.u32 = quint32(index);
                    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, connection.socket.fd(), &back);
                }
            }
            if (!(event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                continue;
            for (;;) {
                const ssize_t received = ::recv(connection.socket.fd(), buffer, sizeof buffer, 0);
                if (received > 0) {
                    connection.reader.feed(buffer, received);
                    continue;
                }
                if (received == 0) {
                    result.error = u"the server closed connection %1"_s.arg(index);
                } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    result.error
                        = u"recv on connection %1: %2"_s.arg(index).arg(QString::fromLocal8Bit(std::strerror(errno)));
                }
                break;
            }
            while (auto answer = connection.reader.next()) {
                const qint64 now = nowNs();
                lastAnswerNs = now;
                result.latencyUs.push_back(double(now - connection.startedNs) / 1000.0);
                --inFlight;
                if (answer->status >= 200 && answer->status < 300) {
                    ++result.answered;
                } else {
                    if (result.failed++ == 0) {
                        result.firstFailureStatus = answer->status;
                        result.firstFailureBody = answer->body;
                    }
                }
                if (openLoop)
                    idle.push_back(index);
                else if (nextIndex < requests && now < stopSendingNs)
                    send(index, now);
            }
            if (!connection.reader.error().isEmpty())
                result.error = u"connection %1: %2"_s.arg(index).arg(connection.reader.error());
        }
        while (openLoop && !due.empty() && !idle.empty() && result.error.isEmpty()) {
            const int index = idle.front();
            idle.pop_front();
            send(index, due.front());
            due.pop_front();
        }
    }
    if (timer >= 0)
        ::close(timer);
    result.seconds = double(lastAnswerNs - startNs) / 1e9;
    if (!result.error.isEmpty())
        open(connections()); // leave fresh connections for whatever runs next
    return result;
}

} // namespace heartline::bench
