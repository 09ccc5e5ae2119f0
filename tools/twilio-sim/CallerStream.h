#pragma once

#include <functional>

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

#include "ScenarioConfig.h"
#include "ScenarioRandom.h"

namespace heartline {

class SimScheduler;

/// Where the callers' calls go: the stand-in in this process (CallEngine) or a running one
/// (its /control/ API).
class CallPlacer
{
public:
    virtual ~CallPlacer() = default;
    /// Places an inbound call; `placed` gets its CallSid (empty when it failed).
    virtual void place(const QString &from, const QString &to, std::function<void(const QString &sid)> placed) = 0;
    /// The caller hangs up.
    virtual void hangUp(const QString &sid) = 0;
};

/// The callers of a scenario: a Poisson stream of inbound calls (and bursts, when configured), each
/// caller with a patience after which, not connected to an agent yet, they hang up.
class CallerStream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallerStream)

public:
    static inline const QString CalledNumber = QStringLiteral("+15558675310");

    CallerStream(const ScenarioConfig &config, SimScheduler &scheduler, CallPlacer &placer, QObject *parent = nullptr);
    ~CallerStream() override;

    /// Calls arrive from `fromMs` until `untilMs` (absolute scheduler time).
    void start(qint64 fromMs, qint64 untilMs);
    /// An agent answered this call: its caller no longer hangs up for want of an agent.
    void connected(const QString &sid);
    /// `count` callers more, all at `atMs` (absolute scheduler time), besides the stream.
    void burstAt(qint64 atMs, int count);
    /// The caller hears only silence from now on (the agent's side went dead) and hangs up after
    /// `patienceMs`, unless the call ended before.
    void hearsSilence(const QString &sid, qint64 patienceMs);

    [[nodiscard]] int placedCount() const { return m_placed; }
    /// The index a call was placed with, or -1.
    [[nodiscard]] int indexOf(const QString &sid) const { return m_indexBySid.value(sid, -1); }

Q_SIGNALS:
    void callPlaced(int index, const QString &sid);
    /// Emitted just before the caller hangs up for want of an agent (the call's state is still there).
    void callerGivingUp(int index, const QString &sid);

private:
    void scheduleNext();
    void scheduleBurst(qint64 atMs);
    void placeOne();

    ScenarioConfig m_config;
    SimScheduler &m_scheduler;
    CallPlacer &m_placer;
    ScenarioRandom m_random;
    qint64 m_untilMs = 0;
    quint64 m_nextTimer = 0;
    quint64 m_burstTimer = 0;
    QSet<quint64> m_patienceTimers;
    int m_placed = 0;
    QHash<QString, int> m_indexBySid;
    QSet<QString> m_connected;
};

} // namespace heartline
