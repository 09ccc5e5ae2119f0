// Losing the server and getting it back: the app counts down to each attempt with exponential
// backoff ("Reconnecting in 4 s…"), reconnects when the server is back on its port, and resumes
// the status the agent had, even after the server set them offline for being gone. When only
// WebSockets are blocked, heartbeats go over HTTP. Time moves only through the manual clock.

#include <QTest>

#include "AgentAppFixture.h"
#include "agents/AgentService.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestAgentReconnect final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AgentAppFixture> m_app;
    quint16 m_port = 0;

    StatusSelector *selector() { return m_app->find<StatusSelector>(u"statusSelector"_s); }

    void becomeAvailable()
    {
        selector()->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
    }

    /// Stops the server and waits until the app has noticed.
    void loseTheServer()
    {
        m_app->server().stop();
        QTRY_COMPARE(int(m_app->session().state()), int(ConnectionState::Reconnecting));
    }

    /// Lets the next attempt fail against the stopped server; returns the delay scheduled after it.
    qint64 failOneAttempt()
    {
        QSignalSpy countdown(&m_app->session(), &ServerSession::reconnectCountdownChanged);
        m_app->clock().setNowMs(m_app->session().reconnectAtMs());
        m_app->session().poll();
        // The WebSocket is refused, then the HTTP check is too: back to waiting, longer.
        [&] {
            QTRY_VERIFY(!countdown.isEmpty() && m_app->session().state() == ConnectionState::Reconnecting);
        }();
        return m_app->session().reconnectAtMs() - m_app->clock().nowMs();
    }

    bool restartServer() { return m_app->server().start({{u"LISTEN_ADDRESS"_s, u"127.0.0.1:%1"_s.arg(m_port)}}); }

private Q_SLOTS:
    void init()
    {
        m_app = std::make_unique<AgentAppFixture>();
        QVERIFY2(m_app->startServer({{u"RECONNECT_GRACE"_s, u"30"_s}}), qPrintable(m_app->server().error()));
        m_port = m_app->server().server().port();
    }
    void cleanup() { m_app.reset(); }

    void countsDownWithGrowingDelays()
    {
        m_app->startApp();
        QVERIFY(m_app->signInAlice());
        loseTheServer();
        // Jitter is fixed at the middle of its range. The first attempt comes within the spread the
        // server's welcome named (100 ms for a server with one app: half of it), the next ones at the
        // nominal delays: 1, 2, 4, 8 s.
        QCOMPARE(m_app->session().reconnectAtMs() - m_app->clock().nowMs(), 50);
        QCOMPARE(m_app->text(u"connectionLabel"_s), u"Reconnecting in 1 s…"_s);
        QCOMPARE(failOneAttempt(), 1000);
        QCOMPARE(failOneAttempt(), 2000);
        QCOMPARE(failOneAttempt(), 4000);
        QCOMPARE(m_app->text(u"connectionLabel"_s), u"Reconnecting in 4 s…"_s);
        // The countdown follows the clock.
        m_app->clock().advanceMs(1500);
        m_app->session().poll();
        QCOMPARE(m_app->text(u"connectionLabel"_s), u"Reconnecting in 3 s…"_s);
        QCOMPARE(failOneAttempt(), 8000);
        // Not connected: the window says so instead of showing an old score, and the tray turns red.
        QCOMPARE(m_app->text(u"readinessHeadline"_s), u"Calls cannot reach you"_s);
        QCOMPARE(m_app->window().tray().iconName(), u"disconnected"_s);
        QWidget *serverCheck = m_app->find<QWidget>(u"check-server"_s);
        QCOMPARE(serverCheck->property("checkState").toString(), u"fail"_s);
    }

    void reconnectsAfterARestartAndResumesTheStatus()
    {
        m_app->startApp();
        QVERIFY(m_app->startVoiceLine());
        QVERIFY(m_app->signInAlice());
        becomeAvailable();
        loseTheServer();
        QCOMPARE(failOneAttempt(), 1000);
        QVERIFY2(restartServer(), qPrintable(m_app->server().error()));

        QSignalSpy acked(&m_app->session(), &ServerSession::heartbeatAcknowledged);
        m_app->clock().setNowMs(m_app->session().reconnectAtMs());
        m_app->session().poll();
        QTRY_COMPARE(int(m_app->session().state()), int(ConnectionState::Live));
        QTRY_VERIFY(!acked.isEmpty());
        QCOMPARE(m_app->text(u"connectionLabel"_s), u"Connected"_s);
        QCOMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        QCOMPARE(toString(m_app->alice().snapshot.connection), u"websocket"_s);
        QCOMPARE(selector()->currentText(), u"Available"_s);
        QTRY_COMPARE(m_app->text(u"readinessHeadline"_s), u"Ready for calls"_s);
        // A success starts the backoff over, with a quick first attempt.
        m_app->server().stop();
        QTRY_COMPARE(int(m_app->session().state()), int(ConnectionState::Reconnecting));
        QCOMPARE(m_app->session().reconnectAtMs() - m_app->clock().nowMs(), 50);
    }

    void resumesEvenAfterTheServerSetItOffline()
    {
        m_app->startApp();
        QVERIFY(m_app->signInAlice());
        becomeAvailable();
        loseTheServer();
        QVERIFY2(restartServer(), qPrintable(m_app->server().error()));
        // Silent for longer than the heartbeat threshold (75 s by default): the restarted server sets
        // alice offline.
        m_app->server().clock().advanceSeconds(76);
        m_app->server().server().agents()->runDueWork();
        QCOMPARE(toString(m_app->alice().snapshot.status), u"offline"_s);

        m_app->clock().setNowMs(m_app->session().reconnectAtMs());
        m_app->session().poll();
        QTRY_COMPARE(int(m_app->session().state()), int(ConnectionState::Live));
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        QTRY_COMPARE(selector()->currentText(), u"Available"_s);
    }

    void heartbeatsGoOverHttpWhenWebSocketsAreBlocked()
    {
        // A proxy that refuses the upgrade looks like this to the app: the WebSocket path answers 404.
        ServerSession::Options options;
        options.webSocketPath = u"/ws/blocked-by-proxy"_s;
        m_app->startApp(options);
        m_app->typeSignIn(u"alice"_s, u"alice-password"_s);
        QTRY_COMPARE(int(m_app->session().state()), int(ConnectionState::HttpOnly));
        QCOMPARE(m_app->text(u"connectionLabel"_s), u"Connected in basic mode"_s);
        QCOMPARE(toString(m_app->alice().snapshot.connection), u"http"_s);
        QWidget *serverCheck = m_app->find<QWidget>(u"check-server"_s);
        QCOMPARE(serverCheck->property("checkState").toString(), u"warn"_s);

        // Status choices still reach the server, over HTTP.
        selector()->choose(AgentStatus::Away, u"meeting"_s);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"away"_s);
        QCOMPARE(m_app->alice().snapshot.awayReason, u"meeting"_s);
        QTRY_VERIFY(m_app->text(u"readinessReasons"_s).contains(u"Status is away (meeting)"_s));

        // Heartbeats at the interval the HTTP reply named.
        QSignalSpy acked(&m_app->session(), &ServerSession::heartbeatAcknowledged);
        m_app->clock().setNowMs(m_app->session().nextHeartbeatAtMs());
        m_app->session().poll();
        QVERIFY(acked.wait(10'000));
        QCOMPARE(m_app->session().nextHeartbeatAtMs(), m_app->clock().nowMs() + 30'000);
    }
};

QTEST_MAIN(TestAgentReconnect)
#include "tst_agent_reconnect.moc"
