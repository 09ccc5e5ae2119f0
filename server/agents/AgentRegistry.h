#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include <QList>
#include <QString>

#include "agents/AgentRecord.h"

namespace heartline {

/// All agents in memory, by id, plus an index ordered by heartbeat deadline so expiry finds the
/// agents whose heartbeat ran out without looking at the others, and one ordered by id so a
/// supervisor's snapshot can be walked a page at a time. Lookups and updates are O(1) (adding or
/// removing an agent, and the expiry index, O(log n)); nothing here touches the database.
class AgentRegistry final
{
public:
    AgentRegistry() = default;
    AgentRegistry(const AgentRegistry &) = delete;
    AgentRegistry &operator=(const AgentRegistry &) = delete;

    /// The record for an id, or nullptr. The pointer stays valid until the agent is removed.
    [[nodiscard]] AgentRecord *find(const QString &agentId);
    [[nodiscard]] const AgentRecord *find(const QString &agentId) const;

    /// Adds an agent with the given profile (or updates the profile of a known one) and returns it.
    AgentRecord &upsert(const AgentProfile &profile);
    void remove(const QString &agentId);

    [[nodiscard]] qsizetype size() const { return qsizetype(m_agents.size()); }
    void forEach(const std::function<void(const AgentRecord &)> &visit) const;
    void forEach(const std::function<void(AgentRecord &)> &visit);
    /// Visits up to `limit` agents whose ids sort after `afterId` (QString's order), in that order;
    /// an empty `afterId` starts at the first. O(log n + limit): a cursor that survives agents being
    /// added and removed between two calls, where an iterator would not.
    void forEachAfter(const QString &afterId, qsizetype limit,
                      const std::function<void(const AgentRecord &)> &visit) const;

    /// Puts the agent in the expiry index at deadlineMs (0 removes it from the index).
    void setExpiryDeadline(AgentRecord &record, qint64 deadlineMs);
    /// Ids whose deadline is at or before nowMs, earliest first; they stay indexed until changed.
    [[nodiscard]] QList<QString> expiredAt(qint64 nowMs) const;
    /// The earliest deadline in the index, or 0 when none (lets a timer sleep until it).
    [[nodiscard]] qint64 nextDeadline() const;

private:
    std::unordered_map<QString, std::unique_ptr<AgentRecord>> m_agents;
    std::map<QString, const AgentRecord *> m_inIdOrder; ///< the same records, by id; changed only by adds and removes
    std::set<std::pair<qint64, QString>> m_expiry;
};

} // namespace heartline
