#pragma once

#include <optional>

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>

#include "core/Result.h"

class QNetworkReply;
class QNetworkRequest;
class QWebSocket;

namespace heartline {

/// What the desktop apps check heartline-server's certificate against: the system's certificate
/// authorities, plus those of an optional PEM file (a company CA, or a self-signed server's own
/// certificate). The certificate is always verified, name included; nothing here turns that off.
class ServerTrust final
{
public:
    /// The system's authorities only. Reads nothing (Qt's TLS backend loads on first use, which
    /// must come after the QCoreApplication).
    ServerTrust() = default;

    /// The system's authorities and those in `caFile`; an empty path is the system's only. A file
    /// that cannot be read or holds no PEM certificate is a Problem naming it.
    [[nodiscard]] static Result<ServerTrust> fromCaFile(const QString &caFile);

    [[nodiscard]] QString caFile() const { return m_caFile; }
    /// How a person gives this app a CA file ("Add its CA file in Settings."): said after a
    /// certificate whose authority is unknown.
    void setTrustAdvice(const QString &advice) { m_advice = advice; }
    [[nodiscard]] QString trustAdvice() const { return m_advice; }
    /// The configuration of a connection to the server: Qt's default, with the CA file's
    /// authorities beside the system's when there is one.
    [[nodiscard]] QSslConfiguration sslConfiguration() const;
    /// Sets sslConfiguration() on a request or socket.
    void applyTo(QNetworkRequest &request) const;
    void applyTo(QWebSocket &socket) const;

private:
    QString m_caFile;
    QString m_advice;
    /// With a CA file: the system's authorities and the file's (set explicitly, a list replaces the
    /// system's rather than adding to it).
    std::optional<QSslConfiguration> m_configuration;
};

/// One sentence for a person from the errors of a failed certificate check of `host`, such as
/// "The server's certificate is not trusted (self-signed certificate)." or "The server's certificate
/// is for heartline.office, not 10.0.0.5.", followed by `trustAdvice` (how this app is given a CA
/// file: "Add its CA file in Settings.") when the issuer is unknown.
[[nodiscard]] QString describeCertificateErrors(const QList<QSslError> &errors, const QString &host,
                                                const QString &trustAdvice);

/// Keeps, on the reply, the certificate errors it meets, so that networkErrorText() can say them
/// once the reply has failed: Qt's own text is only "SSL handshake failed".
void noteCertificateErrors(QNetworkReply *reply);
/// Whether the reply failed its check of the server's certificate (rather than being refused or timing out).
[[nodiscard]] bool failedCertificateCheck(const QNetworkReply *reply);
/// Why a reply got no HTTP answer: the certificate sentence when the check failed, Qt's text otherwise.
[[nodiscard]] QString networkErrorText(const QNetworkReply *reply, const ServerTrust &trust);

/// The same for a WebSocket, once for its life: each connection attempt starts without the last one's errors.
void noteCertificateErrors(QWebSocket *socket);
[[nodiscard]] bool failedCertificateCheck(const QWebSocket *socket);
/// Why the socket could not connect or closed: the certificate sentence, else Qt's text.
[[nodiscard]] QString socketErrorText(const QWebSocket *socket, const ServerTrust &trust);

} // namespace heartline
