// SipCore against the stand-in's SIP domain: real Kamailio on a free loopback port, real SIP and
// RTP between two liblinphone cores in this process (an agent that registers, a caller that only
// uses the proxy), real audio from WAV files. Each test starts its own Kamailio.

#include <QFile>
#include <QFileInfo>
#include <QTest>

#include "SipPeer.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString AgentUser = u"alice"_s;
const QString AgentPassword = u"first-Password-1"_s;

// Enough received audio to hold some of the other side's sentence, which starts after a short
// silence: 2 s of 16-bit samples at 48 kHz (Opus, the codec liblinphone picks between two of its own).
constexpr qint64 EnoughRecording = 192'000;

} // namespace

class TestSipCalls final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // No $HOME/.local/share here: liblinphone 5.1 would never finish starting if it looked
        // there for its database, so every test also shows that SipCore keeps it in its folder.
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
    }

    void init()
    {
        m_domain = std::make_unique<KamailioProcess>();
        QVERIFY2(startDomain(*m_domain, domainOptions()), qPrintable(m_domain->errorString()));
        QString error;
        QVERIFY2(m_domain->credentials().setPassword(AgentUser, AgentPassword, &error), qPrintable(error));
        m_agent = std::make_unique<SipPeer>(u"agent"_s);
        m_caller = std::make_unique<SipPeer>(u"caller"_s);
        SipCoreConfig agentConfig
            = m_agent->config(voiceFile(QStringLiteral(HEARTLINE_AGENT_WAV), m_agent->folder(), 440));
        agentConfig.incomingHeaderNames = {u"X-Heartline-CallSid"_s, u"X-Not-Sent"_s};
        QVERIFY2(m_agent->start(agentConfig), qPrintable(m_agent->errors.join(u'\n')));
        QVERIFY2(
            m_caller->start(m_caller->config(voiceFile(QStringLiteral(HEARTLINE_CALLER_WAV), m_caller->folder(), 660))),
            qPrintable(m_caller->errors.join(u'\n')));
        SipAccount callerAccount = SipPeer::account(*m_domain, u"caller"_s, {});
        callerAccount.registerEnabled = false;
        m_caller->core.registerAccount(callerAccount);
    }

    void cleanup()
    {
        m_caller.reset();
        m_agent.reset();
        m_domain.reset();
    }

    void startsWithoutTheUserDataFolder()
    {
        QVERIFY(m_agent->core.isStarted());
        QVERIFY(m_agent->core.udpPort() != 0);
        QVERIFY(m_agent->core.tcpPort() != 0);
        QCOMPARE(m_agent->core.tlsPort(), 0);
        QVERIFY(!QFileInfo::exists(m_home.filePath(u".local/share/linphone"_s)));
        QVERIFY(QFileInfo::exists(m_agent->folder() + u"/core/linphone.db"_s));
        // Its device list is reported at start, whatever this machine has.
        QTRY_VERIFY_WITH_TIMEOUT(!m_agent->deviceLists.isEmpty(), SipWaitMs);
    }

    void loadsNoQt5Library()
    {
        // Debian's mediastreamer plugin libmsqogl links Qt 5; SipCore points liblinphone at an
        // empty plugin folder so that it never lands in this Qt 6 process.
        QFile maps(u"/proc/self/maps"_s);
        QVERIFY(maps.open(QIODevice::ReadOnly));
        const QByteArray mapped = maps.readAll();
        QVERIFY(mapped.contains("liblinphone"));
        QVERIFY(!mapped.contains("libQt5"));
        QVERIFY(!mapped.contains("libmsqogl"));
    }

    void registers_data()
    {
        QTest::addColumn<SipTransport>("transport");
        QTest::newRow("udp") << SipTransport::Udp;
        QTest::newRow("tcp") << SipTransport::Tcp;
    }

    void registers()
    {
        QFETCH(SipTransport, transport);
        const SipRegistration registration
            = m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword, transport));
        QCOMPARE(registration.state, SipRegistrationState::Registered);
        QCOMPARE(registration.statusCode, 200);
        QCOMPARE(m_agent->core.registration(), registration);
        // Registered means reachable: a call to the user rings here.
        m_caller->core.call(u"sip:alice@example.sip.twilio.com"_s);
        QVERIFY(m_agent->waitIncoming());
    }

    void refusesAWrongPassword_data()
    {
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("password");
        QTest::newRow("wrong password") << AgentUser << u"not-the-password"_s;
        QTest::newRow("unknown user") << u"mallory"_s << AgentPassword;
    }

    void refusesAWrongPassword()
    {
        QFETCH(QString, username);
        QFETCH(QString, password);
        const SipRegistration registration = m_agent->registerAccount(SipPeer::account(*m_domain, username, password));
        QCOMPARE(registration.state, SipRegistrationState::Failed);
        QCOMPARE(registration.statusCode, 403);
        QCOMPARE(registration.reason, u"Forbidden"_s);
    }

    void unregisteringRemovesTheBinding()
    {
        QCOMPARE(m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword)).state,
                 SipRegistrationState::Registered);
        QCOMPARE(m_agent->unregisterAccount().state, SipRegistrationState::Cleared);

        // A known user with no registration: 480. Nobody by that name: 404.
        const QString toAlice = m_caller->core.call(u"sip:alice@example.sip.twilio.com"_s);
        const auto aliceEnd = m_caller->waitEnd(toAlice);
        QVERIFY(aliceEnd);
        QCOMPARE(aliceEnd->statusCode, 480);
        QCOMPARE(aliceEnd->by, SipCallEnd::By::Remote);
        QVERIFY(!aliceEnd->wasConnected);
        const QString toNobody = m_caller->core.call(u"sip:nobody@example.sip.twilio.com"_s);
        const auto nobodyEnd = m_caller->waitEnd(toNobody);
        QVERIFY(nobodyEnd);
        QCOMPARE(nobodyEnd->statusCode, 404);
        QVERIFY(m_agent->incoming.isEmpty());

        // Signing in again registers again: calls ring here once more.
        QCOMPARE(m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword)).state,
                 SipRegistrationState::Registered);
        m_caller->core.call(u"sip:alice@example.sip.twilio.com"_s);
        QVERIFY(m_agent->waitIncoming());
    }

    void rotatedPasswordRefusesTheOldOne()
    {
        QCOMPARE(m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword)).state,
                 SipRegistrationState::Registered);
        const QString rotated = u"second-Password-2"_s;
        QVERIFY(m_domain->credentials().setPassword(AgentUser, rotated));

        const SipRegistration withOld = m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword));
        QCOMPARE(withOld.state, SipRegistrationState::Failed);
        QCOMPARE(withOld.statusCode, 403);
        const SipRegistration withNew = m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, rotated));
        QCOMPARE(withNew.state, SipRegistrationState::Registered);
    }

    void callCarriesAudioBothWaysAndTheAgentHangsUp()
    {
        QCOMPARE(m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword)).state,
                 SipRegistrationState::Registered);
        const QString callId = m_caller->core.call(u"sip:alice@example.sip.twilio.com"_s,
                                                   {{u"X-Heartline-CallSid"_s, u"CA0123456789abcdef"_s}});
        const auto offered = m_agent->waitIncoming();
        QVERIFY(offered);
        QTRY_VERIFY_WITH_TIMEOUT(m_caller->outgoing.contains(callId), SipWaitMs);
        // The proxy keeps the Call-ID: what Twilio reports as DialSipCallId names both legs.
        QCOMPARE(offered->sipCallId, m_caller->outgoing.value(callId).sipCallId);
        QVERIFY(!offered->sipCallId.isEmpty());
        QCOMPARE(offered->remoteUri, u"sip:caller@example.sip.twilio.com"_s);
        QCOMPARE(offered->localUri, u"sip:alice@example.sip.twilio.com"_s);
        QCOMPARE(offered->headers, (SipHeaders {{u"X-Heartline-CallSid"_s, u"CA0123456789abcdef"_s}}));
        QVERIFY(m_caller->waitState(callId, SipCallState::Ringing));

        m_agent->core.accept(offered->callId);
        QVERIFY(m_agent->waitState(offered->callId, SipCallState::Connected));
        QVERIFY(m_caller->waitState(callId, SipCallState::Connected));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(m_agent->recordFile()).size() > EnoughRecording, SipWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(m_caller->recordFile()).size() > EnoughRecording, SipWaitMs);

        // The round trip is known once RTCP reports went both ways (about two seconds in).
        const auto stats = m_agent->waitStats(offered->callId, [](const SipCallStats &s) { return s.roundTripMs > 0; });
        QVERIFY(stats);
        QVERIFY2(stats->roundTripMs > 0, "no round trip measured during the call");
        QCOMPARE(stats->codec, u"opus/48000"_s);
        QVERIFY(!stats->srtp);
        QVERIFY(stats->downloadKbps > 0);
        QVERIFY(stats->uploadKbps > 0);
        QVERIFY(stats->quality > 0 && stats->quality <= 5);
        QVERIFY(stats->jitterMs >= 0);
        QVERIFY(stats->receiveLossPercent >= 0 && stats->receiveLossPercent <= 100);
        QVERIFY(stats->sendLossPercent >= 0 && stats->sendLossPercent <= 100);

        m_agent->core.hangup(offered->callId);
        const auto agentEnd = m_agent->waitEnd(offered->callId);
        const auto callerEnd = m_caller->waitEnd(callId);
        QVERIFY(agentEnd);
        QVERIFY(callerEnd);
        QCOMPARE(agentEnd->by, SipCallEnd::By::Local);
        QCOMPARE(callerEnd->by, SipCallEnd::By::Remote);
        QVERIFY(callerEnd->wasConnected);
        QCOMPARE(callerEnd->statusCode, 200);

        // Each side heard the other: speech, not silence.
        verifyHeardSpeech(m_agent->recordFile());
        verifyHeardSpeech(m_caller->recordFile());
    }

    void callerHangsUpAConnectedCall()
    {
        // The caller's BYE is addressed to the agent's GRUU: the domain must resolve it.
        QCOMPARE(m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword)).state,
                 SipRegistrationState::Registered);
        const QString callId = m_caller->core.call(u"sip:alice@example.sip.twilio.com"_s);
        const auto offered = m_agent->waitIncoming();
        QVERIFY(offered);
        m_agent->core.accept(offered->callId);
        QVERIFY(m_caller->waitState(callId, SipCallState::Connected));
        QVERIFY(m_agent->waitState(offered->callId, SipCallState::Connected));

        m_caller->core.hangup(callId);
        const auto agentEnd = m_agent->waitEnd(offered->callId);
        QVERIFY2(agentEnd, "the agent never heard the caller hang up");
        QCOMPARE(agentEnd->by, SipCallEnd::By::Remote);
        QVERIFY(agentEnd->wasConnected);
        const auto callerEnd = m_caller->waitEnd(callId);
        QVERIFY(callerEnd);
        QCOMPARE(callerEnd->by, SipCallEnd::By::Local);
    }

    void declineGivesBusyToTheCaller()
    {
        QCOMPARE(m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword)).state,
                 SipRegistrationState::Registered);
        const QString callId = m_caller->core.call(u"sip:alice@example.sip.twilio.com"_s);
        const auto offered = m_agent->waitIncoming();
        QVERIFY(offered);
        m_agent->core.decline(offered->callId);

        const auto callerEnd = m_caller->waitEnd(callId);
        QVERIFY(callerEnd);
        QCOMPARE(callerEnd->statusCode, 486);
        QCOMPARE(callerEnd->by, SipCallEnd::By::Remote);
        QVERIFY(!callerEnd->wasConnected);
        const auto agentEnd = m_agent->waitEnd(offered->callId);
        QVERIFY(agentEnd);
        QCOMPARE(agentEnd->by, SipCallEnd::By::Local);
        QVERIFY(!m_agent->states.value(offered->callId).contains(SipCallState::Connected));
    }

    void callerGivesUpWhileItRings()
    {
        QCOMPARE(m_agent->registerAccount(SipPeer::account(*m_domain, AgentUser, AgentPassword)).state,
                 SipRegistrationState::Registered);
        const QString callId = m_caller->core.call(u"sip:alice@example.sip.twilio.com"_s);
        const auto offered = m_agent->waitIncoming();
        QVERIFY(offered);
        QVERIFY(m_caller->waitState(callId, SipCallState::Ringing));

        m_caller->core.hangup(callId); // CANCEL
        const auto agentEnd = m_agent->waitEnd(offered->callId);
        QVERIFY(agentEnd);
        QCOMPARE(agentEnd->by, SipCallEnd::By::Remote);
        QVERIFY(!agentEnd->wasConnected);
        const auto callerEnd = m_caller->waitEnd(callId);
        QVERIFY(callerEnd);
        QCOMPARE(callerEnd->by, SipCallEnd::By::Local);
        QVERIFY(!callerEnd->wasConnected);
    }

    void refusesRequestsItCannotCarryOut()
    {
        m_agent->core.accept(u"no-such-call"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_agent->errors.size(), 1, SipWaitMs);
        QVERIFY2(m_agent->errors.last().contains(u"there is no call no-such-call"_s),
                 qPrintable(m_agent->errors.last()));

        const QString bad = m_agent->core.call(u"not a sip address"_s);
        const auto end = m_agent->waitEnd(bad);
        QVERIFY(end);
        QCOMPARE(end->by, SipCallEnd::By::Error);
        QVERIFY2(end->reason.contains(u"not a SIP address"_s), qPrintable(end->reason));

        m_agent->core.selectAudioDevices({u"no-such-microphone"_s, {}, {}});
        QTRY_COMPARE_WITH_TIMEOUT(m_agent->errors.size(), 3, SipWaitMs);
        QVERIFY2(m_agent->errors.last().contains(u"no-such-microphone"_s), qPrintable(m_agent->errors.last()));

        m_agent->core.registerAccount({});
        QTRY_COMPARE_WITH_TIMEOUT(m_agent->errors.size(), 4, SipWaitMs);
        QVERIFY2(m_agent->errors.last().contains(u"needs a username"_s), qPrintable(m_agent->errors.last()));

        SipPeer unstarted(u"unstarted"_s);
        SipCoreConfig config = unstarted.config({});
        config.udpPort.reset();
        config.tcpPort.reset();
        QVERIFY(!unstarted.start(config));
        QVERIFY2(unstarted.errors.value(0).contains(u"no SIP transport"_s), qPrintable(unstarted.errors.join(u'\n')));
    }

private:
    static void verifyHeardSpeech(const QString &recording)
    {
        const auto audio = WavAudio::read(recording);
        QVERIFY2(audio.ok(), audio.ok() ? "" : qPrintable(audio.error().message));
        QVERIFY2(audio->durationSeconds() > 1.5, qPrintable(u"%1 s recorded"_s.arg(audio->durationSeconds())));
        QVERIFY2(audio->rms() > 500, qPrintable(u"RMS %1 in %2"_s.arg(audio->rms()).arg(recording)));
    }

    QTemporaryDir m_home;
    std::unique_ptr<KamailioProcess> m_domain;
    std::unique_ptr<SipPeer> m_agent;
    std::unique_ptr<SipPeer> m_caller;
};

QTEST_GUILESS_MAIN(TestSipCalls)
#include "tst_sip_calls.moc"
