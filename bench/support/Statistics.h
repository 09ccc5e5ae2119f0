#pragma once

// Order statistics for the benchmark programs: medians of repeated runs, percentiles of latencies.

#include <algorithm>
#include <cmath>
#include <vector>

namespace heartline::bench {

/// The nearest-rank percentile (p in 0..100) of the values; 0 for none. Takes a copy: callers keep
/// their samples in arrival order.
inline double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    const auto rank
        = std::clamp<std::size_t>(std::size_t(std::ceil(p / 100.0 * double(values.size()))), 1, values.size());
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(rank - 1), values.end());
    return values[rank - 1];
}

inline double median(const std::vector<double> &values)
{
    return percentile(values, 50);
}

inline double mean(const std::vector<double> &values)
{
    if (values.empty())
        return 0;
    double sum = 0;
    for (double value : values)
        sum += value;
    return sum / double(values.size());
}

} // namespace heartline::bench
