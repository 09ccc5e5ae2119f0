#include "models/Formatting.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace heartline {

QString Formatting::status(AgentStatus status, const std::optional<QString> &awayReason)
{
    switch (status) {
    case AgentStatus::Available:
        return tr("Available");
    case AgentStatus::Away:
        return awayReason && !awayReason->isEmpty() ? tr("Away (%1)").arg(*awayReason) : tr("Away");
    case AgentStatus::Offline:
        return tr("Offline");
    }
    return {};
}

QString Formatting::activity(AgentActivity activity)
{
    switch (activity) {
    case AgentActivity::Idle:
        return tr("Idle");
    case AgentActivity::Ringing:
        return tr("Ringing");
    case AgentActivity::OnCall:
        return tr("On call");
    case AgentActivity::WrapUp:
        return tr("Wrap-up");
    case AgentActivity::Cooldown:
        return tr("Cooldown");
    case AgentActivity::Stale:
        return tr("Stale");
    case AgentActivity::Disconnected:
        return tr("Disconnected");
    }
    return {};
}

QString Formatting::connection(ConnectionKind kind)
{
    switch (kind) {
    case ConnectionKind::WebSocket:
        return tr("WebSocket");
    case ConnectionKind::HttpOnly:
        return tr("HTTP only");
    case ConnectionKind::None:
        return tr("Not connected");
    }
    return {};
}

QString Formatting::duration(qint64 ms)
{
    const qint64 seconds = std::max<qint64>(ms, 0) / 1000;
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString Formatting::age(std::optional<qint64> atMs, qint64 nowMs)
{
    if (!atMs)
        return tr("never");
    return duration(nowMs - *atMs);
}

QString Formatting::milliseconds(double ms)
{
    return tr("%1 ms").arg(qRound(ms));
}

QString Formatting::rate(std::optional<double> rate)
{
    if (!rate)
        return none();
    return tr("%1 %").arg(QLocale().toString(*rate * 100, 'f', 0));
}

QString Formatting::routingPath(const QString &path)
{
    if (path == u"enhanced"_s)
        return tr("Enhanced");
    if (path == u"fallback"_s)
        return tr("Fallback");
    if (path == u"legacy"_s)
        return tr("Legacy");
    if (path == u"queued"_s)
        return tr("Queued");
    if (path == u"none"_s)
        return tr("No agent");
    return path;
}

QString Formatting::issueKind(const QString &kind)
{
    if (kind == u"headset_unplugged"_s)
        return tr("Headset unplugged");
    if (kind == u"device_disconnected"_s)
        return tr("Device disconnected");
    if (kind == u"voice_unregistered"_s)
        return tr("Voice not registered");
    if (kind == u"stale_heartbeat"_s)
        return tr("Heartbeat stale");
    if (kind == u"high_rtt"_s)
        return tr("High round trip");
    if (kind == u"disconnected"_s)
        return tr("Disconnected");
    return kind;
}

QString Formatting::factorName(const QString &name)
{
    if (name == u"heartbeat"_s)
        return tr("Heartbeat");
    if (name == u"device"_s)
        return tr("Device");
    if (name == u"network"_s)
        return tr("Network");
    if (name == u"reliability"_s)
        return tr("Reliability");
    return name;
}

QString Formatting::timestamp(qint64 ms, qint64 nowMs)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms).toLocalTime();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs).toLocalTime();
    if (time.date() == now.date())
        return QLocale().toString(time.time(), u"HH:mm:ss"_s);
    return QLocale().toString(time, u"d MMM HH:mm"_s);
}

} // namespace heartline
