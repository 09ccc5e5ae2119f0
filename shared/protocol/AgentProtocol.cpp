#include "protocol/AgentProtocol.h"

#include "protocol/MessageCodec.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QString AcceptedSources = u"agent, server or supervisor"_s;

} // namespace

// Field readers, found by codec::parseMessage through argument-dependent lookup. They live in
// namespace heartline (not an anonymous one) for that reason, and are static to stay private.

static void readFields(JsonReader &reader, AgentHello &message)
{
    message.token = reader.optionalString(u"token", TokenText);
    message.clientVersion = reader.optionalString(u"clientVersion", IdText);
    message.voiceIdentity = reader.optionalString(u"voiceIdentity", IdText);
}

static void readFields(JsonReader &reader, AgentHeartbeat &message)
{
    message.currentStatus = reader.status(u"currentStatus");
    message.deviceConnected = reader.boolean(u"deviceConnected");
    message.seq = reader.optionalInteger(u"seq", 0, MaxSafeInteger);
    message.awayReason = reader.optionalString(u"awayReason", ReasonText);
    message.devices = reader.optionalObject<DeviceState>(u"devices");
}

static void readFields(JsonReader &reader, AgentDeviceState &message)
{
    message.devices = reader.object<DeviceState>(u"devices");
    message.deviceConnected = reader.optionalBoolean(u"deviceConnected");
}

static void readFields(JsonReader &reader, AgentSetStatus &message)
{
    message.status = reader.status(u"status");
    message.reason = reader.optionalString(u"reason", ReasonText);
}

static void readFields(JsonReader &reader, AgentWelcome &message)
{
    message.agentId = reader.string(u"agentId", IdText);
    message.displayName = reader.string(u"displayName", NameText);
    message.heartbeatIntervalSeconds = int(reader.integer(u"heartbeatIntervalSeconds", 1, MaxIntervalSeconds));
    message.pingIntervalSeconds = int(reader.integer(u"pingIntervalSeconds", 1, MaxIntervalSeconds));
    message.status = reader.status(u"status");
    message.awayReason = reader.optionalString(u"awayReason", ReasonText);
    message.activity = reader.activity(u"activity");
    message.readiness = reader.object<ReadinessResult>(u"readiness");
    message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
    message.resumed = reader.boolean(u"resumed");
    if (const auto prompt = reader.optionalInteger(u"idlePromptSeconds", 0, MaxIdlePromptSeconds))
        message.idlePromptSeconds = int(*prompt);
    if (const auto grace = reader.optionalInteger(u"idleGraceSeconds", 1, MaxIntervalSeconds))
        message.idleGraceSeconds = int(*grace);
    if (const auto quiet = reader.optionalInteger(u"inputQuietSeconds", 0, MaxIdlePromptSeconds))
        message.inputQuietSeconds = int(*quiet);
    if (const auto spread = reader.optionalInteger(u"reconnectSpreadMs", 0, MaxReconnectSpreadMs))
        message.reconnectSpreadMs = int(*spread);
}

static void readFields(JsonReader &reader, AgentAck &message)
{
    message.seq = reader.optionalInteger(u"seq", 0, MaxSafeInteger);
    message.status = reader.status(u"status");
    message.activity = reader.activity(u"activity");
    message.readiness = reader.object<ReadinessResult>(u"readiness");
    message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
}

static void readFields(JsonReader &reader, AgentReadiness &message)
{
    message.status = reader.status(u"status");
    message.awayReason = reader.optionalString(u"awayReason", ReasonText);
    message.activity = reader.activity(u"activity");
    message.readiness = reader.object<ReadinessResult>(u"readiness");
    message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
}

static void readFields(JsonReader &reader, AgentStatusChanged &message)
{
    message.status = reader.status(u"status");
    message.awayReason = reader.optionalString(u"awayReason", ReasonText);
    message.activity = reader.activity(u"activity");
    message.by = reader.word(u"by", statusChangeSourceFromString, AcceptedSources);
    message.cause = reader.string(u"cause", IdText);
    message.message = reader.optionalString(u"message", MessageText);
}

static void readFields(JsonReader &reader, AgentSessionReplaced &message)
{
    message.message = reader.string(u"message", MessageText);
}

static void readFields(JsonReader &reader, AgentCallOffered &message)
{
    message.callSid = reader.string(u"callSid", IdText);
    message.from = reader.string(u"from", NameText);
    message.to = reader.string(u"to", NameText);
    message.queue = reader.optionalString(u"queue", IdText);
    message.waitSeconds = int(reader.integer(u"waitSeconds", 0, std::numeric_limits<int>::max()));
    message.offeredAtMs = reader.integer(u"offeredAtMs", 0, MaxSafeInteger);
}

static void readFields(JsonReader &reader, AgentCallEnded &message)
{
    message.callSid = reader.string(u"callSid", IdText);
    message.outcome = reader.string(u"outcome", IdText);
}

Result<AgentClientMessage> parseAgentClientMessage(QByteArrayView raw)
{
    return codec::parseMessage<AgentHello, AgentHeartbeat, AgentDeviceState, AgentSetStatus>(
        raw, u"/ws/agent from an agent app");
}

Result<AgentServerMessage> parseAgentServerMessage(QByteArrayView raw)
{
    return codec::parseMessage<AgentWelcome, AgentAck, AgentReadiness, AgentStatusChanged, AgentSessionReplaced,
                               AgentCallOffered, AgentCallEnded, ServerError>(raw, u"/ws/agent from the server",
                                                                              MaxServerMessageBytes);
}

QJsonObject toJson(const AgentHello &message)
{
    QJsonObject object = codec::envelope(AgentHello::Type);
    codec::putOptional(object, u"token", message.token);
    codec::putOptional(object, u"clientVersion", message.clientVersion);
    codec::putOptional(object, u"voiceIdentity", message.voiceIdentity);
    return object;
}

QJsonObject toJson(const AgentHeartbeat &message)
{
    QJsonObject object = codec::envelope(AgentHeartbeat::Type);
    object.insert(u"currentStatus", toString(message.currentStatus));
    object.insert(u"deviceConnected", message.deviceConnected);
    codec::putOptional(object, u"seq", message.seq);
    codec::putOptional(object, u"awayReason", message.awayReason);
    if (message.devices)
        object.insert(u"devices", toJson(*message.devices));
    return object;
}

QJsonObject toJson(const AgentDeviceState &message)
{
    QJsonObject object = codec::envelope(AgentDeviceState::Type);
    object.insert(u"devices", toJson(message.devices));
    codec::putOptional(object, u"deviceConnected", message.deviceConnected);
    return object;
}

QJsonObject toJson(const AgentSetStatus &message)
{
    QJsonObject object = codec::envelope(AgentSetStatus::Type);
    object.insert(u"status", toString(message.status));
    codec::putOptional(object, u"reason", message.reason);
    return object;
}

QJsonObject toJson(const AgentWelcome &message)
{
    QJsonObject object = codec::envelope(AgentWelcome::Type);
    object.insert(u"agentId", message.agentId);
    object.insert(u"displayName", message.displayName);
    object.insert(u"heartbeatIntervalSeconds", message.heartbeatIntervalSeconds);
    object.insert(u"pingIntervalSeconds", message.pingIntervalSeconds);
    object.insert(u"status", toString(message.status));
    codec::putOptional(object, u"awayReason", message.awayReason);
    object.insert(u"activity", toString(message.activity));
    object.insert(u"readiness", toJson(message.readiness));
    object.insert(u"serverTimeMs", message.serverTimeMs);
    object.insert(u"resumed", message.resumed);
    codec::putOptional(object, u"idlePromptSeconds", message.idlePromptSeconds);
    codec::putOptional(object, u"idleGraceSeconds", message.idleGraceSeconds);
    codec::putOptional(object, u"inputQuietSeconds", message.inputQuietSeconds);
    codec::putOptional(object, u"reconnectSpreadMs", message.reconnectSpreadMs);
    return object;
}

QJsonObject toJson(const AgentAck &message)
{
    QJsonObject object = codec::envelope(AgentAck::Type);
    codec::putOptional(object, u"seq", message.seq);
    object.insert(u"status", toString(message.status));
    object.insert(u"activity", toString(message.activity));
    object.insert(u"readiness", toJson(message.readiness));
    object.insert(u"serverTimeMs", message.serverTimeMs);
    return object;
}

QJsonObject toJson(const AgentReadiness &message)
{
    QJsonObject object = codec::envelope(AgentReadiness::Type);
    object.insert(u"status", toString(message.status));
    codec::putOptional(object, u"awayReason", message.awayReason);
    object.insert(u"activity", toString(message.activity));
    object.insert(u"readiness", toJson(message.readiness));
    object.insert(u"serverTimeMs", message.serverTimeMs);
    return object;
}

QJsonObject toJson(const AgentStatusChanged &message)
{
    QJsonObject object = codec::envelope(AgentStatusChanged::Type);
    object.insert(u"status", toString(message.status));
    codec::putOptional(object, u"awayReason", message.awayReason);
    object.insert(u"activity", toString(message.activity));
    object.insert(u"by", toString(message.by));
    object.insert(u"cause", message.cause);
    codec::putOptional(object, u"message", message.message);
    return object;
}

QJsonObject toJson(const AgentSessionReplaced &message)
{
    QJsonObject object = codec::envelope(AgentSessionReplaced::Type);
    object.insert(u"message", message.message);
    return object;
}

QJsonObject toJson(const AgentCallOffered &message)
{
    QJsonObject object = codec::envelope(AgentCallOffered::Type);
    object.insert(u"callSid", message.callSid);
    object.insert(u"from", message.from);
    object.insert(u"to", message.to);
    codec::putOptional(object, u"queue", message.queue);
    object.insert(u"waitSeconds", message.waitSeconds);
    object.insert(u"offeredAtMs", message.offeredAtMs);
    return object;
}

QJsonObject toJson(const AgentCallEnded &message)
{
    QJsonObject object = codec::envelope(AgentCallEnded::Type);
    object.insert(u"callSid", message.callSid);
    object.insert(u"outcome", message.outcome);
    return object;
}

QByteArray serialize(const AgentClientMessage &message)
{
    return codec::serializeMessage(message);
}

QByteArray serialize(const AgentServerMessage &message)
{
    // The ack answers every WebSocket heartbeat: written directly, keys sorted as QJsonDocument sorts
    // them, so the bytes are the same (tst_protocol_agent checks).
    if (const auto *ack = std::get_if<AgentAck>(&message)) {
        QByteArray out;
        out.reserve(768);
        JsonWriter json(out);
        json.beginObject();
        json.key("activity").value(toString(ack->activity));
        json.key("readiness");
        write(json, ack->readiness);
        if (ack->seq)
            json.key("seq").value(*ack->seq);
        json.key("serverTimeMs").value(ack->serverTimeMs);
        json.key("status").value(toString(ack->status));
        json.key("type").value(AgentAck::Type.toString());
        json.key("v").value(ProtocolVersion);
        json.endObject();
        return out;
    }
    return codec::serializeMessage(message);
}

} // namespace heartline
