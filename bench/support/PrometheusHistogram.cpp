#include "PrometheusHistogram.h"

#include <limits>

#include <QByteArray>
#include <QList>

namespace heartline::bench {

std::optional<PrometheusHistogram> PrometheusHistogram::parse(QByteArrayView exposition, const QString &name)
{
    const QByteArray prefix = name.toUtf8();
    PrometheusHistogram histogram;
    bool found = false;
    for (const QByteArray &line : exposition.toByteArray().split('\n')) {
        if (!line.startsWith(prefix) || line.size() <= prefix.size())
            continue;
        const QByteArray rest = line.mid(prefix.size());
        const qsizetype space = rest.lastIndexOf(' ');
        if (space < 0)
            continue;
        const double value = rest.mid(space + 1).toDouble();
        if (rest.startsWith("_bucket{le=\"")) {
            const qsizetype start = 12;
            const QByteArray bound = rest.mid(start, rest.indexOf('"', start) - start);
            const double upper = bound == "+Inf" ? std::numeric_limits<double>::infinity() : bound.toDouble();
            histogram.buckets.emplace_back(upper, value);
            found = true;
        } else if (rest.startsWith("_sum ")) {
            histogram.sum = value;
        } else if (rest.startsWith("_count ")) {
            histogram.count = value;
        }
    }
    if (!found)
        return std::nullopt;
    return histogram;
}

double PrometheusHistogram::quantileBound(double q) const
{
    const double rank = q * count;
    for (const auto &[upper, cumulative] : buckets) {
        if (cumulative >= rank)
            return upper;
    }
    return std::numeric_limits<double>::infinity();
}

} // namespace heartline::bench
