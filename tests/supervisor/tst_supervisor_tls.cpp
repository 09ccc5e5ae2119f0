// The dashboard's connection to heartline-server over HTTPS and WSS, with a CA made at test time:
// signed in and live with the CA file (--ca-file), and told in words when the server's
// certificate is not trusted.

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "InProcessServer.h"
#include "TestCertificates.h"
#include "client/ServerTrust.h"
#include "connection/SupervisorApi.h"
#include "connection/SupervisorConnection.h"
#include "users/UserStore.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString Advice = u"Start the dashboard with --ca-file naming the server's CA file."_s;

} // namespace

class TestSupervisorTls final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TestCertificates m_certificates;
    InProcessServer m_server;
    ServerTrust m_trusting;
    ServerTrust m_systemOnly;

    /// Signs sam in through `api`: the answer, as the login dialog gets it.
    Result<LoginReply> signIn(SupervisorApi &api)
    {
        api.setBaseUrl(m_server.baseUrl());
        std::optional<Result<LoginReply>> answer;
        api.login(u"sam"_s, u"sam-password"_s, this, [&answer](const Result<LoginReply> &reply) { answer = reply; });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10'000))
            return Problem {u"no_answer"_s, {}, u"no answer within 10 s"_s};
        return *answer;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_certificates
            = TestCertificates::makeFor(m_dir.path(), {u"DNS:localhost"_s, u"IP:127.0.0.1"_s}, u"heartline"_s);
        QVERIFY2(m_certificates.error.isEmpty(), qPrintable(m_certificates.error));
        QVERIFY2(m_server.start({{u"TLS_CERTIFICATE_FILE"_s, m_certificates.certificateFile},
                                 {u"TLS_PRIVATE_KEY_FILE"_s, m_certificates.privateKeyFile}}),
                 qPrintable(m_server.error()));
        QVERIFY(m_server.server().users()->add(u"sam"_s, u"Sam Supervisor"_s, Role::Supervisor, u"sam-password"_s));
        auto trust = ServerTrust::fromCaFile(m_certificates.caFile);
        QVERIFY(trust);
        m_trusting = *trust;
        m_trusting.setTrustAdvice(Advice);
        m_systemOnly.setTrustAdvice(Advice);
    }

    void withTheCaFileTheDashboardSignsInAndGoesLive()
    {
        SupervisorApi api;
        api.setTrust(m_trusting);
        const auto reply = signIn(api);
        QVERIFY2(reply, reply ? "" : qPrintable(reply.error().message));
        QCOMPARE(reply->role, u"supervisor"_s);

        QCOMPARE(api.supervisorSocketUrl().scheme(), u"wss"_s);
        SupervisorConnection connection;
        connection.setTrust(m_trusting);
        QSignalSpy states(&connection, &SupervisorConnection::stateChanged);
        connection.open(api.supervisorSocketUrl(), reply->token);
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), SupervisorConnection::State::Live, 10'000);
        QVERIFY(connection.certificateProblem().isEmpty());
    }

    void withoutTheCaFileTheSignInSaysWhy()
    {
        SupervisorApi api;
        api.setTrust(m_systemOnly);
        const auto reply = signIn(api);
        QVERIFY(!reply);
        QCOMPARE(reply.error().code, u"certificate_error"_s);
        QCOMPARE(reply.error().message,
                 u"The server's certificate is not trusted (issued by Heartline test CA, an "
                 "authority this computer does not know). "_s
                     + Advice);
    }

    void aConnectionToAnUntrustedServerSaysWhyAndRetries()
    {
        SupervisorApi api;
        api.setTrust(m_trusting);
        const auto reply = signIn(api);
        QVERIFY(reply);
        SupervisorConnection connection;
        connection.setTrust(m_systemOnly);
        connection.open(api.supervisorSocketUrl(), reply->token);
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), SupervisorConnection::State::WaitingRetry, 10'000);
        QVERIFY2(connection.certificateProblem().startsWith(u"The server's certificate is not trusted"_s),
                 qPrintable(connection.certificateProblem()));
    }
};

QTEST_GUILESS_MAIN(TestSupervisorTls)
#include "tst_supervisor_tls.moc"
