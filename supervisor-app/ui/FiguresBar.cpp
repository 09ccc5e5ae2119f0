#include "ui/FiguresBar.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include "models/Formatting.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

QString objectNameOf(FiguresBar::Figure figure)
{
    switch (figure) {
    case FiguresBar::Figure::Ready:
        return u"figure-ready"_s;
    case FiguresBar::Figure::NotReady:
        return u"figure-not-ready"_s;
    case FiguresBar::Figure::OnCall:
        return u"figure-on-call"_s;
    case FiguresBar::Figure::Away:
        return u"figure-away"_s;
    case FiguresBar::Figure::Offline:
        return u"figure-offline"_s;
    case FiguresBar::Figure::DevicesConnected:
        return u"figure-devices"_s;
    case FiguresBar::Figure::AverageReadiness:
        return u"figure-readiness"_s;
    case FiguresBar::Figure::HeartbeatProcessing:
        return u"figure-heartbeat"_s;
    case FiguresBar::Figure::RoutingSuccess:
        return u"figure-routing"_s;
    }
    return {};
}

QString countText(std::optional<int> count)
{
    return count ? QLocale().toString(*count) : Formatting::none();
}

} // namespace

FiguresBar::FiguresBar(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    addTile(Figure::Ready, tr("Ready"), tr("Logged-in agents who can take a call now"), QColor(0x2e, 0x9e, 0x4f));
    addTile(Figure::NotReady, tr("Not ready"), tr("Logged-in agents who cannot take a call now"),
            QColor(0xd0, 0x34, 0x2c));
    addTile(Figure::OnCall, tr("On call"), tr("Agents talking to a caller"), QColor(0x1f, 0x5f, 0xbf));
    addTile(Figure::Away, tr("Away"), tr("Agents whose status is away"), QColor(0xe0, 0x9a, 0x1f));
    addTile(Figure::Offline, tr("Offline"), tr("Agents whose status is offline, logged out included"),
            QColor(0x90, 0x90, 0x90));
    addTile(Figure::DevicesConnected, tr("Devices connected"),
            tr("Share of logged-in agents whose app reports its device connected"), QColor(0x6a, 0x4c, 0x9c));
    addTile(Figure::AverageReadiness, tr("Average readiness"), tr("Mean readiness score of logged-in agents"),
            QColor(0x2e, 0x9e, 0x4f));
    addTile(Figure::HeartbeatProcessing, tr("Heartbeat handling"),
            tr("Server time to handle one heartbeat: median (99th percentile below)"), QColor(0x50, 0x70, 0x80));
    addTile(Figure::RoutingSuccess, tr("Routing success"),
            tr("Recent routing decisions that reached an agent (enhanced, fallback or legacy)"),
            QColor(0x1f, 0x5f, 0xbf));
}

void FiguresBar::addTile(Figure figure, const QString &caption, const QString &tooltip, const QColor &accent)
{
    auto *frame = new QFrame(this);
    frame->setObjectName(objectNameOf(figure));
    frame->setToolTip(tooltip);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setStyleSheet(u"QFrame#%1 { border: 1px solid palette(mid); border-left: 4px solid %2;"
                         " border-radius: 4px; background: palette(base); }"_s.arg(frame->objectName(), accent.name()));
    auto *box = new QVBoxLayout(frame);
    box->setContentsMargins(10, 6, 10, 6);
    box->setSpacing(0);
    auto *value = new QLabel(Formatting::none(), frame);
    value->setObjectName(u"value"_s);
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 1.7);
    big.setBold(true);
    value->setFont(big);
    auto *label = new QLabel(caption, frame);
    label->setStyleSheet(u"color: palette(dark);"_s);
    auto *detail = new QLabel(frame);
    detail->setStyleSheet(u"color: palette(dark); font-size: small;"_s);
    detail->hide();
    box->addWidget(value);
    box->addWidget(label);
    box->addWidget(detail);
    static_cast<QHBoxLayout *>(layout())->addWidget(frame, 1);
    m_tiles.insert(int(figure), Tile {value, detail});
}

void FiguresBar::set(Figure figure, const QString &value, const QString &detail)
{
    const Tile tile = m_tiles.value(int(figure));
    tile.value->setText(value);
    tile.detail->setText(detail);
    tile.detail->setVisible(!detail.isEmpty());
}

QString FiguresBar::value(Figure figure) const
{
    return m_tiles.value(int(figure)).value->text();
}

void FiguresBar::setFigures(const DashboardFigures &figures)
{
    set(Figure::Ready, countText(figures.ready),
        figures.loggedIn ? tr("of %1 logged in").arg(*figures.loggedIn) : QString());
    set(Figure::NotReady, countText(figures.notReady));
    set(Figure::OnCall, countText(figures.onCall));
    set(Figure::Away, countText(figures.away));
    set(Figure::Offline, countText(figures.offline));
    set(Figure::DevicesConnected, Formatting::rate(figures.deviceConnectedRate));
    set(Figure::AverageReadiness,
        figures.averageReadiness ? QLocale().toString(*figures.averageReadiness, 'f', 1) : Formatting::none());
    if (figures.heartbeatP50Ms) {
        set(Figure::HeartbeatProcessing, tr("%1 ms").arg(QLocale().toString(*figures.heartbeatP50Ms, 'f', 2)),
            figures.heartbeatP99Ms ? tr("p99 %1 ms").arg(QLocale().toString(*figures.heartbeatP99Ms, 'f', 2))
                                   : QString());
    } else {
        set(Figure::HeartbeatProcessing, Formatting::none());
    }
    set(Figure::RoutingSuccess, Formatting::rate(figures.routingSuccessRate),
        figures.routingDecisions == 0       ? QString()
            : figures.routingDecisions == 1 ? tr("of 1 decision")
                                            : tr("of %1 decisions").arg(figures.routingDecisions));
}

void FiguresBar::setStale(bool stale)
{
    for (const Tile &tile : std::as_const(m_tiles))
        tile.value->setStyleSheet(stale ? u"color: #9a9a9a;"_s : QString());
}

} // namespace heartline
