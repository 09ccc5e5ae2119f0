#pragma once

#include <QJsonObject>
#include <QStringList>

#include "JsonResponses.h"
#include "core/Result.h"

namespace heartline {

class AgentRegistry;
class AgentService;
class AuthService;
class Clock;
class Router;

/// Most agent ids one POST /api/agents/readiness may ask about.
inline constexpr int MaxBatchAgentIds = 1000;

/// The `agentIds` of a batch readiness request: 1..1000 non-empty strings (duplicates are answered
/// once, in the order first given). 400 missing_field / wrong_type / invalid_value naming agentIds.
[[nodiscard]] Result<QStringList, HttpError> parseBatchAgentIds(const QJsonObject &body);

/// GET /api/agents/{id}/readiness (supervisor, admin, or that agent) and POST /api/agents/readiness
/// (supervisor, admin): readiness recomputed from memory at the time of the request.
void addReadinessRoutes(Router &router, const AuthService &auth, AgentService &agents, const AgentRegistry &registry,
                        const Clock &clock);

} // namespace heartline
