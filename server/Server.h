#pragma once

#include <memory>
#include <optional>

#include <QObject>
#include <QSslConfiguration>
#include <QTimer>

#include "config/Config.h"
#include "core/Result.h"
#include "metrics/Metrics.h"

namespace heartline {

class AdminService;
class AgentMetrics;
class AgentOverview;
class AgentRegistry;
class AgentService;
class AgentSocketServer;
class AgentStore;
class CallReconciler;
class CallRouter;
class CallStore;
class CandidateIndex;
class Discovery;
class QueueService;
class QueueStore;
class RoutingPlan;
class SipCredentialService;
class TwilioRestClient;
class TwilioWebhookVerifier;
class AuthService;
class Clock;
class ConnectivityMonitor;
class MetricsRegistry;
class WebSocketRouter;
class Database;
class HttpServerHost;
class Router;
class SupervisorActions;
class SupervisorSocketServer;
class UserStore;
class WalCheckpointer;
struct HostPort;

/// The composition root of heartline-server: opens the store, builds the services and binds
/// the HTTP and WebSocket routes. main.cpp and the tests create exactly this.
class Server final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Server)

public:
    Server(Config config, const Clock &clock, QObject *parent = nullptr);
    /// With the routing plan already read from ROUTING_FILE: main.cpp reads it with the rest of the
    /// configuration, so that a bad file is refused like a bad key, and the file is read once.
    Server(Config config, RoutingPlan plan, const Clock &clock, QObject *parent = nullptr);
    ~Server() override;

    /// Reads the routing file (unless given one; a bad file is refused before the database is
    /// touched), opens the database, brings its schema up to date (refusing one newer than this
    /// binary knows: code "schema_too_new"), loads the session tokens, registers the routes and
    /// starts listening on the configured address. On failure nothing keeps running and the problem
    /// says what to fix.
    [[nodiscard]] std::optional<Problem> start();

    /// Reads TLS_CERTIFICATE_FILE and TLS_PRIVATE_KEY_FILE again (on SIGHUP): connections accepted
    /// from now on get the new pair, those open keep theirs. A pair that cannot be used is refused
    /// with the reason, and the pair in use stays. On success, what the new certificate is for and
    /// until when.
    [[nodiscard]] Result<QString> reloadTls();

    /// The port actually bound (useful with port 0).
    [[nodiscard]] quint16 port() const;
    /// https://ADDRESS:PORT with TLS, http:// without.
    [[nodiscard]] QString baseUrl() const;
    /// http://ADDRESS:PORT of PLAIN_HTTP_LISTEN_ADDRESS beside HTTPS; empty when there is none.
    [[nodiscard]] QString plainBaseUrl() const;
    /// What the certificate in use is for and until when; empty without TLS.
    [[nodiscard]] QString tlsSummary() const { return m_tlsSummary; }
    [[nodiscard]] const Config &config() const { return m_config; }

    /// The services, once started (null before).
    [[nodiscard]] AuthService *auth() const { return m_auth.get(); }
    [[nodiscard]] UserStore *users() const { return m_users.get(); }
    [[nodiscard]] AgentService *agents() const { return m_agentService.get(); }
    [[nodiscard]] AgentRegistry *agentRegistry() const { return m_agentRegistry.get(); }
    [[nodiscard]] AgentSocketServer *agentSockets() const { return m_agentSockets.get(); }

    // Connectivity and metrics
    [[nodiscard]] ConnectivityMonitor *connectivity() const { return m_connectivity.get(); }
    /// Every metric /metrics exposes; register yours here (families show up on the next scrape).
    [[nodiscard]] MetricsRegistry &metrics() { return m_metrics; }

    [[nodiscard]] CallRouter *calls() const { return m_calls.get(); }
    /// The HTTP routes (nullptr before start()).
    [[nodiscard]] const Router *router() const;
    [[nodiscard]] QueueService *queues() const { return m_queues.get(); }
    /// Null when Twilio credentials are not configured.
    [[nodiscard]] CallReconciler *reconciler() const { return m_reconciler.get(); }
    /// The agents' SIP credentials at Twilio; null without SIP_DOMAIN.
    [[nodiscard]] SipCredentialService *sipCredentials() const { return m_sipCredentials.get(); }
    /// Supervisors: /ws/supervisor (tests drive its pushes with flushNow()).
    [[nodiscard]] SupervisorSocketServer *supervisorSockets() const { return m_supervisorSockets.get(); }
    [[nodiscard]] AdminService *admin() const { return m_admin.get(); }

    /// Stops timers, writes what is pending (heartbeats written behind) and closes the store.
    void shutdown();

private:
    [[nodiscard]] std::optional<Problem> openStore();
    /// Binds LISTEN_ADDRESS (HTTPS with `tls`, HTTP without) and PLAIN_HTTP_LISTEN_ADDRESS.
    [[nodiscard]] std::optional<Problem> listen(const HostPort &address, const std::optional<QSslConfiguration> &tls);
    void addRoutes();
    void addSupervisorEndpoints();
    /// The admin route's reload: ROUTING_FILE read again into the running plan.
    [[nodiscard]] Result<QStringList> reloadRoutingPlan();
    void releaseAll();

    Config m_config;
    const Clock &m_clock;
    qint64 m_startedAtMs = 0;
    QString m_tlsSummary;
    // Declaration order is destruction order in reverse: the HTTP host (whose routes use the
    // services) goes first, the database last.
    std::unique_ptr<Database> m_database;
    std::unique_ptr<WalCheckpointer> m_checkpointer; ///< checkpoints (fsyncs) off the event loop
    std::unique_ptr<UserStore> m_users;
    std::unique_ptr<AuthService> m_auth;
    // Agents: in-memory state machine and durable sessions
    std::unique_ptr<AgentRegistry> m_agentRegistry;
    std::unique_ptr<AgentStore> m_agentStore;
    std::unique_ptr<AgentService> m_agentService;
    // Connectivity and metrics
    MetricsRegistry m_metrics;
    std::unique_ptr<ConnectivityMonitor> m_connectivity;
    std::unique_ptr<AgentMetrics> m_agentMetrics;
    // Routing: the plan of queues, candidate orders per queue, discovery, calls
    std::unique_ptr<RoutingPlan> m_plan;
    std::unique_ptr<CandidateIndex> m_candidates;
    std::unique_ptr<Discovery> m_discovery;
    std::unique_ptr<CallStore> m_callStore;
    std::unique_ptr<CallRouter> m_calls;
    std::unique_ptr<TwilioRestClient> m_twilio;
    std::unique_ptr<CallReconciler> m_reconciler;
    std::unique_ptr<SipCredentialService> m_sipCredentials;
    std::unique_ptr<TwilioWebhookVerifier> m_webhooks;
    std::unique_ptr<QueueStore> m_queueStore;
    std::unique_ptr<QueueService> m_queues;
    // Supervisors: views and statistics, their actions, /ws/supervisor.
    std::unique_ptr<AgentOverview> m_agentOverview;
    std::unique_ptr<SupervisorActions> m_supervisorActions;
    std::unique_ptr<SupervisorSocketServer> m_supervisorSockets;
    // Administration: users, profiles and the routing plan changed over HTTP, with their audit log.
    std::unique_ptr<AdminService> m_admin;
    std::unique_ptr<HttpServerHost> m_host;
    std::unique_ptr<WebSocketRouter> m_webSockets;
    std::unique_ptr<AgentSocketServer> m_agentSockets;
    QTimer m_dueWorkTimer; ///< expiry, grace periods, wrap-up and cooldown ends
};

} // namespace heartline
