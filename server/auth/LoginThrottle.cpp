#include "auth/LoginThrottle.h"

#include <algorithm>

#include "core/Clock.h"

namespace heartline {

std::optional<qint64> LoginThrottle::remainingMs(const Table &table, const QString &key) const
{
    const auto found = table.constFind(key);
    if (found == table.constEnd())
        return std::nullopt;
    const qint64 left = found->lockedUntilMs - m_clock.nowMs();
    return left > 0 ? std::optional<qint64>(left) : std::nullopt;
}

std::optional<qint64> LoginThrottle::waitMs(const QString &userId, const QString &address) const
{
    const std::optional<qint64> user = remainingMs(m_byUser, userId);
    const std::optional<qint64> from = remainingMs(m_byAddress, address);
    if (user && from)
        return std::max(*user, *from);
    return user ? user : from;
}

std::optional<qint64> LoginThrottle::lockedUntilMs(const QString &userId) const
{
    if (!remainingMs(m_byUser, userId))
        return std::nullopt;
    return m_byUser.value(userId).lockedUntilMs;
}

void LoginThrottle::count(Table &table, const QString &key, int threshold)
{
    const qint64 now = m_clock.nowMs();
    Failures &failures = table[key];
    if (failures.lastAtMs != 0 && now - failures.lastAtMs > m_limits.forgetAfterMs)
        failures = {};
    ++failures.count;
    failures.lastAtMs = now;
    if (failures.count >= threshold) {
        // 30 s at the threshold, then twice as long with every further failure, up to the cap.
        const int doublings = std::min(failures.count - threshold, 20);
        const qint64 lock = std::min(m_limits.maxLockMs, m_limits.firstLockMs << doublings);
        failures.lockedUntilMs = now + lock;
    }
    keepBounded(table);
}

void LoginThrottle::failed(const QString &userId, const QString &address)
{
    count(m_byUser, userId, m_limits.userFailures);
    count(m_byAddress, address, m_limits.addressFailures);
}

void LoginThrottle::succeeded(const QString &userId, const QString &address)
{
    m_byUser.remove(userId);
    // Many people may sign in from one address (an office behind one router, a reverse proxy): a
    // good sign-in from it ends the run of failures there. Each account keeps its own count.
    m_byAddress.remove(address);
}

void LoginThrottle::keepBounded(Table &table)
{
    if (table.size() <= MaxTracked)
        return;
    // Forget the stalest tenth at once, so this walk is rare.
    QList<qint64> times;
    times.reserve(table.size());
    for (const Failures &failures : std::as_const(table))
        times.append(failures.lastAtMs);
    const auto cut = times.begin() + times.size() / 10;
    std::nth_element(times.begin(), cut, times.end());
    const qint64 oldest = *cut;
    table.removeIf([oldest](const Table::iterator &it) { return it->lastAtMs <= oldest; });
}

} // namespace heartline
