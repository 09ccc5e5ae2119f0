// Reconnect delays and the round-trip estimate: exponential growth, the cap, the jitter spread
// (with the random draw injected, so every delay is known), and RFC 6298 smoothing.

#include <cmath>
#include <limits>

#include <QTest>

#include "client/ReconnectBackoff.h"
#include "connection/RttMeter.h"

using namespace heartline;

class TestAgentBackoff final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void delays_data()
    {
        QTest::addColumn<int>("attempt");
        QTest::addColumn<double>("draw");
        QTest::addColumn<int>("expectedMs");
        // Defaults: 1 s doubling to a 60 s cap, ±20 % jitter. A draw of 0.5 is no jitter.
        QTest::newRow("first, no jitter") << 0 << 0.5 << 1000;
        QTest::newRow("second") << 1 << 0.5 << 2000;
        QTest::newRow("third") << 2 << 0.5 << 4000;
        QTest::newRow("sixth") << 5 << 0.5 << 32'000;
        QTest::newRow("seventh hits the cap") << 6 << 0.5 << 60'000;
        QTest::newRow("far past the cap") << 500 << 0.5 << 60'000;
        QTest::newRow("lowest draw") << 2 << 0.0 << 3200;
        QTest::newRow("highest draw") << 2 << 1.0 << 4800;
        QTest::newRow("quarter draw") << 0 << 0.25 << 900;
        QTest::newRow("jitter never passes the cap") << 10 << 1.0 << 60'000;
        QTest::newRow("jitter below the cap") << 10 << 0.0 << 48'000;
        QTest::newRow("draw below range is clamped") << 0 << -3.0 << 800;
        QTest::newRow("draw above range is clamped") << 0 << 7.0 << 1200;
        QTest::newRow("NaN draw is no jitter") << 1 << std::numeric_limits<double>::quiet_NaN() << 2000;
        QTest::newRow("negative attempt is the first") << -4 << 0.5 << 1000;
    }
    void delays()
    {
        QFETCH(int, attempt);
        QFETCH(double, draw);
        QFETCH(int, expectedMs);
        QCOMPARE(ReconnectBackoff().delayMs(attempt, draw), expectedMs);
    }

    void customOptions_data()
    {
        QTest::addColumn<int>("initialMs");
        QTest::addColumn<int>("maxMs");
        QTest::addColumn<double>("multiplier");
        QTest::addColumn<double>("jitter");
        QTest::addColumn<QList<int>>("expected");
        QTest::newRow("triple, 10 s cap")
            << 500 << 10'000 << 3.0 << 0.0 << QList<int> {500, 1500, 4500, 10'000, 10'000};
        QTest::newRow("no growth") << 2000 << 60'000 << 1.0 << 0.0 << QList<int> {2000, 2000, 2000};
        QTest::newRow("multiplier below 1 counts as 1") << 2000 << 60'000 << 0.5 << 0.0 << QList<int> {2000, 2000};
        QTest::newRow("cap below initial") << 5000 << 1000 << 2.0 << 0.0 << QList<int> {5000, 5000};
    }
    void customOptions()
    {
        QFETCH(int, initialMs);
        QFETCH(int, maxMs);
        QFETCH(double, multiplier);
        QFETCH(double, jitter);
        QFETCH(QList<int>, expected);
        ReconnectBackoff backoff({initialMs, maxMs, multiplier, jitter}, [] { return 0.9; });
        QList<int> delays;
        for (qsizetype i = 0; i < expected.size(); ++i)
            delays.append(backoff.nextDelayMs());
        QCOMPARE(delays, expected);
    }

    void eachAttemptDrawsItsOwnJitter()
    {
        QList<double> draws {0.0, 1.0, 0.5, 0.25};
        qsizetype next = 0;
        ReconnectBackoff backoff({}, [&] { return draws[next++]; });
        QCOMPARE(backoff.nextDelayMs(), 800);  // 1 s − 20 %
        QCOMPARE(backoff.nextDelayMs(), 2400); // 2 s + 20 %
        QCOMPARE(backoff.nextDelayMs(), 4000);
        QCOMPARE(backoff.attempts(), 3);
        backoff.reset(); // a connection succeeded
        QCOMPARE(backoff.attempts(), 0);
        QCOMPARE(backoff.nextDelayMs(), 900);
    }

    void theServersSpreadMakesTheFirstAttemptQuick()
    {
        // After a restart the server is back at once and its apps are offered no calls until they are:
        // the first attempt comes within the welcome's spread, then the schedule runs from 1 s.
        QList<double> draws {0.25, 0.5, 0.5, 0.99, 0.0};
        qsizetype next = 0;
        ReconnectBackoff backoff({}, [&] { return draws[next++]; });
        backoff.setFirstAttemptSpreadMs(200);
        QCOMPARE(backoff.nextDelayMs(), 50);   // a quarter of the spread
        QCOMPARE(backoff.nextDelayMs(), 1000); // the server was not back yet: the usual schedule
        QCOMPARE(backoff.nextDelayMs(), 2000);
        backoff.reset();
        QCOMPARE(backoff.nextDelayMs(), 198); // each drop starts with a quick attempt again
        backoff.setFirstAttemptSpreadMs(0);   // a server that names no spread
        backoff.reset();
        QCOMPARE(backoff.nextDelayMs(), 800);
    }

    void withoutAJitterSourceDelaysStayInRange()
    {
        ReconnectBackoff backoff;
        for (int attempt = 0; attempt < 12; ++attempt) {
            const int nominal = std::min(60'000, 1000 << std::min(attempt, 20));
            const int delay = backoff.nextDelayMs();
            QVERIFY2(delay >= nominal * 0.8 - 1 && delay <= std::min(60'000.0, nominal * 1.2 + 1),
                     qPrintable(QString::number(delay)));
        }
    }

    void roundTripIsSmoothed()
    {
        RttMeter meter;
        QVERIFY(!meter.smoothedMs());
        meter.addSample(80);
        QCOMPARE(*meter.smoothedMs(), 80.0); // the first sample is the estimate
        meter.addSample(160);
        QCOMPARE(*meter.smoothedMs(), 90.0); // 7/8 · 80 + 1/8 · 160
        QCOMPARE(*meter.lastMs(), 160.0);
        // Nonsense samples change nothing.
        meter.addSample(-1);
        meter.addSample(std::numeric_limits<double>::infinity());
        meter.addSample(std::numeric_limits<double>::quiet_NaN());
        QCOMPARE(*meter.smoothedMs(), 90.0);
        // Beyond what the protocol accepts is counted as its maximum.
        meter.reset();
        meter.addSample(1e9);
        QCOMPARE(*meter.smoothedMs(), 60'000.0);
    }
};

QTEST_APPLESS_MAIN(TestAgentBackoff)
#include "tst_agent_backoff.moc"
