#pragma once

#include <optional>

namespace heartline {

/// The network round trip to the server, smoothed the way TCP smooths its RTT estimate
/// (RFC 6298: new = 7/8 old + 1/8 sample) so one slow pong does not make the agent look unready.
class RttMeter final
{
public:
    /// Negative, infinite or NaN samples are ignored.
    void addSample(double ms);
    /// Nothing measured yet: nullopt.
    [[nodiscard]] std::optional<double> smoothedMs() const { return m_smoothed; }
    [[nodiscard]] std::optional<double> lastMs() const { return m_last; }
    void reset()
    {
        m_smoothed.reset();
        m_last.reset();
    }

private:
    std::optional<double> m_smoothed;
    std::optional<double> m_last;
};

} // namespace heartline
