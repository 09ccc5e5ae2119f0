#pragma once

#include <memory>
#include <optional>

#include <QObject>

#include "config/Config.h"
#include "core/Result.h"

namespace heartline {

class AgentOverview;
class AgentRegistry;
class AgentService;
class AgentStore;
class AuthService;
class Clock;
class Database;
class HttpServerHost;
class SupervisorActions;
class SupervisorSocketServer;
class UserStore;
class WebSocketRouter;

/// The composition root of heartline-server: opens the store, builds the services and binds
/// the HTTP and WebSocket routes. main.cpp and the tests create exactly this.
class Server final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Server)

public:
    Server(Config config, const Clock &clock, QObject *parent = nullptr);
    ~Server() override;

    /// Opens the database, brings its schema up to date (refusing one newer than this binary
    /// knows: code "schema_too_new"), loads the session tokens, registers the routes and starts
    /// listening on the configured address. On failure nothing keeps running and the problem says
    /// what to fix.
    [[nodiscard]] std::optional<Problem> start();

    /// The port actually bound (useful with port 0).
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] QString baseUrl() const;
    [[nodiscard]] const Config &config() const { return m_config; }

    /// The services, once started (null before).
    [[nodiscard]] AuthService *auth() const { return m_auth.get(); }
    [[nodiscard]] UserStore *users() const { return m_users.get(); }
    [[nodiscard]] AgentService *agents() const { return m_agentService.get(); }
    /// Supervisors: /ws/supervisor (tests drive its pushes with flushNow()).
    [[nodiscard]] SupervisorSocketServer *supervisorSockets() const { return m_supervisorSockets.get(); }

private:
    [[nodiscard]] std::optional<Problem> openStore();
    void addRoutes();
    void addSupervisorEndpoints();
    void releaseAll();

    Config m_config;
    const Clock &m_clock;
    qint64 m_startedAtMs = 0;
    // Declaration order is destruction order in reverse: the HTTP host (whose routes use the
    // services) goes first, the database last.
    std::unique_ptr<Database> m_database;
    std::unique_ptr<UserStore> m_users;
    std::unique_ptr<AuthService> m_auth;
    // Agents: in-memory state, its durable record and the state machine.
    std::unique_ptr<AgentRegistry> m_agentRegistry;
    std::unique_ptr<AgentStore> m_agentStore;
    std::unique_ptr<AgentService> m_agentService;
    // Supervisors: views and statistics, their actions, /ws/supervisor.
    std::unique_ptr<AgentOverview> m_agentOverview;
    std::unique_ptr<SupervisorActions> m_supervisorActions;
    std::unique_ptr<SupervisorSocketServer> m_supervisorSockets;
    std::unique_ptr<HttpServerHost> m_host;
    std::unique_ptr<WebSocketRouter> m_webSockets; ///< uses m_host's QHttpServer, so it goes first
};

} // namespace heartline
