#include "protocol/ProtocolTypes.h"

#include <array>
#include <utility>

#include <QJsonArray>
#include <QJsonDocument>

#include "core/WordTable.h"
#include "protocol/MessageCodec.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr std::array sourceNames {
    std::pair {StatusChangeSource::Agent, u"agent"},
    std::pair {StatusChangeSource::Server, u"server"},
    std::pair {StatusChangeSource::Supervisor, u"supervisor"},
};

constexpr std::array voiceLineNames {
    std::pair {VoiceLine::Sip, u"sip"},
    std::pair {VoiceLine::Client, u"client"},
};

constexpr std::array presenceNames {
    std::pair {Presence::Active, u"active"},
    std::pair {Presence::Quiet, u"quiet"},
    std::pair {Presence::Idle, u"idle"},
};

// Readiness points are small whole numbers; a factor's weight never exceeds the whole score.
constexpr qint64 MaxScore = 100;

} // namespace

QString toString(StatusChangeSource source)
{
    return wordOf(sourceNames, source);
}

std::optional<StatusChangeSource> statusChangeSourceFromString(QStringView text)
{
    return valueOfWord(sourceNames, text);
}

QString toString(VoiceLine line)
{
    return wordOf(voiceLineNames, line);
}

std::optional<VoiceLine> voiceLineFromString(QStringView text)
{
    return valueOfWord(voiceLineNames, text);
}

QString toString(Presence presence)
{
    return wordOf(presenceNames, presence);
}

std::optional<Presence> presenceFromString(QStringView text)
{
    return valueOfWord(presenceNames, text);
}

QJsonObject toJson(const CallQuality &quality)
{
    QJsonObject object;
    codec::putOptional(object, u"jitterMs", quality.jitterMs);
    codec::putOptional(object, u"lossPercent", quality.lossPercent);
    codec::putOptional(object, u"roundTripMs", quality.roundTripMs);
    codec::putOptional(object, u"mos", quality.mos);
    return object;
}

void readFields(JsonReader &reader, CallQuality &quality)
{
    quality.jitterMs = reader.optionalNumber(u"jitterMs", 0, 10000);
    quality.lossPercent = reader.optionalNumber(u"lossPercent", 0, 100);
    quality.roundTripMs = reader.optionalNumber(u"roundTripMs", 0, MaxRttMs);
    quality.mos = reader.optionalNumber(u"mos", 1, 5);
}

QJsonObject toJson(const DeviceState &devices)
{
    QJsonObject object;
    codec::putOptional(object, u"audioInput", devices.audioInput);
    codec::putOptional(object, u"audioOutput", devices.audioOutput);
    codec::putOptional(object, u"audioInputName", devices.audioInputName);
    codec::putOptional(object, u"audioOutputName", devices.audioOutputName);
    codec::putOptional(object, u"voiceRegistered", devices.voiceRegistered);
    codec::putOptional(object, u"networkRttMs", devices.networkRttMs);
    codec::putOptional(object, u"packetLossPercent", devices.packetLossPercent);
    codec::putOptional(object, u"networkType", devices.networkType);
    if (devices.callQuality)
        object.insert(u"callQuality", toJson(*devices.callQuality));
    if (devices.voiceLine)
        object.insert(u"voiceLine", toString(*devices.voiceLine));
    if (devices.presence)
        object.insert(u"presence", toString(*devices.presence));
    codec::putOptional(object, u"idleSeconds", devices.idleSeconds);
    return object;
}

void write(JsonWriter &json, const CallQuality &quality)
{
    json.beginObject();
    json.optional("jitterMs", quality.jitterMs);
    json.optional("lossPercent", quality.lossPercent);
    json.optional("mos", quality.mos);
    json.optional("roundTripMs", quality.roundTripMs);
    json.endObject();
}

void write(JsonWriter &json, const DeviceState &devices)
{
    json.beginObject();
    json.optional("audioInput", devices.audioInput);
    json.optional("audioInputName", devices.audioInputName);
    json.optional("audioOutput", devices.audioOutput);
    json.optional("audioOutputName", devices.audioOutputName);
    if (devices.callQuality) {
        json.key("callQuality");
        write(json, *devices.callQuality);
    }
    json.optional("idleSeconds", devices.idleSeconds);
    json.optional("networkRttMs", devices.networkRttMs);
    json.optional("networkType", devices.networkType);
    json.optional("packetLossPercent", devices.packetLossPercent);
    if (devices.presence)
        json.key("presence").value(toString(*devices.presence));
    if (devices.voiceLine)
        json.key("voiceLine").value(toString(*devices.voiceLine));
    json.optional("voiceRegistered", devices.voiceRegistered);
    json.endObject();
}

void readFields(JsonReader &reader, DeviceState &devices)
{
    devices.audioInput = reader.optionalBoolean(u"audioInput");
    devices.audioOutput = reader.optionalBoolean(u"audioOutput");
    devices.audioInputName = reader.optionalString(u"audioInputName", NameText);
    devices.audioOutputName = reader.optionalString(u"audioOutputName", NameText);
    devices.voiceRegistered = reader.optionalBoolean(u"voiceRegistered");
    devices.networkRttMs = reader.optionalNumber(u"networkRttMs", 0, MaxRttMs);
    devices.packetLossPercent = reader.optionalNumber(u"packetLossPercent", 0, 100);
    devices.networkType = reader.optionalString(u"networkType", ReasonText);
    devices.callQuality = reader.optionalObject<CallQuality>(u"callQuality");
    devices.voiceLine = reader.optionalWord(u"voiceLine", voiceLineFromString, u"sip or client"_s);
    devices.presence = reader.optionalWord(u"presence", presenceFromString, u"active, quiet or idle"_s);
    devices.idleSeconds = reader.optionalNumber(u"idleSeconds", 0, MaxIdleSeconds);
}

static QJsonObject toJson(const ReadinessFactor &factor)
{
    return QJsonObject {{u"name"_s, factor.name},
                        {u"points"_s, factor.points},
                        {u"maxPoints"_s, factor.maxPoints},
                        {u"reason"_s, factor.reason}};
}

static QJsonObject toJson(const ReadinessGate &gate)
{
    return QJsonObject {{u"gate"_s, gate.gate}, {u"reason"_s, gate.reason}};
}

static void readFields(JsonReader &reader, ReadinessFactor &factor)
{
    factor.name = reader.string(u"name", IdText);
    factor.maxPoints = int(reader.integer(u"maxPoints", 0, MaxScore));
    factor.points = int(reader.integer(u"points", 0, factor.maxPoints));
    factor.reason = reader.string(u"reason", MessageText);
}

static void readFields(JsonReader &reader, ReadinessGate &gate)
{
    gate.gate = reader.string(u"gate", IdText);
    gate.reason = reader.string(u"reason", MessageText);
}

QJsonObject toJson(const ReadinessResult &readiness)
{
    return QJsonObject {{u"score"_s, readiness.score},
                        {u"ready"_s, readiness.ready},
                        {u"reasons"_s, QJsonArray::fromStringList(readiness.reasons())},
                        {u"factors"_s, codec::toJsonArray(readiness.factors)},
                        {u"failedGates"_s, codec::toJsonArray(readiness.failedGates)}};
}

void write(JsonWriter &json, const ReadinessResult &readiness)
{
    json.beginObject();
    json.key("factors").beginArray();
    for (const ReadinessFactor &factor : readiness.factors) {
        json.beginObject();
        json.key("maxPoints").value(factor.maxPoints);
        json.key("name").value(factor.name);
        json.key("points").value(factor.points);
        json.key("reason").value(factor.reason);
        json.endObject();
    }
    json.endArray();
    json.key("failedGates").beginArray();
    for (const ReadinessGate &gate : readiness.failedGates) {
        json.beginObject();
        json.key("gate").value(gate.gate);
        json.key("reason").value(gate.reason);
        json.endObject();
    }
    json.endArray();
    json.key("ready").value(readiness.ready);
    json.key("reasons").beginArray();
    for (const QString &reason : readiness.reasons())
        json.value(reason);
    json.endArray();
    json.key("score").value(readiness.score);
    json.endObject();
}

void readFields(JsonReader &reader, ReadinessResult &readiness)
{
    readiness.score = int(reader.integer(u"score", 0, MaxScore));
    readiness.ready = reader.boolean(u"ready");
    readiness.factors = reader.objectList<ReadinessFactor>(u"factors");
    readiness.failedGates = reader.objectList<ReadinessGate>(u"failedGates");
}

QJsonObject toJson(const ServerError &error)
{
    QJsonObject object = codec::envelope(ServerError::Type);
    object.insert(u"code", error.code);
    object.insert(u"message", error.message);
    return object;
}

void readFields(JsonReader &reader, ServerError &error)
{
    error.code = reader.string(u"code", IdText);
    error.message = reader.string(u"message", MessageText);
}

QByteArray serialize(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace heartline
