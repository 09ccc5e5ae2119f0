#pragma once

#include <array>
#include <functional>
#include <set>
#include <vector>

#include <QHash>
#include <QObject>
#include <QString>

#include "routing/RoutingPlan.h"

namespace heartline {

class AgentRegistry;
class AgentService;
struct AgentRecord;

/// Per queue, the agents that could take a call, already in the queue's strategy order, so
/// choosing an agent walks a few entries instead of every agent. Two orders per queue: agents
/// whose status is available (what the database says: the legacy view, and fallback) and agents
/// that were ready at their last change (the enhanced view; each is re-validated when picked).
/// In the ready order, agents whose app reports them quiet (no input for INPUT_QUIET_SECONDS) come
/// after every agent with recent input, each part in strategy order: a call goes to someone who was
/// at the keyboard a moment ago before it rings at a desk that may be empty, and nobody waits for
/// that (a quiet agent is still offered when no other is ready).
/// Kept in step with AgentService::agentChanged at O(queues × log n) per change.
class CandidateIndex final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CandidateIndex)

public:
    enum class View {
        Available, ///< session open and status available
        Ready,     ///< ready at the agent's last change
    };

    CandidateIndex(const RoutingPlan &plan, AgentRegistry &registry, AgentService &agents, QObject *parent = nullptr);

    /// Rebuilds from every agent (at start).
    void rebuild();
    /// Visits the agents of a queue in strategy order until visit returns false.
    void walk(qsizetype queueIndex, View view, const std::function<bool(const QString &agentId)> &visit) const;
    [[nodiscard]] qsizetype count(qsizetype queueIndex, View view) const;

private:
    using Key = std::array<qint64, 3>; ///< {quiet last, then the strategy's two keys}
    struct Entry
    {
        Key key;
        QString agentId;
        friend bool operator<(const Entry &a, const Entry &b)
        {
            return a.key != b.key ? a.key < b.key : a.agentId < b.agentId;
        }
    };
    /// Agents in no particular order with O(1) insert, erase and uniform random pick: the random
    /// strategy's "order" (a sorted set cannot give a uniform pick without walking it).
    struct Bag
    {
        std::vector<QString> ids;
        QHash<QString, size_t> positions;
        void insert(const QString &agentId);
        void erase(const QString &agentId);
    };
    struct QueueSets
    {
        std::set<Entry> available;
        std::set<Entry> ready;
        Bag availableBag; ///< instead of `available` when the queue's strategy is random
        Bag readyBag;
        Bag quietReadyBag; ///< the random strategy's quiet ready agents, picked after readyBag's
    };
    struct Placement
    {
        qsizetype queueIndex = 0;
        bool inAvailable = false;
        bool inReady = false;
        bool quiet = false;
        Key availableKey {};
        Key readyKey {};
        friend bool operator==(const Placement &, const Placement &) = default;
    };

    void update(const QString &agentId);
    /// Where `record` belongs: one placement per queue it serves while available or ready.
    [[nodiscard]] QList<Placement> placementsOf(const AgentRecord &record) const;
    void insert(const QString &agentId, const QList<Placement> &placements);
    void removeAgent(const QString &agentId);
    [[nodiscard]] static Key sortKey(RoutingStrategy strategy, const AgentRecord &record, bool quiet);

    const RoutingPlan &m_plan;
    AgentRegistry &m_registry;
    std::vector<QueueSets> m_queues;
    QHash<QString, QList<Placement>> m_placements;
};

} // namespace heartline
