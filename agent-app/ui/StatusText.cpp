#include "ui/StatusText.h"

using namespace Qt::StringLiterals;

namespace heartline {

QStringList StatusText::awayReasons()
{
    return {u"break"_s, u"lunch"_s, u"meeting"_s, u"training"_s};
}

QString StatusText::reason(const QString &reason)
{
    if (reason == u"break"_s)
        return tr("Break");
    if (reason == u"lunch"_s)
        return tr("Lunch");
    if (reason == u"meeting"_s)
        return tr("Meeting");
    if (reason == u"training"_s)
        return tr("Training");
    if (reason == u"no-answer"_s)
        return tr("Missed calls");
    if (reason == u"screen locked"_s)
        return tr("Screen locked");
    return sentence(reason);
}

QString StatusText::status(AgentStatus status)
{
    switch (status) {
    case AgentStatus::Available:
        return tr("Available");
    case AgentStatus::Away:
        return tr("Away");
    case AgentStatus::Offline:
        break;
    }
    return tr("Offline");
}

QString StatusText::statusWithReason(AgentStatus status, const QString &awayReason)
{
    if (status == AgentStatus::Away && !awayReason.isEmpty())
        return tr("Away · %1").arg(reason(awayReason));
    return StatusText::status(status);
}

QString StatusText::connection(ConnectionState state, int reconnectInSeconds)
{
    switch (state) {
    case ConnectionState::Live:
        return tr("Connected");
    case ConnectionState::HttpOnly:
        return tr("Connected in basic mode");
    case ConnectionState::Reconnecting:
        return reconnectInSeconds > 0 ? tr("Reconnecting in %n s…", nullptr, reconnectInSeconds) : tr("Reconnecting…");
    case ConnectionState::Connecting:
        return tr("Connecting…");
    case ConnectionState::SigningIn:
        return tr("Signing in…");
    case ConnectionState::SignedOut:
        break;
    }
    return tr("Signed out");
}

QString StatusText::duration(qint64 seconds)
{
    const qint64 s = qMax<qint64>(0, seconds);
    if (s >= 3600)
        return u"%1:%2:%3"_s.arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return u"%1:%2"_s.arg(s / 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString StatusText::sentence(const QString &text)
{
    if (text.isEmpty())
        return text;
    return text.first(1).toUpper() + text.mid(1);
}

} // namespace heartline
