#pragma once

#include <optional>
#include <variant>

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include "core/AgentState.h"
#include "core/Result.h"
#include "protocol/ProtocolTypes.h"
#include "readiness/ReadinessResult.h"

// Messages of the /ws/agent WebSocket between the agent app and the server. docs/protocol.md
// shows each one on the wire.

namespace heartline {

// --- agent app → server ---

/// First message after the upgrade. The token may come here or as "Authorization: Bearer" on the
/// upgrade request.
struct AgentHello
{
    static constexpr QStringView Type = u"hello";
    std::optional<QString> token;
    std::optional<QString> clientVersion;
    std::optional<QString> voiceIdentity; ///< the Voice SDK client identity the app registered

    friend bool operator==(const AgentHello &, const AgentHello &) = default;
};

/// The seed's heartbeat over the WebSocket; the server answers with an AgentAck carrying `seq`.
struct AgentHeartbeat
{
    static constexpr QStringView Type = u"heartbeat";
    AgentStatus currentStatus = AgentStatus::Offline;
    bool deviceConnected = false;
    std::optional<qint64> seq; ///< 0..2^53-1, echoed in the ack
    std::optional<QString> awayReason;
    std::optional<DeviceState> devices;

    friend bool operator==(const AgentHeartbeat &, const AgentHeartbeat &) = default;
};

/// Sent when a device appears or disappears, without waiting for the next heartbeat.
struct AgentDeviceState
{
    static constexpr QStringView Type = u"deviceState";
    DeviceState devices;
    std::optional<bool> deviceConnected;

    friend bool operator==(const AgentDeviceState &, const AgentDeviceState &) = default;
};

/// The agent picks a status; `reason` matters for away ("lunch").
struct AgentSetStatus
{
    static constexpr QStringView Type = u"setStatus";
    AgentStatus status = AgentStatus::Offline;
    std::optional<QString> reason;

    friend bool operator==(const AgentSetStatus &, const AgentSetStatus &) = default;
};

using AgentClientMessage = std::variant<AgentHello, AgentHeartbeat, AgentDeviceState, AgentSetStatus>;

// --- server → agent app ---

/// Answer to hello: who the agent is and how often to report.
struct AgentWelcome
{
    static constexpr QStringView Type = u"welcome";
    QString agentId;
    QString displayName;
    int heartbeatIntervalSeconds = 30; ///< 1..3600
    int pingIntervalSeconds = 10;      ///< 1..3600
    AgentStatus status = AgentStatus::Offline;
    std::optional<QString> awayReason;
    AgentActivity activity = AgentActivity::Idle;
    ReadinessResult readiness;
    qint64 serverTimeMs = 0;
    bool resumed = false; ///< the status was restored after a reconnect
    /// Desktop idle time before the app asks "Still there?", and how long the question waits for an
    /// answer before the app reports the agent idle (IDLE_PROMPT_SECONDS, IDLE_GRACE_SECONDS). Absent
    /// from servers that predate them; a prompt of 0 means the server does not watch idle time.
    std::optional<int> idlePromptSeconds; ///< 0..86400
    std::optional<int> idleGraceSeconds;  ///< 1..3600
    /// Desktop idle time after which the app reports presence "quiet" (INPUT_QUIET_SECONDS): routing
    /// offers calls to agents with recent input first. Absent or 0: the app does not report it.
    std::optional<int> inputQuietSeconds; ///< 0..86400
    /// How widely the app spreads its first attempt to come back after the connection drops: a random
    /// delay below this many milliseconds. The server sizes it to the number of apps it serves, so that
    /// a restart sees them return quickly without all in the same millisecond. Absent: the app's own backoff.
    std::optional<int> reconnectSpreadMs; ///< 0..600000

    friend bool operator==(const AgentWelcome &, const AgentWelcome &) = default;
};

/// Answer to a heartbeat.
struct AgentAck
{
    static constexpr QStringView Type = u"ack";
    std::optional<qint64> seq; ///< the heartbeat's seq, when it had one
    AgentStatus status = AgentStatus::Offline;
    AgentActivity activity = AgentActivity::Idle;
    ReadinessResult readiness;
    qint64 serverTimeMs = 0;

    friend bool operator==(const AgentAck &, const AgentAck &) = default;
};

/// The server's view of the agent changed (reserved for a call, on a call, wrapping up, back to idle,
/// readiness up or down): pushed when it happens, not in answer to anything, so the app never shows
/// what the last ack said while a call rings. An ack stays the answer to a heartbeat.
struct AgentReadiness
{
    static constexpr QStringView Type = u"readiness";
    AgentStatus status = AgentStatus::Offline;
    std::optional<QString> awayReason;
    AgentActivity activity = AgentActivity::Idle;
    ReadinessResult readiness;
    qint64 serverTimeMs = 0;

    friend bool operator==(const AgentReadiness &, const AgentReadiness &) = default;
};

/// The agent's status changed, by the agent's own request or by someone else.
struct AgentStatusChanged
{
    static constexpr QStringView Type = u"statusChanged";
    AgentStatus status = AgentStatus::Offline;
    std::optional<QString> awayReason;
    AgentActivity activity = AgentActivity::Idle;
    StatusChangeSource by = StatusChangeSource::Server;
    QString cause; ///< a code: "no-answer", "cleanup", "supervisor", "reconnect", ...
    std::optional<QString> message;

    friend bool operator==(const AgentStatusChanged &, const AgentStatusChanged &) = default;
};

/// The same agent connected elsewhere; this connection is about to close.
struct AgentSessionReplaced
{
    static constexpr QStringView Type = u"sessionReplaced";
    QString message;

    friend bool operator==(const AgentSessionReplaced &, const AgentSessionReplaced &) = default;
};

/// A call is ringing for this agent.
struct AgentCallOffered
{
    static constexpr QStringView Type = u"callOffered";
    QString callSid;
    QString from;
    QString to;
    std::optional<QString> queue;
    int waitSeconds = 0; ///< how long the caller waited before this offer
    qint64 offeredAtMs = 0;

    friend bool operator==(const AgentCallOffered &, const AgentCallOffered &) = default;
};

struct AgentCallEnded
{
    static constexpr QStringView Type = u"callEnded";
    QString callSid;
    QString outcome; ///< "completed", "no-answer", "canceled", ...

    friend bool operator==(const AgentCallEnded &, const AgentCallEnded &) = default;
};

using AgentServerMessage = std::variant<AgentWelcome, AgentAck, AgentReadiness, AgentStatusChanged,
                                        AgentSessionReplaced, AgentCallOffered, AgentCallEnded, ServerError>;

/// Parses what an agent app sends. Unknown fields are ignored; see docs/protocol.md for the errors.
[[nodiscard]] Result<AgentClientMessage> parseAgentClientMessage(QByteArrayView raw);
/// Parses what the server sends to an agent app.
[[nodiscard]] Result<AgentServerMessage> parseAgentServerMessage(QByteArrayView raw);

/// Each message as a JSON object with "type" and "v".
[[nodiscard]] QJsonObject toJson(const AgentHello &message);
[[nodiscard]] QJsonObject toJson(const AgentHeartbeat &message);
[[nodiscard]] QJsonObject toJson(const AgentDeviceState &message);
[[nodiscard]] QJsonObject toJson(const AgentSetStatus &message);
[[nodiscard]] QJsonObject toJson(const AgentWelcome &message);
[[nodiscard]] QJsonObject toJson(const AgentAck &message);
[[nodiscard]] QJsonObject toJson(const AgentReadiness &message);
[[nodiscard]] QJsonObject toJson(const AgentStatusChanged &message);
[[nodiscard]] QJsonObject toJson(const AgentSessionReplaced &message);
[[nodiscard]] QJsonObject toJson(const AgentCallOffered &message);
[[nodiscard]] QJsonObject toJson(const AgentCallEnded &message);

/// Compact UTF-8 JSON text (send with QWebSocket::sendTextMessage(QString::fromUtf8(...))).
[[nodiscard]] QByteArray serialize(const AgentClientMessage &message);
[[nodiscard]] QByteArray serialize(const AgentServerMessage &message);

} // namespace heartline
