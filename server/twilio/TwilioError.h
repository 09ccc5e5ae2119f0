#pragma once

#include <QString>

#include "core/Result.h"

namespace heartline {

/// Why a Twilio REST request produced no usable answer. Returned, never thrown.
struct TwilioError
{
    enum class Kind {
        Api,         ///< Twilio answered with an HTTP error status (its JSON error body, when any, is in code/message)
        Transport,   ///< no HTTP answer: connection refused, DNS, TLS, connection reset
        Timeout,     ///< the connect or total time limit passed
        BadResponse, ///< a success status whose body is not the JSON shape expected (or too large)
        InvalidRequest, ///< rejected before sending: missing credentials, empty SID, contradictory parameters
        TooManyPages,   ///< a list kept offering next pages past the client's page limit
    };

    Kind kind = Kind::Api;
    int httpStatus = 0; ///< 0 when no HTTP answer arrived
    int code = 0;       ///< Twilio's error code (20404, 20003…); 0 when the answer carried none
    QString message;
    QString moreInfo; ///< Twilio's documentation link for the code
    int attempts = 0; ///< how many times the request was sent (retries included)

    /// One line for logs and error messages; never contains credentials.
    [[nodiscard]] QString toString() const;

    friend bool operator==(const TwilioError &, const TwilioError &) = default;
};

[[nodiscard]] QString twilioErrorKindName(TwilioError::Kind kind);

template <typename T> using TwilioResult = Result<T, TwilioError>;

} // namespace heartline
