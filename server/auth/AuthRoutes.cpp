#include "auth/AuthRoutes.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonObject>

#include "JsonResponses.h"
#include "auth/AuthService.h"
#include "http/Authorize.h"
#include "http/DeferredResponse.h"
#include "http/JsonBody.h"
#include "http/Router.h"
#include "users/UserStore.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

using Method = QHttpServerRequest::Method;

/// The user id, password and address of a login request, or the answer refusing it before any
/// password is checked.
struct LoginAttempt
{
    QString userId;
    QString password;
    QString address;
};

std::variant<LoginAttempt, QHttpServerResponse> readAttempt(const AuthService &auth, const QHttpServerRequest &request)
{
    const auto body = readJsonObject(request);
    if (!body)
        return errorResponse(body.error());
    const auto userId = requiredString(body.value(), u"userId"_s);
    if (!userId)
        return errorResponse(userId.error());
    const auto password = requiredString(body.value(), u"password"_s);
    if (!password)
        return errorResponse(password.error());

    // Locked by repeated failures: answered before any password is hashed, so guessing costs the
    // guesser time and the server nothing.
    const QString address = request.remoteAddress().toString();
    if (const std::optional<qint64> waitMs = auth.loginWaitMs(userId.value(), address)) {
        const qint64 seconds = (*waitMs + 999) / 1000;
        QHttpServerResponse refusal = errorResponse(
            ApiError::TooManyAttempts,
            u"too many failed sign-ins for this account or from this address; try again in %1 s"_s.arg(seconds));
        refusal.setHeader("Retry-After", QByteArray::number(seconds));
        return refusal;
    }
    return LoginAttempt {userId.value(), password.value(), address};
}

void answerLogin(AuthService &auth, const LoginAnswerExtras &extras, const std::shared_ptr<DeferredResponse> &answer,
                 const LoginGrant &grant)
{
    QJsonObject body {
        {u"token"_s, QString::fromLatin1(grant.token)},
        {u"role"_s, toString(grant.principal.role)},
        {u"expiresAt"_s, isoTimestamp(grant.principal.expiresAtMs)},
    };
    if (!extras) {
        answer->send(jsonResponse(body));
        return;
    }
    // The session exists already: whatever the extras bring, the login answers with its token.
    extras(grant.principal, &auth, [answer, body](const QJsonObject &extra) mutable {
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            body.insert(it.key(), it.value());
        answer->send(jsonResponse(body));
    });
}

void login(AuthService &auth, const LoginAnswerExtras &extras, const QHttpServerRequest &request,
           QHttpServerResponder &&responder)
{
    auto answer = std::make_shared<DeferredResponse>(std::move(responder));
    auto attempt = readAttempt(auth, request);
    if (auto *refusal = std::get_if<QHttpServerResponse>(&attempt)) {
        answer->send(std::move(*refusal));
        return;
    }
    const LoginAttempt &credentials = std::get<LoginAttempt>(attempt);
    // The password is checked on a worker thread; the answer follows when it is done.
    auth.login(credentials.userId, credentials.password, credentials.address, &auth,
               [&auth, extras, answer](Result<LoginGrant> grant) {
                   if (!grant)
                       answer->send(problemResponse(grant.error()));
                   else
                       answerLogin(auth, extras, answer, grant.value());
               });
}

QHttpServerResponse logout(AuthService &auth, const QHttpServerRequest &request)
{
    auto authorization = authorize(auth, request, AnyRole);
    if (auto *refusal = std::get_if<QHttpServerResponse>(&authorization))
        return std::move(*refusal);
    if (const auto problem = auth.logout(std::get<Principal>(authorization)))
        return problemResponse(*problem);
    return QHttpServerResponse(QHttpServerResponder::StatusCode::NoContent);
}

QHttpServerResponse me(const AuthService &auth, const QHttpServerRequest &request)
{
    auto authorization = authorize(auth, request, AnyRole);
    if (auto *refusal = std::get_if<QHttpServerResponse>(&authorization))
        return std::move(*refusal);
    const Principal &who = std::get<Principal>(authorization);
    return jsonResponse(QJsonObject {
        {u"userId"_s, who.userId},
        {u"role"_s, toString(who.role)},
        {u"displayName"_s, who.displayName},
        {u"expiresAt"_s, isoTimestamp(who.expiresAtMs)},
    });
}

QHttpServerResponse listUsers(const AuthService &auth, const UserStore &users, const QHttpServerRequest &request)
{
    auto authorization = authorize(auth, request, SupervisorRoles);
    if (auto *refusal = std::get_if<QHttpServerResponse>(&authorization))
        return std::move(*refusal);
    const auto listed = users.list();
    if (!listed)
        return problemResponse(listed.error());
    QJsonArray array;
    for (const User &user : listed.value())
        array.append(userJson(user, auth));
    return jsonResponse(QJsonObject {{u"users"_s, array}});
}

} // namespace

QJsonObject userJson(const User &user, const AuthService &auth)
{
    QJsonObject entry {
        {u"id"_s, user.id},
        {u"displayName"_s, user.displayName},
        {u"role"_s, toString(user.role)},
        {u"disabled"_s, user.disabled},
        {u"createdAt"_s, isoTimestamp(user.createdAtMs)},
        {u"updatedAt"_s, isoTimestamp(user.updatedAtMs)},
    };
    // Supervisors see who cannot sign in right now after too many failures, and until when.
    if (const std::optional<qint64> until = auth.loginLockedUntilMs(user.id))
        entry.insert(u"signInLockedUntil"_s, isoTimestamp(*until));
    return entry;
}

void addAuthRoutes(Router &router, AuthService &auth, LoginAnswerExtras extras)
{
    router.route(
        u"/api/auth/login"_s, Method::Post,
        [&auth, extras = std::move(extras)](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            login(auth, extras, request, std::move(responder));
        });
    router.route(u"/api/auth/logout"_s, Method::Post,
                 [&auth](const QHttpServerRequest &request) { return logout(auth, request); });
    router.route(u"/api/auth/me"_s, Method::Get,
                 [&auth](const QHttpServerRequest &request) { return me(auth, request); });
}

void addUserRoutes(Router &router, const AuthService &auth, const UserStore &users)
{
    router.route(u"/api/users"_s, Method::Get,
                 [&auth, &users](const QHttpServerRequest &request) { return listUsers(auth, users, request); });
}

} // namespace heartline
