#include "routing/CallStatusCallback.h"

#include <algorithm>
#include <array>
#include <limits>

#include "twilio/FormParams.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

// Twilio's CallStatus values; "initiated" is what the initiated event reports.
constexpr std::array<QStringView, 9> callStatuses {
    u"queued", u"initiated", u"ringing", u"in-progress", u"completed", u"busy", u"failed", u"no-answer", u"canceled",
};

constexpr qint64 MaxWholeNumber = std::numeric_limits<int>::max();

Problem invalid(const QString &name, const QString &expected, const QString &got)
{
    return Problem {u"invalid_value"_s, name, u"%1 must be %2, got \"%3\""_s.arg(name, expected, got.left(64))};
}

/// The single value of `name` (empty when absent), or the problem of it being given twice.
Result<QString> single(const FormParams &params, const QString &name)
{
    const QStringList values = params.values(name);
    if (values.size() > 1)
        return Problem {u"invalid_value"_s, name,
                        u"%1 must be given once, got %2 values"_s.arg(name).arg(values.size())};
    return values.value(0);
}

/// Digits only: "-1", "+3", " 3" and "3.0" are not Twilio's and are refused rather than guessed at.
std::optional<qint64> wholeNumber(const QString &text)
{
    if (text.isEmpty() || text.size() > 10)
        return std::nullopt;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    const qint64 value = text.toLongLong();
    if (value > MaxWholeNumber)
        return std::nullopt;
    return value;
}

std::optional<Problem> readWholeNumber(const FormParams &params, const QString &name, std::optional<qint64> &out)
{
    const auto text = single(params, name);
    if (!text)
        return text.error();
    if (text->isEmpty())
        return std::nullopt; // absent: the callback does not say
    out = wholeNumber(text.value());
    if (!out)
        return invalid(name, u"a whole number from 0 to %1"_s.arg(MaxWholeNumber), text.value());
    return std::nullopt;
}

} // namespace

QString acceptedCallStatuses()
{
    QString text;
    for (qsizetype i = 0; i < qsizetype(callStatuses.size()); ++i) {
        if (i > 0)
            text += i + 1 == qsizetype(callStatuses.size()) ? u" or "_s : u", "_s;
        text += callStatuses[i];
    }
    return text;
}

Result<CallStatusCallback> CallStatusCallback::fromParams(const FormParams &params)
{
    CallStatusCallback callback;
    for (auto [name, out] :
         {std::pair {u"CallSid"_s, &callback.callSid}, std::pair {u"ParentCallSid"_s, &callback.parentCallSid},
          std::pair {u"CallStatus"_s, &callback.status}}) {
        auto value = single(params, name);
        if (!value)
            return value.error();
        *out = std::move(value).value();
    }
    if (std::find(callStatuses.begin(), callStatuses.end(), callback.status) == callStatuses.end())
        return invalid(u"CallStatus"_s, u"one of "_s + acceptedCallStatuses(), callback.status);

    std::optional<qint64> sequence;
    if (auto problem = readWholeNumber(params, u"SequenceNumber"_s, sequence))
        return *problem;
    if (sequence)
        callback.sequenceNumber = int(*sequence);
    if (auto problem = readWholeNumber(params, u"CallDuration"_s, callback.durationSeconds))
        return *problem;
    return callback;
}

} // namespace heartline
