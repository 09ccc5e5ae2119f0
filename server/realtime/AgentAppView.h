#pragma once

#include <QString>
#include <QStringList>

#include "core/AgentState.h"

namespace heartline {

struct AgentRecord;

/// What the agent app shows of the server's view of its agent: the status, the activity and the
/// readiness card (score, verdict, the gates behind its headline, the reasons listed under it).
/// Two records with equal views look the same in the app, so a push between them would be noise:
/// the factor reasons that cost nothing ("last heartbeat 3 s ago") change every second and are not
/// shown.
struct AgentAppView
{
    AgentStatus status = AgentStatus::Offline;
    QString awayReason;
    AgentActivity activity = AgentActivity::Disconnected;
    int score = 0;
    bool ready = false;
    QStringList failedGates; ///< gate codes: the card's headline ("A call is ringing for you") comes from them
    QStringList reasons;     ///< ReadinessResult::reasons(): the lines under the headline

    [[nodiscard]] static AgentAppView of(const AgentRecord &record);

    friend bool operator==(const AgentAppView &, const AgentAppView &) = default;
};

} // namespace heartline
