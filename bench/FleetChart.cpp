#include "FleetChart.h"

#include <algorithm>
#include <cmath>

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPainter>

#include "FleetRun.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QColor LegacyColor(0xC0, 0x50, 0x3C);
const QColor EnhancedColor(0x2E, 0x7D, 0x5B);
const QColor TargetColor(0x33, 0x55, 0xAA);
const QColor GridColor(0xDD, 0xDD, 0xDD);
const QColor TextColor(0x22, 0x22, 0x22);

QString percentText(double value)
{
    if (value <= 0)
        return u"0 %"_s;
    const int decimals = value >= 10 ? 1 : value >= 1 ? 2 : 3;
    return QString::number(value, 'f', decimals) + u" %"_s;
}

void panelTitle(QPainter &p, const QRect &area, const QString &title, const QString &subtitle)
{
    QFont font = p.font();
    font.setPointSizeF(12);
    font.setBold(true);
    p.setFont(font);
    p.setPen(TextColor);
    p.drawText(QRect(area.left(), area.top(), area.width(), 22), Qt::AlignLeft | Qt::AlignVCenter, title);
    font.setBold(false);
    font.setPointSizeF(9);
    p.setFont(font);
    p.setPen(QColor(0x66, 0x66, 0x66));
    p.drawText(QRect(area.left(), area.top() + 22, area.width(), 18), Qt::AlignLeft | Qt::AlignVCenter, subtitle);
}

/// Two bars on a logarithmic percent axis (0.01 % … 100 %), with the target as a dashed line.
void logPercentPanel(QPainter &p, const QRect &area, const QString &title, const QString &subtitle, double legacy,
                     double enhanced, double target)
{
    panelTitle(p, area, title, subtitle);
    const QRect plot(area.left() + 70, area.top() + 55, area.width() - 100, area.height() - 95);
    const double low = -2; // 0.01 %
    const double high = 2; // 100 %
    const auto y = [&](double percent) {
        const double v = std::clamp(std::log10(std::max(percent, 0.01)), low, high);
        return plot.bottom() - (v - low) / (high - low) * plot.height();
    };
    QFont font = p.font();
    font.setPointSizeF(9);
    p.setFont(font);
    for (int e = -2; e <= 2; ++e) {
        const double value = std::pow(10.0, e);
        const int yy = int(y(value));
        p.setPen(GridColor);
        p.drawLine(plot.left(), yy, plot.right(), yy);
        p.setPen(TextColor);
        p.drawText(QRect(area.left(), yy - 8, 64, 16), Qt::AlignRight | Qt::AlignVCenter, percentText(value));
    }
    const int barWidth = plot.width() / 5;
    const double values[2] = {legacy, enhanced};
    const QColor colors[2] = {LegacyColor, EnhancedColor};
    const QString names[2] = {u"legacy"_s, u"enhanced"_s};
    for (int i = 0; i < 2; ++i) {
        const int x = plot.left() + plot.width() * (1 + 2 * i) / 5 + barWidth / 4;
        const int top = int(y(values[i]));
        p.fillRect(QRect(x, top, barWidth, plot.bottom() - top), colors[i]);
        p.setPen(TextColor);
        font.setBold(true);
        p.setFont(font);
        p.drawText(QRect(x - 30, top - 20, barWidth + 60, 18), Qt::AlignCenter, percentText(values[i]));
        font.setBold(false);
        p.setFont(font);
        p.drawText(QRect(x - 30, plot.bottom() + 4, barWidth + 60, 18), Qt::AlignCenter, names[i]);
    }
    QPen dashed(TargetColor, 2, Qt::DashLine);
    p.setPen(dashed);
    const int ty = int(y(target));
    p.drawLine(plot.left(), ty, plot.right(), ty);
    p.setPen(TargetColor);
    p.drawText(QRect(plot.right() - 160, ty - 18, 160, 16), Qt::AlignRight | Qt::AlignVCenter,
               u"target ≤ "_s + percentText(target));
}

/// What the callers saw: time to an agent (p50 and p99) and what became of the calls.
void callersPanel(QPainter &p, const QRect &area, const FleetReport &legacy, const FleetReport &enhanced)
{
    panelTitle(p, area, u"Callers: time to an agent"_s, u"call placed → bridged to an agent, p50 and p99"_s);
    const QRect plot(area.left() + 70, area.top() + 55, area.width() - 100, area.height() - 150);
    const FleetReport *reports[2] = {&legacy, &enhanced};
    const QColor colors[2] = {LegacyColor, EnhancedColor};
    const QString names[2] = {u"legacy"_s, u"enhanced"_s};
    double top = 1;
    for (const FleetReport *r : reports)
        top = std::max(top, double(FleetReport::percentile(r->answerMs, 0.99)) / 1000.0);
    top = std::ceil(top / 5.0) * 5.0;
    QFont font = p.font();
    font.setPointSizeF(9);
    p.setFont(font);
    const auto y = [&](double seconds) {
        return plot.bottom() - seconds / top * plot.height();
    };
    for (int i = 0; i <= 5; ++i) {
        const double value = top * i / 5;
        const int yy = int(y(value));
        p.setPen(GridColor);
        p.drawLine(plot.left(), yy, plot.right(), yy);
        p.setPen(TextColor);
        p.drawText(QRect(area.left(), yy - 8, 64, 16), Qt::AlignRight | Qt::AlignVCenter,
                   u"%1 s"_s.arg(value, 0, 'f', 0));
    }
    const int group = plot.width() / 2;
    const int barWidth = group / 5;
    const QString which[2] = {u"p50"_s, u"p99"_s};
    for (int i = 0; i < 2; ++i) {
        const FleetReport &r = *reports[i];
        const int gx = plot.left() + i * group;
        for (int q = 0; q < 2; ++q) {
            const double seconds = double(FleetReport::percentile(r.answerMs, q == 0 ? 0.5 : 0.99)) / 1000.0;
            const int x = gx + group / 2 - barWidth - 4 + q * (barWidth + 8);
            const int barTop = int(y(std::max(0.0, seconds)));
            QColor color = colors[i];
            if (q == 0)
                color = color.lighter(140);
            p.fillRect(QRect(x, barTop, barWidth, plot.bottom() - barTop), color);
            p.setPen(TextColor);
            p.drawText(QRect(x - 20, barTop - 18, barWidth + 40, 16), Qt::AlignCenter,
                       QString::number(seconds, 'f', 1) + u" s"_s);
            p.drawText(QRect(x - 10, plot.bottom() + 2, barWidth + 20, 16), Qt::AlignCenter, which[q]);
        }
        const double calls = std::max(1, r.calls);
        font.setBold(true);
        p.setFont(font);
        p.drawText(QRect(gx, plot.bottom() + 20, group, 18), Qt::AlignCenter, names[i]);
        font.setBold(false);
        p.setFont(font);
        p.drawText(QRect(gx, plot.bottom() + 38, group, 18), Qt::AlignCenter,
                   u"connected %1"_s.arg(percentText(100.0 * r.connected / calls)));
        p.drawText(QRect(gx, plot.bottom() + 56, group, 18), Qt::AlignCenter,
                   u"abandoned %1, missed %2"_s.arg(r.abandoned).arg(r.missedGaveUp + r.missedSystem));
    }
}

/// Detection latency p50 (bar) and p99 (tick) per fault kind, both runs, on a log seconds axis.
void detectionPanel(QPainter &p, const QRect &area, const FleetReport &legacy, const FleetReport &enhanced)
{
    panelTitle(
        p, area, u"Detection latency per fault kind"_s,
        u"fault start → the server's view turns not ready: bar p50, line p99; below: noticed/faults, legacy · enhanced"_s);
    const QRect plot(area.left() + 70, area.top() + 55, area.width() - 90, area.height() - 110);
    const double low = -1; // 0.1 s
    const double high = 3; // 1000 s
    const auto y = [&](double seconds) {
        const double v = std::clamp(std::log10(std::max(seconds, 0.1)), low, high);
        return plot.bottom() - (v - low) / (high - low) * plot.height();
    };
    QFont font = p.font();
    font.setPointSizeF(9);
    p.setFont(font);
    for (int e = -1; e <= 3; ++e) {
        const double value = std::pow(10.0, e);
        const int yy = int(y(value));
        p.setPen(GridColor);
        p.drawLine(plot.left(), yy, plot.right(), yy);
        p.setPen(TextColor);
        p.drawText(QRect(area.left(), yy - 8, 64, 16), Qt::AlignRight | Qt::AlignVCenter,
                   value < 1 ? u"0.1 s"_s : u"%1 s"_s.arg(qint64(value)));
    }
    const int group = plot.width() / FaultKindCount;
    const int barWidth = group / 4;
    const FleetReport *reports[2] = {&legacy, &enhanced};
    const QColor colors[2] = {LegacyColor, EnhancedColor};
    for (int k = 0; k < FaultKindCount; ++k) {
        const int gx = plot.left() + k * group;
        for (int i = 0; i < 2; ++i) {
            const DetectionStats &d = reports[i]->detection.at(size_t(k));
            const int x = gx + group / 2 - barWidth - 2 + i * (barWidth + 4);
            if (d.latenciesMs.isEmpty()) {
                p.setPen(QPen(colors[i], 2));
                p.drawText(QRect(x, plot.bottom() - 20, barWidth, 18), Qt::AlignCenter, u"✗"_s);
                continue;
            }
            const double p50 = double(d.percentile(0.5)) / 1000.0;
            const double p99 = double(d.percentile(0.99)) / 1000.0;
            const int top = int(y(p50));
            p.fillRect(QRect(x, top, barWidth, plot.bottom() - top), colors[i]);
            p.setPen(QPen(colors[i].darker(140), 2));
            const int y99 = int(y(p99));
            p.drawLine(x + barWidth / 2, top, x + barWidth / 2, y99);
            p.drawLine(x + 2, y99, x + barWidth - 2, y99);
            p.setPen(TextColor);
            p.drawText(QRect(x - 20, top - 18, barWidth + 40, 16), Qt::AlignCenter,
                       QString::number(p50, 'f', p50 < 10 ? 1 : 0));
        }
        p.setPen(TextColor);
        static const QString shortNames[FaultKindCount]
            = {u"crash"_s,        u"network cut"_s,  u"headset"_s,      u"sleep"_s,        u"walk-away"_s,
               u"stale status"_s, u"voice unreg."_s, u"poor network"_s, u"sleep on call"_s};
        // Nine kinds share the width: names wrap onto two lines rather than run into each other.
        p.drawText(QRect(gx, plot.bottom() + 4, group, 30), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
                   shortNames[k]);
        // How many of the faults were noticed at all (the others ended first, or never).
        p.setPen(QColor(0x66, 0x66, 0x66));
        QFont small = p.font();
        small.setPointSizeF(7.5);
        const QFont before = p.font();
        p.setFont(small);
        p.drawText(QRect(gx, plot.bottom() + 34, group, 16), Qt::AlignHCenter | Qt::AlignTop,
                   u"%1/%2·%3/%4"_s.arg(legacy.detection.at(size_t(k)).detected)
                       .arg(legacy.detection.at(size_t(k)).faults)
                       .arg(enhanced.detection.at(size_t(k)).detected)
                       .arg(enhanced.detection.at(size_t(k)).faults));
        p.setFont(before);
    }
}

} // namespace

bool renderFleetChart(const FleetReport &legacy, const FleetReport &enhanced, const QString &path)
{
    QImage image(1400, 980, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);

    QFont font = p.font();
    font.setPointSizeF(15);
    font.setBold(true);
    p.setFont(font);
    p.setPen(TextColor);
    p.drawText(QRect(30, 14, 1340, 30), Qt::AlignLeft | Qt::AlignVCenter,
               u"Availability truth: legacy against enhanced discovery"_s);
    font.setPointSizeF(10);
    font.setBold(false);
    p.setFont(font);
    p.setPen(QColor(0x55, 0x55, 0x55));
    p.drawText(
        QRect(30, 44, 1340, 20), Qt::AlignLeft | Qt::AlignVCenter,
        u"%1 simulated agents, %2 simulated minutes, %3 calls, seed %4; the same faults and callers in both runs"_s
            .arg(enhanced.agents)
            .arg(enhanced.durationMs / 60'000)
            .arg(enhanced.calls)
            .arg(enhanced.seed));
    // Legend.
    int lx = 30;
    for (const auto &[name, color] :
         {std::pair {u"legacy (status only)"_s, LegacyColor}, std::pair {u"enhanced (readiness)"_s, EnhancedColor}}) {
        p.fillRect(QRect(lx, 72, 14, 14), color);
        p.setPen(TextColor);
        p.drawText(QRect(lx + 20, 70, 200, 18), Qt::AlignLeft | Qt::AlignVCenter, name);
        lx += 220;
    }

    const QRect a(30, 100, 660, 420);
    const QRect b(710, 100, 660, 420);
    const QRect c(30, 540, 560, 420);
    const QRect d(610, 540, 760, 420);
    const auto error = [](const FleetReport &r) {
        return r.agentSamples ? 100.0 * double(r.agentSamples - r.matchingSamples) / double(r.agentSamples) : 0.0;
    };
    logPercentPanel(
        p, a, u"Availability view wrong"_s,
        u"agent-seconds where the view discovery acts on differs from the truth (accuracy target ≥ 99.9 %)"_s,
        error(legacy), error(enhanced), 0.1);
    const auto falseShare = [](const FleetReport &r) {
        return r.calls ? 100.0 * r.falseOffers / r.calls : 0.0;
    };
    logPercentPanel(p, b, u"False-available offers"_s, u"offers to agents who could not answer, per call placed"_s,
                    falseShare(legacy), falseShare(enhanced), 0.1);
    callersPanel(p, c, legacy, enhanced);
    detectionPanel(p, d, legacy, enhanced);
    p.end();
    QDir().mkpath(QFileInfo(path).absolutePath());
    return image.save(path, "PNG");
}

} // namespace heartline
