#pragma once

#include <optional>
#include <type_traits>
#include <variant>

#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include "core/Result.h"
#include "protocol/JsonReader.h"
#include "protocol/ProtocolTypes.h"

// The parts every channel codec shares: the envelope checks (size, JSON, object, version), the
// dispatch on "type", and small writers. Used by the protocol .cpp files only.

namespace heartline::codec {

/// Size, JSON syntax, top-level object, no repeated key (parseJsonTree) and "v"; the message's values
/// on success. They refer to `raw`, which must outlive them.
[[nodiscard]] Result<JsonTree> parseEnvelope(QByteArrayView raw, qsizetype maxBytes = MaxMessageBytes);

/// An object holding "type" and "v": the start of every message a serializer writes.
[[nodiscard]] QJsonObject envelope(QStringView type);

/// "hello, heartbeat or setStatus": the types of a channel for an unknown_type message.
[[nodiscard]] QString joinWords(const QStringList &words);

[[nodiscard]] Problem unknownType(const QString &type, const QStringList &accepted, QStringView channel);

template <typename T> void putOptional(QJsonObject &object, QStringView key, const std::optional<T> &value)
{
    if (value)
        object.insert(key, QJsonValue(*value));
}

/// Like putOptional, but an absent value is written as an explicit null.
template <typename T> void putNullable(QJsonObject &object, QStringView key, const std::optional<T> &value)
{
    object.insert(key, value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null));
}

template <typename T> QJsonArray toJsonArray(const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(toJson(item));
    return array;
}

/// Reads the message whose Type matches `type`, if one of the variant's alternatives has it.
/// `readFields(JsonReader &, T &)` for each alternative is found by argument-dependent lookup.
template <typename T, typename Variant>
bool readIfType(JsonReader &reader, QStringView type, std::optional<Variant> &out)
{
    if (type != T::Type)
        return false;
    T message {};
    readFields(reader, message);
    out.emplace(std::in_place_type<T>, std::move(message));
    return true;
}

/// Parses one message of a channel whose messages are the alternatives of `std::variant<Ts...>`.
/// `channel` names the channel in the unknown_type message ("/ws/agent (client to server)").
/// `maxBytes` bounds the raw message: MaxMessageBytes for what clients send (untrusted),
/// MaxServerMessageBytes for what the server sends.
template <typename... Ts>
Result<std::variant<Ts...>> parseMessage(QByteArrayView raw, QStringView channel, qsizetype maxBytes = MaxMessageBytes)
{
    using Variant = std::variant<Ts...>;
    Result<JsonTree> tree = parseEnvelope(raw, maxBytes);
    if (!tree)
        return tree.error();
    JsonReader reader(std::move(tree).value());
    const QString type = reader.string(u"type", TextRule {});
    if (!reader.ok())
        return reader.problem();
    std::optional<Variant> message;
    if (!(readIfType<Ts>(reader, type, message) || ...))
        return unknownType(type, QStringList {Ts::Type.toString()...}, channel);
    if (!reader.ok())
        return reader.problem();
    return std::move(*message);
}

/// Parses a body without "type" (the seed's HTTP heartbeat and its reply): envelope, then fields.
template <typename T> Result<T> parseBody(QByteArrayView raw)
{
    Result<JsonTree> tree = parseEnvelope(raw);
    if (!tree)
        return tree.error();
    JsonReader reader(std::move(tree).value());
    T body {};
    readFields(reader, body);
    if (!reader.ok())
        return reader.problem();
    return body;
}

template <typename... Ts> QByteArray serializeMessage(const std::variant<Ts...> &message)
{
    return serialize(std::visit([](const auto &m) { return toJson(m); }, message));
}

} // namespace heartline::codec
