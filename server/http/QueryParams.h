#pragma once

#include <optional>

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include "JsonResponses.h"
#include "core/Result.h"

namespace heartline {

/// Strict reading of a URL query: each parameter at most once, only the accepted names, values
/// checked; the first problem is kept as a 400 invalid_value naming the parameter.
class QueryParams final
{
public:
    QueryParams(const QUrlQuery &query, const QStringList &accepted);

    [[nodiscard]] std::optional<HttpError> error() const { return m_error; }
    /// A whole number from low to high (digits only), or fallback when absent.
    int integer(const QString &name, int low, int high, int fallback);
    /// Text of 1..maxLength characters, or empty when absent.
    QString text(const QString &name, qsizetype maxLength);

private:
    void fail(const QString &name, const QString &message);

    QHash<QString, QString> m_values;
    std::optional<HttpError> m_error;
};

} // namespace heartline
