#include "connection/AdminApi.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

Problem unreadable(const QString &what)
{
    return Problem {u"unreadable_answer"_s, {}, u"The server's answer has no readable %1."_s.arg(what)};
}

std::optional<QJsonArray> arrayIn(const QByteArray &body, const QString &key)
{
    const QJsonValue value = QJsonDocument::fromJson(body).object().value(key);
    if (!value.isArray())
        return std::nullopt;
    return value.toArray();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString pathOf(const QString &id, const QString &action)
{
    return u"/api/admin/users/%1/%2"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(id)), action);
}

} // namespace

Result<QList<AdminUser>> parseAdminUsers(const QByteArray &body)
{
    const auto array = arrayIn(body, u"users"_s);
    if (!array)
        return unreadable(u"users"_s);
    QList<AdminUser> users;
    for (const QJsonValue entry : *array) {
        const QJsonObject object = entry.toObject();
        AdminUser user;
        user.id = object.value(u"id").toString();
        if (user.id.isEmpty())
            return unreadable(u"user id"_s);
        user.displayName = object.value(u"displayName").toString();
        user.role = object.value(u"role").toString();
        user.disabled = object.value(u"disabled").toBool();
        if (const QJsonValue locked = object.value(u"signInLockedUntil"); locked.isString())
            user.signInLockedUntilMs = QDateTime::fromString(locked.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
        if (const QJsonValue value = object.value(u"profile"); value.isObject()) {
            const QJsonObject profile = value.toObject();
            AdminProfile read;
            for (const QJsonValue skill : profile.value(u"skills").toArray())
                read.skills.append(skill.toString());
            read.priority = profile.value(u"priority").toInt();
            read.maxConcurrentCalls = profile.value(u"maxConcurrentCalls").toInt(1);
            read.wrapUpSeconds = profile.value(u"wrapUpSeconds").toInt();
            read.maxNoAnswer = profile.value(u"maxNoAnswer").toInt();
            user.profile = read;
        }
        users.append(user);
    }
    return users;
}

Result<QList<SupervisorAdminChange>> parseAuditLog(const QByteArray &body)
{
    const auto array = arrayIn(body, u"changes"_s);
    if (!array)
        return unreadable(u"changes"_s);
    QList<SupervisorAdminChange> changes;
    for (const QJsonValue entry : *array) {
        const QJsonObject object = entry.toObject();
        changes.append(SupervisorAdminChange {object.value(u"id").toInteger(), object.value(u"atMs").toInteger(),
                                              object.value(u"actor").toString(), object.value(u"action").toString(),
                                              object.value(u"target").toString(), object.value(u"detail").toObject()});
    }
    return changes;
}

void AdminApi::users(QObject *context, Callback<QList<AdminUser>> done)
{
    m_api.send("GET", u"/api/admin/users"_s, {}, {}, context, [done](Result<QByteArray> body) {
        done(body ? parseAdminUsers(body.value()) : Result<QList<AdminUser>>(body.error()));
    });
}

void AdminApi::addUser(const QString &id, const QString &displayName, const QString &role, const QString &password,
                       QObject *context, Done done)
{
    QJsonObject body {{u"userId"_s, id}, {u"password"_s, password}, {u"role"_s, role}};
    if (!displayName.isEmpty())
        body.insert(u"name"_s, displayName);
    m_api.send("POST", u"/api/admin/users"_s, {}, compact(body), context, std::move(done));
}

void AdminApi::setDisabled(const QString &id, bool disabled, QObject *context, Done done)
{
    m_api.send("POST", pathOf(id, disabled ? u"disable"_s : u"enable"_s), {}, {}, context, std::move(done));
}

void AdminApi::setPassword(const QString &id, const QString &password, QObject *context, Done done)
{
    m_api.send("POST", pathOf(id, u"password"_s), {}, compact({{u"password"_s, password}}), context, std::move(done));
}

void AdminApi::changeProfile(const QString &agentId, const AdminProfile &profile, QObject *context, Done done)
{
    const QJsonObject body {{u"skills"_s, QJsonArray::fromStringList(profile.skills)},
                            {u"priority"_s, profile.priority},
                            {u"maxConcurrentCalls"_s, profile.maxConcurrentCalls},
                            {u"wrapUpSeconds"_s, profile.wrapUpSeconds},
                            {u"maxNoAnswer"_s, profile.maxNoAnswer}};
    const QString path = u"/api/admin/agents/%1/profile"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(agentId)));
    m_api.send("PATCH", path, {}, compact(body), context, std::move(done));
}

void AdminApi::reloadRouting(QObject *context, Done done)
{
    m_api.send("POST", u"/api/admin/routing/reload"_s, {}, {}, context, std::move(done));
}

void AdminApi::auditLog(int limit, QObject *context, Callback<QList<SupervisorAdminChange>> done)
{
    m_api.send("GET", u"/api/admin/audit"_s, {{u"limit"_s, QString::number(limit)}}, {}, context,
               [done](Result<QByteArray> body) {
                   done(body ? parseAuditLog(body.value()) : Result<QList<SupervisorAdminChange>>(body.error()));
               });
}

} // namespace heartline
