#include "http/TlsCredentials.h"

#include <memory>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <QFile>
#include <QSslKey>
#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

Problem unusable(const QString &key, const QString &file, const QString &why)
{
    return Problem {u"tls_unusable"_s, key, u"%1=%2 %3"_s.arg(key, file, why)};
}

Result<QByteArray> readPem(const QString &key, const QString &file)
{
    QFile pem(file);
    if (!pem.open(QIODevice::ReadOnly))
        return unusable(key, file, u"cannot be read: %1"_s.arg(pem.errorString()));
    return pem.readAll();
}

/// The key's algorithm is not named in the configuration: the ones a web server's key can have are tried.
QSslKey parsePrivateKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

/// Qt has no call for "does this key belong to this certificate", and a mismatched pair would
/// fail every handshake without a word at start; OpenSSL (Qt's TLS backend here too) is asked,
/// from the bytes, so nothing depends on what Qt's key handles are.
bool belongTogether(const QSslCertificate &certificate, const QByteArray &keyPem)
{
    const QByteArray der = certificate.toDer();
    const auto *derBytes = reinterpret_cast<const unsigned char *>(der.constData());
    const std::unique_ptr<X509, decltype(&X509_free)> x509(d2i_X509(nullptr, &derBytes, long(der.size())), &X509_free);
    const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())),
                                                        &BIO_free);
    if (!x509 || !bio)
        return false;
    // No passphrase: without a callback OpenSSL would ask for one on the terminal.
    pem_password_cb *noPassphrase = [](char *, int, int, void *) {
        return 0;
    };
    const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr), &EVP_PKEY_free);
    const bool matches = key && X509_check_private_key(x509.get(), key.get()) == 1;
    ERR_clear_error(); // a mismatch leaves an error queued that must not surface in a later handshake
    return matches;
}

} // namespace

Result<TlsCredentials> TlsCredentials::load(const QString &certificateFile, const QString &privateKeyFile)
{
    const QString certificateKey = u"TLS_CERTIFICATE_FILE"_s;
    const QString privateKeyKey = u"TLS_PRIVATE_KEY_FILE"_s;
    auto certificatePem = readPem(certificateKey, certificateFile);
    if (!certificatePem)
        return certificatePem.error();
    auto keyPem = readPem(privateKeyKey, privateKeyFile);
    if (!keyPem)
        return keyPem.error();

    TlsCredentials credentials;
    credentials.m_chain = QSslCertificate::fromData(certificatePem.value(), QSsl::Pem);
    if (credentials.m_chain.isEmpty() || credentials.m_chain.first().isNull())
        return unusable(certificateKey, certificateFile, u"holds no PEM certificate (-----BEGIN CERTIFICATE-----)"_s);
    credentials.m_key = parsePrivateKey(keyPem.value());
    if (credentials.m_key.isNull()) {
        return unusable(privateKeyKey, privateKeyFile,
                        u"holds no private key that can be read: expected an unencrypted PEM RSA or EC key "
                        "(-----BEGIN PRIVATE KEY-----)"_s);
    }
    if (!belongTogether(credentials.m_chain.first(), keyPem.value())) {
        return unusable(
            privateKeyKey, privateKeyFile,
            u"is not the private key of the certificate in %1 (%2)"_s.arg(certificateFile, credentials.summary()));
    }
    return credentials;
}

QSslConfiguration TlsCredentials::serverConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(m_chain);
    configuration.setPrivateKey(m_key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // the apps sign in with passwords, not certificates
    return configuration;
}

QString TlsCredentials::summary() const
{
    const QSslCertificate &leaf = m_chain.first();
    QStringList names = leaf.subjectInfo(QSslCertificate::CommonName);
    for (const QString &name : leaf.subjectAlternativeNames().values())
        if (!names.contains(name))
            names.append(name);
    return u"%1, valid until %2"_s.arg(names.join(u", "_s),
                                       leaf.expiryDate().toUTC().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s));
}

} // namespace heartline
