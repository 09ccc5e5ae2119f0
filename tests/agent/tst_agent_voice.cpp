// The voice endpoint and the call card, against a small voice server that speaks the Twilio
// stand-in's voice-client signaling: the agent's identity registers (and the server hears it),
// an offered call rings with the server's screen pop, Accept / Decline / Hang up reach the voice
// server, the call timer follows the clock, and a lost voice connection registers again.

#include <QTest>

#include "AgentAppFixture.h"
#include "FakeVoiceServer.h"
#include "realtime/AgentSocketServer.h"
#include "voice/SimVoiceEndpoint.h"
#include "voice/SimVoiceMessages.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {
const QString Leg = u"CA11111111111111111111111111111111"_s;
const QString Parent = u"CA22222222222222222222222222222222"_s;
} // namespace

class TestAgentVoice final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AgentAppFixture> m_app;
    std::unique_ptr<FakeVoiceServer> m_voice;

    QPushButton *button(const QString &name) { return m_app->find<QPushButton>(name); }
    QString checkState(const QString &id)
    {
        return m_app->find<QWidget>(u"check-"_s + id)->property("checkState").toString();
    }

    /// The server's screen pop, then the voice offer: what a routed call looks like to the app.
    void ring()
    {
        AgentCallOffered offer;
        offer.callSid = Parent;
        offer.from = u"+15550100"_s;
        offer.to = u"+15550199"_s;
        offer.queue = u"support"_s;
        offer.waitSeconds = 42;
        offer.offeredAtMs = m_app->server().clock().nowMs();
        QVERIFY(m_app->server().server().agentSockets()->send(u"alice"_s, offer));
        QSignalSpy offered(&m_app->session(), &ServerSession::callOffered);
        QVERIFY(offered.wait(10'000));
        m_voice->offer(Leg, Parent, u"+15550100"_s, u"client:alice"_s);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Ringing));
    }

private Q_SLOTS:
    void init()
    {
        m_voice = std::make_unique<FakeVoiceServer>();
        QVERIFY(m_voice->listen());
        m_app = std::make_unique<AgentAppFixture>();
        QVERIFY2(m_app->startServer(), qPrintable(m_app->server().error()));
        m_app->startApp();
        m_app->controller().setVoiceUrl(m_voice->url());
        QVERIFY(m_app->signInAlice());
        QTRY_COMPARE(int(m_app->controller().voice().registration()), int(VoiceRegistration::Registered));
    }
    void cleanup()
    {
        m_app.reset();
        m_voice.reset();
    }

    void theAgentIdRegistersAndTheServerKnows()
    {
        QCOMPARE(m_voice->lastIdentity(), u"alice"_s); // the <Client> identity the server dials
        QTRY_COMPARE(m_app->alice().snapshot.devices.voiceRegistered, std::optional<bool>(true));
        QCOMPARE(checkState(u"voice"_s), u"pass"_s);
    }

    void anOfferRingsWithTheScreenPop()
    {
        ring();
        QVERIFY(m_app->window().ringer().isRinging());
        QVERIFY(m_app->find<QWidget>(u"ringingPage"_s)->isVisible());
        QCOMPARE(m_app->text(u"callerLabel"_s), u"+15550100"_s);
        QCOMPARE(m_app->text(u"callDetails"_s), u"Queue: support  ·  waited 00:42"_s);
        QVERIFY(m_app->window().isVisible());
    }

    void acceptingReachesTheVoiceServerAndTheTimerRuns()
    {
        ring();
        QTest::mouseClick(button(u"acceptButton"_s), Qt::LeftButton);
        const QJsonObject accept = m_voice->nextOfType(u"accept"_s);
        QCOMPARE(accept.value(u"callSid"_s).toString(), Leg);
        QVERIFY(!m_app->window().ringer().isRinging());
        QCOMPARE(m_app->text(u"callTimer"_s), u"Connecting…"_s);

        m_voice->event(u"connected"_s, Leg);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Connected));
        QCOMPARE(m_app->text(u"callTimer"_s), u"00:00"_s);
        m_app->clock().advanceSeconds(65);
        QTRY_COMPARE(m_app->text(u"callTimer"_s), u"01:05"_s);
        QCOMPARE(m_app->text(u"talkingCaller"_s), u"+15550100"_s);

        QTest::mouseClick(button(u"hangupButton"_s), Qt::LeftButton);
        QCOMPARE(m_voice->nextOfType(u"hangup"_s).value(u"callSid"_s).toString(), Leg);
        QCOMPARE(m_app->text(u"callIdleText"_s), u"Last call: +15550100, 01:05."_s);
    }

    void autoAnswerPicksUpAfterTheChosenTime()
    {
        m_app->controller().call().setAutoAnswerMs(5000);
        ring();
        QCOMPARE(m_app->text(u"autoAnswerLabel"_s), u"Answers by itself in 5 s"_s);
        m_app->clock().advanceSeconds(4);
        m_app->controller().call().poll();
        QCOMPARE(int(m_app->controller().call().phase()), int(CallPhase::Ringing));
        m_app->clock().advanceSeconds(1);
        m_app->controller().call().poll();
        QCOMPARE(m_voice->nextOfType(u"accept"_s).value(u"callSid"_s).toString(), Leg);
        QCOMPARE(int(m_app->controller().call().phase()), int(CallPhase::Answering));
        // This endpoint cannot mute: no button that does nothing.
        m_voice->event(u"connected"_s, Leg);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Connected));
        QVERIFY(!button(u"muteButton"_s)->isVisible());
    }

    void theServersCallEndedEndsARingingCall()
    {
        // The offer rang out at the server (Dial timeout) while the voice line still shows it.
        ring();
        m_app->controller().call().serverEnded(AgentCallEnded {Parent, u"no-answer"_s});
        QCOMPARE(int(m_app->controller().call().phase()), int(CallPhase::Ended));
        QCOMPARE(m_voice->nextOfType(u"reject"_s).value(u"callSid"_s).toString(), Leg);
        QVERIFY(!m_app->window().ringer().isRinging());
        QCOMPARE(m_app->text(u"callIdleText"_s), u"The call from +15550100 rang out: it went to someone else."_s);
        // Another call's end changes nothing.
        ring();
        m_app->controller().call().serverEnded(AgentCallEnded {u"CAother"_s, u"completed"_s});
        QCOMPARE(int(m_app->controller().call().phase()), int(CallPhase::Ringing));
    }

    void decliningReachesTheVoiceServer()
    {
        ring();
        QTest::mouseClick(button(u"declineButton"_s), Qt::LeftButton);
        QCOMPARE(m_voice->nextOfType(u"reject"_s).value(u"callSid"_s).toString(), Leg);
        QVERIFY(!m_app->window().ringer().isRinging());
        QCOMPARE(m_app->text(u"callIdleText"_s), u"You declined the call from +15550100."_s);
    }

    void callerHangingUpStopsTheRing()
    {
        ring();
        m_voice->event(u"canceled"_s, Leg);
        QTRY_VERIFY(!m_app->window().ringer().isRinging());
        QCOMPARE(m_app->text(u"callIdleText"_s), u"The caller +15550100 hung up before you answered."_s);
    }

    void callerEndingTheCallEndsIt()
    {
        ring();
        QTest::mouseClick(button(u"acceptButton"_s), Qt::LeftButton);
        m_voice->event(u"connected"_s, Leg);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Connected));
        m_app->clock().advanceSeconds(10);
        m_voice->event(u"disconnected"_s, Leg);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Ended));
        QCOMPARE(m_app->text(u"callIdleText"_s), u"Last call: +15550100, 00:10."_s);
    }

    void aSecondOfferDuringACallIsDeclined()
    {
        ring();
        QTest::mouseClick(button(u"acceptButton"_s), Qt::LeftButton);
        m_voice->event(u"connected"_s, Leg);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Connected));
        m_voice->offer(u"CA33333333333333333333333333333333"_s, u"CA4"_s, u"+15550177"_s, u"client:alice"_s);
        QCOMPARE(m_voice->nextOfType(u"reject"_s).value(u"callSid"_s).toString(),
                 u"CA33333333333333333333333333333333"_s);
        QCOMPARE(int(m_app->controller().call().phase()), int(CallPhase::Connected));
        QCOMPARE(m_app->text(u"talkingCaller"_s), u"+15550100"_s);
    }

    void aLostVoiceConnectionRegistersAgain()
    {
        auto &endpoint = static_cast<SimVoiceEndpoint &>(m_app->controller().voice());
        m_voice->dropClients();
        QTRY_COMPARE(int(endpoint.registration()), int(VoiceRegistration::Connecting));
        // The server hears at once that calls cannot ring here, and so does the agent.
        QTRY_COMPARE(m_app->alice().snapshot.devices.voiceRegistered, std::optional<bool>(false));
        QCOMPARE(checkState(u"voice"_s), u"fail"_s);
        QCOMPARE(endpoint.reconnectAtMs() - m_app->clock().nowMs(), 1000);
        m_app->clock().setNowMs(endpoint.reconnectAtMs());
        endpoint.poll();
        QTRY_COMPARE(int(endpoint.registration()), int(VoiceRegistration::Registered));
        QTRY_COMPARE(m_app->alice().snapshot.devices.voiceRegistered, std::optional<bool>(true));
    }

    void aRefusedRegistrationIsShown()
    {
        m_voice->setRefusal(u"register needs an Access Token"_s);
        m_app->controller().setVoiceUrl(QUrl());
        m_app->controller().setVoiceUrl(m_voice->url());
        QTRY_COMPARE(int(m_app->controller().voice().registration()), int(VoiceRegistration::Failed));
        QCOMPARE(checkState(u"voice"_s), u"fail"_s);
        QCOMPARE(m_app->find<QWidget>(u"check-voice"_s)->findChild<QLabel *>(u"checkDetail"_s)->text(),
                 u"The voice server refused this app: register needs an Access Token"_s);
    }

    void noVoiceServerMeansCallsCannotRing()
    {
        m_app->controller().setVoiceUrl(QUrl());
        QCOMPARE(int(m_app->controller().voice().registration()), int(VoiceRegistration::NotConfigured));
        QTRY_COMPARE(m_app->alice().snapshot.devices.voiceRegistered, std::optional<bool>(false));
        QCOMPARE(m_app->find<QWidget>(u"check-voice"_s)->findChild<QLabel *>(u"checkFix"_s)->text(),
                 u"Enter the voice server address in Settings."_s);
    }

    void simMessages_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::newRow("not json") << QByteArray("{nope") << u"malformed_json"_s << QString();
        QTest::newRow("array") << QByteArray("[]") << u"malformed_json"_s << QString();
        QTest::newRow("no type") << QByteArray("{}") << u"missing_field"_s << u"type"_s;
        QTest::newRow("unknown type") << QByteArray(R"({"type":"dance"})") << u"unknown_type"_s << u"type"_s;
        QTest::newRow("incoming without callSid")
            << QByteArray(R"({"type":"incoming","from":"+1"})") << u"missing_field"_s << u"callSid"_s;
        QTest::newRow("connected with a number")
            << QByteArray(R"({"type":"connected","callSid":7})") << u"wrong_type"_s << u"callSid"_s;
        QTest::newRow("registered without identity")
            << QByteArray(R"({"type":"registered","identity":""})") << u"invalid_value"_s << u"identity"_s;
        QTest::newRow("incoming") << QByteArray(R"({"type":"incoming","callSid":"CA1","parentCallSid":"CA0",)"
                                                R"("from":"+1","to":"client:a","params":{"k":"v"}})")
                                  << QString() << QString();
    }
    void simMessages()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const auto parsed = simvoice::parse(raw);
        if (code.isEmpty()) {
            QVERIFY(parsed.ok());
            const auto &incoming = std::get<simvoice::Incoming>(parsed.value());
            QCOMPARE(incoming.call.parentCallSid, u"CA0"_s);
            QCOMPARE(incoming.call.params.value(u"k"_s).toString(), u"v"_s);
            return;
        }
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, code);
        QCOMPARE(parsed.error().field, field);
    }
};

QTEST_MAIN(TestAgentVoice)
#include "tst_agent_voice.moc"
