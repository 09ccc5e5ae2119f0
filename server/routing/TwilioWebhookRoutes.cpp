#include "routing/TwilioWebhookRoutes.h"

#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QUrlQuery>

#include "JsonResponses.h"
#include "http/DeferredResponse.h"
#include "http/Router.h"
#include "metrics/Metrics.h"
#include "routing/CallRouter.h"
#include "routing/CallStatusCallback.h"
#include "routing/DialAction.h"
#include "twilio/TwilioSignature.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcWebhooks, "heartline.twilio.webhooks")

namespace heartline {

namespace {

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

/// A webhook Heartline cannot read is refused whole, never half applied: logged, and answered 400
/// naming the parameter. `what` is "a status callback", "a Dial action".
QHttpServerResponse refuseUnreadable(const char *what, const TwilioWebhook &hook, const Problem &problem)
{
    qCWarning(lcWebhooks).noquote() << "refused" << what << "for" << hook.params.value(u"CallSid"_s) << '-'
                                    << problem.message;
    return errorResponse(httpErrorFromProblem(problem));
}

} // namespace

TwilioWebhookVerifier::TwilioWebhookVerifier(const QString &authToken, const QString &accountSid,
                                             const QString &publicBaseUrl, MetricsRegistry &metrics)
    : m_authToken(authToken), m_accountSid(accountSid), m_publicBaseUrl(publicBaseUrl), m_signature(authToken.toUtf8()),
      m_refused(metrics.counter(u"heartline_twilio_webhooks_refused_total"_s,
                                u"Twilio webhooks refused: a missing or invalid signature, or another account's."_s))
{ }

std::variant<TwilioWebhook, QHttpServerResponse> TwilioWebhookVerifier::verify(const QHttpServerRequest &request,
                                                                               const QStringList &required) const
{
    if (m_authToken.isEmpty()) {
        qCWarning(lcWebhooks) << "refused" << request.url().path() << ": TWILIO_AUTH_TOKEN is not configured";
        m_refused.increment();
        return errorResponse(ApiError::Forbidden,
                             u"webhooks cannot be verified: the server has no TWILIO_AUTH_TOKEN"_s);
    }
    const QString url = publicUrlOf(request, m_publicBaseUrl);
    const SignatureOutcome outcome = m_signature.validateRequest(url, request.value("Content-Type"), request.body(),
                                                                 request.value("X-Twilio-Signature"));
    if (!outcome.ok()) {
        qCWarning(lcWebhooks).noquote() << "refused" << request.url().path() << "signature" << outcome.code() << '-'
                                        << outcome.detail;
        m_refused.increment();
        return errorResponse(ApiError::Forbidden,
                             u"the X-Twilio-Signature is missing or does not match (%1)"_s.arg(outcome.code()));
    }
    auto params = FormParams::parse(request.body());
    if (!params)
        return errorResponse(ApiError::MalformedForm, params.error().message, params.error().field);
    // A valid signature proves the sender knows the auth token, not that the call is this
    // account's: a subaccount or a second project sharing the token must not route here.
    const QString accountSid = params->value(u"AccountSid"_s);
    if (!m_accountSid.isEmpty() && !accountSid.isEmpty() && accountSid != m_accountSid) {
        qCWarning(lcWebhooks).noquote() << "refused" << request.url().path() << "from AccountSid" << accountSid
                                        << "- this server serves" << m_accountSid << "(TWILIO_ACCOUNT_SID)";
        m_refused.increment();
        return errorResponse(ApiError::Forbidden,
                             u"AccountSid %1 is not the Twilio account this server serves"_s.arg(accountSid),
                             u"AccountSid"_s);
    }
    for (const QString &name : required) {
        if (params->value(name).isEmpty())
            return errorResponse(ApiError::MissingField, u"%1 is required"_s.arg(name), name);
    }
    const QUrlQuery query(request.url());
    return TwilioWebhook {std::move(params).value(), query.queryItemValue(u"agent"_s, QUrl::FullyDecoded),
                          query.queryItemValue(u"queue"_s, QUrl::FullyDecoded)};
}

void addTwilioWebhookRoutes(Router &router, CallRouter &calls, const TwilioWebhookVerifier &verifier)
{
    auto accept = [&verifier](const QHttpServerRequest &request, const QStringList &required) {
        return verifier.verify(request, required);
    };

    // The TwiML of these two may come later: inbound calls wait for the start-up check against
    // Twilio, and a Dial action for a call routing does not know waits for Twilio's word on it.
    // Their refusals are answered at once through the same responder.
    auto answerNow = [](QHttpServerResponder &responder, QHttpServerResponse &&response) {
        DeferredResponse(std::move(responder)).send(std::move(response));
    };
    auto answerLater = [](QHttpServerResponder &&responder) {
        auto answer = std::make_shared<DeferredResponse>(std::move(responder));
        return [answer](const Result<QByteArray> &twiml) {
            answer->send(twiml ? twimlResponse(twiml.value()) : errorResponse(httpErrorFromProblem(twiml.error())));
        };
    };

    router.route(
        u"/twilio/voice/inbound"_s, QHttpServerRequest::Method::Post,
        [accept, answerNow, answerLater, &calls](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            auto webhook = accept(request, {u"CallSid"_s, u"To"_s});
            if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
                return answerNow(responder, std::move(*refusal));
            calls.inboundWhenReleased(std::get<TwilioWebhook>(webhook).params, answerLater(std::move(responder)));
        });

    router.route(
        u"/twilio/voice/dial-action"_s, QHttpServerRequest::Method::Post,
        [accept, answerNow, answerLater, &calls](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            auto refuse = [&](QHttpServerResponse &&response) {
                answerNow(responder, std::move(response));
            };
            auto webhook = accept(request, {u"CallSid"_s, u"DialCallStatus"_s});
            if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
                return refuse(std::move(*refusal));
            const TwilioWebhook &hook = std::get<TwilioWebhook>(webhook);
            if (hook.agentId.isEmpty())
                return refuse(
                    errorResponse(ApiError::MissingField, u"the agent query parameter is required"_s, u"agent"_s));
            // Twilio ends the caller's call on a refusal: DialAction refuses only what Twilio never sends.
            const auto action = DialAction::fromParams(hook.params);
            if (!action)
                return refuse(refuseUnreadable("a Dial action", hook, action.error()));
            calls.dialActionLookingUp(hook.agentId, action.value(), answerLater(std::move(responder)));
        });

    router.route(u"/twilio/voice/status"_s, QHttpServerRequest::Method::Post,
                 [accept, &calls](const QHttpServerRequest &request) {
                     auto webhook = accept(request, {u"CallSid"_s, u"CallStatus"_s});
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&webhook))
                         return std::move(*refusal);
                     const TwilioWebhook &hook = std::get<TwilioWebhook>(webhook);
                     const auto callback = CallStatusCallback::fromParams(hook.params);
                     if (!callback)
                         return refuseUnreadable("a status callback", hook, callback.error());
                     calls.callStatus(hook.agentId, callback.value());
                     return QHttpServerResponse(QHttpServerResponder::StatusCode::NoContent);
                 });
}

} // namespace heartline
