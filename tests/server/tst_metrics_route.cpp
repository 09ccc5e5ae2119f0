// GET /metrics as a Prometheus scraper reads it: no token, the 0.0.4 content type, HELP and TYPE
// for every family, exact gauge values for a known population (the readiness distribution among
// them), series that follow the population down as well as up, histogram counts that never go
// down, and metrics registered by other code.

#include <QRegularExpression>
#include <QTest>

#include "ConnectivityFixture.h"
#include "metrics/Metrics.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

/// "name{labels} value" lines of an exposition, keyed by everything before the value.
QHash<QString, QString> samples(const QByteArray &text)
{
    QHash<QString, QString> values;
    for (const QString &line : QString::fromUtf8(text).split(u'\n', Qt::SkipEmptyParts)) {
        if (line.startsWith(u'#'))
            continue;
        const qsizetype space = line.lastIndexOf(u' ');
        values.insert(line.left(space), line.mid(space + 1));
    }
    return values;
}

} // namespace

class TestMetricsRoute final : public QObject
{
    Q_OBJECT

private:
    ConnectivityFixture f;

    QByteArray scrape()
    {
        const HttpReply reply = HttpTestClient(f.fixture().baseUrl()).get(u"/metrics"_s);
        if (reply.status != 200)
            qWarning() << "/metrics answered" << reply.status << reply.body;
        return reply.body;
    }

    /// dave's heartbeat goes stale, frank's socket drops, carol's device is not connected, bob is
    /// away, alice is ready; erin never logs in. Scores: alice 100, bob 100, carol 65, dave 70, frank 100.
    void buildPopulation()
    {
        QVERIFY(f.heartbeat(u"dave"_s, true));
        f.clock().advanceSeconds(80);
        QVERIFY(f.heartbeat(u"alice"_s, true));
        QVERIFY(f.heartbeat(u"bob"_s, true, std::nullopt, AgentStatus::Away, u"break"_s));
        QVERIFY(f.heartbeat(u"carol"_s, false));
        f.agents().connectionOpened(u"frank"_s);
        QVERIFY(f.heartbeat(u"frank"_s, true, std::nullopt, AgentStatus::Available, {}, HeartbeatTransport::WebSocket));
        f.agents().connectionLost(u"frank"_s, u"socket closed"_s);
        f.agents().runDueWork(); // dave: stale, put offline
    }

private Q_SLOTS:
    void init() { QVERIFY(f.start()); }
    void cleanup() { f.stop(); }

    void answersWithoutATokenInTheTextFormat()
    {
        const HttpReply reply = HttpTestClient(f.fixture().baseUrl()).get(u"/metrics"_s);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QCOMPARE(reply.header("Cache-Control"), QByteArray("no-store"));
        const QString text = QString::fromUtf8(reply.body);
        const QList<std::pair<QString, QString>> families {
            {u"heartline_agents"_s, u"gauge"_s},
            {u"heartline_agents_by_activity"_s, u"gauge"_s},
            {u"heartline_agents_ready"_s, u"gauge"_s},
            {u"heartline_agents_by_readiness_score"_s, u"gauge"_s},
            {u"heartline_device_connected_ratio"_s, u"gauge"_s},
            {u"heartline_connectivity_issues_open"_s, u"gauge"_s},
            {u"heartline_connectivity_issues_opened_total"_s, u"counter"_s},
            {u"heartline_uptime_seconds"_s, u"gauge"_s},
        };
        for (const auto &[name, type] : families) {
            QVERIFY2(text.contains(
                         QRegularExpression(u"^# HELP %1 \\S.*$"_s.arg(name), QRegularExpression::MultilineOption)),
                     qPrintable(name));
            QVERIFY2(text.contains(u"\n# TYPE %1 %2\n"_s.arg(name, type)), qPrintable(name));
        }
        QVERIFY(reply.body.endsWith('\n'));
        // Nobody logged in: every series is there, at zero.
        const auto values = samples(reply.body);
        QCOMPARE(values.value(u"heartline_agents{status=\"available\"}"_s), u"0"_s);
        QCOMPARE(values.value(u"heartline_agents_by_activity{activity=\"on-call\"}"_s), u"0"_s);
        QCOMPARE(values.value(u"heartline_agents_by_readiness_score{le=\"+Inf\"}"_s), u"0"_s);
        QCOMPARE(values.value(u"heartline_device_connected_ratio"_s), u"0"_s);
        QCOMPARE(values.value(u"heartline_connectivity_issues_open{kind=\"high_rtt\"}"_s), u"0"_s);
    }

    void gaugesDescribeTheAgents()
    {
        buildPopulation();
        const auto values = samples(scrape());
        const QHash<QString, QString> expected {
            {u"heartline_agents{status=\"available\"}"_s, u"3"_s},
            {u"heartline_agents{status=\"away\"}"_s, u"1"_s},
            {u"heartline_agents{status=\"offline\"}"_s, u"1"_s},
            {u"heartline_agents_by_activity{activity=\"idle\"}"_s, u"3"_s},
            {u"heartline_agents_by_activity{activity=\"ringing\"}"_s, u"0"_s},
            {u"heartline_agents_by_activity{activity=\"on-call\"}"_s, u"0"_s},
            {u"heartline_agents_by_activity{activity=\"wrap-up\"}"_s, u"0"_s},
            {u"heartline_agents_by_activity{activity=\"cooldown\"}"_s, u"0"_s},
            {u"heartline_agents_by_activity{activity=\"stale\"}"_s, u"1"_s},
            {u"heartline_agents_by_activity{activity=\"disconnected\"}"_s, u"1"_s},
            {u"heartline_agents_ready"_s, u"1"_s},
            {u"heartline_device_connected_ratio"_s, u"0.8"_s},
            {u"heartline_connectivity_issues_open{kind=\"headset_unplugged\"}"_s, u"0"_s},
            {u"heartline_connectivity_issues_open{kind=\"device_disconnected\"}"_s, u"1"_s},
            {u"heartline_connectivity_issues_open{kind=\"voice_unregistered\"}"_s, u"0"_s},
            {u"heartline_connectivity_issues_open{kind=\"stale_heartbeat\"}"_s, u"1"_s},
            {u"heartline_connectivity_issues_open{kind=\"high_rtt\"}"_s, u"0"_s},
            {u"heartline_connectivity_issues_open{kind=\"disconnected\"}"_s, u"1"_s},
            {u"heartline_connectivity_issues_opened_total{kind=\"stale_heartbeat\"}"_s, u"1"_s},
            {u"heartline_uptime_seconds"_s, u"80"_s},
            {u"heartline_agents_by_readiness_score{le=\"10\"}"_s, u"0"_s},
            {u"heartline_agents_by_readiness_score{le=\"60\"}"_s, u"0"_s},
            {u"heartline_agents_by_readiness_score{le=\"70\"}"_s, u"2"_s},
            {u"heartline_agents_by_readiness_score{le=\"80\"}"_s, u"2"_s},
            {u"heartline_agents_by_readiness_score{le=\"90\"}"_s, u"2"_s},
            {u"heartline_agents_by_readiness_score{le=\"100\"}"_s, u"5"_s},
            {u"heartline_agents_by_readiness_score{le=\"+Inf\"}"_s, u"5"_s},
        };
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QVERIFY2(values.value(it.key()) == it.value(),
                     qPrintable(u"%1: %2, expected %3"_s.arg(it.key(), values.value(it.key()), it.value())));
    }

    void scrapesFollowThePopulationDown()
    {
        buildPopulation();
        (void)scrape();
        // carol and dave log out, frank comes back; nothing may linger from the first scrape.
        QVERIFY(!f.agents().closeSession(u"carol"_s, StatusChangeSource::Agent, u"logout"_s));
        QVERIFY(!f.agents().closeSession(u"dave"_s, StatusChangeSource::Agent, u"logout"_s));
        f.agents().connectionOpened(u"frank"_s);
        f.clock().advanceSeconds(10);
        const auto values = samples(scrape());
        QCOMPARE(values.value(u"heartline_agents{status=\"available\"}"_s), u"2"_s);
        QCOMPARE(values.value(u"heartline_agents{status=\"offline\"}"_s), u"0"_s);
        QCOMPARE(values.value(u"heartline_agents_by_activity{activity=\"stale\"}"_s), u"0"_s);
        QCOMPARE(values.value(u"heartline_agents_by_activity{activity=\"disconnected\"}"_s), u"0"_s);
        QCOMPARE(values.value(u"heartline_agents_by_activity{activity=\"idle\"}"_s), u"3"_s);
        QCOMPARE(values.value(u"heartline_agents_ready"_s), u"2"_s);
        QCOMPARE(values.value(u"heartline_device_connected_ratio"_s), u"1"_s);
        QCOMPARE(values.value(u"heartline_connectivity_issues_open{kind=\"device_disconnected\"}"_s), u"0"_s);
        QCOMPARE(values.value(u"heartline_connectivity_issues_open{kind=\"disconnected\"}"_s), u"0"_s);
        // Opened issues are counted, not undone.
        QCOMPARE(values.value(u"heartline_connectivity_issues_opened_total{kind=\"device_disconnected\"}"_s), u"1"_s);
        // The scores are those of the agents now: three, each scored 100.
        QCOMPARE(values.value(u"heartline_agents_by_readiness_score{le=\"90\"}"_s), u"0"_s);
        QCOMPARE(values.value(u"heartline_agents_by_readiness_score{le=\"100\"}"_s), u"3"_s);
        QCOMPARE(values.value(u"heartline_agents_by_readiness_score{le=\"+Inf\"}"_s), u"3"_s);
        QCOMPARE(values.value(u"heartline_uptime_seconds"_s), u"90"_s);
    }

    void histogramCountsNeverGoDown()
    {
        // A histogram's buckets and count are counters to Prometheus: a drop reads as a reset and
        // rate() over it invents observations. Agents logging out must not lower any of them.
        buildPopulation();
        const QByteArray first = scrape();
        QVERIFY(!f.agents().closeSession(u"carol"_s, StatusChangeSource::Agent, u"logout"_s));
        QVERIFY(!f.agents().closeSession(u"dave"_s, StatusChangeSource::Agent, u"logout"_s));
        QVERIFY(!f.agents().closeSession(u"alice"_s, StatusChangeSource::Agent, u"logout"_s));
        f.clock().advanceSeconds(5);
        QVERIFY(f.heartbeat(u"erin"_s, true)); // and one comes
        const QByteArray second = scrape();

        const auto before = samples(first);
        const auto after = samples(second);
        static const QRegularExpression histogramType(u"^# TYPE (\\S+) histogram$"_s,
                                                      QRegularExpression::MultilineOption);
        int checked = 0;
        for (const QRegularExpressionMatch &type : histogramType.globalMatch(QString::fromUtf8(first))) {
            const QString name = type.captured(1);
            for (auto it = before.cbegin(); it != before.cend(); ++it) {
                if (!it.key().startsWith(name + u"_bucket") && it.key() != name + u"_count")
                    continue;
                QVERIFY2(after.value(it.key()).toDouble() >= it.value().toDouble(),
                         qPrintable(u"%1 went from %2 to %3"_s.arg(it.key(), it.value(), after.value(it.key()))));
                ++checked;
            }
        }
        QVERIFY(checked > 0);

        // The distribution of readiness follows the agents logged in now, down as well as up:
        // bob, frank and erin, each scored 100.
        QCOMPARE(after.value(u"heartline_agents_by_readiness_score{le=\"90\"}"_s), u"0"_s);
        QCOMPARE(after.value(u"heartline_agents_by_readiness_score{le=\"+Inf\"}"_s), u"3"_s);
        double loggedIn = 0;
        for (const QString &status : {u"available"_s, u"away"_s, u"offline"_s})
            loggedIn += after.value(u"heartline_agents{status=\"%1\"}"_s.arg(status)).toDouble();
        QCOMPARE(after.value(u"heartline_agents_by_readiness_score{le=\"+Inf\"}"_s).toDouble(), loggedIn);
    }

    void metricsRegisteredElsewhereAreExposed()
    {
        MetricsRegistry &metrics = f.server().metrics();
        metrics.counter(u"heartline_heartbeats_total"_s, u"Heartbeats received."_s, {u"transport"_s}, {u"http"_s})
            .increment(3);
        metrics
            .histogram(u"heartline_heartbeat_processing_seconds"_s, u"Heartbeat handling time."_s,
                       MetricsRegistry::latencyBuckets())
            .observe(0.0002);
        const QByteArray text = scrape();
        QVERIFY2(text.contains("# TYPE heartline_heartbeats_total counter\n"
                               "heartline_heartbeats_total{transport=\"http\"} 3\n"),
                 text.constData());
        QVERIFY(text.contains("heartline_heartbeat_processing_seconds_bucket{le=\"0.00025\"} 1\n"));
        QVERIFY(text.contains("heartline_heartbeat_processing_seconds_count 1\n"));
    }

    void onlyGetIsAllowed()
    {
        const HttpReply reply = HttpTestClient(f.fixture().baseUrl()).post(u"/metrics"_s, "{}");
        QCOMPARE(reply.status, 405);
        QCOMPARE(reply.errorCode(), u"method_not_allowed"_s);
    }
};

QTEST_GUILESS_MAIN(TestMetricsRoute)
#include "tst_metrics_route.moc"
