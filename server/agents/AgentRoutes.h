#pragma once

namespace heartline {

class AgentService;
class AuthService;
class Clock;
class Config;
class MetricsRegistry;
class Router;

/// The seed's heartbeat surface: POST /api/agent-heartbeat (an agent's own heartbeat) and
/// GET /api/cron/heartbeat-cleanup (admin: expire stale agents now and say what changed).
void addHeartbeatRoutes(Router &router, const AuthService &auth, AgentService &agents, const Config &config,
                        MetricsRegistry &metrics, const Clock &clock);

} // namespace heartline
