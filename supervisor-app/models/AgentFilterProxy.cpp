#include "models/AgentFilterProxy.h"

#include "core/AgentState.h"
#include "models/AgentTableModel.h"

namespace heartline {

AgentFilterProxy::AgentFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(AgentTableModel::SortRole);
    setDynamicSortFilter(true);
}

void AgentFilterProxy::setStateFilter(StateFilter filter)
{
    if (filter == m_state)
        return;
    m_state = filter;
    invalidateRowsFilter();
}

void AgentFilterProxy::setQueueFilter(const QString &queue)
{
    if (queue == m_queue)
        return;
    m_queue = queue;
    invalidateRowsFilter();
}

void AgentFilterProxy::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    invalidateRowsFilter();
}

bool AgentFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *model = qobject_cast<const AgentTableModel *>(sourceModel());
    const AgentView *agent = model ? model->agentAt(sourceRow) : nullptr;
    if (!agent || sourceParent.isValid())
        return false;
    switch (m_state) {
    case StateFilter::All:
        break;
    case StateFilter::Ready:
        if (!agent->loggedIn || !agent->readiness.ready)
            return false;
        break;
    case StateFilter::NotReady:
        if (!agent->loggedIn || agent->readiness.ready)
            return false;
        break;
    case StateFilter::OnCall:
        if (agent->activity != AgentActivity::OnCall && agent->activity != AgentActivity::Ringing
            && agent->activity != AgentActivity::WrapUp)
            return false;
        break;
    case StateFilter::Away:
        if (agent->status != AgentStatus::Away)
            return false;
        break;
    case StateFilter::Offline:
        if (agent->status != AgentStatus::Offline)
            return false;
        break;
    }
    if (!m_queue.isEmpty() && !agent->queues.contains(m_queue))
        return false;
    if (!m_search.isEmpty() && !agent->displayName.contains(m_search, Qt::CaseInsensitive)
        && !agent->agentId.contains(m_search, Qt::CaseInsensitive))
        return false;
    return true;
}

} // namespace heartline
