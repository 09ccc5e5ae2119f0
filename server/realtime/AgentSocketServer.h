#pragma once

#include <memory>
#include <unordered_map>

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include "protocol/AgentProtocol.h"
#include "realtime/AgentAppView.h"
#include "realtime/ChangeCoalescer.h"

class QWebSocket;

namespace heartline {

class AgentService;
class AuthService;
class Clock;
class Counter;
class Gauge;
class Histogram;
class MetricsRegistry;
struct StatusChange;

/// The server side of /ws/agent: authenticates each agent app (bearer token on the upgrade or in
/// the first `hello`), feeds its heartbeats, device reports and status choices to the AgentService,
/// answers with acks carrying readiness, pushes the status changes the server imposes and, as they
/// happen, the changes of the agent's own view (reserved, on a call, wrapping up, idle), and watches
/// liveness three ways: the socket closing (disconnected at once), pings unanswered (a half-open
/// connection, found within 2 ping intervals) and, through the service, heartbeat age.
class AgentSocketServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentSocketServer)

public:
    struct Options
    {
        int pingIntervalMs = 5000;
        int helloTimeoutMs = 10'000; ///< an unauthenticated socket is closed after this
    };

    AgentSocketServer(AgentService &agents, const AuthService &auth, const Clock &clock, MetricsRegistry &metrics,
                      Options options, QObject *parent = nullptr);
    ~AgentSocketServer() override;

    /// Takes over a freshly upgraded /ws/agent socket.
    void accept(std::unique_ptr<QWebSocket> socket);

    /// Sends a message to the agent's live socket; false when the agent has none.
    bool send(const QString &agentId, const AgentServerMessage &message);
    [[nodiscard]] bool isConnected(const QString &agentId) const { return m_byAgent.contains(agentId); }
    [[nodiscard]] qsizetype connectionCount() const { return qsizetype(m_connections.size()); }

    /// Pings, half-open detection and hello timeouts. A timer calls it LivenessChecksPerInterval times a ping interval;
    /// tests call it after moving a manual clock.
    void checkLiveness();
    /// Pings sent so far (tests: pings are spread over the interval, not sent all at once).
    [[nodiscard]] quint64 pingsSent() const { return m_pingsSent; }
    /// The liveness check runs this many times a ping interval; connections opened together get their
    /// pings in as many groups, so 10,000 apps that came back after a restart are not pinged (and do
    /// not answer) all in one event-loop turn every interval.
    static constexpr int LivenessChecksPerInterval = 4;

    /// The welcome's reconnectSpreadMs for a server with this many connected apps: wide enough that
    /// they come back at about ReturningAppsPerSecond after a restart, never below MinReconnectSpreadMs.
    /// Every app is unconfirmed (offered no calls) until it is back, so the spread is kept as narrow as
    /// the server can take: 1,000 apps are back within 200 ms.
    [[nodiscard]] static int reconnectSpreadMs(qsizetype apps);
    static constexpr qint64 ReturningAppsPerSecond = 5000;
    static constexpr qint64 MinReconnectSpreadMs = 100;

Q_SIGNALS:
    void agentConnected(const QString &agentId);
    void agentDisconnected(const QString &agentId);

private:
    struct Connection
    {
        QString agentId; ///< empty until authenticated
        qint64 acceptedAtMs = 0;
        qint64 lastSeenMs = 0; ///< last frame of any kind from the app (message or pong)
        qint64 lastPingMs = 0;
        bool replaced = false; ///< closed because the agent connected elsewhere
        /// What the app was last told (welcome, ack or readiness); a change is pushed only when it differs.
        std::optional<AgentAppView> shown;
    };

    [[nodiscard]] AgentWelcome welcomeFor(const AgentRecord &record, bool resumed) const;
    void onTextMessage(QWebSocket *socket, const QString &text);
    void onDisconnected(QWebSocket *socket);
    void authenticate(QWebSocket *socket, Connection &connection, QByteArrayView token);
    void handle(QWebSocket *socket, Connection &connection, const AgentClientMessage &message);
    void sendTo(QWebSocket *socket, const AgentServerMessage &message);
    void refuse(QWebSocket *socket, const QString &code, const QString &message);
    void onStatusForced(const StatusChange &change);
    /// Sends `message` (a welcome or an ack, built from `record`) and remembers what it told the app.
    void sendView(QWebSocket *socket, Connection &connection, const AgentRecord &record,
                  const AgentServerMessage &message);
    /// Pushes `readiness` to each of these agents whose app shows something else by now.
    void pushReadiness(const QStringList &agentIds);

    AgentService &m_agents;
    const AuthService &m_auth;
    const Clock &m_clock;
    Options m_options;
    std::unordered_map<QWebSocket *, Connection> m_connections;
    QHash<QString, QWebSocket *> m_byAgent;
    QTimer m_livenessTimer;
    quint64 m_accepted = 0; ///< connections accepted so far: each one's place among the ping groups
    quint64 m_pingsSent = 0;
    ChangeCoalescer m_changed; ///< agents with an open socket changed this turn

    Counter &m_heartbeats;
    Histogram &m_processing;
    Gauge &m_openConnections;
};

} // namespace heartline
