#pragma once

#include <functional>

#include <memory>
#include <optional>
#include <unordered_map>

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include "auth/AuthService.h"
#include "protocol/SupervisorProtocol.h"
#include "realtime/SupervisorAgentPush.h"
#include "realtime/SupervisorSnapshotPager.h"
#include "realtime/SupervisorStatisticsWalk.h"

class QWebSocket;

namespace heartline {

class AgentOverview;
class AgentService;
class Gauge;
class MetricsRegistry;
class SupervisorActions;

/// /ws/supervisor: the live view of every agent for the supervisor app (docs/api.md, "/ws/supervisor").
///
/// Authentication: `Authorization: Bearer` on the upgrade request, or a first message
/// `hello {token}`; the role must be supervisor or admin (else `error forbidden`, then close). A
/// socket that has not authenticated within the hello timeout is closed. Then `welcome`, the
/// `snapshot` in pages (SupervisorSnapshotPager: every agent, a page per event-loop turn at most,
/// the statistics on the first), and deltas: AgentService::agentChanged only marks the agent in a
/// set, and every push interval `agentsChanged` carries the current view of each marked agent, once
/// however often it changed, to every supervisor, between snapshot pages too. A push of more agents
/// than a slice comes as several `agentsChanged` in a row, one slice per event-loop turn, each
/// serialized once for every supervisor (SupervisorAgentPush); connectivity issues that opened or
/// closed go out at the push's tick as `connectivityIssues`. `stats` follows
/// every stats interval, counted a slice of agents per turn (SupervisorStatisticsWalk). Supervisors
/// may send setAgentStatus and logoutAgent; a refused or unreadable message is answered with
/// `error {code, message}` and the socket stays open.
class SupervisorSocketServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupervisorSocketServer)

public:
    struct Options
    {
        int pushIntervalMs = 250; ///< SUPERVISOR_PUSH_INTERVAL_MS
        int statsIntervalMs = 5000;
        int helloTimeoutMs = 10'000;
        qsizetype snapshotPageSize = SupervisorSnapshotPager::PageSize; ///< agents a snapshot page holds at most
        qsizetype pushSliceSize = SupervisorAgentPush::SliceSize;       ///< agents an agentsChanged holds at most
    };

    /// Counts open sockets in heartline_websocket_connections{endpoint="supervisor"} of `metrics`.
    SupervisorSocketServer(const AuthService &auth, AgentService &agents, const AgentOverview &overview,
                           SupervisorActions &actions, MetricsRegistry &metrics, Options options,
                           QObject *parent = nullptr);
    ~SupervisorSocketServer() override;

    /// Takes an upgraded /ws/supervisor socket (the WebSocketRouter handler).
    void accept(std::unique_ptr<QWebSocket> socket);

    /// Pushes now instead of at the next tick (tests; shutdown): `queues` and `connectivityIssues` if
    /// due, and the first slice of `agentsChanged`; the other slices follow on later event-loop turns.
    void flushNow();
    /// Checks that every supervisor's session token is still valid, then counts the statistics (a
    /// slice of agents per event-loop turn) and sends `stats` when they are complete.
    void sendStatsNow();

    /// Where queue views come from (the QueueService); without one no `queues` message is sent.
    void setQueueSource(std::function<QList<QueueView>()> source) { m_queueSource = std::move(source); }
    /// A caller joined or left a queue: the next push sends `queues`.
    void queuesChanged() { m_queuesChanged = m_supervisors > 0; }

    /// A connectivity issue opened or closed: the next push sends it, as it is then, in `connectivityIssues`.
    void connectivityIssueChanged(const ConnectivityIssueView &issue);

    /// An admin's change was committed: every supervisor hears of it at once.
    void adminChanged(const SupervisorAdminChange &change) { broadcast(change); }

    /// For sockets accepted from now on.
    void setHelloTimeoutMs(int timeoutMs) { m_options.helloTimeoutMs = timeoutMs; }
    /// For snapshots started from now on (tests: a few agents in several pages).
    void setSnapshotPageSize(qsizetype agents) { m_options.snapshotPageSize = agents; }
    /// For pushes started from now on (tests: a few agents in several slices).
    void setPushSliceSize(qsizetype agents)
    {
        m_options.pushSliceSize = agents;
        m_agentPush.setSliceSize(agents);
    }
    [[nodiscard]] const Options &options() const { return m_options; }
    /// Authenticated supervisors whose socket is open.
    [[nodiscard]] int supervisorCount() const { return m_supervisors; }
    /// Agents changed and not sent yet: marked since the last push, or in the slices still to come of
    /// the push under way.
    [[nodiscard]] qsizetype pendingChanges() const { return m_agentPush.pendingCount(); }

private:
    struct Connection
    {
        std::unique_ptr<QWebSocket> socket;
        /// Sending the snapshot, then done; declared after the socket, so it goes first.
        std::unique_ptr<SupervisorSnapshotPager> snapshot;
        std::optional<Principal> principal;
        QByteArray token;
        bool closing = false;
        bool awaitingStatistics = false; ///< authenticated; the snapshot starts when the statistics walk ends
    };

    void onMessage(QWebSocket *socket, const QString &text);
    void handleBeforeAuthentication(Connection &connection, const QString &text);
    void handleCommand(Connection &connection, const QString &text);
    void authenticate(Connection &connection, const QByteArray &token);
    void refuse(Connection &connection, const QString &code, const QString &message);
    void drop(QWebSocket *socket);
    [[nodiscard]] bool stillAuthenticated(Connection &connection);
    void send(Connection &connection, const SupervisorServerMessage &message);
    void broadcast(const SupervisorServerMessage &message);
    /// A message already serialized, to every authenticated supervisor.
    void broadcastText(const QByteArray &json);
    void supervisorsChanged(int delta);
    void sendAgentSlice(const QStringList &agentIds);
    void flushIssues();
    void statisticsCounted(const QJsonObject &stats);
    void startSnapshot(Connection &connection, const QJsonObject &stats);

    const AuthService &m_auth;
    const AgentOverview &m_overview;
    SupervisorActions &m_actions;
    Options m_options;
    std::unordered_map<QWebSocket *, std::unique_ptr<Connection>> m_connections;
    Gauge &m_openConnections; ///< m_connections.size(), authenticated or not, as for /ws/agent
    int m_supervisors = 0;
    SupervisorAgentPush m_agentPush; ///< marked only while supervisors watch
    QTimer m_pushTimer;
    QTimer m_statsTimer;
    SupervisorStatisticsWalk m_statistics;
    bool m_statsDue = false; ///< the walk under way ends in a `stats` push (not only in snapshots)
    QHash<qint64, ConnectivityIssueView> m_issues; ///< opened or closed since the last push, by id
    std::function<QList<QueueView>()> m_queueSource;
    bool m_queuesChanged = false;
};

} // namespace heartline
