#pragma once

#include <deque>

#include <QtGlobal>

namespace heartline {

/// One point of the "last hour" chart.
struct ChartSample
{
    qint64 atMs = 0;
    int readyAgents = 0;
    int queueSize = 0; ///< callers waiting in every queue together

    friend bool operator==(const ChartSample &, const ChartSample &) = default;
};

/// The samples of the last hour, kept in memory (a dashboard started now shows from now on).
/// The owner decides when to sample (every SampleIntervalMs, by its Clock); add() drops what fell out
/// of the window.
class ChartHistory final
{
public:
    static constexpr qint64 WindowMs = 60 * 60 * 1000;
    static constexpr qint64 SampleIntervalMs = 10 * 1000;

    /// Appends a sample; samples older than WindowMs before it are dropped. A sample older than the
    /// newest one (the clock went back) replaces nothing and is ignored.
    void add(const ChartSample &sample);
    /// True when no sample was taken in the last SampleIntervalMs.
    [[nodiscard]] bool due(qint64 nowMs) const;
    [[nodiscard]] const std::deque<ChartSample> &samples() const { return m_samples; }
    void clear() { m_samples.clear(); }

private:
    std::deque<ChartSample> m_samples;
};

} // namespace heartline
