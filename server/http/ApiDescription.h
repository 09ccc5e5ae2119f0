#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace heartline {

/// Who may call a route: what its `security` and its description say.
enum class RouteAccess {
    Public,        ///< no token (health, metrics, login, hold music)
    Token,         ///< any signed-in role
    Agent,         ///< an agent's token
    Supervisor,    ///< supervisor or admin
    Admin,         ///< admin only
    TwilioWebhook, ///< no token; X-Twilio-Signature over PUBLIC_BASE_URL instead
};

/// One HTTP route as the API description documents it. `path` is in OpenAPI's form, with named
/// parameters ("/api/agents/{agentId}/status"); Router patterns have `<arg>` in their place.
struct DocumentedRoute
{
    const char *method; ///< "GET", "POST"
    const char *path;
    const char *summary;
    RouteAccess access;
    QList<int> errors; ///< the 4xx/5xx answers besides the common ones of its access
    int success = 200; ///< 201 for a route that creates, 204 for one that answers without a body
};

/// Every HTTP route of heartline-server (the WebSocket endpoints are in docs/protocol.md), in the
/// order docs/api.md gives them. tst_openapi checks it against the routes the server registers.
[[nodiscard]] const QList<DocumentedRoute> &documentedRoutes();

/// The OpenAPI 3 document served at GET /api/openapi.json.
[[nodiscard]] QJsonObject openApiDocument();

/// "/api/agents/{agentId}/status" → "/api/agents/<arg>/status": the Router pattern of a documented path.
[[nodiscard]] QString routerPattern(const QString &openApiPath);

} // namespace heartline
