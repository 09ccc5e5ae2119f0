#pragma once

#include <QString>

namespace heartline {

class CallRouter;
class MetricsRegistry;
class Router;

/// Twilio's voice webhooks. Each request must carry a valid X-Twilio-Signature computed over
/// PUBLIC_BASE_URL + the request's path and query with TWILIO_AUTH_TOKEN; anything else is
/// refused with 403 and the reason logged, and an unsigned call is never routed.
///   POST /twilio/voice/inbound            a call came in: TwiML dialing the chosen agent
///   POST /twilio/voice/dial-action?agent= how the offer to that agent ended: TwiML for what next
///   POST /twilio/voice/status[?agent=]    call progress callbacks (the caller's or an agent's leg)
void addTwilioWebhookRoutes(Router &router, CallRouter &calls, MetricsRegistry &metrics, const QString &authToken,
                            const QString &publicBaseUrl);

} // namespace heartline
