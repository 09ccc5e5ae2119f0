#include "KamailioConfig.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

Problem problem(const QString &field, const QString &message)
{
    return Problem {u"bad_sip_domain_option"_s, field, message};
}

// Kamailio's listen lines take an IPv6 address in brackets.
QString listenAddress(const QHostAddress &address)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']' : address.toString();
}

// Values go inside double-quoted strings of the configuration.
bool safeForConfig(const QString &value)
{
    return !value.contains(u'"') && !value.contains(u'\n') && !value.contains(u'\\');
}

} // namespace

std::optional<Problem> KamailioConfig::validate(const KamailioOptions &options)
{
    static const QRegularExpression domainPattern(
        u"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$"_s);
    if (options.sipDomain.isEmpty())
        return problem(u"sipDomain"_s, u"no SIP domain given (e.g. example.sip.twilio.com)"_s);
    if (!domainPattern.match(options.sipDomain).hasMatch())
        return problem(u"sipDomain"_s, u"\"%1\" is not a host name"_s.arg(options.sipDomain));
    if (options.address.isNull())
        return problem(u"address"_s, u"no address to listen on"_s);
    if (options.tlsEnabled()) {
        if (options.tlsCertificateFile.isEmpty() || options.tlsPrivateKeyFile.isEmpty())
            return problem(u"tls"_s, u"TLS needs both a certificate and its private key"_s);
        for (const QString &file : {options.tlsCertificateFile, options.tlsPrivateKeyFile}) {
            if (!QFileInfo(file).isReadable())
                return problem(u"tls"_s, u"cannot read %1"_s.arg(file));
            if (!safeForConfig(QFileInfo(file).absoluteFilePath()))
                return problem(u"tls"_s, u"the path %1 cannot go into Kamailio's configuration"_s.arg(file));
        }
    }
    return std::nullopt;
}

Result<QByteArray> KamailioConfig::render(const KamailioOptions &options, quint16 port, quint16 tlsPort,
                                          const QString &credentialsPath)
{
    if (const auto invalid = validate(options))
        return *invalid;
    if (port == 0 || (options.tlsEnabled() && tlsPort == 0))
        return problem(u"port"_s, u"the ports must be decided before the configuration is written"_s);
    if (!safeForConfig(credentialsPath))
        return problem(u"credentials"_s, u"the path %1 cannot go into Kamailio's configuration"_s.arg(credentialsPath));

    QFile templateFile(u":/twilio-sim/kamailio.cfg.in"_s);
    if (!templateFile.open(QIODevice::ReadOnly))
        return problem(u"template"_s, u"the Kamailio configuration template is missing from the build"_s);
    QString text = QString::fromUtf8(templateFile.readAll());

    const QString host = listenAddress(options.address);
    QString listen = u"listen=udp:%1:%2\nlisten=tcp:%1:%2"_s.arg(host).arg(port);
    if (options.tlsEnabled())
        listen += u"\nlisten=tls:%1:%2"_s.arg(host).arg(tlsPort);
    text.replace(u"@SIP_DOMAIN@"_s, options.sipDomain);
    text.replace(u"@LISTEN@"_s, listen);
    // db_sqlite takes the file's path after "sqlite://", so an absolute path gives three slashes.
    text.replace(u"@DB_URL@"_s, u"sqlite://"_s + QFileInfo(credentialsPath).absoluteFilePath());
    text.replace(u"@TLS_CERTIFICATE@"_s, QFileInfo(options.tlsCertificateFile).absoluteFilePath());
    text.replace(u"@TLS_PRIVATE_KEY@"_s, QFileInfo(options.tlsPrivateKeyFile).absoluteFilePath());

    static const QRegularExpression leftover(u"@[A-Z_]+@"_s);
    if (const auto match = leftover.match(text); match.hasMatch())
        return problem(u"template"_s,
                       u"the Kamailio template names %1, which nothing fills in"_s.arg(match.captured()));
    return text.toUtf8();
}

} // namespace heartline
