#pragma once

#include <array>

#include <QWidget>

class QBarSet;
class QChart;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace heartline {

class ChartHistory;
struct RoutingSummary;

/// The charts tab (Qt Charts): ready agents and callers waiting over the last hour, the readiness
/// distribution of the logged-in agents, and the routing paths of the recent decisions.
class ChartsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartsPanel)

public:
    explicit ChartsPanel(QWidget *parent = nullptr);

    /// The last hour up to `nowMs`.
    void setHistory(const ChartHistory &history, qint64 nowMs);
    /// Logged-in agents per score decile (readinessHistogram()).
    void setReadiness(const std::array<int, 10> &buckets);
    void setRouting(const RoutingSummary &routing);
    /// Until the server reports queues, the waiting line says so instead of reading as "nobody waits".
    void setQueuesReported(bool reported);

    [[nodiscard]] QLineSeries *readySeries() const { return m_ready; }
    [[nodiscard]] QLineSeries *queueSeries() const { return m_waiting; }
    /// Bar values, for tests: the readiness buckets (low, middle and high sets added up) and the paths.
    [[nodiscard]] QList<qreal> readinessValues() const;
    [[nodiscard]] QList<qreal> routingValues() const;

private:
    QLineSeries *m_ready = nullptr;
    QLineSeries *m_waiting = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_countAxis = nullptr;
    std::array<QBarSet *, 3> m_readinessSets {}; ///< below half the threshold, below it, from it
    QValueAxis *m_readinessAxis = nullptr;
    QBarSet *m_paths = nullptr;
    QValueAxis *m_pathsAxis = nullptr;
};

} // namespace heartline
