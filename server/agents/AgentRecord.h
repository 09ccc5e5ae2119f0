#pragma once

#include <QString>
#include <QStringList>

#include "core/AgentState.h"
#include "protocol/ProtocolTypes.h"
#include "readiness/AgentSnapshot.h"
#include "readiness/ReadinessResult.h"

namespace heartline {

/// Routing settings of one agent: durable, changed by admins, read on every routing decision.
struct AgentProfile
{
    QString agentId;
    QString displayName;
    int maxConcurrentCalls = 1;
    QStringList skills; ///< queues / skills this agent serves
    int priority = 0;   ///< for top-down routing: lower is offered first
    int wrapUpSeconds = 15;
    int maxNoAnswer = 3; ///< unanswered offers in a row before the agent is put away with reason no-answer
};

/// Bounds of a profile's values, checked alike by the admin CLI and the admin routes.
struct ProfileLimits
{
    static constexpr int MinPriority = -1'000'000;
    static constexpr int MaxPriority = 1'000'000;
    static constexpr int MaxConcurrentCalls = 100;
    static constexpr int MaxWrapUpSeconds = 3600;
    static constexpr int MaxNoAnswer = 100;
    static constexpr int MaxSkills = 50;
    static constexpr int MaxSkillLength = 64;
};

/// Device details as the agent app last reported them, kept for display (names) beside the
/// scoring view in AgentSnapshot::devices.
struct DeviceDetails
{
    QString audioInputName;
    QString audioOutputName;
    QString networkType;
    std::optional<CallQuality> callQuality; ///< the call in progress, shown to supervisors (not scored)
    /// How the app takes calls, as it last said; unknown for apps that do not say (dialed over SIP
    /// when SIP_DOMAIN is set).
    std::optional<VoiceLine> voiceLine;
};

/// What the app last said about someone being at the desk (DeviceState's presence and idleSeconds).
/// Absent from apps that do not watch desktop input.
struct PresenceReport
{
    std::optional<Presence> presence;
    std::optional<double> idleSeconds; ///< since the last keyboard or mouse input
};

/// Where an agent is counted in the /metrics gauges (AgentMetrics), so that a change moves it from
/// its old place to its new one without a pass over every agent.
struct MetricsPlace
{
    bool counted = false; ///< logged in when last counted
    quint8 status = 0;
    quint8 activity = 0;
    quint8 scoreBucket = 0;
    bool ready = false;
    bool deviceConnected = false;
};

/// Everything the server knows about one agent, in memory. Heartbeats, readiness and routing read
/// and write only this; the store is written from it (status at once, heartbeats behind).
struct AgentRecord
{
    AgentProfile profile;
    AgentSnapshot snapshot; ///< the readiness inputs (status, heartbeat, devices, calls, connection...)
    DeviceDetails deviceDetails;
    AgentActivity activity = AgentActivity::Disconnected;

    ReadinessResult readiness; ///< as of readinessAtMs; recomputed whenever an input changes
    MetricsPlace metricsPlace; ///< kept by AgentMetrics
    qint64 readinessAtMs = 0;

    qint64 sessionId = 0; ///< row of the open agent session, 0 when logged out
    qint64 loginAtMs = 0;
    qint64 statusChangedAtMs = 0;
    bool statusSticky = false; ///< imposed by the server (no-answer) or a supervisor: heartbeats do not undo it
    qint64 idleSinceMs = 0;    ///< for longest-idle routing
    qint64 disconnectedAtMs = 0;
    bool watchesInput = false; ///< the app of this session reports desktop input idle time
    /// The app says no input for INPUT_QUIET_SECONDS: offered calls after agents with recent input.
    bool inputQuiet = false;
    AgentStatus statusBeforeDisconnect = AgentStatus::Offline; ///< restored on a reconnect within the grace period
    QString awayReasonBeforeDisconnect;

    // Calls, kept by routing through AgentService's offer and call methods.
    QString reservedCallSid;     ///< the call ringing at this agent, empty when none
    QStringList activeCallSids;  ///< answered calls not yet ended (at most maxConcurrentCalls)
    qint64 lastOfferedAtMs = 0;  ///< for round-robin routing
    int callsToday = 0;          ///< answered calls since midnight UTC
    qint64 talkSecondsToday = 0; ///< for least-talk-time routing
    qint64 countersDay = 0;      ///< the UTC day (ms / 86'400'000) the two counters above belong to
    qint64 currentCallStartedMs = 0;
    int noAnswerStreak = 0;     ///< unanswered offers in a row
    quint32 recentOutcomes = 0; ///< bit i: offer i (0 = newest) was answered
    int recentOfferCount = 0;   ///< offers in the window, at most RecentOfferWindow
    static constexpr int RecentOfferWindow = 10;

    qint64 expiryDeadlineMs = 0; ///< key in the registry's expiry index, 0 = not indexed
    quint64 revision = 0;        ///< bumped on every change; supervisors get deltas of changed revisions
};

} // namespace heartline
