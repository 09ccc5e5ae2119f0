#include "models/ReadinessText.h"

#include "models/Formatting.h"
#include "readiness/ReadinessScorer.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// The server's heartbeat reasons read "last heartbeat 14 s ago" or "last heartbeat 95 s ago (limit
/// 90 s)" (ReadinessScorer.cpp); the age between the prefix and " ago" is the part that goes stale.
/// A reason worded otherwise ("no heartbeat received yet", "heartbeat checks off") is kept as it is.
QString withLiveAge(const QString &serverReason, const AgentView &agent, qint64 nowMs)
{
    static const QString Prefix = u"last heartbeat "_s;
    static const QString Ago = u" ago"_s;
    if (!agent.lastHeartbeatMs || !serverReason.startsWith(Prefix))
        return serverReason;
    const qsizetype ago = serverReason.indexOf(Ago, Prefix.size());
    if (ago < 0)
        return serverReason;
    return ReadinessText::tr("last heartbeat %1 ago").arg(ReadinessText::heartbeatAge(agent, nowMs))
        + serverReason.mid(ago + Ago.size());
}

} // namespace

QString ReadinessText::heartbeatAge(const AgentView &agent, qint64 nowMs)
{
    return agent.loggedIn || agent.lastHeartbeatMs ? Formatting::age(agent.lastHeartbeatMs, nowMs) : Formatting::none();
}

QString ReadinessText::gateReason(const ReadinessGate &gate, const AgentView &agent, qint64 nowMs)
{
    return gate.gate == readinessgate::HeartbeatExpired ? withLiveAge(gate.reason, agent, nowMs) : gate.reason;
}

QString ReadinessText::factorReason(const ReadinessFactor &factor, const AgentView &agent, qint64 nowMs)
{
    return factor.name == readinessfactor::Heartbeat ? withLiveAge(factor.reason, agent, nowMs) : factor.reason;
}

QStringList ReadinessText::reasons(const AgentView &agent, qint64 nowMs)
{
    QStringList out;
    for (const ReadinessGate &gate : agent.readiness.failedGates)
        out.append(gateReason(gate, agent, nowMs));
    for (const ReadinessFactor &factor : agent.readiness.factors) {
        if (factor.points < factor.maxPoints)
            out.append(factorReason(factor, agent, nowMs));
    }
    return out;
}

} // namespace heartline
