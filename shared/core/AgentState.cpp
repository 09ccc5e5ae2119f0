#include "core/AgentState.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr std::array statusNames {
    std::pair {AgentStatus::Available, u"available"},
    std::pair {AgentStatus::Away, u"away"},
    std::pair {AgentStatus::Offline, u"offline"},
};

constexpr std::array activityNames {
    std::pair {AgentActivity::Idle, u"idle"},
    std::pair {AgentActivity::Ringing, u"ringing"},
    std::pair {AgentActivity::OnCall, u"on-call"},
    std::pair {AgentActivity::WrapUp, u"wrap-up"},
    std::pair {AgentActivity::Cooldown, u"cooldown"},
    std::pair {AgentActivity::Stale, u"stale"},
    std::pair {AgentActivity::Disconnected, u"disconnected"},
};

constexpr std::array connectionNames {
    std::pair {ConnectionKind::WebSocket, u"websocket"},
    std::pair {ConnectionKind::HttpOnly, u"http"},
    std::pair {ConnectionKind::None, u"none"},
};

template <typename Table, typename Enum> QString nameOf(const Table &table, Enum value)
{
    for (const auto &[candidate, name] : table) {
        if (candidate == value)
            return QString::fromUtf16(name);
    }
    Q_UNREACHABLE();
    return {};
}

template <typename Table>
auto valueOf(const Table &table, QStringView text) -> std::optional<typename Table::value_type::first_type>
{
    for (const auto &[value, name] : table) {
        if (text == QStringView(name))
            return value;
    }
    return std::nullopt;
}

} // namespace

QString toString(AgentStatus status)
{
    return nameOf(statusNames, status);
}

std::optional<AgentStatus> agentStatusFromString(QStringView text)
{
    return valueOf(statusNames, text);
}

QString toString(AgentActivity activity)
{
    return nameOf(activityNames, activity);
}

std::optional<AgentActivity> agentActivityFromString(QStringView text)
{
    return valueOf(activityNames, text);
}

QString toString(ConnectionKind kind)
{
    return nameOf(connectionNames, kind);
}

std::optional<ConnectionKind> connectionKindFromString(QStringView text)
{
    return valueOf(connectionNames, text);
}

QString acceptedAgentStatuses()
{
    return u"available, away or offline"_s;
}

} // namespace heartline
