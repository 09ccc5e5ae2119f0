#pragma once

#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include "core/Result.h"

namespace heartline {

/// The problem a failed statement reports: code storage_error, the statement's purpose and SQLite's
/// words (for the log; the HTTP layer answers internal_error without them).
[[nodiscard]] inline Problem storageProblem(const QSqlQuery &query, const QString &what)
{
    return Problem {QStringLiteral("storage_error"), {}, what + QStringLiteral(" failed: ") + query.lastError().text()};
}

/// NULL for an empty text, so optional columns stay NULL rather than ''.
[[nodiscard]] inline QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

} // namespace heartline
