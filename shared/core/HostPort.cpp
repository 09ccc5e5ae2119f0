#include "core/HostPort.h"

namespace heartline {

std::optional<HostPort> parseHostPort(QStringView text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    QStringView host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QStringView portText = text.mid(colon + 1);
    bool portOk = false;
    const uint port = portText.toUInt(&portOk);
    if (!portOk || port > 65535 || portText.startsWith(u'+'))
        return std::nullopt;
    QHostAddress address;
    if (host == u"localhost")
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host.toString()))
        return std::nullopt;
    return HostPort {address, static_cast<quint16>(port)};
}

} // namespace heartline
