// SimScheduler: the one source of simulated time in the Twilio stand-in.

#include <QTest>

#include "SimScheduler.h"
#include "core/Clock.h"

using namespace heartline;

class TestSimScheduler final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsNothingBeforeItsTime()
    {
        ManualClock clock;
        SimScheduler scheduler(clock);
        int ran = 0;
        scheduler.scheduleIn(1000, [&] { ++ran; });
        QCOMPARE(scheduler.runDue(), 0);
        scheduler.advance(999);
        QCOMPARE(ran, 0);
        scheduler.advance(1);
        QCOMPARE(ran, 1);
        QCOMPARE(scheduler.pendingCount(), 0);
    }

    void advanceStopsAtEachDueInstant()
    {
        ManualClock clock;
        SimScheduler scheduler(clock);
        const qint64 start = clock.nowMs();
        QList<qint64> seen;
        scheduler.scheduleIn(3000, [&] { seen.append(clock.nowMs() - start); });
        scheduler.scheduleIn(1000, [&] { seen.append(clock.nowMs() - start); });
        scheduler.advance(10'000);
        // Each callback sees the clock at its own due time, in due order.
        QCOMPARE(seen, (QList<qint64> {1000, 3000}));
        QCOMPARE(clock.nowMs() - start, 10'000);
    }

    void equalInstantsRunInScheduleOrder()
    {
        ManualClock clock;
        SimScheduler scheduler(clock);
        QString order;
        scheduler.scheduleIn(500, [&] { order += u'a'; });
        scheduler.scheduleIn(500, [&] { order += u'b'; });
        scheduler.scheduleIn(500, [&] { order += u'c'; });
        scheduler.advance(500);
        QCOMPARE(order, QStringLiteral("abc"));
    }

    void callbacksMayScheduleMoreWithinTheSameAdvance()
    {
        ManualClock clock;
        SimScheduler scheduler(clock);
        const qint64 start = clock.nowMs();
        QList<qint64> seen;
        // A chain like a waitUrl loop: every step schedules the next one 2 s later.
        std::function<void()> step = [&] {
            seen.append(clock.nowMs() - start);
            if (seen.size() < 4)
                scheduler.scheduleIn(2000, step);
        };
        scheduler.scheduleIn(2000, step);
        scheduler.advance(7000);
        QCOMPARE(seen, (QList<qint64> {2000, 4000, 6000}));
        scheduler.advance(1000);
        QCOMPARE(seen.size(), 4);
    }

    void zeroDelayRunsOnTheNextRunDue()
    {
        ManualClock clock;
        SimScheduler scheduler(clock);
        int ran = 0;
        scheduler.scheduleIn(0, [&] { ++ran; });
        QCOMPARE(ran, 0);
        QCOMPARE(scheduler.runDue(), 1);
        QCOMPARE(ran, 1);
    }

    void canceledEntriesNeverRun()
    {
        ManualClock clock;
        SimScheduler scheduler(clock);
        int ran = 0;
        const SimScheduler::TimerId first = scheduler.scheduleIn(100, [&] { ran += 1; });
        scheduler.scheduleIn(200, [&] { ran += 10; });
        scheduler.cancel(first);
        scheduler.cancel(first); // twice is harmless
        scheduler.cancel(0);
        QCOMPARE(scheduler.pendingCount(), 1);
        scheduler.advance(1000);
        QCOMPARE(ran, 10);
    }

    void aCallbackMayCancelALaterEntry()
    {
        ManualClock clock;
        SimScheduler scheduler(clock);
        int ran = 0;
        SimScheduler::TimerId later = 0;
        scheduler.scheduleIn(100, [&] { scheduler.cancel(later); });
        later = scheduler.scheduleIn(100, [&] { ++ran; });
        scheduler.advance(100);
        QCOMPARE(ran, 0);
    }

    void pastInstantsRunAtOnce()
    {
        ManualClock clock;
        SimScheduler scheduler(clock);
        int ran = 0;
        scheduler.schedule(clock.nowMs() - 5000, [&] { ++ran; });
        QCOMPARE(scheduler.nextDueMs(), clock.nowMs() - 5000);
        QCOMPARE(scheduler.runDue(), 1);
        QCOMPARE(ran, 1);
        QVERIFY(!scheduler.nextDueMs());
    }

    void realClockFiresFromTheEventLoop()
    {
        SystemClock clock;
        SimScheduler scheduler(static_cast<const Clock &>(clock));
        QVERIFY(!scheduler.isManual());
        bool ran = false;
        scheduler.scheduleIn(1, [&] { ran = true; });
        QVERIFY(!ran);
        QTRY_VERIFY_WITH_TIMEOUT(ran, 5000);
        scheduler.advance(1000); // a no-op with a real clock
        QCOMPARE(scheduler.pendingCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSimScheduler)
#include "tst_sim_scheduler.moc"
