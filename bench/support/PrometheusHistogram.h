#pragma once

#include <optional>
#include <utility>
#include <vector>

#include <QByteArrayView>
#include <QString>

namespace heartline::bench {

/// A histogram family read back from a /metrics scrape (Prometheus text format, no labels besides le).
struct PrometheusHistogram
{
    std::vector<std::pair<double, double>> buckets; ///< (upper bound, cumulative count), +Inf last
    double sum = 0;
    double count = 0;

    /// The histogram called `name` in the exposition, or nullopt when it is not there.
    [[nodiscard]] static std::optional<PrometheusHistogram> parse(QByteArrayView exposition, const QString &name);

    /// The upper bound of the bucket holding the q-quantile (0..1): all the histogram can say for
    /// sure ("p99 <= 50 us"); infinity when it is past the last finite bound.
    [[nodiscard]] double quantileBound(double q) const;
    [[nodiscard]] double mean() const { return count > 0 ? sum / count : 0; }
};

} // namespace heartline::bench
