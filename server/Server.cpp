#include "Server.h"

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QJsonObject>
#include <QWebSocket>

#include "Database.h"
#include "HttpServerHost.h"
#include "JsonResponses.h"
#include "admin/AdminRoutes.h"
#include "admin/AdminService.h"
#include "agents/AgentOverview.h"
#include "agents/AgentRegistry.h"
#include "agents/AgentRoutes.h"
#include "agents/AgentService.h"
#include "agents/AgentStore.h"
#include "agents/SupervisorActions.h"
#include "agents/SupervisorRoutes.h"
#include "auth/AuthRoutes.h"
#include "auth/AuthService.h"
#include "auth/VoiceTokenRoutes.h"
#include "connectivity/ConnectivityMonitor.h"
#include "connectivity/ConnectivityRoutes.h"
#include "connectivity/ReadinessRoutes.h"
#include "core/Clock.h"
#include "core/HostPort.h"
#include "http/ApiDescription.h"
#include "http/TlsCredentials.h"
#include "metrics/AgentMetrics.h"
#include "metrics/MetricsRoute.h"
#include "protocol/AgentProtocol.h"
#include "queues/QueueRoutes.h"
#include "queues/QueueService.h"
#include "queues/QueueStore.h"
#include "realtime/AgentSocketServer.h"
#include "realtime/SupervisorSocketServer.h"
#include "realtime/WebSocketRouter.h"
#include "routing/CallReconciler.h"
#include "routing/CallRouter.h"
#include "routing/CallStore.h"
#include "routing/CandidateIndex.h"
#include "routing/Discovery.h"
#include "routing/RoutingPlan.h"
#include "routing/RoutingRoutes.h"
#include "routing/TwilioWebhookRoutes.h"
#include "sip/SipCredentialRoutes.h"
#include "sip/SipCredentialService.h"
#include "sip/SipSettings.h"
#include "store/Migrator.h"
#include "store/WalCheckpointer.h"
#include "twilio/TwilioRestClient.h"
#include "users/UserStore.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// How long inbound calls wait at start-up for the check against Twilio's REST API: Twilio waits 15 s
/// for an answer to its webhook.
constexpr int StartupReconcileWaitMs = 5000;

/// The pair TLS_CERTIFICATE_FILE and TLS_PRIVATE_KEY_FILE name, read now (at start and on each reload).
Result<TlsCredentials> tlsCredentialsOf(const Config &config)
{
    return TlsCredentials::load(config.stringValue(ConfigKey::TlsCertificateFile),
                                config.stringValue(ConfigKey::TlsPrivateKeyFile));
}

} // namespace

Server::Server(Config config, const Clock &clock, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_clock(clock)
{ }

Server::Server(Config config, RoutingPlan plan, const Clock &clock, QObject *parent)
    : Server(std::move(config), clock, parent)
{
    m_plan = std::make_unique<RoutingPlan>(std::move(plan));
}

Server::~Server()
{
    shutdown();
}

void Server::shutdown()
{
    m_dueWorkTimer.stop();
    releaseAll();
}

std::optional<Problem> Server::start()
{
    const QString listenAddress = m_config.stringValue(ConfigKey::ListenAddress);
    const auto hostPort = parseHostPort(listenAddress);
    if (!hostPort) {
        return Problem {u"invalid_value"_s, u"LISTEN_ADDRESS"_s,
                        u"LISTEN_ADDRESS=%1 is not ADDRESS:PORT (e.g. 127.0.0.1:8080)"_s.arg(listenAddress)};
    }
    // The certificate and key are read first: a pair that cannot be used stops the start before
    // anything is opened, and nobody is served unencrypted instead.
    std::optional<QSslConfiguration> tls;
    if (m_config.tlsEnabled()) {
        auto credentials = tlsCredentialsOf(m_config);
        if (!credentials)
            return credentials.error();
        tls = credentials->serverConfiguration();
        m_tlsSummary = credentials->summary();
    }
    // Nor does the plan need anything but the configuration: a routing file that cannot be used
    // stops the start before a database is created for a server that will not run.
    if (!m_plan) {
        auto plan = RoutingPlan::load(m_config);
        if (!plan)
            return plan.error();
        m_plan = std::make_unique<RoutingPlan>(std::move(plan).value());
    }
    if (auto problem = openStore()) {
        releaseAll();
        return problem;
    }

    m_host = std::make_unique<HttpServerHost>();
    m_webSockets = std::make_unique<WebSocketRouter>(m_host->http());
    m_agentSockets = std::make_unique<AgentSocketServer>(
        *m_agentService, *m_auth, m_clock, m_metrics,
        AgentSocketServer::Options {m_config.intValue(ConfigKey::WsPingInterval) * 1000, 10'000});
    m_webSockets->addEndpoint(
        u"/ws/agent"_s, [this](std::unique_ptr<QWebSocket> socket) { m_agentSockets->accept(std::move(socket)); });
    m_calls->setOfferNotifier([this](const QString &agentId, const AgentCallOffered &offer) {
        m_agentSockets->send(agentId, offer); // the screen pop
    });
    addRoutes();
    if (auto problem = listen(*hostPort, tls)) {
        releaseAll();
        return problem;
    }
    m_auth->startWatching();
    if (m_sipCredentials)
        m_sipCredentials->start();
    if (m_reconciler) {
        // What the database says agents were busy with is checked against Twilio before the first
        // caller is routed: calls were answered, ended or rang out while the server was down.
        m_calls->holdInbound(StartupReconcileWaitMs);
        connect(m_reconciler.get(), &CallReconciler::finished, m_calls.get(), &CallRouter::releaseInbound,
                Qt::SingleShotConnection);
        m_reconciler->runStartupPass();
    }
    connect(&m_dueWorkTimer, &QTimer::timeout, m_agentService.get(), [this] { m_agentService->runDueWork(); });
    m_dueWorkTimer.start(1000);
    m_startedAtMs = m_clock.nowMs();
    return std::nullopt;
}

std::optional<Problem> Server::listen(const HostPort &address, const std::optional<QSslConfiguration> &tls)
{
    QString error;
    const bool listening = tls ? m_host->listenTls(address.address, address.port, *tls, &error)
                               : m_host->listen(address.address, address.port, &error);
    if (!listening)
        return Problem {u"listen_failed"_s, u"LISTEN_ADDRESS"_s, error};
    // Config::load checked it is ADDRESS:PORT and allowed.
    if (const auto plain = parseHostPort(m_config.stringValue(ConfigKey::PlainHttpListenAddress))) {
        if (!m_host->listenPlainToo(plain->address, plain->port, &error))
            return Problem {u"listen_failed"_s, u"PLAIN_HTTP_LISTEN_ADDRESS"_s, error};
    }
    return std::nullopt;
}

Result<QString> Server::reloadTls()
{
    if (!m_host || !m_host->isTls()) {
        return Problem {u"tls_off"_s, u"TLS_CERTIFICATE_FILE"_s,
                        u"the server does not serve HTTPS: TLS_CERTIFICATE_FILE and TLS_PRIVATE_KEY_FILE were not "
                        "set at start"_s};
    }
    auto credentials = tlsCredentialsOf(m_config);
    if (!credentials)
        return credentials.error();
    m_host->replaceTlsConfiguration(credentials->serverConfiguration());
    m_tlsSummary = credentials->summary();
    return m_tlsSummary;
}

std::optional<Problem> Server::openStore()
{
    auto database = Database::open(m_config.stringValue(ConfigKey::DatabasePath));
    if (!database)
        return database.error();
    m_database = std::make_unique<Database>(std::move(database).value());
    if (const auto version = Migrator().migrate(m_database->connection()); !version)
        return version.error();
    // A checkpoint syncs the disk; done on the event loop it stalls every request in flight.
    m_checkpointer = std::make_unique<WalCheckpointer>();
    if (auto problem = m_checkpointer->start(*m_database))
        return problem;

    m_users = std::make_unique<UserStore>(*m_database, m_clock, m_config.intValue(ConfigKey::PasswordIterations));
    m_auth = std::make_unique<AuthService>(*m_database, *m_users, m_clock, m_metrics,
                                           AuthService::Options {m_config.intValue(ConfigKey::SessionTokenTtl), 2000});
    if (auto problem = m_auth->load())
        return problem;

    // Agents: the in-memory state machine over the durable sessions.
    m_agentRegistry = std::make_unique<AgentRegistry>();
    m_agentStore = std::make_unique<AgentStore>(*m_database);
    m_agentService = std::make_unique<AgentService>(*m_agentRegistry, *m_agentStore, m_config, m_clock);
    connect(m_auth.get(), &AuthService::loggedOut, m_agentService.get(), [this](const Principal &principal) {
        if (principal.role == Role::Agent)
            m_agentService->closeSession(principal.userId, StatusChangeSource::Agent, u"logout"_s);
    });
    if (auto problem = m_agentService->loadFromStore())
        return problem;
    // Another process (the admin CLI) wrote the database: profiles may have changed.
    connect(m_auth.get(), &AuthService::reloaded, m_agentService.get(), &AgentService::reloadProfiles);

    // Connectivity and metrics: issues follow agent changes from the loaded state on.
    m_connectivity = std::make_unique<ConnectivityMonitor>(*m_agentRegistry, *m_agentService, *m_database, m_clock);
    if (auto problem = m_connectivity->start())
        return problem;
    m_agentMetrics
        = std::make_unique<AgentMetrics>(m_metrics, *m_agentRegistry, *m_agentService, *m_connectivity, m_clock);

    // Routing: candidates per queue follow every agent change; calls are recorded with their decisions.
    m_candidates = std::make_unique<CandidateIndex>(*m_plan, *m_agentRegistry, *m_agentService);
    m_candidates->rebuild();
    m_discovery = std::make_unique<Discovery>(*m_plan, *m_candidates, *m_agentService,
                                              m_config.boolValue(ConfigKey::FeatureEnhancedDiscovery),
                                              m_config.boolValue(ConfigKey::FeatureDiscoveryFallback));
    m_callStore = std::make_unique<CallStore>(*m_database);
    m_calls = std::make_unique<CallRouter>(*m_plan, *m_discovery, *m_agentService, *m_callStore, m_metrics, m_clock,
                                           CallRouter::Options {m_config.stringValue(ConfigKey::PublicBaseUrl),
                                                                m_config.intValue(ConfigKey::DialTimeoutSeconds),
                                                                m_config.boolValue(ConfigKey::InboundCallDebug),
                                                                SipSettings::fromConfig(m_config)});
    if (!m_config.stringValue(ConfigKey::TwilioAccountSid).isEmpty()
        && !m_config.stringValue(ConfigKey::TwilioAuthToken).isEmpty()) {
        m_twilio = std::make_unique<TwilioRestClient>(TwilioRestOptions::fromConfig(m_config), m_clock);
        m_reconciler = std::make_unique<CallReconciler>(
            *m_twilio, *m_agentService, *m_agentRegistry, *m_callStore, m_metrics, m_clock,
            m_config.intValue(ConfigKey::ReconcileIntervalSeconds), m_config.stringValue(ConfigKey::SipDomain));
    }
    m_calls->setTwilio(m_twilio.get());
    // Which agent was ringing for, talking on or wrapping up after which call, as before the stop.
    const qint64 now = m_clock.nowMs();
    auto storedCalls = m_callStore->loadAgentCalls(
        now, now - qint64(m_config.intValue(ConfigKey::DialTimeoutSeconds)) * 1000 - 60'000, now - 24 * 3600 * 1000LL);
    if (!storedCalls)
        return storedCalls.error();
    m_calls->restore(storedCalls.value());
    // SIP_DOMAIN needs the Twilio credentials (Config::load checks it), so the REST client exists.
    if (auto sip = SipSettings::fromConfig(m_config); sip && m_twilio) {
        m_sipCredentials = std::make_unique<SipCredentialService>(
            *m_twilio, SipCredentialService::Options {std::move(*sip)}, m_metrics);
        // A session that ends leaves no password behind that a forgotten softphone could use.
        connect(m_agentService.get(), &AgentService::sessionClosed, m_sipCredentials.get(),
                [this](const QString &agentId) { m_sipCredentials->revoke(agentId); });
    }

    // Queues: a caller nobody can take waits; the first agent to become ready gets the longest waiter.
    m_queueStore = std::make_unique<QueueStore>(*m_database);
    m_queues
        = std::make_unique<QueueService>(*m_plan, *m_agentService, *m_agentRegistry, *m_candidates, *m_calls,
                                         *m_queueStore, m_twilio.get(), m_metrics, m_clock,
                                         QueueService::Options {m_config.stringValue(ConfigKey::PublicBaseUrl),
                                                                m_config.intValue(ConfigKey::ServiceLevelSeconds)});
    if (auto problem = m_queues->load())
        return problem;
    m_calls->setNoAgentHandler([this](const QString &callSid, const QueuePlan &queue, const QString &from,
                                      const QString &to) { return m_queues->enqueue(callSid, queue, from, to); });
    m_queues->reconcileWithTwilio();
    return std::nullopt;
}

void Server::releaseAll()
{
    // Sockets and routes first (they use the services), then services, the store last.
    m_agentSockets.reset();
    m_supervisorSockets.reset();
    m_webSockets.reset();
    m_host.reset();
    m_admin.reset();
    m_queues.reset();
    m_queueStore.reset();
    m_webhooks.reset();
    m_reconciler.reset();
    m_sipCredentials.reset();
    m_twilio.reset();
    m_calls.reset();
    m_callStore.reset();
    m_discovery.reset();
    m_candidates.reset();
    m_plan.reset();
    m_supervisorActions.reset();
    m_agentOverview.reset();
    m_agentMetrics.reset();
    m_connectivity.reset();
    m_agentService.reset();
    m_agentStore.reset(); // writes heartbeats still pending
    m_agentRegistry.reset();
    m_auth.reset();
    m_users.reset();
    m_checkpointer.reset();
    m_database.reset();
}

const Router *Server::router() const
{
    return m_host ? &m_host->router() : nullptr;
}

quint16 Server::port() const
{
    return m_host ? m_host->port() : 0;
}

namespace {

QString urlOf(const QString &scheme, const QHostAddress &address, quint16 port)
{
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"%1://%2:%3"_s.arg(scheme, host).arg(port);
}

} // namespace

QString Server::baseUrl() const
{
    if (!m_host)
        return {};
    return urlOf(m_host->isTls() ? u"https"_s : u"http"_s, m_host->address(), m_host->port());
}

QString Server::plainBaseUrl() const
{
    if (!m_host || m_host->plainPort() == 0)
        return {};
    const auto plain = parseHostPort(m_config.stringValue(ConfigKey::PlainHttpListenAddress));
    return plain ? urlOf(u"http"_s, plain->address, m_host->plainPort()) : QString();
}

void Server::addRoutes()
{
    Router &router = m_host->router();
    // QHttpServer tries its rules one by one, in the order they were added, each with a regular
    // expression: the routes hit most (every agent's heartbeat, every call's webhooks) go first.
    addHeartbeatRoutes(router, *m_auth, *m_agentService, m_config, m_metrics, m_clock);
    m_webhooks = std::make_unique<TwilioWebhookVerifier>(m_config.stringValue(ConfigKey::TwilioAuthToken),
                                                         m_config.stringValue(ConfigKey::TwilioAccountSid),
                                                         m_config.stringValue(ConfigKey::PublicBaseUrl), m_metrics);
    addTwilioWebhookRoutes(router, *m_calls, *m_webhooks);
    addAuthRoutes(router, *m_auth, m_sipCredentials ? sipLoginExtras(*m_sipCredentials) : LoginAnswerExtras {});
    addSipCredentialRoutes(router, *m_auth, m_sipCredentials.get());
    addUserRoutes(router, *m_auth, *m_users);
    addVoiceTokenRoutes(router, *m_auth, m_config, m_clock);
    addQueueRoutes(router, *m_auth, *m_queues, *m_queueStore, *m_webhooks, m_config.stringValue(ConfigKey::MediaDir));
    addRoutingRoutes(router, *m_auth, *m_calls);

    // Connectivity and metrics
    addConnectivityRoutes(router, *m_auth, *m_connectivity, *m_agentRegistry, m_clock);
    addReadinessRoutes(router, *m_auth, *m_agentService, *m_agentRegistry, m_clock);
    addMetricsRoute(router, [this] {
        m_agentMetrics->collect(m_startedAtMs);
        return m_metrics.exposition();
    });

    addSupervisorEndpoints();

    router.route(u"/api/openapi.json"_s, QHttpServerRequest::Method::Get,
                 [] { return jsonResponse(openApiDocument()); });

    router.route(u"/healthz"_s, QHttpServerRequest::Method::Get, [this] {
        const bool databaseOk = m_database && m_database->isHealthy();
        const QJsonObject body {
            {u"status"_s, databaseOk ? u"ok"_s : u"degraded"_s},
            {u"version"_s, QStringLiteral(HEARTLINE_VERSION)},
            {u"database"_s, databaseOk ? u"ok"_s : u"unavailable"_s},
            {u"uptimeSeconds"_s, (m_clock.nowMs() - m_startedAtMs) / 1000},
        };
        return jsonResponse(body,
                            databaseOk ? QHttpServerResponder::StatusCode::Ok
                                       : QHttpServerResponder::StatusCode::ServiceUnavailable);
    });
}

Result<QStringList> Server::reloadRoutingPlan()
{
    auto next = RoutingPlan::load(m_config);
    if (!next) {
        return Problem {u"routing_not_reloaded"_s, next.error().field,
                        u"the routing file was not taken: %1"_s.arg(next.error().message)};
    }
    if (auto problem = m_plan->replaceSettings(next.value()))
        return *problem;
    // Skills and strategies may have changed: every queue's candidate order is made again.
    m_candidates->rebuild();
    m_queues->planReloaded();
    return m_plan->queueNames();
}

void Server::addSupervisorEndpoints()
{
    // Supervisors: GET /api/agents, GET /api/agent-heartbeat, agent status and logout, /ws/supervisor.
    m_agentOverview = std::make_unique<AgentOverview>(*m_agentRegistry, *m_agentService, m_clock);
    m_agentOverview->setHeartbeatTimes(
        {&m_metrics.histogram(u"heartline_heartbeat_processing_seconds"_s, {}, MetricsRegistry::latencyBuckets(),
                              {u"transport"_s}, {u"http"_s}),
         &m_metrics.histogram(u"heartline_heartbeat_processing_seconds"_s, {}, MetricsRegistry::latencyBuckets(),
                              {u"transport"_s}, {u"websocket"_s})});
    m_supervisorActions = std::make_unique<SupervisorActions>(*m_agentService, *m_agentRegistry);
    addSupervisorRoutes(m_host->router(), *m_auth, *m_agentService, *m_agentOverview, *m_supervisorActions);

    SupervisorSocketServer::Options options;
    options.pushIntervalMs = m_config.intValue(ConfigKey::SupervisorPushIntervalMs);
    m_supervisorSockets = std::make_unique<SupervisorSocketServer>(*m_auth, *m_agentService, *m_agentOverview,
                                                                   *m_supervisorActions, m_metrics, options);
    m_supervisorSockets->setQueueSource([this] { return m_queues->views(); });
    connect(m_queues.get(), &QueueService::queuesChanged, m_supervisorSockets.get(),
            [this] { m_supervisorSockets->queuesChanged(); });
    // Supervisors watching an agent's issues see them open and close without asking again.
    for (auto signal : {&ConnectivityMonitor::issueOpened, &ConnectivityMonitor::issueClosed}) {
        connect(m_connectivity.get(), signal, m_supervisorSockets.get(), [this](const ConnectivityIssue &issue) {
            m_supervisorSockets->connectivityIssueChanged(toView(issue));
        });
    }

    // Administration: each committed change is pushed to the supervisors watching.
    m_admin = std::make_unique<AdminService>(*m_users, *m_agentStore, *m_agentService, *m_auth, *m_database, m_clock,
                                             [this] { return reloadRoutingPlan(); });
    connect(m_admin.get(), &AdminService::changed, m_supervisorSockets.get(), [this](const AuditRecord &record) {
        m_supervisorSockets->adminChanged(
            SupervisorAdminChange {record.id, record.atMs, record.actor, record.action, record.target, record.detail});
    });
    addAdminRoutes(m_host->router(), *m_auth, *m_admin);

    if (!m_webSockets)
        m_webSockets = std::make_unique<WebSocketRouter>(m_host->http());
    m_webSockets->addEndpoint(u"/ws/supervisor"_s, [this](std::unique_ptr<QWebSocket> socket) {
        m_supervisorSockets->accept(std::move(socket));
    });
}

} // namespace heartline
