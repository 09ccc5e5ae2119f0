#pragma once

#include <QtGlobal>

class QDateTime;

namespace heartline {

/// The source of "now" for every piece of time-dependent logic (heartbeat expiry, wrap-up,
/// cooldown, queue waits, token expiry). Production code gets a SystemClock; tests get a
/// ManualClock and move time forward explicitly instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;

    /// Wall-clock time in milliseconds since the Unix epoch (UTC).
    [[nodiscard]] virtual qint64 nowMs() const = 0;

    [[nodiscard]] qint64 nowSeconds() const { return nowMs() / 1000; }
    [[nodiscard]] QDateTime now() const;
};

class SystemClock final : public Clock
{
public:
    [[nodiscard]] qint64 nowMs() const override;
};

/// A clock that only moves when told to. Starts at a fixed, readable instant so test output
/// is reproducible.
class ManualClock final : public Clock
{
public:
    static constexpr qint64 DefaultStartMs = 1'767'225'600'000; // 2026-01-01T00:00:00Z

    explicit ManualClock(qint64 startMs = DefaultStartMs) : m_nowMs(startMs) { }

    [[nodiscard]] qint64 nowMs() const override { return m_nowMs; }
    void setNowMs(qint64 ms) { m_nowMs = ms; }
    void advanceMs(qint64 ms) { m_nowMs += ms; }
    void advanceSeconds(qint64 s) { m_nowMs += s * 1000; }

private:
    qint64 m_nowMs = DefaultStartMs;
};

} // namespace heartline
