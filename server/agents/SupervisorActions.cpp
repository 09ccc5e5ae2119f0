#include "agents/SupervisorActions.h"

#include <QLoggingCategory>

#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSupervisor, "heartline.supervisor")

namespace heartline {

namespace {

const QString SupervisorCause = u"supervisor"_s;

Problem unknownAgent(const QString &agentId)
{
    return Problem {u"unknown_agent"_s, u"agentId"_s, u"no agent with id \"%1\""_s.arg(agentId)};
}

} // namespace

std::optional<Problem> SupervisorActions::setStatus(const QString &supervisorId, const QString &agentId,
                                                    AgentStatus status, const QString &reason)
{
    const AgentRecord *record = m_registry.find(agentId);
    if (!record)
        return unknownAgent(agentId);
    if (!record->snapshot.sessionActive) {
        return Problem {u"not_logged_in"_s, u"agentId"_s,
                        u"agent \"%1\" is not logged in; only the agent can start a session"_s.arg(agentId)};
    }
    const auto changed = m_agents.setStatus(agentId, status, reason, StatusChangeSource::Supervisor, SupervisorCause);
    if (!changed)
        return changed.error();
    qCInfo(lcSupervisor).noquote() << supervisorId << "set" << agentId << "to" << toString(status) << reason;
    return std::nullopt;
}

std::optional<Problem> SupervisorActions::logout(const QString &supervisorId, const QString &agentId,
                                                 const QString &reason)
{
    if (!m_registry.find(agentId))
        return unknownAgent(agentId);
    if (auto problem = m_agents.closeSession(agentId, StatusChangeSource::Supervisor, SupervisorCause))
        return problem;
    qCInfo(lcSupervisor).noquote() << supervisorId << "logged out" << agentId << reason;
    return std::nullopt;
}

} // namespace heartline
