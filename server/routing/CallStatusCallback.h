#pragma once

#include <optional>

#include <QString>

#include "core/Result.h"

namespace heartline {

class FormParams;

/// The parameters of a Twilio status callback that routing acts on, checked before anything
/// changes: a callback Heartline cannot read is refused whole rather than half applied.
struct CallStatusCallback
{
    QString callSid;                       ///< the leg the callback is about
    QString parentCallSid;                 ///< the caller's call, when the leg is an agent's
    QString status;                        ///< one of Twilio's call statuses (acceptedCallStatuses())
    std::optional<int> sequenceNumber;     ///< orders the callbacks of one leg; absent: no order known
    std::optional<qint64> durationSeconds; ///< CallDuration, sent with the final callback

    /// Problem "invalid_value" naming the parameter: a CallStatus that is not Twilio's, a
    /// SequenceNumber or CallDuration that is not a whole number from 0, or any of them given twice.
    /// The signature check and the required CallSid and CallStatus come before this.
    [[nodiscard]] static Result<CallStatusCallback> fromParams(const FormParams &params);
};

/// "queued, initiated, ringing, in-progress, completed, busy, failed, no-answer or canceled".
[[nodiscard]] QString acceptedCallStatuses();

} // namespace heartline
