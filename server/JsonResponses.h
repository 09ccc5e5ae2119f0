#pragma once

#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QString>

#include "core/Result.h"

namespace heartline {

/// Every error a route can answer with. The table in JsonResponses.cpp is the one place that gives
/// each its HTTP status and its wire code; routes never pick a status or an error code themselves.
enum class ApiError {
    MalformedJson,        ///< 400 malformed_json: the body is not a JSON object
    MissingField,         ///< 400 missing_field
    WrongType,            ///< 400 wrong_type: the field has another JSON type than required
    InvalidValue,         ///< 400 invalid_value: right type, unacceptable value
    InvalidCredentials,   ///< 401 invalid_credentials: login refused (unknown, wrong or disabled alike)
    Unauthenticated,      ///< 401 unauthenticated: no bearer token, or not a valid one (expired, revoked)
    Forbidden,            ///< 403 forbidden: authenticated, but the role may not use this route
    NotFound,             ///< 404 not_found: no such path (or no such resource)
    UnknownAgent,         ///< 404 unknown_agent: no agent with that id
    MethodNotAllowed,     ///< 405 method_not_allowed: the path exists with other methods (see Allow)
    Conflict,             ///< 409 already_exists
    NotLoggedIn,          ///< 409 not_logged_in: the action needs the agent's open session
    PayloadTooLarge,      ///< 413 payload_too_large
    UnsupportedMediaType, ///< 415 unsupported_media_type
    Internal,             ///< 500 internal_error: the store failed; details go to the log, not the client
    Unavailable,          ///< 503 unavailable
    UnsupportedVersion,   ///< 400 unsupported_version: a protocol version ("v") this server does not speak
    FeatureDisabled,      ///< 503 feature_disabled: the subsystem is switched off by configuration
    MalformedForm,        ///< 400 malformed_form: a form-encoded body (Twilio webhook) that cannot be decoded
    DuplicateKey,         ///< 400 duplicate_key: a JSON object names the same key twice
    TooManyAttempts,      ///< 429 too_many_attempts: sign-ins locked for a while (see Retry-After)
    RoutingNotReloaded,   ///< 409 routing_not_reloaded: the routing file cannot replace the running plan
};

/// An error answer about to be sent: which error, a sentence for people and, when one field of
/// the request is at fault, its name.
struct HttpError
{
    ApiError error = ApiError::Internal;
    QString message;
    QString field;
};

[[nodiscard]] QHttpServerResponder::StatusCode httpStatus(ApiError error);
/// The wire code, e.g. "malformed_json".
[[nodiscard]] QString errorCode(ApiError error);

/// Maps a service Problem to the error a client sees, by its code ("missing_field",
/// "not_found", "already_exists", "invalid_credentials", ...). Unknown codes are internal errors.
[[nodiscard]] HttpError httpErrorFromProblem(const Problem &problem);

/// The answer for a service Problem: its error, except that store failures are logged in full
/// and answered 500 without detail.
[[nodiscard]] QHttpServerResponse problemResponse(const Problem &problem);

/// `{"...": ...}` with the given status and a JSON content type.
[[nodiscard]] QHttpServerResponse
jsonResponse(const QJsonObject &body, QHttpServerResponder::StatusCode status = QHttpServerResponder::StatusCode::Ok);

/// The one error shape every route answers with: `{"error":{"code":"...","message":"...","field":"..."}}`
/// ("field" only when one field is at fault).
[[nodiscard]] QHttpServerResponse errorResponse(const HttpError &error);
[[nodiscard]] QHttpServerResponse errorResponse(ApiError error, const QString &message, const QString &field = {});

/// The same shape with a status and code given directly. Prefer the ApiError overloads, which
/// keep status and code consistent across routes.
[[nodiscard]] QHttpServerResponse errorResponse(QHttpServerResponder::StatusCode status, const QString &code,
                                                const QString &message);

/// Milliseconds since the epoch as ISO-8601 UTC with milliseconds: "2026-01-01T12:00:00.000Z".
[[nodiscard]] QString isoTimestamp(qint64 msSinceEpoch);

} // namespace heartline
