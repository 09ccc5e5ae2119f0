// Signing in to a real heartline-server: what the agent sees for a wrong password, a supervisor
// account and an unreachable server, the main screen after a good sign-in, what is remembered
// (server and agent id, never the password), and signing out.

#include <QFile>
#include <QTest>

#include "AgentAppFixture.h"
#include "ui/LoginPage.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestAgentLogin final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AgentAppFixture> m_app;

    bool onMainScreen() { return m_app->find<QWidget>(u"mainPage"_s)->isVisible(); }
    bool onLoginScreen() { return m_app->find<QWidget>(u"loginPage"_s)->isVisible(); }

private Q_SLOTS:
    void init()
    {
        m_app = std::make_unique<AgentAppFixture>();
        QVERIFY2(m_app->startServer(), qPrintable(m_app->server().error()));
        m_app->startApp();
    }
    void cleanup() { m_app.reset(); }

    void wrongPasswordShowsTheErrorAndStays()
    {
        QSignalSpy failed(&m_app->session(), &ServerSession::signInFailed);
        m_app->typeSignIn(u"alice"_s, u"not-her-password"_s);
        QVERIFY(failed.wait(10'000));
        QVERIFY(onLoginScreen());
        QLabel *error = m_app->find<QLabel>(u"signInError"_s);
        QVERIFY(error->isVisible());
        QCOMPARE(error->text(), u"The agent ID or password is not right. Check them and try again."_s);
        QVERIFY(m_app->find<QPushButton>(u"signInButton"_s)->isEnabled()); // can try again
        QCOMPARE(m_app->alice().snapshot.sessionActive, false);
    }

    void goodSignInShowsTheMainScreen()
    {
        QVERIFY(m_app->signInAlice());
        QVERIFY(onMainScreen());
        QCOMPARE(m_app->text(u"agentName"_s), u"alice"_s);
        QCOMPARE(m_app->text(u"connectionLabel"_s), u"Connected"_s);
        // The server holds the session over the WebSocket, and the app shows the server's readiness.
        QCOMPARE(m_app->alice().snapshot.sessionActive, true);
        QCOMPARE(toString(m_app->alice().snapshot.connection), u"websocket"_s);
        QCOMPARE(m_app->text(u"readinessScore"_s), QString::number(m_app->alice().readiness.score));
    }

    void supervisorAccountIsRefused()
    {
        QSignalSpy failed(&m_app->session(), &ServerSession::signInFailed);
        m_app->typeSignIn(u"sam"_s, u"sam-password"_s);
        QVERIFY(failed.wait(10'000));
        QVERIFY(onLoginScreen());
        QCOMPARE(m_app->text(u"signInError"_s),
                 u"This account is not an agent account. Use the supervisor app instead."_s);
    }

    void unreachableServerIsSaidInWords()
    {
        // A port nothing listens on: the server was just stopped.
        const QUrl url = m_app->server().baseUrl();
        m_app->server().stop();
        QSignalSpy failed(&m_app->session(), &ServerSession::signInFailed);
        m_app->typeSignIn(u"alice"_s, u"alice-password"_s, url);
        QVERIFY(failed.wait(15'000));
        QVERIFY(m_app->text(u"signInError"_s).startsWith(u"Cannot reach the server at http://127.0.0.1:"_s));
    }

    void badAddressIsCaughtBeforeSending_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("agent");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("message");
        QTest::newRow("no scheme") << u"heartline:8080"_s << u"alice"_s << u"pw"_s
                                   << u"Enter the server address with http:// or https://, for example "
                                      "http://heartline:8080."_s;
        QTest::newRow("websocket scheme") << u"ws://heartline:8080"_s << u"alice"_s << u"pw"_s
                                          << u"Enter the server address with http:// or https://, for example "
                                             "http://heartline:8080."_s;
        QTest::newRow("no agent") << u"http://heartline:8080"_s << u""_s << u"pw"_s << u"Enter your agent ID."_s;
        QTest::newRow("no password") << u"http://heartline:8080"_s << u"alice"_s << u""_s << u"Enter your password."_s;
    }
    void badAddressIsCaughtBeforeSending()
    {
        QFETCH(QString, server);
        QFETCH(QString, agent);
        QFETCH(QString, password);
        QFETCH(QString, message);
        QSignalSpy state(&m_app->session(), &ServerSession::stateChanged);
        m_app->typeSignIn(agent, password, QUrl(server));
        QCOMPARE(m_app->text(u"signInError"_s), message);
        QVERIFY(state.isEmpty()); // nothing was sent
    }

    void serverAndAgentAreRememberedNeverThePassword()
    {
        QVERIFY(m_app->signInAlice());
        m_app->settings().sync();
        QFile file(m_app->settingsFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray ini = file.readAll();
        QVERIFY(ini.contains("agentId=alice"));
        QVERIFY(ini.contains(m_app->server().baseUrl().toString().toUtf8()));
        QVERIFY(!ini.contains("alice-password"));
        QVERIFY(!ini.toLower().contains("password"));

        // A new start fills in the server and the agent id, and asks for the password.
        AgentSettings again(m_app->settingsFile());
        QCOMPARE(again.agentId(), u"alice"_s);
        QCOMPARE(again.serverUrl(), m_app->server().baseUrl());
    }

    void signingOutEndsTheSessionOnTheServer()
    {
        QVERIFY(m_app->signInAlice());
        QSignalSpy out(&m_app->session(), &ServerSession::signedOut);
        m_app->window().findChild<QAction *>(u"signOutAction"_s)->trigger();
        QVERIFY(out.wait(10'000));
        QVERIFY(onLoginScreen());
        QCOMPARE(m_app->find<QLineEdit>(u"password"_s)->text(), QString());
        QCOMPARE(m_app->alice().snapshot.sessionActive, false);
        QCOMPARE(toString(m_app->alice().snapshot.status), u"offline"_s);
    }
};

QTEST_MAIN(TestAgentLogin)
#include "tst_agent_login.moc"
