// The app on the desktop: one instance per user (a second start brings the first to the front),
// away while the screen is locked and back afterwards, and the settings dialog.

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QTest>
#include <QTimer>

#include "AgentAppFixture.h"
#include "FakeVoiceServer.h"
#include "desktop/SingleInstance.h"
#include "ui/SettingsDialog.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestAgentDesktop final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AgentAppFixture> m_app;

    StatusSelector *selector() { return m_app->find<StatusSelector>(u"statusSelector"_s); }
    void signInAvailable()
    {
        m_app = std::make_unique<AgentAppFixture>();
        QVERIFY2(m_app->startServer(), qPrintable(m_app->server().error()));
        m_app->startApp();
        QVERIFY(m_app->signInAlice());
        QSignalSpy confirmed(&m_app->session(), &ServerSession::statusChanged);
        selector()->choose(AgentStatus::Available);
        QVERIFY(confirmed.wait(10'000));
        QCOMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
    }

    /// Runs `edit` on the settings dialog once it is open, then presses OK.
    void editSettings(const std::function<void(SettingsDialog &)> &edit, bool expectClosed = true)
    {
        bool seen = false;
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            seen = true;
            edit(*dialog);
            dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
            if (!expectClosed) {
                QVERIFY(dialog->isVisible());
                dialog->reject();
            }
        });
        m_app->window().openSettings();
        QVERIFY(seen);
    }

private Q_SLOTS:
    void cleanup() { m_app.reset(); }

    void aSecondStartHandsOverToTheFirst()
    {
        const QString key
            = SingleInstance::keyFor(u"/tmp/heartline-test-%1.ini"_s.arg(QCoreApplication::applicationPid()));
        SingleInstance first(key);
        QVERIFY(first.claim());
        QSignalSpy activated(&first, &SingleInstance::activationRequested);
        SingleInstance second(key);
        QVERIFY(!second.claim());      // the second start exits...
        QVERIFY(activated.wait(5000)); // ...and the first shows its window
    }

    void differentSettingsFilesAreDifferentInstances()
    {
        const QString pid = QString::number(QCoreApplication::applicationPid());
        SingleInstance one(SingleInstance::keyFor(u"/tmp/a-"_s + pid));
        SingleInstance two(SingleInstance::keyFor(u"/tmp/b-"_s + pid));
        QVERIFY(one.claim());
        QVERIFY(two.claim());
    }

    void lockingTheScreenSetsAwayAndUnlockingBringsBack()
    {
        signInAvailable();
        m_app->controller().onLockedOrSleeping();
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"away"_s);
        QCOMPARE(m_app->alice().snapshot.awayReason, u"screen locked"_s);
        QTRY_COMPARE(selector()->currentText(), u"Away · Screen locked"_s);
        m_app->controller().onUnlockedOrAwake();
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
        QTRY_COMPARE(selector()->currentText(), u"Available"_s);
    }

    void aChoiceMadeWhileLockedIsKept()
    {
        signInAvailable();
        m_app->controller().onLockedOrSleeping();
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"away"_s);
        // A supervisor puts alice in a meeting while her screen is locked: unlocking keeps it.
        QVERIFY(m_app->server().server().agents()->setStatus(u"alice"_s, AgentStatus::Away, u"meeting"_s,
                                                             StatusChangeSource::Supervisor, u"supervisor"_s));
        QTRY_COMPARE(selector()->currentText(), u"Away · Meeting"_s);
        m_app->controller().onUnlockedOrAwake();
        QCOMPARE(toString(m_app->alice().snapshot.status), u"away"_s);
        QCOMPARE(m_app->alice().snapshot.awayReason, u"meeting"_s);
    }

    void lockingLeavesOtherStatusesAlone_data()
    {
        QTest::addColumn<bool>("autoAway");
        QTest::addColumn<QString>("before");
        QTest::newRow("already on a break") << true << u"break"_s;
        QTest::newRow("auto away switched off") << false << QString();
    }
    void lockingLeavesOtherStatusesAlone()
    {
        QFETCH(bool, autoAway);
        QFETCH(QString, before);
        signInAvailable();
        m_app->controller().setAutoAway(autoAway);
        if (!before.isEmpty()) {
            selector()->choose(AgentStatus::Away, before);
            QTRY_COMPARE(m_app->alice().snapshot.awayReason, before);
        }
        const QString status = toString(m_app->alice().snapshot.status);
        QSignalSpy changed(&m_app->session(), &ServerSession::statusChanged);
        m_app->controller().onLockedOrSleeping();
        m_app->controller().onUnlockedOrAwake();
        QVERIFY(changed.isEmpty());
        QCOMPARE(toString(m_app->alice().snapshot.status), status);
    }

    void settingsSetTheVoiceServer()
    {
        FakeVoiceServer voice;
        QVERIFY(voice.listen());
        signInAvailable();
        QCOMPARE(m_app->find<QWidget>(u"check-voice"_s)->property("checkState").toString(), u"fail"_s);
        editSettings([&](SettingsDialog &dialog) {
            dialog.findChild<QLineEdit *>(u"settingsVoiceUrl"_s)->setText(voice.url().toString());
        });
        QTRY_COMPARE(int(m_app->controller().voice().registration()), int(VoiceRegistration::Registered));
        QCOMPARE(voice.lastIdentity(), u"alice"_s);
        QTRY_COMPARE(m_app->find<QWidget>(u"check-voice"_s)->property("checkState").toString(), u"pass"_s);
        QTRY_COMPARE(m_app->alice().snapshot.devices.voiceRegistered, std::optional<bool>(true));
        // Remembered for the next start.
        AgentSettings again(m_app->settingsFile());
        QCOMPARE(again.voiceUrl(), voice.url());
    }

    void settingsRefuseABadAddress()
    {
        signInAvailable();
        editSettings(
            [&](SettingsDialog &dialog) {
                dialog.findChild<QLineEdit *>(u"settingsVoiceUrl"_s)->setText(u"http://not-a-websocket"_s);
            },
            false);
        QCOMPARE(AgentSettings(m_app->settingsFile()).voiceUrl(), QUrl());
        QCOMPARE(int(m_app->controller().voice().registration()), int(VoiceRegistration::NotConfigured));
    }
};

QTEST_MAIN(TestAgentDesktop)
#include "tst_agent_desktop.moc"
