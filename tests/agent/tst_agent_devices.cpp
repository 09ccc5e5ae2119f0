// Audio devices and the network, as the server and the agent see them: a headset unplugged is
// reported at once (not at the next heartbeat) and shows in the device check with the fix; the
// names of the devices in use and the measured round trip reach the server.

#include <QTest>

#include "AgentAppFixture.h"
#include "devices/DeviceMonitor.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestAgentDevices final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AgentAppFixture> m_app;

    QString checkState(const QString &id)
    {
        return m_app->find<QWidget>(u"check-"_s + id)->property("checkState").toString();
    }
    QString checkFix(const QString &id)
    {
        return m_app->find<QWidget>(u"check-"_s + id)->findChild<QLabel *>(u"checkFix"_s)->text();
    }

private Q_SLOTS:
    void init()
    {
        m_app = std::make_unique<AgentAppFixture>();
        QVERIFY2(m_app->startServer(), qPrintable(m_app->server().error()));
        m_app->startApp();
        QVERIFY(m_app->signInAlice());
        m_app->find<StatusSelector>(u"statusSelector"_s)->choose(AgentStatus::Available);
        QTRY_COMPARE(toString(m_app->alice().snapshot.status), u"available"_s);
    }
    void cleanup() { m_app.reset(); }

    void headsetPresentIsReportedWithItsName()
    {
        QTRY_COMPARE(m_app->alice().snapshot.devices.audioInput, std::optional<bool>(true));
        QCOMPARE(m_app->alice().snapshot.devices.audioOutput, std::optional<bool>(true));
        QCOMPARE(m_app->alice().deviceDetails.audioInputName, u"Jabra Evolve 40"_s);
        QCOMPARE(m_app->alice().snapshot.deviceConnected, true);
        QCOMPARE(checkState(u"microphone"_s), u"pass"_s);
        QCOMPARE(checkState(u"speaker"_s), u"pass"_s);
    }

    void unpluggingIsReportedAtOnce_data()
    {
        QTest::addColumn<bool>("input");
        QTest::addColumn<QString>("check");
        QTest::newRow("microphone") << true << u"microphone"_s;
        QTest::newRow("speakers") << false << u"speaker"_s;
    }
    void unpluggingIsReportedAtOnce()
    {
        QFETCH(bool, input);
        QFETCH(QString, check);
        // Without a whole headset the agent cannot talk: the seed's deviceConnected goes false, the
        // server's device factor drops to 0 and the agent is not ready (not merely a few points less).
        const QString serverReason = u"Device not connected"_s;
        const qint64 heartbeatDue = m_app->session().nextHeartbeatAtMs();
        if (input)
            m_app->audio().setInputs({});
        else
            m_app->audio().setOutputs({});
        // The clock has not moved: no heartbeat was due, the deviceState message carried it.
        const auto reported = [&] {
            return input ? m_app->alice().snapshot.devices.audioInput : m_app->alice().snapshot.devices.audioOutput;
        };
        QTRY_COMPARE(reported(), std::optional<bool>(false));
        QCOMPARE(m_app->session().nextHeartbeatAtMs(), heartbeatDue);
        QCOMPARE(m_app->alice().snapshot.deviceConnected, false);

        QCOMPARE(checkState(check), u"fail"_s);
        QCOMPARE(checkFix(check), u"Plug in a headset."_s);
        QTRY_VERIFY(m_app->text(u"readinessReasons"_s).contains(serverReason));
        QCOMPARE(m_app->text(u"readinessHeadline"_s), u"Not ready for calls"_s);

        // Plugged back in: reported at once too, and the check turns green.
        m_app->audio().setInputs({Headset});
        m_app->audio().setOutputs({HeadsetSpeaker});
        QTRY_COMPARE(reported(), std::optional<bool>(true));
        QCOMPARE(checkState(check), u"pass"_s);
        QTRY_VERIFY(!m_app->text(u"readinessReasons"_s).contains(serverReason));
    }

    void roundTripIsMeasuredAndReported()
    {
        // The first heartbeat went with a WebSocket ping; its pong is the first measurement.
        QTRY_VERIFY(m_app->session().roundTripMs().has_value());
        QVERIFY(!m_app->alice().snapshot.devices.networkRttMs.has_value());
        m_app->clock().setNowMs(m_app->session().nextHeartbeatAtMs());
        m_app->session().poll();
        // The next heartbeat carries it.
        QTRY_VERIFY(m_app->alice().snapshot.devices.networkRttMs.has_value());
        const auto rtt = m_app->alice().snapshot.devices.networkRttMs;
        QVERIFY(*rtt >= 0 && *rtt < 1000); // loopback
        QCOMPARE(checkState(u"network"_s), u"pass"_s);
    }

    void monitorReportsOnlyRealChanges()
    {
        StaticAudioDeviceSource source;
        source.setInputs({AudioDevice {"a", u"Laptop mic"_s, false}, AudioDevice {"b", u"Headset mic"_s, true}});
        DeviceMonitor monitor(source);
        QCOMPARE(monitor.state().audioInputName, std::optional<QString>(u"Headset mic"_s)); // the default one
        QCOMPARE(monitor.state().audioOutput, std::optional<bool>(false));
        QSignalSpy changed(&monitor, &DeviceMonitor::changed);
        source.setInputs(source.inputs()); // the system re-announced the same devices
        QCOMPARE(changed.size(), 0);
        source.setOutputs({AudioDevice {"c", u"Speakers"_s, false}});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().first().value<DeviceState>().audioOutputName, std::optional<QString>(u"Speakers"_s));
    }
};

QTEST_MAIN(TestAgentDevices)
#include "tst_agent_devices.moc"
