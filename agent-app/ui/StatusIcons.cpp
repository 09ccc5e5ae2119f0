#include "ui/StatusIcons.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {
QIcon icon(const QString &name)
{
    return QIcon(u":/heartline/agent/icons/"_s + name + u".png"_s);
}
} // namespace

QIcon StatusIcons::app()
{
    return icon(u"heartline-agent"_s);
}

QIcon StatusIcons::forStatus(AgentStatus status)
{
    switch (status) {
    case AgentStatus::Available:
        return icon(u"status-available"_s);
    case AgentStatus::Away:
        return icon(u"status-away"_s);
    case AgentStatus::Offline:
        break;
    }
    return icon(u"status-offline"_s);
}

QIcon StatusIcons::disconnected()
{
    return icon(u"status-disconnected"_s);
}

QIcon StatusIcons::forCheck(CheckState state)
{
    switch (state) {
    case CheckState::Pass:
        return icon(u"check-pass"_s);
    case CheckState::Warn:
        return icon(u"check-warn"_s);
    case CheckState::Fail:
        return icon(u"check-fail"_s);
    case CheckState::Unknown:
        break;
    }
    return icon(u"check-unknown"_s);
}

} // namespace heartline
