#include "http/JsonBody.h"

#include <QHttpServerRequest>

#include "protocol/JsonText.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

bool isJsonContentType(const QByteArray &header)
{
    // "application/json" or "application/json; charset=utf-8"; media types are case-insensitive.
    const qsizetype semicolon = header.indexOf(';');
    const QByteArray mediaType = (semicolon < 0 ? header : header.left(semicolon)).trimmed().toLower();
    return mediaType == "application/json";
}

} // namespace

Result<QByteArray, HttpError> readJsonBody(const QHttpServerRequest &request)
{
    const QByteArray contentType = request.value("Content-Type");
    if (!isJsonContentType(contentType)) {
        return HttpError {ApiError::UnsupportedMediaType,
                          contentType.isEmpty()
                              ? u"the body must be JSON with Content-Type: application/json"_s
                              : u"the body must be JSON with Content-Type: application/json, not %1"_s.arg(
                                  QString::fromLatin1(contentType)),
                          {}};
    }
    const QByteArray body = request.body();
    if (body.size() > MaxJsonBodyBytes) {
        return HttpError {ApiError::PayloadTooLarge,
                          u"the body has %1 bytes; at most %2 are accepted"_s.arg(body.size()).arg(MaxJsonBodyBytes),
                          {}};
    }
    return body;
}

Result<QJsonObject, HttpError> readJsonObject(const QHttpServerRequest &request)
{
    const auto raw = readJsonBody(request);
    if (!raw)
        return raw.error();
    auto object = parseJsonObject(raw.value());
    if (!object)
        return httpErrorFromProblem(object.error());
    return std::move(object).value();
}

Result<QString, HttpError> requiredString(const QJsonObject &object, const QString &field)
{
    const auto found = object.constFind(field);
    if (found == object.constEnd())
        return HttpError {ApiError::MissingField, u"%1 is required"_s.arg(field), field};
    if (!found->isString())
        return HttpError {ApiError::WrongType, u"%1 must be a string"_s.arg(field), field};
    QString value = found->toString();
    if (value.isEmpty())
        return HttpError {ApiError::InvalidValue, u"%1 must not be empty"_s.arg(field), field};
    return value;
}

} // namespace heartline
