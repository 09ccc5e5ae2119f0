#pragma once

#include <optional>

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include "core/Result.h"

namespace heartline {

/// Parses text that must hold one JSON object: every JSON body and message Heartline reads goes
/// through here. Problems (Problem::code): `malformed_json` (empty, not JSON, not an object) and
/// `duplicate_key`, with the path of the repeated key as the field.
///
/// QJsonDocument keeps the last of two equal keys, so `{"agentId":"bob","agentId":"alice"}` would
/// read as alice while a proxy or log reading the first one sees bob; such text is refused instead.
[[nodiscard]] Result<QJsonObject> parseJsonObject(QByteArrayView text);

/// The path of the first key that appears twice within one object of `json` ("agentId",
/// "devices.audioInput", "agents[2].status"), or nothing. Keys are compared after unescaping, so
/// "\u0061" repeats "a". One pass over the text, without allocation for ordinary messages; meant
/// for text QJsonDocument accepted, and safe (no answer guaranteed) on anything else.
[[nodiscard]] std::optional<QString> findDuplicateKey(QByteArrayView json);

} // namespace heartline
