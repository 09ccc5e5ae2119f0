// Connectivity issues as agents' devices, heartbeats and connections change: one row when a
// problem starts, closed_at when it ends, nothing written for reports that change nothing,
// logout closing everything, restarts neither duplicating nor forgetting, and the feature flag.

#include <QTest>

#include "ConnectivityFixture.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(heartline::DeviceReport)

namespace {

/// Records what the monitor signals, for supervisors later.
struct IssueRecorder
{
    QList<ConnectivityIssue> opened;
    QList<ConnectivityIssue> closed;

    explicit IssueRecorder(ConnectivityMonitor &monitor)
    {
        QObject::connect(&monitor, &ConnectivityMonitor::issueOpened, &monitor,
                         [this](const ConnectivityIssue &issue) { opened.append(issue); });
        QObject::connect(&monitor, &ConnectivityMonitor::issueClosed, &monitor,
                         [this](const ConnectivityIssue &issue) { closed.append(issue); });
    }
};

QString row(const QString &agent, const QString &kind, qint64 openedAt, std::optional<qint64> closedAt,
            const QString &detail)
{
    return u"%1|%2|%3|%4|%5"_s.arg(agent, kind, QString::number(openedAt),
                                   closedAt ? QString::number(*closedAt) : u"NULL"_s, detail);
}

} // namespace

class TestConnectivity final : public QObject
{
    Q_OBJECT

private:
    ConnectivityFixture f;

private Q_SLOTS:
    void init() { QVERIFY(f.start()); }
    void cleanup() { f.stop(); }

    void headsetUnpluggedOpensOneIssueAndPluggingBackClosesIt_data()
    {
        QTest::addColumn<DeviceReport>("unplugged");
        QTest::addColumn<QString>("detail");
        QTest::newRow("no input") << devices(false, true, true, 40) << u"headset or microphone not found"_s;
        QTest::newRow("no output") << devices(true, false, true, 40) << u"headset or speakers not found"_s;
        QTest::newRow("neither") << devices(false, false, true, 40)
                                 << u"headset or microphone not found; headset or speakers not found"_s;
    }
    void headsetUnpluggedOpensOneIssueAndPluggingBackClosesIt()
    {
        QFETCH(DeviceReport, unplugged);
        QFETCH(QString, detail);
        IssueRecorder recorder(f.monitor());
        QVERIFY(f.heartbeat(u"alice"_s, true, healthyDevices()));
        QCOMPARE(f.issueRows(), QStringList());

        f.clock().advanceSeconds(5);
        const qint64 openedAt = f.clock().nowMs();
        QVERIFY(f.reportDevices(u"alice"_s, unplugged));
        QCOMPARE(f.issueRows(), QStringList {row(u"alice"_s, u"headset_unplugged"_s, openedAt, std::nullopt, detail)});
        QCOMPARE(f.openKinds(u"alice"_s), QStringList {u"headset_unplugged"_s});
        QCOMPARE(f.monitor().openCount(ConnectivityIssueKind::HeadsetUnplugged), 1);
        QCOMPARE(recorder.opened.size(), 1);
        QCOMPARE(recorder.opened.first().detail, detail);

        f.clock().advanceSeconds(20);
        const qint64 closedAt = f.clock().nowMs();
        QVERIFY(f.reportDevices(u"alice"_s, healthyDevices()));
        QCOMPARE(f.issueRows(), QStringList {row(u"alice"_s, u"headset_unplugged"_s, openedAt, closedAt, detail)});
        QCOMPARE(f.openKinds(u"alice"_s), QStringList());
        QCOMPARE(f.monitor().openCount(ConnectivityIssueKind::HeadsetUnplugged), 0);
        QCOMPARE(recorder.closed.size(), 1);
        QCOMPARE(recorder.closed.first().id, recorder.opened.first().id);
        QCOMPARE(recorder.closed.first().closedAtMs, std::optional<qint64>(closedAt));
    }

    void repeatedIdenticalReportsWriteNothing()
    {
        QVERIFY(f.heartbeat(u"alice"_s, true, devices(true, true, false, 40)));
        QVERIFY(f.heartbeat(u"bob"_s, true, healthyDevices()));
        const QStringList table = f.issueTable();
        QCOMPARE(table.size(), 1);
        QVERIFY2(table.first().contains(u"|voice_unregistered|"_s), qPrintable(table.first()));

        IssueRecorder recorder(f.monitor());
        for (int i = 0; i < 10; ++i) {
            f.clock().advanceSeconds(20);
            QVERIFY(f.heartbeat(u"alice"_s, true, devices(true, true, false, 40)));
            QVERIFY(f.reportDevices(u"alice"_s, devices(true, true, false, 40)));
            QVERIFY(f.heartbeat(u"alice"_s)); // the seed's heartbeat: no device report at all
            QVERIFY(f.heartbeat(u"bob"_s, true, healthyDevices()));
            f.agents().runDueWork();
        }
        QCOMPARE(f.issueTable(), table);
        QCOMPARE(recorder.opened.size(), 0);
        QCOMPARE(recorder.closed.size(), 0);
    }

    void staleHeartbeatOpensOnceTheThresholdPasses()
    {
        QVERIFY(f.heartbeat(u"alice"_s, true, healthyDevices()));
        const qint64 lastHeartbeat = f.clock().nowMs();
        f.clock().advanceSeconds(75); // HEARTBEAT_THRESHOLD: 2.5 x 30 s; exactly the limit still passes
        f.agents().runDueWork();
        QCOMPARE(f.issueRows(), QStringList());

        f.clock().advanceMs(1);
        f.agents().runDueWork();
        const qint64 openedAt = f.clock().nowMs();
        QCOMPARE(f.issueRows(),
                 QStringList {row(u"alice"_s, u"stale_heartbeat"_s, openedAt, std::nullopt,
                                  u"last heartbeat 76 s ago (limit 75 s)"_s)});
        QCOMPARE(openedAt - lastHeartbeat, 75'001);

        f.clock().advanceSeconds(30);
        f.agents().runDueWork();
        QCOMPARE(f.openIssueCount(), 1);
        QVERIFY(f.heartbeat(u"alice"_s, true, healthyDevices()));
        QCOMPARE(f.issueRows(),
                 QStringList {row(u"alice"_s, u"stale_heartbeat"_s, openedAt, f.clock().nowMs(),
                                  u"last heartbeat 76 s ago (limit 75 s)"_s)});
    }

    void highRoundTripOpensAtTheBadBoundAndClosesBelowIt()
    {
        QVERIFY(f.heartbeat(u"alice"_s, true, devices(true, true, true, 599.9)));
        QCOMPARE(f.issueRows(), QStringList());

        f.clock().advanceSeconds(1);
        const qint64 openedAt = f.clock().nowMs();
        const QString detail = u"round trip 600 ms measured by the agent app (bad from 600 ms)"_s;
        QVERIFY(f.reportDevices(u"alice"_s, devices(true, true, true, 600)));
        QCOMPARE(f.issueRows(), QStringList {row(u"alice"_s, u"high_rtt"_s, openedAt, std::nullopt, detail)});

        f.clock().advanceSeconds(1);
        QVERIFY(f.reportDevices(u"alice"_s, devices(true, true, true, 2000)));
        QCOMPARE(f.issueRows(), QStringList {row(u"alice"_s, u"high_rtt"_s, openedAt, std::nullopt, detail)});

        f.clock().advanceSeconds(1);
        QVERIFY(f.reportDevices(u"alice"_s, devices(true, true, true, 599.9)));
        QCOMPARE(f.issueRows(), QStringList {row(u"alice"_s, u"high_rtt"_s, openedAt, f.clock().nowMs(), detail)});
    }

    void webSocketPingCountsWhenItIsTheWorseRoundTrip()
    {
        f.agents().connectionOpened(u"alice"_s);
        QVERIFY(f.heartbeat(u"alice"_s, true, devices(true, true, true, 100), AgentStatus::Available, {},
                            HeartbeatTransport::WebSocket));
        f.agents().pingMeasured(u"alice"_s, 580);
        QCOMPARE(f.issueRows(), QStringList());
        f.agents().pingMeasured(u"alice"_s, 650);
        const qint64 openedAt = f.clock().nowMs();
        const QString detail = u"round trip 650 ms measured by WebSocket ping (bad from 600 ms)"_s;
        QCOMPARE(f.issueRows(), QStringList {row(u"alice"_s, u"high_rtt"_s, openedAt, std::nullopt, detail)});
        f.clock().advanceSeconds(5);
        f.agents().pingMeasured(u"alice"_s, 120);
        QCOMPARE(f.issueRows(), QStringList {row(u"alice"_s, u"high_rtt"_s, openedAt, f.clock().nowMs(), detail)});
    }

    void droppedSocketOpensDisconnectedUntilTheAgentReconnects()
    {
        f.agents().connectionOpened(u"alice"_s);
        QVERIFY(
            f.heartbeat(u"alice"_s, true, healthyDevices(), AgentStatus::Available, {}, HeartbeatTransport::WebSocket));
        QCOMPARE(f.issueRows(), QStringList());

        f.clock().advanceSeconds(3);
        const qint64 droppedAt = f.clock().nowMs();
        f.agents().connectionLost(u"alice"_s, u"socket closed"_s);
        QCOMPARE(f.issueRows(),
                 QStringList {row(u"alice"_s, u"disconnected"_s, droppedAt, std::nullopt,
                                  u"connection to the server dropped"_s)});

        f.clock().advanceSeconds(4);
        QVERIFY(f.agents().connectionOpened(u"alice"_s)); // resumed within the grace period
        QCOMPARE(f.issueRows(),
                 QStringList {row(u"alice"_s, u"disconnected"_s, droppedAt, f.clock().nowMs(),
                                  u"connection to the server dropped"_s)});
    }

    void logoutClosesEveryOpenIssueOfThatAgent()
    {
        QVERIFY(f.heartbeat(u"alice"_s, false, devices(false, false, false, 900)));
        QVERIFY(f.heartbeat(u"bob"_s, true, devices(true, true, false, 40)));
        QCOMPARE(f.openIssueCount(), 5);
        QCOMPARE(
            f.openKinds(u"alice"_s),
            (QStringList {u"headset_unplugged"_s, u"device_disconnected"_s, u"voice_unregistered"_s, u"high_rtt"_s}));

        f.clock().advanceSeconds(10);
        QVERIFY(!f.agents().closeSession(u"alice"_s, StatusChangeSource::Agent, u"logout"_s));
        const QString closedAt = f.nowText();
        TableReader tables(f.fixture().databasePath());
        QCOMPARE(
            tables
                .scalar(u"SELECT count(*) FROM connectivity_issues WHERE agent_id = 'alice' AND closed_at = %1"_s.arg(
                    closedAt))
                .toInt(),
            4);
        QCOMPARE(f.openIssueCount(), 1); // bob's
        QCOMPARE(f.openKinds(u"alice"_s), QStringList());
        QCOMPARE(f.openKinds(u"bob"_s), QStringList {u"voice_unregistered"_s});
        QCOMPARE(f.monitor().agentsWithOpenIssues(), 1);

        // Logged out, nothing about alice opens an issue; bob, logged in and silent, goes stale.
        f.clock().advanceSeconds(300);
        f.agents().runDueWork();
        QCOMPARE(f.openKinds(u"alice"_s), QStringList());
        QCOMPARE(f.openKinds(u"bob"_s), (QStringList {u"voice_unregistered"_s, u"stale_heartbeat"_s}));
        QCOMPARE(f.openIssueCount(), 2);
    }

    void restartKeepsOpenIssuesWithoutDuplicates()
    {
        QVERIFY(f.heartbeat(u"alice"_s, false, devices(false, true, true, 40)));
        QVERIFY(f.heartbeat(u"bob"_s, true, healthyDevices()));
        f.agents().flushHeartbeats();
        const QStringList table = f.issueTable();
        QCOMPARE(table.size(), 2);

        QVERIFY(f.restart());
        QCOMPARE(f.issueTable(), table);
        QCOMPARE(f.openKinds(u"alice"_s), (QStringList {u"headset_unplugged"_s, u"device_disconnected"_s}));
        QCOMPARE(f.monitor().openCount(ConnectivityIssueKind::DeviceDisconnected), 1);

        // The same report again after the restart: still the same two rows.
        f.clock().advanceSeconds(10);
        QVERIFY(f.heartbeat(u"alice"_s, false, devices(false, true, true, 40)));
        QCOMPARE(f.issueTable(), table);

        // The problems end: the rows opened before the restart are the ones closed.
        f.clock().advanceSeconds(10);
        QVERIFY(f.heartbeat(u"alice"_s, true, healthyDevices()));
        const QStringList after = f.issueTable();
        QCOMPARE(after.size(), 2);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(after[i].section(u'|', 0, 3), table[i].section(u'|', 0, 3)); // id, agent, kind, opened_at
            QCOMPARE(after[i].section(u'|', 4, 4), f.nowText());
        }
        QCOMPARE(f.openIssueCount(), 0);
    }

    void featureFlagOffRaisesNoDeviceIssues()
    {
        f.stop();
        QVERIFY(f.start({{u"FEATURE_DEVICE_CONNECTIVITY"_s, u"false"_s}}));
        QVERIFY(f.heartbeat(u"alice"_s, false, devices(false, false, false, 900)));
        f.agents().connectionOpened(u"bob"_s);
        QVERIFY(f.heartbeat(u"bob"_s, false, devices(false, false, false, 900), AgentStatus::Available, {},
                            HeartbeatTransport::WebSocket));
        f.agents().pingMeasured(u"bob"_s, 5000);
        QCOMPARE(f.issueRows(), QStringList());

        // Liveness is still watched.
        f.agents().connectionLost(u"bob"_s, u"socket closed"_s);
        f.clock().advanceSeconds(76);
        f.agents().runDueWork();
        QStringList kinds;
        for (const QString &issue : f.issueRows())
            kinds.append(issue.section(u'|', 0, 1));
        QCOMPARE(kinds, (QStringList {u"bob|disconnected"_s, u"alice|stale_heartbeat"_s}));
    }

    void issuesThatEndedWhileTheServerWasDownCloseAtStart()
    {
        QVERIFY(f.heartbeat(u"alice"_s, false, devices(false, true, true, 40)));
        f.agents().flushHeartbeats();
        QCOMPARE(f.openIssueCount(), 2);

        f.clock().advanceSeconds(60);
        QVERIFY(f.restart({{u"FEATURE_DEVICE_CONNECTIVITY"_s, u"false"_s}}));
        QCOMPARE(f.openIssueCount(), 0);
        const QStringList rows = f.issueRows();
        QCOMPARE(rows.size(), 2);
        for (const QString &issue : rows)
            QCOMPARE(issue.section(u'|', 3, 3), f.nowText());
        QCOMPARE(f.monitor().agentsWithOpenIssues(), 0);
    }
};

QTEST_GUILESS_MAIN(TestConnectivity)
#include "tst_connectivity.moc"
