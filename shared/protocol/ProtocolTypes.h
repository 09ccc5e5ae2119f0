#pragma once

#include <optional>
#include <type_traits>
#include <variant>

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringView>

#include "protocol/JsonReader.h"
#include "protocol/JsonWriter.h"
#include "readiness/ReadinessResult.h"

// What every Heartline wire message shares: version, size limit, string limits, the device report,
// the readiness shape and the error message. The channel headers (AgentProtocol.h,
// SupervisorProtocol.h, HeartbeatProtocol.h) build on these. docs/protocol.md describes the wire.

namespace heartline {

/// The protocol version this build reads and writes. Messages may carry it as "v"; when they do it
/// must match, and every serializer writes it.
inline constexpr int ProtocolVersion = 1;
/// Larger input is refused before it is parsed.
inline constexpr qsizetype MaxMessageBytes = 65536;
/// What a client accepts from the server: from a server before slices and pages, a supervisor
/// agentsChanged grew with the agents that changed in a push interval (about 1 KB each) and a snapshot
/// with the whole fleet, so messages from the server are bounded far higher than untrusted client input.
inline constexpr qsizetype MaxServerMessageBytes = 64 * 1024 * 1024;

inline constexpr int MaxIdLength = 128;       ///< agent ids, call SIDs, codes, queue names
inline constexpr int MaxReasonLength = 64;    ///< away reasons ("lunch") and other short words
inline constexpr int MaxNameLength = 256;     ///< display names, device names, phone numbers
inline constexpr int MaxTokenLength = 512;    ///< session tokens
inline constexpr int MaxMessageLength = 1024; ///< sentences for people

inline constexpr TextRule IdText {MaxIdLength, false};
inline constexpr TextRule ReasonText {MaxReasonLength, false};
inline constexpr TextRule NameText {MaxNameLength, true};
inline constexpr TextRule TokenText {MaxTokenLength, false};
inline constexpr TextRule MessageText {MaxMessageLength, true};

/// Timestamps and sequence numbers stay within what a double (and so JavaScript) holds exactly.
inline constexpr qint64 MaxSafeInteger = 9'007'199'254'740'991;
inline constexpr double MaxRttMs = 60000;
inline constexpr int MaxIntervalSeconds = 3600;
inline constexpr int MaxIdlePromptSeconds = 86400;
inline constexpr int MaxReconnectSpreadMs = 600'000;

/// How calls reach the agent's app: a SIP softphone registered at the Twilio SIP Domain, or a
/// Voice SDK client (the stand-in's simulated agents). The server dials each the way it is reachable.
enum class VoiceLine {
    Sip,
    Client,
};
/// Wire names: "sip", "client".
[[nodiscard]] QString toString(VoiceLine line);
[[nodiscard]] std::optional<VoiceLine> voiceLineFromString(QStringView text);

/// Whether someone is at the agent's desk, as the app sees it from keyboard and mouse input: quiet
/// after the server's INPUT_QUIET_SECONDS without input (still offerable, after agents with recent
/// input), idle once the "Still there?" prompt went unanswered for its grace period, active again at
/// the next input.
enum class Presence {
    Active,
    Quiet,
    Idle,
};
/// Wire names: "active", "quiet", "idle".
[[nodiscard]] QString toString(Presence presence);
[[nodiscard]] std::optional<Presence> presenceFromString(QStringView text);

inline constexpr double MaxIdleSeconds = 10'000'000; ///< about four months: any real desktop idle time

/// The audio quality of the call an agent is on, from its softphone's RTP/RTCP figures. Every value
/// is optional: round trip and the MOS-like rating are known only after a few RTCP reports.
struct CallQuality
{
    std::optional<double> jitterMs;    ///< interarrival jitter of the caller's audio, 0..10000
    std::optional<double> lossPercent; ///< the caller's packets lost on their way to the agent, 0..100
    std::optional<double> roundTripMs; ///< 0..60000
    std::optional<double> mos;         ///< 1..5 (liblinphone's 0..5 rating, 0 clamped to 1)

    friend bool operator==(const CallQuality &, const CallQuality &) = default;
};

/// What the agent app knows about its audio devices, voice endpoint and network. Every field is
/// optional: a client reports what it can measure, and an absent field means "not reported".
struct DeviceState
{
    std::optional<bool> audioInput; ///< an input device is present
    std::optional<bool> audioOutput;
    std::optional<QString> audioInputName;
    std::optional<QString> audioOutputName;
    std::optional<bool> voiceRegistered;     ///< the voice endpoint is registered for incoming calls
    std::optional<double> networkRttMs;      ///< 0..60000
    std::optional<double> packetLossPercent; ///< 0..100
    std::optional<QString> networkType;      ///< "wired", "wifi", ...
    std::optional<CallQuality> callQuality;  ///< only while the agent is on a call over SIP
    std::optional<VoiceLine> voiceLine;      ///< what kind of voice endpoint the app runs
    std::optional<Presence> presence;        ///< someone at the desk, or "Still there?" unanswered
    std::optional<double> idleSeconds;       ///< since the last keyboard or mouse input, 0..MaxIdleSeconds

    friend bool operator==(const DeviceState &, const DeviceState &) = default;
};

/// Who changed an agent's status (the "by" of statusChanged).
enum class StatusChangeSource {
    Agent,
    Server,
    Supervisor,
};

/// Wire names: "agent", "server", "supervisor".
[[nodiscard]] QString toString(StatusChangeSource source);
[[nodiscard]] std::optional<StatusChangeSource> statusChangeSourceFromString(QStringView text);

/// `{"type":"error","code":...,"message":...}`, sent by the server on both WebSocket channels.
struct ServerError
{
    static constexpr QStringView Type = u"error";
    QString code;    ///< e.g. "malformed_json", "unauthorized"
    QString message; ///< for people

    friend bool operator==(const ServerError &, const ServerError &) = default;
};

/// The "type" of a message held in one of the channel variants.
template <typename... Ts> [[nodiscard]] QStringView messageType(const std::variant<Ts...> &message)
{
    return std::visit([](const auto &m) { return std::decay_t<decltype(m)>::Type; }, message);
}

/// Only the fields present are written.
[[nodiscard]] QJsonObject toJson(const CallQuality &quality);
void readFields(JsonReader &reader, CallQuality &quality);
[[nodiscard]] QJsonObject toJson(const DeviceState &devices);
/// The same objects written straight into `json` (keys sorted, as QJsonDocument writes them), for the
/// agent views supervisors receive with every push.
void write(JsonWriter &json, const CallQuality &quality);
void write(JsonWriter &json, const DeviceState &devices);
/// `{"score","ready","reasons","factors","failedGates"}`; reasons come from ReadinessResult::reasons().
[[nodiscard]] QJsonObject toJson(const ReadinessResult &readiness);
/// The same object written straight into `json` (keys sorted, as QJsonDocument writes them), for the
/// answers sent with every heartbeat.
void write(JsonWriter &json, const ReadinessResult &readiness);
[[nodiscard]] QJsonObject toJson(const ServerError &error);
/// Compact JSON text of an object.
[[nodiscard]] QByteArray serialize(const QJsonObject &object);

/// Field readers for JsonReader::object<T>(). "reasons" of a readiness result is not read: it is
/// derived from the factors and gates.
void readFields(JsonReader &reader, DeviceState &devices);
void readFields(JsonReader &reader, ReadinessResult &readiness);
void readFields(JsonReader &reader, ServerError &error);

} // namespace heartline
