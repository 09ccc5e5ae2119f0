// The agent app's voice endpoint against the real Twilio stand-in: it registers the agent's client
// identity, rings when the stand-in dials that client, and accepting connects the call there.

#include <QSignalSpy>
#include <QTest>

#include "SimFixture.h"
#include "voice/SimVoiceEndpoint.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestAgentWithSim final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void incomingCallRingsAndAcceptingReachesTheSim()
    {
        SimFixture sim;
        QVERIFY(sim.start());
        sim.hooks.twiml.insert(u"/voice"_s, response(R"(<Dial timeout="20"><Client>alice</Client></Dial>)"));

        QUrl voiceUrl = sim.sim->baseUrl();
        voiceUrl.setScheme(u"ws"_s);
        voiceUrl.setPath(u"/voice"_s);
        SimVoiceEndpoint endpoint(
            voiceUrl, sim.clock, [] { return 0.5; }, SimVoiceEndpoint::Options {});
        QSignalSpy registered(&endpoint, &VoiceEndpoint::registrationChanged);
        endpoint.start(u"alice"_s);
        QTRY_COMPARE(int(endpoint.registration()), int(VoiceRegistration::Registered));
        QCOMPARE(endpoint.identity(), u"alice"_s);

        QSignalSpy incoming(&endpoint, &VoiceEndpoint::incoming);
        QSignalSpy connected(&endpoint, &VoiceEndpoint::connected);
        const QString call = sim.placeCall(u"+15551112222"_s);
        QVERIFY(incoming.wait(10'000));
        const IncomingCall ring = incoming.first().first().value<IncomingCall>();
        QCOMPARE(ring.parentCallSid, call);
        QCOMPARE(ring.from, u"+15551112222"_s);

        endpoint.accept(ring.callSid);
        QVERIFY(connected.wait(10'000));
        QVERIFY(sim.settle());
        QCOMPARE(sim.call(ring.callSid).status, u"in-progress"_s);
        QVERIFY(sim.hasEvent(call, u"answered"_s) || sim.call(call).status == u"in-progress"_s);

        // Hanging up in the app ends the bridge at the stand-in.
        endpoint.hangup(ring.callSid);
        QTRY_COMPARE(sim.call(ring.callSid).status, u"completed"_s);
    }
};

QTEST_MAIN(TestAgentWithSim)
#include "tst_agent_with_sim.moc"
