#pragma once

#include <atomic>
#include <map>
#include <set>
#include <unordered_map>

#include <QAbstractEventDispatcher>
#include <QElapsedTimer>

namespace heartline {

/// An event dispatcher on Linux epoll. Qt's own dispatchers (glib's and the Unix one) hand every
/// socket notifier to poll() on every round of the event loop: a server holding 10,000 agents'
/// WebSockets spent a whole core doing that while idle, and poll() was a fifth of its time under
/// heartbeat load. epoll reports only the sockets that are ready, so a round costs what happened
/// in it, not what is open. heartline-server runs on it (docs/configuration.md); the fleet
/// simulation too, where one process holds some 4,000 sockets.
///
/// Install it before the application object: QCoreApplication::setEventDispatcher(new ...). It
/// serves the thread it was made on. Timers run on the monotonic clock, kept in due order, so a
/// round never walks them all; posted events are delivered at the start and end of each round.
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EpollEventDispatcher)

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    [[nodiscard]] QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    /// The longest a round with WaitForMoreEvents blocks (-1: until something happens). A driver
    /// that waits for another thread (QNetworkAccessManager's) sleeps in short slices instead of
    /// spinning, which would take the CPU that thread needs.
    void setMaxWaitMs(int ms) { m_maxWaitMs = ms; }

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        bool added = false;
    };
    struct Timer
    {
        qint64 interval = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 dueMs = 0;
        bool firing = false; ///< its event is being delivered (no second delivery from a nested loop)
    };

    void updateInterest(int fd, Watch &watch);
    bool activate(int fd, QSocketNotifier *Watch::*slot);
    bool fireTimers();
    [[nodiscard]] int waitTimeoutMs() const;
    /// Sets when a timer is next due, keeping m_due in order.
    void schedule(int timerId, Timer &timer, qint64 dueMs);

    int m_epoll = -1;
    int m_wake = -1; ///< eventfd: wakeUp() from any thread
    std::atomic_bool m_interrupted = false;
    std::unordered_map<int, Watch> m_watches;
    std::unordered_map<int, Timer> m_timers;        ///< by id
    std::set<std::pair<qint64, int>> m_due;         ///< (due time, id) of every timer: the next due first
    std::multimap<QObject *, int> m_timersByObject; ///< for unregisterTimers(object), called as objects die
    QElapsedTimer m_clock;
    int m_maxWaitMs = -1;
};

} // namespace heartline
