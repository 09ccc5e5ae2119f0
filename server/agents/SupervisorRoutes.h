#pragma once

namespace heartline {

class AgentOverview;
class AgentService;
class AuthService;
class Router;
class SupervisorActions;

/// The supervisors' HTTP routes (docs/api.md, "Agents"):
/// - GET /api/agent-heartbeat: every agent with the statistics (the seed's "status and statistics"),
///   or one agent with ?agentId=;
/// - GET /api/agents: agents with filters status, activity, ready, queue and q;
/// - POST /api/agents/<id>/status: a supervisor imposes a status, or an agent sets its own;
/// - POST /api/agents/<id>/logout: a supervisor ends an agent's session.
/// The objects must outlive the router's server.
void addSupervisorRoutes(Router &router, const AuthService &auth, AgentService &agents, const AgentOverview &overview,
                         SupervisorActions &actions);

} // namespace heartline
