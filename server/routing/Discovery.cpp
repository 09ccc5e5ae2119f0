#include "routing/Discovery.h"

#include <QElapsedTimer>
#include <QJsonArray>

#include "agents/AgentService.h"
#include "core/Clock.h"
#include "routing/CandidateIndex.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

CandidateReport reportOf(const AgentRecord &record)
{
    CandidateReport report;
    report.agentId = record.profile.agentId;
    report.score = record.readiness.score;
    report.ready = record.readiness.ready;
    report.reasons = record.readiness.reasons();
    for (const ReadinessGate &gate : record.readiness.failedGates)
        report.failedGates.append(gate.gate);
    return report;
}

} // namespace

QString toString(DiscoveryPath path)
{
    switch (path) {
    case DiscoveryPath::Enhanced:
        return u"enhanced"_s;
    case DiscoveryPath::Fallback:
        return u"fallback"_s;
    case DiscoveryPath::Legacy:
        return u"legacy"_s;
    case DiscoveryPath::Queued:
        return u"queued"_s;
    case DiscoveryPath::None:
        return u"none"_s;
    }
    return {};
}

QJsonObject toJson(const CandidateReport &candidate)
{
    return QJsonObject {{u"agentId"_s, candidate.agentId},
                        {u"score"_s, candidate.score},
                        {u"ready"_s, candidate.ready},
                        {u"reasons"_s, QJsonArray::fromStringList(candidate.reasons)},
                        {u"failedGates"_s, QJsonArray::fromStringList(candidate.failedGates)}};
}

Discovery::Discovery(const RoutingPlan &plan, const CandidateIndex &index, AgentService &agents, bool enhanced,
                     bool fallback)
    : m_plan(plan), m_index(index), m_agents(agents), m_enhanced(enhanced), m_fallback(fallback)
{ }

RoutingDecision Discovery::discover(const QueuePlan &queue, const QString &callSid, const QSet<QString> &exclude) const
{
    QElapsedTimer timer;
    timer.start();
    RoutingDecision decision;
    decision.callSid = callSid;
    decision.queue = queue.name;
    decision.attempt = int(exclude.size()) + 1;
    const qsizetype queueIndex = m_plan.indexOf(queue);
    if (m_enhanced)
        enhanced(queueIndex, exclude, decision);
    else
        legacy(queueIndex, exclude, decision);
    decision.durationUs = timer.nsecsElapsed() / 1000;
    return decision;
}

void Discovery::legacy(qsizetype queueIndex, const QSet<QString> &exclude, RoutingDecision &decision) const
{
    // The status the database holds is all legacy discovery knows: no heartbeat, device or call check.
    // Only a reservation is honoured, so one call never rings the same agent twice at once.
    int examined = 0;
    m_index.walk(queueIndex, CandidateIndex::View::Available, [&](const QString &agentId) {
        if (exclude.contains(agentId))
            return true;
        const AgentRecord *record = m_agents.agent(agentId);
        if (!record || record->snapshot.reserved)
            return ++examined < MaxExamined;
        decision.candidates.append(reportOf(*record));
        decision.chosenAgentId = agentId;
        decision.path = DiscoveryPath::Legacy;
        return false;
    });
}

void Discovery::enhanced(qsizetype queueIndex, const QSet<QString> &exclude, RoutingDecision &decision) const
{
    int examined = 0;
    QStringList outOfDate;
    m_index.walk(queueIndex, CandidateIndex::View::Ready, [&](const QString &agentId) {
        if (exclude.contains(agentId))
            return true;
        // Ready at its last change; readiness decays with heartbeat age, so validate now.
        const AgentRecord *record = m_agents.agent(agentId);
        if (!record)
            return true;
        if (decision.candidates.size() < MaxReported)
            decision.candidates.append(reportOf(*record));
        if (record->readiness.ready) {
            decision.chosenAgentId = agentId;
            decision.path = DiscoveryPath::Enhanced;
            return false;
        }
        outOfDate.append(agentId);
        return ++examined < MaxExamined;
    });
    // After the walk (the index must not change under it): move them out of the ready order.
    for (const QString &agentId : std::as_const(outOfDate))
        m_agents.revalidate(agentId);
    if (!decision.chosenAgentId.isEmpty())
        return;

    // Nobody ready: the agents whose status says available are the candidates the seed's flow
    // reports, and fallback takes the first of them.
    int reported = 0;
    m_index.walk(queueIndex, CandidateIndex::View::Available, [&](const QString &agentId) {
        if (exclude.contains(agentId))
            return true;
        const AgentRecord *record = m_agents.agent(agentId);
        if (!record)
            return true;
        bool alreadyReported = false;
        for (const CandidateReport &report : std::as_const(decision.candidates))
            alreadyReported = alreadyReported || report.agentId == agentId;
        if (!alreadyReported && decision.candidates.size() < MaxReported)
            decision.candidates.append(reportOf(*record));
        if (m_fallback && decision.chosenAgentId.isEmpty() && !record->snapshot.reserved) {
            decision.chosenAgentId = agentId;
            decision.path = DiscoveryPath::Fallback;
        }
        return ++reported < MaxReported;
    });
}

} // namespace heartline
