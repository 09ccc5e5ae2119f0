#include "ui/ChartsPanel.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

#include "models/ChartHistory.h"
#include "models/DashboardFigures.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QColor ReadyColor(0x2e, 0x9e, 0x4f);
const QColor MiddleColor(0xe0, 0x9a, 0x1f);
const QColor LowColor(0xd0, 0x34, 0x2c);
const QColor WaitingColor(0x1f, 0x5f, 0xbf);

QChartView *makeView(QChart *chart, const QString &objectName, QWidget *parent)
{
    chart->setAnimationOptions(QChart::NoAnimation); // live data: animations would lag behind it
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto *view = new QChartView(chart, parent);
    view->setObjectName(objectName);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    return view;
}

/// A count axis from 0 to a round number above `highest`, with ticks on round numbers (never 12.5).
void setCountRange(QValueAxis *axis, int highest)
{
    const int wanted = std::max(5, int(std::ceil(highest * 1.1)));
    static constexpr std::array<int, 14> Steps {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000};
    int step = Steps.back();
    for (int candidate : Steps) {
        if (wanted <= candidate * 6) {
            step = candidate;
            break;
        }
    }
    const int top = (wanted + step - 1) / step * step;
    axis->setRange(0, top);
    axis->setTickCount(top / step + 1);
}

} // namespace

ChartsPanel::ChartsPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QGridLayout(this);

    // Last hour
    auto *history = new QChart;
    history->setTitle(tr("Ready agents and callers waiting, last hour"));
    m_ready = new QLineSeries(history);
    m_ready->setName(tr("Ready agents"));
    m_ready->setPen(QPen(ReadyColor, 2));
    m_waiting = new QLineSeries(history);
    m_waiting->setPen(QPen(WaitingColor, 2));
    history->addSeries(m_ready);
    history->addSeries(m_waiting);
    m_timeAxis = new QDateTimeAxis(history);
    m_timeAxis->setFormat(u"HH:mm"_s);
    m_timeAxis->setTickCount(7);
    m_countAxis = new QValueAxis(history);
    m_countAxis->setLabelFormat(u"%d"_s);
    setCountRange(m_countAxis, 0);
    history->addAxis(m_timeAxis, Qt::AlignBottom);
    history->addAxis(m_countAxis, Qt::AlignLeft);
    for (QLineSeries *series : {m_ready, m_waiting}) {
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_countAxis);
    }
    layout->addWidget(makeView(history, u"historyChart"_s, this), 0, 0, 1, 2);
    setQueuesReported(false);

    // Readiness distribution, coloured as the table's bars
    auto *readiness = new QChart;
    readiness->setTitle(tr("Readiness of logged-in agents"));
    auto *stacked = new QStackedBarSeries(readiness);
    const std::array<QString, 3> names {tr("Low (below 35)"), tr("Middle (35-69)"), tr("Ready range (70+)")};
    const std::array<QColor, 3> colors {LowColor, MiddleColor, ReadyColor};
    for (size_t i = 0; i < m_readinessSets.size(); ++i) {
        m_readinessSets.at(i) = new QBarSet(names.at(i), stacked);
        m_readinessSets.at(i)->setColor(colors.at(i));
        m_readinessSets.at(i)->setBorderColor(colors.at(i));
        for (int bucket = 0; bucket < 10; ++bucket)
            m_readinessSets.at(i)->append(0);
        stacked->append(m_readinessSets.at(i));
    }
    stacked->setBarWidth(0.9);
    readiness->addSeries(stacked);
    auto *scoreAxis = new QBarCategoryAxis(readiness);
    for (int bucket = 0; bucket < 10; ++bucket)
        scoreAxis->append(bucket == 9 ? u"90-100"_s : u"%1-%2"_s.arg(bucket * 10).arg(bucket * 10 + 9));
    scoreAxis->setTitleText(tr("Score"));
    m_readinessAxis = new QValueAxis(readiness);
    m_readinessAxis->setLabelFormat(u"%d"_s);
    m_readinessAxis->setTitleText(tr("Agents"));
    readiness->addAxis(scoreAxis, Qt::AlignBottom);
    readiness->addAxis(m_readinessAxis, Qt::AlignLeft);
    stacked->attachAxis(scoreAxis);
    stacked->attachAxis(m_readinessAxis);
    layout->addWidget(makeView(readiness, u"readinessChart"_s, this), 1, 0);

    // Routing paths
    auto *routing = new QChart;
    routing->setTitle(tr("Routing paths, recent decisions"));
    auto *paths = new QBarSeries(routing);
    m_paths = new QBarSet(tr("Decisions"), paths);
    m_paths->setColor(WaitingColor);
    m_paths->setBorderColor(WaitingColor);
    for (int i = 0; i < 5; ++i)
        m_paths->append(0);
    paths->append(m_paths);
    paths->setLabelsVisible(true);
    paths->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    routing->addSeries(paths);
    auto *pathAxis = new QBarCategoryAxis(routing);
    pathAxis->append({tr("Enhanced"), tr("Fallback"), tr("Legacy"), tr("Queued"), tr("No agent")});
    m_pathsAxis = new QValueAxis(routing);
    m_pathsAxis->setLabelFormat(u"%d"_s);
    routing->addAxis(pathAxis, Qt::AlignBottom);
    routing->addAxis(m_pathsAxis, Qt::AlignLeft);
    paths->attachAxis(pathAxis);
    paths->attachAxis(m_pathsAxis);
    routing->legend()->hide();
    layout->addWidget(makeView(routing, u"routingChart"_s, this), 1, 1);

    layout->setRowStretch(0, 1);
    layout->setRowStretch(1, 1);
}

void ChartsPanel::setHistory(const ChartHistory &history, qint64 nowMs)
{
    QList<QPointF> ready;
    QList<QPointF> waiting;
    ready.reserve(qsizetype(history.samples().size()));
    waiting.reserve(qsizetype(history.samples().size()));
    int highest = 0;
    for (const ChartSample &sample : history.samples()) {
        ready.append(QPointF(qreal(sample.atMs), sample.readyAgents));
        waiting.append(QPointF(qreal(sample.atMs), sample.queueSize));
        highest = std::max({highest, sample.readyAgents, sample.queueSize});
    }
    m_ready->replace(ready);
    m_waiting->replace(waiting);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - ChartHistory::WindowMs),
                         QDateTime::fromMSecsSinceEpoch(nowMs));
    setCountRange(m_countAxis, highest);
}

void ChartsPanel::setQueuesReported(bool reported)
{
    m_waiting->setName(reported ? tr("Callers waiting") : tr("Callers waiting (no queue data from the server yet)"));
}

void ChartsPanel::setReadiness(const std::array<int, 10> &buckets)
{
    int highest = 0;
    for (int bucket = 0; bucket < 10; ++bucket) {
        const int count = buckets.at(size_t(bucket));
        const size_t band = bucket * 10 >= 70 ? 2 : bucket * 10 >= 35 ? 1 : 0;
        for (size_t set = 0; set < m_readinessSets.size(); ++set)
            m_readinessSets.at(set)->replace(bucket, set == band ? count : 0);
        highest = std::max(highest, count);
    }
    setCountRange(m_readinessAxis, highest);
}

void ChartsPanel::setRouting(const RoutingSummary &routing)
{
    const std::array<int, 5> counts {routing.enhanced, routing.fallback, routing.legacy, routing.queued, routing.none};
    for (int i = 0; i < 5; ++i)
        m_paths->replace(i, counts.at(size_t(i)));
    setCountRange(m_pathsAxis, *std::max_element(counts.begin(), counts.end()));
}

QList<qreal> ChartsPanel::readinessValues() const
{
    QList<qreal> values;
    for (int bucket = 0; bucket < 10; ++bucket) {
        qreal sum = 0;
        for (QBarSet *set : m_readinessSets)
            sum += set->at(bucket);
        values.append(sum);
    }
    return values;
}

QList<qreal> ChartsPanel::routingValues() const
{
    QList<qreal> values;
    for (int i = 0; i < m_paths->count(); ++i)
        values.append(m_paths->at(i));
    return values;
}

} // namespace heartline
