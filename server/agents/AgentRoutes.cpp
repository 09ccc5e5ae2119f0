#include "agents/AgentRoutes.h"

#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QJsonArray>

#include "JsonResponses.h"
#include "agents/AgentInputs.h"
#include "agents/AgentService.h"
#include "config/Config.h"
#include "core/Clock.h"
#include "http/Authorize.h"
#include "http/JsonBody.h"
#include "http/Router.h"
#include "metrics/Metrics.h"
#include "protocol/HeartbeatProtocol.h"

using namespace Qt::StringLiterals;

namespace heartline {

void addHeartbeatRoutes(Router &router, const AuthService &auth, AgentService &agents, const Config &config,
                        MetricsRegistry &metrics, const Clock &clock)
{
    const bool heartbeatsEnabled = config.boolValue(ConfigKey::FeatureAgentHeartbeat);
    Counter &received = metrics.counter(u"heartline_heartbeats_total"_s, u"Agent heartbeats received."_s,
                                        {u"transport"_s}, {u"http"_s});
    Histogram &processing = metrics.histogram(u"heartline_heartbeat_processing_seconds"_s,
                                              u"Time to process one heartbeat, from parsed message to answer."_s,
                                              MetricsRegistry::latencyBuckets(), {u"transport"_s}, {u"http"_s});

    router.route(
        u"/api/agent-heartbeat"_s, QHttpServerRequest::Method::Post,
        [&auth, &agents, &received, &processing, &clock, heartbeatsEnabled](const QHttpServerRequest &request) {
            QElapsedTimer timer;
            timer.start();
            auto who = authorize(auth, request, Roles(Role::Agent));
            if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                return std::move(*refusal);
            const Principal &principal = std::get<Principal>(who);
            if (!heartbeatsEnabled) {
                return errorResponse(ApiError::FeatureDisabled,
                                     u"agent heartbeats are switched off (FEATURE_AGENT_HEARTBEAT=false)"_s);
            }
            const auto body = readJsonBody(request);
            if (!body)
                return errorResponse(body.error());
            const auto heartbeat = parseHttpHeartbeat(body.value());
            if (!heartbeat)
                return problemResponse(heartbeat.error());
            if (heartbeat->agentId != principal.userId) {
                return errorResponse(ApiError::Forbidden,
                                     u"this token belongs to %1 and cannot send heartbeats for %2"_s.arg(
                                         principal.userId, heartbeat->agentId),
                                     u"agentId"_s);
            }
            const auto outcome
                = agents.heartbeat(heartbeat->agentId, heartbeatInput(heartbeat.value()), HeartbeatTransport::Http);
            if (!outcome)
                return problemResponse(outcome.error());
            const AgentRecord &record = *outcome.value();
            HttpHeartbeatReply reply;
            reply.readiness = record.readiness;
            reply.heartbeatIntervalSeconds = agents.heartbeatIntervalSeconds();
            reply.status = record.snapshot.status;
            reply.activity = record.activity;
            reply.serverTimeMs = clock.nowMs();
            received.increment();
            processing.observe(double(timer.nsecsElapsed()) / 1e9);
            return QHttpServerResponse("application/json", serialize(reply));
        });

    router.route(u"/api/cron/heartbeat-cleanup"_s, QHttpServerRequest::Method::Get,
                 [&auth, &agents, &clock](const QHttpServerRequest &request) {
                     auto who = authorize(auth, request, Roles(Role::Admin));
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                         return std::move(*refusal);
                     QJsonArray changed;
                     for (const StatusChange &change : agents.runDueWork()) {
                         changed.append(QJsonObject {{u"agentId"_s, change.agentId},
                                                     {u"from"_s, toString(change.from)},
                                                     {u"to"_s, toString(change.to)},
                                                     {u"cause"_s, change.cause}});
                     }
                     return jsonResponse(QJsonObject {
                         {u"changed"_s, changed},
                         {u"checkedAtMs"_s, clock.nowMs()},
                         {u"heartbeatThresholdSeconds"_s, agents.readinessConfig().heartbeatThresholdSeconds}});
                 });
}

} // namespace heartline
