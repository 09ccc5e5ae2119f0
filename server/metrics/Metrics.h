#pragma once

#include <array>
#include <map>
#include <memory>
#include <vector>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace heartline {

/// Label values of one series, in the order of the family's label names.
using MetricLabels = QStringList;

/// A monotonically increasing count (Prometheus counter). Single-threaded: the server's event loop.
class Counter final
{
public:
    void increment(double by = 1) { m_value += by; }
    [[nodiscard]] double value() const { return m_value; }

private:
    double m_value = 0;
};

/// A value that goes up and down (Prometheus gauge).
class Gauge final
{
public:
    void set(double value) { m_value = value; }
    void add(double delta) { m_value += delta; }
    [[nodiscard]] double value() const { return m_value; }

private:
    double m_value = 0;
};

/// Observations counted into fixed buckets (Prometheus histogram): O(buckets) per observation,
/// no allocation, so it can sit on the heartbeat path.
class Histogram final
{
public:
    explicit Histogram(std::vector<double> upperBounds);

    void observe(double value);
    /// Adds another histogram's observations (same bounds required): one view over several series.
    void merge(const Histogram &other);
    [[nodiscard]] const std::vector<double> &upperBounds() const { return m_bounds; }
    /// Cumulative counts per bound, as Prometheus exposes them (the +Inf bucket is count()).
    [[nodiscard]] std::vector<quint64> cumulativeCounts() const;
    [[nodiscard]] quint64 count() const { return m_count; }
    [[nodiscard]] double sum() const { return m_sum; }
    /// Estimated quantile (0..1) by linear interpolation inside the bucket, as histogram_quantile() does.
    [[nodiscard]] double quantile(double q) const;

private:
    std::vector<double> m_bounds;
    std::vector<quint64> m_buckets; ///< per bucket, not cumulative
    quint64 m_count = 0;
    double m_sum = 0;
};

/// Every metric the server exposes on /metrics. Families are registered once at start; series
/// (one per label combination) are created on first use and kept, so hot paths hold pointers.
class MetricsRegistry final
{
public:
    MetricsRegistry() = default;
    MetricsRegistry(const MetricsRegistry &) = delete;
    MetricsRegistry &operator=(const MetricsRegistry &) = delete;

    Counter &counter(const QString &name, const QString &help, const QStringList &labelNames = {},
                     const MetricLabels &labels = {});
    Gauge &gauge(const QString &name, const QString &help, const QStringList &labelNames = {},
                 const MetricLabels &labels = {});
    Histogram &histogram(const QString &name, const QString &help, const std::vector<double> &upperBounds,
                         const QStringList &labelNames = {}, const MetricLabels &labels = {});

    /// Prometheus text exposition format 0.0.4.
    [[nodiscard]] QByteArray exposition() const;

    /// Buckets in seconds from 50 µs to 1 s, for request and discovery latencies.
    [[nodiscard]] static std::vector<double> latencyBuckets();

private:
    enum class Kind { Counter, Gauge, Histogram };
    struct Family
    {
        QString name;
        QString help;
        Kind kind = Kind::Counter;
        QStringList labelNames;
        std::vector<double> bounds;
        // std::map keeps series in a stable order and pointers stable for callers.
        std::map<MetricLabels, std::unique_ptr<Counter>> counters;
        std::map<MetricLabels, std::unique_ptr<Gauge>> gauges;
        std::map<MetricLabels, std::unique_ptr<Histogram>> histograms;
    };

    Family &family(const QString &name, const QString &help, Kind kind, const QStringList &labelNames);

    std::vector<std::unique_ptr<Family>> m_families;
};

} // namespace heartline
