#include "twilio/SipUri.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace heartline::sipuri {

namespace {

constexpr QStringView TwilioSuffix = u".sip.twilio.com";

bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

bool isLabel(QStringView label)
{
    if (label.isEmpty() || label.size() > 63 || label.startsWith(u'-') || label.endsWith(u'-'))
        return false;
    for (QChar c : label) {
        if (!isAsciiAlnum(c) && c != u'-')
            return false;
    }
    return true;
}

/// RFC 3261 user: unreserved (alphanum and - _ . ! ~ * ' ( )) and user-unreserved (& = + $ , ; ? /).
/// ; ? / are left out on purpose: in a URI they would start parameters, headers or a path.
bool staysInUser(QChar c)
{
    return isAsciiAlnum(c) || QStringView(u"-_.!~*'()&=+$,").contains(c);
}

/// RFC 3261 hnv-unreserved plus unreserved: what may stay as it is in a header name or value.
bool staysInHeader(QChar c)
{
    return isAsciiAlnum(c) || QStringView(u"-_.!~*'()[]/?:+$").contains(c);
}

QString percentEncode(QStringView text, bool (*stays)(QChar))
{
    QString out;
    out.reserve(text.size());
    for (const char byte : text.toUtf8()) {
        const QChar c = QChar::fromLatin1(byte);
        if (byte > 0 && stays(c)) {
            out += c;
        } else {
            static constexpr char hex[] = "0123456789ABCDEF";
            const auto value = static_cast<unsigned char>(byte);
            out += u'%';
            out += QChar::fromLatin1(hex[value >> 4]);
            out += QChar::fromLatin1(hex[value & 0xF]);
        }
    }
    return out;
}

QString percentDecode(QStringView text)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(text.toUtf8()));
}

} // namespace

bool isHostName(QStringView text)
{
    if (text.isEmpty() || text.size() > 253)
        return false;
    for (QStringView label : text.split(u'.')) {
        if (!isLabel(label))
            return false;
    }
    return true;
}

bool isRegistrarAddress(QStringView text)
{
    QStringView host = text;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return false;
        host = text.mid(1, close - 1);
        const QStringView rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return false;
            bool ok = false;
            const uint port = rest.mid(1).toUInt(&ok);
            if (!ok || port == 0 || port > 65535 || rest.mid(1).startsWith(u'+'))
                return false;
        }
        QHostAddress address;
        return address.setAddress(host.toString()) && address.protocol() == QAbstractSocket::IPv6Protocol;
    }
    const qsizetype colon = text.indexOf(u':');
    if (colon >= 0) {
        host = text.left(colon);
        const QStringView portText = text.mid(colon + 1);
        bool ok = false;
        const uint port = portText.toUInt(&ok);
        if (!ok || port == 0 || port > 65535 || portText.startsWith(u'+'))
            return false;
    }
    // Host names include dotted IPv4 literals as far as the characters go.
    return isHostName(host);
}

QString defaultEdgeHost(QStringView domain)
{
    if (!domain.endsWith(TwilioSuffix, Qt::CaseInsensitive))
        return {};
    const QStringView name = domain.chopped(TwilioSuffix.size());
    if (!isLabel(name))
        return {}; // NAME.sip.twilio.com only: a regional or edge host is no global domain
    return name.toString() + u".sip.ashburn.twilio.com"_s;
}

std::optional<QString> usernameProblem(QStringView agentId)
{
    const auto problem = [&] {
        return u"agent id \"%1\" cannot be a SIP username at Twilio: use 1 to %2 characters of A-Z a-z 0-9 . _ -"_s.arg(
            agentId.toString(), QString::number(MaxTwilioUsernameLength));
    };
    if (agentId.isEmpty() || agentId.size() > MaxTwilioUsernameLength)
        return problem();
    for (QChar c : agentId) {
        if (!isAsciiAlnum(c) && c != u'.' && c != u'_' && c != u'-')
            return problem();
    }
    return std::nullopt;
}

QString escapeUser(QStringView user)
{
    return percentEncode(user, staysInUser);
}

QString dialUri(QStringView user, QStringView domain, QStringView transport, bool secureMedia)
{
    QString uri = u"sip:"_s + escapeUser(user) + u'@' + domain + u";transport="_s + transport;
    if (secureMedia)
        uri += u";secure=true"_s;
    return uri;
}

QString dialUri(QStringView user, QStringView domain, QStringView transport, bool secureMedia,
                const UriHeaders &headers)
{
    QString uri = dialUri(user, domain, transport, secureMedia);
    QChar separator = u'?';
    for (const auto &[name, value] : headers) {
        uri += separator + percentEncode(name, staysInHeader) + u'=' + percentEncode(value, staysInHeader);
        separator = u'&';
    }
    return uri;
}

UriHeaders uriHeaders(QStringView uri)
{
    UriHeaders headers;
    const qsizetype question = uri.indexOf(u'?');
    if (question < 0)
        return headers;
    for (QStringView pair : uri.mid(question + 1).split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0)
            continue; // a header needs a name; "?=x" and "?name" say nothing
        headers.append({percentDecode(pair.left(equals)), percentDecode(pair.mid(equals + 1))});
    }
    return headers;
}

QString withoutHeaders(QStringView uri)
{
    const qsizetype question = uri.indexOf(u'?');
    return (question < 0 ? uri : uri.left(question)).toString();
}

std::optional<QString> uriParameter(QStringView uri, QStringView name)
{
    QStringView rest = uri;
    const qsizetype question = rest.indexOf(u'?');
    if (question >= 0)
        rest = rest.left(question);
    // Parameters follow the host part; a ';' in the user part would be escaped.
    const qsizetype at = rest.indexOf(u'@');
    if (at >= 0)
        rest = rest.mid(at + 1);
    const QList<QStringView> parts = rest.split(u';');
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QStringView part = parts.at(i);
        const qsizetype equals = part.indexOf(u'=');
        const QStringView key = equals < 0 ? part : part.left(equals);
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return equals < 0 ? QString() : percentDecode(part.mid(equals + 1));
    }
    return std::nullopt;
}

std::optional<Address> parseAddress(QStringView uri)
{
    QStringView rest;
    if (uri.startsWith(u"sip:", Qt::CaseInsensitive))
        rest = uri.mid(4);
    else if (uri.startsWith(u"sips:", Qt::CaseInsensitive))
        rest = uri.mid(5);
    else
        return std::nullopt;
    const qsizetype at = rest.indexOf(u'@');
    if (at <= 0)
        return std::nullopt;
    QStringView host = rest.mid(at + 1);
    for (QChar end : {u';', u'?'}) {
        const qsizetype cut = host.indexOf(end);
        if (cut >= 0)
            host = host.left(cut);
    }
    if (!host.startsWith(u'[')) {
        const qsizetype colon = host.indexOf(u':');
        if (colon >= 0)
            host = host.left(colon);
    }
    if (host.isEmpty())
        return std::nullopt;
    // The user may carry a password (user:password@host), which says nothing about who was called.
    QStringView user = rest.left(at);
    const qsizetype colon = user.indexOf(u':');
    if (colon >= 0)
        user = user.left(colon);
    const QByteArray unescaped = QByteArray::fromPercentEncoding(user.toUtf8());
    return Address {QString::fromUtf8(unescaped), host.toString().toLower()};
}

} // namespace heartline::sipuri
