#include "admin/AdminRoutes.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonObject>

#include "JsonResponses.h"
#include "admin/AdminService.h"
#include "auth/AuthRoutes.h"
#include "auth/AuthService.h"
#include "http/Authorize.h"
#include "http/JsonBody.h"
#include "http/QueryParams.h"
#include "http/Router.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

using Method = QHttpServerRequest::Method;
using Status = QHttpServerResponder::StatusCode;

constexpr int DefaultAuditLimit = 100;
constexpr int MaxAuditLimit = 1000;

/// A body may name only these fields, so a misspelt one ("maxCals") is refused instead of ignored.
std::optional<HttpError> onlyFields(const QJsonObject &body, const QStringList &accepted)
{
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        if (!accepted.contains(it.key())) {
            return HttpError {ApiError::InvalidValue,
                              u"unknown field %1 (accepted: %2)"_s.arg(it.key(), accepted.join(u", "_s)), it.key()};
        }
    }
    return std::nullopt;
}

/// The JSON object body of a request, naming only `accepted` fields.
Result<QJsonObject, HttpError> readBody(const QHttpServerRequest &request, const QStringList &accepted)
{
    auto body = readJsonObject(request);
    if (!body)
        return body.error();
    if (auto error = onlyFields(body.value(), accepted))
        return *error;
    return body;
}

/// An optional whole number: absent, or a JSON number without a fraction.
Result<std::optional<int>, HttpError> optionalInt(const QJsonObject &body, const QString &field)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined())
        return std::optional<int>();
    const double number = value.toDouble();
    if (!value.isDouble() || number != double(qint64(number)) || qAbs(number) > 2e9)
        return HttpError {ApiError::WrongType, u"%1 must be a whole number"_s.arg(field), field};
    return std::optional<int>(int(number));
}

Result<std::optional<QStringList>, HttpError> optionalStrings(const QJsonObject &body, const QString &field)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined())
        return std::optional<QStringList>();
    if (!value.isArray())
        return HttpError {ApiError::WrongType, u"%1 must be an array of strings"_s.arg(field), field};
    QStringList strings;
    for (const QJsonValue item : value.toArray()) {
        if (!item.isString())
            return HttpError {ApiError::WrongType, u"%1 must be an array of strings"_s.arg(field), field};
        strings.append(item.toString());
    }
    return std::optional<QStringList>(strings);
}

Result<ProfileChanges, HttpError> profileChanges(const QJsonObject &body)
{
    if (auto error
        = onlyFields(body, {u"skills"_s, u"priority"_s, u"maxConcurrentCalls"_s, u"wrapUpSeconds"_s, u"maxNoAnswer"_s}))
        return *error;
    ProfileChanges changes;
    auto skills = optionalStrings(body, u"skills"_s);
    if (!skills)
        return skills.error();
    changes.skills = skills.value();
    const std::pair<QString, std::optional<int> *> numbers[] = {
        {u"priority"_s, &changes.priority},
        {u"maxConcurrentCalls"_s, &changes.maxConcurrentCalls},
        {u"wrapUpSeconds"_s, &changes.wrapUpSeconds},
        {u"maxNoAnswer"_s, &changes.maxNoAnswer},
    };
    for (const auto &[field, target] : numbers) {
        auto value = optionalInt(body, field);
        if (!value)
            return value.error();
        *target = value.value();
    }
    return changes;
}

QJsonObject profileJson(const AgentProfile &profile)
{
    return QJsonObject {{u"agentId"_s, profile.agentId},
                        {u"displayName"_s, profile.displayName},
                        {u"skills"_s, QJsonArray::fromStringList(profile.skills)},
                        {u"priority"_s, profile.priority},
                        {u"maxConcurrentCalls"_s, profile.maxConcurrentCalls},
                        {u"wrapUpSeconds"_s, profile.wrapUpSeconds},
                        {u"maxNoAnswer"_s, profile.maxNoAnswer}};
}

/// The admin asking, or the refusal (401 without a valid token, 403 for any other role).
std::variant<Principal, QHttpServerResponse> admin(const AuthService &auth, const QHttpServerRequest &request)
{
    return authorize(auth, request, Role::Admin);
}

QHttpServerResponse userAnswer(const Result<User> &user, const AuthService &auth, Status status = Status::Ok)
{
    if (!user)
        return problemResponse(user.error());
    return jsonResponse(QJsonObject {{u"user"_s, userJson(user.value(), auth)}}, status);
}

} // namespace

void addAdminRoutes(Router &router, const AuthService &auth, AdminService &service)
{
    router.route(u"/api/admin/users"_s, Method::Get, [&auth, &service](const QHttpServerRequest &request) {
        auto who = admin(auth, request);
        if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
            return std::move(*refusal);
        const auto users = service.users();
        if (!users)
            return problemResponse(users.error());
        QJsonArray array;
        for (const User &user : users.value()) {
            QJsonObject entry = userJson(user, auth);
            if (user.role == Role::Agent) {
                if (const auto profile = service.profile(user.id))
                    entry.insert(u"profile"_s, profileJson(profile.value()));
            }
            array.append(entry);
        }
        return jsonResponse(QJsonObject {{u"users"_s, array}});
    });

    router.route(u"/api/admin/users"_s, Method::Post, [&auth, &service](const QHttpServerRequest &request) {
        auto who = admin(auth, request);
        if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
            return std::move(*refusal);
        const auto body = readBody(request, {u"userId"_s, u"password"_s, u"role"_s, u"name"_s});
        if (!body)
            return errorResponse(body.error());
        const auto userId = requiredString(body.value(), u"userId"_s);
        if (!userId)
            return errorResponse(userId.error());
        const auto password = requiredString(body.value(), u"password"_s);
        if (!password)
            return errorResponse(password.error());
        const auto roleText = requiredString(body.value(), u"role"_s);
        if (!roleText)
            return errorResponse(roleText.error());
        const auto role = roleFromString(roleText.value());
        if (!role) {
            return errorResponse(ApiError::InvalidValue,
                                 u"role must be %1, got \"%2\""_s.arg(acceptedRoles(), roleText.value()), u"role"_s);
        }
        QString name = userId.value();
        if (body->contains(u"name"_s)) {
            const auto given = requiredString(body.value(), u"name"_s);
            if (!given)
                return errorResponse(given.error());
            name = given.value();
        }
        const auto added
            = service.addUser(std::get<Principal>(who).userId, userId.value(), name, *role, password.value());
        return userAnswer(added, auth, Status::Created);
    });

    using UserChange = Result<User> (AdminService::*)(const QString &actor, const QString &id);
    const std::pair<QString, UserChange> userChanges[] = {
        {u"/api/admin/users/<arg>/disable"_s, &AdminService::disableUser},
        {u"/api/admin/users/<arg>/enable"_s, &AdminService::enableUser},
    };
    for (const auto &[path, change] : userChanges) {
        router.route(path, Method::Post,
                     [&auth, &service, change](const QString &userId, const QHttpServerRequest &request) {
                         auto who = admin(auth, request);
                         if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                             return std::move(*refusal);
                         return userAnswer((service.*change)(std::get<Principal>(who).userId, userId), auth);
                     });
    }

    router.route(u"/api/admin/users/<arg>/password"_s, Method::Post,
                 [&auth, &service](const QString &userId, const QHttpServerRequest &request) {
                     auto who = admin(auth, request);
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                         return std::move(*refusal);
                     const auto body = readBody(request, {u"password"_s});
                     if (!body)
                         return errorResponse(body.error());
                     const auto password = requiredString(body.value(), u"password"_s);
                     if (!password)
                         return errorResponse(password.error());
                     return userAnswer(service.setPassword(std::get<Principal>(who).userId, userId, password.value()),
                                       auth);
                 });

    router.route(u"/api/admin/agents/<arg>/profile"_s, Method::Get,
                 [&auth, &service](const QString &agentId, const QHttpServerRequest &request) {
                     auto who = admin(auth, request);
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                         return std::move(*refusal);
                     const auto profile = service.profile(agentId);
                     if (!profile)
                         return problemResponse(profile.error());
                     return jsonResponse(QJsonObject {{u"profile"_s, profileJson(profile.value())}});
                 });

    router.route(
        u"/api/admin/agents/<arg>/profile"_s, Method::Patch,
        [&auth, &service](const QString &agentId, const QHttpServerRequest &request) {
            auto who = admin(auth, request);
            if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                return std::move(*refusal);
            const auto body = readBody(
                request, {u"skills"_s, u"priority"_s, u"maxConcurrentCalls"_s, u"wrapUpSeconds"_s, u"maxNoAnswer"_s});
            if (!body)
                return errorResponse(body.error());
            const auto changes = profileChanges(body.value());
            if (!changes)
                return errorResponse(changes.error());
            const auto changed = service.changeProfile(std::get<Principal>(who).userId, agentId, changes.value());
            if (!changed)
                return problemResponse(changed.error());
            return jsonResponse(QJsonObject {{u"profile"_s, profileJson(changed.value())}});
        });

    router.route(u"/api/admin/routing/reload"_s, Method::Post, [&auth, &service](const QHttpServerRequest &request) {
        auto who = admin(auth, request);
        if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
            return std::move(*refusal);
        const auto queues = service.reloadRouting(std::get<Principal>(who).userId);
        if (!queues)
            return problemResponse(queues.error());
        return jsonResponse(QJsonObject {{u"queues"_s, QJsonArray::fromStringList(queues.value())}});
    });

    router.route(u"/api/admin/audit"_s, Method::Get, [&auth, &service](const QHttpServerRequest &request) {
        auto who = admin(auth, request);
        if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
            return std::move(*refusal);
        QueryParams query(request.query(), {u"limit"_s});
        const int limit = query.integer(u"limit"_s, 1, MaxAuditLimit, DefaultAuditLimit);
        if (const auto error = query.error())
            return errorResponse(*error);
        const auto records = service.recentChanges(limit);
        if (!records)
            return problemResponse(records.error());
        QJsonArray array;
        for (const AuditRecord &record : records.value())
            array.append(record.toJson());
        return jsonResponse(QJsonObject {{u"changes"_s, array}});
    });
}

} // namespace heartline
