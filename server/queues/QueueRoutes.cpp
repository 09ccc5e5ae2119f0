#include "queues/QueueRoutes.h"

#include <QFile>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include "JsonResponses.h"
#include "http/Authorize.h"
#include "http/Router.h"
#include "queues/QueueService.h"
#include "routing/TwilioWebhookRoutes.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

QHttpServerResponse twimlResponse(const QByteArray &twiml)
{
    return QHttpServerResponse("text/xml", twiml);
}

QByteArray mediaType(const QString &file)
{
    if (file.endsWith(u".mp3"))
        return "audio/mpeg";
    return "audio/wav";
}

} // namespace

void addQueueRoutes(Router &router, const AuthService &auth, QueueService &queues,
                    const TwilioWebhookVerifier &verifier, const QString &mediaDir)
{
    using Method = QHttpServerRequest::Method;
    router.route(u"/twilio/queue/wait"_s, Method::Post, [&verifier, &queues](const QHttpServerRequest &request) {
        auto webhook = verifier.verify(request, {u"CallSid"_s});
        if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
            return std::move(*refusal);
        const TwilioWebhook &hook = std::get<TwilioWebhook>(webhook);
        if (hook.queue.isEmpty())
            return errorResponse(ApiError::MissingField, u"the queue query parameter is required"_s, u"queue"_s);
        return twimlResponse(queues.waitTwiml(hook));
    });
    router.route(u"/twilio/queue/action"_s, Method::Post, [&verifier, &queues](const QHttpServerRequest &request) {
        auto webhook = verifier.verify(request, {u"CallSid"_s, u"QueueResult"_s});
        if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
            return std::move(*refusal);
        const TwilioWebhook &hook = std::get<TwilioWebhook>(webhook);
        if (hook.queue.isEmpty())
            return errorResponse(ApiError::MissingField, u"the queue query parameter is required"_s, u"queue"_s);
        return twimlResponse(queues.actionTwiml(hook));
    });
    router.route(u"/twilio/queue/bridge"_s, Method::Post, [&verifier, &queues](const QHttpServerRequest &request) {
        auto webhook = verifier.verify(request, {u"CallSid"_s});
        if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
            return std::move(*refusal);
        const TwilioWebhook &hook = std::get<TwilioWebhook>(webhook);
        if (hook.agentId.isEmpty())
            return errorResponse(ApiError::MissingField, u"the agent query parameter is required"_s, u"agent"_s);
        return twimlResponse(queues.bridgeTwiml(hook));
    });

    router.route(u"/api/queues"_s, Method::Get, [&auth, &queues](const QHttpServerRequest &request) {
        auto who = authorize(auth, request, SupervisorRoles);
        if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
            return std::move(*refusal);
        QJsonArray list;
        for (const QueueView &view : queues.views())
            list.append(toJson(view));
        return jsonResponse(QJsonObject {{u"queues"_s, list}});
    });

    router.route(u"/media/<arg>"_s, Method::Get, [mediaDir](const QString &file) {
        static const QRegularExpression safeName(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\\.(wav|mp3)$"_s);
        if (!safeName.match(file).hasMatch() || file.contains(u".."))
            return errorResponse(ApiError::NotFound, u"no such media file"_s);
        // An admin's own file first, then the ones built into the server.
        const QStringList candidates {mediaDir.isEmpty() ? QString() : QString(mediaDir + u'/' + file),
                                      QString(u":/heartline/media/"_s + file)};
        for (const QString &path : candidates) {
            if (path.isEmpty())
                continue;
            QFile media(path);
            if (media.open(QIODevice::ReadOnly))
                return QHttpServerResponse(mediaType(file), media.readAll());
        }
        return errorResponse(ApiError::NotFound, u"no media file %1"_s.arg(file));
    });
}

} // namespace heartline
