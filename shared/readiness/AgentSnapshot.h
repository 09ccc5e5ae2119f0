#pragma once

#include <optional>

#include <QString>
#include <QtGlobal>

#include "core/AgentState.h"

namespace heartline {

/// What the agent app last told the server about its devices and network. Every value is optional:
/// the seed's clients only send `deviceConnected`, and a value that was not reported counts as fine.
struct DeviceReport
{
    std::optional<bool> audioInput;          ///< a microphone or headset is present
    std::optional<bool> audioOutput;         ///< speakers or a headset are present
    std::optional<bool> voiceRegistered;     ///< the Twilio voice endpoint is registered and can ring
    std::optional<double> networkRttMs;      ///< round trip measured by the client
    std::optional<double> packetLossPercent; ///< 0..100, measured by the client

    friend bool operator==(const DeviceReport &, const DeviceReport &) = default;
};

/// Everything readiness needs to know about one agent at one instant. The server builds it from its
/// in-memory state; scoring never reads anything else. Defaults describe a logged-out agent, so a
/// snapshot someone forgot to fill in is never ready.
struct AgentSnapshot
{
    bool sessionActive = false;
    AgentStatus status = AgentStatus::Offline;
    QString awayReason; ///< "lunch", "break", "no-answer"...; empty when none was given

    bool deviceConnected = false;          ///< the seed's field
    std::optional<qint64> lastHeartbeatMs; ///< server time of the last heartbeat; none ever received
    ConnectionKind connection = ConnectionKind::None;
    std::optional<double> wsPingRttMs; ///< WebSocket ping round trip, measured by the server
    DeviceReport devices;

    int activeCalls = 0;
    int maxConcurrentCalls = 1; ///< values below 1 are treated as 1, the seed's default
    bool reserved = false;      ///< offered a call that is ringing and not yet answered
    qint64 wrapUpUntilMs = 0;   ///< server time wrap-up ends; 0 = none
    qint64 cooldownUntilMs = 0; ///< server time cooldown (after a missed or rejected call) ends; 0 = none

    int recentOffers = 0;  ///< calls offered in the server's recent window
    int recentAnswers = 0; ///< of those, how many were answered

    /// Why Twilio could not reach the agent's voice line although the app may think it registered
    /// ("voice line not registered at Twilio (SIP 480)"); empty when nothing is known against it.
    QString voiceUnreachable;

    /// Loaded from the database at start-up and not heard from since (no heartbeat, no hello): the
    /// app may not have survived the restart, so the stored status is not taken at its word.
    bool unconfirmed = false;
    /// The app says nobody answered its "Still there?" prompt: no input for IDLE_PROMPT_SECONDS plus
    /// the grace. Cleared by the app's next report of input.
    bool presenceIdle = false;
    /// Server time an offer to this agent rang out (no answer), for an app that reports input idle
    /// time; 0 = none. Until the app reports input after that instant, the agent is offered nothing.
    qint64 rangOutAtMs = 0;

    friend bool operator==(const AgentSnapshot &, const AgentSnapshot &) = default;
};

} // namespace heartline
