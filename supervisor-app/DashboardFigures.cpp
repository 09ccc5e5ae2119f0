#include "DashboardFigures.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

std::optional<int> count(const QJsonObject &object, QStringView key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toInt();
}

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

DashboardFigures DashboardFigures::from(const QJsonObject &stats, const RoutingSummary &routing)
{
    DashboardFigures figures;
    figures.agents = count(stats, u"agents");
    figures.loggedIn = count(stats, u"loggedIn");
    figures.ready = count(stats, u"ready");
    figures.notReady = count(stats, u"notReady");
    const QJsonObject byStatus = stats.value(u"byStatus").toObject();
    const QJsonObject byActivity = stats.value(u"byActivity").toObject();
    figures.onCall = count(byActivity, u"on-call");
    figures.away = count(byStatus, u"away");
    figures.offline = count(byStatus, u"offline");
    figures.deviceConnectedRate = number(stats, u"deviceConnectedRate");
    figures.averageReadiness = number(stats, u"averageReadinessScore");
    const QJsonObject processing = stats.value(u"heartbeatProcessing").toObject();
    figures.heartbeatP50Ms = number(processing, u"p50Ms");
    figures.heartbeatP99Ms = number(processing, u"p99Ms");
    figures.routingSuccessRate = routing.successRate();
    figures.routingDecisions = routing.total();
    return figures;
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
