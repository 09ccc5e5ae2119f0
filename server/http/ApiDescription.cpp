#include "http/ApiDescription.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

using Access = RouteAccess;

QString accessText(Access access)
{
    switch (access) {
    case Access::Public:
        return u"No token."_s;
    case Access::Token:
        return u"Any signed-in user (Authorization: Bearer TOKEN); see the summary for who may act on whom."_s;
    case Access::Agent:
        return u"An agent's token."_s;
    case Access::Supervisor:
        return u"A supervisor's or an admin's token."_s;
    case Access::Admin:
        return u"An admin's token."_s;
    case Access::TwilioWebhook:
        return u"Twilio's webhook: no token; the X-Twilio-Signature of the request, computed over "
               "PUBLIC_BASE_URL and the form body with TWILIO_AUTH_TOKEN, must match."_s;
    }
    return {};
}

QString describeStatus(int status)
{
    switch (status) {
    case 200:
        return u"OK"_s;
    case 201:
        return u"Created"_s;
    case 204:
        return u"Done, no body"_s;
    case 400:
        return u"The request is malformed or a field is missing or invalid (the error names it)"_s;
    case 401:
        return u"No token, or not a valid one"_s;
    case 403:
        return u"The token's role may not do this, or the webhook's signature does not match"_s;
    case 404:
        return u"No such agent or file"_s;
    case 413:
        return u"The body is over the limit"_s;
    case 415:
        return u"The body is not JSON"_s;
    case 409:
        return u"The request conflicts with what exists (the error says what)"_s;
    case 429:
        return u"Too many failed attempts: wait the Retry-After seconds"_s;
    case 503:
        return u"The feature is off, or storage or Twilio is unavailable"_s;
    }
    return u"See docs/api.md"_s;
}

QString contentTypeOf(const QString &path)
{
    if (path.startsWith(u"/twilio/"))
        return u"text/xml"_s;
    if (path == u"/metrics")
        return u"text/plain"_s;
    if (path.startsWith(u"/media/"))
        return u"audio/wav"_s;
    return u"application/json"_s;
}

QList<int> commonErrors(Access access)
{
    switch (access) {
    case Access::Public:
        return {};
    case Access::Token:
        return {401};
    case Access::Agent:
    case Access::Supervisor:
    case Access::Admin:
        return {401, 403};
    case Access::TwilioWebhook:
        return {400, 403};
    }
    return {};
}

QJsonObject errorSchema()
{
    const QJsonObject text {{u"type"_s, u"string"_s}};
    return QJsonObject {
        {u"type"_s, u"object"_s},
        {u"required"_s, QJsonArray {u"error"_s}},
        {u"properties"_s,
         QJsonObject {{u"error"_s,
                       QJsonObject {{u"type"_s, u"object"_s},
                                    {u"required"_s, QJsonArray {u"code"_s, u"message"_s}},
                                    {u"properties"_s,
                                     QJsonObject {{u"code"_s, text}, {u"message"_s, text}, {u"field"_s, text}}}}}}},
    };
}

/// "post_api_agents_agentId_status": an identifier code generators can use as a function name.
QString operationId(const DocumentedRoute &route)
{
    static const QRegularExpression separators(u"[^A-Za-z0-9]+"_s);
    QString id = QString::fromLatin1(route.method).toLower() + u'_' + QString::fromLatin1(route.path);
    id.replace(separators, u"_"_s);
    while (id.endsWith(u'_'))
        id.chop(1);
    return id;
}

QJsonObject operationOf(const DocumentedRoute &route)
{
    const QString path = QString::fromLatin1(route.path);
    QJsonObject responses;
    const int success = route.success;
    QJsonObject ok {{u"description"_s, describeStatus(success)}};
    if (success != 204)
        ok.insert(u"content"_s, QJsonObject {{contentTypeOf(path), QJsonObject {}}});
    responses.insert(QString::number(success), ok);
    QList<int> errors = commonErrors(route.access) + route.errors;
    std::sort(errors.begin(), errors.end());
    errors.erase(std::unique(errors.begin(), errors.end()), errors.end());
    for (const int status : std::as_const(errors)) {
        responses.insert(
            QString::number(status),
            QJsonObject {{u"description"_s, describeStatus(status)},
                         {u"content"_s,
                          QJsonObject {{u"application/json"_s,
                                        QJsonObject {{u"schema"_s,
                                                      QJsonObject {{u"$ref"_s, u"#/components/schemas/Error"_s}}}}}}}});
    }

    QJsonObject operation {
        {u"summary"_s, QString::fromUtf8(route.summary)},
        {u"description"_s, QString(accessText(route.access) + u" Details: docs/api.md."_s)},
        {u"operationId"_s, operationId(route)},
        {u"tags"_s, QJsonArray {path.section(u'/', 1, path.startsWith(u"/api/") ? 2 : 1)}},
        {u"responses"_s, responses},
    };
    const bool needsToken = route.access != Access::Public && route.access != Access::TwilioWebhook;
    operation.insert(u"security"_s,
                     needsToken ? QJsonArray {QJsonObject {{u"bearer"_s, QJsonArray {}}}} : QJsonArray {});

    static const QRegularExpression parameter(u"\\{([A-Za-z]+)\\}"_s);
    QJsonArray parameters;
    for (auto it = parameter.globalMatch(path); it.hasNext();) {
        parameters.append(QJsonObject {{u"name"_s, it.next().captured(1)},
                                       {u"in"_s, u"path"_s},
                                       {u"required"_s, true},
                                       {u"schema"_s, QJsonObject {{u"type"_s, u"string"_s}}}});
    }
    if (!parameters.isEmpty())
        operation.insert(u"parameters"_s, parameters);
    return operation;
}

} // namespace

const QList<DocumentedRoute> &documentedRoutes()
{
    static const QList<DocumentedRoute> routes {
        {"POST",
         "/api/auth/login",
         "Sign in: a session token, its role and expiry (agents: also their SIP account)",
         Access::Public,
         {400, 401, 413, 415, 429, 503}},
        {"POST", "/api/auth/logout", "End the session of this token", Access::Token, {}, 204},
        {"GET", "/api/auth/me", "Who this token belongs to", Access::Token, {}},
        {"GET", "/api/voice/token", "A Twilio Voice SDK access token for the agent's client", Access::Agent, {503}},
        {"POST", "/api/voice/sip-credentials", "A new SIP password for the agent's softphone", Access::Agent, {503}},
        {"GET", "/api/users", "Every user, sorted by id, without password data", Access::Supervisor, {}},
        {"GET", "/api/admin/users", "Every user, with each agent's routing profile", Access::Admin, {}},
        {"POST",
         "/api/admin/users",
         "Add a user: userId, password, role and (optional) name",
         Access::Admin,
         {400, 409, 413, 415},
         201},
        {"POST",
         "/api/admin/users/{userId}/disable",
         "Disable a user: their sessions end and they cannot sign in",
         Access::Admin,
         {404}},
        {"POST", "/api/admin/users/{userId}/enable", "Let a disabled user sign in again", Access::Admin, {404}},
        {"POST",
         "/api/admin/users/{userId}/password",
         "Set a new password for a user; their sessions end",
         Access::Admin,
         {400, 404, 413, 415}},
        {"GET", "/api/admin/agents/{agentId}/profile", "An agent's routing profile", Access::Admin, {404}},
        {"PATCH",
         "/api/admin/agents/{agentId}/profile",
         "Change an agent's skills, priority, calls at once, wrap-up or unanswered offers allowed",
         Access::Admin,
         {400, 404, 413, 415}},
        {"POST",
         "/api/admin/routing/reload",
         "Read ROUTING_FILE again into the running plan (same queues: settings only)",
         Access::Admin,
         {409}},
        {"GET", "/api/admin/audit", "The latest administration changes: who, what, when", Access::Admin, {400}},
        {"POST",
         "/api/agent-heartbeat",
         "The agent app's heartbeat over HTTP; answers the agent's readiness",
         Access::Agent,
         {400, 413, 415, 503}},
        {"GET",
         "/api/cron/heartbeat-cleanup",
         "Run the offline detection now (the server also runs it every second)",
         Access::Admin,
         {}},
        {"GET",
         "/api/agent-heartbeat",
         "Every agent's heartbeat state, with floor statistics",
         Access::Supervisor,
         {400}},
        {"GET", "/api/agents", "Every agent with status, activity, readiness and devices", Access::Supervisor, {400}},
        {"POST",
         "/api/agents/{agentId}/status",
         "Set an agent's status (supervisors and admins; an agent for its own id)",
         Access::Token,
         {400, 403, 404, 413, 415}},
        {"POST", "/api/agents/{agentId}/logout", "End an agent's session", Access::Supervisor, {404}},
        {"GET",
         "/api/routing/decisions",
         "The latest routing decisions, with every candidate examined",
         Access::Supervisor,
         {400}},
        {"GET", "/api/queues", "Every queue with its waiting callers and today's figures", Access::Supervisor, {}},
        {"GET", "/api/voicemails", "Messages callers left after the longest wait", Access::Supervisor, {400}},
        {"GET", "/healthz", "Health: database, version, uptime", Access::Public, {503}},
        {"GET", "/metrics", "Prometheus metrics", Access::Public, {}},
        {"GET", "/api/openapi.json", "This description of the HTTP API", Access::Public, {}},
        {"GET",
         "/api/agents/{agentId}/readiness",
         "One agent's readiness: score, factors, failed gates (supervisors, admins, or the agent itself)",
         Access::Token,
         {403, 404}},
        {"POST", "/api/agents/readiness", "The readiness of many agents at once", Access::Supervisor, {400, 413, 415}},
        {"GET", "/api/connectivity/issues", "Connectivity issues, open and closed", Access::Supervisor, {400}},
        {"GET",
         "/api/connectivity/stats",
         "Connectivity figures per agent and for the floor",
         Access::Supervisor,
         {400}},
        {"GET", "/media/{file}", "Hold music (WAV or MP3) for the queues", Access::Public, {404}},
        {"POST",
         "/twilio/voice/inbound",
         "An inbound call: TwiML that dials the chosen agent or queues the caller",
         Access::TwilioWebhook,
         {}},
        {"POST",
         "/twilio/voice/dial-action",
         "An offer to an agent ended: TwiML for what the caller gets next",
         Access::TwilioWebhook,
         {}},
        {"POST",
         "/twilio/voice/status",
         "Call progress of a caller's call or an agent's leg",
         Access::TwilioWebhook,
         {}},
        {"POST", "/twilio/queue/wait", "What a queued caller hears: position, hold music", Access::TwilioWebhook, {}},
        {"POST", "/twilio/queue/action", "A caller left the queue: why, and what next", Access::TwilioWebhook, {}},
        {"POST", "/twilio/queue/voicemail", "A caller's message was recorded", Access::TwilioWebhook, {}},
        {"POST",
         "/twilio/queue/bridge",
         "A dequeued caller is connected to the agent reserved for it",
         Access::TwilioWebhook,
         {}},
    };
    return routes;
}

QString routerPattern(const QString &openApiPath)
{
    static const QRegularExpression parameter(u"\\{[A-Za-z]+\\}"_s);
    return QString(openApiPath).replace(parameter, u"<arg>"_s);
}

QJsonObject openApiDocument()
{
    QJsonObject paths;
    for (const DocumentedRoute &route : documentedRoutes()) {
        const QString path = QString::fromLatin1(route.path);
        QJsonObject item = paths.value(path).toObject();
        item.insert(QString::fromLatin1(route.method).toLower(), operationOf(route));
        paths.insert(path, item);
    }
    return QJsonObject {
        {u"openapi"_s, u"3.0.3"_s},
        {u"info"_s,
         QJsonObject {{u"title"_s, u"Heartline server"_s},
                      {u"version"_s, QStringLiteral(HEARTLINE_VERSION)},
                      {u"description"_s,
                       u"Agent availability and call routing for Twilio call centers. Every error answer is JSON: "
                       "{\"error\": {\"code\", \"message\", \"field\"}}. Bodies, fields and examples: docs/api.md; "
                       "the WebSocket endpoints /ws/agent and /ws/supervisor: docs/protocol.md."_s}}},
        {u"paths"_s, paths},
        {u"components"_s,
         QJsonObject {{u"securitySchemes"_s,
                       QJsonObject {{u"bearer"_s, QJsonObject {{u"type"_s, u"http"_s}, {u"scheme"_s, u"bearer"_s}}}}},
                      {u"schemas"_s, QJsonObject {{u"Error"_s, errorSchema()}}}}},
    };
}

} // namespace heartline
