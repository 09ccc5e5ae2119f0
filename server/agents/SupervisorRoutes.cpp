#include "agents/SupervisorRoutes.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QUrlQuery>

#include "JsonResponses.h"
#include "agents/AgentOverview.h"
#include "agents/AgentService.h"
#include "agents/SupervisorActions.h"
#include "http/Authorize.h"
#include "http/JsonBody.h"
#include "http/Router.h"
#include "protocol/ProtocolTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

using Method = QHttpServerRequest::Method;
using Parameters = QHash<QString, QString>;

/// The query parameters of a request: only accepted names, each at most once, none empty, so a
/// typo ("stauts=away") is refused instead of silently listing every agent.
Result<Parameters, HttpError> queryParameters(const QHttpServerRequest &request, const QStringList &accepted)
{
    Parameters parameters;
    const auto items = request.query().queryItems(QUrl::FullyDecoded);
    for (const auto &[name, value] : items) {
        if (!accepted.contains(name)) {
            return HttpError {ApiError::InvalidValue,
                              u"unknown query parameter %1 (accepted: %2)"_s.arg(name, accepted.join(u", "_s)), name};
        }
        if (parameters.contains(name))
            return HttpError {ApiError::InvalidValue, u"%1 is given more than once"_s.arg(name), name};
        if (value.isEmpty())
            return HttpError {ApiError::InvalidValue, u"%1 must not be empty"_s.arg(name), name};
        parameters.insert(name, value);
    }
    return parameters;
}

template <typename T, typename Parse>
std::optional<HttpError> parseParameter(const Parameters &parameters, const QString &name, Parse parse,
                                        const QString &acceptedWords, std::optional<T> &out)
{
    const auto found = parameters.constFind(name);
    if (found == parameters.constEnd())
        return std::nullopt;
    out = parse(*found);
    if (!out) {
        return HttpError {ApiError::InvalidValue,
                          u"%1 must be one of %2, got \"%3\""_s.arg(name, acceptedWords, *found), name};
    }
    return std::nullopt;
}

std::optional<bool> booleanFromString(QStringView text)
{
    if (text == u"true")
        return true;
    if (text == u"false")
        return false;
    return std::nullopt;
}

Result<AgentFilter, HttpError> agentFilter(const QHttpServerRequest &request)
{
    const auto parameters = queryParameters(request, {u"status"_s, u"activity"_s, u"ready"_s, u"queue"_s, u"q"_s});
    if (!parameters)
        return parameters.error();
    AgentFilter filter;
    if (auto error = parseParameter(parameters.value(), u"status"_s, agentStatusFromString, acceptedAgentStatuses(),
                                    filter.status))
        return *error;
    if (auto error
        = parseParameter(parameters.value(), u"activity"_s, agentActivityFromString,
                         u"idle, ringing, on-call, wrap-up, cooldown, stale or disconnected"_s, filter.activity))
        return *error;
    if (auto error
        = parseParameter(parameters.value(), u"ready"_s, booleanFromString, u"true or false"_s, filter.ready))
        return *error;
    if (parameters->contains(u"queue"_s)) {
        const QString queue = parameters->value(u"queue"_s);
        if (queue.size() > MaxIdLength) {
            return HttpError {ApiError::InvalidValue, u"queue must be at most %1 characters"_s.arg(MaxIdLength),
                              u"queue"_s};
        }
        filter.queue = queue;
    }
    filter.text = parameters->value(u"q"_s);
    return filter;
}

QJsonArray viewsJson(const QList<AgentView> &views)
{
    QJsonArray array;
    for (const AgentView &view : views)
        array.append(toJson(view));
    return array;
}

/// The optional "reason" of a status or logout body: absent or null, else a string of 1-64 characters.
Result<QString, HttpError> optionalReason(const QJsonObject &body)
{
    const QJsonValue reason = body.value(u"reason"_s);
    if (reason.isUndefined() || reason.isNull())
        return QString();
    if (!reason.isString())
        return HttpError {ApiError::WrongType, u"reason must be a string"_s, u"reason"_s};
    const QString text = reason.toString();
    if (text.isEmpty() || text.size() > MaxReasonLength) {
        return HttpError {ApiError::InvalidValue, u"reason must have 1 to %1 characters"_s.arg(MaxReasonLength),
                          u"reason"_s};
    }
    return text;
}

QHttpServerResponse agentAnswer(const AgentOverview &overview, const QString &agentId)
{
    const auto view = overview.view(agentId);
    if (!view)
        return errorResponse(ApiError::UnknownAgent, u"no agent with id \"%1\""_s.arg(agentId), u"agentId"_s);
    return jsonResponse(QJsonObject {{u"agent"_s, toJson(*view)}});
}

} // namespace

void addSupervisorRoutes(Router &router, const AuthService &auth, AgentService &agents, const AgentOverview &overview,
                         SupervisorActions &actions)
{
    router.route(u"/api/agent-heartbeat"_s, Method::Get, [&auth, &overview](const QHttpServerRequest &request) {
        auto who = authorize(auth, request, SupervisorRoles);
        if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
            return std::move(*refusal);
        const auto parameters = queryParameters(request, {u"agentId"_s});
        if (!parameters)
            return errorResponse(parameters.error());
        if (parameters->contains(u"agentId"_s)) {
            const QString agentId = parameters->value(u"agentId"_s);
            const auto view = overview.view(agentId);
            if (!view)
                return errorResponse(ApiError::UnknownAgent, u"no agent with id \"%1\""_s.arg(agentId), u"agentId"_s);
            return jsonResponse(QJsonObject {{u"agent"_s, toJson(*view)}, {u"serverTimeMs"_s, overview.nowMs()}});
        }
        return jsonResponse(QJsonObject {{u"agents"_s, viewsJson(overview.views())},
                                         {u"statistics"_s, overview.statistics().toJson()},
                                         {u"serverTimeMs"_s, overview.nowMs()}});
    });

    router.route(u"/api/agents"_s, Method::Get, [&auth, &overview](const QHttpServerRequest &request) {
        auto who = authorize(auth, request, SupervisorRoles);
        if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
            return std::move(*refusal);
        const auto filter = agentFilter(request);
        if (!filter)
            return errorResponse(filter.error());
        return jsonResponse(QJsonObject {{u"agents"_s, viewsJson(overview.views(filter.value()))},
                                         {u"serverTimeMs"_s, overview.nowMs()}});
    });

    router.route(u"/api/agents/<arg>/status"_s, Method::Post,
                 [&auth, &agents, &overview, &actions](const QString &agentId, const QHttpServerRequest &request) {
                     auto who = authorize(auth, request, AnyRole);
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                         return std::move(*refusal);
                     const Principal &principal = std::get<Principal>(who);
                     const bool self = principal.role == Role::Agent;
                     if (self && principal.userId != agentId) {
                         return errorResponse(ApiError::Forbidden, u"an agent may set only its own status"_s);
                     }
                     const auto body = readJsonObject(request);
                     if (!body)
                         return errorResponse(body.error());
                     const auto statusText = requiredString(body.value(), u"status"_s);
                     if (!statusText)
                         return errorResponse(statusText.error());
                     const auto status = agentStatusFromString(statusText.value());
                     if (!status) {
                         return errorResponse(
                             ApiError::InvalidValue,
                             u"status must be one of %1, got \"%2\""_s.arg(acceptedAgentStatuses(), statusText.value()),
                             u"status"_s);
                     }
                     const auto reason = optionalReason(body.value());
                     if (!reason)
                         return errorResponse(reason.error());

                     std::optional<Problem> problem;
                     if (self) {
                         // The agent's own choice, as from its app: it may open the session.
                         const auto changed = agents.setStatus(agentId, *status, reason.value(),
                                                               StatusChangeSource::Agent, u"agent"_s);
                         if (!changed)
                             problem = changed.error();
                     } else {
                         problem = actions.setStatus(principal.userId, agentId, *status, reason.value());
                     }
                     if (problem)
                         return errorResponse(httpErrorFromProblem(*problem));
                     return agentAnswer(overview, agentId);
                 });

    router.route(u"/api/agents/<arg>/logout"_s, Method::Post,
                 [&auth, &overview, &actions](const QString &agentId, const QHttpServerRequest &request) {
                     auto who = authorize(auth, request, SupervisorRoles);
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                         return std::move(*refusal);
                     // The body is optional here: {"reason": "..."} when given.
                     QString reason;
                     if (!request.body().isEmpty()) {
                         const auto body = readJsonObject(request);
                         if (!body)
                             return errorResponse(body.error());
                         const auto given = optionalReason(body.value());
                         if (!given)
                             return errorResponse(given.error());
                         reason = given.value();
                     }
                     if (auto problem = actions.logout(std::get<Principal>(who).userId, agentId, reason))
                         return errorResponse(httpErrorFromProblem(*problem));
                     return agentAnswer(overview, agentId);
                 });
}

} // namespace heartline
