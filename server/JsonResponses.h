#pragma once

#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QString>

namespace heartline {

/// `{"...": ...}` with the given status and a JSON content type.
[[nodiscard]] QHttpServerResponse
jsonResponse(const QJsonObject &body, QHttpServerResponder::StatusCode status = QHttpServerResponder::StatusCode::Ok);

/// The one error shape every route answers with: `{"error":{"code":"...","message":"..."}}`.
[[nodiscard]] QHttpServerResponse errorResponse(QHttpServerResponder::StatusCode status, const QString &code,
                                                const QString &message);

} // namespace heartline
