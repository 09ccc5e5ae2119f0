#pragma once

#include <array>

#include <QObject>

#include "agents/AgentRecord.h"
#include "connectivity/ConnectivityIssue.h"

namespace heartline {

class AgentRegistry;
class AgentService;
struct AgentRecord;
class Clock;
class ConnectivityMonitor;
class Counter;
class Gauge;
class MetricsRegistry;

/// The agent and connectivity figures of /metrics. Counts are kept as agents change: each change
/// moves the agent from where it was counted to where it is now (AgentRecord::metricsPlace), O(1),
/// so a scrape costs the same with 100 agents or 100,000 and never holds the event loop for a pass
/// over all of them. Readiness is counted as of each agent's last change (every heartbeat, status,
/// device or call, and the expiry of a silent heartbeat), not rescored at the scrape. Every label
/// value is set on every scrape, zero included, so a series never keeps a value that no longer holds.
///
/// Families: heartline_agents{status}, heartline_agents_by_activity{activity},
/// heartline_agents_ready, heartline_agents_by_readiness_score{le}, heartline_device_connected_ratio,
/// heartline_connectivity_issues_open{kind}, heartline_connectivity_issues_opened_total{kind}
/// (counted as issues open), heartline_uptime_seconds. docs/api.md lists them.
///
/// Readiness scores are gauges, cumulative like histogram buckets, and not a histogram: they
/// describe the agents logged in now, so they go down as agents leave, and a histogram's counts
/// may only grow (rate() and increase() would read every logout as a counter reset).
class AgentMetrics final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentMetrics)

public:
    /// Registers the families in `metrics` (all series at 0). The registry, agents and monitor
    /// must outlive this object.
    AgentMetrics(MetricsRegistry &metrics, AgentRegistry &agents, AgentService &changes,
                 const ConnectivityMonitor &monitor, const Clock &clock, QObject *parent = nullptr);
    ~AgentMetrics() override;

    /// Brings every scrape-time series up to date; startedAtMs gives the uptime.
    void collect(qint64 startedAtMs);

private:
    /// Moves the agent from where it was counted to where it is now.
    void recount(AgentRecord &record);
    void count(const MetricsPlace &place, int sign);

    static constexpr int StatusCount = 3;
    static constexpr int ActivityCount = 7;
    /// le = 10, 20, ... 100 and +Inf.
    static constexpr int ScoreBucketCount = 11;

    AgentRegistry &m_agents;
    const ConnectivityMonitor &m_monitor;
    const Clock &m_clock;

    // The counts of logged-in agents, as of each one's last change.
    std::array<int, StatusCount> m_statusCounts {};
    std::array<int, ActivityCount> m_activityCounts {};
    std::array<int, ScoreBucketCount> m_scoreCounts {}; ///< per bucket, summed up when set
    int m_loggedIn = 0;
    int m_readyCount = 0;
    int m_deviceConnected = 0;

    std::array<Gauge *, StatusCount> m_byStatus {};
    std::array<Gauge *, ActivityCount> m_byActivity {};
    Gauge *m_ready = nullptr;
    std::array<Gauge *, ScoreBucketCount> m_byScore {};
    Gauge *m_deviceConnectedRatio = nullptr;
    std::array<Gauge *, ConnectivityIssueKindCount> m_issuesOpen {};
    std::array<Counter *, ConnectivityIssueKindCount> m_issuesOpened {};
    Gauge *m_uptime = nullptr;
};

} // namespace heartline
