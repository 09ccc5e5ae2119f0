#include "core/AgentState.h"

#include <array>
#include <utility>

#include "core/WordTable.h"

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

} // namespace

QString toString(AgentStatus status)
{
    return wordOf(statusNames, status);
}

std::optional<AgentStatus> agentStatusFromString(QStringView text)
{
    return valueOfWord(statusNames, text);
}

QString toString(AgentActivity activity)
{
    return wordOf(activityNames, activity);
}

std::optional<AgentActivity> agentActivityFromString(QStringView text)
{
    return valueOfWord(activityNames, text);
}

QString toString(ConnectionKind kind)
{
    return wordOf(connectionNames, kind);
}

std::optional<ConnectionKind> connectionKindFromString(QStringView text)
{
    return valueOfWord(connectionNames, text);
}

QString acceptedAgentStatuses()
{
    return u"available, away or offline"_s;
}

} // namespace heartline
