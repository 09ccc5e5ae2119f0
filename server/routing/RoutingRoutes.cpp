#include "routing/RoutingRoutes.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

#include "JsonResponses.h"
#include "http/Authorize.h"
#include "http/QueryParams.h"
#include "http/Router.h"
#include "routing/CallRouter.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

QJsonObject toJson(const RoutingDecision &decision)
{
    QJsonArray candidates;
    for (const CandidateReport &candidate : decision.candidates)
        candidates.append(toJson(candidate));
    return QJsonObject {{u"callSid"_s, decision.callSid},
                        {u"queue"_s, decision.queue},
                        {u"attempt"_s, decision.attempt},
                        {u"path"_s, toString(decision.path)},
                        {u"chosenAgentId"_s, decision.chosenAgentId.isEmpty() ? QJsonValue() : decision.chosenAgentId},
                        {u"candidates"_s, candidates},
                        {u"durationUs"_s, decision.durationUs},
                        {u"decidedAt"_s, isoTimestamp(decision.decidedAtMs)}};
}

} // namespace

void addRoutingRoutes(Router &router, const AuthService &auth, const CallRouter &calls)
{
    router.route(u"/api/routing/decisions"_s, QHttpServerRequest::Method::Get,
                 [&auth, &calls](const QHttpServerRequest &request) {
                     auto who = authorize(auth, request, SupervisorRoles);
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                         return std::move(*refusal);
                     QueryParams query(QUrlQuery(request.url()), {u"agentId"_s, u"limit"_s});
                     const QString agentId = query.text(u"agentId"_s, 128);
                     const int limit = query.integer(u"limit"_s, 1, 500, 50);
                     if (const auto error = query.error())
                         return errorResponse(*error);
                     QJsonArray decisions;
                     for (const RoutingDecision &decision : calls.recentDecisions(agentId, limit))
                         decisions.append(toJson(decision));
                     return jsonResponse(QJsonObject {{u"decisions"_s, decisions}});
                 });
}

} // namespace heartline
