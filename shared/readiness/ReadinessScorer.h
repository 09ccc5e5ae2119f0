#pragma once

#include <QStringView>
#include <QtGlobal>

#include "readiness/AgentSnapshot.h"
#include "readiness/ReadinessConfig.h"
#include "readiness/ReadinessResult.h"

namespace heartline {

/// Stable codes of the hard gates, in the order they are checked and reported. Logs, the wire
/// protocol and the supervisor app key on them: never rename one.
namespace readinessgate {
inline constexpr QStringView NoSession = u"no_session";
inline constexpr QStringView StatusNotAvailable = u"status_not_available";
inline constexpr QStringView HeartbeatExpired = u"heartbeat_expired";
inline constexpr QStringView Disconnected = u"disconnected";
inline constexpr QStringView AtCapacity = u"at_capacity";
inline constexpr QStringView Reserved = u"reserved";
inline constexpr QStringView WrapUp = u"wrap_up";
inline constexpr QStringView Cooldown = u"cooldown";
inline constexpr QStringView VoiceNotRegistered = u"voice_not_registered";
inline constexpr QStringView VoiceUnreachable = u"voice_unreachable";
inline constexpr QStringView NetworkUnusable = u"network_unusable";
inline constexpr QStringView Unconfirmed = u"unconfirmed";
inline constexpr QStringView Idle = u"idle";
inline constexpr QStringView RangOut = u"rang_out";

/// The gates of handling calls (ringing, on a call, wrapping up, the pause after a missed one): the
/// agent is busy, not unavailable.
[[nodiscard]] inline bool isCallGate(QStringView gate)
{
    return gate == Reserved || gate == AtCapacity || gate == WrapUp || gate == Cooldown;
}
} // namespace readinessgate

/// Factor names, in the order they appear in ReadinessResult::factors.
namespace readinessfactor {
inline constexpr QStringView Heartbeat = u"heartbeat";
inline constexpr QStringView Device = u"device";
inline constexpr QStringView Network = u"network";
inline constexpr QStringView Reliability = u"reliability";
} // namespace readinessfactor

/// Scores one agent at the instant `nowMs` (server time, ms since the epoch).
///
/// Pure: no I/O, no clock, no shared state, so it is safe from any thread and cheap enough to run on
/// every heartbeat and for every routing candidate. Every gate is checked, so a supervisor sees all
/// the reasons at once; the four factors are always present, each with points and a reason.
/// docs/readiness.md describes the gates, the formulas and a worked example.
[[nodiscard]] ReadinessResult scoreReadiness(const AgentSnapshot &agent, const ReadinessConfig &config, qint64 nowMs);

} // namespace heartline
