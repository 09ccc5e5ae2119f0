#include "auth/VoiceTokenRoutes.h"

#include <QHttpServerRequest>
#include <QJsonObject>

#include "JsonResponses.h"
#include "config/Config.h"
#include "core/Clock.h"
#include "http/Authorize.h"
#include "http/Router.h"
#include "twilio/AccessToken.h"

using namespace Qt::StringLiterals;

namespace heartline {

void addVoiceTokenRoutes(Router &router, const AuthService &auth, const Config &config, const Clock &clock)
{
    const QString accountSid = config.stringValue(ConfigKey::TwilioAccountSid);
    const QString keySid = config.stringValue(ConfigKey::TwilioApiKeySid);
    const QByteArray keySecret = config.stringValue(ConfigKey::TwilioApiKeySecret).toUtf8();
    const QString appSid = config.stringValue(ConfigKey::TwilioTwimlAppSid);
    router.route(u"/api/voice/token"_s, QHttpServerRequest::Method::Get,
                 [&auth, &clock, accountSid, keySid, keySecret, appSid](const QHttpServerRequest &request) {
                     auto who = authorize(auth, request, Roles(Role::Agent));
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                         return std::move(*refusal);
                     if (accountSid.isEmpty() || keySid.isEmpty() || keySecret.isEmpty()) {
                         return errorResponse(ApiError::FeatureDisabled,
                                              u"voice tokens need TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and "
                                              "TWILIO_API_KEY_SECRET"_s);
                     }
                     AccessToken token;
                     token.accountSid = accountSid;
                     token.apiKeySid = keySid;
                     token.identity = std::get<Principal>(who).userId;
                     token.voice = VoiceGrant {true, appSid, {}};
                     const qint64 now = clock.nowSeconds();
                     return jsonResponse(QJsonObject {{u"token"_s, QString::fromLatin1(token.toJwt(keySecret, now))},
                                                      {u"identity"_s, token.identity},
                                                      {u"expiresAt"_s, isoTimestamp((now + token.ttlSeconds) * 1000)}});
                 });
}

} // namespace heartline
