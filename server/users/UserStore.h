#pragma once

#include <optional>

#include <QList>
#include <QString>

#include "auth/PasswordHasher.h"
#include "core/Result.h"
#include "users/Role.h"

namespace heartline {

class Clock;
class Database;
struct AuditRecord;

/// A user as listed: never carries the password hash.
struct User
{
    QString id;
    QString displayName;
    Role role = Role::Agent;
    bool disabled = false;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

/// What a login checks a password against.
struct UserCredentials
{
    User user;
    PasswordHash password;
};

/// The users table: add, list, change a password, disable, enable. Every change is committed before
/// the call returns. Changes made by people (the admin routes, the admin CLI) pass an AuditRecord:
/// it is written in the same transaction, its atMs and id filled in. Problem codes: "invalid_value"
/// (field "id", "displayName" or "password"), "not_found", "already_exists", "database_error".
class UserStore final
{
    Q_DISABLE_COPY_MOVE(UserStore)

public:
    /// The longest user id and password a user can have; a login naming longer ones is refused
    /// before any password hashing.
    static constexpr qsizetype MaxIdLength = 64;
    static constexpr qsizetype MaxPasswordLength = 1024;
    /// The shortest password anyone may set (NIST SP 800-63B's floor for passwords people choose).
    static constexpr qsizetype MinPasswordLength = 8;

    /// passwordIterations: PBKDF2 iterations for passwords set through this store.
    UserStore(const Database &database, const Clock &clock, int passwordIterations);

    [[nodiscard]] Result<User> add(const QString &id, const QString &displayName, Role role, const QString &password,
                                   AuditRecord *audit = nullptr);
    [[nodiscard]] Result<QList<User>> list() const;
    /// std::nullopt inside the result when there is no such user.
    [[nodiscard]] Result<std::optional<UserCredentials>> credentials(const QString &id) const;
    /// Also revokes the user's session tokens: a new password is usually set because the old one
    /// leaked.
    [[nodiscard]] std::optional<Problem> setPassword(const QString &id, const QString &password,
                                                     AuditRecord *audit = nullptr);
    /// Marks the user disabled and revokes every session token they hold, in one transaction.
    [[nodiscard]] std::optional<Problem> disable(const QString &id, AuditRecord *audit = nullptr);
    /// Lets a disabled user sign in again (with the password they had).
    [[nodiscard]] std::optional<Problem> enable(const QString &id, AuditRecord *audit = nullptr);
    /// std::nullopt inside the result when there is no such user.
    [[nodiscard]] Result<std::optional<User>> find(const QString &id) const;

    [[nodiscard]] int passwordIterations() const { return m_passwordIterations; }

    /// 1..MaxIdLength characters of A-Z a-z 0-9 . _ @ -
    [[nodiscard]] static std::optional<Problem> validateId(const QString &id);
    /// 1..200 characters, no control characters.
    [[nodiscard]] static std::optional<Problem> validateDisplayName(const QString &name);
    /// MinPasswordLength..MaxPasswordLength characters.
    [[nodiscard]] static std::optional<Problem> validatePassword(const QString &password);

private:
    enum class Tokens { Keep, Revoke };
    [[nodiscard]] std::optional<Problem> update(const QString &id, const QString &assignments,
                                                const QVariantList &values, const QString &what, Tokens tokens,
                                                AuditRecord *audit);

    const Database &m_database;
    const Clock &m_clock;
    int m_passwordIterations = 0;
};

} // namespace heartline
