#pragma once

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace heartline {

class AgentService;
class CandidateIndex;
class RoutingPlan;
struct QueuePlan;

/// Which way discovery found (or did not find) an agent.
enum class DiscoveryPath {
    Enhanced, ///< the first candidate that passed readiness validation
    Fallback, ///< nobody was ready; FEATURE_DISCOVERY_FALLBACK offered the first candidate anyway
    Legacy,   ///< FEATURE_ENHANCED_DISCOVERY off: the first agent whose status is available
    Queued,   ///< nobody: the caller waits in the queue
    None,     ///< nobody, and the caller could not be queued
};
[[nodiscard]] QString toString(DiscoveryPath path);

struct CandidateReport;
/// {agentId, score, ready, reasons, failedGates}: the shape stored in routing_decisions and shown to supervisors.
[[nodiscard]] QJsonObject toJson(const CandidateReport &candidate);

/// One agent discovery looked at, with why it was or was not taken.
struct CandidateReport
{
    QString agentId;
    int score = 0;
    bool ready = false;
    QStringList reasons;     ///< plain words, failed gates first
    QStringList failedGates; ///< gate codes
};

/// The outcome of one discovery, recorded for every call.
struct RoutingDecision
{
    QString callSid;
    QString queue;
    DiscoveryPath path = DiscoveryPath::None;
    QString chosenAgentId; ///< empty when nobody was chosen
    QList<CandidateReport> candidates;
    qint64 durationUs = 0;
    qint64 decidedAtMs = 0;
    int attempt = 1; ///< 1 for the first offer of a call, 2 after one agent did not answer, ...
};

/// The seed's discovery flow: enhanced off → legacy (status only); on → candidates in strategy
/// order, each validated, first ready wins; none ready → fallback on: first candidate, off: nobody.
/// Walks the CandidateIndex, never every agent: at most MaxExamined agents per call.
class Discovery final
{
public:
    static constexpr int MaxExamined = 50; ///< validations per call, whatever the fleet size
    static constexpr int MaxReported = 10; ///< candidates kept in the decision record

    Discovery(const RoutingPlan &plan, const CandidateIndex &index, AgentService &agents, bool enhanced, bool fallback);

    /// Chooses an agent for the call (or nobody); agents in `exclude` (already tried for this call)
    /// are skipped. Does not reserve: the caller does, before anything else runs on the event loop.
    [[nodiscard]] RoutingDecision discover(const QueuePlan &queue, const QString &callSid,
                                           const QSet<QString> &exclude) const;

private:
    void legacy(qsizetype queueIndex, const QSet<QString> &exclude, RoutingDecision &decision) const;
    void enhanced(qsizetype queueIndex, const QSet<QString> &exclude, RoutingDecision &decision) const;

    const RoutingPlan &m_plan;
    const CandidateIndex &m_index;
    AgentService &m_agents;
    bool m_enhanced = true;
    bool m_fallback = false;
};

} // namespace heartline
