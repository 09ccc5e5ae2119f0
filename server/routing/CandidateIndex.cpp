#include "routing/CandidateIndex.h"

#include <QRandomGenerator>

#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"

namespace heartline {

CandidateIndex::CandidateIndex(const RoutingPlan &plan, AgentRegistry &registry, AgentService &agents, QObject *parent)
    : QObject(parent), m_plan(plan), m_registry(registry), m_queues(size_t(plan.queues().size()))
{
    connect(&agents, &AgentService::agentChanged, this, &CandidateIndex::update);
}

CandidateIndex::Key CandidateIndex::sortKey(RoutingStrategy strategy, const AgentRecord &record, bool quiet)
{
    const qint64 last = quiet ? 1 : 0;
    switch (strategy) {
    case RoutingStrategy::LongestIdle:
        return {last, record.idleSinceMs, 0};
    case RoutingStrategy::RoundRobin:
        return {last, record.lastOfferedAtMs, record.idleSinceMs};
    case RoutingStrategy::FewestCalls:
        return {last, record.callsToday, record.idleSinceMs};
    case RoutingStrategy::LeastTalkTime:
        return {last, record.talkSecondsToday, record.idleSinceMs};
    case RoutingStrategy::TopDown:
        return {last, record.profile.priority, 0};
    case RoutingStrategy::Random:
        return {last, 0, 0}; // kept in a Bag, not in key order
    case RoutingStrategy::BestReadiness:
        return {last, -record.readiness.score, record.idleSinceMs};
    }
    return {last, 0, 0};
}

void CandidateIndex::Bag::insert(const QString &agentId)
{
    if (positions.contains(agentId))
        return;
    positions.insert(agentId, ids.size());
    ids.push_back(agentId);
}

void CandidateIndex::Bag::erase(const QString &agentId)
{
    const auto found = positions.constFind(agentId);
    if (found == positions.constEnd())
        return;
    // Swap with the last one and shrink: O(1), order does not matter here.
    const size_t at = found.value();
    positions.erase(found);
    if (at + 1 != ids.size()) {
        ids[at] = std::move(ids.back());
        positions[ids[at]] = at;
    }
    ids.pop_back();
}

void CandidateIndex::rebuild()
{
    for (QueueSets &sets : m_queues)
        sets = QueueSets();
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
        if (placement.inAvailable) {
            sets.available.erase(Entry {placement.availableKey, agentId});
            sets.availableBag.erase(agentId);
        }
        if (placement.inReady) {
            sets.ready.erase(Entry {placement.readyKey, agentId});
            (placement.quiet ? sets.quietReadyBag : sets.readyBag).erase(agentId);
        }
    }
}

void CandidateIndex::update(const QString &agentId)
{
    // Called for every heartbeat of every agent. Most of them move nothing here (same status,
    // readiness and order keys): the sets are then left alone instead of erased from and refilled.
    const AgentRecord *record = m_registry.find(agentId);
    const QList<Placement> placements = record ? placementsOf(*record) : QList<Placement>();
    const auto current = m_placements.constFind(agentId);
    if (current == m_placements.constEnd() ? placements.isEmpty() : current.value() == placements)
        return;
    removeAgent(agentId);
    insert(agentId, placements);
}

QList<CandidateIndex::Placement> CandidateIndex::placementsOf(const AgentRecord &record) const
{
    const bool available = record.snapshot.sessionActive && record.snapshot.status == AgentStatus::Available;
    const bool ready = record.readiness.ready;
    if (!available && !ready)
        return {};
    // The legacy view knows statuses only: presence orders the ready view alone.
    const bool quiet = ready && record.inputQuiet;
    QList<Placement> placements;
    const QList<QueuePlan> &queues = m_plan.queues();
    for (qsizetype i = 0; i < queues.size(); ++i) {
        if (!queues.at(i).servedBy(record.profile))
            continue;
        const RoutingStrategy strategy = queues.at(i).strategy;
        placements.append(
            Placement {i, available, ready, quiet, sortKey(strategy, record, false), sortKey(strategy, record, quiet)});
    }
    return placements;
}

void CandidateIndex::insert(const QString &agentId, const QList<Placement> &placements)
{
    if (placements.isEmpty())
        return;
    for (const Placement &placement : placements) {
        QueueSets &sets = m_queues[size_t(placement.queueIndex)];
        const bool random = m_plan.queues().at(placement.queueIndex).strategy == RoutingStrategy::Random;
        if (placement.inAvailable) {
            if (random)
                sets.availableBag.insert(agentId);
            else
                sets.available.insert(Entry {placement.availableKey, agentId});
        }
        if (placement.inReady) {
            if (random)
                (placement.quiet ? sets.quietReadyBag : sets.readyBag).insert(agentId);
            else
                sets.ready.insert(Entry {placement.readyKey, agentId});
        }
    }
    m_placements.insert(agentId, placements);
}

void CandidateIndex::walk(qsizetype queueIndex, View view, const std::function<bool(const QString &)> &visit) const
{
    const QueueSets &sets = m_queues.at(size_t(queueIndex));
    if (m_plan.queues().at(queueIndex).strategy == RoutingStrategy::Random) {
        // A uniform random first candidate, then the rest in bag order from there; quiet agents after.
        const auto walkBag = [&visit](const Bag &bag) {
            const std::vector<QString> &ids = bag.ids;
            if (ids.empty())
                return true;
            const size_t start = size_t(QRandomGenerator::global()->bounded(quint64(ids.size())));
            for (size_t n = 0; n < ids.size(); ++n) {
                if (!visit(ids[(start + n) % ids.size()]))
                    return false;
            }
            return true;
        };
        if (view == View::Available)
            walkBag(sets.availableBag);
        else if (walkBag(sets.readyBag))
            walkBag(sets.quietReadyBag);
        return;
    }
    for (const Entry &entry : view == View::Available ? sets.available : sets.ready) {
        if (!visit(entry.agentId))
            return;
    }
}

qsizetype CandidateIndex::count(qsizetype queueIndex, View view) const
{
    const QueueSets &sets = m_queues.at(size_t(queueIndex));
    if (m_plan.queues().at(queueIndex).strategy == RoutingStrategy::Random)
        return qsizetype(view == View::Available ? sets.availableBag.ids.size()
                                                 : sets.readyBag.ids.size() + sets.quietReadyBag.ids.size());
    return qsizetype(view == View::Available ? sets.available.size() : sets.ready.size());
}

} // namespace heartline
