#include "queues/WaitingLine.h"

namespace heartline {

WaitingCaller &WaitingLine::insert(WaitingCaller caller)
{
    if (WaitingCaller *already = find(caller.callSid))
        return *already;
    const Key key {caller.firstEnqueuedAtMs, caller.arrival, caller.callSid};
    m_keys.insert(caller.callSid, key);
    return m_callers.emplace(key, std::move(caller)).first->second;
}

bool WaitingLine::moveEarlier(const QString &callSid, qint64 firstEnqueuedAtMs)
{
    const auto key = m_keys.constFind(callSid);
    if (key == m_keys.constEnd() || firstEnqueuedAtMs >= std::get<0>(key.value()))
        return false;
    std::optional<WaitingCaller> caller = take(callSid);
    caller->firstEnqueuedAtMs = firstEnqueuedAtMs;
    insert(std::move(*caller));
    return true;
}

std::optional<WaitingCaller> WaitingLine::take(const QString &callSid)
{
    const auto key = m_keys.constFind(callSid);
    if (key == m_keys.constEnd())
        return std::nullopt;
    const auto it = m_callers.find(key.value());
    m_keys.erase(key);
    WaitingCaller caller = std::move(it->second);
    m_callers.erase(it);
    return caller;
}

WaitingCaller *WaitingLine::find(const QString &callSid)
{
    const auto key = m_keys.constFind(callSid);
    if (key == m_keys.constEnd())
        return nullptr;
    const auto it = m_callers.find(key.value());
    return it == m_callers.end() ? nullptr : &it->second;
}

const WaitingCaller *WaitingLine::find(const QString &callSid) const
{
    return const_cast<WaitingLine *>(this)->find(callSid);
}

WaitingLine::Offer WaitingLine::next(qint64 nowMs, qint64 confirmWithinMs)
{
    for (auto &[key, caller] : m_callers) {
        if (!caller.handingOffTo.isEmpty())
            continue;
        if (caller.atTwilio)
            return {&caller, false};
        if (nowMs - caller.stayStartedMs < confirmWithinMs)
            return {nullptr, true};
    }
    return {};
}

void WaitingLine::confirmAll()
{
    for (auto &[key, caller] : m_callers)
        caller.atTwilio = true;
}

int WaitingLine::position(const QString &callSid) const
{
    const auto key = m_keys.constFind(callSid);
    if (key == m_keys.constEnd())
        return 0;
    const auto at = m_callers.find(key.value());
    return int(std::distance(m_callers.begin(), at)) + 1;
}

const WaitingCaller *WaitingLine::front() const
{
    return m_callers.empty() ? nullptr : &m_callers.begin()->second;
}

} // namespace heartline
