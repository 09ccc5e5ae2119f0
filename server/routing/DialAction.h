#pragma once

#include <optional>

#include <QString>

#include "core/Result.h"

namespace heartline {

class FormParams;

/// The parameters of a Twilio Dial action (the request to the <Dial>'s action URL when the offer to
/// an agent ended) that routing acts on, checked before anything changes: one Heartline cannot read
/// is refused whole rather than taken as a hang-up or as negative talk time.
struct DialAction
{
    QString callSid;                       ///< the caller's call
    QString status;                        ///< DialCallStatus: one of acceptedDialCallStatuses()
    std::optional<qint64> durationSeconds; ///< DialCallDuration; absent when Twilio sends none
    std::optional<int> sipResponseCode;    ///< DialSipResponseCode of a <Sip> leg: its final SIP response
    // The caller's call as the request describes it: what routing needs to carry on with a call it
    // does not know (after a restart that lost it), when Twilio's REST API cannot be asked.
    QString from;
    QString to;
    QString callStatus; ///< CallStatus of the caller's call, e.g. "in-progress"

    /// Problem "invalid_value" naming the parameter: a DialCallStatus that is not Twilio's, a
    /// DialCallDuration that is not a whole number of seconds from 0, a DialSipResponseCode that is
    /// not a SIP status code (100-699), or any of them or CallSid given twice. The signature check and the required
    /// CallSid and DialCallStatus come before this.
    [[nodiscard]] static Result<DialAction> fromParams(const FormParams &params);
};

/// "completed, answered, busy, no-answer, failed or canceled".
[[nodiscard]] QString acceptedDialCallStatuses();

} // namespace heartline
