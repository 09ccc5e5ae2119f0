#include "JsonResponses.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHttpErrors, "heartline.http")

namespace heartline {

namespace {

using Status = QHttpServerResponder::StatusCode;

struct ErrorInfo
{
    ApiError error;
    Status status;
    const char16_t *code;
};

// The one table: error -> status and wire code.
constexpr ErrorInfo errorTable[] = {
    {ApiError::MalformedJson, Status::BadRequest, u"malformed_json"},
    {ApiError::MissingField, Status::BadRequest, u"missing_field"},
    {ApiError::WrongType, Status::BadRequest, u"wrong_type"},
    {ApiError::InvalidValue, Status::BadRequest, u"invalid_value"},
    {ApiError::InvalidCredentials, Status::Unauthorized, u"invalid_credentials"},
    {ApiError::Unauthenticated, Status::Unauthorized, u"unauthenticated"},
    {ApiError::Forbidden, Status::Forbidden, u"forbidden"},
    {ApiError::NotFound, Status::NotFound, u"not_found"},
    {ApiError::UnknownAgent, Status::NotFound, u"unknown_agent"},
    {ApiError::MethodNotAllowed, Status::MethodNotAllowed, u"method_not_allowed"},
    {ApiError::Conflict, Status::Conflict, u"already_exists"},
    {ApiError::NotLoggedIn, Status::Conflict, u"not_logged_in"},
    {ApiError::PayloadTooLarge, Status::PayloadTooLarge, u"payload_too_large"},
    {ApiError::UnsupportedMediaType, Status::UnsupportedMediaType, u"unsupported_media_type"},
    {ApiError::Internal, Status::InternalServerError, u"internal_error"},
    {ApiError::Unavailable, Status::ServiceUnavailable, u"unavailable"},
    {ApiError::UnsupportedVersion, Status::BadRequest, u"unsupported_version"},
    {ApiError::FeatureDisabled, Status::ServiceUnavailable, u"feature_disabled"},
    {ApiError::MalformedForm, Status::BadRequest, u"malformed_form"},
    {ApiError::DuplicateKey, Status::BadRequest, u"duplicate_key"},
    {ApiError::TooManyAttempts, Status::TooManyRequests, u"too_many_attempts"},
    {ApiError::RoutingNotReloaded, Status::Conflict, u"routing_not_reloaded"},
};

const ErrorInfo &infoFor(ApiError error)
{
    for (const ErrorInfo &info : errorTable) {
        if (info.error == error)
            return info;
    }
    Q_UNREACHABLE();
    return errorTable[0];
}

} // namespace

QHttpServerResponder::StatusCode httpStatus(ApiError error)
{
    return infoFor(error).status;
}

QString errorCode(ApiError error)
{
    return QString::fromUtf16(infoFor(error).code);
}

HttpError httpErrorFromProblem(const Problem &problem)
{
    // Services use the wire codes as Problem codes, so the mapping is a lookup by code. The wire
    // protocol's parser says "too_large" where HTTP says payload_too_large.
    if (problem.code == u"too_large")
        return HttpError {ApiError::PayloadTooLarge, problem.message, problem.field};
    for (const ErrorInfo &info : errorTable) {
        if (problem.code == QStringView(info.code))
            return HttpError {info.error, problem.message, problem.field};
    }
    return HttpError {ApiError::Internal, u"internal error"_s, {}};
}

QHttpServerResponse problemResponse(const Problem &problem)
{
    const HttpError error = httpErrorFromProblem(problem);
    if (error.error == ApiError::Internal) {
        qCWarning(lcHttpErrors).noquote() << problem.message;
        return errorResponse(ApiError::Internal, u"internal error; see the server log"_s);
    }
    return errorResponse(error);
}

QHttpServerResponse jsonResponse(const QJsonObject &body, QHttpServerResponder::StatusCode status)
{
    return QHttpServerResponse("application/json", QJsonDocument(body).toJson(QJsonDocument::Compact), status);
}

QHttpServerResponse errorResponse(const HttpError &error)
{
    QJsonObject detail {{u"code"_s, errorCode(error.error)}, {u"message"_s, error.message}};
    if (!error.field.isEmpty())
        detail.insert(u"field"_s, error.field);
    return jsonResponse(QJsonObject {{u"error"_s, detail}}, httpStatus(error.error));
}

QHttpServerResponse errorResponse(ApiError error, const QString &message, const QString &field)
{
    return errorResponse(HttpError {error, message, field});
}

QHttpServerResponse errorResponse(QHttpServerResponder::StatusCode status, const QString &code, const QString &message)
{
    return jsonResponse(QJsonObject {{u"error"_s, QJsonObject {{u"code"_s, code}, {u"message"_s, message}}}}, status);
}

QString isoTimestamp(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace heartline
