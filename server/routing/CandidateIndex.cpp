#include "routing/CandidateIndex.h"

#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"

namespace heartline {

CandidateIndex::CandidateIndex(const RoutingPlan &plan, AgentRegistry &registry, AgentService &agents, QObject *parent)
    : QObject(parent), m_plan(plan), m_registry(registry), m_queues(size_t(plan.queues().size()))
{
    connect(&agents, &AgentService::agentChanged, this, &CandidateIndex::update);
}

CandidateIndex::Key CandidateIndex::sortKey(RoutingStrategy strategy, const AgentRecord &record)
{
    switch (strategy) {
    case RoutingStrategy::LongestIdle:
        return {record.idleSinceMs, 0};
    case RoutingStrategy::RoundRobin:
        return {record.lastOfferedAtMs, record.idleSinceMs};
    case RoutingStrategy::FewestCalls:
        return {record.callsToday, record.idleSinceMs};
    case RoutingStrategy::LeastTalkTime:
        return {record.talkSecondsToday, record.idleSinceMs};
    case RoutingStrategy::TopDown:
        return {record.profile.priority, 0};
    case RoutingStrategy::Random:
        // A fixed pseudo-random place per agent; the walk starts at a random point.
        return {qint64(qHash(record.profile.agentId, 0x5eed) & 0xffffffffu), 0};
    case RoutingStrategy::BestReadiness:
        return {-record.readiness.score, record.idleSinceMs};
    }
    return {0, 0};
}

void CandidateIndex::rebuild()
{
    for (QueueSets &sets : m_queues) {
        sets.available.clear();
        sets.ready.clear();
    }
    m_placements.clear();
    QStringList ids;
    m_registry.forEach([&ids](const AgentRecord &record) { ids.append(record.profile.agentId); });
    for (const QString &id : ids)
        update(id);
}

void CandidateIndex::removeAgent(const QString &agentId)
{
    const auto placements = m_placements.take(agentId);
    for (const Placement &placement : placements) {
        QueueSets &sets = m_queues[size_t(placement.queueIndex)];
        if (placement.inAvailable)
            sets.available.erase(Entry {placement.key, agentId});
        if (placement.inReady)
            sets.ready.erase(Entry {placement.key, agentId});
    }
}

void CandidateIndex::update(const QString &agentId)
{
    removeAgent(agentId);
    const AgentRecord *record = m_registry.find(agentId);
    if (!record)
        return;
    const bool available = record->snapshot.sessionActive && record->snapshot.status == AgentStatus::Available;
    const bool ready = record->readiness.ready;
    if (!available && !ready)
        return;
    QList<Placement> placements;
    const QList<QueuePlan> &queues = m_plan.queues();
    for (qsizetype i = 0; i < queues.size(); ++i) {
        if (!queues.at(i).servedBy(record->profile))
            continue;
        Placement placement {i, available, ready, sortKey(queues.at(i).strategy, *record)};
        QueueSets &sets = m_queues[size_t(i)];
        if (available)
            sets.available.insert(Entry {placement.key, agentId});
        if (ready)
            sets.ready.insert(Entry {placement.key, agentId});
        placements.append(placement);
    }
    if (!placements.isEmpty())
        m_placements.insert(agentId, placements);
}

void CandidateIndex::walk(qsizetype queueIndex, View view, quint32 randomStart,
                          const std::function<bool(const QString &)> &visit) const
{
    const QueueSets &sets = m_queues.at(size_t(queueIndex));
    const std::set<Entry> &entries = view == View::Available ? sets.available : sets.ready;
    if (entries.empty())
        return;
    auto start = entries.begin();
    if (m_plan.queues().at(queueIndex).strategy == RoutingStrategy::Random)
        start = entries.lower_bound(Entry {Key {qint64(randomStart), 0}, QString()});
    // From start to the end, then from the beginning up to start.
    for (auto it = start; it != entries.end(); ++it) {
        if (!visit(it->agentId))
            return;
    }
    for (auto it = entries.begin(); it != start; ++it) {
        if (!visit(it->agentId))
            return;
    }
}

qsizetype CandidateIndex::count(qsizetype queueIndex, View view) const
{
    const QueueSets &sets = m_queues.at(size_t(queueIndex));
    return qsizetype(view == View::Available ? sets.available.size() : sets.ready.size());
}

} // namespace heartline
