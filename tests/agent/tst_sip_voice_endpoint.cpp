// The agent app's softphone (SipVoiceEndpoint) against the stand-in's SIP domain: a real Kamailio
// on a free loopback port, real SIP and RTP, the caller a SipCore of this test sending what Twilio
// sends (X-Twilio-CallSid, the parent CallSid header the server puts in the dialed URI). What is
// checked is what the agent and the server notice: registered or why not, the call ringing with
// the right call SIDs, audio both ways, decline and hang-up heard on the other side, a registrar
// that goes away and comes back, devices plugged in, call quality measured.

#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>

#include "TestCertificates.h"
#include "devices/DeviceChecks.h"
#include "sip/PulseAudioServer.h"
#include "sip/SipPeer.h"
#include "voice/SipVoiceEndpoint.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString Domain = u"example.sip.twilio.com"_s;
const QString AgentUser = u"alice"_s;
const QString AgentPassword = u"first-Password-1"_s;
const QString AgentUri = u"sip:alice@example.sip.twilio.com"_s;

/// What the agent app remembers of the endpoint's signals.
struct EndpointLog
{
    explicit EndpointLog(VoiceEndpoint &endpoint)
    {
        QObject::connect(&endpoint, &VoiceEndpoint::incoming, &endpoint,
                         [this](const IncomingCall &call) { incoming.append(call); });
        QObject::connect(&endpoint, &VoiceEndpoint::connected, &endpoint,
                         [this](const QString &sid) { connected.append(sid); });
        QObject::connect(&endpoint, &VoiceEndpoint::canceled, &endpoint,
                         [this](const QString &sid) { canceled.append(sid); });
        QObject::connect(&endpoint, &VoiceEndpoint::disconnected, &endpoint,
                         [this](const QString &sid) { disconnected.append(sid); });
    }

    QList<IncomingCall> incoming;
    QStringList connected;
    QStringList canceled;
    QStringList disconnected;
};

} // namespace

class TestSipVoiceEndpoint final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // liblinphone 5.1 never finishes starting if it looks for its database under $HOME: the
        // endpoint must keep everything in its own folder.
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        // A sound server of the test's own, before the first Core: liblinphone's PulseAudio
        // support binds to the server it finds when the process's first Core starts.
        QVERIFY2(m_pulse.start(), qPrintable(m_pulse.error()));
    }

    void init()
    {
        m_domain = std::make_unique<KamailioProcess>();
        QVERIFY2(startDomain(*m_domain, domainOptions(Domain)), qPrintable(m_domain->errorString()));
        QString error;
        QVERIFY2(m_domain->credentials().setPassword(AgentUser, AgentPassword, &error), qPrintable(error));
        m_caller = std::make_unique<SipPeer>(u"caller"_s);
        QVERIFY2(
            m_caller->start(m_caller->config(voiceFile(QStringLiteral(HEARTLINE_CALLER_WAV), m_caller->folder(), 660))),
            qPrintable(m_caller->errors.join(u'\n')));
        SipAccount callerAccount = SipPeer::account(*m_domain, u"twilio"_s, {});
        callerAccount.registerEnabled = false;
        m_caller->core.registerAccount(callerAccount);
        QVERIFY(m_agentFolder.isValid());
    }

    void cleanup()
    {
        m_endpoint.reset();
        m_caller.reset();
        m_domain.reset();
    }

    void registersWithTheServersAccountAndUnregistersWhenStopped()
    {
        makeEndpoint();
        QSignalSpy changes(m_endpoint.get(), &VoiceEndpoint::registrationChanged);
        m_endpoint->setCredentials(credentials(AgentPassword));
        m_endpoint->start(AgentUser);
        QCOMPARE(m_endpoint->registration(), VoiceRegistration::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(m_endpoint->registration(), VoiceRegistration::Registered, SipWaitMs);
        QCOMPARE(m_endpoint->identity(), AgentUser);
        QVERIFY(m_endpoint->lastError().isEmpty());

        // Signing out unregisters: Twilio then finds nobody to ring (480), so no call rings an
        // agent who is gone.
        EndpointLog log(*m_endpoint);
        m_endpoint->stop();
        QCOMPARE(m_endpoint->registration(), VoiceRegistration::NotConfigured);
        QTRY_COMPARE_WITH_TIMEOUT(m_endpoint->sipRegistration().state, SipRegistrationState::Cleared, SipWaitMs);
        const QString callId = m_caller->core.call(AgentUri);
        const auto end = m_caller->waitEnd(callId);
        QVERIFY(end);
        QCOMPARE(end->statusCode, 480);
        QVERIFY(log.incoming.isEmpty());
    }

    void aCallWhileStoppedIsTurnedDownWithoutRinging()
    {
        // A registration that outlived the session (its unregistration never reached the registrar).
        registerEndpoint();
        EndpointLog log(*m_endpoint);
        m_domain->credentials().setPassword(AgentUser, u"rotated-Password-3"_s); // the logout's new password
        m_endpoint->stop();
        QTRY_COMPARE_WITH_TIMEOUT(m_endpoint->sipRegistration().state, SipRegistrationState::Failed, SipWaitMs);
        const QString callId = m_caller->core.call(AgentUri, {{u"X-Twilio-CallSid"_s, u"CA1"_s}});
        const auto end = m_caller->waitEnd(callId);
        QVERIFY(end);
        QCOMPARE(end->statusCode, 486);
        QVERIFY(log.incoming.isEmpty());
    }

    void aRefusedPasswordIsShownAndAskedForAgain()
    {
        makeEndpoint();
        QSignalSpy refused(m_endpoint.get(), &SipVoiceEndpoint::credentialsRefused);
        m_endpoint->setCredentials(credentials(u"not-the-Password-9"_s));
        m_endpoint->start(AgentUser);
        QTRY_COMPARE_WITH_TIMEOUT(m_endpoint->registration(), VoiceRegistration::Failed, SipWaitMs);
        QVERIFY2(m_endpoint->lastError().contains(u"refused the password (403"_s), qPrintable(m_endpoint->lastError()));
        QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, SipWaitMs);

        // The device check tells the agent why calls cannot ring here.
        CheckInputs inputs;
        inputs.connection = ConnectionState::Live;
        inputs.voice = m_endpoint->registration();
        inputs.voiceError = m_endpoint->lastError();
        const QList<CheckItem> checks = DeviceChecks::evaluate(inputs);
        const auto voice
            = std::find_if(checks.cbegin(), checks.cend(), [](const CheckItem &item) { return item.id == u"voice"_s; });
        QVERIFY(voice != checks.cend());
        QVERIFY2(voice->detail.contains(u"403"_s), qPrintable(voice->detail));
        QCOMPARE(voice->state, CheckState::Fail);

        // The server's next password works at once.
        m_endpoint->setCredentials(credentials(AgentPassword));
        QTRY_COMPARE_WITH_TIMEOUT(m_endpoint->registration(), VoiceRegistration::Registered, SipWaitMs);
    }

    void anAccountTheServerCouldNotIssueIsShown()
    {
        makeEndpoint();
        SipCredentials unavailable;
        unavailable.reason = u"Twilio did not confirm the new SIP password within 5 s"_s;
        m_endpoint->setCredentials(unavailable);
        m_endpoint->start(AgentUser);
        QCOMPARE(m_endpoint->registration(), VoiceRegistration::Failed);
        QVERIFY2(m_endpoint->lastError().contains(unavailable.reason), qPrintable(m_endpoint->lastError()));
    }

    void aCallRingsWithTwiliosCallSidsCarriesAudioAndTheAgentHangsUp()
    {
        registerEndpoint();
        EndpointLog log(*m_endpoint);
        QSignalSpy quality(m_endpoint.get(), &VoiceEndpoint::callQualityChanged);
        // Header names in any case, as SIP allows and as Twilio passes URI headers on.
        const QString callId
            = m_caller->core.call(AgentUri,
                                  {{u"X-Twilio-CallSid"_s, u"CA00000000000000000000000000000001"_s},
                                   {u"x-heartline-parent-callsid"_s, u"CA00000000000000000000000000000002"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(log.incoming.size(), 1, SipWaitMs);
        const IncomingCall offered = log.incoming.first();
        QCOMPARE(offered.callSid, u"CA00000000000000000000000000000001"_s);
        QCOMPARE(offered.parentCallSid, u"CA00000000000000000000000000000002"_s);
        QCOMPARE(offered.from, u"twilio"_s);
        QCOMPARE(offered.to, AgentUri);
        QVERIFY(m_caller->waitState(callId, SipCallState::Ringing));

        m_endpoint->accept(offered.callSid);
        QTRY_COMPARE_WITH_TIMEOUT(log.connected, QStringList {offered.callSid}, SipWaitMs);
        QVERIFY(m_caller->waitState(callId, SipCallState::Connected));
        // Two seconds of each side's sentence arrive on the other side.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(agentRecording()).size() > 192'000, SipWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(m_caller->recordFile()).size() > 192'000, SipWaitMs);

        // Call quality is measured during the call, with the MOS-like rating once RTCP has spoken.
        QTRY_VERIFY_WITH_TIMEOUT(m_endpoint->callQuality() && m_endpoint->callQuality()->mos, SipWaitMs);
        const CallQuality measured = *m_endpoint->callQuality();
        QVERIFY(*measured.mos >= 1 && *measured.mos <= 5);
        QVERIFY(measured.jitterMs && *measured.jitterMs >= 0);
        QVERIFY(measured.lossPercent && *measured.lossPercent >= 0 && *measured.lossPercent <= 100);

        m_endpoint->hangup(offered.callSid);
        const auto callerEnd = m_caller->waitEnd(callId);
        QVERIFY(callerEnd);
        QCOMPARE(callerEnd->by, SipCallEnd::By::Remote);
        QVERIFY(callerEnd->wasConnected);
        QTRY_COMPARE_WITH_TIMEOUT(log.disconnected, QStringList {offered.callSid}, SipWaitMs);
        QVERIFY(!m_endpoint->callQuality()); // between calls there is nothing to report
        QVERIFY(log.canceled.isEmpty());

        verifyHeardSpeech(agentRecording());
        verifyHeardSpeech(m_caller->recordFile());
    }

    void declineIsBusyForTheCaller()
    {
        registerEndpoint();
        EndpointLog log(*m_endpoint);
        const QString callId = m_caller->core.call(AgentUri, {{u"X-Twilio-CallSid"_s, u"CA1"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(log.incoming.size(), 1, SipWaitMs);
        m_endpoint->decline(u"CA1"_s);
        const auto end = m_caller->waitEnd(callId);
        QVERIFY(end);
        QCOMPARE(end->statusCode, 486);
        QTRY_COMPARE_WITH_TIMEOUT(log.canceled, QStringList {u"CA1"_s}, SipWaitMs);
        QVERIFY(log.connected.isEmpty());
    }

    void theCallerHangsUpWhileItRingsAndAfterItWasAnswered()
    {
        registerEndpoint();
        EndpointLog log(*m_endpoint);
        const QString first = m_caller->core.call(AgentUri, {{u"X-Twilio-CallSid"_s, u"CA1"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(log.incoming.size(), 1, SipWaitMs);
        QVERIFY(m_caller->waitState(first, SipCallState::Ringing));
        m_caller->core.hangup(first);
        QTRY_COMPARE_WITH_TIMEOUT(log.canceled, QStringList {u"CA1"_s}, SipWaitMs);

        const QString second = m_caller->core.call(AgentUri, {{u"X-Twilio-CallSid"_s, u"CA2"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(log.incoming.size(), 2, SipWaitMs);
        m_endpoint->accept(u"CA2"_s);
        QVERIFY(m_caller->waitState(second, SipCallState::Connected));
        QTRY_COMPARE_WITH_TIMEOUT(log.connected, QStringList {u"CA2"_s}, SipWaitMs);
        m_caller->core.hangup(second);
        QTRY_COMPARE_WITH_TIMEOUT(log.disconnected, QStringList {u"CA2"_s}, SipWaitMs);
    }

    void aCallWithoutTwilioHeadersIsNamedByItsSipCallId()
    {
        registerEndpoint();
        EndpointLog log(*m_endpoint);
        const QString callId = m_caller->core.call(AgentUri);
        QTRY_COMPARE_WITH_TIMEOUT(log.incoming.size(), 1, SipWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_caller->outgoing.contains(callId), SipWaitMs);
        QCOMPARE(log.incoming.first().callSid, m_caller->outgoing.value(callId).sipCallId);
        QCOMPARE(log.incoming.first().parentCallSid, log.incoming.first().callSid);
    }

    void aRegistrarThatGoesAwayIsNoticedAndRegisteredAgainWhenBack()
    {
        // A short registration, as the refresh is when a registrar that went away without a word
        // is noticed at the latest; over TCP the closed connection is noticed at once.
        registerEndpoint([](SipVoiceEndpoint::Options &options) {
            options.registrationExpirySeconds = 10;
            options.retryDelayMs = 500;
        });
        const quint16 port = m_domain->port();
        m_domain->stop();
        QTRY_COMPARE_WITH_TIMEOUT(m_endpoint->registration(), VoiceRegistration::Failed, 10'000 + SipWaitMs);
        QVERIFY2(m_endpoint->lastError().contains(u"SIP registrar"_s), qPrintable(m_endpoint->lastError()));

        KamailioOptions again = domainOptions(Domain);
        again.port = port;
        m_domain = std::make_unique<KamailioProcess>();
        QVERIFY2(startDomain(*m_domain, again), qPrintable(m_domain->errorString()));
        QString error;
        QVERIFY2(m_domain->credentials().setPassword(AgentUser, AgentPassword, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(m_endpoint->registration(), VoiceRegistration::Registered, SipWaitMs);
    }

    void registersOverTlsAndTalksOverSrtp()
    {
        const TestCertificates certificates = TestCertificates::make(m_agentFolder.path());
        QVERIFY2(certificates.error.isEmpty(), qPrintable(certificates.error));
        KamailioOptions options = domainOptions(Domain);
        options.tlsCertificateFile = certificates.certificateFile;
        options.tlsPrivateKeyFile = certificates.privateKeyFile;
        m_domain = std::make_unique<KamailioProcess>();
        QVERIFY2(startDomain(*m_domain, options), qPrintable(m_domain->errorString()));
        QString error;
        QVERIFY2(m_domain->credentials().setPassword(AgentUser, AgentPassword, &error), qPrintable(error));

        // The caller offers SRTP as Twilio does for ;secure=true.
        m_caller = std::make_unique<SipPeer>(u"secure-caller"_s);
        SipCoreConfig callerConfig
            = m_caller->config(voiceFile(QStringLiteral(HEARTLINE_CALLER_WAV), m_caller->folder(), 660));
        callerConfig.tlsPort = 0;
        callerConfig.tlsCaFile = certificates.caFile;
        callerConfig.srtp = true;
        callerConfig.srtpMandatory = true;
        QVERIFY2(m_caller->start(callerConfig), qPrintable(m_caller->errors.join(u'\n')));
        SipAccount callerAccount = SipPeer::account(*m_domain, u"twilio"_s, {}, SipTransport::Tls);
        callerAccount.registerEnabled = false;
        m_caller->core.registerAccount(callerAccount);

        makeEndpoint(
            [&](SipVoiceEndpoint::Options &endpointOptions) { endpointOptions.tlsCaFile = certificates.caFile; });
        SipCredentials secure = credentials(AgentPassword);
        secure.transport = u"tls"_s;
        secure.secureMedia = true;
        secure.registrar = m_domain->proxyUri(true).mid(4); // HOST:PORT
        m_endpoint->setCredentials(secure);
        m_endpoint->start(AgentUser);
        QTRY_COMPARE_WITH_TIMEOUT(m_endpoint->registration(), VoiceRegistration::Registered, SipWaitMs);

        EndpointLog log(*m_endpoint);
        const QString callId = m_caller->core.call(AgentUri + u";transport=tls"_s, {{u"X-Twilio-CallSid"_s, u"CA1"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(log.incoming.size(), 1, SipWaitMs);
        m_endpoint->accept(u"CA1"_s);
        QVERIFY(m_caller->waitState(callId, SipCallState::Connected));
        const auto stats = m_caller->waitStats(callId, [](const SipCallStats &s) { return s.srtp; });
        QVERIFY(stats);
        QVERIFY2(stats->srtp, "the call's audio is not encrypted");
        m_caller->core.hangup(callId);
        QTRY_COMPARE_WITH_TIMEOUT(log.disconnected, QStringList {u"CA1"_s}, SipWaitMs);
    }

    void aHeadsetPluggedInIsSeenByTheDeviceCheck()
    {
        registerEndpoint([](SipVoiceEndpoint::Options &options) {
            options.useAudioFiles = false;
            options.recordFile.clear();
            options.deviceScanIntervalMs = 200;
        });
        QTRY_VERIFY_WITH_TIMEOUT(m_endpoint->deviceSource().hasReported(), SipWaitMs);
        QSignalSpy changed(&m_endpoint->deviceSource(), &AudioDeviceSource::changed);
        const int speakers = m_pulse.plugSpeaker(u"Speakers"_s);
        QVERIFY(speakers >= 0);
        const auto hasSpeakers = [&] {
            const QList<AudioDevice> outputs = m_endpoint->deviceSource().outputs();
            return std::any_of(outputs.cbegin(), outputs.cend(),
                               [](const AudioDevice &device) { return device.name == u"Speakers"_s; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(hasSpeakers(), SipWaitMs);
        QVERIFY(!changed.isEmpty());
        QVERIFY(m_pulse.unplug(speakers));
        QTRY_VERIFY_WITH_TIMEOUT(!hasSpeakers(), SipWaitMs);
        // The headset's microphone is what a call would record from.
        const QList<AudioDevice> inputs = m_endpoint->deviceSource().inputs();
        QVERIFY(std::any_of(inputs.cbegin(), inputs.cend(),
                            [](const AudioDevice &device) { return device.name == u"HeadsetMic"_s; }));
    }

private:
    SipCredentials credentials(const QString &password) const
    {
        SipCredentials account;
        account.status = SipCredentials::Status::Ready;
        account.username = AgentUser;
        account.password = password;
        account.domain = Domain;
        account.registrar = u"127.0.0.1:%1"_s.arg(m_domain->port());
        account.transport = u"tcp"_s;
        account.secureMedia = false;
        return account;
    }

    QString agentRecording() const { return m_agentFolder.filePath(u"received.wav"_s); }

    void makeEndpoint(const std::function<void(SipVoiceEndpoint::Options &)> &adjust = {})
    {
        SipVoiceEndpoint::Options options;
        options.folder = m_agentFolder.filePath(u"core-%1"_s.arg(++m_cores));
        options.useAudioFiles = true;
        options.playFile = voiceFile(QStringLiteral(HEARTLINE_AGENT_WAV), m_agentFolder.path(), 440);
        options.recordFile = agentRecording();
        options.statsIntervalMs = 200;
        if (adjust)
            adjust(options);
        m_endpoint = std::make_unique<SipVoiceEndpoint>(options);
    }

    void registerEndpoint(const std::function<void(SipVoiceEndpoint::Options &)> &adjust = {})
    {
        makeEndpoint(adjust);
        m_endpoint->setCredentials(credentials(AgentPassword));
        m_endpoint->start(AgentUser);
        QTRY_COMPARE_WITH_TIMEOUT(m_endpoint->registration(), VoiceRegistration::Registered, SipWaitMs);
    }

    static void verifyHeardSpeech(const QString &recording)
    {
        const auto audio = WavAudio::read(recording);
        QVERIFY2(audio.ok(), audio.ok() ? "" : qPrintable(audio.error().message));
        QVERIFY2(audio->rms() > 500, qPrintable(u"RMS %1 in %2"_s.arg(audio->rms()).arg(recording)));
    }

    QTemporaryDir m_home;
    PulseAudioServer m_pulse;
    QTemporaryDir m_agentFolder;
    int m_cores = 0;
    std::unique_ptr<KamailioProcess> m_domain;
    std::unique_ptr<SipPeer> m_caller;
    std::unique_ptr<SipVoiceEndpoint> m_endpoint;
};

QTEST_MAIN(TestSipVoiceEndpoint)
#include "tst_sip_voice_endpoint.moc"
