#include "models/DashboardFigures.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

std::optional<double> number(const QJsonObject &object, QStringView key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toDouble();
}

} // namespace

std::optional<double> RoutingSummary::successRate() const
{
    if (total() == 0)
        return std::nullopt;
    return double(enhanced + legacy + fallback) / double(total());
}

RoutingSummary RoutingSummary::from(const QList<RoutingDecisionView> &decisions)
{
    RoutingSummary summary;
    for (const RoutingDecisionView &decision : decisions) {
        if (decision.path == u"enhanced"_s)
            ++summary.enhanced;
        else if (decision.path == u"fallback"_s)
            ++summary.fallback;
        else if (decision.path == u"legacy"_s)
            ++summary.legacy;
        else if (decision.path == u"queued"_s)
            ++summary.queued;
        else
            ++summary.none;
    }
    return summary;
}

DashboardFigures DashboardFigures::from(const QList<AgentView> *agents, const QJsonObject &stats,
                                        const RoutingSummary &routing)
{
    DashboardFigures figures;
    if (agents)
        figures.countAgents(*agents);
    const QJsonObject processing = stats.value(u"heartbeatProcessing").toObject();
    figures.heartbeatP50Ms = number(processing, u"p50Ms");
    figures.heartbeatP99Ms = number(processing, u"p99Ms");
    figures.routingSuccessRate = routing.successRate();
    figures.routingDecisions = routing.total();
    return figures;
}

void DashboardFigures::countAgents(const QList<AgentView> &all)
{
    int loggedInCount = 0;
    int readyCount = 0;
    int onCallCount = 0;
    int awayCount = 0;
    int offlineCount = 0;
    int devicesCount = 0;
    qint64 scoreSum = 0;
    for (const AgentView &agent : all) {
        onCallCount += agent.activity == AgentActivity::OnCall ? 1 : 0;
        awayCount += agent.status == AgentStatus::Away ? 1 : 0;
        offlineCount += agent.status == AgentStatus::Offline ? 1 : 0;
        if (!agent.loggedIn)
            continue;
        ++loggedInCount;
        readyCount += agent.readiness.ready ? 1 : 0;
        devicesCount += agent.deviceConnected ? 1 : 0;
        scoreSum += agent.readiness.score;
    }
    agents = int(all.size());
    loggedIn = loggedInCount;
    ready = readyCount;
    notReady = loggedInCount - readyCount;
    onCall = onCallCount;
    away = awayCount;
    offline = offlineCount;
    if (loggedInCount > 0) {
        deviceConnectedRate = double(devicesCount) / loggedInCount;
        averageReadiness = double(scoreSum) / loggedInCount;
    }
}

std::array<int, 10> readinessHistogram(const QList<AgentView> &agents)
{
    std::array<int, 10> buckets {};
    for (const AgentView &agent : agents) {
        if (agent.loggedIn)
            ++buckets.at(size_t(std::clamp(agent.readiness.score / 10, 0, 9)));
    }
    return buckets;
}

} // namespace heartline
