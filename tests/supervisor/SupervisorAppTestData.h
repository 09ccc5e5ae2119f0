#pragma once

// Agent views for the supervisor app suites, written as one line each so data tables stay readable:
// "a1 available idle 90" = id, status, activity, readiness score (ready when available, idle and
// >= 70), with "away:lunch" for an away reason and "-" as status for a logged-out agent.

#include <QStringList>

#include "core/Clock.h"
#include "protocol/SupervisorProtocol.h"

namespace heartline::test {

/// An agent view from "id status activity score [queue,queue]"; status "-" means logged out.
inline AgentView agentFromSpec(const QString &spec)
{
    using namespace Qt::StringLiterals;
    const QStringList parts = spec.split(u' ', Qt::SkipEmptyParts);
    AgentView agent;
    agent.agentId = parts.value(0);
    agent.displayName = u"Agent "_s + agent.agentId.toUpper();
    const QString status = parts.value(1);
    agent.loggedIn = status != u"-"_s;
    if (!agent.loggedIn) {
        agent.status = AgentStatus::Offline;
    } else if (status.startsWith(u"away"_s)) {
        agent.status = AgentStatus::Away;
        if (status.contains(u':'))
            agent.awayReason = status.section(u':', 1);
    } else {
        agent.status = *agentStatusFromString(status);
    }
    agent.activity = agentActivityFromString(parts.value(2, u"idle"_s)).value_or(AgentActivity::Idle);
    if (!agent.loggedIn)
        agent.activity = AgentActivity::Disconnected;
    agent.connection = agent.loggedIn ? ConnectionKind::WebSocket : ConnectionKind::None;
    agent.readiness.score = parts.value(3, u"0"_s).toInt();
    agent.readiness.factors = {{u"heartbeat"_s, 30, 30, u"last heartbeat 2 s ago"_s}};
    if (!agent.loggedIn) {
        agent.readiness.failedGates = {{u"no_session"_s, u"not logged in"_s}};
    } else if (agent.status == AgentStatus::Away) {
        agent.readiness.failedGates
            = {{u"status_not_available"_s,
                agent.awayReason ? u"status is away (%1)"_s.arg(*agent.awayReason) : u"status is away"_s}};
    } else if (agent.status == AgentStatus::Offline) {
        agent.readiness.failedGates = {{u"status_not_available"_s, u"status is offline"_s}};
    } else if (agent.activity == AgentActivity::OnCall) {
        agent.readiness.failedGates = {{u"at_capacity"_s, u"at capacity (1 of 1 calls)"_s}};
        agent.activeCalls = 1;
        agent.currentCallStartedMs = ManualClock::DefaultStartMs - 125'000;
    }
    if (agent.readiness.score < 70 && agent.readiness.failedGates.isEmpty())
        agent.readiness.factors.append({u"device"_s, 0, 35, u"no audio input device"_s});
    agent.readiness.ready = agent.readiness.failedGates.isEmpty() && agent.readiness.score >= 70;
    if (agent.loggedIn) {
        agent.lastHeartbeatMs = ManualClock::DefaultStartMs - 2000;
        agent.devices.audioInput = true;
        agent.devices.audioOutput = true;
        agent.devices.voiceRegistered = true;
        agent.deviceConnected = true;
    }
    if (parts.size() > 4)
        agent.queues = parts.at(4).split(u',');
    return agent;
}

inline QList<AgentView> agentsFromSpecs(const QStringList &specs)
{
    QList<AgentView> agents;
    for (const QString &spec : specs)
        agents.append(agentFromSpec(spec));
    return agents;
}

} // namespace heartline::test
