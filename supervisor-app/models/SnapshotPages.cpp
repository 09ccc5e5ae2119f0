#include "models/SnapshotPages.h"

#include <QSet>

#include "SupervisorLogging.h"

using namespace Qt::StringLiterals;

namespace heartline {

std::optional<SupervisorSnapshot> SnapshotPages::add(const SupervisorSnapshot &page)
{
    if (page.page == 1) {
        clear();
        m_pages = page.pages;
        m_stats = page.stats;
    } else if (!isGathering()) {
        qCWarning(lcSupervisorConnection).noquote()
            << u"snapshot page %1 of %2 without its first page: ignored"_s.arg(page.page).arg(page.pages);
        return std::nullopt;
    } else if (page.page != m_received + 1 || page.pages != m_pages) {
        qCWarning(lcSupervisorConnection).noquote()
            << u"snapshot page %1 of %2 after page %3 of %4: taken as it is"_s.arg(page.page)
                   .arg(page.pages)
                   .arg(m_received)
                   .arg(m_pages);
    }
    m_received = page.page;
    for (const AgentView &agent : page.agents)
        put(agent);
    if (page.page < m_pages)
        return std::nullopt;

    SupervisorSnapshot whole;
    whole.stats = m_stats;
    whole.serverTimeMs = page.serverTimeMs;
    whole.pages = m_pages;
    whole.agents.reserve(m_agents.size());
    QSet<QString> taken;
    taken.reserve(m_agents.size());
    for (const QString &agentId : std::as_const(m_order)) {
        const auto found = m_agents.constFind(agentId);
        if (found != m_agents.cend() && !taken.contains(agentId)) {
            taken.insert(agentId);
            whole.agents.append(*found);
        }
    }
    clear();
    return whole;
}

void SnapshotPages::put(const AgentView &agent)
{
    auto found = m_agents.find(agent.agentId);
    if (found == m_agents.end()) {
        m_agents.insert(agent.agentId, agent);
        m_order.append(agent.agentId);
    } else {
        *found = agent;
    }
}

bool SnapshotPages::applyChanges(const QList<AgentView> &agents)
{
    if (!isGathering())
        return false;
    for (const AgentView &agent : agents)
        put(agent);
    return true;
}

bool SnapshotPages::applyRemovals(const QStringList &agentIds)
{
    if (!isGathering())
        return false;
    // Their ids stay in m_order: the whole floor skips ids it no longer holds.
    for (const QString &agentId : agentIds)
        m_agents.remove(agentId);
    return true;
}

bool SnapshotPages::applyStats(const QJsonObject &stats)
{
    if (!isGathering())
        return false;
    m_stats = stats;
    return true;
}

void SnapshotPages::clear()
{
    m_agents.clear();
    m_order.clear();
    m_stats = {};
    m_received = 0;
    m_pages = 0;
}

} // namespace heartline
