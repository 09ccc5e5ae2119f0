#include "sip/SipInvite.h"

#include "CallEngine.h"
#include "twilio/SipUri.h"

using namespace Qt::StringLiterals;

namespace heartline {

SipInvite SipInvite::fromOffer(const SipOffer &offer)
{
    SipInvite invite;
    invite.requestUri = sipuri::withoutHeaders(offer.uri);
    for (const auto &[name, value] : sipuri::uriHeaders(offer.uri))
        invite.headers.insert(name, value);
    // Twilio's own headers win over a URI header of the same name.
    invite.headers.insert(u"X-Twilio-CallSid"_s, offer.callSid);
    invite.headers.insert(u"X-Twilio-AccountSid"_s, offer.accountSid);
    invite.headers.insert(u"X-Twilio-ApiVersion"_s, u"2010-04-01"_s);

    const QString transport = sipuri::uriParameter(offer.uri, u"transport").value_or(QString()).toLower();
    if (transport == u"tls"_s || offer.uri.startsWith(u"sips:"_s, Qt::CaseInsensitive))
        invite.transport = SipTransport::Tls;
    else if (transport == u"tcp"_s)
        invite.transport = SipTransport::Tcp;
    invite.secureMedia = sipuri::uriParameter(offer.uri, u"secure").value_or(QString()).toLower() == u"true"_s;
    return invite;
}

} // namespace heartline
