#include "agents/AgentStatistics.h"

#include <cmath>

#include <QJsonValue>

#include "agents/AgentRegistry.h"
#include "metrics/Metrics.h"
#include "readiness/ReadinessScorer.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr std::array allStatuses {AgentStatus::Available, AgentStatus::Away, AgentStatus::Offline};
constexpr std::array allActivities {AgentActivity::Idle,        AgentActivity::Ringing,  AgentActivity::OnCall,
                                    AgentActivity::WrapUp,      AgentActivity::Cooldown, AgentActivity::Stale,
                                    AgentActivity::Disconnected};
constexpr std::array allConnections {ConnectionKind::WebSocket, ConnectionKind::HttpOnly, ConnectionKind::None};

double roundTo(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

void countAge(HeartbeatAgeBuckets &buckets, std::optional<qint64> lastHeartbeatMs, qint64 intervalMs,
              qint64 thresholdMs, qint64 nowMs)
{
    if (!lastHeartbeatMs) {
        ++buckets.never;
        return;
    }
    const qint64 age = nowMs - *lastHeartbeatMs;
    if (age > thresholdMs)
        ++buckets.expired;
    else if (age < intervalMs)
        ++buckets.withinInterval;
    else if (age < 2 * intervalMs)
        ++buckets.withinTwoIntervals;
    else
        ++buckets.withinThreshold;
}

QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

template <typename Enum, size_t N>
QJsonObject countsByName(const std::array<Enum, N> &values, const std::array<int, N> &counts)
{
    QJsonObject object;
    for (size_t i = 0; i < N; ++i)
        object.insert(toString(values[i]), counts.at(size_t(values[i])));
    return object;
}

} // namespace

AgentStatistics AgentStatistics::compute(const AgentRegistry &registry, const ReadinessConfig &config, qint64 nowMs,
                                         const Histogram *heartbeatSeconds)
{
    AgentStatisticsTally tally(config, nowMs);
    registry.forEach([&](const AgentRecord &record) { tally.add(record); });
    return tally.result(heartbeatSeconds);
}

AgentStatisticsTally::AgentStatisticsTally(const ReadinessConfig &config, qint64 nowMs)
    : m_config(config), m_intervalMs(qint64(config.heartbeatIntervalSeconds) * 1000),
      // Truncated as AgentService truncates it, so "expired" here is expired there.
      m_thresholdMs(qint64(config.heartbeatThresholdSeconds * 1000))
{
    m_stats.computedAtMs = nowMs;
    m_stats.heartbeatIntervalSeconds = config.heartbeatIntervalSeconds;
    m_stats.heartbeatThresholdSeconds = config.heartbeatThresholdSeconds;
}

void AgentStatisticsTally::add(const AgentRecord &record)
{
    const AgentSnapshot &snapshot = record.snapshot;
    ++m_stats.agents;
    ++m_stats.byStatus.at(size_t(snapshot.status));
    ++m_stats.byActivity.at(size_t(record.activity));
    if (!snapshot.sessionActive)
        return;
    ++m_stats.loggedIn;
    ++m_stats.byConnection.at(size_t(snapshot.connection));
    const ReadinessResult readiness = scoreReadiness(snapshot, m_config, m_stats.computedAtMs);
    m_scoreSum += readiness.score;
    ++(readiness.ready ? m_stats.ready : m_stats.notReady);
    if (snapshot.deviceConnected)
        ++m_stats.deviceConnected;
    countAge(m_stats.heartbeatAges, snapshot.lastHeartbeatMs, m_intervalMs, m_thresholdMs, m_stats.computedAtMs);
}

AgentStatistics AgentStatisticsTally::result(const Histogram *heartbeatSeconds) const
{
    AgentStatistics stats = m_stats;
    if (stats.loggedIn > 0) {
        stats.deviceConnectedRate = double(stats.deviceConnected) / stats.loggedIn;
        stats.averageReadinessScore = roundTo(double(m_scoreSum) / stats.loggedIn, 1);
    }
    if (heartbeatSeconds && heartbeatSeconds->count() > 0) {
        stats.heartbeatProcessing
            = ProcessingTimes {heartbeatSeconds->count(), roundTo(heartbeatSeconds->quantile(0.5) * 1000, 3),
                               roundTo(heartbeatSeconds->quantile(0.99) * 1000, 3)};
    }
    return stats;
}

QJsonObject AgentStatistics::toJson() const
{
    const QJsonObject ages {
        {u"intervalSeconds"_s, heartbeatIntervalSeconds},
        {u"thresholdSeconds"_s, heartbeatThresholdSeconds},
        {u"withinInterval"_s, heartbeatAges.withinInterval},
        {u"withinTwoIntervals"_s, heartbeatAges.withinTwoIntervals},
        {u"withinThreshold"_s, heartbeatAges.withinThreshold},
        {u"expired"_s, heartbeatAges.expired},
        {u"never"_s, heartbeatAges.never},
    };
    QJsonValue processing(QJsonValue::Null);
    if (heartbeatProcessing) {
        processing = QJsonObject {{u"count"_s, qint64(heartbeatProcessing->count)},
                                  {u"p50Ms"_s, heartbeatProcessing->p50Ms},
                                  {u"p99Ms"_s, heartbeatProcessing->p99Ms}};
    }
    return QJsonObject {
        {u"computedAtMs"_s, computedAtMs},
        {u"agents"_s, agents},
        {u"loggedIn"_s, loggedIn},
        {u"byStatus"_s, countsByName(allStatuses, byStatus)},
        {u"byActivity"_s, countsByName(allActivities, byActivity)},
        {u"byConnection"_s, countsByName(allConnections, byConnection)},
        {u"ready"_s, ready},
        {u"notReady"_s, notReady},
        {u"heartbeatAge"_s, ages},
        {u"deviceConnected"_s, deviceConnected},
        {u"deviceConnectedRate"_s, optionalNumber(deviceConnectedRate)},
        {u"averageReadinessScore"_s, optionalNumber(averageReadinessScore)},
        {u"heartbeatProcessing"_s, processing},
    };
}

} // namespace heartline
