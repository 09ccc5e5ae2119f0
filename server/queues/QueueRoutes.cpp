#include "queues/QueueRoutes.h"

#include <QFile>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

#include "JsonResponses.h"
#include "http/Authorize.h"
#include "http/QueryParams.h"
#include "http/Router.h"
#include "queues/QueueService.h"
#include "queues/QueueStore.h"
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

void addQueueRoutes(Router &router, const AuthService &auth, QueueService &queues, QueueStore &store,
                    const TwilioWebhookVerifier &verifier, const QString &mediaDir)
{
    using Method = QHttpServerRequest::Method;
    // A Twilio-facing queue route: signature, required parameters, the `queue` or `agent` query
    // parameter the URL must carry, then the TwiML the handler answers with.
    using TwimlHandler = QByteArray (QueueService::*)(const TwilioWebhook &);
    const auto twilioRoute = [&router, &verifier, &queues](const QString &path, const QStringList &required,
                                                           const QString &queryKey, TwimlHandler handler) {
        router.route(path, Method::Post,
                     [&verifier, &queues, required, queryKey, handler](const QHttpServerRequest &request) {
                         auto webhook = verifier.verify(request, required);
                         if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
                             return std::move(*refusal);
                         const TwilioWebhook &hook = std::get<TwilioWebhook>(webhook);
                         if ((queryKey == u"queue" ? hook.queue : hook.agentId).isEmpty()) {
                             return errorResponse(ApiError::MissingField,
                                                  u"the %1 query parameter is required"_s.arg(queryKey), queryKey);
                         }
                         return twimlResponse((queues.*handler)(hook));
                     });
    };
    twilioRoute(u"/twilio/queue/wait"_s, {u"CallSid"_s}, u"queue"_s, &QueueService::waitTwiml);
    twilioRoute(u"/twilio/queue/action"_s, {u"CallSid"_s, u"QueueResult"_s}, u"queue"_s, &QueueService::actionTwiml);
    twilioRoute(u"/twilio/queue/voicemail"_s, {u"CallSid"_s}, u"queue"_s, &QueueService::voicemailTwiml);
    twilioRoute(u"/twilio/queue/bridge"_s, {u"CallSid"_s}, u"agent"_s, &QueueService::bridgeTwiml);

    router.route(u"/api/queues"_s, Method::Get, [&auth, &queues](const QHttpServerRequest &request) {
        auto who = authorize(auth, request, SupervisorRoles);
        if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
            return std::move(*refusal);
        QJsonArray list;
        for (const QueueView &view : queues.views())
            list.append(toJson(view));
        return jsonResponse(QJsonObject {{u"queues"_s, list}});
    });

    router.route(u"/api/voicemails"_s, Method::Get, [&auth, &store](const QHttpServerRequest &request) {
        auto who = authorize(auth, request, SupervisorRoles);
        if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
            return std::move(*refusal);
        QueryParams query(QUrlQuery(request.url()), {u"limit"_s});
        const int limit = query.integer(u"limit"_s, 1, 500, 100);
        if (const auto error = query.error())
            return errorResponse(*error);
        const auto rows = store.voicemails(limit);
        if (!rows)
            return errorResponse(httpErrorFromProblem(rows.error()));
        QJsonArray list;
        for (const QStringList &row : rows.value()) {
            list.append(QJsonObject {{u"queue"_s, row[0]},
                                     {u"callSid"_s, row[1]},
                                     {u"from"_s, row[2]},
                                     {u"recordingSid"_s, row[3]},
                                     {u"recordingUrl"_s, row[4]},
                                     {u"durationSeconds"_s, row[5].toLongLong()},
                                     {u"recordedAt"_s, isoTimestamp(row[6].toLongLong())}});
        }
        return jsonResponse(QJsonObject {{u"voicemails"_s, list}});
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
