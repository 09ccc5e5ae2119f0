// The Prometheus exposition a scraper reads from /metrics, and the histogram arithmetic behind it.

#include <QTest>

#include "metrics/Metrics.h"

using namespace heartline;
using namespace Qt::StringLiterals;

class TestMetrics final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void counterAndGaugeExposition()
    {
        MetricsRegistry registry;
        registry.counter(u"heartline_heartbeats_total"_s, u"Heartbeats received."_s, {u"transport"_s}, {u"http"_s})
            .increment(3);
        registry.counter(u"heartline_heartbeats_total"_s, u"Heartbeats received."_s, {u"transport"_s}, {u"websocket"_s})
            .increment();
        registry.gauge(u"heartline_open_connections"_s, u"Open WebSocket connections."_s).set(7);

        const QByteArray text = registry.exposition();
        QVERIFY2(text.contains("# HELP heartline_heartbeats_total Heartbeats received.\n"), text.constData());
        QVERIFY(text.contains("# TYPE heartline_heartbeats_total counter\n"));
        QVERIFY(text.contains("heartline_heartbeats_total{transport=\"http\"} 3\n"));
        QVERIFY(text.contains("heartline_heartbeats_total{transport=\"websocket\"} 1\n"));
        QVERIFY(text.contains("# TYPE heartline_open_connections gauge\nheartline_open_connections 7\n"));
    }

    void sameSeriesIsReturnedAgain()
    {
        MetricsRegistry registry;
        Counter &first = registry.counter(u"c_total"_s, u"c"_s, {u"k"_s}, {u"a"_s});
        Counter &again = registry.counter(u"c_total"_s, u"c"_s, {u"k"_s}, {u"a"_s});
        QCOMPARE(&first, &again);
        first.increment();
        again.increment();
        QVERIFY(registry.exposition().contains("c_total{k=\"a\"} 2\n"));
    }

    void histogramBucketsAreCumulative()
    {
        MetricsRegistry registry;
        Histogram &h = registry.histogram(u"latency_seconds"_s, u"Latency."_s, {0.1, 0.5, 1.0});
        for (double v : {0.05, 0.1, 0.3, 0.7, 2.0})
            h.observe(v);
        const QByteArray text = registry.exposition();
        QVERIFY2(text.contains("latency_seconds_bucket{le=\"0.1\"} 2\n"), text.constData());
        QVERIFY(text.contains("latency_seconds_bucket{le=\"0.5\"} 3\n"));
        QVERIFY(text.contains("latency_seconds_bucket{le=\"1\"} 4\n"));
        QVERIFY(text.contains("latency_seconds_bucket{le=\"+Inf\"} 5\n"));
        QVERIFY(text.contains("latency_seconds_count 5\n"));
        QVERIFY(text.contains("latency_seconds_sum 3.15\n"));
    }

    void histogramQuantileInterpolates()
    {
        Histogram h({1, 2, 4});
        for (int i = 0; i < 10; ++i)
            h.observe(1.5); // all in (1, 2]
        QCOMPARE(h.quantile(0.5), 1.5);
        QCOMPARE(h.quantile(1.0), 2.0);
        Histogram empty({1});
        QCOMPARE(empty.quantile(0.99), 0.0);
    }

    void labelValuesAreEscaped()
    {
        MetricsRegistry registry;
        registry.counter(u"odd_total"_s, u"Help with \\ and\nnewline"_s, {u"reason"_s}, {u"say \"hi\"\\now\n"_s})
            .increment();
        const QByteArray text = registry.exposition();
        QVERIFY2(text.contains("# HELP odd_total Help with \\\\ and\\nnewline\n"), text.constData());
        QVERIFY(text.contains("odd_total{reason=\"say \\\"hi\\\"\\\\now\\n\"} 1\n"));
    }
};

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
