#pragma once

#include <functional>

namespace heartline {

/// How reconnect delays grow (ReconnectBackoff::Options).
struct BackoffOptions
{
    int initialMs = 1000;
    int maxMs = 60'000;
    double multiplier = 2.0;
    double jitter = 0.2; ///< 0..1: the delay is the nominal one times [1 - jitter, 1 + jitter]
};

/// Delays between reconnection attempts: exponential growth from `initialMs`, capped at `maxMs`,
/// each spread by ±`jitter` so that a hundred apps losing the same server do not all knock again in
/// the same millisecond. The random source is injected so tests know every delay. Both desktop apps
/// use it: the agent app with the server's first-attempt spread, the dashboard with a 30 s cap.
class ReconnectBackoff final
{
public:
    using Options = BackoffOptions;
    /// Returns a number in [0, 1); 0.5 means "no jitter".
    using JitterSource = std::function<double()>;

    /// Without a jitter source, QRandomGenerator::global() is used.
    explicit ReconnectBackoff(Options options = {}, JitterSource jitter = {});

    /// The delay before the next attempt; each call counts one more failed attempt.
    [[nodiscard]] int nextDelayMs();
    /// The server's reconnectSpreadMs: the first attempt comes after a random delay below it, the later
    /// ones follow the schedule from initialMs. A server that restarts is back at once, and its apps
    /// are offered no calls until they are back, so the first attempt should not wait a whole second;
    /// the spread keeps them from all arriving in the same millisecond. 0: no such first attempt.
    void setFirstAttemptSpreadMs(int spreadMs) { m_firstSpreadMs = spreadMs > 0 ? spreadMs : 0; }
    /// Back to the first delay (after a connection succeeded).
    void reset() { m_attempt = 0; }
    [[nodiscard]] int attempts() const { return m_attempt; }

    /// The delay of attempt `attempt` (0-based) for a jitter draw `unit` in [0, 1]: pure, for tests
    /// and for anyone who wants to know the schedule.
    [[nodiscard]] int delayMs(int attempt, double unit) const;

private:
    Options m_options;
    JitterSource m_jitter;
    int m_attempt = 0;
    int m_firstSpreadMs = 0;
};

} // namespace heartline
