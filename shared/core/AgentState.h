#pragma once

#include <optional>

#include <QString>
#include <QStringView>

namespace heartline {

/// The status an agent chooses (the seed's `currentStatus`).
enum class AgentStatus {
    Available,
    Away,
    Offline,
};

/// What the server derives about an agent from sessions, calls and liveness.
enum class AgentActivity {
    Idle,
    Ringing,
    OnCall,
    WrapUp,
    Cooldown,
    Stale,
    Disconnected,
};

/// How the agent app is connected right now.
enum class ConnectionKind {
    WebSocket, ///< a live /ws/agent socket
    HttpOnly,  ///< heartbeat-over-HTTP clients: liveness comes from heartbeat age alone
    None,      ///< the socket closed or was found half-open (ping timeout), or never connected
};

/// Wire names: "available", "away", "offline".
[[nodiscard]] QString toString(AgentStatus status);
[[nodiscard]] std::optional<AgentStatus> agentStatusFromString(QStringView text);

/// Wire names: "idle", "ringing", "on-call", "wrap-up", "cooldown", "stale", "disconnected".
[[nodiscard]] QString toString(AgentActivity activity);
[[nodiscard]] std::optional<AgentActivity> agentActivityFromString(QStringView text);

/// Wire names: "websocket", "http", "none".
[[nodiscard]] QString toString(ConnectionKind kind);
[[nodiscard]] std::optional<ConnectionKind> connectionKindFromString(QStringView text);

/// The accepted wire names, for error messages ("available, away or offline").
[[nodiscard]] QString acceptedAgentStatuses();

} // namespace heartline
