#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

#include "core/Result.h"

namespace heartline {

/// The server's side of HTTPS and WSS: its certificate chain and private key, read from their PEM
/// files (TLS_CERTIFICATE_FILE, TLS_PRIVATE_KEY_FILE) and checked to belong together before any
/// client sees them. A pair that cannot be used is a Problem naming the file and what is wrong, so
/// a start refuses it and a reload keeps the pair in use.
class TlsCredentials final
{
public:
    [[nodiscard]] static Result<TlsCredentials> load(const QString &certificateFile, const QString &privateKeyFile);

    /// What QSslServer needs: the chain, the key, TLS 1.2 or later, no client certificates.
    [[nodiscard]] QSslConfiguration serverConfiguration() const;
    /// "CN=heartline.office, valid until 2027-03-01 12:00 UTC", for the log.
    [[nodiscard]] QString summary() const;

private:
    QList<QSslCertificate> m_chain;
    QSslKey m_key;
};

} // namespace heartline
