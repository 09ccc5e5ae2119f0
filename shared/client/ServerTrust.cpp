#include "client/ServerTrust.h"

#include <QCoreApplication>
#include <QFile>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Where the errors of a failed certificate check wait on the reply or socket for its error signal.
constexpr const char *ErrorsProperty = "heartline_certificateErrors";

QString tr(const char *text)
{
    return QCoreApplication::translate("ServerTrust", text);
}

/// "a", "a and b", "a, b and c".
QString listed(const QStringList &items)
{
    if (items.size() <= 1)
        return items.value(0);
    return items.mid(0, items.size() - 1).join(u", "_s) + tr(" and ") + items.last();
}

/// The names a certificate is for: its DNS and IP alternative names, else its common name.
QString namesOf(const QSslCertificate &certificate)
{
    QStringList names;
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it) {
        if (!names.contains(it.value()))
            names.append(it.value());
    }
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    return names.isEmpty() ? tr("another name") : listed(names);
}

QString issuerOf(const QSslCertificate &certificate)
{
    const QStringList names = certificate.issuerInfo(QSslCertificate::CommonName);
    return names.isEmpty() ? certificate.issuerDisplayName() : names.first();
}

} // namespace

Result<ServerTrust> ServerTrust::fromCaFile(const QString &caFile)
{
    ServerTrust trust;
    if (caFile.isEmpty())
        return trust;
    QFile file(caFile);
    if (!file.open(QIODevice::ReadOnly)) {
        return Problem {u"unreadable_ca_file"_s, u"caFile"_s,
                        tr("The CA file %1 cannot be read: %2.").arg(caFile, file.errorString())};
    }
    const QList<QSslCertificate> authorities = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (authorities.isEmpty()) {
        return Problem {u"unreadable_ca_file"_s, u"caFile"_s,
                        tr("The CA file %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----).").arg(caFile)};
    }
    trust.m_caFile = caFile;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(QSslConfiguration::systemCaCertificates() + authorities);
    trust.m_configuration = configuration;
    return trust;
}

QSslConfiguration ServerTrust::sslConfiguration() const
{
    return m_configuration.value_or(QSslConfiguration::defaultConfiguration());
}

void ServerTrust::applyTo(QNetworkRequest &request) const
{
    request.setSslConfiguration(sslConfiguration());
}

void ServerTrust::applyTo(QWebSocket &socket) const
{
    // Always set: a socket reused after the CA file was removed must not keep trusting it.
    socket.setSslConfiguration(sslConfiguration());
}

QString describeCertificateErrors(const QList<QSslError> &errors, const QString &host, const QString &trustAdvice)
{
    QString untrusted;
    QStringList clauses;
    QString advice;
    const auto addOnce = [&clauses](const QString &clause) {
        if (!clauses.contains(clause))
            clauses.append(clause);
    };
    for (const QSslError &error : errors) {
        switch (error.error()) {
        case QSslError::SelfSignedCertificate:
            untrusted = tr("is not trusted (self-signed certificate)");
            break;
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::CertificateUntrusted:
            if (untrusted.isEmpty()) {
                untrusted = tr("is not trusted (issued by %1, an authority this computer does not know)")
                                .arg(issuerOf(error.certificate()));
            }
            break;
        case QSslError::HostNameMismatch:
            addOnce(tr("is for %1, not %2").arg(namesOf(error.certificate()), host));
            advice = tr("Connect with a name the certificate is for.");
            break;
        case QSslError::CertificateExpired:
            addOnce(tr("expired on %1").arg(error.certificate().expiryDate().toUTC().toString(u"yyyy-MM-dd"_s)));
            break;
        case QSslError::CertificateNotYetValid:
            addOnce(tr("is not valid before %1")
                        .arg(error.certificate().effectiveDate().toUTC().toString(u"yyyy-MM-dd"_s)));
            break;
        case QSslError::CertificateRevoked:
            addOnce(tr("has been revoked"));
            break;
        default:
            addOnce(tr("cannot be verified (%1)").arg(error.errorString()));
            break;
        }
    }
    if (!untrusted.isEmpty())
        clauses.prepend(untrusted);
    if (clauses.isEmpty())
        return tr("The server's certificate cannot be verified.");
    QString sentence = tr("The server's certificate %1.").arg(listed(clauses));
    if (!untrusted.isEmpty() && !trustAdvice.isEmpty())
        sentence += u' ' + trustAdvice;
    if (!advice.isEmpty())
        sentence += u' ' + advice;
    return sentence;
}

namespace {

QList<QSslError> certificateErrorsOf(const QObject *object)
{
    return object->property(ErrorsProperty).value<QList<QSslError>>();
}

} // namespace

void noteCertificateErrors(QNetworkReply *reply)
{
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &errors) {
        reply->setProperty(ErrorsProperty, QVariant::fromValue(errors));
    });
}

bool failedCertificateCheck(const QNetworkReply *reply)
{
    return reply->error() == QNetworkReply::SslHandshakeFailedError && !certificateErrorsOf(reply).isEmpty();
}

QString networkErrorText(const QNetworkReply *reply, const ServerTrust &trust)
{
    if (!failedCertificateCheck(reply))
        return reply->errorString();
    return describeCertificateErrors(certificateErrorsOf(reply), reply->url().host(), trust.trustAdvice());
}

void noteCertificateErrors(QWebSocket *socket)
{
    QObject::connect(socket, &QWebSocket::sslErrors, socket, [socket](const QList<QSslError> &errors) {
        socket->setProperty(ErrorsProperty, QVariant::fromValue(errors));
    });
    QObject::connect(socket, &QWebSocket::stateChanged, socket, [socket](QAbstractSocket::SocketState state) {
        if (state == QAbstractSocket::ConnectingState)
            socket->setProperty(ErrorsProperty, QVariant());
    });
}

bool failedCertificateCheck(const QWebSocket *socket)
{
    return !certificateErrorsOf(socket).isEmpty();
}

QString socketErrorText(const QWebSocket *socket, const ServerTrust &trust)
{
    if (!failedCertificateCheck(socket))
        return socket->errorString();
    return describeCertificateErrors(certificateErrorsOf(socket), socket->requestUrl().host(), trust.trustAdvice());
}

} // namespace heartline
