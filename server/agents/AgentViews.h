#pragma once

#include <QtGlobal>

#include "agents/AgentRecord.h"
#include "protocol/SupervisorProtocol.h"

namespace heartline {

struct ReadinessConfig;

/// The wire DeviceState of what the agent app reported: the scoring view (presence, voice
/// registration, network) merged with the names kept for display. Empty names count as not reported.
[[nodiscard]] DeviceState deviceState(const DeviceReport &report, const DeviceDetails &details);

/// What supervisors see of one agent at `nowMs`: the one mapping from the in-memory record to the
/// wire AgentView (the supervisor socket, GET /api/agents and GET /api/agent-heartbeat all use it).
///
/// Readiness is scored again for `nowMs` with `config` rather than copied from the record: the
/// record's copy dates from the agent's last change, and the heartbeat factor decays between two
/// heartbeats, so a copy would show "last heartbeat 1 s ago" to a supervisor a minute later.
/// Scoring is pure and cheap, and this never touches AgentService (whose agent() would announce a
/// change and feed the supervisor deltas back into themselves).
[[nodiscard]] AgentView agentView(const AgentRecord &record, const ReadinessConfig &config, qint64 nowMs);

} // namespace heartline
