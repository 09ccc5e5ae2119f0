// Walk-aways, seen before a call rings out: after the server's prompt time without keyboard or mouse
// input (outside calls) the app asks "Still there?"; unanswered within the grace period it reports
// presence idle over /ws/agent and the server offers no calls (gate `idle`) until the next input.
// A call that rang out keeps the agent from offers (gate `rang_out`) until the app reports input,
// which it does at once. The real app against a real in-process server, with the desktop's input
// played by a ManualIdleSource on the app's ManualClock.

#include <QTest>

#include "AgentAppFixture.h"
#include "FakeVoiceServer.h"
#include "desktop/IdleWatch.h"
#include "realtime/AgentSocketServer.h"
#include "ui/StillTherePrompt.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {
const QString Leg = u"CA11111111111111111111111111111111"_s;
const QString Parent = u"CA22222222222222222222222222222222"_s;
constexpr int PromptSeconds = 60;
constexpr int GraceSeconds = 20;
constexpr int QuietSeconds = 25;

/// A desktop whose idle time the test sets outright, as a real one reads: a little late now and then.
class ScriptedIdleSource final : public IdleSource
{
public:
    [[nodiscard]] std::optional<qint64> idleMs() override { return value; }
    [[nodiscard]] QString name() const override { return u"scripted"_s; }
    std::optional<qint64> value;
};

bool hasGate(const ReadinessResult &readiness, const QString &gate)
{
    return std::any_of(readiness.failedGates.cbegin(), readiness.failedGates.cend(),
                       [&](const ReadinessGate &failed) { return failed.gate == gate; });
}
} // namespace

class TestAgentIdle final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AgentAppFixture> m_app;

    void start(int promptSeconds = PromptSeconds)
    {
        m_app = std::make_unique<AgentAppFixture>();
        QVERIFY2(m_app->startServer({{u"IDLE_PROMPT_SECONDS"_s, QString::number(promptSeconds)},
                                     {u"IDLE_GRACE_SECONDS"_s, QString::number(GraceSeconds)},
                                     {u"INPUT_QUIET_SECONDS"_s, QString::number(QuietSeconds)},
                                     // pings rare enough that moving the server's clock is no dead socket
                                     {u"WS_PING_INTERVAL"_s, u"300"_s}}),
                 qPrintable(m_app->server().error()));
        m_app->startApp({}, {}, true);
        QVERIFY(m_app->signInAlice());
        QVERIFY(m_app->startVoiceLine());
        m_app->find<StatusSelector>(u"statusSelector"_s)->choose(AgentStatus::Available);
        QTRY_COMPARE(m_app->text(u"readinessHeadline"_s), u"Ready for calls"_s);
        QTRY_VERIFY(m_app->alice().readiness.ready);
    }

    IdleWatch &watch() { return m_app->controller().idleWatch(); }
    StillTherePrompt *prompt() { return m_app->find<StillTherePrompt>(u"stillTherePrompt"_s); }

    /// The app's clock moves on by `seconds` without input; what is due by then is done (heartbeats
    /// first, so that what follows is the idle watch's own doing).
    void quietFor(qint64 seconds)
    {
        m_app->clock().advanceSeconds(seconds);
        m_app->session().poll();
        watch().poll();
    }
    /// A key press or a mouse move on the desktop, seen at the idle watch's next look.
    void input()
    {
        m_app->idle().input();
        watch().poll();
    }
    /// Heartbeats sent so far have reached the server (so a later change is no heartbeat's doing).
    void settle()
    {
        QSignalSpy acked(&m_app->session(), &ServerSession::heartbeatAcknowledged);
        m_app->clock().setNowMs(m_app->session().nextHeartbeatAtMs());
        m_app->session().poll();
        QVERIFY(acked.wait(10'000));
    }

    void ring()
    {
        AgentCallOffered offer;
        offer.callSid = Parent;
        offer.from = u"+15550100"_s;
        offer.to = u"+15550199"_s;
        offer.offeredAtMs = m_app->server().clock().nowMs();
        QVERIFY(m_app->server().server().agentSockets()->send(u"alice"_s, offer));
        m_app->voiceServer().offer(Leg, Parent, u"+15550100"_s, u"client:alice"_s);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Ringing));
    }

private Q_SLOTS:
    void cleanup() { m_app.reset(); }

    void theQuestionComesAtTheServersTimeAndInputAnswersIt()
    {
        start();
        QCOMPARE(m_app->session().idlePromptSeconds(), PromptSeconds);
        input();
        quietFor(PromptSeconds - 1);
        QVERIFY(!prompt()->isVisible());

        quietFor(1);
        QVERIFY(prompt()->isVisible());
        QCOMPARE(m_app->text(u"stillThereTitle"_s), u"Still there?"_s);
        QCOMPARE(m_app->text(u"stillThereText"_s),
                 u"No keyboard or mouse input for 1 min. Calls stop coming to you in 20 s unless you answer."_s);
        quietFor(5);
        QVERIFY(m_app->text(u"stillThereText"_s).contains(u"in 15 s"_s));

        // Any input answers it: the agent is back at the desk, and the server never heard otherwise.
        input();
        QVERIFY(!prompt()->isVisible());
        QCOMPARE(int(watch().stage()), int(IdleStage::Present));
        QCOMPARE(m_app->alice().snapshot.presenceIdle, false);
        // The idle time goes with every report, counted from the last input.
        quietFor(7);
        QCOMPARE(m_app->session().outgoingDevices().idleSeconds, std::optional<double>(7.0));
        QCOMPARE(m_app->session().outgoingDevices().presence, std::optional<Presence>(Presence::Active));
    }

    void imHereAnswersTheQuestion()
    {
        start();
        quietFor(PromptSeconds);
        QVERIFY(prompt()->isVisible());
        QTest::mouseClick(m_app->find<QPushButton>(u"imHereButton"_s), Qt::LeftButton);
        QVERIFY(!prompt()->isVisible());
        // The grace period passes without a question open: nothing is reported idle.
        quietFor(GraceSeconds);
        QCOMPARE(int(watch().stage()), int(IdleStage::Present));
        QVERIFY(!prompt()->isVisible());
        // The click counts as input: the quiet time starts again from it.
        QCOMPARE(m_app->session().outgoingDevices().idleSeconds, std::optional<double>(GraceSeconds));
    }

    void noQuestionDuringACallAndQuietCountsFromItsEnd()
    {
        start();
        input();
        ring();
        quietFor(2 * PromptSeconds); // the headset rings; the desk is quiet
        QVERIFY(!prompt()->isVisible());
        QTest::mouseClick(m_app->find<QPushButton>(u"acceptButton"_s), Qt::LeftButton);
        m_app->voiceServer().event(u"connected"_s, Leg);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Connected));
        quietFor(5 * PromptSeconds); // talking, not typing
        QVERIFY(!prompt()->isVisible());

        m_app->voiceServer().event(u"disconnected"_s, Leg);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Ended));
        quietFor(PromptSeconds - 1);
        QVERIFY(!prompt()->isVisible());
        quietFor(1);
        QVERIFY(prompt()->isVisible());
    }

    void anUnansweredQuestionStopsCallsUntilInput()
    {
        start();
        input();
        quietFor(PromptSeconds);
        quietFor(GraceSeconds - 1);
        QCOMPARE(int(watch().stage()), int(IdleStage::Asking));
        QVERIFY(!m_app->alice().snapshot.presenceIdle);

        // The grace period is over: the server hears it at once, not with the next heartbeat.
        m_app->clock().advanceSeconds(1);
        m_app->session().poll(); // a heartbeat due by now goes first
        const qint64 heartbeatDue = m_app->session().nextHeartbeatAtMs();
        watch().poll();
        QCOMPARE(int(watch().stage()), int(IdleStage::Away));
        QTRY_VERIFY(m_app->alice().snapshot.presenceIdle);
        QCOMPARE(m_app->session().nextHeartbeatAtMs(), heartbeatDue);
        QVERIFY(hasGate(m_app->alice().readiness, u"idle"_s));
        QVERIFY(!m_app->alice().readiness.ready);

        // The card says why calls stopped and what brings them back; so does the banner.
        QTRY_COMPARE(m_app->text(u"readinessHeadline"_s), u"Calls paused until you are back"_s);
        QVERIFY(m_app->text(u"readinessReasons"_s).contains(u"Still there?"_s));
        QVERIFY(m_app->text(u"readinessReasons"_s).contains(u"Move the mouse or press a key"_s));
        QVERIFY(prompt()->isVisible());
        QVERIFY(m_app->text(u"stillThereTitle"_s).startsWith(u"Calls stopped"_s));

        // More quiet changes nothing; the first input makes the agent offerable again at once.
        quietFor(10 * PromptSeconds);
        QVERIFY(m_app->alice().snapshot.presenceIdle);
        settle();
        const qint64 nextDue = m_app->session().nextHeartbeatAtMs();
        input();
        QTRY_VERIFY(!m_app->alice().snapshot.presenceIdle);
        QCOMPARE(m_app->session().nextHeartbeatAtMs(), nextDue);
        QTRY_VERIFY(!hasGate(m_app->alice().readiness, u"idle"_s));
        QVERIFY(m_app->alice().readiness.ready);
        QTRY_COMPARE(m_app->text(u"readinessHeadline"_s), u"Ready for calls"_s);
        QVERIFY(!prompt()->isVisible());
    }

    void aCallThatRangOutWaitsForInput()
    {
        start(3600); // no "Still there?" in the way: this is about the ring-out alone
        input();
        quietFor(30); // the agent stepped away half a minute ago
        settle();
        AgentService &agents = *m_app->server().server().agents();
        QVERIFY(agents.reserve(u"alice"_s, Parent));
        m_app->server().clock().advanceSeconds(15);
        QSignalSpy ended(&m_app->session(), &ServerSession::callEnded);
        QVERIFY(!agents.offerUnanswered(u"alice"_s, Parent, OfferOutcome::NoAnswer));
        QVERIFY(ended.wait(10'000));
        QCOMPARE(ended.first().first().value<AgentCallEnded>().outcome, u"no-answer"_s);
        QVERIFY(hasGate(m_app->alice().readiness, u"rang_out"_s));
        QTRY_VERIFY(m_app->text(u"readinessReasons"_s).contains(u"A call rang out here"_s));

        // Past the cooldown, a heartbeat's idle time shows no input since: still not offerable.
        m_app->server().clock().advanceSeconds(20);
        settle();
        QVERIFY(hasGate(m_app->alice().readiness, u"rang_out"_s));
        QVERIFY(!m_app->alice().readiness.ready);

        // The agent touches the mouse: reported at once, and the server offers calls again.
        m_app->server().clock().advanceSeconds(1);
        const qint64 heartbeatDue = m_app->session().nextHeartbeatAtMs();
        input();
        QTRY_VERIFY(!hasGate(m_app->alice().readiness, u"rang_out"_s));
        QCOMPARE(m_app->session().nextHeartbeatAtMs(), heartbeatDue);
        QVERIFY(m_app->alice().readiness.ready);
        QTRY_COMPARE(m_app->text(u"readinessHeadline"_s), u"Ready for calls"_s);
        QVERIFY(!prompt()->isVisible());
    }

    void aQuietDeskIsReportedAtOnceAndSoIsTheInputAfterIt()
    {
        start();
        QCOMPARE(m_app->session().inputQuietSeconds(), QuietSeconds);
        settle();
        input();
        const qint64 heartbeatDue = m_app->session().nextHeartbeatAtMs(); // 30 s away: none in this test's way
        quietFor(QuietSeconds - 1);
        QVERIFY(!watch().isQuiet());
        QVERIFY(!m_app->alice().inputQuiet);

        // Quiet long enough: the server hears it at once (routing offers this desk after the others),
        // and it stays ready: a quiet agent is offered calls when nobody else is ready.
        quietFor(1);
        QVERIFY(watch().isQuiet());
        QTRY_VERIFY(m_app->alice().inputQuiet);
        QCOMPARE(m_app->session().nextHeartbeatAtMs(), heartbeatDue);
        QVERIFY(m_app->alice().readiness.ready);
        QVERIFY(!prompt()->isVisible());

        // The first input is news too, at once.
        m_app->clock().advanceSeconds(3);
        input();
        QVERIFY(!watch().isQuiet());
        QTRY_VERIFY(!m_app->alice().inputQuiet);
        QCOMPARE(m_app->session().nextHeartbeatAtMs(), heartbeatDue);

        // Through the question and the away stage the desk stays quiet on the server; away wins.
        quietFor(PromptSeconds);
        quietFor(GraceSeconds);
        QTRY_VERIFY(m_app->alice().snapshot.presenceIdle);
        QCOMPARE(m_app->session().outgoingDevices().presence, std::optional<Presence>(Presence::Idle));
        input();
        QTRY_VERIFY(!m_app->alice().snapshot.presenceIdle);
        QVERIFY(!m_app->alice().inputQuiet);
    }

    void aTalkIsActivityARingOutIsNot()
    {
        start();
        input();
        quietFor(QuietSeconds);
        QTRY_VERIFY(m_app->alice().inputQuiet);
        // A call rings: not a quiet desk while it does.
        ring();
        QVERIFY(!watch().isQuiet());
        QTRY_VERIFY(!m_app->alice().inputQuiet);
        quietFor(10);
        // Nobody answered: the desk has been quiet since the last input, not since the ringing stopped.
        m_app->voiceServer().event(u"canceled"_s, Leg);
        QTRY_VERIFY(m_app->controller().call().phase() != CallPhase::Ringing);
        watch().poll();
        QVERIFY(watch().isQuiet());
        QTRY_VERIFY(m_app->alice().inputQuiet);
        quietFor(PromptSeconds - QuietSeconds - 10);
        QVERIFY(prompt()->isVisible());
    }

    void promptTimeZeroAsksNothingButReportsIdleTime()
    {
        start(0);
        quietFor(3600);
        QVERIFY(!prompt()->isVisible());
        QCOMPARE(int(watch().stage()), int(IdleStage::Present));
        QCOMPARE(m_app->session().outgoingDevices().idleSeconds, std::optional<double>(3600.0));
        settle();
        QVERIFY(m_app->alice().watchesInput);
        QVERIFY(m_app->alice().readiness.ready);
    }

    void onlyAnAvailableAgentIsAsked()
    {
        start();
        m_app->find<StatusSelector>(u"statusSelector"_s)->choose(AgentStatus::Away, u"lunch"_s);
        QTRY_COMPARE(toString(m_app->session().status().status), u"away"_s);
        quietFor(PromptSeconds + GraceSeconds);
        QVERIFY(!prompt()->isVisible());
        QCOMPARE(int(watch().stage()), int(IdleStage::Present));
        // Back from lunch and available: an open question closes when the agent goes away again.
        input();
        m_app->find<StatusSelector>(u"statusSelector"_s)->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->session().status().status), u"available"_s);
        quietFor(PromptSeconds);
        QVERIFY(prompt()->isVisible());
        m_app->find<StatusSelector>(u"statusSelector"_s)->choose(AgentStatus::Away, u"break"_s);
        QTRY_COMPARE(toString(m_app->session().status().status), u"away"_s);
        QVERIFY(!prompt()->isVisible());
    }

    void jitterOfARealSourceIsNoInput()
    {
        ManualClock clock;
        ScriptedIdleSource desktop;
        IdleWatch watch(clock, &desktop, 0);
        watch.setTimes(PromptSeconds, GraceSeconds);
        watch.setAskingAllowed(true);
        QSignalSpy inputs(&watch, &IdleWatch::inputSeen);
        desktop.value = 40'000;
        watch.poll();
        // A second later the source answers 40 ms late: the same last input, read a bit off.
        clock.advanceMs(1000);
        desktop.value = 40'960;
        watch.poll();
        QCOMPARE(inputs.size(), 0);
        clock.advanceMs(18'999);
        desktop.value = 59'999;
        watch.poll();
        QCOMPARE(int(watch.stage()), int(IdleStage::Present));
        clock.advanceMs(1);
        desktop.value = 60'000;
        watch.poll();
        QCOMPARE(int(watch.stage()), int(IdleStage::Asking));
        // Real input: the idle time drops.
        clock.advanceMs(1000);
        desktop.value = 300;
        watch.poll();
        QCOMPARE(inputs.size(), 1);
        QCOMPARE(int(watch.stage()), int(IdleStage::Present));
        // An idle time beyond what the server takes is reported as the most it takes, not refused.
        desktop.value = qint64(MaxIdleSeconds * 1000) * 2;
        QCOMPARE(watch.idleSeconds(), std::optional<double>(MaxIdleSeconds));
    }

    void aDesktopThatCannotTellAsksNothing()
    {
        start();
        m_app->idle().setKnown(false);
        quietFor(PromptSeconds + GraceSeconds);
        QVERIFY(!prompt()->isVisible());
        QCOMPARE(m_app->session().outgoingDevices().idleSeconds, std::nullopt);
        QCOMPARE(m_app->session().outgoingDevices().presence, std::optional<Presence>(Presence::Active));
    }
};

QTEST_MAIN(TestAgentIdle)
#include "tst_agent_idle.moc"
