#pragma once

#include <functional>

#include <QtGlobal>

namespace heartline {

/// Delays of ReconnectBackoff.
struct ReconnectBackoffOptions
{
    qint64 initialMs = 1000;
    qint64 maximumMs = 30'000;
};

/// How long to wait before the next reconnect attempt: exponential from `initialMs`, capped at
/// `maximumMs`, with "equal jitter" (half the delay fixed, half random) so that a server restart
/// does not see every dashboard reconnect in the same millisecond.
class ReconnectBackoff final
{
public:
    using Options = ReconnectBackoffOptions;

    /// `random` returns a number in [0, 1); the default draws from QRandomGenerator::global().
    explicit ReconnectBackoff(Options options = {}, std::function<double()> random = {});

    /// The delay before the next attempt; each call counts one failed attempt.
    [[nodiscard]] qint64 nextDelayMs();
    /// The connection worked: the next failure starts from initialMs again.
    void reset() { m_attempts = 0; }
    [[nodiscard]] int attempts() const { return m_attempts; }

private:
    Options m_options;
    std::function<double()> m_random;
    int m_attempts = 0;
};

} // namespace heartline
