#pragma once

#include <functional>

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

class QPainter;
class QRectF;

namespace heartline::bench {

/// One series of bars: a value per category.
struct BarSeries
{
    QString name;
    QList<double> values;
    QColor color;
};

/// A grouped bar chart with a linear (from 0) or logarithmic value axis, values written above the
/// bars, a legend and an optional target line: what every benchmark draws. Painted with QPainter into any rectangle, so
/// several charts can share one image (see ChartImage).
class BarChart final
{
public:
    BarChart(QString title, QString axisLabel) : m_title(std::move(title)), m_axisLabel(std::move(axisLabel)) { }

    void setCategories(const QStringList &categories) { m_categories = categories; }
    void addSeries(const BarSeries &series) { m_series.append(series); }
    /// A dashed horizontal line at value, labelled (e.g. "target < 2 ms").
    void setTarget(double value, const QString &label)
    {
        m_target = value;
        m_targetLabel = label;
    }
    /// A logarithmic value axis by whole decades, for values spanning several orders of magnitude.
    void setLogarithmic(bool logarithmic) { m_logarithmic = logarithmic; }
    /// How a bar's value is written above it (default: three significant digits).
    void setValueText(std::function<QString(double)> text) { m_valueText = std::move(text); }

    void paint(QPainter &painter, const QRectF &area) const;

    /// The palette the benchmarks use, in order: blue, orange, green, purple, grey.
    [[nodiscard]] static QColor color(int index);
    /// 1234 → "1.23k", 0.5 → "0.5": short numbers for axes and labels.
    [[nodiscard]] static QString compact(double value);

private:
    QString m_title;
    QString m_axisLabel;
    QStringList m_categories;
    QList<BarSeries> m_series;
    double m_target = -1;
    bool m_logarithmic = false;
    QString m_targetLabel;
    std::function<QString(double)> m_valueText;
};

/// Charts side by side under a heading, with notes (what was measured, on what) below; saved as PNG.
class ChartImage final
{
public:
    explicit ChartImage(QString heading) : m_heading(std::move(heading)) { }

    void addChart(const BarChart &chart) { m_charts.append(chart); }
    void addNote(const QString &note) { m_notes.append(note); }
    /// Renders and writes the PNG (creating its folder); false with the reason in *error.
    bool save(const QString &path, QString *error) const;

private:
    QString m_heading;
    QList<BarChart> m_charts;
    QStringList m_notes;
};

} // namespace heartline::bench
