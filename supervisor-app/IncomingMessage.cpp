#include "IncomingMessage.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "protocol/JsonReader.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

Result<QJsonObject> parseObject(QByteArrayView raw)
{
    if (raw.size() > MaxIncomingBytes) {
        return Problem {JsonProblem::TooLarge.toString(), QString(),
                        u"The message is %1 bytes; at most %2 bytes are read."_s.arg(raw.size()).arg(MaxIncomingBytes)};
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromRawData(raw.data(), raw.size()), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return Problem {JsonProblem::MalformedJson.toString(), QString(),
                        u"The message is not a JSON object: %1."_s.arg(error.errorString())};
    }
    const QJsonObject object = document.object();
    const QJsonValue version = object.value(u"v");
    if (!version.isUndefined() && !version.isNull() && version != QJsonValue(ProtocolVersion)) {
        return Problem {JsonProblem::UnsupportedVersion.toString(), u"v"_s,
                        u"v must be %1, got %2."_s.arg(ProtocolVersion).arg(JsonReader::describe(version))};
    }
    return object;
}

template <typename T> Result<IncomingMessage> finish(JsonReader &reader, T message)
{
    if (!reader.ok())
        return reader.problem();
    return IncomingMessage {SupervisorServerMessage {std::move(message)}};
}

/// The messages whose size grows with the number of agents, read without the 64 KiB limit.
Result<IncomingMessage> readLarge(QByteArrayView raw, const Problem &tooLarge)
{
    const auto object = parseObject(raw);
    if (!object)
        return object.error();
    JsonReader reader(object.value());
    const QString type = reader.string(u"type", TextRule {});
    if (type == SupervisorSnapshot::Type) {
        SupervisorSnapshot message;
        message.agents = reader.objectList<AgentView>(u"agents");
        message.stats = reader.rawObject(u"stats");
        message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
        return finish(reader, std::move(message));
    }
    if (type == SupervisorAgentsChanged::Type) {
        SupervisorAgentsChanged message;
        message.agents = reader.objectList<AgentView>(u"agents");
        message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
        return finish(reader, std::move(message));
    }
    if (type == SupervisorAgentsRemoved::Type) {
        SupervisorAgentsRemoved message;
        message.agentIds = reader.stringList(u"agentIds", IdText);
        return finish(reader, std::move(message));
    }
    if (type == QueuesUpdate::Type) {
        auto queues = readQueuesUpdate(object.value());
        if (!queues)
            return queues.error();
        return IncomingMessage {std::move(queues).value()};
    }
    return tooLarge;
}

} // namespace

Result<IncomingMessage> readIncomingMessage(QByteArrayView raw)
{
    auto parsed = parseSupervisorServerMessage(raw);
    if (parsed)
        return IncomingMessage {std::move(parsed).value()};
    const Problem &problem = parsed.error();
    if (problem.code == JsonProblem::TooLarge)
        return readLarge(raw, problem);
    if (problem.code != JsonProblem::UnknownType)
        return problem;
    const auto object = parseObject(raw);
    if (!object || object->value(u"type").toString() != QueuesUpdate::Type)
        return problem;
    auto queues = readQueuesUpdate(object.value());
    if (!queues)
        return queues.error();
    return IncomingMessage {std::move(queues).value()};
}

} // namespace heartline
