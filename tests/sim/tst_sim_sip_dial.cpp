// The stand-in's SIP side: <Dial><Sip> sends a real INVITE through the stand-in's own SIP domain
// (Kamailio on a free loopback port, started by each test) to an agent softphone (a SipPeer)
// registered with credentials created over the stand-in's Credential List REST API. Real SIP,
// real RTP, real audio both ways; the stand-in runs on the real clock.

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include "HttpTestClient.h"
#include "SimFixture.h"
#include "SipPeer.h"
#include "sip/SimSipSide.h"
#include "sip/SipInvite.h"
#include "twilio/SipUri.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString Domain = u"heartline-test.sip.twilio.com"_s;
const QString AgentUser = u"alice"_s;
const QString AgentPassword = u"First-Password-1"_s;
const QString AccountPath = u"/2010-04-01/Accounts/"_s + SimAccountSid;

// A couple of seconds of received audio: enough to hold some of the other side's sentence.
constexpr qint64 EnoughRecording = 192'000;
// Speech is in the thousands; silence and line noise stay well under this.
constexpr double SpeechRms = 300;

QByteArray basicAuth()
{
    return "Basic " + (SimAccountSid + u':' + SimAuthToken).toUtf8().toBase64();
}

} // namespace

class TestSimSipDial final : public QObject
{
    Q_OBJECT

private:
    SystemClock m_clock;
    std::unique_ptr<SimScheduler> m_scheduler;
    std::unique_ptr<WebhookServer> m_hooks;
    std::unique_ptr<TwilioSim> m_sim;
    std::unique_ptr<SipPeer> m_agent;
    QString m_credentialsPath;          ///< …/CredentialLists/CL…/Credentials
    QString m_credentialPath;           ///< …/Credentials/CR….json of the agent's credential
    QHash<QString, QString> m_agentFor; ///< caller number → the agent its call dials (default: alice)
    int m_dialTimeoutSeconds = 20;

    HttpReply rest(const QByteArray &verb, const QString &path, const QByteArray &form = {})
    {
        HttpTestClient http(m_sim->baseUrl());
        return http.send(verb, path, form, form.isEmpty() ? QByteArray() : "application/x-www-form-urlencoded",
                         {{"Authorization", basicAuth()}});
    }

    HttpReply control(const QString &path)
    {
        HttpTestClient http(m_sim->baseUrl());
        return http.get(path);
    }

    /// The caller's call dials the agent's SIP URI, with the caller's CallSid as a URI header as
    /// heartline-server writes it.
    void answerVoiceWithSipDial()
    {
        m_hooks->answer = [this](const Hook &hook) -> std::optional<HookAnswer> {
            if (hook.path != u"/voice"_s)
                return std::nullopt;
            const QString agent = m_agentFor.value(hook.param(u"From"_s), AgentUser);
            const QString uri = sipuri::dialUri(agent, Domain, u"tcp", false,
                                                {{u"x-heartline-parent-callsid"_s, hook.param(u"CallSid"_s)}});
            HookAnswer reply;
            reply.body = response(u"<Dial timeout=\"%1\" action=\"/dialed\"><Sip statusCallback=\"/leg\" "
                                  "statusCallbackEvent=\"initiated ringing answered completed\">%2</Sip></Dial>"_s
                                      .arg(m_dialTimeoutSeconds)
                                      .arg(uri.toHtmlEscaped())
                                      .toUtf8());
            return reply;
        };
        m_hooks->twiml.insert(u"/dialed"_s, response("<Hangup/>"));
        m_hooks->twiml.insert(u"/leg"_s, QByteArray());
    }

    SipAccount agentAccount(const QString &password = AgentPassword)
    {
        return SipPeer::account(m_sim->sipSide()->domain(), AgentUser, password);
    }

    bool registerAgent() { return m_agent->registerAccount(agentAccount()).state == SipRegistrationState::Registered; }

    /// The <Sip> leg of the caller's call.
    [[nodiscard]] const SimCall *legOf(const QString &parentSid) const
    {
        for (const SimCall *call : m_sim->engine().calls()) {
            if (call->parentSid == parentSid)
                return call;
        }
        return nullptr;
    }

    [[nodiscard]] std::optional<Hook> dialAction() const
    {
        const QList<Hook> actions = m_hooks->at(u"/dialed"_s);
        return actions.isEmpty() ? std::nullopt : std::optional<Hook>(actions.first());
    }

    [[nodiscard]] QStringList legStatuses() const
    {
        QStringList statuses;
        for (const Hook &hook : m_hooks->at(u"/leg"_s))
            statuses.append(hook.param(u"CallStatus"_s));
        return statuses;
    }

    [[nodiscard]] QString placeCall(const QString &from = u"+15017122661"_s)
    {
        return m_sim->engine().placeInboundCall(from, u"+15558675310"_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // liblinphone must not look for its database under the real home folder.
        static QTemporaryDir home;
        QVERIFY(home.isValid());
        qputenv("HOME", home.path().toUtf8());
    }

    void init()
    {
        m_dialTimeoutSeconds = 20;
        m_agentFor.clear();
        m_scheduler = std::make_unique<SimScheduler>(static_cast<const Clock &>(m_clock));
        m_hooks = std::make_unique<WebhookServer>();
        QVERIFY(m_hooks->start());
        SimOptions options;
        options.accountSid = SimAccountSid;
        options.authToken = SimAuthToken;
        options.voiceUrl = m_hooks->url(u"/voice"_s);
        m_sim = std::make_unique<TwilioSim>(options, *m_scheduler);
        QString error;
        QVERIFY2(m_sim->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));

        // A credential created before the domain starts is loaded when it starts.
        const HttpReply list
            = rest("POST", AccountPath + u"/SIP/CredentialLists.json"_s, "FriendlyName=heartline-agents");
        QCOMPARE(list.status, 201);
        const QString listSid = list.json().value(u"sid"_s).toString();
        const QString credentials = AccountPath + u"/SIP/CredentialLists/%1/Credentials"_s.arg(listSid);
        const HttpReply credential = rest("POST", credentials + u".json"_s,
                                          "Username=" + AgentUser.toUtf8() + "&Password=" + AgentPassword.toUtf8());
        QCOMPARE(credential.status, 201);
        m_credentialsPath = credentials;
        m_credentialPath = credentials + u"/"_s + credential.json().value(u"sid"_s).toString() + u".json"_s;

        QSignalSpy started(m_sim.get(), &TwilioSim::sipDomainStarted);
        QSignalSpy failed(m_sim.get(), &TwilioSim::sipDomainFailed);
        SipDomainOptions sip;
        sip.domain = Domain;
        sip.callerAudioFile = QStringLiteral(HEARTLINE_CALLER_WAV);
        m_sim->startSipDomain(sip);
        QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty() || !failed.isEmpty(), SipWaitMs);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QVERIFY(started.first().first().toString().startsWith(u"sip:127.0.0.1:"_s));

        m_agent = std::make_unique<SipPeer>(u"agent"_s);
        SipCoreConfig config = m_agent->config(voiceFile(QStringLiteral(HEARTLINE_AGENT_WAV), m_agent->folder(), 440));
        // Names as the agent app asks for them: liblinphone matches header names case-insensitively.
        config.incomingHeaderNames = {u"X-Twilio-CallSid"_s, u"X-Twilio-AccountSid"_s, u"X-Twilio-ApiVersion"_s,
                                      u"X-Heartline-Parent-CallSid"_s};
        QVERIFY2(m_agent->start(config), qPrintable(m_agent->errors.join(u'\n')));
        answerVoiceWithSipDial();
    }

    void cleanup()
    {
        m_agent.reset();
        m_sim.reset();
        m_hooks.reset();
        m_scheduler.reset();
    }

    void inviteFollowsTheSipUri()
    {
        const SipInvite invite = SipInvite::fromOffer(
            SipOffer {u"CAleg"_s, u"CAparent"_s, SimAccountSid, u"+15017122661"_s,
                      u"sip:bob@acme.sip.twilio.com;transport=tls;secure=true?x-foo=bar&x-baz=1"_s});
        QCOMPARE(invite.requestUri, u"sip:bob@acme.sip.twilio.com;transport=tls;secure=true"_s);
        QCOMPARE(invite.transport, SipTransport::Tls);
        QVERIFY(invite.secureMedia);
        QCOMPARE(invite.headers.value(u"x-foo"_s), u"bar"_s);
        QCOMPARE(invite.headers.value(u"x-baz"_s), u"1"_s);
        QCOMPARE(invite.headers.value(u"X-Twilio-CallSid"_s), u"CAleg"_s);
        QCOMPARE(invite.headers.value(u"X-Twilio-AccountSid"_s), SimAccountSid);
        QCOMPARE(invite.headers.value(u"X-Twilio-ApiVersion"_s), u"2010-04-01"_s);

        const SipInvite plain = SipInvite::fromOffer(SipOffer {u"CAleg"_s, {}, SimAccountSid, {}, u"sip:bob@d"_s});
        QCOMPARE(plain.transport, SipTransport::Udp);
        QVERIFY(!plain.secureMedia);
        QCOMPARE(plain.headers.size(), 3);
    }

    void answeredCallTalksBothWaysAndTheDialActionNamesTheSipCall()
    {
        QVERIFY(registerAgent());
        const QString caller = placeCall();
        const std::optional<SipCallInfo> incoming = m_agent->waitIncoming();
        QVERIFY(incoming);
        const SimCall *leg = legOf(caller);
        QVERIFY(leg);
        const QString legSid = leg->sid;
        // What the agent app matches the call with: the leg and the caller's call.
        QCOMPARE(incoming->headers.value(u"X-Twilio-CallSid"_s), legSid);
        QCOMPARE(incoming->headers.value(u"X-Heartline-Parent-CallSid"_s), caller);
        QCOMPARE(incoming->headers.value(u"X-Twilio-AccountSid"_s), SimAccountSid);
        QCOMPARE(incoming->headers.value(u"X-Twilio-ApiVersion"_s), u"2010-04-01"_s);
        QVERIFY2(incoming->remoteUri.startsWith(u"sip:+15017122661@"_s), qPrintable(incoming->remoteUri));
        QTRY_VERIFY_WITH_TIMEOUT(legStatuses().contains(u"ringing"_s), SipWaitMs);

        m_agent->core.accept(incoming->callId);
        QVERIFY(m_agent->waitState(incoming->callId, SipCallState::Connected));
        QTRY_COMPARE_WITH_TIMEOUT(m_sim->engine().findCall(legSid)->status, u"in-progress"_s, SipWaitMs);
        QCOMPARE(m_sim->engine().findCall(caller)->bridgePeer, legSid);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(m_agent->recordFile()).size() > EnoughRecording, SipWaitMs);
        const QString standInRecording = m_sim->sipSide()->dialer()->recordingInProgress(legSid);
        QVERIFY(!standInRecording.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(standInRecording).size() > EnoughRecording, SipWaitMs);
        QCOMPARE(control(u"/control/calls/%1/recording"_s.arg(caller)).status, 404); // not before the end

        // The agent hangs up: the bridge ends as with a client's hang-up.
        m_agent->core.hangup(incoming->callId);
        QVERIFY(m_agent->waitEnd(incoming->callId));
        QTRY_VERIFY_WITH_TIMEOUT(dialAction().has_value(), SipWaitMs);
        const Hook action = *dialAction();
        QCOMPARE(action.param(u"DialCallStatus"_s), u"completed"_s);
        QCOMPARE(action.param(u"DialCallSid"_s), legSid);
        QCOMPARE(action.param(u"DialSipResponseCode"_s), u"200"_s);
        QCOMPARE(action.param(u"DialSipCallId"_s), incoming->sipCallId);
        QVERIFY(action.param(u"DialCallDuration"_s).toInt() >= 1);
        QCOMPARE(m_sim->engine().findCall(legSid)->status, u"completed"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!m_sim->engine().findCall(caller)->isLive(), SipWaitMs); // <Hangup/>
        QTRY_COMPARE_WITH_TIMEOUT(legStatuses().last(), u"completed"_s, SipWaitMs);
        QVERIFY(legStatuses().contains(u"in-progress"_s));

        // Both sides heard the other: the stand-in's recording of the agent, by the caller's sid
        // and by the leg's, and the agent's recording of the caller.
        const HttpReply wav = control(u"/control/calls/%1/recording"_s.arg(caller));
        QCOMPARE(wav.status, 200);
        QCOMPARE(wav.contentType, QByteArray("audio/wav"));
        QVERIFY(wav.body.startsWith("RIFF"));
        const QJsonObject loudness = control(u"/control/calls/%1/recording.json"_s.arg(legSid)).json();
        QCOMPARE(loudness.value(u"callSid"_s).toString(), legSid);
        QVERIFY2(loudness.value(u"rms"_s).toDouble() > SpeechRms,
                 QJsonDocument(loudness).toJson(QJsonDocument::Compact).constData());
        QVERIFY(loudness.value(u"seconds"_s).toDouble() > 1);
        const Result<WavAudio> agentHeard = WavAudio::read(m_agent->recordFile());
        QVERIFY(agentHeard);
        QVERIFY2(agentHeard.value().rms() > SpeechRms, qPrintable(QString::number(agentHeard.value().rms())));
    }

    void callsAtTheSameTimeAreRecordedApart()
    {
        // A second agent whose microphone sends silence: each leg's recording must hold only what
        // its own agent sent.
        QCOMPARE(rest("POST", m_credentialsPath + u".json"_s, "Username=bob&Password=Bobs-Password-1").status, 201);
        SipPeer bob(u"bob"_s);
        const QString silence = bob.folder() + u"/silence.wav"_s;
        QVERIFY(WavAudio::tone(440, 4000, 16000, 0.0).write(silence));
        QVERIFY2(bob.start(bob.config(silence)), qPrintable(bob.errors.join(u'\n')));
        QCOMPARE(
            bob.registerAccount(SipPeer::account(m_sim->sipSide()->domain(), u"bob"_s, u"Bobs-Password-1"_s)).state,
            SipRegistrationState::Registered);
        QVERIFY(registerAgent());
        m_agentFor.insert(u"+15017120002"_s, u"bob"_s);

        const QString toAlice = placeCall(u"+15017120001"_s);
        const QString toBob = placeCall(u"+15017120002"_s);
        const std::optional<SipCallInfo> aliceRings = m_agent->waitIncoming();
        const std::optional<SipCallInfo> bobRings = bob.waitIncoming();
        QVERIFY(aliceRings && bobRings);
        m_agent->core.accept(aliceRings->callId);
        bob.core.accept(bobRings->callId);
        QVERIFY(m_agent->waitState(aliceRings->callId, SipCallState::Connected));
        QVERIFY(bob.waitState(bobRings->callId, SipCallState::Connected));
        QCOMPARE(m_sim->sipSide()->dialer()->lineCount(), 2); // one caller line per call in progress
        const QString aliceLeg = legOf(toAlice)->sid;
        const QString bobLeg = legOf(toBob)->sid;
        for (const QString &leg : {aliceLeg, bobLeg}) {
            const QString recording = m_sim->sipSide()->dialer()->recordingInProgress(leg);
            QVERIFY(!recording.isEmpty());
            QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(recording).size() > EnoughRecording, SipWaitMs);
        }

        QVERIFY(m_sim->engine().hangup(toAlice));
        QVERIFY(m_sim->engine().hangup(toBob));
        QTRY_COMPARE_WITH_TIMEOUT(m_hooks->count(u"/dialed"_s), 2, SipWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(control(u"/control/calls/%1/recording.json"_s.arg(bobLeg)).status, 200, SipWaitMs);
        const double aliceRms
            = control(u"/control/calls/%1/recording.json"_s.arg(toAlice)).json().value(u"rms"_s).toDouble();
        const double bobRms
            = control(u"/control/calls/%1/recording.json"_s.arg(toBob)).json().value(u"rms"_s).toDouble();
        QVERIFY2(aliceRms > SpeechRms, qPrintable(QString::number(aliceRms)));
        QVERIFY2(bobRms < SpeechRms / 3, qPrintable(QString::number(bobRms)));
    }

    void callerHangingUpEndsTheAgentsCall()
    {
        QVERIFY(registerAgent());
        const QString caller = placeCall();
        std::optional<SipCallInfo> incoming = m_agent->waitIncoming();
        QVERIFY(incoming);
        m_agent->core.accept(incoming->callId);
        QVERIFY(m_agent->waitState(incoming->callId, SipCallState::Connected));
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->engine().findCall(caller)->dial
                                     && !m_sim->engine().findCall(caller)->dial->answeredSid.isEmpty(),
                                 SipWaitMs);

        QVERIFY(m_sim->engine().hangup(caller));
        const std::optional<SipCallEnd> end = m_agent->waitEnd(incoming->callId);
        QVERIFY(end);
        QCOMPARE(end->by, SipCallEnd::By::Remote); // a BYE from the stand-in
        QVERIFY(end->wasConnected);
        QTRY_VERIFY_WITH_TIMEOUT(dialAction().has_value(), SipWaitMs);
        QCOMPARE(dialAction()->param(u"DialCallStatus"_s), u"completed"_s);
    }

    void callerHangingUpWhileItRingsCancelsTheInvite()
    {
        QVERIFY(registerAgent());
        const QString caller = placeCall();
        const std::optional<SipCallInfo> incoming = m_agent->waitIncoming();
        QVERIFY(incoming);
        QTRY_VERIFY_WITH_TIMEOUT(legStatuses().contains(u"ringing"_s), SipWaitMs);

        QVERIFY(m_sim->engine().hangup(caller));
        const std::optional<SipCallEnd> end = m_agent->waitEnd(incoming->callId);
        QVERIFY(end);
        QCOMPARE(end->by, SipCallEnd::By::Remote); // a CANCEL from the stand-in
        QVERIFY(!end->wasConnected);
        QTRY_COMPARE_WITH_TIMEOUT(legStatuses().last(), u"canceled"_s, SipWaitMs);
    }

    void declinedCallIsBusy()
    {
        QVERIFY(registerAgent());
        const QString caller = placeCall();
        const std::optional<SipCallInfo> incoming = m_agent->waitIncoming();
        QVERIFY(incoming);
        m_agent->core.decline(incoming->callId);
        QTRY_VERIFY_WITH_TIMEOUT(dialAction().has_value(), SipWaitMs);
        QCOMPARE(dialAction()->param(u"DialCallStatus"_s), u"busy"_s);
        QCOMPARE(dialAction()->param(u"DialSipResponseCode"_s), u"486"_s);
        QCOMPARE(dialAction()->param(u"DialSipCallId"_s), incoming->sipCallId);
        QCOMPARE(legOf(caller)->status, u"busy"_s);
    }

    void unregisteredAgentFailsAtOnce()
    {
        // alice has a credential but no softphone registered: Kamailio answers 480 at once.
        QElapsedTimer elapsed;
        elapsed.start();
        const QString caller = placeCall();
        QTRY_VERIFY_WITH_TIMEOUT(dialAction().has_value(), SipWaitMs);
        QVERIFY2(elapsed.elapsed() < m_dialTimeoutSeconds * 1000 / 2, qPrintable(QString::number(elapsed.elapsed())));
        QCOMPARE(dialAction()->param(u"DialCallStatus"_s), u"failed"_s);
        QCOMPARE(dialAction()->param(u"DialSipResponseCode"_s), u"480"_s);
        QVERIFY(!dialAction()->param(u"DialSipCallId"_s).isEmpty());
        const SimCall *leg = legOf(caller);
        QCOMPARE(leg->status, u"failed"_s);
        bool warned = false;
        for (const CallEvent &event : leg->events)
            warned = warned || event.detail.contains(u"32009"_s);
        QVERIFY(warned);
        QVERIFY(m_agent->incoming.isEmpty());
    }

    void unansweredCallIsCanceledAtTheDialTimeout()
    {
        m_dialTimeoutSeconds = 2;
        QVERIFY(registerAgent());
        const QString caller = placeCall();
        const std::optional<SipCallInfo> incoming = m_agent->waitIncoming();
        QVERIFY(incoming);
        const std::optional<SipCallEnd> end = m_agent->waitEnd(incoming->callId);
        QVERIFY(end);
        QVERIFY(!end->wasConnected);
        QTRY_VERIFY_WITH_TIMEOUT(dialAction().has_value(), SipWaitMs);
        QCOMPARE(dialAction()->param(u"DialCallStatus"_s), u"no-answer"_s);
        QCOMPARE(dialAction()->param(u"DialSipResponseCode"_s), u"487"_s);
        QCOMPARE(legOf(caller)->status, u"no-answer"_s);
    }

    void rotatedPasswordRefusesTheOldOne()
    {
        QVERIFY(registerAgent());
        const QString rotated = u"Second-Password-2"_s;
        const HttpReply changed = rest("POST", m_credentialPath, "Password=" + rotated.toUtf8());
        QCOMPARE(changed.status, 200);

        const SipRegistration old = m_agent->registerAccount(agentAccount(AgentPassword));
        QCOMPARE(old.state, SipRegistrationState::Failed);
        QCOMPARE(old.statusCode, 403);
        QCOMPARE(m_agent->registerAccount(agentAccount(rotated)).state, SipRegistrationState::Registered);

        // A credential deleted over REST is refused from the next REGISTER on.
        QCOMPARE(rest("DELETE", m_credentialPath).status, 204);
        QCOMPARE(m_agent->registerAccount(agentAccount(rotated)).statusCode, 403);
    }
};

QTEST_GUILESS_MAIN(TestSimSipDial)
#include "tst_sim_sip_dial.moc"
