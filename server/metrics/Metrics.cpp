#include "Metrics.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace heartline {

Histogram::Histogram(std::vector<double> upperBounds) : m_bounds(std::move(upperBounds))
{
    std::sort(m_bounds.begin(), m_bounds.end());
    m_buckets.assign(m_bounds.size() + 1, 0);
}

void Histogram::observe(double value)
{
    const auto bucket = std::lower_bound(m_bounds.begin(), m_bounds.end(), value) - m_bounds.begin();
    ++m_buckets[size_t(bucket)];
    ++m_count;
    m_sum += value;
}

void Histogram::merge(const Histogram &other)
{
    Q_ASSERT(other.m_bounds == m_bounds);
    if (other.m_bounds != m_bounds)
        return;
    for (size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
}

std::vector<quint64> Histogram::cumulativeCounts() const
{
    std::vector<quint64> cumulative(m_bounds.size());
    quint64 running = 0;
    for (size_t i = 0; i < m_bounds.size(); ++i) {
        running += m_buckets[i];
        cumulative[i] = running;
    }
    return cumulative;
}

double Histogram::quantile(double q) const
{
    if (m_count == 0 || m_bounds.empty())
        return 0;
    const double rank = q * double(m_count);
    quint64 running = 0;
    for (size_t i = 0; i < m_bounds.size(); ++i) {
        const quint64 before = running;
        running += m_buckets[i];
        if (double(running) >= rank) {
            const double lower = i == 0 ? 0 : m_bounds[i - 1];
            const double inBucket = double(m_buckets[i]);
            const double fraction = inBucket > 0 ? (rank - double(before)) / inBucket : 0;
            return lower + (m_bounds[i] - lower) * fraction;
        }
    }
    return m_bounds.back(); // in the +Inf bucket: report the highest finite bound, as Prometheus does
}

MetricsRegistry::Family &MetricsRegistry::family(const QString &name, const QString &help, Kind kind,
                                                 const QStringList &labelNames)
{
    for (const auto &existing : m_families) {
        if (existing->name == name) {
            Q_ASSERT(existing->kind == kind && existing->labelNames == labelNames);
            return *existing;
        }
    }
    auto created = std::make_unique<Family>();
    created->name = name;
    created->help = help;
    created->kind = kind;
    created->labelNames = labelNames;
    m_families.push_back(std::move(created));
    return *m_families.back();
}

Counter &MetricsRegistry::counter(const QString &name, const QString &help, const QStringList &labelNames,
                                  const MetricLabels &labels)
{
    auto &series = family(name, help, Kind::Counter, labelNames).counters[labels];
    if (!series)
        series = std::make_unique<Counter>();
    return *series;
}

Gauge &MetricsRegistry::gauge(const QString &name, const QString &help, const QStringList &labelNames,
                              const MetricLabels &labels)
{
    auto &series = family(name, help, Kind::Gauge, labelNames).gauges[labels];
    if (!series)
        series = std::make_unique<Gauge>();
    return *series;
}

Histogram &MetricsRegistry::histogram(const QString &name, const QString &help, const std::vector<double> &upperBounds,
                                      const QStringList &labelNames, const MetricLabels &labels)
{
    Family &f = family(name, help, Kind::Histogram, labelNames);
    f.bounds = upperBounds;
    auto &series = f.histograms[labels];
    if (!series)
        series = std::make_unique<Histogram>(upperBounds);
    return *series;
}

std::vector<double> MetricsRegistry::latencyBuckets()
{
    return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
}

namespace {

QString formatNumber(double value)
{
    if (std::isinf(value))
        return value > 0 ? u"+Inf"_s : u"-Inf"_s;
    if (std::isnan(value))
        return u"NaN"_s;
    return QString::number(value, 'g', 15);
}

QString escapeLabelValue(const QString &value)
{
    QString escaped = value;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s).replace(u'\n', u"\\n"_s);
    return escaped;
}

QString escapeHelp(const QString &help)
{
    QString escaped = help;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'\n', u"\\n"_s);
    return escaped;
}

QString labelText(const QStringList &names, const MetricLabels &values, const QString &extraName = {},
                  const QString &extraValue = {})
{
    QStringList parts;
    for (qsizetype i = 0; i < names.size() && i < values.size(); ++i)
        parts.append(names[i] + u"=\""_s + escapeLabelValue(values[i]) + u'"');
    if (!extraName.isEmpty())
        parts.append(extraName + u"=\""_s + extraValue + u'"');
    return parts.isEmpty() ? QString() : u'{' + parts.join(u',') + u'}';
}

} // namespace

QByteArray MetricsRegistry::exposition() const
{
    QString out;
    for (const auto &f : m_families) {
        const QString type = f->kind == Kind::Counter ? u"counter"_s
            : f->kind == Kind::Gauge                  ? u"gauge"_s
                                                      : u"histogram"_s;
        out += u"# HELP "_s + f->name + u' ' + escapeHelp(f->help) + u'\n';
        out += u"# TYPE "_s + f->name + u' ' + type + u'\n';
        for (const auto &[labels, counter] : f->counters)
            out += f->name + labelText(f->labelNames, labels) + u' ' + formatNumber(counter->value()) + u'\n';
        for (const auto &[labels, gauge] : f->gauges)
            out += f->name + labelText(f->labelNames, labels) + u' ' + formatNumber(gauge->value()) + u'\n';
        for (const auto &[labels, histogram] : f->histograms) {
            const auto cumulative = histogram->cumulativeCounts();
            for (size_t i = 0; i < cumulative.size(); ++i) {
                out += f->name + u"_bucket"_s
                    + labelText(f->labelNames, labels, u"le"_s, formatNumber(histogram->upperBounds()[i])) + u' '
                    + QString::number(cumulative[i]) + u'\n';
            }
            out += f->name + u"_bucket"_s + labelText(f->labelNames, labels, u"le"_s, u"+Inf"_s) + u' '
                + QString::number(histogram->count()) + u'\n';
            out += f->name + u"_sum"_s + labelText(f->labelNames, labels) + u' ' + formatNumber(histogram->sum())
                + u'\n';
            out += f->name + u"_count"_s + labelText(f->labelNames, labels) + u' ' + QString::number(histogram->count())
                + u'\n';
        }
    }
    return out.toUtf8();
}

} // namespace heartline
