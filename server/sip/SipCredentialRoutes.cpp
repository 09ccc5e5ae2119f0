#include "sip/SipCredentialRoutes.h"

#include <memory>

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>

#include "JsonResponses.h"
#include "auth/AuthService.h"
#include "http/Authorize.h"
#include "http/DeferredResponse.h"
#include "http/Router.h"
#include "sip/SipCredentialService.h"

using namespace Qt::StringLiterals;

namespace heartline {

LoginAnswerExtras sipLoginExtras(SipCredentialService &credentials)
{
    return [&credentials](const Principal &who, QObject *context, std::function<void(const QJsonObject &)> done) {
        if (who.role != Role::Agent) {
            done({});
            return;
        }
        credentials.issue(who.userId, context, [done = std::move(done)](const SipCredentials &account) {
            done(QJsonObject {{u"sip"_s, toJson(account)}});
        });
    };
}

void addSipCredentialRoutes(Router &router, AuthService &auth, SipCredentialService *credentials)
{
    router.route(
        u"/api/voice/sip-credentials"_s, QHttpServerRequest::Method::Post,
        [&auth, credentials](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            auto answer = std::make_shared<DeferredResponse>(std::move(responder));
            auto who = authorize(auth, request, Roles(Role::Agent));
            if (auto *refusal = std::get_if<QHttpServerResponse>(&who)) {
                answer->send(std::move(*refusal));
                return;
            }
            if (!credentials) {
                answer->send(errorResponse(ApiError::FeatureDisabled,
                                           u"SIP credentials need SIP_DOMAIN: this server dials agents as "
                                           "Voice SDK clients"_s));
                return;
            }
            credentials->issue(std::get<Principal>(who).userId, &auth, [answer](const SipCredentials &account) {
                if (account.status == SipCredentials::Status::Ready) {
                    answer->send(jsonResponse(QJsonObject {{u"sip"_s, toJson(account)}}));
                    return;
                }
                // The standard error body, with the account beside it so the app reads one shape.
                QJsonObject body {
                    {u"error"_s, QJsonObject {{u"code"_s, u"unavailable"_s}, {u"message"_s, account.reason}}},
                    {u"sip"_s, toJson(account)}};
                QHttpServerResponse response = jsonResponse(body, httpStatus(ApiError::Unavailable));
                if (account.retryAfterSeconds)
                    response.setHeader("Retry-After", QByteArray::number(*account.retryAfterSeconds));
                answer->send(std::move(response));
            });
        });
}

} // namespace heartline
