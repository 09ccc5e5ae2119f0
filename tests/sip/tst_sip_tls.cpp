// Twilio's secure SIP as the stand-in plays it: signaling over TLS to a domain whose certificate
// is checked, media over SRTP, mandatory on the agent's side. Certificates are made at each run
// with openssl; the server's names `localhost`, which is how the clients reach it.

#include <QFileInfo>
#include <QTest>

#include "SipPeer.h"
#include "TestCertificates.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString AgentUser = u"alice"_s;
const QString AgentPassword = u"tls-Password-1"_s;
constexpr qint64 EnoughRecording = 192'000; // 2 s at 48 kHz, as in tst_sip_calls

} // namespace

class TestSipTls final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        QVERIFY(m_certificates.isValid());
        m_trusted = TestCertificates::make(m_certificates.path());
        QVERIFY2(m_trusted.error.isEmpty(), qPrintable(m_trusted.error));
        QVERIFY(QDir().mkpath(m_certificates.filePath(u"other"_s)));
        m_other = TestCertificates::make(m_certificates.filePath(u"other"_s));
        QVERIFY2(m_other.error.isEmpty(), qPrintable(m_other.error));
    }

    void init()
    {
        KamailioOptions options = domainOptions();
        options.tlsCertificateFile = m_trusted.certificateFile;
        options.tlsPrivateKeyFile = m_trusted.privateKeyFile;
        m_domain = std::make_unique<KamailioProcess>();
        QVERIFY2(startDomain(*m_domain, options), qPrintable(m_domain->errorString()));
        QVERIFY(m_domain->tlsPort() != 0);
        QCOMPARE(m_domain->proxyUri(true), u"sip:localhost:%1"_s.arg(m_domain->tlsPort()));
        QVERIFY(m_domain->credentials().setPassword(AgentUser, AgentPassword));
    }

    void cleanup() { m_domain.reset(); }

    void callsOverTlsWithMandatorySrtp()
    {
        SipPeer agent(u"agent"_s);
        QVERIFY2(agent.start(secureConfig(agent, QStringLiteral(HEARTLINE_AGENT_WAV), 440, m_trusted.caFile)),
                 qPrintable(agent.errors.join(u'\n')));
        QVERIFY(agent.core.tlsPort() != 0);
        SipPeer caller(u"caller"_s);
        QVERIFY2(caller.start(secureConfig(caller, QStringLiteral(HEARTLINE_CALLER_WAV), 660, m_trusted.caFile)),
                 qPrintable(caller.errors.join(u'\n')));

        const SipRegistration registration
            = agent.registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword, SipTransport::Tls));
        QCOMPARE(registration.state, SipRegistrationState::Registered);
        caller.core.registerAccount(callerAccount());

        const QString callId = caller.core.call(u"sip:alice@example.sip.twilio.com"_s);
        const auto offered = agent.waitIncoming();
        QVERIFY(offered);
        agent.core.accept(offered->callId);
        QVERIFY(caller.waitState(callId, SipCallState::Connected));
        QVERIFY(agent.waitState(offered->callId, SipCallState::Connected));

        for (SipPeer *peer : {&agent, &caller}) {
            const QString id = peer == &agent ? offered->callId : callId;
            const auto stats = peer->waitStats(id, [](const SipCallStats &s) { return !s.codec.isEmpty(); });
            QVERIFY(stats);
            QVERIFY2(stats->srtp, "the call's media is not encrypted");
        }
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(agent.recordFile()).size() > EnoughRecording, SipWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(caller.recordFile()).size() > EnoughRecording, SipWaitMs);

        // The caller's BYE reaches the agent over the agent's own TLS connection.
        caller.core.hangup(callId);
        const auto agentEnd = agent.waitEnd(offered->callId);
        QVERIFY(agentEnd);
        QCOMPARE(agentEnd->by, SipCallEnd::By::Remote);
        QVERIFY(caller.waitEnd(callId));
        for (const QString &recording : {agent.recordFile(), caller.recordFile()}) {
            const auto audio = WavAudio::read(recording);
            QVERIFY2(audio.ok(), audio.ok() ? "" : qPrintable(audio.error().message));
            QVERIFY2(audio->rms() > 500, qPrintable(u"RMS %1 in %2"_s.arg(audio->rms()).arg(recording)));
        }
    }

    void refusesADomainItDoesNotTrust()
    {
        // The domain's certificate is signed by a CA this agent was not given.
        SipPeer agent(u"agent"_s);
        QVERIFY(agent.start(secureConfig(agent, {}, 440, m_other.caFile)));
        const SipRegistration registration
            = agent.registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword, SipTransport::Tls));
        QCOMPARE(registration.state, SipRegistrationState::Failed);
        QCOMPARE(registration.statusCode, 503); // liblinphone's own answer when TLS fails: "io error"
    }

    void refusesACallerWithoutSrtp()
    {
        SipPeer agent(u"agent"_s);
        QVERIFY(agent.start(secureConfig(agent, {}, 440, m_trusted.caFile)));
        QCOMPARE(agent.registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword, SipTransport::Tls)).state,
                 SipRegistrationState::Registered);
        SipPeer caller(u"caller"_s);
        SipCoreConfig plain = secureConfig(caller, {}, 660, m_trusted.caFile);
        plain.srtp = false;
        plain.srtpMandatory = false;
        QVERIFY(caller.start(plain));
        caller.core.registerAccount(callerAccount());

        const QString callId = caller.core.call(u"sip:alice@example.sip.twilio.com"_s);
        const auto end = caller.waitEnd(callId);
        QVERIFY(end);
        QVERIFY(!end->wasConnected);
        QCOMPARE(end->statusCode, 488); // Not Acceptable Here: the agent takes encrypted media only
        QVERIFY(agent.incoming.isEmpty());
    }

private:
    SipCoreConfig secureConfig(const SipPeer &peer, const QString &builtVoice, double toneHz,
                               const QString &caFile) const
    {
        SipCoreConfig config = peer.config(voiceFile(builtVoice, peer.folder(), toneHz));
        config.tlsPort = 0;
        config.tlsCaFile = caFile;
        config.srtp = true;
        config.srtpMandatory = true;
        return config;
    }

    SipAccount callerAccount() const
    {
        SipAccount account = SipPeer::account(*m_domain, u"caller"_s, {}, SipTransport::Tls);
        account.registerEnabled = false;
        return account;
    }

    QTemporaryDir m_home;
    QTemporaryDir m_certificates;
    TestCertificates m_trusted;
    TestCertificates m_other;
    std::unique_ptr<KamailioProcess> m_domain;
};

QTEST_GUILESS_MAIN(TestSipTls)
#include "tst_sip_tls.moc"
