#pragma once

#include <optional>

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QTimer>

#include "agents/AgentStatistics.h"

namespace heartline {

class AgentOverview;

/// The supervisors' statistics (AgentStatistics, the `stats` push and the first snapshot page) counted a
/// slice of agents per event-loop turn instead of in one walk. They cannot be kept as agents change, as
/// /metrics' counts are: readiness and heartbeat ages move with the clock alone, so every logged-in agent
/// is rescored. In one walk that held the loop for 130-160 ms at 100,000 agents every stats interval; a
/// slice of SliceSize agents takes about 3 ms (bench/bench_supervisor_snapshot, on a shared two-core
/// machine), and heartbeats are served between slices.
///
/// Every agent of a walk is scored for the instant the walk began (computedAtMs) and counted as it is
/// when its slice runs, in agent-id order; one added behind the walk's cursor meanwhile is counted by the
/// next walk. A walk at 100,000 agents spans 50 turns, about 0.2 s.
class SupervisorStatisticsWalk final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupervisorStatisticsWalk)

public:
    static constexpr qsizetype SliceSize = 2000;

    explicit SupervisorStatisticsWalk(const AgentOverview &overview, QObject *parent = nullptr);
    ~SupervisorStatisticsWalk() override;

    /// Starts a walk, unless one is under way (its figures then serve, a few turns old at most). The
    /// first slice is counted now, so a floor of up to SliceSize agents is done before this returns.
    void start();
    /// Drops the walk under way, if any: finished() is not emitted for it.
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_tally.has_value(); }

Q_SIGNALS:
    /// A walk ended: the statistics as docs/api.md describes them.
    void finished(const QJsonObject &stats);

private:
    void countSlice();

    const AgentOverview &m_overview;
    std::optional<AgentStatisticsTally> m_tally;
    QString m_cursor; ///< the last agent id counted
    QTimer m_next;    ///< zero interval: the next slice on a later turn
};

} // namespace heartline
