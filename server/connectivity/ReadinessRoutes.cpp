#include "connectivity/ReadinessRoutes.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QSet>

#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"
#include "core/Clock.h"
#include "http/Authorize.h"
#include "http/JsonBody.h"
#include "http/Router.h"
#include "protocol/ProtocolTypes.h"
#include "readiness/ReadinessScorer.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QString agentIdsField = u"agentIds"_s;

/// The readiness wire shape (shared/protocol) with the agent it is about in front.
QJsonObject readinessJson(const QString &agentId, const ReadinessResult &readiness)
{
    QJsonObject object = toJson(readiness);
    object.insert(u"agentId"_s, agentId);
    return object;
}

QHttpServerResponse oneAgent(const AuthService &auth, AgentService &agents, const QString &agentId,
                             const QHttpServerRequest &request)
{
    auto who = authorize(auth, request, AnyRole);
    if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
        return std::move(*refusal);
    const Principal &principal = std::get<Principal>(who);
    // An agent sees its own readiness only; asked about another id it learns nothing, not even
    // whether that agent exists.
    if (principal.role == Role::Agent && principal.userId != agentId)
        return errorResponse(ApiError::Forbidden, u"an agent may only read its own readiness"_s);

    const AgentRecord *record = agents.agent(agentId); // readiness recomputed for now
    if (!record)
        return errorResponse(ApiError::UnknownAgent, u"no agent with id \"%1\""_s.arg(agentId));
    QJsonObject body = readinessJson(agentId, record->readiness);
    body.insert(u"status"_s, toString(record->snapshot.status));
    body.insert(u"activity"_s, toString(record->activity));
    return jsonResponse(body);
}

QHttpServerResponse batch(const AuthService &auth, AgentService &agents, const AgentRegistry &registry,
                          const Clock &clock, const QHttpServerRequest &request)
{
    auto who = authorize(auth, request, SupervisorRoles);
    if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
        return std::move(*refusal);
    auto body = readJsonObject(request);
    if (!body)
        return errorResponse(body.error());
    auto agentIds = parseBatchAgentIds(body.value());
    if (!agentIds)
        return errorResponse(agentIds.error());

    const qint64 now = clock.nowMs();
    QJsonArray results;
    QJsonArray unknown;
    for (const QString &agentId : agentIds.value()) {
        // Scored straight from the registry: a batch must not touch every agent's record (and so
        // signal every one of them as changed) just to read it.
        if (const AgentRecord *record = registry.find(agentId)) {
            results.append(readinessJson(agentId, scoreReadiness(record->snapshot, agents.readinessConfig(), now)));
        } else if (const AgentRecord *created = agents.agent(agentId)) {
            // An agent user added while the server runs, not seen since: loaded once.
            results.append(readinessJson(agentId, created->readiness));
        } else {
            unknown.append(agentId);
        }
    }
    return jsonResponse(QJsonObject {{u"results"_s, results}, {u"unknown"_s, unknown}});
}

} // namespace

Result<QStringList, HttpError> parseBatchAgentIds(const QJsonObject &body)
{
    const auto found = body.constFind(agentIdsField);
    if (found == body.constEnd())
        return HttpError {ApiError::MissingField, u"agentIds is required"_s, agentIdsField};
    if (!found->isArray())
        return HttpError {ApiError::WrongType, u"agentIds must be an array of agent ids"_s, agentIdsField};
    const QJsonArray array = found->toArray();
    if (array.isEmpty())
        return HttpError {ApiError::InvalidValue, u"agentIds must name at least one agent"_s, agentIdsField};
    if (array.size() > MaxBatchAgentIds) {
        return HttpError {
            ApiError::InvalidValue,
            u"agentIds names %1 agents; at most %2 are accepted"_s.arg(array.size()).arg(MaxBatchAgentIds),
            agentIdsField};
    }
    QStringList ids;
    QSet<QString> seen;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue value = array.at(i);
        if (!value.isString())
            return HttpError {ApiError::WrongType, u"agentIds[%1] must be a string"_s.arg(i), agentIdsField};
        const QString id = value.toString();
        if (id.isEmpty() || id.size() > MaxIdLength) {
            return HttpError {ApiError::InvalidValue,
                              u"agentIds[%1] must have 1 to %2 characters"_s.arg(i).arg(MaxIdLength), agentIdsField};
        }
        if (!seen.contains(id)) {
            seen.insert(id);
            ids.append(id);
        }
    }
    return ids;
}

void addReadinessRoutes(Router &router, const AuthService &auth, AgentService &agents, const AgentRegistry &registry,
                        const Clock &clock)
{
    router.route(u"/api/agents/<arg>/readiness"_s, QHttpServerRequest::Method::Get,
                 [&auth, &agents](const QString &agentId, const QHttpServerRequest &request) {
                     return oneAgent(auth, agents, agentId, request);
                 });
    router.route(u"/api/agents/readiness"_s, QHttpServerRequest::Method::Post,
                 [&auth, &agents, &registry, &clock](const QHttpServerRequest &request) {
                     return batch(auth, agents, registry, clock, request);
                 });
}

} // namespace heartline
