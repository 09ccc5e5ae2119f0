#include "agents/AgentRegistry.h"

namespace heartline {

AgentRecord *AgentRegistry::find(const QString &agentId)
{
    const auto it = m_agents.find(agentId);
    return it == m_agents.end() ? nullptr : it->second.get();
}

const AgentRecord *AgentRegistry::find(const QString &agentId) const
{
    const auto it = m_agents.find(agentId);
    return it == m_agents.end() ? nullptr : it->second.get();
}

AgentRecord &AgentRegistry::upsert(const AgentProfile &profile)
{
    auto &slot = m_agents[profile.agentId];
    if (!slot) {
        slot = std::make_unique<AgentRecord>();
        m_inIdOrder.emplace(profile.agentId, slot.get());
    }
    slot->profile = profile;
    slot->snapshot.maxConcurrentCalls = profile.maxConcurrentCalls;
    ++slot->revision;
    return *slot;
}

void AgentRegistry::remove(const QString &agentId)
{
    const auto it = m_agents.find(agentId);
    if (it == m_agents.end())
        return;
    setExpiryDeadline(*it->second, 0);
    m_inIdOrder.erase(agentId);
    m_agents.erase(it);
}

void AgentRegistry::forEach(const std::function<void(const AgentRecord &)> &visit) const
{
    for (const auto &[id, record] : m_agents)
        visit(*record);
}

void AgentRegistry::forEach(const std::function<void(AgentRecord &)> &visit)
{
    for (auto &[id, record] : m_agents)
        visit(*record);
}

void AgentRegistry::forEachAfter(const QString &afterId, qsizetype limit,
                                 const std::function<void(const AgentRecord &)> &visit) const
{
    auto it = afterId.isEmpty() ? m_inIdOrder.begin() : m_inIdOrder.upper_bound(afterId);
    for (; it != m_inIdOrder.end() && limit > 0; ++it, --limit)
        visit(*it->second);
}

void AgentRegistry::setExpiryDeadline(AgentRecord &record, qint64 deadlineMs)
{
    if (record.expiryDeadlineMs == deadlineMs)
        return;
    if (record.expiryDeadlineMs != 0)
        m_expiry.erase({record.expiryDeadlineMs, record.profile.agentId});
    record.expiryDeadlineMs = deadlineMs;
    if (deadlineMs != 0)
        m_expiry.insert({deadlineMs, record.profile.agentId});
}

QList<QString> AgentRegistry::expiredAt(qint64 nowMs) const
{
    QList<QString> ids;
    for (auto it = m_expiry.begin(); it != m_expiry.end() && it->first <= nowMs; ++it)
        ids.append(it->second);
    return ids;
}

qint64 AgentRegistry::nextDeadline() const
{
    return m_expiry.empty() ? 0 : m_expiry.begin()->first;
}

} // namespace heartline
