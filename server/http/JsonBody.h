#pragma once

#include <QJsonObject>
#include <QString>

#include "JsonResponses.h"
#include "core/Result.h"

class QHttpServerRequest;

namespace heartline {

/// The largest request body a JSON route reads (64 KiB); larger ones are refused unread.
inline constexpr qsizetype MaxJsonBodyBytes = 64 * 1024;

/// Reads a request body every JSON route accepts: Content-Type application/json (parameters such
/// as charset allowed) or 415 unsupported_media_type; at most 64 KiB or 413 payload_too_large; a
/// JSON object or 400 malformed_json. Checked in that order.
/// The raw body of a JSON request, after the checks every JSON route shares: Content-Type
/// application/json (415) and at most MaxJsonBodyBytes (413). For routes with their own strict parser.
[[nodiscard]] Result<QByteArray, HttpError> readJsonBody(const QHttpServerRequest &request);
[[nodiscard]] Result<QJsonObject, HttpError> readJsonObject(const QHttpServerRequest &request);

/// A required, non-empty string field: 400 missing_field, wrong_type or invalid_value otherwise,
/// naming the field.
[[nodiscard]] Result<QString, HttpError> requiredString(const QJsonObject &object, const QString &field);

} // namespace heartline
