// The agent app against heartline-server over HTTPS and WSS, with a CA made at test time: signed
// in and live with the CA file in its settings, and told in words, on the sign-in screen, when the
// certificate is not trusted or the CA file cannot be read.

#include <QFile>
#include <QLineEdit>
#include <QTest>

#include "AgentAppFixture.h"
#include "TestCertificates.h"
#include "connection/AgentSocket.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestAgentTls final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TestCertificates m_certificates;
    TestCertificates m_otherAuthority; ///< the same names, from a CA the app does not know
    std::unique_ptr<AgentAppFixture> m_app;

    /// The app with `caFile` in its settings file, as Settings or --ca-file leave it.
    void startApp(const QString &caFile)
    {
        QFile ini(m_app->settingsFile());
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[server]\ncaFile=" + caFile.toUtf8() + "\n");
        ini.close();
        m_app->startApp();
    }

    QString signInError()
    {
        QSignalSpy failed(&m_app->session(), &ServerSession::signInFailed);
        m_app->typeSignIn(u"alice"_s, u"alice-password"_s);
        // A CA file that cannot be read is said at once, an untrusted certificate once the server answered.
        if (failed.isEmpty() && !failed.wait(10'000))
            return {};
        return m_app->text(u"signInError"_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_certificates
            = TestCertificates::makeFor(m_dir.path(), {u"DNS:localhost"_s, u"IP:127.0.0.1"_s}, u"heartline"_s);
        QVERIFY2(m_certificates.error.isEmpty(), qPrintable(m_certificates.error));
        m_otherAuthority = TestCertificates::makeFor(m_dir.filePath(u"other"_s),
                                                     {u"DNS:localhost"_s, u"IP:127.0.0.1"_s}, u"heartline"_s);
        QVERIFY2(m_otherAuthority.error.isEmpty(), qPrintable(m_otherAuthority.error));
    }

    void init()
    {
        m_app = std::make_unique<AgentAppFixture>();
        QVERIFY2(m_app->startServer({{u"TLS_CERTIFICATE_FILE"_s, m_certificates.certificateFile},
                                     {u"TLS_PRIVATE_KEY_FILE"_s, m_certificates.privateKeyFile}}),
                 qPrintable(m_app->server().error()));
        QCOMPARE(m_app->server().baseUrl().scheme(), u"https"_s);
    }
    void cleanup() { m_app.reset(); }

    void withTheCaFileTheAgentIsLiveOverHttpsAndWss()
    {
        startApp(m_certificates.caFile);
        QVERIFY(m_app->signInAlice());
        QCOMPARE(m_app->text(u"connectionLabel"_s), u"Connected"_s);
        // Live means the WebSocket (wss://) carries the heartbeats, not the HTTPS fallback.
        QCOMPARE(toString(m_app->alice().snapshot.connection), u"websocket"_s);
    }

    void withoutTheCaFileTheSignInSaysWhy()
    {
        startApp(QString());
        QCOMPARE(signInError(),
                 u"The server's certificate is not trusted (issued by Heartline test CA, an authority "
                 "this computer does not know). Add its CA file in Settings."_s);
        QCOMPARE(m_app->alice().snapshot.sessionActive, false);
        // The sentence takes room of its own: the fields above it keep their height and stay readable.
        for (const QString &field : {u"serverUrl"_s, u"agentId"_s, u"password"_s}) {
            const QLineEdit *edit = m_app->find<QLineEdit>(field);
            QVERIFY2(edit->height() >= edit->sizeHint().height(), qPrintable(field));
        }

        // The CA file chosen in Settings then counts at the next sign-in, without a restart (the
        // refused connection is not reused with its old settings).
        m_app->session().setCaFile(m_certificates.caFile);
        QVERIFY(m_app->signInAlice());
        QCOMPARE(m_app->text(u"connectionLabel"_s), u"Connected"_s);
    }

    void aCaFileThatCannotBeReadIsSaid()
    {
        const QString missing = m_dir.filePath(u"no-such-ca.pem"_s);
        startApp(missing);
        const QString error = signInError();
        QVERIFY2(error.startsWith(u"The CA file %1 cannot be read"_s.arg(missing)), qPrintable(error));
        QVERIFY2(error.endsWith(u"No such file or directory. Choose another in Settings."_s), qPrintable(error));

        // A file that is no certificate at all (here: the server's private key).
        m_app->session().setCaFile(m_certificates.privateKeyFile);
        QCOMPARE(signInError(),
                 u"The CA file %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----). Choose "
                 "another in Settings."_s.arg(m_certificates.privateKeyFile));
    }

    void aCertificateThatStopsPassingIsSaidWhileReconnecting()
    {
        startApp(m_certificates.caFile);
        QVERIFY(m_app->signInAlice());
        // The server comes back on its port with a certificate from an authority the app does not know.
        const quint16 port = m_app->server().server().port();
        m_app->server().stop();
        QTRY_COMPARE(int(m_app->session().state()), int(ConnectionState::Reconnecting));
        QVERIFY2(m_app->server().start({{u"LISTEN_ADDRESS"_s, u"127.0.0.1:%1"_s.arg(port)},
                                        {u"TLS_CERTIFICATE_FILE"_s, m_otherAuthority.certificateFile},
                                        {u"TLS_PRIVATE_KEY_FILE"_s, m_otherAuthority.privateKeyFile}}),
                 qPrintable(m_app->server().error()));
        m_app->clock().setNowMs(m_app->session().reconnectAtMs());
        m_app->session().poll();
        QTRY_VERIFY(!m_app->session().certificateProblem().isEmpty());
        QCOMPARE(int(m_app->session().state()), int(ConnectionState::Reconnecting));
        QCOMPARE(m_app->text(u"readinessHeadline"_s), u"Calls cannot reach you"_s);
        QCOMPARE(m_app->text(u"readinessReasons"_s),
                 u"The server's certificate is not trusted (issued by Heartline "
                 "test CA, an authority this computer does not know). Add its CA "
                 "file in Settings."_s);
    }

    void theAgentSocketSaysWhyItCouldNotConnect()
    {
        const QUrl url = AgentSocket::webSocketUrl(m_app->server().baseUrl(), u"/ws/agent"_s);
        QCOMPARE(url.scheme(), u"wss"_s);
        ServerTrust systemOnly;
        systemOnly.setTrustAdvice(u"Add its CA file in Settings."_s);
        AgentSocket socket;
        socket.setTrust(systemOnly);
        QSignalSpy failed(&socket, &AgentSocket::failed);
        socket.open(url);
        QVERIFY(failed.wait(10'000));
        QVERIFY2(failed.first().first().toString().startsWith(u"The server's certificate is not trusted"_s),
                 qPrintable(failed.first().first().toString()));

        auto trust = ServerTrust::fromCaFile(m_certificates.caFile);
        QVERIFY(trust);
        socket.setTrust(*trust);
        QSignalSpy opened(&socket, &AgentSocket::opened);
        socket.open(url);
        QVERIFY(opened.wait(10'000));
    }
};

QTEST_MAIN(TestAgentTls)
#include "tst_agent_tls.moc"
