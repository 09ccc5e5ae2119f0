#include "sip/SipTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

QString sipTransportName(SipTransport transport)
{
    switch (transport) {
    case SipTransport::Udp:
        return u"udp"_s;
    case SipTransport::Tcp:
        return u"tcp"_s;
    case SipTransport::Tls:
        return u"tls"_s;
    }
    return {};
}

} // namespace heartline
