#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

namespace heartline {

/// The agents as the server sees them (GET /api/agents), counted for the demo's summary: the busy
/// ones by what keeps them busy, the others, not ready, each with the server's own reason.
struct AgentTally
{
    struct NotReady
    {
        QString agentId;
        QString reason; ///< the readiness verdict's first reason: "not logged in", "no audio input device"
    };

    int total = 0;
    int ready = 0;
    int onCall = 0;
    int ringing = 0;
    int wrapUp = 0; ///< after-call work or the pause after a missed call
    QList<NotReady> notReady;

    /// `agents` as GET /api/agents returns them, in their order.
    [[nodiscard]] static AgentTally fromServer(const QJsonArray &agents);

    /// "not ready: agent-0007 no audio input device, agent-0012 not connected to the server, +3 more",
    /// at most `width` characters (the first agent is always named); empty when every agent is ready or busy.
    [[nodiscard]] QString notReadyText(int width) const;
};

} // namespace heartline
