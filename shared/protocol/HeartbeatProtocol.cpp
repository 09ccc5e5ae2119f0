#include "protocol/HeartbeatProtocol.h"

#include "protocol/JsonWriter.h"
#include "protocol/MessageCodec.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

QJsonObject versionOnly()
{
    return QJsonObject {{u"v"_s, ProtocolVersion}};
}

} // namespace

// Static but in namespace heartline, so that codec::parseBody finds them by argument-dependent lookup.

static void readFields(JsonReader &reader, HttpHeartbeat &body)
{
    body.agentId = reader.string(u"agentId", IdText);
    body.deviceConnected = reader.boolean(u"deviceConnected");
    body.currentStatus = reader.status(u"currentStatus");
    body.awayReason = reader.optionalString(u"awayReason", ReasonText);
    body.devices = reader.optionalObject<DeviceState>(u"devices");
}

static void readFields(JsonReader &reader, HttpHeartbeatReply &body)
{
    body.readiness = reader.object<ReadinessResult>(u"readiness");
    body.heartbeatIntervalSeconds = int(reader.integer(u"heartbeatIntervalSeconds", 1, MaxIntervalSeconds));
    body.status = reader.status(u"status");
    body.activity = reader.activity(u"activity");
    body.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
}

Result<HttpHeartbeat> parseHttpHeartbeat(QByteArrayView raw)
{
    return codec::parseBody<HttpHeartbeat>(raw);
}

Result<HttpHeartbeatReply> parseHttpHeartbeatReply(QByteArrayView raw)
{
    return codec::parseBody<HttpHeartbeatReply>(raw);
}

QJsonObject toJson(const HttpHeartbeat &body)
{
    QJsonObject object = versionOnly();
    object.insert(u"agentId", body.agentId);
    object.insert(u"deviceConnected", body.deviceConnected);
    object.insert(u"currentStatus", toString(body.currentStatus));
    codec::putOptional(object, u"awayReason", body.awayReason);
    if (body.devices)
        object.insert(u"devices", toJson(*body.devices));
    return object;
}

QJsonObject toJson(const HttpHeartbeatReply &body)
{
    QJsonObject object = versionOnly();
    object.insert(u"readiness", toJson(body.readiness));
    object.insert(u"heartbeatIntervalSeconds", body.heartbeatIntervalSeconds);
    object.insert(u"status", toString(body.status));
    object.insert(u"activity", toString(body.activity));
    object.insert(u"serverTimeMs", body.serverTimeMs);
    return object;
}

QByteArray serialize(const HttpHeartbeat &body)
{
    return serialize(toJson(body));
}

QByteArray serialize(const HttpHeartbeatReply &body)
{
    // Every HTTP heartbeat is answered with this: written directly, keys sorted as QJsonDocument
    // sorts them, so the bytes are those of serialize(toJson(body)) (tst_protocol_heartbeat checks).
    QByteArray out;
    out.reserve(768);
    JsonWriter json(out);
    json.beginObject();
    json.key("activity").value(toString(body.activity));
    json.key("heartbeatIntervalSeconds").value(body.heartbeatIntervalSeconds);
    json.key("readiness");
    write(json, body.readiness);
    json.key("serverTimeMs").value(body.serverTimeMs);
    json.key("status").value(toString(body.status));
    json.key("v").value(ProtocolVersion);
    json.endObject();
    return out;
}

} // namespace heartline
