#pragma once

#include <optional>

#include <QList>
#include <QString>

#include "agents/AgentStatistics.h"
#include "core/AgentState.h"
#include "protocol/SupervisorProtocol.h"

namespace heartline {

class AgentRegistry;
class AgentService;
class Clock;
class Histogram;
struct AgentRecord;

/// Which agents a supervisor asks for (the filters of GET /api/agents). Unset members match every agent.
struct AgentFilter
{
    std::optional<AgentStatus> status;
    std::optional<AgentActivity> activity;
    std::optional<bool> ready;    ///< readiness now, as the view shows it
    std::optional<QString> queue; ///< one of the agent's queues (skills), exact
    QString text;                 ///< case-insensitive substring of the agent id or display name; empty matches all
};

/// The supervisors' read-only look at the agents: views and statistics for "now", straight from the
/// registry. Shared by the HTTP routes and /ws/supervisor so both show the same numbers.
class AgentOverview final
{
    Q_DISABLE_COPY_MOVE(AgentOverview)

public:
    AgentOverview(const AgentRegistry &registry, const AgentService &agents, const Clock &clock);

    /// The histogram (seconds) the heartbeat path feeds; null until metrics are wired.
    /// The heartbeat processing-time series (one per transport) the statistics report together.
    void setHeartbeatTimes(QList<const Histogram *> histograms) { m_heartbeatTimes = std::move(histograms); }

    [[nodiscard]] qint64 nowMs() const;
    /// The agents the filter matches, sorted by agent id. O(agents).
    [[nodiscard]] QList<AgentView> views(const AgentFilter &filter = {}) const;
    /// One agent, or nothing when the registry does not hold it.
    [[nodiscard]] std::optional<AgentView> view(const QString &agentId) const;
    /// Up to `limit` agents whose ids sort after `afterId` (from the first when it is empty), in id
    /// order: one page of a supervisor's snapshot. O(log agents + limit).
    [[nodiscard]] QList<AgentView> viewsAfter(const QString &afterId, qsizetype limit) const;
    /// Every agent the registry holds. O(1).
    [[nodiscard]] qsizetype agentCount() const;
    [[nodiscard]] AgentStatistics statistics() const;
    /// The same figures a slice of agents at a time, so no single event-loop turn walks them all: a
    /// tally for now, fed by countAfter() until it returns an empty id, then read by statistics(tally).
    [[nodiscard]] AgentStatisticsTally statisticsTally() const;
    /// Adds up to `limit` agents whose ids sort after `afterId` to `tally`; returns the last id added,
    /// empty when none was left. O(log agents + limit).
    QString countAfter(const QString &afterId, qsizetype limit, AgentStatisticsTally &tally) const;
    [[nodiscard]] AgentStatistics statistics(const AgentStatisticsTally &tally) const;

private:
    [[nodiscard]] static bool matchesBeforeScoring(const AgentRecord &record, const AgentFilter &filter);

    const AgentRegistry &m_registry;
    const AgentService &m_agents;
    const Clock &m_clock;
    QList<const Histogram *> m_heartbeatTimes;
};

} // namespace heartline
