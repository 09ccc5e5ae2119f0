#pragma once

#include <variant>

#include <QHttpServerResponse>
#include <QString>
#include <QStringList>

#include "twilio/FormParams.h"
#include "twilio/TwilioSignature.h"

class QHttpServerRequest;

namespace heartline {

class CallRouter;
class Counter;
class MetricsRegistry;
class Router;

/// A Twilio webhook that passed the signature check, with its form parameters and the `agent` /
/// `queue` query parameters Heartline puts on the URLs it gives Twilio.
struct TwilioWebhook
{
    FormParams params;
    QString agentId;
    QString queue;
};

/// Checks X-Twilio-Signature over PUBLIC_BASE_URL + path and query, then parses the form body,
/// checks that its AccountSid (when given) is TWILIO_ACCOUNT_SID (when configured) and that the
/// required parameters are there. Every Twilio-facing route starts with verify().
class TwilioWebhookVerifier final
{
public:
    /// `accountSid` empty: webhooks of any account signed with the token are accepted.
    TwilioWebhookVerifier(const QString &authToken, const QString &accountSid, const QString &publicBaseUrl,
                          MetricsRegistry &metrics);

    /// The webhook, or the answer refusing it (403 bad signature or another account's, 400 bad body).
    [[nodiscard]] std::variant<TwilioWebhook, QHttpServerResponse> verify(const QHttpServerRequest &request,
                                                                          const QStringList &required) const;

private:
    QString m_authToken;
    QString m_accountSid;
    QString m_publicBaseUrl;
    TwilioSignature m_signature;
    Counter &m_refused;
};

/// Twilio's voice webhooks. Each request must carry a valid X-Twilio-Signature computed over
/// PUBLIC_BASE_URL + the request's path and query with TWILIO_AUTH_TOKEN; anything else is
/// refused with 403 and the reason logged, and an unsigned call is never routed.
///   POST /twilio/voice/inbound            a call came in: TwiML dialing the chosen agent
///   POST /twilio/voice/dial-action?agent= how the offer to that agent ended: TwiML for what next; one
///                                         that DialAction cannot read is refused with 400
///   POST /twilio/voice/status[?agent=]    call progress callbacks (the caller's or an agent's leg); one
///                                         that CallStatusCallback cannot read is refused with 400
void addTwilioWebhookRoutes(Router &router, CallRouter &calls, const TwilioWebhookVerifier &verifier);

} // namespace heartline
