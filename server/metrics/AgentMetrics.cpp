#include "metrics/AgentMetrics.h"

#include <algorithm>

#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"
#include "connectivity/ConnectivityMonitor.h"
#include "core/Clock.h"
#include "metrics/Metrics.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr AgentStatus statuses[] = {AgentStatus::Available, AgentStatus::Away, AgentStatus::Offline};
constexpr AgentActivity activities[] = {
    AgentActivity::Idle,     AgentActivity::Ringing, AgentActivity::OnCall,       AgentActivity::WrapUp,
    AgentActivity::Cooldown, AgentActivity::Stale,   AgentActivity::Disconnected,
};

} // namespace

AgentMetrics::AgentMetrics(MetricsRegistry &metrics, AgentRegistry &agents, AgentService &changes,
                           const ConnectivityMonitor &monitor, const Clock &clock, QObject *parent)
    : QObject(parent), m_agents(agents), m_monitor(monitor), m_clock(clock)
{
    static_assert(std::size(statuses) == StatusCount && std::size(activities) == ActivityCount);
    for (int i = 0; i < StatusCount; ++i) {
        m_byStatus[i] = &metrics.gauge(u"heartline_agents"_s, u"Logged-in agents by the status they chose."_s,
                                       {u"status"_s}, {toString(statuses[i])});
    }
    for (int i = 0; i < ActivityCount; ++i) {
        m_byActivity[i] = &metrics.gauge(u"heartline_agents_by_activity"_s,
                                         u"Logged-in agents by the activity the server derives."_s, {u"activity"_s},
                                         {toString(activities[i])});
    }
    m_ready = &metrics.gauge(u"heartline_agents_ready"_s,
                             u"Logged-in agents that pass every readiness gate and reach the threshold."_s);
    for (int i = 0; i < ScoreBucketCount; ++i) {
        const QString le = i + 1 < ScoreBucketCount ? QString::number((i + 1) * 10) : u"+Inf"_s;
        m_byScore[i] = &metrics.gauge(u"heartline_agents_by_readiness_score"_s,
                                      u"Logged-in agents whose readiness score (0-100) is at most le, as of each "
                                      "agent's last change; cumulative like histogram buckets."_s,
                                      {u"le"_s}, {le});
    }
    m_deviceConnectedRatio
        = &metrics.gauge(u"heartline_device_connected_ratio"_s,
                         u"Share of logged-in agents whose device is connected (0 when no agent is logged in)."_s);
    for (ConnectivityIssueKind kind : allConnectivityIssueKinds) {
        const qsizetype i = qsizetype(kind);
        m_issuesOpen[i]
            = &metrics.gauge(u"heartline_connectivity_issues_open"_s,
                             u"Agents with an open connectivity issue, by kind."_s, {u"kind"_s}, {toString(kind)});
        m_issuesOpened[i] = &metrics.counter(u"heartline_connectivity_issues_opened_total"_s,
                                             u"Connectivity issues opened since the server started, by kind."_s,
                                             {u"kind"_s}, {toString(kind)});
    }
    m_uptime = &metrics.gauge(u"heartline_uptime_seconds"_s, u"Seconds since the server started listening."_s);

    connect(&monitor, &ConnectivityMonitor::issueOpened, this,
            [this](const ConnectivityIssue &issue) { m_issuesOpened[qsizetype(issue.kind)]->increment(); });

    // The agents loaded at start, then every change as it happens.
    m_agents.forEach([this](AgentRecord &record) { recount(record); });
    connect(&changes, &AgentService::agentChanged, this, [this](const QString &agentId) {
        if (AgentRecord *record = m_agents.find(agentId))
            recount(*record);
    });
}

AgentMetrics::~AgentMetrics() = default;

void AgentMetrics::count(const MetricsPlace &place, int sign)
{
    if (!place.counted)
        return;
    m_loggedIn += sign;
    m_statusCounts[place.status] += sign;
    m_activityCounts[place.activity] += sign;
    m_scoreCounts[place.scoreBucket] += sign;
    m_readyCount += place.ready ? sign : 0;
    m_deviceConnected += place.deviceConnected ? sign : 0;
}

void AgentMetrics::recount(AgentRecord &record)
{
    const AgentSnapshot &s = record.snapshot;
    MetricsPlace now;
    now.counted = s.sessionActive;
    if (now.counted) {
        now.status = quint8(s.status);
        now.activity = quint8(record.activity);
        // Score 0..10 goes to le="10", 11..20 to le="20", and so on.
        now.scoreBucket = quint8(std::clamp((record.readiness.score + 9) / 10 - 1, 0, ScoreBucketCount - 1));
        now.ready = record.readiness.ready;
        now.deviceConnected = s.deviceConnected;
    }
    count(record.metricsPlace, -1);
    count(now, +1);
    record.metricsPlace = now;
}

void AgentMetrics::collect(qint64 startedAtMs)
{
    for (int i = 0; i < StatusCount; ++i)
        m_byStatus[i]->set(m_statusCounts[qsizetype(statuses[i])]);
    for (int i = 0; i < ActivityCount; ++i)
        m_byActivity[i]->set(m_activityCounts[qsizetype(activities[i])]);
    m_ready->set(m_readyCount);
    int atMost = 0;
    for (int i = 0; i < ScoreBucketCount; ++i) {
        atMost += m_scoreCounts[i];
        m_byScore[i]->set(atMost);
    }
    m_deviceConnectedRatio->set(m_loggedIn > 0 ? double(m_deviceConnected) / m_loggedIn : 0);
    for (ConnectivityIssueKind kind : allConnectivityIssueKinds)
        m_issuesOpen[qsizetype(kind)]->set(m_monitor.openCount(kind));
    m_uptime->set(double(m_clock.nowMs() - startedAtMs) / 1000.0);
}

} // namespace heartline
