#pragma once

#include <functional>
#include <map>
#include <optional>
#include <utility>

#include <QHash>
#include <QObject>
#include <QTimer>

namespace heartline {

class Clock;
class ManualClock;

/// The one source of simulated time for the Twilio stand-in: every timer it needs (a Dial's timeout,
/// a Pause, how long a Say or Play lasts, the waitUrl loop, a call's time limit, a webhook's time
/// limit) is an entry here, due at an instant of the Clock.
///
/// With a real clock a single QTimer fires at the next due instant. With a ManualClock nothing fires
/// by itself: tests call advance(), which walks the clock forward from one due instant to the next
/// and runs what is due there, so a callback always sees the clock at its own due time.
class SimScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimScheduler)

public:
    using TimerId = quint64;
    using Callback = std::function<void()>;

    /// Real time: due entries run from the event loop.
    explicit SimScheduler(const Clock &clock, QObject *parent = nullptr);
    /// Manual time: due entries run only from runDue() and advance().
    explicit SimScheduler(ManualClock &clock, QObject *parent = nullptr);
    ~SimScheduler() override;

    [[nodiscard]] const Clock &clock() const { return m_clock; }
    [[nodiscard]] qint64 nowMs() const;
    [[nodiscard]] bool isManual() const { return m_manual != nullptr; }

    /// Runs `callback` once the clock reaches `atMs` (at once on the next runDue() when already past).
    /// Entries due at the same instant run in the order they were scheduled. Never 0.
    TimerId schedule(qint64 atMs, Callback callback);
    TimerId scheduleIn(qint64 delayMs, Callback callback);
    /// Forgets an entry that has not run yet; unknown or 0 ids are ignored.
    void cancel(TimerId id);

    /// Runs every entry due now, including entries that the callbacks themselves schedule for now
    /// or earlier. Returns how many ran.
    int runDue();
    /// Runs only the earliest entry, if it is due now: a driver that must let the network settle
    /// between two entries of the same instant (the fleet simulation) steps with this.
    bool runNextDue();

    /// Manual time only (a no-op otherwise): moves the clock `ms` forward, stopping at each due
    /// instant on the way to run what is due there.
    void advance(qint64 ms);

    [[nodiscard]] std::optional<qint64> nextDueMs() const;
    [[nodiscard]] int pendingCount() const { return static_cast<int>(m_entries.size()); }

private:
    using Key = std::pair<qint64, TimerId>; ///< (due, sequence): sequence keeps equal instants in order

    void rearm();

    const Clock &m_clock;
    ManualClock *m_manual = nullptr;
    std::map<Key, Callback> m_entries;
    QHash<TimerId, qint64> m_dueById;
    TimerId m_nextId = 1;
    QTimer m_timer;
};

} // namespace heartline
