#pragma once

#include <QUrlQuery>

#include "JsonResponses.h"
#include "connectivity/ConnectivityIssueStore.h"
#include "core/Result.h"

namespace heartline {

class AgentRegistry;
class AuthService;
class Clock;
class ConnectivityMonitor;
class Router;

/// Largest and default page of GET /api/connectivity/issues.
inline constexpr int MaxIssueLimit = 1000;
inline constexpr int DefaultIssueLimit = 100;

/// Reads `open=true|false`, `agentId=ID` and `limit=1..1000` (all optional, each at most once).
/// Anything else, or a bad value, is 400 invalid_value naming the parameter.
[[nodiscard]] Result<IssueQuery, HttpError> parseIssueQuery(const QUrlQuery &query);

/// Supervisor and admin routes: GET /api/connectivity/issues and GET /api/connectivity/stats
/// (docs/api.md describes both).
void addConnectivityRoutes(Router &router, const AuthService &auth, const ConnectivityMonitor &monitor,
                           const AgentRegistry &agents, const Clock &clock);

} // namespace heartline
