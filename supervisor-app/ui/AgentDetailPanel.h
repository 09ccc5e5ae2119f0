#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace heartline {

class SupervisorSession;
struct AgentView;
struct ConnectivityIssueView;
struct RoutingDecisionView;

/// The selected agent in full: status and connection, readiness per factor with the failed gates,
/// the connectivity issue history (GET /api/connectivity/issues?agentId=) and the recent routing
/// decisions that chose or examined the agent (GET /api/routing/decisions?agentId=), with the
/// supervisor's actions (set away, set available, log out) and the server's answer to a refusal.
///
/// Everything but the routing decisions is live: the status and readiness follow the agent's row
/// and its ticks (ages at the table's AgentTableModel::nowMs()), and the issues follow the session's
/// ConnectivityIssueLog, which the server's pushes keep current. The histories load when the agent
/// is selected and on Refresh.
class AgentDetailPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentDetailPanel)

public:
    explicit AgentDetailPanel(SupervisorSession &session, QWidget *parent = nullptr);

    /// Shows this agent (empty: nobody selected).
    void setAgent(const QString &agentId);
    [[nodiscard]] QString agentId() const { return m_agentId; }
    /// Reloads the issue and decision histories.
    void refreshHistory();
    /// A message about the last action (the server's refusal, or "not connected").
    void showFeedback(const QString &message, bool error);

    /// The actions on the shown agent: the first two ask for a reason in a ReasonDialog (opened
    /// window-modal, not blocking), then send the command.
    void askAway();
    void askLogout();
    void setAvailable();

Q_SIGNALS:
    /// Both histories arrived (or failed) after setAgent() / refreshHistory().
    void historyLoaded();

private:
    void showAgent();
    [[nodiscard]] QString scoreText(const AgentView &agent) const;
    void loadIssues();
    void loadDecisions();
    void showIssues();
    void showDecisions(const QList<RoutingDecisionView> &decisions);
    void historyPartLoaded();

    SupervisorSession &m_session;
    QString m_agentId;
    int m_historyPending = 0;
    bool m_issuesLoaded = false; ///< the server answered for m_agentId since it was selected
    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_score = nullptr;
    QTreeWidget *m_factors = nullptr;
    QTreeWidget *m_issues = nullptr;
    QTreeWidget *m_decisions = nullptr;
    QLabel *m_feedback = nullptr;
    QPushButton *m_away = nullptr;
    QPushButton *m_available = nullptr;
    QPushButton *m_logout = nullptr;
    QPushButton *m_refresh = nullptr;
};

} // namespace heartline
