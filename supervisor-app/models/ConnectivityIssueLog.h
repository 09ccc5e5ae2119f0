#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include "protocol/SupervisorProtocol.h"

namespace heartline {

/// The connectivity issues the dashboard knows, per agent, newest first: an agent's history as
/// GET /api/connectivity/issues answered it, kept current by the server's `connectivityIssues` pushes.
///
/// Both sources go through merge(), which keeps one entry per issue id and never reopens a closed
/// issue, so a history that was read before a push but arrives after it cannot undo the push.
class ConnectivityIssueLog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectivityIssueLog)

public:
    /// Issues kept per agent (the newest); the detail panel asks the server for as many.
    static constexpr int PerAgentLimit = 50;

    explicit ConnectivityIssueLog(QObject *parent = nullptr);

    /// Adds or updates issues (of any agents); emits changed() once per agent whose list changed.
    void merge(const QList<ConnectivityIssueView> &issues);
    /// Forgets everything (a new snapshot: pushes may have been missed while disconnected).
    void clear();
    /// The agent's issues, newest first.
    [[nodiscard]] QList<ConnectivityIssueView> issues(const QString &agentId) const;

Q_SIGNALS:
    void changed(const QString &agentId);
    void cleared();

private:
    /// False when `incoming` brings nothing new for `known` (the same, or open where it is closed).
    [[nodiscard]] static bool supersedes(const ConnectivityIssueView &incoming, const ConnectivityIssueView &known);
    bool mergeOne(const ConnectivityIssueView &issue);

    QHash<QString, QList<ConnectivityIssueView>> m_byAgent;
};

} // namespace heartline
