#pragma once

#include <QJsonObject>
#include <QString>

#include "JsonResponses.h"
#include "core/Result.h"

class QHttpServerRequest;

namespace heartline {

/// The largest request body a JSON route reads (64 KiB); larger ones are refused unread.
inline constexpr qsizetype MaxJsonBodyBytes = 64 * 1024;

/// The raw body of a JSON request, after the checks every JSON route shares: Content-Type
/// application/json (parameters such as charset allowed) or 415 unsupported_media_type; at most
/// MaxJsonBodyBytes or 413 payload_too_large. For routes that parse it with a protocol parser.
[[nodiscard]] Result<QByteArray, HttpError> readJsonBody(const QHttpServerRequest &request);
/// readJsonBody, then parseJsonObject: a JSON object or 400 malformed_json, no key twice in one
/// object or 400 duplicate_key naming it. Checked in that order.
[[nodiscard]] Result<QJsonObject, HttpError> readJsonObject(const QHttpServerRequest &request);

/// A required, non-empty string field: 400 missing_field, wrong_type or invalid_value otherwise,
/// naming the field.
[[nodiscard]] Result<QString, HttpError> requiredString(const QJsonObject &object, const QString &field);

} // namespace heartline
