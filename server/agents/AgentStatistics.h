#pragma once

#include <array>
#include <optional>

#include <QJsonObject>
#include <QtGlobal>

#include "core/AgentState.h"
#include "readiness/ReadinessConfig.h"

namespace heartline {

class AgentRegistry;
class Histogram;
struct AgentRecord;

/// How old the last heartbeat of each logged-in agent is. Checked in this order: never sent one,
/// older than the threshold (expired), younger than one interval, younger than two intervals, else
/// within the threshold, so every agent lands in exactly one bucket even when the threshold is
/// shorter than two intervals.
struct HeartbeatAgeBuckets
{
    int withinInterval = 0;     ///< age < interval
    int withinTwoIntervals = 0; ///< interval <= age < 2 x interval
    int withinThreshold = 0;    ///< 2 x interval <= age <= threshold
    int expired = 0;            ///< age > threshold
    int never = 0;              ///< logged in, no heartbeat received yet

    friend bool operator==(const HeartbeatAgeBuckets &, const HeartbeatAgeBuckets &) = default;
};

/// Heartbeat processing time, from the histogram the heartbeat path feeds (in seconds).
struct ProcessingTimes
{
    quint64 count = 0;
    double p50Ms = 0;
    double p99Ms = 0;

    friend bool operator==(const ProcessingTimes &, const ProcessingTimes &) = default;
};

/// Agent status and connectivity figures for supervisors (the seed's "heartbeat statistics" and
/// "connectivity statistics"). Computed on demand in one pass over the registry: O(agents) per
/// request or per supervisor stats push, never per heartbeat; the supervisor pushes spread that pass
/// over several event-loop turns (AgentStatisticsTally). docs/api.md documents the JSON.
///
/// Not kept up to date as agents change, as /metrics' counts are (AgentMetrics): readiness and the
/// heartbeat ages are figures of the instant they are computed for, and move with the clock alone
/// (the heartbeat factor decays between two heartbeats), so they need every logged-in agent rescored.
struct AgentStatistics
{
    qint64 computedAtMs = 0;
    int heartbeatIntervalSeconds = 0;
    double heartbeatThresholdSeconds = 0;

    int agents = 0;                     ///< every agent the server knows
    int loggedIn = 0;                   ///< with an open session
    std::array<int, 3> byStatus {};     ///< all agents, indexed by AgentStatus
    std::array<int, 7> byActivity {};   ///< all agents, indexed by AgentActivity
    std::array<int, 3> byConnection {}; ///< logged-in agents, indexed by ConnectionKind

    int ready = 0;                                      ///< logged in and ready now (nobody logged out is ever ready)
    int notReady = 0;                                   ///< logged in and not ready
    HeartbeatAgeBuckets heartbeatAges;                  ///< logged-in agents
    int deviceConnected = 0;                            ///< logged-in agents whose app reports its device connected
    std::optional<double> deviceConnectedRate;          ///< deviceConnected / loggedIn; none when nobody is logged in
    std::optional<double> averageReadinessScore;        ///< over logged-in agents, one decimal; none when nobody is
    std::optional<ProcessingTimes> heartbeatProcessing; ///< none without a histogram or before the first heartbeat

    [[nodiscard]] int count(AgentStatus status) const { return byStatus.at(size_t(status)); }
    [[nodiscard]] int count(AgentActivity activity) const { return byActivity.at(size_t(activity)); }
    [[nodiscard]] int count(ConnectionKind kind) const { return byConnection.at(size_t(kind)); }

    /// Readiness is scored for `nowMs` (as AgentView does), so the counts match the views sent with them.
    /// `heartbeatSeconds` may be null (no metrics wired).
    [[nodiscard]] static AgentStatistics compute(const AgentRegistry &registry, const ReadinessConfig &config,
                                                 qint64 nowMs, const Histogram *heartbeatSeconds);

    [[nodiscard]] QJsonObject toJson() const;
};

/// AgentStatistics counted one agent at a time, each scored for the same instant: compute() feeds it
/// every agent at once, the supervisor stats push a slice of agents per event-loop turn.
class AgentStatisticsTally final
{
public:
    AgentStatisticsTally(const ReadinessConfig &config, qint64 nowMs);

    void add(const AgentRecord &record);
    [[nodiscard]] qint64 nowMs() const { return m_stats.computedAtMs; }
    [[nodiscard]] int agentsAdded() const { return m_stats.agents; }
    /// The figures of every agent added. `heartbeatSeconds` may be null (no metrics wired).
    [[nodiscard]] AgentStatistics result(const Histogram *heartbeatSeconds) const;

private:
    ReadinessConfig m_config; ///< a copy: one configuration for every agent of a tally spread over turns
    AgentStatistics m_stats;
    qint64 m_intervalMs = 0;
    qint64 m_thresholdMs = 0;
    qint64 m_scoreSum = 0;
};

} // namespace heartline
