#include "SimScheduler.h"

#include <algorithm>
#include <limits>

#include "core/Clock.h"

namespace heartline {

SimScheduler::SimScheduler(const Clock &clock, QObject *parent) : QObject(parent), m_clock(clock)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        runDue();
        rearm();
    });
}

SimScheduler::SimScheduler(ManualClock &clock, QObject *parent) : QObject(parent), m_clock(clock), m_manual(&clock) { }

SimScheduler::~SimScheduler() = default;

qint64 SimScheduler::nowMs() const
{
    return m_clock.nowMs();
}

SimScheduler::TimerId SimScheduler::schedule(qint64 atMs, Callback callback)
{
    const TimerId id = m_nextId++;
    m_entries.emplace(Key {atMs, id}, std::move(callback));
    m_dueById.insert(id, atMs);
    rearm();
    return id;
}

SimScheduler::TimerId SimScheduler::scheduleIn(qint64 delayMs, Callback callback)
{
    return schedule(nowMs() + std::max<qint64>(0, delayMs), std::move(callback));
}

void SimScheduler::cancel(TimerId id)
{
    const auto due = m_dueById.constFind(id);
    if (due == m_dueById.constEnd())
        return;
    m_entries.erase(Key {*due, id});
    m_dueById.erase(due);
    rearm();
}

int SimScheduler::runDue()
{
    int ran = 0;
    while (!m_entries.empty()) {
        auto first = m_entries.begin();
        if (first->first.first > nowMs())
            break;
        // Taken out before it runs: the callback may schedule, cancel or even run runDue() itself.
        Callback callback = std::move(first->second);
        m_dueById.remove(first->first.second);
        m_entries.erase(first);
        ++ran;
        if (callback)
            callback();
    }
    rearm();
    return ran;
}

bool SimScheduler::runNextDue()
{
    if (m_entries.empty() || m_entries.begin()->first.first > nowMs())
        return false;
    auto first = m_entries.begin();
    Callback callback = std::move(first->second);
    m_dueById.remove(first->first.second);
    m_entries.erase(first);
    if (callback)
        callback();
    rearm();
    return true;
}

void SimScheduler::advance(qint64 ms)
{
    if (!m_manual)
        return;
    const qint64 target = m_manual->nowMs() + std::max<qint64>(0, ms);
    runDue();
    while (!m_entries.empty() && m_entries.begin()->first.first <= target) {
        m_manual->setNowMs(std::max(m_manual->nowMs(), m_entries.begin()->first.first));
        runDue();
    }
    m_manual->setNowMs(target);
    runDue();
}

std::optional<qint64> SimScheduler::nextDueMs() const
{
    if (m_entries.empty())
        return std::nullopt;
    return m_entries.begin()->first.first;
}

void SimScheduler::rearm()
{
    if (m_manual)
        return;
    if (m_entries.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 wait
        = std::clamp<qint64>(m_entries.begin()->first.first - nowMs(), 0, std::numeric_limits<int>::max());
    m_timer.start(static_cast<int>(wait));
}

} // namespace heartline
