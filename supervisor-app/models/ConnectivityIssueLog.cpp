#include "models/ConnectivityIssueLog.h"

#include <algorithm>

namespace heartline {

ConnectivityIssueLog::ConnectivityIssueLog(QObject *parent) : QObject(parent) { }

bool ConnectivityIssueLog::supersedes(const ConnectivityIssueView &incoming, const ConnectivityIssueView &known)
{
    if (incoming == known)
        return false;
    // An issue only ever goes from open to closed: an open copy is older news than a closed one.
    return incoming.closedAtMs.has_value() || !known.closedAtMs.has_value();
}

bool ConnectivityIssueLog::mergeOne(const ConnectivityIssueView &issue)
{
    QList<ConnectivityIssueView> &list = m_byAgent[issue.agentId];
    const auto found = std::find_if(list.begin(), list.end(),
                                    [&issue](const ConnectivityIssueView &known) { return known.id == issue.id; });
    if (found != list.end()) {
        if (!supersedes(issue, *found))
            return false;
        *found = issue;
        return true;
    }
    const auto newerFirst = [](const ConnectivityIssueView &a, const ConnectivityIssueView &b) {
        return a.openedAtMs != b.openedAtMs ? a.openedAtMs > b.openedAtMs : a.id > b.id;
    };
    list.insert(std::upper_bound(list.begin(), list.end(), issue, newerFirst), issue);
    if (list.size() > PerAgentLimit) {
        const bool wasOldest = list.last() == issue;
        list.removeLast();
        return !wasOldest;
    }
    return true;
}

void ConnectivityIssueLog::merge(const QList<ConnectivityIssueView> &issues)
{
    QList<QString> changedAgents;
    for (const ConnectivityIssueView &issue : issues) {
        if (mergeOne(issue) && !changedAgents.contains(issue.agentId))
            changedAgents.append(issue.agentId);
    }
    for (const QString &agentId : std::as_const(changedAgents))
        Q_EMIT changed(agentId);
}

void ConnectivityIssueLog::clear()
{
    m_byAgent.clear();
    Q_EMIT cleared();
}

QList<ConnectivityIssueView> ConnectivityIssueLog::issues(const QString &agentId) const
{
    return m_byAgent.value(agentId);
}

} // namespace heartline
