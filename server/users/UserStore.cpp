#include "users/UserStore.h"

#include <algorithm>

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include "Database.h"
#include "admin/AuditLog.h"
#include "core/Clock.h"
#include "store/WriteTransaction.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr qsizetype MaxDisplayNameLength = 200;

Problem databaseError(const QString &what, const QSqlError &error)
{
    return Problem {u"database_error"_s, {}, u"%1: %2"_s.arg(what, error.text())};
}

Problem notFound(const QString &id)
{
    return Problem {u"not_found"_s, u"id"_s, u"no user with id %1"_s.arg(id)};
}

User userFromRow(const QSqlQuery &query)
{
    User user;
    user.id = query.value(0).toString();
    user.displayName = query.value(1).toString();
    user.role = roleFromString(query.value(2).toString()).value_or(Role::Agent);
    user.disabled = query.value(3).toInt() != 0;
    user.createdAtMs = query.value(4).toLongLong();
    user.updatedAtMs = query.value(5).toLongLong();
    return user;
}

const QString userColumns = u"id, display_name, role, disabled, created_at, updated_at"_s;

} // namespace

UserStore::UserStore(const Database &database, const Clock &clock, int passwordIterations)
    : m_database(database), m_clock(clock), m_passwordIterations(passwordIterations)
{ }

std::optional<Problem> UserStore::validateId(const QString &id)
{
    // anchoredPattern, not ^...$: "$" would also accept a trailing newline.
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(u"[A-Za-z0-9._@-]{1,%1}"_s.arg(MaxIdLength)));
    if (pattern.match(id).hasMatch())
        return std::nullopt;
    return Problem {
        u"invalid_value"_s, u"id"_s,
        u"user id \"%1\" is not accepted: use 1 to %2 characters of A-Z a-z 0-9 . _ @ -"_s.arg(id).arg(MaxIdLength)};
}

std::optional<Problem> UserStore::validateDisplayName(const QString &name)
{
    const bool hasControl
        = std::any_of(name.cbegin(), name.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
    if (name.trimmed().isEmpty() || name.size() > MaxDisplayNameLength || hasControl) {
        return Problem {
            u"invalid_value"_s, u"displayName"_s,
            u"the display name must be 1 to %1 characters without control characters"_s.arg(MaxDisplayNameLength)};
    }
    return std::nullopt;
}

std::optional<Problem> UserStore::validatePassword(const QString &password)
{
    if (password.isEmpty())
        return Problem {u"invalid_value"_s, u"password"_s, u"the password must not be empty"_s};
    if (password.size() < MinPasswordLength) {
        return Problem {u"invalid_value"_s, u"password"_s,
                        u"the password must be at least %1 characters"_s.arg(MinPasswordLength)};
    }
    if (password.size() > MaxPasswordLength) {
        return Problem {u"invalid_value"_s, u"password"_s,
                        u"the password must be at most %1 characters"_s.arg(MaxPasswordLength)};
    }
    return std::nullopt;
}

Result<User> UserStore::add(const QString &id, const QString &displayName, Role role, const QString &password,
                            AuditRecord *audit)
{
    for (const auto &problem : {validateId(id), validateDisplayName(displayName), validatePassword(password)}) {
        if (problem)
            return *problem;
    }
    const PasswordHash hash = PasswordHasher::hash(password, m_passwordIterations);
    const qint64 now = m_clock.nowMs();

    WriteTransaction transaction(m_database.connection());
    if (const auto error = transaction.beginError())
        return databaseError(u"cannot add user %1"_s.arg(id), *error);
    {
        QSqlQuery exists(m_database.connection());
        exists.prepare(u"SELECT 1 FROM users WHERE id = ?"_s);
        exists.addBindValue(id);
        if (!exists.exec())
            return databaseError(u"cannot add user %1"_s.arg(id), exists.lastError());
        if (exists.next())
            return Problem {u"already_exists"_s, u"id"_s, u"a user with id %1 already exists"_s.arg(id)};
    }
    {
        QSqlQuery insert(m_database.connection());
        insert.prepare(u"INSERT INTO users (id, display_name, role, password_hash, password_salt, "
                       "password_iterations, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)"_s);
        for (const QVariant &value :
             QVariantList {id, displayName, toString(role), hash.hash, hash.salt, hash.iterations, now, now}) {
            insert.addBindValue(value);
        }
        if (!insert.exec())
            return databaseError(u"cannot add user %1"_s.arg(id), insert.lastError());
    }
    if (const auto error = auditlog::append(m_database.connection(), audit, now))
        return databaseError(u"cannot add user %1"_s.arg(id), *error);
    if (const auto error = transaction.commit())
        return databaseError(u"cannot add user %1"_s.arg(id), *error);
    return User {id, displayName, role, false, now, now};
}

Result<QList<User>> UserStore::list() const
{
    QSqlQuery query(m_database.connection());
    if (!query.exec(u"SELECT %1 FROM users ORDER BY id"_s.arg(userColumns)))
        return databaseError(u"cannot list users"_s, query.lastError());
    QList<User> users;
    while (query.next())
        users.append(userFromRow(query));
    return users;
}

Result<std::optional<UserCredentials>> UserStore::credentials(const QString &id) const
{
    QSqlQuery query(m_database.connection());
    query.prepare(
        u"SELECT %1, password_hash, password_salt, password_iterations FROM users WHERE id = ?"_s.arg(userColumns));
    query.addBindValue(id);
    if (!query.exec())
        return databaseError(u"cannot read user %1"_s.arg(id), query.lastError());
    if (!query.next())
        return std::optional<UserCredentials>();
    UserCredentials found;
    found.user = userFromRow(query);
    found.password.hash = query.value(6).toByteArray();
    found.password.salt = query.value(7).toByteArray();
    found.password.iterations = query.value(8).toInt();
    return std::optional<UserCredentials>(std::move(found));
}

Result<std::optional<User>> UserStore::find(const QString &id) const
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"SELECT %1 FROM users WHERE id = ?"_s.arg(userColumns));
    query.addBindValue(id);
    if (!query.exec())
        return databaseError(u"cannot read user %1"_s.arg(id), query.lastError());
    if (!query.next())
        return std::optional<User>();
    return std::optional<User>(userFromRow(query));
}

std::optional<Problem> UserStore::setPassword(const QString &id, const QString &password, AuditRecord *audit)
{
    if (const auto problem = validatePassword(password))
        return problem;
    const PasswordHash hash = PasswordHasher::hash(password, m_passwordIterations);
    return update(id, u"password_hash = ?, password_salt = ?, password_iterations = ?"_s,
                  {hash.hash, hash.salt, hash.iterations}, u"set the password of"_s, Tokens::Revoke, audit);
}

std::optional<Problem> UserStore::disable(const QString &id, AuditRecord *audit)
{
    return update(id, u"disabled = 1"_s, {}, u"disable"_s, Tokens::Revoke, audit);
}

std::optional<Problem> UserStore::enable(const QString &id, AuditRecord *audit)
{
    return update(id, u"disabled = 0"_s, {}, u"enable"_s, Tokens::Keep, audit);
}

std::optional<Problem> UserStore::update(const QString &id, const QString &assignments, const QVariantList &values,
                                         const QString &what, Tokens tokens, AuditRecord *audit)
{
    const QString context = u"cannot %1 user %2"_s.arg(what, id);
    const qint64 now = m_clock.nowMs();
    WriteTransaction transaction(m_database.connection());
    if (const auto error = transaction.beginError())
        return databaseError(context, *error);
    {
        QSqlQuery update(m_database.connection());
        update.prepare(u"UPDATE users SET %1, updated_at = ? WHERE id = ?"_s.arg(assignments));
        for (const QVariant &value : values)
            update.addBindValue(value);
        update.addBindValue(now);
        update.addBindValue(id);
        if (!update.exec())
            return databaseError(context, update.lastError());
        if (update.numRowsAffected() == 0)
            return notFound(id);
    }
    if (tokens == Tokens::Revoke) {
        QSqlQuery revoke(m_database.connection());
        revoke.prepare(u"UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"_s);
        revoke.addBindValue(now);
        revoke.addBindValue(id);
        if (!revoke.exec())
            return databaseError(context, revoke.lastError());
    }
    if (const auto error = auditlog::append(m_database.connection(), audit, now))
        return databaseError(context, *error);
    if (const auto error = transaction.commit())
        return databaseError(context, *error);
    return std::nullopt;
}

} // namespace heartline
