#pragma once

#include <array>
#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include "connectivity/ConnectivityIssue.h"
#include "connectivity/ConnectivityIssueStore.h"
#include "core/Result.h"

namespace heartline {

class AgentRegistry;
class AgentService;
class Clock;
class Database;
struct AgentRecord;
struct ReadinessConfig;

/// What one agent's state says about one issue kind right now.
struct IssueCondition
{
    enum class State {
        Unknown, ///< nothing reported to judge by: an open issue stays open, none is opened
        Clear,   ///< the problem is not there: an open issue closes
        Present, ///< the problem is there: an issue opens unless one is open
    };
    State state = State::Unknown;
    QString detail; ///< plain words, when present
};

using IssueConditions = std::array<IssueCondition, ConnectivityIssueKindCount>;

/// Tracks connectivity issues per agent: opens a connectivity_issues row when a problem starts and
/// closes it when the problem ends.
///
/// It follows AgentService::agentChanged and looks only at that agent's record (O(1)); a change
/// that starts or ends nothing writes nothing, so routine heartbeats cost no database work. The ids
/// of open issues are kept in memory and loaded at start from the rows without closed_at, so a
/// restart neither duplicates an open issue nor forgets it. Only logged-in agents have issues:
/// logging out closes all of them.
class ConnectivityMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectivityMonitor)

public:
    ConnectivityMonitor(const AgentRegistry &registry, AgentService &agents, Database &database, const Clock &clock,
                        QObject *parent = nullptr);
    ~ConnectivityMonitor() override;

    /// Loads the open issues, settles every agent against its current state once (closing what
    /// ended while the server was down, opening what is there now) and starts following changes.
    /// Call after AgentService::loadFromStore().
    [[nodiscard]] std::optional<Problem> start();

    /// How many agents have an open issue of this kind. O(1).
    [[nodiscard]] int openCount(ConnectivityIssueKind kind) const;
    /// How many agents have at least one open issue. O(1).
    [[nodiscard]] int agentsWithOpenIssues() const { return int(m_open.size()); }
    /// The kinds of issue open for the agent, in the order of allConnectivityIssueKinds.
    [[nodiscard]] QList<ConnectivityIssueKind> openKinds(const QString &agentId) const;

    [[nodiscard]] const ConnectivityIssueStore &store() const { return m_store; }

    /// What the agent's record says about each kind (indexed by the kind's value). Pure.
    /// Device, voice and network kinds are Clear when FEATURE_DEVICE_CONNECTIVITY is off; device,
    /// voice, network and heartbeat kinds are Unknown until the agent sent a heartbeat in its
    /// current session (until then its reports are from an earlier session, or none).
    [[nodiscard]] static IssueConditions conditionsOf(const AgentRecord &record, const ReadinessConfig &config,
                                                      qint64 nowMs);

Q_SIGNALS:
    void issueOpened(const heartline::ConnectivityIssue &issue);
    void issueClosed(const heartline::ConnectivityIssue &issue);

private:
    struct OpenIssue
    {
        qint64 id = 0;
        qint64 openedAtMs = 0;
        QString detail;
    };
    using AgentIssues = std::array<std::optional<OpenIssue>, ConnectivityIssueKindCount>;

    void evaluate(const QString &agentId);
    std::optional<ConnectivityIssue> openIssue(const QString &agentId, AgentIssues &issues, ConnectivityIssueKind kind,
                                               const QString &detail, qint64 nowMs);
    std::optional<ConnectivityIssue> closeIssue(const QString &agentId, AgentIssues &issues, ConnectivityIssueKind kind,
                                                qint64 nowMs);

    const AgentRegistry &m_registry;
    AgentService &m_agents;
    const Clock &m_clock;
    ConnectivityIssueStore m_store;
    QHash<QString, AgentIssues> m_open; ///< only agents with at least one open issue
    std::array<int, ConnectivityIssueKindCount> m_openCounts {};
};

} // namespace heartline
