#pragma once

#include <optional>

#include <QHash>
#include <QString>

namespace heartline {

class Clock;

/// Slows down password guessing: failed sign-ins are counted per user id and per client address;
/// past a number of failures in a row the id (or the address) is locked for a while, longer with
/// every further failure, and a login for it is answered 429 with Retry-After before any password
/// is checked. A lock ends by itself; a successful login clears the id's count and the address's.
///
/// Memory is bounded: at most MaxTracked ids and addresses are remembered, the stalest forgotten
/// first, so someone trying a million names cannot grow the server.
class LoginThrottle final
{
public:
    struct Limits
    {
        int userFailures = 5;               ///< in a row, for one user id, before it is locked
        int addressFailures = 20;           ///< in a row, from one address (any ids), before it is locked
        qint64 firstLockMs = 30'000;        ///< doubling with every further failure...
        qint64 maxLockMs = 15 * 60'000;     ///< ...up to this
        qint64 forgetAfterMs = 60 * 60'000; ///< failures older than this no longer count
    };
    static constexpr qsizetype MaxTracked = 100'000;

    explicit LoginThrottle(const Clock &clock) : LoginThrottle(clock, Limits {}) { }
    LoginThrottle(const Clock &clock, Limits limits) : m_clock(clock), m_limits(limits) { }

    /// How long a login for `userId` from `address` must wait (ms), or nothing when it may go on.
    [[nodiscard]] std::optional<qint64> waitMs(const QString &userId, const QString &address) const;
    void failed(const QString &userId, const QString &address);
    void succeeded(const QString &userId, const QString &address);

    /// When the user id's lock ends (server ms), for supervisors; nothing when it is not locked.
    [[nodiscard]] std::optional<qint64> lockedUntilMs(const QString &userId) const;

private:
    struct Failures
    {
        int count = 0;
        qint64 lastAtMs = 0;
        qint64 lockedUntilMs = 0;
    };
    using Table = QHash<QString, Failures>;

    void count(Table &table, const QString &key, int threshold);
    [[nodiscard]] std::optional<qint64> remainingMs(const Table &table, const QString &key) const;
    static void keepBounded(Table &table);

    const Clock &m_clock;
    Limits m_limits;
    Table m_byUser;
    Table m_byAddress;
};

} // namespace heartline
