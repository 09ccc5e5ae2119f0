#include "core/EpollEventDispatcher.h"

#include <algorithm>
#include <cerrno>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QVarLengthArray>

namespace heartline {

EpollEventDispatcher::EpollEventDispatcher(QObject *parent) : QAbstractEventDispatcher(parent)
{
    m_clock.start();
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = m_wake;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &event);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wake);
    ::close(m_epoll);
}

void EpollEventDispatcher::updateInterest(int fd, Watch &watch)
{
    epoll_event event {};
    event.data.fd = fd;
    if (watch.read)
        event.events |= EPOLLIN;
    if (watch.write)
        event.events |= EPOLLOUT;
    if (watch.exception)
        event.events |= EPOLLPRI;
    if (event.events == 0) {
        if (watch.added)
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        m_watches.erase(fd);
        return;
    }
    // A closed descriptor leaves epoll by itself and its number may come back: add or modify,
    // whichever the kernel accepts.
    if (epoll_ctl(m_epoll, watch.added ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) != 0) {
        if (errno == ENOENT)
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
        else if (errno == EEXIST)
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
    }
    watch.added = true;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    updateInterest(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &watch = it->second;
    for (QSocketNotifier *Watch::*slot : {&Watch::read, &Watch::write, &Watch::exception}) {
        if (watch.*slot == notifier)
            watch.*slot = nullptr;
    }
    updateInterest(fd, watch);
}

bool EpollEventDispatcher::activate(int fd, QSocketNotifier *Watch::*slot)
{
    // Looked up again: an earlier activation may have removed or replaced the notifier.
    const auto it = m_watches.find(fd);
    if (it == m_watches.end() || !(it->second.*slot))
        return false;
    QEvent event(QEvent::SockAct);
    QCoreApplication::sendEvent(it->second.*slot, &event);
    return true;
}

void EpollEventDispatcher::schedule(int timerId, Timer &timer, qint64 dueMs)
{
    m_due.erase({timer.dueMs, timerId});
    timer.dueMs = dueMs;
    m_due.insert({dueMs, timerId});
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    unregisterTimer(timerId); // an id is registered once at a time; this keeps the indexes in step if not
    Timer &timer = m_timers[timerId];
    timer = Timer {interval, timerType, object, -1, false};
    schedule(timerId, timer, m_clock.elapsed() + interval);
    m_timersByObject.emplace(object, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_due.erase({it->second.dueMs, timerId});
    const auto [first, last] = m_timersByObject.equal_range(it->second.object);
    for (auto byObject = first; byObject != last; ++byObject) {
        if (byObject->second == timerId) {
            m_timersByObject.erase(byObject);
            break;
        }
    }
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const auto [first, last] = m_timersByObject.equal_range(object);
    if (first == last)
        return false;
    for (auto byObject = first; byObject != last; ++byObject) {
        const auto it = m_timers.find(byObject->second);
        if (it == m_timers.end())
            continue;
        m_due.erase({it->second.dueMs, byObject->second});
        m_timers.erase(it);
    }
    m_timersByObject.erase(first, last);
    return true;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    const auto [first, last] = m_timersByObject.equal_range(object);
    for (auto byObject = first; byObject != last; ++byObject) {
        const auto it = m_timers.find(byObject->second);
        if (it != m_timers.end())
            timers.append(TimerInfo(byObject->second, int(it->second.interval), it->second.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    return int(std::max<qint64>(0, it->second.dueMs - m_clock.elapsed()));
}

void EpollEventDispatcher::wakeUp()
{
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t written = ::write(m_wake, &one, sizeof one);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted = true;
    wakeUp();
}

int EpollEventDispatcher::waitTimeoutMs() const
{
    // A timer whose event is being delivered (a nested loop runs in its handler) does not count.
    for (const auto &[dueMs, id] : m_due) {
        if (!m_timers.at(id).firing)
            return int(std::clamp<qint64>(dueMs - m_clock.elapsed(), 0, 60'000));
    }
    return -1;
}

bool EpollEventDispatcher::fireTimers()
{
    const qint64 now = m_clock.elapsed();
    QVarLengthArray<int, 32> due;
    for (const auto &[dueMs, id] : m_due) {
        if (dueMs > now)
            break;
        if (!m_timers.at(id).firing)
            due.append(id);
    }
    for (const int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end())
            continue; // stopped by an earlier timer's handler
        schedule(id, it->second, now + it->second.interval);
        it->second.firing = true;
        QObject *object = it->second.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        it = m_timers.find(id);
        if (it != m_timers.end())
            it->second.firing = false;
    }
    return !due.isEmpty();
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted = false;
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();
    if (m_interrupted)
        return false;

    const bool wait = flags.testFlag(QEventLoop::WaitForMoreEvents);
    int timeout = wait ? waitTimeoutMs() : 0;
    if (wait && m_maxWaitMs >= 0 && (timeout < 0 || timeout > m_maxWaitMs))
        timeout = m_maxWaitMs;
    if (wait)
        Q_EMIT aboutToBlock();
    epoll_event events[256];
    int ready = epoll_wait(m_epoll, events, 256, timeout);
    if (wait)
        Q_EMIT awake();
    if (ready < 0)
        ready = 0; // EINTR: nothing ready this round

    bool processed = false;
    const bool sockets = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    for (int i = 0; i < ready && !m_interrupted; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wake) {
            quint64 count = 0;
            [[maybe_unused]] const ssize_t got = ::read(m_wake, &count, sizeof count);
            processed = true;
            continue;
        }
        if (!sockets)
            continue;
        const uint32_t what = events[i].events;
        if (what & (EPOLLIN | EPOLLHUP | EPOLLERR))
            processed = activate(fd, &Watch::read) || processed;
        if (what & (EPOLLOUT | EPOLLERR))
            processed = activate(fd, &Watch::write) || processed;
        if (what & EPOLLPRI)
            processed = activate(fd, &Watch::exception) || processed;
    }
    if (!m_interrupted && !flags.testFlag(QEventLoop::X11ExcludeTimers))
        processed = fireTimers() || processed;
    // What the handlers posted is delivered in this round too, as Qt's dispatchers do.
    QCoreApplication::sendPostedEvents();
    return processed;
}

} // namespace heartline
