#pragma once

#include <QDir>
#include <QProcess>
#include <QString>

namespace heartline::test {

/// A certificate authority and a server certificate it signed, made with the openssl command in a
/// folder of the test's: what a TLS SIP domain needs, made fresh at each run.
struct TestCertificates
{
    QString caFile;
    QString certificateFile;
    QString privateKeyFile;
    QString error; ///< why they could not be made; empty when they were

    /// The server certificate names `hostName` as a DNS name (liblinphone checks those only, never
    /// an IP address).
    static TestCertificates make(const QString &folder, const QString &hostName = QStringLiteral("localhost"))
    {
        TestCertificates made;
        const QDir dir(folder);
        const QString caKey = dir.filePath(QStringLiteral("ca.key"));
        made.caFile = dir.filePath(QStringLiteral("ca.pem"));
        made.certificateFile = dir.filePath(QStringLiteral("server.pem"));
        made.privateKeyFile = dir.filePath(QStringLiteral("server.key"));
        const QString request = dir.filePath(QStringLiteral("server.csr"));
        const QString extensions = dir.filePath(QStringLiteral("server.ext"));
        QFile extensionFile(extensions);
        if (!extensionFile.open(QIODevice::WriteOnly)) {
            made.error = extensionFile.errorString();
            return made;
        }
        extensionFile.write("subjectAltName=DNS:" + hostName.toUtf8()
                            + "\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        extensionFile.close();

        const QStringList ecKey {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                                 QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
        const QList<QStringList> steps {
            QStringList {QStringLiteral("req"), QStringLiteral("-x509")} + ecKey
                + QStringList {QStringLiteral("-keyout"), caKey, QStringLiteral("-out"), made.caFile,
                               QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                               QStringLiteral("/CN=Heartline test CA"), QStringLiteral("-addext"),
                               QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                               QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
            QStringList {QStringLiteral("req")} + ecKey
                + QStringList {QStringLiteral("-keyout"), made.privateKeyFile, QStringLiteral("-out"), request,
                               QStringLiteral("-subj"), QStringLiteral("/CN=") + hostName},
            QStringList {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), request,
                         QStringLiteral("-CA"), made.caFile, QStringLiteral("-CAkey"), caKey,
                         QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), made.certificateFile,
                         QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), extensions},
        };
        for (const QStringList &arguments : steps) {
            QProcess openssl;
            openssl.setProcessChannelMode(QProcess::MergedChannels);
            openssl.start(QStringLiteral("openssl"), arguments);
            if (!openssl.waitForFinished(30'000) || openssl.exitStatus() != QProcess::NormalExit
                || openssl.exitCode() != 0) {
                made.error
                    = QStringLiteral("openssl %1: %2%3")
                          .arg(arguments.join(u' '), openssl.errorString(), QString::fromUtf8(openssl.readAll()));
                return made;
            }
        }
        return made;
    }
};

} // namespace heartline::test
