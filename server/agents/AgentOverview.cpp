#include "agents/AgentOverview.h"

#include <algorithm>

#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"
#include "agents/AgentViews.h"
#include "core/Clock.h"
#include "metrics/Metrics.h"

namespace heartline {

AgentOverview::AgentOverview(const AgentRegistry &registry, const AgentService &agents, const Clock &clock)
    : m_registry(registry), m_agents(agents), m_clock(clock)
{ }

qint64 AgentOverview::nowMs() const
{
    return m_clock.nowMs();
}

bool AgentOverview::matchesBeforeScoring(const AgentRecord &record, const AgentFilter &filter)
{
    if (filter.status && record.snapshot.status != *filter.status)
        return false;
    if (filter.activity && record.activity != *filter.activity)
        return false;
    if (filter.queue && !record.profile.skills.contains(*filter.queue))
        return false;
    if (!filter.text.isEmpty() && !record.profile.agentId.contains(filter.text, Qt::CaseInsensitive)
        && !record.profile.displayName.contains(filter.text, Qt::CaseInsensitive))
        return false;
    return true;
}

QList<AgentView> AgentOverview::views(const AgentFilter &filter) const
{
    const qint64 now = nowMs();
    QList<AgentView> result;
    result.reserve(m_registry.size());
    // Walked in id order (the registry's index by id), so nothing is sorted afterwards. The cheap
    // filters first: only the agents they keep are scored.
    m_registry.forEachAfter(QString(), m_registry.size(), [&](const AgentRecord &record) {
        if (!matchesBeforeScoring(record, filter))
            return;
        AgentView view = agentView(record, m_agents.readinessConfig(), now);
        if (filter.ready && view.readiness.ready != *filter.ready)
            return;
        result.append(std::move(view));
    });
    return result;
}

std::optional<AgentView> AgentOverview::view(const QString &agentId) const
{
    const AgentRecord *record = m_registry.find(agentId);
    if (!record)
        return std::nullopt;
    return agentView(*record, m_agents.readinessConfig(), nowMs());
}

QList<AgentView> AgentOverview::viewsAfter(const QString &afterId, qsizetype limit) const
{
    const qint64 now = nowMs();
    QList<AgentView> result;
    result.reserve(std::min(limit, m_registry.size()));
    m_registry.forEachAfter(afterId, limit, [&](const AgentRecord &record) {
        result.append(agentView(record, m_agents.readinessConfig(), now));
    });
    return result;
}

qsizetype AgentOverview::agentCount() const
{
    return m_registry.size();
}

AgentStatistics AgentOverview::statistics() const
{
    AgentStatisticsTally tally = statisticsTally();
    countAfter(QString(), agentCount(), tally);
    return statistics(tally);
}

AgentStatisticsTally AgentOverview::statisticsTally() const
{
    return AgentStatisticsTally(m_agents.readinessConfig(), nowMs());
}

QString AgentOverview::countAfter(const QString &afterId, qsizetype limit, AgentStatisticsTally &tally) const
{
    QString last;
    m_registry.forEachAfter(afterId, limit, [&](const AgentRecord &record) {
        tally.add(record);
        last = record.profile.agentId;
    });
    return last;
}

AgentStatistics AgentOverview::statistics(const AgentStatisticsTally &tally) const
{
    if (m_heartbeatTimes.isEmpty())
        return tally.result(nullptr);
    Histogram combined = *m_heartbeatTimes.first();
    for (qsizetype i = 1; i < m_heartbeatTimes.size(); ++i)
        combined.merge(*m_heartbeatTimes.at(i));
    return tally.result(&combined);
}

} // namespace heartline
