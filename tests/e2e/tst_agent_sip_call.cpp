// The agent app's own code (AgentController: the server session, the SIP softphone, the call) against
// the real heartline-server with SIP_DOMAIN set and the real heartline-twilio-sim playing Twilio's SIP
// domain over TLS, both as processes. The app signs in, registers its softphone with the password the
// login handed out, is rung by <Dial><Sip> for a caller, answers, and both sides hear each other
// (SRTP); the server learns of the registration, the voice line and the call's quality; hanging up
// in the app ends the caller's Dial; signing out unregisters the softphone before the server replaces
// its password.

#include <csignal>
#include <unistd.h>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include "AgentController.h"
#include "StandInProcess.h"
#include "core/Clock.h"
#include "devices/AudioDeviceSource.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString AccountSid = u"AC"_s + QString(32, u'7');
const QString AuthToken = u"sip0app0auth0token0sip0app0auth0"_s;

} // namespace

class TestAgentSipCall final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    SipFloor m_floor {AccountSid, AuthToken, QStringLiteral(HEARTLINE_CALLER_WAV)};
    SystemClock m_clock;
    StaticAudioDeviceSource m_audio;
    std::unique_ptr<AgentController> m_app;

    QString agentRecording() const { return m_floor.folder() + u"/agent-heard.wav"_s; }

    /// The app as it runs on a desktop, its softphone sending a WAV and recording what it hears.
    void startApp()
    {
        m_audio.setInputs({AudioDevice {"mic", u"Headset Mic"_s, true}});
        m_audio.setOutputs({AudioDevice {"out", u"Headset"_s, true}});
        const QString caFile = m_floor.certificates().caFile;
        const QString playFile = voiceFile(QStringLiteral(HEARTLINE_AGENT_WAV), m_floor.folder(), 440);
        const QString recordFile = agentRecording();
        const QString folder = m_floor.folder() + u"/softphone"_s;
        AgentController::SipVoiceFactory softphone = [=] {
            SipVoiceEndpoint::Options options;
            options.folder = folder;
            options.tlsCaFile = caFile;
            options.useAudioFiles = true;
            options.playFile = playFile;
            options.recordFile = recordFile;
            options.statsIntervalMs = 500;
            return std::make_unique<SipVoiceEndpoint>(options);
        };
        m_app = std::make_unique<AgentController>(
            AgentController::Dependencies {m_clock, m_audio, [] { return 0.5; }, {}, softphone, {}});
    }

    /// The stand-in's Kamailio (a child process of the stand-in, in a process group of its own).
    static qint64 kamailioOf(qint64 standInPid)
    {
        const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &entry : entries) {
            bool number = false;
            const qint64 pid = entry.toLongLong(&number);
            if (!number)
                continue;
            QFile stat(u"/proc/%1/stat"_s.arg(pid));
            if (!stat.open(QIODevice::ReadOnly))
                continue;
            // "pid (comm) state ppid ..."
            const QString text = QString::fromLatin1(stat.readAll());
            const qsizetype close = text.lastIndexOf(u')');
            const QStringList fields = text.mid(close + 2).split(u' ');
            if (text.contains(u"(kamailio)"_s) && fields.size() > 1 && fields.at(1).toLongLong() == standInPid)
                return pid;
        }
        return 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        const QString problem = m_floor.prepare();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void init()
    {
        // Call quality rides on heartbeats: a short interval brings it to the server quickly.
        const QString problem = m_floor.start({u"alice"_s}, {{u"AGENT_HEARTBEAT_INTERVAL"_s, u"1"_s}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        startApp();
    }

    void cleanup()
    {
        m_app.reset();
        m_floor.stop();
    }

    void theAppRegistersTakesARealCallAndHangsUp()
    {
        m_app->signIn(m_floor.serverUrl(), u"alice"_s, u"alice-password"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->sipVoice(), SipWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->voice().registration(), VoiceRegistration::Registered, SipWaitMs);
        m_app->session().setStatus(AgentStatus::Available);
        // The server hears that calls can ring here, over SIP.
        QTRY_VERIFY_WITH_TIMEOUT(m_floor.agent(u"alice"_s)[u"readiness"_s][u"ready"_s].toBool(), SipWaitMs);
        // liblinphone's Qt 5 video plugin stays out of the app's Qt 6 process.
        QFile maps(u"/proc/self/maps"_s);
        QVERIFY(maps.open(QIODevice::ReadOnly));
        QVERIFY2(!maps.readAll().contains("libQt5"), "a Qt 5 library is loaded in the agent app's process");
        const QJsonObject devices = m_floor.agent(u"alice"_s)[u"devices"_s].toObject();
        QCOMPARE(devices[u"voiceRegistered"_s].toBool(), true);
        QCOMPARE(devices[u"voiceLine"_s].toString(), u"sip"_s);

        const QString caller = m_floor.placeCall();
        QVERIFY(caller.startsWith(u"CA"_s));
        CallSession &call = m_app->call();
        QTRY_COMPARE_WITH_TIMEOUT(call.phase(), CallPhase::Ringing, SipWaitMs);
        // The INVITE names Twilio's leg and the caller's call, so the server's screen pop matches it.
        QCOMPARE(call.details().parentCallSid, caller);
        QCOMPARE(m_floor.call(call.details().callSid)[u"parent_call_sid"_s].toString(), caller);
        QTRY_VERIFY_WITH_TIMEOUT(call.details().waitSeconds.has_value(), SipWaitMs);

        call.accept();
        QTRY_COMPARE_WITH_TIMEOUT(call.phase(), CallPhase::Connected, SipWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_floor.call(caller)[u"status"_s].toString(), u"in-progress"_s, SipWaitMs);
        // The call's quality is measured in the app and reaches supervisors with the heartbeats.
        QTRY_VERIFY_WITH_TIMEOUT(call.quality() && call.quality()->mos, SipWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_floor.agent(u"alice"_s)[u"devices"_s][u"callQuality"_s][u"mos"_s].toDouble() >= 1,
                                 SipWaitMs);
        // Let a few seconds of each side's sentence through before hanging up.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(agentRecording()).size() > 192'000, SipWaitMs);

        const QString leg = call.details().callSid;
        call.hangup();
        QCOMPARE(call.phase(), CallPhase::Ended);
        QTRY_VERIFY_WITH_TIMEOUT(m_floor.callHasEvent(caller, u"DialCallStatus=completed"_s), SipWaitMs);
        // Both sides heard speech, not silence: the stand-in's recording of the agent, the app's of the caller.
        QTRY_VERIFY_WITH_TIMEOUT(m_floor.call(leg, u"/recording.json"_s)[u"rms"_s].toDouble() > 500, SipWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->voice().callQuality(), SipWaitMs);
        const auto heard = WavAudio::read(agentRecording());
        QVERIFY2(heard.ok(), heard.ok() ? "" : qPrintable(heard.error().message));
        QVERIFY2(heard->rms() > 500, qPrintable(u"RMS %1"_s.arg(heard->rms())));
    }

    void aKilledRegistrarTakesTheAgentOutUntilItIsBack()
    {
        m_app->signIn(m_floor.serverUrl(), u"alice"_s, u"alice-password"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->voice().registration(), VoiceRegistration::Registered, SipWaitMs);
        m_app->session().setStatus(AgentStatus::Available);
        QTRY_VERIFY2_WITH_TIMEOUT(m_floor.agent(u"alice"_s)[u"readiness"_s][u"ready"_s].toBool(),
                                  QJsonDocument(m_floor.agent(u"alice"_s)).toJson().constData(), SipWaitMs);

        // kill -9 of the SIP domain (its whole process group: Kamailio's workers too).
        const qint64 kamailio = kamailioOf(m_floor.sim().pid());
        QVERIFY2(kamailio > 0, "the stand-in's Kamailio was not found");
        const pid_t group = getpgid(pid_t(kamailio));
        QVERIFY(group > 0 && group != getpgrp());
        QCOMPARE(::kill(-group, SIGKILL), 0);

        // The softphone notices its connection gone; the server offers alice nothing meanwhile.
        QTRY_COMPARE_WITH_TIMEOUT(m_app->voice().registration(), VoiceRegistration::Failed, SipWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_floor.agent(u"alice"_s)[u"readiness"_s][u"failedGates"_s].toArray().contains(
                                     QJsonObject {{u"gate"_s, u"voice_not_registered"_s},
                                                  {u"reason"_s, u"voice line not registered, calls cannot ring"_s}}),
                                 SipWaitMs);
        QVERIFY(!m_floor.agent(u"alice"_s)[u"readiness"_s][u"ready"_s].toBool());

        // The domain comes back on its addresses; the softphone registers again by itself.
        QTRY_COMPARE_WITH_TIMEOUT(m_app->voice().registration(), VoiceRegistration::Registered, SipWaitMs);
        QTRY_VERIFY2_WITH_TIMEOUT(m_floor.agent(u"alice"_s)[u"readiness"_s][u"ready"_s].toBool(),
                                  QJsonDocument(m_floor.agent(u"alice"_s)).toJson().constData(), SipWaitMs);
        const QString caller = m_floor.placeCall();
        QTRY_COMPARE_WITH_TIMEOUT(m_app->call().phase(), CallPhase::Ringing, SipWaitMs);
        QCOMPARE(m_app->call().details().parentCallSid, caller);
    }

    void signingOutUnregistersTheSoftphone()
    {
        m_app->signIn(m_floor.serverUrl(), u"alice"_s, u"alice-password"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->voice().registration(), VoiceRegistration::Registered, SipWaitMs);
        SipVoiceEndpoint *softphone = m_app->sipVoice();
        QVERIFY(softphone);
        m_app->signOut();
        QTRY_COMPARE_WITH_TIMEOUT(m_app->session().state(), ConnectionState::SignedOut, SipWaitMs);
        // Unregistered before the logout replaced the password: the registrar took it.
        QCOMPARE(softphone->sipRegistration().state, SipRegistrationState::Cleared);

        // The password of that login is replaced at logout: signing in again hands out a new one,
        // and the softphone registers with it.
        m_app->signIn(m_floor.serverUrl(), u"alice"_s, u"alice-password"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->voice().registration(), VoiceRegistration::Registered, SipWaitMs);
    }
};

QTEST_MAIN(TestAgentSipCall)
#include "tst_agent_sip_call.moc"
