#include "routing/DialAction.h"

#include <array>

#include "routing/WebhookParams.h"
#include "twilio/FormParams.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

// Twilio's DialCallStatus values. Twilio documents "answered" for a Dial to a conference; Heartline
// never dials one, but a value Twilio may send is never refused, as refusing a Dial action drops
// the caller.
constexpr std::array<QStringView, 6> dialCallStatuses {
    u"completed", u"answered", u"busy", u"no-answer", u"failed", u"canceled",
};

} // namespace

QString acceptedDialCallStatuses()
{
    return WebhookParams::wordList(dialCallStatuses);
}

Result<DialAction> DialAction::fromParams(const FormParams &params)
{
    const WebhookParams reader(params);
    DialAction action;
    auto callSid = reader.single(u"CallSid"_s);
    if (!callSid)
        return callSid.error();
    action.callSid = std::move(callSid).value();
    auto status = reader.oneOf(u"DialCallStatus"_s, dialCallStatuses);
    if (!status)
        return status.error();
    action.status = std::move(status).value();
    const auto duration = reader.wholeNumber(u"DialCallDuration"_s);
    if (!duration)
        return duration.error();
    action.durationSeconds = duration.value();
    const auto sipCode = reader.wholeNumber(u"DialSipResponseCode"_s);
    if (!sipCode)
        return sipCode.error();
    if (const std::optional<qint64> code = sipCode.value()) {
        if (*code < 100 || *code > 699) {
            return Problem {u"invalid_value"_s, u"DialSipResponseCode"_s,
                            u"DialSipResponseCode must be a SIP status code from 100 to 699, got \"%1\""_s.arg(*code)};
        }
        action.sipResponseCode = int(*code);
    }
    action.from = params.value(u"From"_s);
    action.to = params.value(u"To"_s);
    action.callStatus = params.value(u"CallStatus"_s);
    return action;
}

} // namespace heartline
