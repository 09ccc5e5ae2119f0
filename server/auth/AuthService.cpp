#include "auth/AuthService.h"

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

#include <QLoggingCategory>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include "Database.h"
#include "auth/Crypto.h"
#include "core/Clock.h"
#include "metrics/Metrics.h"
#include "users/UserStore.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcAuth, "heartline.auth")

namespace heartline {

namespace {

/// Lowers the calling worker thread's scheduling priority to the lowest (nice 19) once: on a host
/// where every core is busy, the event loop answering heartbeats runs before a password check
/// (bench_login_burst: heartbeat p99 during 20 sign-ins 23 ms at nice 10, 10 ms with SCHED_IDLE).
/// Linux nice values are per thread. Unlike SCHED_IDLE, the check keeps a share of a busy CPU, so
/// a sign-in is slower, never starved.
void yieldToRequests()
{
#ifdef Q_OS_LINUX
    thread_local bool lowered = false;
    if (lowered)
        return;
    lowered = true;
    if (setpriority(PRIO_PROCESS, id_t(gettid()), 19) != 0)
        qCDebug(lcAuth) << "could not lower a password worker's priority:" << qt_error_string(errno);
#endif
}

constexpr qsizetype TokenBytes = 32;
/// A base64url token of 32 bytes has 43 characters; anything much longer is not ours.
constexpr qsizetype MaxTokenLength = 128;

Problem databaseError(const QString &what, const QSqlError &error)
{
    return Problem {u"database_error"_s, {}, u"%1: %2"_s.arg(what, error.text())};
}

Problem invalidCredentials()
{
    return Problem {u"invalid_credentials"_s, {}, u"unknown user or wrong password"_s};
}

Problem tooLong(const QString &field, qsizetype maxLength)
{
    return Problem {u"invalid_value"_s, field, u"%1 must be at most %2 characters"_s.arg(field).arg(maxLength)};
}

} // namespace

AuthService::AuthService(const Database &database, const UserStore &users, const Clock &clock, MetricsRegistry &metrics,
                         Options options, QObject *parent)
    : QObject(parent), m_database(database), m_users(users), m_clock(clock), m_options(options),
      m_passwordChecks(metrics.counter(u"heartline_password_checks_total"_s,
                                       u"Passwords checked with PBKDF2 at login (unknown users included)."_s))
{
    m_watch.setInterval(m_options.reloadIntervalMs);
    connect(&m_watch, &QTimer::timeout, this, [this] { reloadIfChanged(); });
    // One core stays with the event loop: a shift's sign-ins must not take every core from the
    // heartbeats (20 checks at once would otherwise hold both cores of a small host for a second).
    m_hashers.setMaxThreadCount(qMax(1, QThread::idealThreadCount() - 1));
}

AuthService::~AuthService()
{
    // Workers use the dummy hash; their answers, queued to this object, are dropped with it.
    m_hashers.waitForDone();
}

std::optional<Problem> AuthService::load()
{
    // Version first: a write landing between the two is seen again on the next check.
    const auto version = readChangeMark();
    if (!version)
        return version.error();
    if (auto problem = reload())
        return problem;
    m_changeMark = version.value();
    return std::nullopt;
}

void AuthService::startWatching()
{
    m_watch.start();
}

Result<qint64> AuthService::readChangeMark() const
{
    // The newest audit row: every change to users (and profiles) the admin CLI makes writes one in
    // the same transaction. Not PRAGMA data_version: that changes with every commit of another
    // connection, and this server's own heartbeat writer commits every second.
    QSqlQuery query(m_database.connection());
    if (!query.exec(u"SELECT coalesce(max(id), 0) FROM audit_log"_s) || !query.next())
        return databaseError(u"cannot read the audit log's newest row"_s, query.lastError());
    return query.value(0).toLongLong();
}

std::optional<Problem> AuthService::reload()
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"SELECT t.token_hash, t.user_id, t.role, u.display_name, t.expires_at FROM auth_tokens t "
                  "JOIN users u ON u.id = t.user_id "
                  "WHERE t.revoked_at IS NULL AND t.expires_at > ? AND u.disabled = 0"_s);
    query.addBindValue(m_clock.nowMs());
    if (!query.exec())
        return databaseError(u"cannot load session tokens"_s, query.lastError());
    m_tokens.clear();
    m_expiries.clear();
    while (query.next()) {
        const auto role = roleFromString(query.value(2).toString());
        if (!role)
            continue;
        remember(query.value(0).toByteArray(),
                 TokenEntry {query.value(1).toString(), *role, query.value(3).toString(), query.value(4).toLongLong()});
    }
    return std::nullopt;
}

bool AuthService::reloadIfChanged()
{
    const auto version = readChangeMark();
    if (!version) {
        qCWarning(lcAuth).noquote() << version.error().message;
        return false;
    }
    if (version.value() == m_changeMark)
        return false;
    if (const auto problem = reload()) {
        // Keep the old version so the next tick tries again.
        qCWarning(lcAuth).noquote() << problem->message;
        return false;
    }
    m_changeMark = version.value();
    qCInfo(lcAuth) << "reloaded session tokens after an external change:" << m_tokens.size() << "active";
    Q_EMIT reloaded();
    return true;
}

void AuthService::remember(const QByteArray &tokenHash, TokenEntry entry)
{
    m_expiries.emplace(entry.expiresAtMs, tokenHash);
    m_tokens.insert(tokenHash, std::move(entry));
}

void AuthService::forgetExpired()
{
    const qint64 now = m_clock.nowMs();
    while (!m_expiries.empty() && m_expiries.begin()->first <= now) {
        const auto oldest = m_expiries.begin();
        // The token may have gone already (logout, a disabled user); only this expiry's entry goes.
        const auto found = m_tokens.constFind(oldest->second);
        if (found != m_tokens.constEnd() && found->expiresAtMs == oldest->first)
            m_tokens.erase(found);
        m_expiries.erase(oldest);
    }
}

void AuthService::login(const QString &userId, const QString &password, const QString &address, QObject *context,
                        LoginDone done)
{
    // No user has a longer id or password, and PBKDF2 over 60,000 characters is a cost worth refusing.
    if (userId.size() > UserStore::MaxIdLength)
        return done(tooLong(u"userId"_s, UserStore::MaxIdLength));
    if (password.size() > UserStore::MaxPasswordLength)
        return done(tooLong(u"password"_s, UserStore::MaxPasswordLength));
    if (m_pendingLogins >= MaxPendingLogins) {
        qCWarning(lcAuth) << "login of" << userId << "refused:" << m_pendingLogins << "password checks waiting";
        return done(Problem {u"unavailable"_s, {}, u"too many sign-ins at once; try again in a few seconds"_s});
    }
    forgetExpired();
    const auto found = m_users.credentials(userId);
    if (!found)
        return done(found.error());
    std::optional<User> user;
    std::optional<PasswordHash> stored;
    if (found.value() && !found.value()->user.disabled) {
        user = found.value()->user;
        stored = found.value()->password;
    } else if (found.value()) {
        qCWarning(lcAuth).nospace() << "login refused for " << userId << ": the account is disabled";
    } else {
        qCWarning(lcAuth).nospace() << "login refused for " << userId << ": no such user";
    }

    ++m_pendingLogins;
    m_passwordChecks.increment();
    QPointer<QObject> receiver(context);
    m_hashers.start([this, password, stored, user, userId, address, receiver, done = std::move(done)] {
        yieldToRequests();
        // Unknown and disabled users are checked against a dummy hash: every refusal takes as long.
        std::call_once(m_dummyHashMade, [this] {
            m_dummyHash = PasswordHasher::hash(QString::fromLatin1(secureRandomBytes(16).toHex()),
                                               m_users.passwordIterations());
        });
        const bool matches = PasswordHasher::verify(password, stored ? *stored : m_dummyHash) && stored.has_value();
        QMetaObject::invokeMethod(
            this,
            [this, matches, user, userId, address, receiver, done] {
                --m_pendingLogins;
                Result<LoginGrant> outcome = finishLogin(user, matches, userId, address);
                if (receiver)
                    done(std::move(outcome));
            },
            Qt::QueuedConnection);
    });
}

Result<LoginGrant> AuthService::finishLogin(const std::optional<User> &user, bool passwordOk, const QString &userId,
                                            const QString &address)
{
    if (!passwordOk) {
        // The answer is the same for every cause; the log tells the admin which it was. The id is
        // quoted (and escaped) as written: it comes from whoever tried.
        if (user)
            qCWarning(lcAuth).nospace() << "login refused for " << userId << ": wrong password";
        m_throttle.failed(userId, address);
        return invalidCredentials();
    }
    const QByteArray token
        = secureRandomBytes(TokenBytes).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArray tokenHash = sha256(token);
    const qint64 now = m_clock.nowMs();
    const qint64 expiresAt = now + m_options.tokenTtlSeconds * 1000;

    QSqlQuery insert(m_database.connection());
    insert.prepare(u"INSERT INTO auth_tokens (token_hash, user_id, role, created_at, expires_at) "
                   "VALUES (?, ?, ?, ?, ?)"_s);
    for (const QVariant &value : QVariantList {tokenHash, user->id, toString(user->role), now, expiresAt})
        insert.addBindValue(value);
    if (!insert.exec())
        return databaseError(u"cannot store the session of %1"_s.arg(user->id), insert.lastError());

    remember(tokenHash, TokenEntry {user->id, user->role, user->displayName, expiresAt});
    m_throttle.succeeded(user->id, address);
    qCInfo(lcAuth).noquote() << "login:" << user->id << toString(user->role);
    return LoginGrant {token, Principal {user->id, user->role, user->displayName, expiresAt, tokenHash}};
}

std::optional<Problem> AuthService::logout(const Principal &principal)
{
    QSqlQuery revoke(m_database.connection());
    revoke.prepare(u"UPDATE auth_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL"_s);
    revoke.addBindValue(m_clock.nowMs());
    revoke.addBindValue(principal.tokenHash);
    if (!revoke.exec())
        return databaseError(u"cannot end the session of %1"_s.arg(principal.userId), revoke.lastError());
    m_tokens.remove(principal.tokenHash);
    qCInfo(lcAuth).noquote() << "logout:" << principal.userId;
    Q_EMIT loggedOut(principal);
    return std::nullopt;
}

qsizetype AuthService::forgetUser(const QString &userId)
{
    // A walk of every token, but only for an admin's change to one user, never per request.
    const qsizetype forgotten
        = m_tokens.removeIf([&userId](const auto &entry) { return entry.value().userId == userId; });
    if (forgotten > 0)
        qCInfo(lcAuth).noquote() << "ended" << forgotten << "session(s) of" << userId;
    return forgotten;
}

std::optional<Principal> AuthService::authenticate(QByteArrayView token) const
{
    if (token.isEmpty() || token.size() > MaxTokenLength)
        return std::nullopt;
    const QByteArray tokenHash = sha256(token);
    const auto found = m_tokens.constFind(tokenHash);
    if (found == m_tokens.constEnd() || found->expiresAtMs <= m_clock.nowMs())
        return std::nullopt;
    return Principal {found->userId, found->role, found->displayName, found->expiresAtMs, tokenHash};
}

} // namespace heartline
