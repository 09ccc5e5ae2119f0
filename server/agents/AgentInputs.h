#pragma once

#include "agents/AgentService.h"
#include "protocol/AgentProtocol.h"
#include "protocol/HeartbeatProtocol.h"

namespace heartline {

/// From what the wire carries to what the agent state machine takes: the scoring view of the
/// devices (DeviceReport) and the names kept for display (DeviceDetails).
[[nodiscard]] DeviceReport deviceReport(const DeviceState &devices);
[[nodiscard]] DeviceDetails deviceDetails(const DeviceState &devices);
[[nodiscard]] PresenceReport presenceReport(const DeviceState &devices);
[[nodiscard]] HeartbeatInput heartbeatInput(const HttpHeartbeat &heartbeat);
[[nodiscard]] HeartbeatInput heartbeatInput(const AgentHeartbeat &heartbeat);

} // namespace heartline
