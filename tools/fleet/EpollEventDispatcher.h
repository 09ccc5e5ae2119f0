#pragma once

#include <atomic>
#include <map>
#include <unordered_map>

#include <QAbstractEventDispatcher>
#include <QElapsedTimer>

namespace heartline {

/// An event dispatcher on Linux epoll, for the fleet simulation. Qt's own dispatchers poll every
/// socket notifier on every round of the event loop; a fleet of 1,000 agents in one process holds
/// some 4,000 sockets, and the simulation runs hundreds of thousands of rounds, so poll() alone
/// would take most of its time. epoll reports only the sockets that are ready.
///
/// Install it before the application object: QCoreApplication::setEventDispatcher(new ...).
/// Timers run on the monotonic clock; posted events are delivered at the start of each round.
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

    int m_epoll = -1;
    int m_wake = -1; ///< eventfd: wakeUp() from any thread
    std::atomic_bool m_interrupted = false;
    std::unordered_map<int, Watch> m_watches;
    std::map<int, Timer> m_timers;
    QElapsedTimer m_clock;
    int m_maxWaitMs = -1;
};

} // namespace heartline
