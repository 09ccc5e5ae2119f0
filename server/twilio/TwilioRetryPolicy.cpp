#include "twilio/TwilioRetryPolicy.h"

#include <algorithm>

#include <QDateTime>
#include <QString>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace heartline {

std::optional<milliseconds> TwilioRetryPolicy::delayBeforeRetry(int retry, std::optional<milliseconds> retryAfter,
                                                                double random01) const
{
    if (retry < 1 || retry >= maxAttempts)
        return std::nullopt;
    if (retryAfter) {
        if (*retryAfter > maxDelay)
            return std::nullopt;
        return std::max(*retryAfter, milliseconds {0});
    }
    // Doubling stops at the cap, so a large retry count cannot overflow.
    milliseconds exponential = std::max(baseDelay, milliseconds {0});
    for (int i = 1; i < retry && exponential < maxDelay; ++i)
        exponential *= 2;
    exponential = std::min(exponential, maxDelay);
    const double fraction = std::clamp(random01, 0.0, 1.0);
    const auto half = exponential.count() / 2;
    return milliseconds {half + static_cast<qint64>(fraction * static_cast<double>(exponential.count() - half))};
}

std::optional<milliseconds> parseRetryAfter(QByteArrayView value, const QDateTime &nowUtc)
{
    const QByteArray text = value.trimmed().toByteArray();
    if (text.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const qint64 seconds = text.toLongLong(&isNumber);
    if (isNumber) {
        if (seconds < 0)
            return std::nullopt;
        // Any wait beyond a day is "too long" for every policy; the cap keeps the product in range.
        return milliseconds {std::min<qint64>(seconds, 86'400) * 1000};
    }
    // HTTP-date (IMF-fixdate "Wed, 21 Oct 2015 07:28:00 GMT") is RFC 2822 with the zone named;
    // Qt's RFC 2822 reader wants the offset.
    QString date = QString::fromLatin1(text);
    if (date.endsWith(u" GMT"_s))
        date = date.chopped(3) + u"+0000"_s;
    const QDateTime when = QDateTime::fromString(date, Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return milliseconds {std::max<qint64>(0, nowUtc.msecsTo(when))};
}

} // namespace heartline
