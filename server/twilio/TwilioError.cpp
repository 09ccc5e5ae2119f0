#include "twilio/TwilioError.h"

using namespace Qt::StringLiterals;

namespace heartline {

QString twilioErrorKindName(TwilioError::Kind kind)
{
    switch (kind) {
    case TwilioError::Kind::Api:
        return u"api"_s;
    case TwilioError::Kind::Transport:
        return u"transport"_s;
    case TwilioError::Kind::Timeout:
        return u"timeout"_s;
    case TwilioError::Kind::BadResponse:
        return u"bad_response"_s;
    case TwilioError::Kind::InvalidRequest:
        return u"invalid_request"_s;
    case TwilioError::Kind::TooManyPages:
        return u"too_many_pages"_s;
    }
    return u"unknown"_s;
}

QString TwilioError::toString() const
{
    QString text = twilioErrorKindName(kind);
    if (httpStatus != 0)
        text += u" HTTP %1"_s.arg(httpStatus);
    if (code != 0)
        text += u" code %1"_s.arg(code);
    if (!message.isEmpty())
        text += u": "_s + message;
    if (attempts > 1)
        text += u" (after %1 attempts)"_s.arg(attempts);
    return text;
}

} // namespace heartline
