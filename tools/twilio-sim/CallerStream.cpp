#include "CallerStream.h"

#include <memory>

#include "SimScheduler.h"

using namespace Qt::StringLiterals;

namespace heartline {

CallerStream::CallerStream(const ScenarioConfig &config, SimScheduler &scheduler, CallPlacer &placer, QObject *parent)
    : QObject(parent), m_config(config), m_scheduler(scheduler), m_placer(placer), m_random(config.seed, 0xCA11ULL)
{ }

CallerStream::~CallerStream()
{
    m_scheduler.cancel(m_nextTimer);
    m_scheduler.cancel(m_burstTimer);
    for (const quint64 timer : std::as_const(m_patienceTimers))
        m_scheduler.cancel(timer);
}

void CallerStream::start(qint64 fromMs, qint64 untilMs)
{
    m_untilMs = untilMs;
    m_nextTimer = m_scheduler.schedule(fromMs, [this] {
        m_nextTimer = 0;
        for (int i = 0; i < m_config.openingCalls; ++i)
            placeOne();
        scheduleNext();
    });
    if (m_config.burstEveryMs > 0 && m_config.burstCalls > 0)
        scheduleBurst(fromMs + m_config.burstEveryMs);
}

void CallerStream::scheduleBurst(qint64 atMs)
{
    if (atMs >= m_untilMs)
        return;
    m_burstTimer = m_scheduler.schedule(atMs, [this, atMs] {
        m_burstTimer = 0;
        for (int i = 0; i < m_config.burstCalls; ++i)
            placeOne();
        scheduleBurst(atMs + m_config.burstEveryMs);
    });
}

void CallerStream::scheduleNext()
{
    if (m_config.callsPerMinute <= 0)
        return;
    const qint64 gap = qint64(m_random.exponential(60'000.0 / m_config.callsPerMinute));
    const qint64 at = m_scheduler.nowMs() + gap;
    if (at >= m_untilMs)
        return;
    m_nextTimer = m_scheduler.schedule(at, [this] {
        m_nextTimer = 0;
        placeOne();
        scheduleNext();
    });
}

void CallerStream::placeOne()
{
    const int index = m_placed++;
    // Draw everything about this caller now, whatever the placer does: the sequence stays the same.
    const QString from = u"+1555%1"_s.arg(m_random.between(2'000'000, 9'999'999));
    const qint64 patience = m_random.between(m_config.patienceMinMs, m_config.patienceMaxMs);
    m_placer.place(from, CalledNumber, [this, index, patience](const QString &sid) {
        if (sid.isEmpty())
            return;
        m_indexBySid.insert(sid, index);
        Q_EMIT callPlaced(index, sid);
        auto timer = std::make_shared<quint64>(0);
        *timer = m_scheduler.scheduleIn(patience, [this, index, sid, timer] {
            m_patienceTimers.remove(*timer);
            if (m_connected.contains(sid))
                return;
            Q_EMIT callerGivingUp(index, sid);
            m_placer.hangUp(sid);
        });
        m_patienceTimers.insert(*timer);
    });
}

void CallerStream::connected(const QString &sid)
{
    m_connected.insert(sid);
}

void CallerStream::burstAt(qint64 atMs, int count)
{
    auto timer = std::make_shared<quint64>(0);
    *timer = m_scheduler.schedule(atMs, [this, count, timer] {
        m_patienceTimers.remove(*timer);
        for (int i = 0; i < count; ++i)
            placeOne();
    });
    m_patienceTimers.insert(*timer); // cancelled with the stream, like a caller's patience
}

void CallerStream::hearsSilence(const QString &sid, qint64 patienceMs)
{
    if (sid.isEmpty())
        return;
    auto timer = std::make_shared<quint64>(0);
    *timer = m_scheduler.scheduleIn(patienceMs, [this, sid, timer] {
        m_patienceTimers.remove(*timer);
        m_placer.hangUp(sid); // a call that ended meanwhile is refused, and nothing happens
    });
    m_patienceTimers.insert(*timer);
}

} // namespace heartline
