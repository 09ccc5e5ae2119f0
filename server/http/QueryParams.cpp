#include "http/QueryParams.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace heartline {

QueryParams::QueryParams(const QUrlQuery &query, const QStringList &accepted)
{
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!accepted.contains(name))
            fail(name, u"unknown parameter %1 (accepted: %2)"_s.arg(name, accepted.join(u", "_s)));
        else if (m_values.contains(name))
            fail(name, u"%1 may be given only once"_s.arg(name));
        m_values.insert(name, value);
    }
}

void QueryParams::fail(const QString &name, const QString &message)
{
    if (!m_error)
        m_error = HttpError {ApiError::InvalidValue, message, name};
}

int QueryParams::integer(const QString &name, int low, int high, int fallback)
{
    const auto found = m_values.constFind(name);
    if (found == m_values.constEnd())
        return fallback;
    const QString &value = found.value();
    // Digits only: no sign, spaces or exponent slip through a lenient number parser.
    const bool digits = !value.isEmpty() && value.size() <= 9
        && std::all_of(value.cbegin(), value.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
    const int number = digits ? value.toInt() : low - 1;
    if (number < low || number > high) {
        fail(name, u"%1 must be a whole number from %2 to %3, not \"%4\""_s.arg(name).arg(low).arg(high).arg(value));
        return fallback;
    }
    return number;
}

QString QueryParams::text(const QString &name, qsizetype maxLength)
{
    const QString value = m_values.value(name);
    if (m_values.contains(name) && (value.isEmpty() || value.size() > maxLength))
        fail(name, u"%1 must have 1 to %2 characters"_s.arg(name).arg(maxLength));
    return value;
}

} // namespace heartline
