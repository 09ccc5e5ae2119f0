#pragma once

#include "auth/AuthRoutes.h"

namespace heartline {

class AuthService;
class Router;
class SipCredentialService;

/// The `sip` object of an agent's login answer: a new SIP password for its softphone (docs/api.md).
[[nodiscard]] LoginAnswerExtras sipLoginExtras(SipCredentialService &credentials);

/// POST /api/voice/sip-credentials (agent): a new SIP password, for an app whose login answer said
/// "unavailable" or whose registration Twilio refused. `credentials` is null without SIP_DOMAIN
/// (503 feature_disabled). The service must outlive the router's server.
void addSipCredentialRoutes(Router &router, AuthService &auth, SipCredentialService *credentials);

} // namespace heartline
