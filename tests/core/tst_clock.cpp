#include <QDateTime>
#include <QTest>

#include "core/Clock.h"

using namespace heartline;

class TestClock final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void manualClockOnlyMovesWhenTold()
    {
        ManualClock clock;
        const qint64 start = clock.nowMs();
        QCOMPARE(clock.nowMs(), start);
        clock.advanceSeconds(75);
        QCOMPARE(clock.nowMs(), start + 75'000);
        clock.advanceMs(250);
        QCOMPARE(clock.nowMs() - start, 75'250);
        QCOMPARE(clock.nowSeconds(), (start + 75'250) / 1000);
    }

    void manualClockStartsAtReadableInstant()
    {
        ManualClock clock;
        QCOMPARE(clock.now().toString(Qt::ISODate), QStringLiteral("2026-01-01T00:00:00Z"));
        clock.setNowMs(0);
        QCOMPARE(clock.now().toString(Qt::ISODate), QStringLiteral("1970-01-01T00:00:00Z"));
    }

    void systemClockFollowsTheWallClock()
    {
        SystemClock clock;
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const qint64 reading = clock.nowMs();
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(reading >= before);
        QVERIFY(reading <= after);
        QCOMPARE(clock.now().timeSpec(), Qt::UTC);
    }
};

QTEST_APPLESS_MAIN(TestClock)
#include "tst_clock.moc"
