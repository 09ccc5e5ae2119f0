#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include "auth/LoginThrottle.h"
#include "auth/PasswordHasher.h"
#include "core/Result.h"
#include "users/Role.h"
#include "users/UserStore.h"

namespace heartline {

class Clock;
class Counter;
class Database;
class MetricsRegistry;
class UserStore;

/// Who made a request, as established from their session token.
struct Principal
{
    QString userId;
    Role role = Role::Agent;
    QString displayName;
    qint64 expiresAtMs = 0;
    QByteArray tokenHash; ///< SHA-256 of the token, to revoke it on logout
};

/// A successful login: the token (shown to the client once, never stored) and who it names.
struct LoginGrant
{
    QByteArray token;
    Principal principal;
};

/// Logins, session tokens and their verification.
///
/// Tokens are 32 random bytes (base64url, 43 characters); the database keeps only their SHA-256.
/// Every request checks its token (every heartbeat included), so verification is served from an
/// in-memory map of token hash -> principal, loaded at start and updated on login and logout:
/// no database query per request. Expired tokens leave the map in expiry order, a few at a time, so
/// a login never walks every session.
///
/// A login's password check (PBKDF2, about 100 ms at the default iterations) runs on a pool of worker
/// threads, never on the event loop: heartbeats go on while a shift of agents signs in. At most
/// MaxPendingLogins wait for a worker; more are refused as unavailable for a moment.
///
/// The admin CLI writes the same database from another process (disabling a user, changing a
/// password), each change with an audit_log row; a timer reads the newest row's id and reloads the
/// map (and, through reloaded(), the agents' profiles) only when it moved.
class AuthService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuthService)

public:
    struct Options
    {
        qint64 tokenTtlSeconds = 43200;
        int reloadIntervalMs = 2000;
    };

    /// Counts the password checks it runs in `metrics` (heartline_password_checks_total).
    AuthService(const Database &database, const UserStore &users, const Clock &clock, MetricsRegistry &metrics,
                Options options, QObject *parent = nullptr);
    ~AuthService() override;

    /// Reads the active tokens. Call once before serving; the problem names what failed.
    [[nodiscard]] std::optional<Problem> load();
    /// Starts the timer that notices writes by other processes.
    void startWatching();

    /// Logins waiting for a password check at most; more are answered "unavailable".
    static constexpr int MaxPendingLogins = 1000;

    using LoginDone = std::function<void(Result<LoginGrant>)>;
    /// Checks the password on a worker thread, then opens the session. `done` runs once, on this
    /// object's thread (perhaps before login() returns, for a refusal that needs no hashing), and
    /// never after `context` is destroyed. Problem codes: "invalid_value" (field "userId" or
    /// "password": longer than any user's, refused before any hashing so that oversized input costs
    /// nothing), "invalid_credentials" (unknown user, wrong password and disabled user alike, in about
    /// the same time), "unavailable" (too many logins at once), "database_error". The token is
    /// committed before `done` runs.
    void login(const QString &userId, const QString &password, const QString &address, QObject *context,
               LoginDone done);
    /// Password checks started and not finished.
    [[nodiscard]] int pendingLogins() const { return m_pendingLogins; }
    /// How long a login for `userId` from `address` must wait before it is even tried (ms): repeated
    /// failures lock the id, or the address, for a while (LoginThrottle). Nothing when it may go on.
    [[nodiscard]] std::optional<qint64> loginWaitMs(const QString &userId, const QString &address) const
    {
        return m_throttle.waitMs(userId, address);
    }
    /// When the user's sign-in lock ends (server ms); nothing when it is not locked.
    [[nodiscard]] std::optional<qint64> loginLockedUntilMs(const QString &userId) const
    {
        return m_throttle.lockedUntilMs(userId);
    }
    /// Revokes the token the principal authenticated with (committed before this returns).
    [[nodiscard]] std::optional<Problem> logout(const Principal &principal);
    /// Forgets every session token of the user in memory, after this process revoked them in the
    /// database (an admin disabled the user or set a new password): their next request is 401.
    /// Returns how many were forgotten.
    qsizetype forgetUser(const QString &userId);
    /// The principal for a bearer token, or nothing when it is unknown, revoked, expired or its
    /// user is disabled. Memory only.
    [[nodiscard]] std::optional<Principal> authenticate(QByteArrayView token) const;

    /// Reloads the token map when an administration change was written since the last look.
    /// Returns true when it reloaded. The timer calls this; tests may call it directly.
    bool reloadIfChanged();

    [[nodiscard]] qsizetype activeTokenCount() const { return m_tokens.size(); }

Q_SIGNALS:
    /// The token map was reloaded after an external change.
    void reloaded();
    /// A user ended a session with POST /api/auth/logout (an agent's session ends with it).
    void loggedOut(const heartline::Principal &principal);

private:
    struct TokenEntry
    {
        QString userId;
        Role role = Role::Agent;
        QString displayName;
        qint64 expiresAtMs = 0;
    };

    [[nodiscard]] Result<qint64> readChangeMark() const;
    [[nodiscard]] std::optional<Problem> reload();
    /// Drops the tokens whose time is up, oldest first, stopping at the first that is not.
    void forgetExpired();
    void remember(const QByteArray &tokenHash, TokenEntry entry);
    /// After the password check: the session for `user` when `passwordOk`, else the refusal.
    [[nodiscard]] Result<LoginGrant> finishLogin(const std::optional<User> &user, bool passwordOk,
                                                 const QString &userId, const QString &address);

    const Database &m_database;
    const UserStore &m_users;
    const Clock &m_clock;
    Options m_options;
    LoginThrottle m_throttle {m_clock};
    QHash<QByteArray, TokenEntry> m_tokens;       ///< by SHA-256 of the token
    std::multimap<qint64, QByteArray> m_expiries; ///< expiry → token hash, for forgetExpired()
    qint64 m_changeMark = -1;                     ///< the audit log's newest row when the tokens were last read
    /// What an unknown user's password is checked against, so it takes as long; made once, by a worker.
    PasswordHash m_dummyHash;
    std::once_flag m_dummyHashMade;
    Counter &m_passwordChecks;
    QTimer m_watch;
    QThreadPool m_hashers; ///< password checks
    int m_pendingLogins = 0;
};

} // namespace heartline
