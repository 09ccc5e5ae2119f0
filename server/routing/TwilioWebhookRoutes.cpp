#include "routing/TwilioWebhookRoutes.h"

#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QUrlQuery>

#include "JsonResponses.h"
#include "http/Router.h"
#include "metrics/Metrics.h"
#include "routing/CallRouter.h"
#include "twilio/TwilioSignature.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcWebhooks, "heartline.twilio.webhooks")

namespace heartline {

namespace {

struct Webhook
{
    FormParams params;
    QString agentId; ///< the `agent` query parameter, if any
};

/// The URL Twilio requested, as Twilio saw it: the public base plus the raw path and query.
QString publicUrlOf(const QHttpServerRequest &request, const QString &publicBaseUrl)
{
    const QUrl &url = request.url();
    QString result = publicBaseUrl + url.path(QUrl::FullyEncoded);
    if (url.hasQuery())
        result += u'?' + url.query(QUrl::FullyEncoded);
    return result;
}

QHttpServerResponse twimlResponse(const QByteArray &twiml)
{
    return QHttpServerResponse("text/xml", twiml);
}

} // namespace

void addTwilioWebhookRoutes(Router &router, CallRouter &calls, MetricsRegistry &metrics, const QString &authToken,
                            const QString &publicBaseUrl)
{
    Counter &refused = metrics.counter(u"heartline_twilio_webhooks_refused_total"_s,
                                       u"Twilio webhooks refused for a missing or invalid signature."_s);
    const TwilioSignature signature(authToken.toUtf8());

    // Validates and parses; on failure the refusal to answer instead.
    auto accept = [signature, authToken, publicBaseUrl,
                   &refused](const QHttpServerRequest &request,
                             const QStringList &required) -> std::variant<Webhook, QHttpServerResponse> {
        if (authToken.isEmpty()) {
            qCWarning(lcWebhooks) << "refused" << request.url().path() << ": TWILIO_AUTH_TOKEN is not configured";
            refused.increment();
            return errorResponse(ApiError::Forbidden,
                                 u"webhooks cannot be verified: the server has no TWILIO_AUTH_TOKEN"_s);
        }
        const QString url = publicUrlOf(request, publicBaseUrl);
        const SignatureOutcome outcome = signature.validateRequest(url, request.value("Content-Type"), request.body(),
                                                                   request.value("X-Twilio-Signature"));
        if (!outcome.ok()) {
            qCWarning(lcWebhooks).noquote()
                << "refused" << request.url().path() << "signature" << outcome.code() << '-' << outcome.detail;
            refused.increment();
            return errorResponse(ApiError::Forbidden,
                                 u"the X-Twilio-Signature is missing or does not match (%1)"_s.arg(outcome.code()));
        }
        auto params = FormParams::parse(request.body());
        if (!params) {
            return errorResponse(ApiError::MalformedForm, params.error().message, params.error().field);
        }
        for (const QString &name : required) {
            if (params->value(name).isEmpty())
                return errorResponse(ApiError::MissingField, u"%1 is required"_s.arg(name), name);
        }
        Webhook webhook {std::move(params).value(), QUrlQuery(request.url()).queryItemValue(u"agent"_s)};
        return webhook;
    };

    router.route(u"/twilio/voice/inbound"_s, QHttpServerRequest::Method::Post,
                 [accept, &calls](const QHttpServerRequest &request) {
                     auto webhook = accept(request, {u"CallSid"_s, u"To"_s});
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
                         return std::move(*refusal);
                     const auto twiml = calls.inbound(std::get<Webhook>(webhook).params);
                     if (!twiml)
                         return errorResponse(httpErrorFromProblem(twiml.error()));
                     return twimlResponse(twiml.value());
                 });

    router.route(u"/twilio/voice/dial-action"_s, QHttpServerRequest::Method::Post,
                 [accept, &calls](const QHttpServerRequest &request) {
                     auto webhook = accept(request, {u"CallSid"_s, u"DialCallStatus"_s});
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
                         return std::move(*refusal);
                     const Webhook &hook = std::get<Webhook>(webhook);
                     if (hook.agentId.isEmpty())
                         return errorResponse(ApiError::MissingField, u"the agent query parameter is required"_s,
                                              u"agent"_s);
                     const auto twiml = calls.dialAction(hook.agentId, hook.params);
                     if (!twiml)
                         return errorResponse(httpErrorFromProblem(twiml.error()));
                     return twimlResponse(twiml.value());
                 });

    router.route(u"/twilio/voice/status"_s, QHttpServerRequest::Method::Post,
                 [accept, &calls](const QHttpServerRequest &request) {
                     auto webhook = accept(request, {u"CallSid"_s, u"CallStatus"_s});
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
                         return std::move(*refusal);
                     const Webhook &hook = std::get<Webhook>(webhook);
                     calls.callStatus(hook.agentId, hook.params);
                     return QHttpServerResponse(QHttpServerResponder::StatusCode::NoContent);
                 });
}

} // namespace heartline
