#pragma once

#include <QString>

#include "sip/SipTypes.h"

namespace heartline {

struct SipOffer;

/// The INVITE Twilio sends for a `<Dial><Sip>` leg, worked out from the leg and its URI:
/// the Request-URI is the URI without its headers; the headers are Twilio's own (X-Twilio-CallSid,
/// X-Twilio-AccountSid, X-Twilio-ApiVersion) plus every header of the URI (`?x-foo=bar` →
/// `x-foo: bar`); the URI's `transport` and `secure` parameters decide how this one call travels.
struct SipInvite
{
    QString requestUri;
    SipHeaders headers;
    SipTransport transport = SipTransport::Udp; ///< `transport=` (udp when absent, as for any SIP URI)
    bool secureMedia = false;                   ///< `secure=true`: SRTP is mandatory for this call

    [[nodiscard]] static SipInvite fromOffer(const SipOffer &offer);
};

} // namespace heartline
