#include "JsonResponses.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace heartline {

QHttpServerResponse jsonResponse(const QJsonObject &body, QHttpServerResponder::StatusCode status)
{
    return QHttpServerResponse("application/json", QJsonDocument(body).toJson(QJsonDocument::Compact), status);
}

QHttpServerResponse errorResponse(QHttpServerResponder::StatusCode status, const QString &code, const QString &message)
{
    return jsonResponse(QJsonObject {{u"error"_s, QJsonObject {{u"code"_s, code}, {u"message"_s, message}}}}, status);
}

} // namespace heartline
