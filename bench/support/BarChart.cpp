#include "BarChart.h"

#include <cmath>
#include <functional>

#include <QDir>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPainterPath>

using namespace Qt::StringLiterals;

namespace heartline::bench {

namespace {

constexpr double PanelWidth = 760;
constexpr double PanelHeight = 500;
constexpr double HeadingHeight = 56;
constexpr double NoteLineHeight = 22;

QFont font(double pixels, bool bold = false)
{
    QFont f(u"DejaVu Sans"_s);
    f.setPixelSize(int(pixels));
    f.setBold(bold);
    return f;
}

/// A round step for about `ticks` ticks up to `maximum`: 1, 2, 2.5 or 5 times a power of ten.
double niceStep(double maximum, int ticks)
{
    const double raw = maximum / ticks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (raw <= factor * magnitude)
            return factor * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

QColor BarChart::color(int index)
{
    static const QColor palette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                     QColor(0x94, 0x67, 0xbd), QColor(0x7f, 0x7f, 0x7f)};
    return palette[index % 5];
}

QString BarChart::compact(double value)
{
    const double magnitude = std::abs(value);
    auto trimmed = [](double number, int decimals) {
        QString text = QString::number(number, 'f', decimals);
        if (text.contains(u'.')) {
            while (text.endsWith(u'0'))
                text.chop(1);
            if (text.endsWith(u'.'))
                text.chop(1);
        }
        return text;
    };
    if (magnitude >= 1e6)
        return trimmed(value / 1e6, magnitude >= 1e7 ? 1 : 2) + u'M';
    if (magnitude >= 1e3)
        return trimmed(value / 1e3, magnitude >= 1e5 ? 0 : magnitude >= 1e4 ? 1 : 2) + u'k';
    if (magnitude >= 100)
        return trimmed(value, 0);
    if (magnitude >= 10)
        return trimmed(value, 1);
    return trimmed(value, 2);
}

void BarChart::paint(QPainter &painter, const QRectF &area) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.fillRect(area, Qt::white);
    painter.setPen(QPen(QColor(0xd0, 0xd0, 0xd0), 1));
    painter.drawRect(area.adjusted(0.5, 0.5, -0.5, -0.5));

    // Title, then the legend on one line under it.
    painter.setPen(Qt::black);
    painter.setFont(font(17, true));
    const QRectF titleRect(area.left() + 12, area.top() + 8, area.width() - 24, 26);
    painter.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, m_title);
    // The legend under it, wrapped to the panel's width; the target line has an entry of its own.
    painter.setFont(font(13));
    const QFontMetricsF legendMetrics(painter.font());
    const QColor targetColor(0xd6, 0x27, 0x28);
    double legendX = area.left() + 14;
    double legendY = titleRect.bottom() + 6;
    auto place = [&](double itemWidth) {
        if (legendX + itemWidth > area.right() - 10 && legendX > area.left() + 14) {
            legendX = area.left() + 14;
            legendY += 21;
        }
        const QPointF at(legendX, legendY);
        legendX += itemWidth + 22;
        return at;
    };
    for (const BarSeries &series : m_series) {
        const QPointF at = place(20 + legendMetrics.horizontalAdvance(series.name));
        painter.fillRect(QRectF(at.x(), at.y() + 3, 14, 14), series.color);
        painter.setPen(Qt::black);
        painter.drawText(QPointF(at.x() + 20, at.y() + 15), series.name);
    }
    if (m_target > 0) {
        const QPointF at = place(30 + legendMetrics.horizontalAdvance(m_targetLabel));
        painter.setPen(QPen(targetColor, 2, Qt::DashLine));
        painter.drawLine(QPointF(at.x(), at.y() + 10), QPointF(at.x() + 24, at.y() + 10));
        painter.setPen(targetColor);
        painter.drawText(QPointF(at.x() + 30, at.y() + 15), m_targetLabel);
    }

    const QRectF plot(area.left() + 86, legendY + 34, area.width() - 86 - 24, area.bottom() - legendY - 34 - 58);

    double maximum = m_target > 0 ? m_target : 0;
    double minimum = m_target > 0 ? m_target : 0;
    for (const BarSeries &series : m_series) {
        for (double value : series.values) {
            maximum = std::max(maximum, value);
            if (value > 0 && (minimum <= 0 || value < minimum))
                minimum = value;
        }
    }
    if (maximum <= 0)
        maximum = 1;
    // Linear from 0 with round steps, or logarithmic by whole decades.
    QList<double> ticks;
    std::function<double(double)> yOf;
    if (m_logarithmic) {
        const double low = std::pow(10.0, std::floor(std::log10(minimum > 0 ? minimum : 1)));
        const double high = std::pow(10.0, std::ceil(std::log10(maximum * 1.5)));
        for (double tick = low; tick <= high * 1.01; tick *= 10)
            ticks.append(tick);
        yOf = [=](double value) {
            const double clamped = std::max(value, low);
            return plot.bottom() - std::log10(clamped / low) / std::log10(high / low) * plot.height();
        };
    } else {
        const double step = niceStep(maximum * 1.12, 5);
        const double top = std::ceil(maximum * 1.12 / step) * step;
        for (double tick = 0; tick <= top + step / 2; tick += step)
            ticks.append(tick);
        yOf = [=](double value) {
            return plot.bottom() - value / top * plot.height();
        };
    }

    // Grid and value axis.
    painter.setFont(font(12));
    for (qsizetype i = 0; i < ticks.size(); ++i) {
        const double y = yOf(ticks.at(i));
        painter.setPen(QPen(i == 0 ? QColor(0x60, 0x60, 0x60) : QColor(0xe6, 0xe6, 0xe6), 1));
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter.setPen(QColor(0x40, 0x40, 0x40));
        painter.drawText(QRectF(plot.left() - 70, y - 9, 62, 18), Qt::AlignRight | Qt::AlignVCenter,
                         compact(ticks.at(i)));
    }
    painter.save();
    painter.translate(area.left() + 16, plot.center().y());
    painter.rotate(-90);
    painter.setFont(font(13));
    painter.setPen(Qt::black);
    painter.drawText(QRectF(-plot.height() / 2, -10, plot.height(), 20), Qt::AlignCenter,
                     m_logarithmic ? m_axisLabel + u" (log scale)"_s : m_axisLabel);
    painter.restore();

    // Bars, grouped by category, each with its value above it.
    const qsizetype groups = qMax<qsizetype>(1, m_categories.size());
    const double groupWidth = plot.width() / double(groups);
    const double barWidth = groupWidth * 0.78 / double(qMax<qsizetype>(1, m_series.size()));
    const QFont valueFont = font(barWidth < 60 ? 11 : 12);
    for (qsizetype g = 0; g < groups; ++g) {
        const double groupLeft = plot.left() + double(g) * groupWidth + groupWidth * 0.11;
        for (qsizetype s = 0; s < m_series.size(); ++s) {
            const BarSeries &series = m_series.at(s);
            if (g >= series.values.size())
                continue;
            const double value = series.values.at(g);
            const QRectF bar(groupLeft + double(s) * barWidth + 2, yOf(value), barWidth - 4,
                             plot.bottom() - yOf(value));
            if (value <= 0 && m_logarithmic)
                continue;
            painter.fillRect(bar, series.color);
            painter.setFont(valueFont);
            painter.setPen(Qt::black);
            const QString text = m_valueText ? m_valueText(value) : compact(value);
            // On a white box, so a target line passing behind stays out of the way of the digits.
            const double textWidth = QFontMetricsF(valueFont).horizontalAdvance(text) + 4;
            const QRectF label(bar.center().x() - textWidth / 2, bar.top() - 19, textWidth, 17);
            painter.fillRect(label, QColor(255, 255, 255, 220));
            painter.drawText(label, Qt::AlignCenter, text);
        }
        painter.setFont(font(13));
        painter.setPen(Qt::black);
        painter.drawText(QRectF(plot.left() + double(g) * groupWidth, plot.bottom() + 6, groupWidth, 20),
                         Qt::AlignHCenter | Qt::AlignTop, m_categories.value(g));
    }

    if (m_target > 0) {
        const double y = yOf(m_target);
        painter.setPen(QPen(targetColor, 2, Qt::DashLine));
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    }
    painter.restore();
}

bool ChartImage::save(const QString &path, QString *error) const
{
    const qsizetype columns = qMax<qsizetype>(1, m_charts.size());
    // Wide enough for the heading and every note; the panels share the width.
    double width = PanelWidth * double(columns);
    width = std::max(width, QFontMetricsF(font(21, true)).horizontalAdvance(m_heading) + 40);
    for (const QString &note : m_notes)
        width = std::max(width, QFontMetricsF(font(13)).horizontalAdvance(note) + 40);
    const double panelWidth = width / double(columns);
    const double height = HeadingHeight + PanelHeight + 14 + NoteLineHeight * double(m_notes.size());
    QImage image(int(width), int(height), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::TextAntialiasing);
        painter.setPen(Qt::black);
        painter.setFont(font(21, true));
        painter.drawText(QRectF(16, 0, width - 32, HeadingHeight), Qt::AlignLeft | Qt::AlignVCenter, m_heading);
        for (qsizetype i = 0; i < m_charts.size(); ++i)
            m_charts.at(i).paint(painter,
                                 QRectF(double(i) * panelWidth + 6, HeadingHeight, panelWidth - 12, PanelHeight));
        painter.setFont(font(13));
        painter.setPen(QColor(0x30, 0x30, 0x30));
        for (qsizetype i = 0; i < m_notes.size(); ++i) {
            painter.drawText(
                QRectF(16, HeadingHeight + PanelHeight + 8 + NoteLineHeight * double(i), width - 32, NoteLineHeight),
                Qt::AlignLeft | Qt::AlignVCenter, m_notes.at(i));
        }
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!image.save(path, "PNG")) {
        if (error)
            *error = u"cannot write "_s + path;
        return false;
    }
    return true;
}

} // namespace heartline::bench
