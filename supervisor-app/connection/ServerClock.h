#pragma once

#include <optional>

#include "core/Clock.h"

namespace heartline {

/// The server's "now" as seen from this machine: the local clock plus the offset measured from the
/// last serverTimeMs the server sent. Heartbeat ages and call durations are computed against it, so a
/// supervisor whose desk clock is a minute off still sees "4 s ago" for a heartbeat 4 s old.
class ServerClock final : public Clock
{
public:
    explicit ServerClock(const Clock &local) : m_local(local) { }

    /// A message stamped `serverTimeMs` just arrived.
    void sync(qint64 serverTimeMs) { m_offsetMs = serverTimeMs - m_local.nowMs(); }
    [[nodiscard]] qint64 nowMs() const override { return m_local.nowMs() + m_offsetMs; }
    [[nodiscard]] qint64 offsetMs() const { return m_offsetMs; }
    [[nodiscard]] const Clock &local() const { return m_local; }

private:
    const Clock &m_local;
    qint64 m_offsetMs = 0;
};

} // namespace heartline
