// Quitting the agent app: Quit (menu, Ctrl+Q, closing the window without a tray, a second start
// with --quit) tells the server "offline" and ends the process with exit code 0, within the
// sign-off timeout even when the server does not answer. The event loop runs as main() runs it;
// time moves only through the manual clock.

#include <csignal>

#include <QJsonArray>
#include <QJsonObject>
#include <QLocalSocket>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QTest>
#include <QTimer>

#include "AgentAppFixture.h"
#include "HttpTestClient.h"
#include "QuitSequence.h"
#include "ServerProcess.h"
#include "desktop/SingleInstance.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

/// A guard against a hang, not a measure of time: a quit that works ends the loop long before.
constexpr int HangGuardMs = 20'000;
constexpr int GuardExitCode = 99;

} // namespace

class TestAgentQuit final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AgentAppFixture> m_app;
    std::unique_ptr<QuitSequence> m_quit;

    void startApp()
    {
        m_app->startApp();
        m_quit = std::make_unique<QuitSequence>(m_app->session(), m_app->window());
    }

    /// Runs the application's event loop as main() does, doing `inside` once it runs, and returns
    /// the loop's exit code (GuardExitCode when it did not end).
    static int runEventLoop(const std::function<void()> &inside)
    {
        QTimer::singleShot(0, inside);
        QTimer guard;
        guard.setSingleShot(true);
        connect(&guard, &QTimer::timeout, [] { QCoreApplication::exit(GuardExitCode); });
        guard.start(HangGuardMs);
        return QCoreApplication::exec();
    }

    void becomeAvailable()
    {
        m_app->find<StatusSelector>(u"statusSelector"_s)->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->session().status().status), u"available"_s);
    }

    /// Clicks a button of the "Quit during a call?" question, once it is up.
    static void answerQuitQuestion(const QString &button)
    {
        // Should a check below fail, the question must still go, or the test would wait on it forever.
        const auto closeAnyway = qScopeGuard([] {
            if (QWidget *left = QApplication::activeModalWidget())
                left->close();
        });
        QWidget *question = nullptr;
        QTRY_VERIFY((question = QApplication::activeModalWidget()) != nullptr);
        QCOMPARE(question->objectName(), u"quitDuringCallQuestion"_s);
        QTest::mouseClick(question->findChild<QPushButton *>(button), Qt::LeftButton);
    }

    static QAction *quitAction(MainWindow &window) { return window.menuBar()->findChild<QAction *>(u"quitAction"_s); }

private Q_SLOTS:
    void init() { m_app = std::make_unique<AgentAppFixture>(); }
    void cleanup()
    {
        m_quit.reset();
        m_app.reset();
    }

    void ctrlQEndsTheAppAfterTellingTheServer()
    {
        QVERIFY2(m_app->startServer(), qPrintable(m_app->server().error()));
        startApp();
        QVERIFY(m_app->signInAlice());
        becomeAvailable();

        const int code = runEventLoop([this] {
            m_app->window().activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(&m_app->window()));
            QTest::keyClick(&m_app->window(), Qt::Key_Q, Qt::ControlModifier);
        });
        QCOMPARE(code, 0);
        QCOMPARE(toString(m_app->alice().snapshot.status), u"offline"_s);
        QVERIFY(!m_app->window().isVisible());
        QCOMPARE(int(m_app->session().state()), int(ConnectionState::SignedOut));
    }

    void closingTheWindowWithoutATrayQuits()
    {
        QVERIFY2(m_app->startServer(), qPrintable(m_app->server().error()));
        startApp();
        QVERIFY(m_app->signInAlice());
        becomeAvailable();
        QVERIFY(!m_app->window().tray().isAvailable()); // offscreen has none

        const int code = runEventLoop([this] { m_app->window().close(); });
        QCOMPARE(code, 0);
        QCOMPARE(toString(m_app->alice().snapshot.status), u"offline"_s);
    }

    void quittingWhileTheServerIsGoneEndsAtOnce()
    {
        QVERIFY2(m_app->startServer(), qPrintable(m_app->server().error()));
        startApp();
        QVERIFY(m_app->signInAlice());
        m_app->server().stop();
        QTRY_COMPARE(int(m_app->session().state()), int(ConnectionState::Reconnecting));

        const qint64 before = m_app->clock().nowMs();
        const int code = runEventLoop([this] { quitAction(m_app->window())->trigger(); });
        QCOMPARE(code, 0);
        QCOMPARE(m_app->clock().nowMs(), before); // nobody to tell, so nothing to wait for
    }

    void quittingWhenTheServerDoesNotAnswerEndsAtTheTimeout()
    {
        // A real server that stops answering without closing anything (SIGSTOP): the offline
        // never gets its answer, and the app must still end on time.
        QTemporaryDir dir;
        const QString database = dir.filePath(u"heartline.db"_s);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"PASSWORD_ITERATIONS"_s, u"1000"_s);
        const ProcessResult added = runProcess(
            ServerProcess::binary(), {u"--db"_s, database, u"user"_s, u"add"_s, u"alice"_s, u"--role"_s, u"agent"_s},
            "alice-password\n", environment);
        QVERIFY2(added.exitCode == 0, qPrintable(added.standardError));
        ServerProcess server;
        QVERIFY2(server.start({u"--db"_s, database}, environment), qPrintable(server.output()));

        startApp();
        QSignalSpy acked(&m_app->session(), &ServerSession::heartbeatAcknowledged);
        m_app->typeSignIn(u"alice"_s, u"alice-password"_s, server.baseUrl());
        QVERIFY(acked.wait(10'000));
        becomeAvailable();
        QCOMPARE(::kill(pid_t(server.pid()), SIGSTOP), 0);

        const int timeoutMs = ServerSession::Options {}.signOffTimeoutMs;
        const int pollMs = ServerSession::Options {}.pollIntervalMs;
        // With the real clock the deadline is seen at the next poll: the app ends within 2 s.
        QVERIFY(timeoutMs + pollMs <= 2000);
        bool stillWaitingJustBefore = false;
        const int code = runEventLoop([&] {
            quitAction(m_app->window())->trigger();
            QVERIFY(m_app->session().isSigningOff());
            m_app->clock().advanceMs(timeoutMs - 1);
            m_app->session().poll();
            stillWaitingJustBefore = m_app->session().isSigningOff();
            m_app->clock().advanceMs(1);
            m_app->session().poll();
        });
        ::kill(pid_t(server.pid()), SIGCONT);
        QVERIFY(stillWaitingJustBefore);
        QCOMPARE(code, 0);
        QCOMPARE(int(m_app->session().state()), int(ConnectionState::SignedOut));
    }

    void quittingDuringACallAsksFirst()
    {
        QVERIFY2(m_app->startServer(), qPrintable(m_app->server().error()));
        startApp();
        QVERIFY(m_app->startVoiceLine());
        QVERIFY(m_app->signInAlice());
        QTRY_COMPARE(int(m_app->controller().voice().registration()), int(VoiceRegistration::Registered));
        m_app->voiceServer().offer(u"CAleg"_s, u"CAparent"_s, u"+15550100"_s, u"client:alice"_s);
        QTRY_COMPARE(int(m_app->controller().call().phase()), int(CallPhase::Ringing));

        // Ctrl+Q by mistake: the question comes, "Keep working" keeps everything as it was.
        QSignalSpy quitting(&m_app->window(), &MainWindow::quitRequested);
        QTimer::singleShot(0, this, [] { answerQuitQuestion(u"keepWorking"_s); });
        quitAction(m_app->window())->trigger();
        QCOMPARE(quitting.size(), 0);
        QCOMPARE(int(m_app->session().state()), int(ConnectionState::Live));
        QCOMPARE(int(m_app->controller().call().phase()), int(CallPhase::Ringing));

        // Meant it: the app ends as any quit does.
        const int code = runEventLoop([this] {
            QTimer::singleShot(0, this, [] { answerQuitQuestion(u"quitAnyway"_s); });
            quitAction(m_app->window())->trigger();
        });
        QCOMPARE(code, 0);
        QCOMPARE(toString(m_app->alice().snapshot.status), u"offline"_s);
    }

    void sigtermQuitsLikeTheMenu_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }
    void sigtermQuitsLikeTheMenu()
    {
        // The real executable, signed in to a real server and available: a logout of the desktop,
        // `kill` or Ctrl+C in its terminal tells the server "offline" and ends it with exit code 0.
        QFETCH(int, signalNumber);
        QTemporaryDir dir;
        const QString database = dir.filePath(u"heartline.db"_s);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"PASSWORD_ITERATIONS"_s, u"1000"_s);
        for (const auto &[user, role] : {std::pair {u"alice"_s, u"agent"_s}, std::pair {u"sue"_s, u"supervisor"_s}}) {
            const ProcessResult added = runProcess(ServerProcess::binary(),
                                                   {u"--db"_s, database, u"user"_s, u"add"_s, user, u"--role"_s, role},
                                                   (user + u"-password\n"_s).toUtf8(), environment);
            QVERIFY2(added.exitCode == 0, qPrintable(added.standardError));
        }
        ServerProcess server;
        QVERIFY2(server.start({u"--db"_s, database}, environment), qPrintable(server.output()));
        // What a supervisor sees of alice.
        HttpTestClient supervisor(server.baseUrl());
        supervisor.setBearerToken(
            supervisor
                .postJson(u"/api/auth/login"_s,
                          QJsonObject {{u"userId"_s, u"sue"_s}, {u"password"_s, u"sue-password"_s}})
                .json()
                .value(u"token"_s)
                .toString()
                .toLatin1());
        const auto status = [&] {
            for (const QJsonValue &agent : supervisor.get(u"/api/agents"_s).json().value(u"agents"_s).toArray()) {
                if (agent[u"agentId"_s].toString() == u"alice"_s)
                    return agent[u"status"_s].toString();
            }
            return QString();
        };

        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        environment.insert(u"HOME"_s, dir.path());
        QProcess app;
        app.setProcessEnvironment(environment);
        app.setProcessChannelMode(QProcess::MergedChannels);
        app.start(QStringLiteral(HEARTLINE_AGENT_BINARY),
                  {u"--config"_s, dir.filePath(u"agent.ini"_s), u"--server"_s, server.baseUrl().toString(),
                   u"--agent"_s, u"alice"_s, u"--password-stdin"_s, u"--status"_s, u"available"_s});
        QVERIFY(app.waitForStarted(10'000));
        app.write("alice-password\n");
        app.closeWriteChannel();
        QTRY_COMPARE_WITH_TIMEOUT(status(), u"available"_s, 10'000);

        QCOMPARE(::kill(pid_t(app.processId()), signalNumber), 0);
        QVERIFY2(app.waitForFinished(10'000), "the app did not end");
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        QCOMPARE(status(), u"offline"_s);
        QVERIFY2(QString::fromUtf8(app.readAll()).contains(u"quitting"_s), "the app did not say why it quit");
    }

    void aSecondStartWithQuitEndsTheRunningApp()
    {
        // The real executable, twice: the first runs (offscreen), the second asks it to quit.
        QTemporaryDir dir;
        const QString settingsFile = dir.filePath(u"agent.ini"_s);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        const QStringList common {u"--config"_s, settingsFile};

        const ProcessResult none
            = runProcess(QStringLiteral(HEARTLINE_AGENT_BINARY), common + QStringList {u"--quit"_s}, {}, environment);
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(none.standardError.contains(u"not running"_s), qPrintable(none.standardError));

        QProcess running;
        running.setProcessEnvironment(environment);
        running.start(QStringLiteral(HEARTLINE_AGENT_BINARY), common);
        QVERIFY(running.waitForStarted(10'000));
        // Running once its single-instance socket answers.
        const QString key = SingleInstance::keyFor(AgentSettings(settingsFile).location());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QLocalSocket probe;
                probe.connectToServer(key);
                return probe.waitForConnected(100);
            }(),
            10'000);
        QCOMPARE(running.state(), QProcess::Running);

        const ProcessResult asked
            = runProcess(QStringLiteral(HEARTLINE_AGENT_BINARY), common + QStringList {u"--quit"_s}, {}, environment);
        QCOMPARE(asked.exitCode, 0);
        QVERIFY(running.waitForFinished(10'000));
        QCOMPARE(running.exitStatus(), QProcess::NormalExit);
        QCOMPARE(running.exitCode(), 0);
    }
};

QTEST_MAIN(TestAgentQuit)
#include "tst_agent_quit.moc"
