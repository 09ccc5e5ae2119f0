// The desktop idle sources against a real X server: an Xvfb the test starts for itself (tests run
// offscreen, with no display), input made through XTest by xdotool. Both are Debian packages in
// scripts/common.sh; where either is missing the test says which and skips what needs it. Also the
// start-up choice: an X11 session without GNOME's compositor is read through the X server, a
// Wayland session never is (XWayland does not see input to Wayland windows).

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include "core/Clock.h"
#include "desktop/IdleSource.h"
#ifdef HEARTLINE_AGENT_HAS_XSS
#include "desktop/X11IdleSource.h"
#endif

using namespace heartline;
using namespace Qt::StringLiterals;

class TestAgentIdleX11 final : public QObject
{
    Q_OBJECT

private:
    QProcess m_xvfb;
    QByteArray m_display; ///< ":N", chosen by Xvfb itself (-displayfd), so parallel tests do not collide
    SystemClock m_clock;

private Q_SLOTS:
    void initTestCase()
    {
#ifndef HEARTLINE_AGENT_HAS_XSS
        QSKIP("built without libXss (Debian package libxss-dev): the app has no X11 idle source to test");
#endif
        const QString xvfb = QStandardPaths::findExecutable(u"Xvfb"_s);
        if (xvfb.isEmpty())
            QSKIP("Xvfb is not installed (Debian package xvfb): no X server to read the idle time from");
        m_xvfb.start(xvfb, {u"-displayfd"_s, u"1"_s, u"-screen"_s, u"0"_s, u"640x480x24"_s, u"-nolisten"_s, u"tcp"_s});
        QVERIFY2(m_xvfb.waitForStarted(10'000), qPrintable(m_xvfb.errorString()));
        // Xvfb writes the display number it took once it accepts connections.
        while (!m_xvfb.canReadLine() && m_xvfb.waitForReadyRead(10'000)) { }
        const QByteArray number = m_xvfb.readLine().trimmed();
        QVERIFY2(!number.isEmpty(), "Xvfb did not say which display it took");
        m_display = ':' + number;
        // The session as an X11 desktop without GNOME: no session bus to ask, no Wayland.
        qputenv("DISPLAY", m_display);
        qputenv("XDG_SESSION_TYPE", "x11");
        qunsetenv("WAYLAND_DISPLAY");
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/heartline-test-bus");
    }

    void cleanupTestCase()
    {
        if (m_xvfb.state() != QProcess::NotRunning) {
            m_xvfb.terminate();
            m_xvfb.waitForFinished(5000);
        }
    }

#ifdef HEARTLINE_AGENT_HAS_XSS
    void theXServersIdleTimeGrowsAndInputResetsIt()
    {
        X11IdleSource source(m_display);
        QVERIFY(source.isOpen());
        const std::optional<qint64> first = source.idleMs();
        QVERIFY(first.has_value());
        // The X server keeps its own time: there is no clock to move, so the test waits for it.
        QTRY_VERIFY_WITH_TIMEOUT(source.idleMs().value_or(0) >= *first + 500, 5000);

        const QString xdotool = QStandardPaths::findExecutable(u"xdotool"_s);
        if (xdotool.isEmpty())
            QSKIP("xdotool is not installed (Debian package xdotool): no way to make input on the X server");
        const qint64 before = source.idleMs().value_or(0);
        QCOMPARE(QProcess::execute(xdotool, {u"mousemove"_s, u"--"_s, u"40"_s, u"30"_s}), 0);
        const std::optional<qint64> after = source.idleMs();
        QVERIFY(after.has_value());
        QVERIFY2(*after < before, qPrintable(u"idle %1 ms after input, %2 ms before"_s.arg(*after).arg(before)));
    }

    void aDisplayThatIsNotThereIsNotOpen()
    {
        X11IdleSource source(":4242");
        QVERIFY(!source.isOpen());
        QCOMPARE(source.idleMs(), std::nullopt);
    }

    void anX11SessionWithoutGnomeIsReadThroughTheXServer()
    {
        const std::unique_ptr<IdleSource> chosen = IdleSource::forDesktop(m_clock);
        QCOMPARE(chosen->name(), u"X11 (MIT-SCREEN-SAVER)"_s);
        QVERIFY(chosen->seesWholeDesktop());
    }
#endif

    void aWaylandSessionIsNeverReadThroughXWayland()
    {
        qputenv("WAYLAND_DISPLAY", "wayland-0");
        const std::unique_ptr<IdleSource> chosen = IdleSource::forDesktop(m_clock);
        qunsetenv("WAYLAND_DISPLAY");
        // Without GNOME's compositor or a screensaver on the bus, only the app's own windows are left.
        QVERIFY(!chosen->seesWholeDesktop());
        QCOMPARE(chosen->name(), u"this app's windows only"_s);
        QVERIFY(chosen->idleMs().has_value());
    }
};

QTEST_GUILESS_MAIN(TestAgentIdleX11)
#include "tst_agent_idle_x11.moc"
