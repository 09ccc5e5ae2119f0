// The agent's status between the app and a real server: a choice in the window or the tray
// reaches the server; a status a supervisor or the server imposes shows up in the window and the
// tray; heartbeats follow the interval the server sets; the window, the tray and the readiness card
// always show the server's status, including a call ringing, answered or wrapped up between heartbeats.

#include <QMenu>
#include <QTest>

#include "AgentAppFixture.h"
#include "ui/StatusText.h"
#include "ui/TrayIcon.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {
const QString CallSid = u"CA0123456789abcdef0123456789abcdef"_s;
} // namespace

class TestAgentStatus final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AgentAppFixture> m_app;

    StatusSelector *selector() { return m_app->find<StatusSelector>(u"statusSelector"_s); }
    AgentService &agents() { return *m_app->server().server().agents(); }
    QString headline() { return m_app->text(u"readinessHeadline"_s); }

    void start(const QHash<QString, QString> &serverSettings = {})
    {
        m_app.reset();
        m_app = std::make_unique<AgentAppFixture>();
        QVERIFY2(m_app->startServer(serverSettings), qPrintable(m_app->server().error()));
        m_app->startApp();
        QVERIFY(m_app->signInAlice());
    }

    /// Available with a working voice line, the card saying so, and every message the app sent
    /// taken by the server: what the card shows from here on comes from the server alone.
    void becomeReady()
    {
        QVERIFY(m_app->startVoiceLine());
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(headline(), u"Ready for calls"_s);
        QTRY_COMPARE(m_app->alice().snapshot.devices.voiceRegistered, std::optional<bool>(true));
        QTRY_VERIFY(m_app->alice().readiness.ready);
    }

private Q_SLOTS:
    void init() { start(); }
    void cleanup() { m_app.reset(); }

    void choosingAvailableReachesTheServer()
    {
        QVERIFY(m_app->startVoiceLine());
        QTRY_COMPARE(int(m_app->controller().voice().registration()), int(VoiceRegistration::Registered));
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        // The server's answer comes back as readiness: ready, with nothing to fix.
        QTRY_COMPARE(m_app->text(u"readinessHeadline"_s), u"Ready for calls"_s);
        QCOMPARE(m_app->text(u"readinessScore"_s), QString::number(m_app->alice().readiness.score));
        QCOMPARE(m_app->window().tray().iconName(), u"available"_s);
    }

    void choosingAwayWithAReasonReachesTheServer()
    {
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        selector()->choose(AgentStatus::Away, u"lunch"_s);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"away"_s);
        QCOMPARE(m_app->alice().snapshot.awayReason, u"lunch"_s);
        // Not ready, and the window says why in the server's words.
        QTRY_COMPARE(m_app->text(u"readinessHeadline"_s), u"Not ready for calls"_s);
        QVERIFY(m_app->text(u"readinessReasons"_s).contains(u"Status is away (lunch)"_s));
        QCOMPARE(selector()->currentText(), u"Away · Lunch"_s);
        QCOMPARE(m_app->window().tray().iconName(), u"away"_s);
    }

    void trayMenuSetsTheStatus()
    {
        QMenu *menu = m_app->window().tray().menu();
        QAction *offline = nullptr;
        for (QAction *action : menu->actions()) {
            if (action->text() == u"Offline"_s)
                offline = action;
        }
        QVERIFY(offline);
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        offline->trigger();
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"offline"_s);
        QTRY_COMPARE(selector()->currentText(), u"Offline"_s);
        QCOMPARE(m_app->window().tray().iconName(), u"offline"_s);
    }

    void supervisorStatusShowsUp()
    {
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        QVERIFY(agents().setStatus(u"alice"_s, AgentStatus::Away, u"coaching"_s, StatusChangeSource::Supervisor,
                                   u"supervisor"_s));
        QTRY_COMPARE(selector()->currentText(), u"Away · Coaching"_s);
        QLabel *notice = m_app->find<QLabel>(u"notice"_s);
        QVERIFY(notice->isVisible());
        QCOMPARE(notice->text(), u"A supervisor changed your status (coaching)."_s);
        QCOMPARE(m_app->window().tray().iconName(), u"away"_s);
        // The supervisor's choice is the app's now: nothing is "changing" back to the agent's old one.
        QVERIFY(!m_app->find<QLabel>(u"pendingStatus"_s)->isVisible());

        // Routine heartbeats keep what the supervisor set instead of fighting it.
        QSignalSpy acked(&m_app->session(), &ServerSession::heartbeatAcknowledged);
        m_app->clock().advanceSeconds(m_app->session().heartbeatIntervalSeconds());
        m_app->session().poll();
        QVERIFY(acked.wait(10'000));
        QCOMPARE(toString(m_app->alice().snapshot.status), u"away"_s);
        QCOMPARE(selector()->currentText(), u"Away · Coaching"_s);
    }

    void noAnswerAwayIsExplained()
    {
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        QVERIFY(agents().setStatus(u"alice"_s, AgentStatus::Away, u"no-answer"_s, StatusChangeSource::Server,
                                   u"no-answer"_s));
        QTRY_COMPARE(selector()->currentText(), u"Away · Missed calls"_s);
        QVERIFY(m_app->text(u"notice"_s).startsWith(u"You were set to Away because calls went unanswered."_s));
        // The agent's own choice clears it.
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        QVERIFY(!m_app->find<QLabel>(u"notice"_s)->isVisible());
    }

    void aRingingCallShowsAtOnceAndEndingItShowsReady()
    {
        becomeReady();
        const auto heartbeatAt = m_app->alice().snapshot.lastHeartbeatMs;
        m_app->server().clock().advanceSeconds(1); // a heartbeat from here on would move lastHeartbeatMs

        // Routing reserves her for a call: the card says so while it rings, not after the next heartbeat.
        QVERIFY(agents().reserve(u"alice"_s, CallSid));
        QTRY_COMPARE(headline(), u"A call is ringing for you"_s);
        QCOMPARE(m_app->find<QLabel>(u"readinessHeadline"_s)->property("tone").toString(), u"busy"_s);
        QCOMPARE(toString(m_app->session().status().activity), u"ringing"_s);
        // Every ack the server sent before the push has arrived by now; a push is no ack.
        QSignalSpy acked(&m_app->session(), &ServerSession::heartbeatAcknowledged);

        // The caller hangs up before she answers: ready again at once.
        QVERIFY(!agents().offerUnanswered(u"alice"_s, CallSid, OfferOutcome::Canceled));
        QTRY_COMPARE(headline(), u"Ready for calls"_s);
        QCOMPARE(toString(m_app->session().status().activity), u"idle"_s);
        QCOMPARE(acked.size(), 0);
        QCOMPARE(m_app->alice().snapshot.lastHeartbeatMs, heartbeatAt); // no heartbeat carried any of it
    }

    void aCallAndItsWrapUpShowAsTheyHappen()
    {
        // Pings rare enough that moving the server's clock past wrap-up does not count as a dead socket.
        start({{u"WS_PING_INTERVAL"_s, u"60"_s}});
        becomeReady();
        const auto heartbeatAt = m_app->alice().snapshot.lastHeartbeatMs;
        m_app->server().clock().advanceSeconds(1);
        QVERIFY(agents().reserve(u"alice"_s, CallSid));
        QTRY_COMPARE(headline(), u"A call is ringing for you"_s);

        agents().offerAnswered(u"alice"_s, CallSid);
        QTRY_COMPARE(headline(), u"On a call"_s);
        QCOMPARE(toString(m_app->session().status().activity), u"on-call"_s);

        agents().callEnded(u"alice"_s, CallSid, 42);
        QTRY_COMPARE(headline(), u"Wrapping up the last call"_s);
        QCOMPARE(toString(m_app->session().status().activity), u"wrap-up"_s);

        // Wrap-up ends by the server's clock: the server's due work says so, and so does the card.
        m_app->server().clock().advanceSeconds(m_app->alice().profile.wrapUpSeconds + 1);
        agents().runDueWork();
        QTRY_COMPARE(headline(), u"Ready for calls"_s);
        QCOMPARE(toString(m_app->session().status().activity), u"idle"_s);
        QCOMPARE(m_app->alice().snapshot.lastHeartbeatMs, heartbeatAt);
    }

    void heartbeatsFollowTheServersInterval()
    {
        const qint64 interval = m_app->session().heartbeatIntervalSeconds();
        QCOMPARE(interval, 30); // the server's default, from welcome
        QSignalSpy acked(&m_app->session(), &ServerSession::heartbeatAcknowledged);
        // Just before the interval nothing goes out (the next one stays scheduled); at the interval it does.
        const qint64 due = m_app->session().nextHeartbeatAtMs();
        QCOMPARE(due, m_app->clock().nowMs() + interval * 1000);
        m_app->clock().advanceMs(interval * 1000 - 1);
        m_app->session().poll();
        QCOMPARE(m_app->session().nextHeartbeatAtMs(), due);
        m_app->clock().advanceMs(1);
        m_app->session().poll();
        QVERIFY(acked.wait(10'000));
        QCOMPARE(acked.size(), 1);
        QCOMPARE(m_app->session().nextHeartbeatAtMs(), m_app->clock().nowMs() + interval * 1000);
    }

    void readyWithoutAVoiceLineIsNotShownAsReady()
    {
        // Available, but no call can ring: the server's voice_not_registered gate, and the card says so.
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        QTRY_VERIFY(!m_app->alice().readiness.failedGates.isEmpty());
        QCOMPARE(m_app->alice().readiness.failedGates.first().gate, u"voice_not_registered"_s);
        QTRY_COMPARE(m_app->text(u"readinessHeadline"_s), u"Calls cannot ring here"_s);
        QCOMPARE(m_app->find<QLabel>(u"readinessScore"_s)->property("tone").toString(), u"bad"_s);
        QVERIFY(m_app->text(u"readinessReasons"_s).contains(u"Voice line not registered"_s));
        QVERIFY(m_app->window().tray().toolTip().endsWith(u"not ready for calls"_s));

        // The voice line comes up: now, and only now, the card says ready.
        QVERIFY(m_app->startVoiceLine());
        QTRY_COMPARE(m_app->text(u"readinessHeadline"_s), u"Ready for calls"_s);
        QCOMPARE(m_app->find<QLabel>(u"readinessScore"_s)->property("tone").toString(), u"good"_s);
    }

    void aNewStartShowsTheServersStatus()
    {
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        QSignalSpy off(&m_app->session(), &ServerSession::signedOff);
        m_app->session().signOff(); // Quit: the server keeps the session, with status offline
        QVERIFY(off.wait(10'000));
        QCOMPARE(toString(m_app->alice().snapshot.status), u"offline"_s);

        // The app starts again and signs in: everything shows "offline", as the server has it.
        m_app->startApp();
        QVERIFY(m_app->signInAlice());
        QCOMPARE(toString(m_app->alice().snapshot.status), u"offline"_s);
        QCOMPARE(selector()->currentText(), u"Offline"_s);
        QCOMPARE(m_app->window().tray().iconName(), u"offline"_s);
        QTRY_VERIFY(m_app->text(u"readinessReasons"_s).contains(u"Status is offline"_s));
        QVERIFY(!m_app->find<QLabel>(u"pendingStatus"_s)->isVisible());
    }

    void signingOutAndInShowsTheServersStatus()
    {
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        QSignalSpy out(&m_app->session(), &ServerSession::signedOut);
        m_app->session().signOut();
        QVERIFY(out.wait(10'000));
        QVERIFY(m_app->signInAlice());
        const QString serverStatus = toString(m_app->alice().snapshot.status);
        QCOMPARE(serverStatus, u"offline"_s); // a new session starts offline
        QCOMPARE(selector()->currentText(), u"Offline"_s);
        QCOMPARE(m_app->window().tray().iconName(), u"offline"_s);
    }

    void theWindowNeverDisagreesWithTheServer()
    {
        // After every change the session reports, the selector and the tray show what the server
        // last said, never a choice it has not taken yet.
        QStringList disagreements;
        auto check = [&] {
            const ServerSession &session = m_app->session();
            if (session.state() != ConnectionState::Live)
                return;
            const StatusInfo &status = session.status();
            const QString expected = StatusText::statusWithReason(status.status, status.awayReason);
            if (selector()->currentText() != expected)
                disagreements.append(u"selector %1, server %2"_s.arg(selector()->currentText(), expected));
            if (m_app->window().tray().iconName() != toString(status.status))
                disagreements.append(
                    u"tray %1, server %2"_s.arg(m_app->window().tray().iconName(), toString(status.status)));
        };
        connect(&m_app->session(), &ServerSession::statusChanged, this, check);
        connect(&m_app->session(), &ServerSession::heartbeatAcknowledged, this, check);
        connect(&m_app->session(), &ServerSession::stateChanged, this, check);

        selector()->choose(AgentStatus::Available);
        check(); // chosen, not yet taken
        QTRY_COMPARE(selector()->currentText(), u"Available"_s);
        QCOMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        selector()->choose(AgentStatus::Away, u"lunch"_s);
        check();
        QTRY_COMPARE(selector()->currentText(), u"Away · Lunch"_s);
        QVERIFY(agents().setStatus(u"alice"_s, AgentStatus::Away, u"coaching"_s, StatusChangeSource::Supervisor,
                                   u"supervisor"_s));
        QTRY_COMPARE(selector()->currentText(), u"Away · Coaching"_s);
        selector()->choose(AgentStatus::Offline);
        QTRY_COMPARE(selector()->currentText(), u"Offline"_s);
        QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements.join(u"; "_s)));
    }

    void aChoiceNotYetTakenIsShownAsOnItsWay()
    {
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(selector()->currentText(), u"Available"_s);
        m_app->server().stop();
        QTRY_COMPARE(int(m_app->session().state()), int(ConnectionState::Reconnecting));
        // Chosen while the server is gone: the selector keeps the server's last word, the line
        // beside it says what goes out once connected.
        selector()->choose(AgentStatus::Away, u"break"_s);
        QCOMPARE(selector()->currentText(), u"Available"_s);
        QLabel *pending = m_app->find<QLabel>(u"pendingStatus"_s);
        QVERIFY(pending->isVisible());
        QCOMPARE(pending->text(), u"Away · Break once connected"_s);
    }
};

QTEST_MAIN(TestAgentStatus)
#include "tst_agent_status.moc"
