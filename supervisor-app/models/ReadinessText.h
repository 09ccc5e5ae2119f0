#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "protocol/SupervisorProtocol.h"

namespace heartline {

/// The readiness reasons as the dashboard shows them, at the dashboard's time.
///
/// The server words every reason when it scores the agent, so the heartbeat age in "last heartbeat
/// 14 s ago" stops at what it was then while the heartbeat column keeps ticking. Here that age is
/// worded again from the agent's lastHeartbeatMs at `nowMs`, the same way the heartbeat column and
/// the detail panel word it, so one screen shows one age. Every other reason is the server's.
class ReadinessText final
{
    Q_DECLARE_TR_FUNCTIONS(ReadinessText)

public:
    [[nodiscard]] static QString gateReason(const ReadinessGate &gate, const AgentView &agent, qint64 nowMs);
    [[nodiscard]] static QString factorReason(const ReadinessFactor &factor, const AgentView &agent, qint64 nowMs);
    /// Failed gates first, then the factors that lost points (as ReadinessResult::reasons()).
    [[nodiscard]] static QStringList reasons(const AgentView &agent, qint64 nowMs);
    /// The age of the agent's last heartbeat at `nowMs` ("16 s"); "never" for a logged-in agent who
    /// sent none, "–" for a logged-out one.
    [[nodiscard]] static QString heartbeatAge(const AgentView &agent, qint64 nowMs);
};

} // namespace heartline
