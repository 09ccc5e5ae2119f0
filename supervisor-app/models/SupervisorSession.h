#pragma once

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include "connection/AdminApi.h"
#include "connection/ServerClock.h"
#include "connection/SupervisorApi.h"
#include "connection/SupervisorConnection.h"
#include "models/AgentTableModel.h"
#include "models/ChartHistory.h"
#include "models/ConnectivityIssueLog.h"
#include "models/DashboardFigures.h"
#include "models/QueueModels.h"

namespace heartline {

class Clock;

/// Who is signed in, and where.
struct SupervisorCredentials
{
    QUrl serverUrl; ///< http(s)://host:port
    QString userId;
    QString role; ///< "supervisor" or "admin"
    QByteArray token;
};

/// Everything the dashboard knows, without widgets: the live connection feeding the agent and queue
/// models and the connectivity issue log, the server's statistics and the header figures, the routing
/// summary (polled over HTTP), the chart history, and the supervisor's actions. The windows only
/// display it.
///
/// Time comes from the injected clock: heartbeat ages tick against the server's time estimated from
/// it, and chart samples are stamped with it, so tests drive both with a ManualClock.
class SupervisorSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupervisorSession)

public:
    struct Options
    {
        int routingPollMs = 15'000; ///< GET /api/routing/decisions
        int sampleCheckMs = 1000;   ///< how often to check whether a chart sample is due
        int tickMs = 1000;          ///< heartbeat ages and call durations
        int routingDecisions = 500; ///< decisions summarised (the server keeps 500)
        SupervisorConnection::Options connection;
    };

    SupervisorSession(const Clock &clock, Options options, QObject *parent = nullptr);
    explicit SupervisorSession(const Clock &clock, QObject *parent = nullptr);
    ~SupervisorSession() override;

    /// What an https:// server's certificate is checked against, for the sign-in and everything after.
    void setTrust(const ServerTrust &trust)
    {
        m_api.setTrust(trust);
        m_connection.setTrust(trust);
    }
    /// Connects with the credentials of a successful login and starts the timers.
    void start(const SupervisorCredentials &credentials);
    /// Disconnects and ends the server session (sign out).
    void signOut();

    [[nodiscard]] const SupervisorCredentials &credentials() const { return m_credentials; }
    [[nodiscard]] SupervisorApi &api() { return m_api; }
    /// The admin routes; the server refuses them (403) unless the user is an admin.
    [[nodiscard]] AdminApi &admin() { return m_admin; }
    [[nodiscard]] bool isAdmin() const { return m_credentials.role == u"admin"; }
    [[nodiscard]] SupervisorConnection &connection() { return m_connection; }
    [[nodiscard]] AgentTableModel &agents() { return m_agents; }
    [[nodiscard]] QueueTableModel &queues() { return m_queues; }
    [[nodiscard]] ConnectivityIssueLog &issues() { return m_issues; }
    [[nodiscard]] const ChartHistory &history() const { return m_history; }
    [[nodiscard]] const ServerClock &serverClock() const { return m_serverClock; }
    [[nodiscard]] const Clock &clock() const { return m_clock; }
    [[nodiscard]] const QJsonObject &stats() const { return m_stats; }
    [[nodiscard]] const RoutingSummary &routing() const { return m_routing; }
    [[nodiscard]] DashboardFigures figures() const
    {
        return DashboardFigures::from(m_hadSnapshot ? &m_agents.agents() : nullptr, m_stats, m_routing);
    }
    /// Every queue some agent serves, sorted (for the queue filter).
    [[nodiscard]] QStringList agentQueues() const;
    /// True once the server sent queue data (a `queues` message).
    [[nodiscard]] bool queuesReported() const { return m_queuesReported; }
    /// Local time of the last message from the server; 0 before the first.
    [[nodiscard]] qint64 lastUpdateMs() const { return m_lastUpdateMs; }

    /// Takes a chart sample if one is due (every ChartHistory::SampleIntervalMs by the clock).
    bool sampleIfDue();
    /// Asks the server for the recent routing decisions now.
    void refreshRouting();

    /// The supervisor's actions, over /ws/supervisor. False when not connected (nothing sent).
    bool setAgentAway(const QString &agentId, const QString &reason);
    bool setAgentAvailable(const QString &agentId);
    bool logoutAgent(const QString &agentId, const QString &reason);

Q_SIGNALS:
    /// The header figures changed: new statistics, routing figures, or agents.
    void figuresChanged();
    void historyChanged();
    void queuesChanged();
    void staleChanged(bool stale);
    /// The server refused an action (or could not read it): its code and message.
    void actionRefused(const QString &code, const QString &message);
    /// start() ran: a user signed in (perhaps another one, with another role).
    void started();
    /// An admin changed a user, a profile or the routing plan (pushed as it was committed).
    void adminChanged(const heartline::SupervisorAdminChange &change);
    /// The server no longer accepts the session token: sign in again.
    void sessionEnded(const QString &code, const QString &message);

private:
    void wire();
    void received(qint64 serverTimeMs);

    const Clock &m_clock;
    Options m_options;
    ServerClock m_serverClock;
    SupervisorCredentials m_credentials;
    SupervisorApi m_api;
    AdminApi m_admin {m_api};
    SupervisorConnection m_connection;
    AgentTableModel m_agents;
    QueueTableModel m_queues;
    ConnectivityIssueLog m_issues;
    ChartHistory m_history;
    QJsonObject m_stats;
    RoutingSummary m_routing;
    qint64 m_lastUpdateMs = 0;
    bool m_queuesReported = false;
    bool m_hadSnapshot = false;
    QTimer m_routingTimer;
    QTimer m_sampleTimer;
};

} // namespace heartline
