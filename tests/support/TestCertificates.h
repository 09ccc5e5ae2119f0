#pragma once

#include <QDir>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace heartline::test {

/// A certificate authority and a server certificate it signed, made with the openssl command in a
/// folder of the test's, fresh at each run: what a TLS SIP domain or an HTTPS heartline-server needs.
struct TestCertificates
{
    QString caFile;
    QString caKeyFile;
    QString certificateFile;
    QString privateKeyFile;
    QString error; ///< why they could not be made; empty when they were

    /// The server certificate names `hostName` as a DNS name (liblinphone checks those only, never
    /// an IP address).
    static TestCertificates make(const QString &folder, const QString &hostName = QStringLiteral("localhost"))
    {
        return makeFor(folder, {QStringLiteral("DNS:") + hostName}, hostName);
    }

    /// The same with the server certificate's subjectAltName entries given ("DNS:localhost",
    /// "IP:127.0.0.1"): an HTTPS server on 127.0.0.1 is checked against its IP address.
    static TestCertificates makeFor(const QString &folder, const QStringList &alternativeNames,
                                    const QString &commonName)
    {
        TestCertificates made;
        const QDir dir(folder);
        dir.mkpath(QStringLiteral("."));
        made.caKeyFile = dir.filePath(QStringLiteral("ca.key"));
        made.caFile = dir.filePath(QStringLiteral("ca.pem"));
        made.error = run(QStringList {QStringLiteral("req"), QStringLiteral("-x509")} + ecKey()
                         + QStringList {QStringLiteral("-keyout"), made.caKeyFile, QStringLiteral("-out"), made.caFile,
                                        QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                                        QStringLiteral("/CN=Heartline test CA"), QStringLiteral("-addext"),
                                        QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                                        QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
        if (!made.error.isEmpty())
            return made;
        return made.issue(folder, alternativeNames, commonName);
    }

    /// Another server certificate and key from the same authority, in `folder` (a renewed
    /// certificate, or one for another name); caFile stays.
    TestCertificates issue(const QString &folder, const QStringList &alternativeNames, const QString &commonName) const
    {
        TestCertificates made = *this;
        const QDir dir(folder);
        dir.mkpath(QStringLiteral("."));
        made.certificateFile = dir.filePath(QStringLiteral("server.pem"));
        made.privateKeyFile = dir.filePath(QStringLiteral("server.key"));
        const QString request = dir.filePath(QStringLiteral("server.csr"));
        const QString extensions = dir.filePath(QStringLiteral("server.ext"));
        QFile extensionFile(extensions);
        if (!extensionFile.open(QIODevice::WriteOnly)) {
            made.error = extensionFile.errorString();
            return made;
        }
        extensionFile.write("subjectAltName=" + alternativeNames.join(u',').toUtf8()
                            + "\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        extensionFile.close();
        made.error = run(QStringList {QStringLiteral("req")} + ecKey()
                         + QStringList {QStringLiteral("-keyout"), made.privateKeyFile, QStringLiteral("-out"), request,
                                        QStringLiteral("-subj"), QStringLiteral("/CN=") + commonName});
        if (made.error.isEmpty()) {
            made.error = run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), request,
                              QStringLiteral("-CA"), caFile, QStringLiteral("-CAkey"), caKeyFile,
                              QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), made.certificateFile,
                              QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), extensions});
        }
        return made;
    }

private:
    static QStringList ecKey()
    {
        return {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    }

    /// Runs openssl; empty when it succeeded, else what it said.
    static QString run(const QStringList &arguments)
    {
        QProcess openssl;
        openssl.setProcessChannelMode(QProcess::MergedChannels);
        openssl.start(QStringLiteral("openssl"), arguments);
        if (!openssl.waitForFinished(30'000) || openssl.exitStatus() != QProcess::NormalExit
            || openssl.exitCode() != 0) {
            return QStringLiteral("openssl %1: %2%3")
                .arg(arguments.join(u' '), openssl.errorString(), QString::fromUtf8(openssl.readAll()));
        }
        return {};
    }
};

} // namespace heartline::test
