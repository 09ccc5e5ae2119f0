#pragma once

#include <array>
#include <optional>

#include <QJsonObject>
#include <QList>

#include "connection/SupervisorApi.h"
#include "protocol/SupervisorProtocol.h"

namespace heartline {

/// How recent routing decisions went: counts per path and the share that reached an agent.
struct RoutingSummary
{
    int enhanced = 0;
    int fallback = 0;
    int legacy = 0;
    int queued = 0;
    int none = 0; ///< nobody, and the caller could not be queued

    [[nodiscard]] int total() const { return enhanced + fallback + legacy + queued + none; }
    /// (enhanced + legacy + fallback) / every decision; none without decisions.
    [[nodiscard]] std::optional<double> successRate() const;

    [[nodiscard]] static RoutingSummary from(const QList<RoutingDecisionView> &decisions);

    friend bool operator==(const RoutingSummary &, const RoutingSummary &) = default;
};

/// The figures in the dashboard's header. The agent counts and rates are counted over the agents the
/// table shows, so the header agrees with the table after every push (the server's statistics come
/// only every 5 s); the heartbeat handling times, which only the server measures, come from its
/// statistics object (docs/api.md, "Agent statistics"); the routing figures from the routing summary.
/// What is not known yet stays empty rather than 0, so "no data" never reads as "zero agents ready".
struct DashboardFigures
{
    std::optional<int> agents;
    std::optional<int> loggedIn;
    std::optional<int> ready;
    std::optional<int> notReady;
    std::optional<int> onCall; ///< activity on-call
    std::optional<int> away;   ///< status away
    std::optional<int> offline;
    std::optional<double> deviceConnectedRate; ///< 0-1
    std::optional<double> averageReadiness;    ///< 0-100
    std::optional<double> heartbeatP50Ms;
    std::optional<double> heartbeatP99Ms;
    std::optional<double> routingSuccessRate; ///< 0-1
    int routingDecisions = 0;

    /// `agents` is null before the first snapshot. Ready and not ready, the device rate and the average
    /// readiness are over logged-in agents only: a logged-out agent's score means nothing.
    [[nodiscard]] static DashboardFigures from(const QList<AgentView> *agents, const QJsonObject &stats,
                                               const RoutingSummary &routing);

    friend bool operator==(const DashboardFigures &, const DashboardFigures &) = default;

private:
    void countAgents(const QList<AgentView> &all);
};

/// Logged-in agents by readiness score: [0] = 0-9, ..., [9] = 90-100.
[[nodiscard]] std::array<int, 10> readinessHistogram(const QList<AgentView> &agents);

} // namespace heartline
