#include "routing/CallStatusCallback.h"

#include <array>

#include "routing/WebhookParams.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

// Twilio's CallStatus values; "initiated" is what the initiated event reports.
constexpr std::array<QStringView, 9> callStatuses {
    u"queued", u"initiated", u"ringing", u"in-progress", u"completed", u"busy", u"failed", u"no-answer", u"canceled",
};

} // namespace

QString acceptedCallStatuses()
{
    return WebhookParams::wordList(callStatuses);
}

Result<CallStatusCallback> CallStatusCallback::fromParams(const FormParams &params)
{
    const WebhookParams reader(params);
    CallStatusCallback callback;
    for (auto [name, out] :
         {std::pair {u"CallSid"_s, &callback.callSid}, std::pair {u"ParentCallSid"_s, &callback.parentCallSid}}) {
        auto value = reader.single(name);
        if (!value)
            return value.error();
        *out = std::move(value).value();
    }
    auto status = reader.oneOf(u"CallStatus"_s, callStatuses);
    if (!status)
        return status.error();
    callback.status = std::move(status).value();

    const auto sequence = reader.wholeNumber(u"SequenceNumber"_s);
    if (!sequence)
        return sequence.error();
    if (const std::optional<qint64> number = sequence.value())
        callback.sequenceNumber = int(*number);
    const auto duration = reader.wholeNumber(u"CallDuration"_s);
    if (!duration)
        return duration.error();
    callback.durationSeconds = duration.value();
    return callback;
}

} // namespace heartline
