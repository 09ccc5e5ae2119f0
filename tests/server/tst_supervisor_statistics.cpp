// AgentStatistics and agentView over a hand-built registry: heartbeat age buckets at their exact
// boundaries, counts by status, activity and connection, rates and averages over logged-in agents
// only, heartbeat processing percentiles, the same figures counted in slices, the registry's walk in
// id order after a cursor, and the mapping of a record to the wire AgentView.

#include <QJsonArray>
#include <QTest>

#include "agents/AgentRegistry.h"
#include "agents/AgentStatistics.h"
#include "agents/AgentViews.h"
#include "core/Clock.h"
#include "metrics/Metrics.h"
#include "readiness/ReadinessConfig.h"
#include "readiness/ReadinessScorer.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Now = ManualClock::DefaultStartMs;

ReadinessConfig configWith(int intervalSeconds, double thresholdSeconds)
{
    ReadinessConfig config;
    config.heartbeatIntervalSeconds = intervalSeconds;
    config.heartbeatThresholdSeconds = thresholdSeconds;
    return config;
}

/// A logged-in agent over HTTP with the given heartbeat age (none: never sent one).
AgentRecord &addLoggedIn(AgentRegistry &registry, const QString &id, std::optional<qint64> ageMs,
                         AgentStatus status = AgentStatus::Available, bool deviceConnected = true)
{
    AgentRecord &record = registry.upsert(AgentProfile {id, id.toUpper(), 1, {}, 0, 15, 3});
    record.snapshot.sessionActive = true;
    record.snapshot.status = status;
    record.snapshot.connection = ConnectionKind::HttpOnly;
    record.snapshot.deviceConnected = deviceConnected;
    if (ageMs)
        record.snapshot.lastHeartbeatMs = Now - *ageMs;
    record.activity = AgentActivity::Idle;
    return record;
}

QString bucketOf(const HeartbeatAgeBuckets &buckets)
{
    QStringList names;
    if (buckets.withinInterval)
        names.append(u"withinInterval"_s);
    if (buckets.withinTwoIntervals)
        names.append(u"withinTwoIntervals"_s);
    if (buckets.withinThreshold)
        names.append(u"withinThreshold"_s);
    if (buckets.expired)
        names.append(u"expired"_s);
    if (buckets.never)
        names.append(u"never"_s);
    return names.join(u',');
}

} // namespace

class TestSupervisorStatistics final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void heartbeatAgeBuckets_data()
    {
        QTest::addColumn<int>("interval");
        QTest::addColumn<double>("threshold");
        QTest::addColumn<qint64>("ageMs"); // -1: never
        QTest::addColumn<QString>("bucket");
        QTest::newRow("just now") << 30 << 75.0 << qint64(0) << u"withinInterval"_s;
        QTest::newRow("1 ms short of the interval") << 30 << 75.0 << qint64(29'999) << u"withinInterval"_s;
        QTest::newRow("exactly one interval") << 30 << 75.0 << qint64(30'000) << u"withinTwoIntervals"_s;
        QTest::newRow("1 ms short of two intervals") << 30 << 75.0 << qint64(59'999) << u"withinTwoIntervals"_s;
        QTest::newRow("exactly two intervals") << 30 << 75.0 << qint64(60'000) << u"withinThreshold"_s;
        QTest::newRow("exactly the threshold") << 30 << 75.0 << qint64(75'000) << u"withinThreshold"_s;
        QTest::newRow("1 ms past the threshold") << 30 << 75.0 << qint64(75'001) << u"expired"_s;
        QTest::newRow("hours old") << 30 << 75.0 << qint64(3 * 3600 * 1000) << u"expired"_s;
        QTest::newRow("never sent one") << 30 << 75.0 << qint64(-1) << u"never"_s;
        QTest::newRow("threshold under two intervals: expired first") << 30 << 40.0 << qint64(45'000) << u"expired"_s;
        QTest::newRow("fractional threshold") << 10 << 25.5 << qint64(25'500) << u"withinThreshold"_s;
    }
    void heartbeatAgeBuckets()
    {
        QFETCH(int, interval);
        QFETCH(double, threshold);
        QFETCH(qint64, ageMs);
        QFETCH(QString, bucket);
        AgentRegistry registry;
        addLoggedIn(registry, u"a1"_s, ageMs < 0 ? std::nullopt : std::optional<qint64>(ageMs));
        const AgentStatistics stats = AgentStatistics::compute(registry, configWith(interval, threshold), Now, nullptr);
        QCOMPARE(bucketOf(stats.heartbeatAges), bucket);
        const QJsonObject ages = stats.toJson().value(u"heartbeatAge"_s).toObject();
        QCOMPARE(ages.value(bucket).toInt(), 1);
        QCOMPARE(ages.value(u"intervalSeconds"_s).toInt(), interval);
        QCOMPARE(ages.value(u"thresholdSeconds"_s).toDouble(), threshold);
    }

    void countsAndRatesOverAKnownPopulation()
    {
        AgentRegistry registry;
        const ReadinessConfig config = configWith(30, 75);
        addLoggedIn(registry, u"a1"_s, 1000);
        addLoggedIn(registry, u"a2"_s, 5000);
        addLoggedIn(registry, u"a3"_s, 40'000, AgentStatus::Available, false);
        addLoggedIn(registry, u"a4"_s, 2000, AgentStatus::Away);
        AgentRecord &stale = addLoggedIn(registry, u"a5"_s, 90'000, AgentStatus::Offline);
        stale.activity = AgentActivity::Stale;
        AgentRecord &onSocket = addLoggedIn(registry, u"a6"_s, 1000);
        onSocket.snapshot.connection = ConnectionKind::WebSocket;
        onSocket.snapshot.activeCalls = 1;
        onSocket.activity = AgentActivity::OnCall;
        // Logged out: counted by status and activity, nowhere else (its old heartbeat included).
        AgentRecord &gone = registry.upsert(AgentProfile {u"a7"_s, u"A7"_s, 1, {}, 0, 15, 3});
        gone.snapshot.lastHeartbeatMs = Now - 500;
        gone.snapshot.deviceConnected = true;

        const AgentStatistics stats = AgentStatistics::compute(registry, config, Now, nullptr);
        QCOMPARE(stats.agents, 7);
        QCOMPARE(stats.loggedIn, 6);
        QCOMPARE(stats.count(AgentStatus::Available), 4);
        QCOMPARE(stats.count(AgentStatus::Away), 1);
        QCOMPARE(stats.count(AgentStatus::Offline), 2);
        QCOMPARE(stats.count(AgentActivity::Idle), 4);
        QCOMPARE(stats.count(AgentActivity::OnCall), 1);
        QCOMPARE(stats.count(AgentActivity::Stale), 1);
        QCOMPARE(stats.count(AgentActivity::Disconnected), 1);
        QCOMPARE(stats.count(ConnectionKind::HttpOnly), 5);
        QCOMPARE(stats.count(ConnectionKind::WebSocket), 1);
        QCOMPARE(stats.count(ConnectionKind::None), 0);
        QCOMPARE(stats.heartbeatAges, (HeartbeatAgeBuckets {4, 1, 0, 1, 0}));
        // a1, a2: available, fresh, device connected. a3 lost its device, a4 is away, a5 expired,
        // a6 is at capacity.
        QCOMPARE(stats.ready, 2);
        QCOMPARE(stats.notReady, 4);
        QCOMPARE(stats.deviceConnected, 5);
        QCOMPARE(stats.deviceConnectedRate, std::optional<double>(5.0 / 6.0));

        int sum = 0;
        registry.forEach([&](const AgentRecord &record) {
            if (record.snapshot.sessionActive)
                sum += scoreReadiness(record.snapshot, config, Now).score;
        });
        QCOMPARE(stats.averageReadinessScore, std::optional<double>(std::round(sum * 10.0 / 6) / 10));
        QCOMPARE(stats.heartbeatProcessing, std::nullopt);

        const QJsonObject json = stats.toJson();
        QCOMPARE(json.value(u"computedAtMs"_s).toInteger(), Now);
        QCOMPARE(json.value(u"byStatus"_s).toObject(),
                 (QJsonObject {{u"available"_s, 4}, {u"away"_s, 1}, {u"offline"_s, 2}}));
        QCOMPARE(json.value(u"byActivity"_s).toObject(),
                 (QJsonObject {{u"idle"_s, 4},
                               {u"ringing"_s, 0},
                               {u"on-call"_s, 1},
                               {u"wrap-up"_s, 0},
                               {u"cooldown"_s, 0},
                               {u"stale"_s, 1},
                               {u"disconnected"_s, 1}}));
        QCOMPARE(json.value(u"byConnection"_s).toObject(),
                 (QJsonObject {{u"websocket"_s, 1}, {u"http"_s, 5}, {u"none"_s, 0}}));
        QCOMPARE(json.value(u"heartbeatProcessing"_s), QJsonValue(QJsonValue::Null));
    }

    void nobodyLoggedInHasNoRates()
    {
        AgentRegistry registry;
        registry.upsert(AgentProfile {u"a1"_s, u"A1"_s, 1, {}, 0, 15, 3});
        const AgentStatistics stats = AgentStatistics::compute(registry, configWith(30, 75), Now, nullptr);
        QCOMPARE(stats.agents, 1);
        QCOMPARE(stats.loggedIn, 0);
        QCOMPARE(stats.ready + stats.notReady, 0);
        const QJsonObject json = stats.toJson();
        QCOMPARE(json.value(u"deviceConnectedRate"_s), QJsonValue(QJsonValue::Null));
        QCOMPARE(json.value(u"averageReadinessScore"_s), QJsonValue(QJsonValue::Null));
    }

    void heartbeatProcessingPercentilesInMilliseconds()
    {
        Histogram seconds({0.001, 0.002, 0.005, 0.01});
        AgentRegistry registry;
        // No observation yet: nothing to report rather than zeros.
        QCOMPARE(AgentStatistics::compute(registry, configWith(30, 75), Now, &seconds).heartbeatProcessing,
                 std::nullopt);
        for (int i = 0; i < 98; ++i)
            seconds.observe(0.0005);
        seconds.observe(0.008);
        seconds.observe(0.008);
        const AgentStatistics stats = AgentStatistics::compute(registry, configWith(30, 75), Now, &seconds);
        // p50 interpolates inside the first bucket: 1 ms x 50/98; p99 halfway through the 5-10 ms bucket.
        QCOMPARE(stats.heartbeatProcessing, (std::optional<ProcessingTimes>(ProcessingTimes {100, 0.51, 7.5})));
        QCOMPARE(stats.toJson().value(u"heartbeatProcessing"_s).toObject(),
                 (QJsonObject {{u"count"_s, 100}, {u"p50Ms"_s, 0.51}, {u"p99Ms"_s, 7.5}}));
    }

    void viewOfARecord()
    {
        AgentRegistry registry;
        AgentRecord &record
            = registry.upsert(AgentProfile {u"a1"_s, u"Ada Lovelace"_s, 2, {u"support"_s, u"sales"_s}, 0, 15, 3});
        record.snapshot.sessionActive = true;
        record.snapshot.status = AgentStatus::Available;
        record.snapshot.awayReason = u"lunch"_s; // left over: only an away agent shows a reason
        record.snapshot.connection = ConnectionKind::WebSocket;
        record.snapshot.wsPingRttMs = 12.5;
        record.snapshot.lastHeartbeatMs = Now - 4000;
        record.snapshot.deviceConnected = true;
        record.snapshot.devices = DeviceReport {true, true, false, 38.0, std::nullopt};
        record.deviceDetails = DeviceDetails {u"Headset Mic"_s, u"Headset"_s, QString(), std::nullopt, std::nullopt};
        record.snapshot.activeCalls = 1;
        record.currentCallStartedMs = Now - 60'000;
        record.callsToday = 14;
        record.activity = AgentActivity::OnCall;

        const ReadinessConfig config = configWith(30, 75);
        const AgentView view = agentView(record, config, Now);
        QCOMPARE(view.agentId, u"a1"_s);
        QCOMPARE(view.displayName, u"Ada Lovelace"_s);
        QCOMPARE(toString(view.status), u"available"_s);
        QCOMPARE(view.awayReason, std::nullopt);
        QCOMPARE(toString(view.activity), u"on-call"_s);
        QVERIFY(view.loggedIn);
        QCOMPARE(toString(view.connection), u"websocket"_s);
        QCOMPARE(view.lastHeartbeatMs, std::optional<qint64>(Now - 4000));
        QCOMPARE(view.devices,
                 (DeviceState {true, true, u"Headset Mic"_s, u"Headset"_s, false, 38.0, std::nullopt, std::nullopt,
                               std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
        QVERIFY(view.deviceConnected);
        QCOMPARE(view.activeCalls, 1);
        QCOMPARE(view.maxConcurrentCalls, 2);
        QCOMPARE(view.callsToday, 14);
        QCOMPARE(view.currentCallStartedMs, std::optional<qint64>(Now - 60'000));
        QCOMPARE(view.wsRttMs, std::optional<double>(12.5));
        QCOMPARE(view.queues, (QStringList {u"support"_s, u"sales"_s}));
        QCOMPARE(view.readiness, scoreReadiness(record.snapshot, config, Now));

        // Away shows its reason; a call start without an active call is not shown.
        record.snapshot.status = AgentStatus::Away;
        record.snapshot.activeCalls = 0;
        const AgentView away = agentView(record, config, Now);
        QCOMPARE(away.awayReason, std::optional<QString>(u"lunch"_s));
        QCOMPARE(away.currentCallStartedMs, std::nullopt);
        // The wire form reads back to the same view.
        JsonReader reader(toJson(away));
        AgentView readBack;
        readFields(reader, readBack);
        QVERIFY2(reader.ok(), reader.ok() ? "" : qPrintable(reader.problem().message));
        QCOMPARE(readBack, away);
    }

    void registryWalksInIdOrderAfterACursor()
    {
        AgentRegistry registry;
        for (const QString &id : {u"c"_s, u"a"_s, u"e"_s, u"b"_s, u"d"_s})
            registry.upsert(AgentProfile {id, id.toUpper(), 1, {}, 0, 15, 3});
        const auto idsAfter = [&](const QString &afterId, qsizetype limit) {
            QStringList ids;
            registry.forEachAfter(afterId, limit,
                                  [&](const AgentRecord &record) { ids.append(record.profile.agentId); });
            return ids;
        };
        QCOMPARE(idsAfter({}, 2), (QStringList {u"a"_s, u"b"_s}));
        QCOMPARE(idsAfter(u"b"_s, 2), (QStringList {u"c"_s, u"d"_s}));
        QCOMPARE(idsAfter(u"d"_s, 2), QStringList {u"e"_s});
        QCOMPARE(idsAfter(u"e"_s, 2), QStringList {});
        QCOMPARE(idsAfter({}, 0), QStringList {});
        // The cursor is an id, not a position: agents added and removed between two steps are no
        // trouble, even the one the cursor names.
        registry.remove(u"b"_s);
        registry.upsert(AgentProfile {u"bb"_s, u"BB"_s, 1, {}, 0, 15, 3});
        registry.upsert(AgentProfile {u"a0"_s, u"A0"_s, 1, {}, 0, 15, 3});
        QCOMPARE(idsAfter(u"b"_s, 10), (QStringList {u"bb"_s, u"c"_s, u"d"_s, u"e"_s}));
        QCOMPARE(idsAfter({}, 10), (QStringList {u"a"_s, u"a0"_s, u"bb"_s, u"c"_s, u"d"_s, u"e"_s}));
        // Updating a known agent's profile leaves it where it was.
        registry.upsert(AgentProfile {u"c"_s, u"Cee"_s, 2, {}, 0, 15, 3});
        QCOMPARE(idsAfter(u"bb"_s, 1), QStringList {u"c"_s});
        QCOMPARE(registry.size(), 6);
    }

    void statisticsInSlicesEqualOneWalk()
    {
        AgentRegistry registry;
        const ReadinessConfig config = configWith(30, 75);
        for (int i = 0; i < 23; ++i) {
            const QString id = u"agent%1"_s.arg((i * 7) % 23, 2, 10, QLatin1Char('0'));
            if (i % 5 == 4) {
                registry.upsert(AgentProfile {id, id, 1, {}, 0, 15, 3}); // logged out
                continue;
            }
            AgentRecord &record = addLoggedIn(registry, id, i % 3 == 0 ? std::nullopt : std::optional<qint64>(i * 4000),
                                              i % 4 == 0 ? AgentStatus::Away : AgentStatus::Available, i % 6 != 1);
            if (i % 7 == 2) {
                record.snapshot.activeCalls = 1;
                record.activity = AgentActivity::OnCall;
            }
        }
        AgentStatisticsTally tally(config, Now);
        QString cursor;
        int slices = 0;
        while (true) {
            const int before = tally.agentsAdded();
            registry.forEachAfter(cursor, 4, [&](const AgentRecord &record) {
                tally.add(record);
                cursor = record.profile.agentId;
            });
            ++slices;
            if (tally.agentsAdded() - before < 4)
                break;
        }
        QCOMPARE(slices, 6);
        QCOMPARE(tally.nowMs(), Now);
        const AgentStatistics sliced = tally.result(nullptr);
        const AgentStatistics whole = AgentStatistics::compute(registry, config, Now, nullptr);
        QCOMPARE(sliced.agents, 23);
        QVERIFY(sliced.ready > 0 && sliced.notReady > 0 && sliced.heartbeatAges.never > 0);
        QCOMPARE(sliced.toJson(), whole.toJson());
    }

    void readinessIsScoredForTheViewsInstant()
    {
        AgentRegistry registry;
        AgentRecord &record = addLoggedIn(registry, u"a1"_s, 0);
        const ReadinessConfig config = configWith(30, 75);
        record.readiness = scoreReadiness(record.snapshot, config, Now);
        record.readinessAtMs = Now;
        QVERIFY(record.readiness.ready);
        // 80 s later, with no change to the record, the view shows the expired heartbeat.
        const AgentView later = agentView(record, config, Now + 80'000);
        QVERIFY(!later.readiness.ready);
        QCOMPARE(later.readiness.failedGates.first().gate, u"heartbeat_expired"_s);
    }
};

QTEST_APPLESS_MAIN(TestSupervisorStatistics)
#include "tst_supervisor_statistics.moc"
