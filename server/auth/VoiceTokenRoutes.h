#pragma once

namespace heartline {

class AuthService;
class Clock;
class Config;
class Router;

/// GET /api/voice/token (agent): a Twilio Voice SDK Access Token for the agent's own client identity
/// (its user id, the identity routing dials), so the agent app can register for incoming calls.
/// 503 feature_disabled while TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID or TWILIO_API_KEY_SECRET is missing.
void addVoiceTokenRoutes(Router &router, const AuthService &auth, const Config &config, const Clock &clock);

} // namespace heartline
