#include "core/HostPort.h"

#include <QTcpServer>

using namespace Qt::StringLiterals;

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

bool listenOn(QTcpServer &server, const QHostAddress &address, quint16 port, QString *errorText)
{
    if (server.listen(address, port))
        return true;
    if (errorText) {
        const QString where = (address.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]:%2"_s : u"%1:%2"_s)
                                  .arg(address.toString())
                                  .arg(port);
        *errorText = server.serverError() == QAbstractSocket::AddressInUseError
            ? u"cannot listen on %1: the port is already in use (another program listens there)"_s.arg(where)
            : u"cannot listen on %1: %2"_s.arg(where, server.errorString());
    }
    return false;
}

} // namespace heartline
