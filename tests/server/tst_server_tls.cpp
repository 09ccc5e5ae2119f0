// HTTPS and WSS on heartline-server: a CA and certificates made at test time, clients that trust
// it and clients that do not, a certificate swapped on reload (and on SIGHUP to the real process),
// pairs refused at start, the plain-HTTP listener beside HTTPS, and Twilio's webhook signatures
// over HTTPS and behind a reverse proxy (PUBLIC_BASE_URL).

#include <csignal>

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include "FreePort.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "ServerProcess.h"
#include "SimScheduler.h"
#include "TestCertificates.h"
#include "WebSocketTestClient.h"
#include "WebhookSender.h"
#include "client/ServerTrust.h"
#include "core/Clock.h"
#include "twilio/FormParams.h"
#include "twilio/TwilioSignature.h"
#include "users/UserStore.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString AuthToken = u"tls-test-auth-token"_s;

/// The certificate a new TLS connection to 127.0.0.1:port is shown (null when the handshake fails).
QSslCertificate presentedCertificate(quint16 port, const QSslConfiguration &trust)
{
    QSslSocket socket;
    socket.setSslConfiguration(trust);
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    QSignalSpy failed(&socket, &QSslSocket::errorOccurred);
    socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
    const QDeadlineTimer deadline(10'000); // a safety net, not a timing assertion
    while (encrypted.isEmpty() && failed.isEmpty() && !deadline.hasExpired())
        encrypted.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    return encrypted.isEmpty() ? QSslCertificate() : socket.peerCertificate();
}

QString commonName(const QSslCertificate &certificate)
{
    return certificate.subjectInfo(QSslCertificate::CommonName).value(0);
}

bool copyOver(const QString &from, const QString &to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

/// The system's authorities, with the agent app's advice.
ServerTrust advising()
{
    ServerTrust trust;
    trust.setTrustAdvice(u"Add its CA file in Settings."_s);
    return trust;
}

FormParams inboundCall()
{
    return {{u"CallSid"_s, u"CA00000000000000000000000000000001"_s},
            {u"From"_s, u"+15559990000"_s},
            {u"To"_s, u"+15550100"_s},
            {u"CallStatus"_s, u"ringing"_s},
            {u"Direction"_s, u"inbound"_s}};
}

/// POSTs Twilio's inbound-call webhook to `server`, signed over `signedUrl` as Twilio signs the URL
/// it was configured with.
HttpReply postInbound(HttpTestClient &client, const QString &signedUrl)
{
    const FormParams params = inboundCall();
    const QByteArray signature = TwilioSignature(AuthToken.toUtf8()).compute(signedUrl, params);
    return client.post(u"/twilio/voice/inbound"_s, params.encode(), "application/x-www-form-urlencoded",
                       {{"X-Twilio-Signature", signature}});
}

} // namespace

class TestServerTls final : public QObject
{
    Q_OBJECT

    /// Starts in-process with the live certificate files and the given extra keys.
    bool startTls(InProcessServer &server, QHash<QString, QString> settings = {})
    {
        settings.insert(u"TLS_CERTIFICATE_FILE"_s, m_liveCertificate);
        settings.insert(u"TLS_PRIVATE_KEY_FILE"_s, m_liveKey);
        return server.start(settings);
    }

    /// Starts with TLS and agent alice, and connects her over wss:// up to the welcome.
    void startWithAliceConnected(InProcessServer &server, WebSocketTestClient &client)
    {
        QVERIFY2(startTls(server), qPrintable(server.error()));
        QVERIFY(server.server().users()->add(u"alice"_s, u"Alice"_s, Role::Agent, u"alice-password"_s));
        client.socket().setSslConfiguration(m_trusting);
        QVERIFY(client.open(server.baseUrl(), u"/ws/agent"_s, loginToken(server.baseUrl(), u"alice"_s, m_trusting)));
        QCOMPARE(client.next().value(u"type"_s).toString(), u"welcome"_s);
    }

    QTemporaryDir m_dir;
    TestCertificates m_first;     ///< for 127.0.0.1 and localhost, CN heartline-first
    TestCertificates m_renewed;   ///< the same names from the same CA, CN heartline-renewed
    TestCertificates m_elsewhere; ///< for heartline.office only
    QSslConfiguration m_trusting; ///< the system's authorities and the test CA
    QString m_liveCertificate;    ///< the files the server is configured with (tests overwrite them)
    QString m_liveKey;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_first = TestCertificates::makeFor(m_dir.filePath(u"first"_s), {u"DNS:localhost"_s, u"IP:127.0.0.1"_s},
                                            u"heartline-first"_s);
        QVERIFY2(m_first.error.isEmpty(), qPrintable(m_first.error));
        m_renewed = m_first.issue(m_dir.filePath(u"renewed"_s), {u"DNS:localhost"_s, u"IP:127.0.0.1"_s},
                                  u"heartline-renewed"_s);
        QVERIFY2(m_renewed.error.isEmpty(), qPrintable(m_renewed.error));
        m_elsewhere = m_first.issue(m_dir.filePath(u"elsewhere"_s), {u"DNS:heartline.office"_s}, u"heartline.office"_s);
        QVERIFY2(m_elsewhere.error.isEmpty(), qPrintable(m_elsewhere.error));
        const auto trust = ServerTrust::fromCaFile(m_first.caFile);
        QVERIFY2(trust, trust ? "" : qPrintable(trust.error().message));
        m_trusting = trust->sslConfiguration();
        // The first key with a passphrase, as a key file copied from a CA's mail might be.
        QProcess openssl;
        openssl.setProcessChannelMode(QProcess::MergedChannels);
        openssl.start(u"openssl"_s,
                      {u"pkey"_s, u"-in"_s, m_first.privateKeyFile, u"-aes256"_s, u"-passout"_s, u"pass:secret"_s,
                       u"-out"_s, m_dir.filePath(u"encrypted.key"_s)});
        QVERIFY2(openssl.waitForFinished(30'000) && openssl.exitCode() == 0, openssl.readAll().constData());
        m_liveCertificate = m_dir.filePath(u"server.pem"_s);
        m_liveKey = m_dir.filePath(u"server.key"_s);
    }

    void init()
    {
        QVERIFY(copyOver(m_first.certificateFile, m_liveCertificate));
        QVERIFY(copyOver(m_first.privateKeyFile, m_liveKey));
    }

    void servesHealthOverHttps()
    {
        InProcessServer server;
        // A port known before the start, as in production, so the default PUBLIC_BASE_URL names it.
        QVERIFY2(startTls(server, {{u"LISTEN_ADDRESS"_s, u"127.0.0.1:%1"_s.arg(freeLoopbackPort())}}),
                 qPrintable(server.error()));
        QCOMPARE(server.baseUrl().scheme(), u"https"_s);
        // The webhooks' default public URL follows: Twilio is told https:// too.
        QCOMPARE(server.server().config().stringValue(ConfigKey::PublicBaseUrl), server.baseUrl().toString());
        HttpTestClient client(server.baseUrl());
        client.setSslConfiguration(m_trusting);
        const HttpReply health = client.get(u"/healthz"_s);
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json().value(u"status"_s).toString(), u"ok"_s);
    }

    void aClientThatDoesNotTrustTheCaIsToldWhy()
    {
        InProcessServer server;
        QVERIFY2(startTls(server), qPrintable(server.error()));
        QNetworkAccessManager network;
        QNetworkReply *reply = network.get(QNetworkRequest(server.baseUrl().resolved(QUrl(u"/healthz"_s))));
        noteCertificateErrors(reply);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10'000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 0);
        QVERIFY(failedCertificateCheck(reply));
        QCOMPARE(networkErrorText(reply, advising()),
                 u"The server's certificate is not trusted (issued by Heartline test CA, an authority this computer "
                 "does not know). Add its CA file in Settings."_s);
        delete reply;
    }

    void aCertificateForAnotherNameIsRefusedWithBothNames()
    {
        QVERIFY(copyOver(m_elsewhere.certificateFile, m_liveCertificate));
        QVERIFY(copyOver(m_elsewhere.privateKeyFile, m_liveKey));
        InProcessServer server;
        QVERIFY2(startTls(server), qPrintable(server.error()));
        QNetworkAccessManager network;
        QNetworkRequest request(server.baseUrl().resolved(QUrl(u"/healthz"_s)));
        request.setSslConfiguration(m_trusting);
        QNetworkReply *reply = network.get(request);
        noteCertificateErrors(reply);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10'000));
        QCOMPARE(networkErrorText(reply, advising()),
                 u"The server's certificate is for heartline.office, not 127.0.0.1. Connect "
                 "with a name the certificate is for."_s);
        delete reply;
    }

    void plainHttpToTheHttpsPortIsNotServed()
    {
        InProcessServer server;
        QVERIFY2(startTls(server), qPrintable(server.error()));
        QUrl plain = server.baseUrl();
        plain.setScheme(u"http"_s);
        const HttpReply reply = HttpTestClient(plain).get(u"/healthz"_s);
        QCOMPARE(reply.status, 0);
    }

    void agentWebSocketOverWss()
    {
        InProcessServer server;
        WebSocketTestClient client;
        startWithAliceConnected(server, client);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(client.socket().requestUrl().scheme(), u"wss"_s);

        // Without the CA: refused, and told why.
        QWebSocket untrusting;
        noteCertificateErrors(&untrusting);
        QSignalSpy failed(&untrusting, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
        untrusting.open(client.socket().requestUrl());
        QVERIFY(failed.wait(10'000));
        QVERIFY(failedCertificateCheck(&untrusting));
        QVERIFY2(socketErrorText(&untrusting, advising())
                     .startsWith(u"The server's certificate is not trusted (issued by Heartline test CA"_s),
                 qPrintable(socketErrorText(&untrusting, advising())));
    }

    void reloadServesTheNewCertificateToNewConnections()
    {
        InProcessServer server;
        WebSocketTestClient agent;
        startWithAliceConnected(server, agent);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(commonName(presentedCertificate(server.server().port(), m_trusting)), u"heartline-first"_s);

        QVERIFY(copyOver(m_renewed.certificateFile, m_liveCertificate));
        QVERIFY(copyOver(m_renewed.privateKeyFile, m_liveKey));
        const auto reloaded = server.server().reloadTls();
        QVERIFY2(reloaded, reloaded ? "" : qPrintable(reloaded.error().message));
        QVERIFY2(reloaded->contains(u"heartline-renewed"_s), qPrintable(reloaded.value()));

        QCOMPARE(commonName(presentedCertificate(server.server().port(), m_trusting)), u"heartline-renewed"_s);
        // The agent connected before keeps its connection and is still answered.
        QVERIFY(agent.isConnected());
        agent.sendJson({{u"type"_s, u"heartbeat"_s},
                        {u"currentStatus"_s, u"available"_s},
                        {u"deviceConnected"_s, true},
                        {u"seq"_s, 1}});
        QCOMPARE(agent.nextOfType(u"ack"_s).value(u"seq"_s).toInt(), 1);
    }

    void aFailedReloadKeepsThePairInUse_data()
    {
        QTest::addColumn<QString>("certificateFrom"); // empty: garbage
        QTest::addColumn<QString>("keyFrom");
        QTest::addColumn<QString>("expected");
        QTest::newRow("key not PEM") << u"renewed"_s << QString() << u"holds no private key that can be read"_s;
        QTest::newRow("certificate not PEM") << QString() << u"renewed"_s << u"holds no PEM certificate"_s;
        QTest::newRow("key of the other certificate")
            << u"renewed"_s << u"first"_s << u"is not the private key of the certificate in"_s;
    }
    void aFailedReloadKeepsThePairInUse()
    {
        QFETCH(QString, certificateFrom);
        QFETCH(QString, keyFrom);
        QFETCH(QString, expected);
        InProcessServer server;
        QVERIFY2(startTls(server), qPrintable(server.error()));
        const auto source = [this](const QString &name) {
            return name == u"first"_s ? m_first : m_renewed;
        };
        QVERIFY(certificateFrom.isEmpty() ? writeFile(m_liveCertificate, "not a certificate\n")
                                          : copyOver(source(certificateFrom).certificateFile, m_liveCertificate));
        QVERIFY(keyFrom.isEmpty() ? writeFile(m_liveKey, "not a key\n")
                                  : copyOver(source(keyFrom).privateKeyFile, m_liveKey));

        const auto reloaded = server.server().reloadTls();
        QVERIFY(!reloaded);
        QVERIFY2(reloaded.error().message.contains(expected), qPrintable(reloaded.error().message));
        QCOMPARE(commonName(presentedCertificate(server.server().port(), m_trusting)), u"heartline-first"_s);
    }

    void anUnusablePairIsRefusedAtStart_data()
    {
        QTest::addColumn<QString>("certificate");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected"); ///< %1: the path of the file that is named
        QTest::newRow("no certificate file")
            << u"missing.pem"_s << u"server.key"_s << u"TLS_CERTIFICATE_FILE=%1 cannot be read"_s;
        QTest::newRow("no key file") << u"server.pem"_s << u"missing.key"_s
                                     << u"TLS_PRIVATE_KEY_FILE=%1 cannot be read"_s;
        QTest::newRow("key of another certificate")
            << u"server.pem"_s << u"renewed/server.key"_s
            << u"TLS_PRIVATE_KEY_FILE=%1 is not the private key of the certificate in"_s;
        QTest::newRow("the CA's key in place of the certificate's")
            << u"server.pem"_s << u"first/ca.key"_s
            << u"TLS_PRIVATE_KEY_FILE=%1 is not the private key of the certificate in"_s;
        QTest::newRow("a key with a passphrase")
            << u"server.pem"_s << u"encrypted.key"_s
            << u"TLS_PRIVATE_KEY_FILE=%1 holds no private key that can be read: expected an unencrypted"_s;
        QTest::newRow("a key in place of the certificate")
            << u"server.key"_s << u"server.key"_s << u"TLS_CERTIFICATE_FILE=%1 holds no PEM certificate"_s;
    }
    void anUnusablePairIsRefusedAtStart()
    {
        QFETCH(QString, certificate);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        const QString certificatePath = m_dir.filePath(certificate);
        const QString keyPath = m_dir.filePath(key);
        InProcessServer server;
        QVERIFY(!server.start({{u"TLS_CERTIFICATE_FILE"_s, certificatePath}, {u"TLS_PRIVATE_KEY_FILE"_s, keyPath}}));
        const QString named = expected.startsWith(u"TLS_CERTIFICATE_FILE"_s) ? certificatePath : keyPath;
        QVERIFY2(server.error().contains(expected.arg(named)), qPrintable(server.error()));
        QVERIFY2(!QFileInfo::exists(server.databasePath()), "a refused start must not create the database");
    }

    void aPlainListenerBesideHttpsServesTheSameRoutes()
    {
        InProcessServer server;
        QVERIFY2(startTls(server, {{u"PLAIN_HTTP_LISTEN_ADDRESS"_s, u"127.0.0.1:0"_s}}), qPrintable(server.error()));
        const QUrl plain(server.server().plainBaseUrl());
        QCOMPARE(plain.scheme(), u"http"_s);
        QVERIFY(plain.port() != server.baseUrl().port());
        QCOMPARE(HttpTestClient(plain).get(u"/healthz"_s).status, 200);
        HttpTestClient https(server.baseUrl());
        https.setSslConfiguration(m_trusting);
        QCOMPARE(https.get(u"/healthz"_s).status, 200);
    }

    void webhookSignaturesAreCheckedOverHttps()
    {
        InProcessServer server;
        QVERIFY2(startTls(server,
                          {{u"TWILIO_AUTH_TOKEN"_s, AuthToken},
                           {u"LISTEN_ADDRESS"_s, u"127.0.0.1:%1"_s.arg(freeLoopbackPort())}}),
                 qPrintable(server.error()));
        HttpTestClient client(server.baseUrl());
        client.setSslConfiguration(m_trusting);
        const QString path = u"/twilio/voice/inbound"_s;
        // Twilio signs the https:// URL it was given, which is the default PUBLIC_BASE_URL here.
        QCOMPARE(postInbound(client, server.baseUrl().toString() + path).status, 200);
        QUrl plainUrl = server.baseUrl();
        plainUrl.setScheme(u"http"_s);
        QCOMPARE(postInbound(client, plainUrl.toString() + path).status, 403);
    }

    void webhookSignaturesAreCheckedBehindAReverseProxy()
    {
        // nginx terminates TLS at https://public.example/heartline/ and forwards to plain HTTP on
        // loopback: the signature is over the URL Twilio used, which only PUBLIC_BASE_URL can tell.
        InProcessServer server;
        QVERIFY2(server.start({{u"TWILIO_AUTH_TOKEN"_s, AuthToken},
                               {u"PUBLIC_BASE_URL"_s, u"https://public.example/heartline"_s}}),
                 qPrintable(server.error()));
        QCOMPARE(server.baseUrl().scheme(), u"http"_s);
        HttpTestClient client(server.baseUrl());
        QCOMPARE(postInbound(client, u"https://public.example/heartline/twilio/voice/inbound"_s).status, 200);
        QCOMPARE(postInbound(client, server.baseUrl().toString() + u"/twilio/voice/inbound"_s).status, 403);
    }

    void theStandInSendsSignedWebhooksOverHttps()
    {
        InProcessServer server;
        QVERIFY2(startTls(server,
                          {{u"TWILIO_AUTH_TOKEN"_s, AuthToken},
                           {u"LISTEN_ADDRESS"_s, u"127.0.0.1:%1"_s.arg(freeLoopbackPort())}}),
                 qPrintable(server.error()));
        SystemClock clock;
        SimScheduler scheduler(clock);
        const WebhookRequest request {server.baseUrl().toString() + u"/twilio/voice/inbound"_s, HttpMethod::Post,
                                      inboundCall()};
        const auto send = [&](const ServerTrust &trust) {
            WebhookSender sender(AuthToken.toUtf8(), scheduler, 15'000);
            sender.setTrust(trust);
            std::optional<WebhookResult> result;
            sender.send(request, nullptr, [&result](const WebhookResult &answer) { result = answer; });
            if (!QTest::qWaitFor([&result] { return result.has_value(); }, 10'000))
                return WebhookResult {{}, 0, {}, {}, u"no answer within 10 s"_s};
            return *result;
        };

        auto trust = ServerTrust::fromCaFile(m_first.caFile);
        QVERIFY(trust);
        const WebhookResult trusted = send(*trust);
        QVERIFY2(trusted.ok(), qPrintable(trusted.describe()));

        // Without the test CA (--ca-file) it says why no answer came.
        ServerTrust systemOnly;
        systemOnly.setTrustAdvice(u"Give the stand-in the server's CA file with --ca-file."_s);
        const WebhookResult refused = send(systemOnly);
        QCOMPARE(refused.status, 0);
        QVERIFY2(refused.failure.contains(u"is not trusted (issued by Heartline test CA"_s)
                     && refused.failure.endsWith(u"with --ca-file."_s),
                 qPrintable(refused.failure));
    }

    void sighupReloadsTheCertificateOfTheRunningServer()
    {
        QTemporaryDir data;
        ServerProcess server;
        QVERIFY2(server.start({u"--db"_s, data.filePath(u"h.db"_s), u"--tls-certificate"_s, m_liveCertificate,
                               u"--tls-key"_s, m_liveKey}),
                 qPrintable(server.output()));
        QCOMPARE(server.baseUrl().scheme(), u"https"_s);
        const quint16 port = quint16(server.baseUrl().port());
        QVERIFY2(server.output().contains(u"TLS certificate: heartline-first"_s), qPrintable(server.output()));

        // A broken pair first: said on standard error, and the server goes on with the one it has.
        QVERIFY(writeFile(m_liveKey, "not a key\n"));
        QCOMPARE(::kill(pid_t(server.pid()), SIGHUP), 0);
        QTRY_VERIFY_WITH_TIMEOUT(server.outputSoFar().contains(u"TLS certificate not reloaded"_s), 10'000);
        QVERIFY2(server.output().contains(u"TLS_PRIVATE_KEY_FILE=%1 holds no private key"_s.arg(m_liveKey)),
                 qPrintable(server.output()));
        QCOMPARE(commonName(presentedCertificate(port, m_trusting)), u"heartline-first"_s);

        QVERIFY(copyOver(m_renewed.certificateFile, m_liveCertificate));
        QVERIFY(copyOver(m_renewed.privateKeyFile, m_liveKey));
        QCOMPARE(::kill(pid_t(server.pid()), SIGHUP), 0);
        QTRY_VERIFY_WITH_TIMEOUT(server.outputSoFar().contains(u"TLS certificate reloaded: heartline-renewed"_s),
                                 10'000);
        QCOMPARE(commonName(presentedCertificate(port, m_trusting)), u"heartline-renewed"_s);
        QCOMPARE(server.stop(), 0);
    }

    void anUnusablePairStopsTheProcessWithTheFileNamed()
    {
        QTemporaryDir data;
        const QString dbPath = data.filePath(u"never.db"_s);
        const QString missing = m_dir.filePath(u"missing.pem"_s);
        const ProcessResult result = runProcess(
            ServerProcess::binary(), {u"--db"_s, dbPath, u"--tls-certificate"_s, missing, u"--tls-key"_s, m_liveKey});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.standardError.contains(u"cannot start: TLS_CERTIFICATE_FILE=%1 cannot be read"_s.arg(missing)),
                 qPrintable(result.standardError));
        QVERIFY(!QFileInfo::exists(dbPath));
    }
};

QTEST_GUILESS_MAIN(TestServerTls)
#include "tst_server_tls.moc"
