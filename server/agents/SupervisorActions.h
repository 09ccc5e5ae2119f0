#pragma once

#include <optional>

#include <QString>

#include "core/AgentState.h"
#include "core/Result.h"

namespace heartline {

class AgentRegistry;
class AgentService;

/// What a supervisor may do to an agent, the same over /ws/supervisor and over HTTP. Problems carry
/// the wire codes: "unknown_agent", "not_logged_in", or the store's "storage_error".
class SupervisorActions final
{
    Q_DISABLE_COPY_MOVE(SupervisorActions)

public:
    SupervisorActions(AgentService &agents, const AgentRegistry &registry) : m_agents(agents), m_registry(registry) { }

    /// Imposes a status (sticky: the agent app's routine heartbeats do not undo it; the agent's own
    /// explicit choice does). Only for a logged-in agent: the session belongs to the agent app, and a
    /// session opened by a supervisor would have no app behind it. Durable before it returns.
    std::optional<Problem> setStatus(const QString &supervisorId, const QString &agentId, AgentStatus status,
                                     const QString &reason);
    /// Ends the agent's session (status offline). An agent already logged out is left as it is.
    std::optional<Problem> logout(const QString &supervisorId, const QString &agentId, const QString &reason);

private:
    AgentService &m_agents;
    const AgentRegistry &m_registry;
};

} // namespace heartline
