// bench_fleet's queue fairness: callers answered out of first-in-first-out order within a queue, the
// callers they overtook, and the longest extra wait that caused, on small hand-made runs.

#include <QTest>

#include "QueueFairness.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

QueuedCaller caller(const QString &queue, qint64 joined, qint64 answered, qint64 left = -1)
{
    return QueuedCaller {queue, joined, answered, left};
}

} // namespace

class TestQueueFairness final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstInFirstOutIsFair()
    {
        const auto fairness = QueueFairness::measure(
            {caller(u"q"_s, 0, 10'000), caller(u"q"_s, 1'000, 12'000), caller(u"q"_s, 2'000, 30'000)});
        QCOMPARE(fairness.queued, 3);
        QCOMPARE(fairness.answeredOutOfOrder, 0);
        QCOMPARE(fairness.overtaken, 0);
        QCOMPARE(fairness.longestExtraWaitMs, 0);
    }

    void aLaterCallerAnsweredFirstOvertakes()
    {
        // b joined after a but was answered at 5 s; a waited on until 25 s: 20 s more than it should.
        const auto fairness = QueueFairness::measure({caller(u"q"_s, 0, 25'000), caller(u"q"_s, 1'000, 5'000)});
        QCOMPARE(fairness.answeredOutOfOrder, 1);
        QCOMPARE(fairness.overtaken, 1);
        QCOMPARE(fairness.longestExtraWaitMs, 20'000);
    }

    void queuesAreJudgedApart()
    {
        // Another queue's callers never overtake: their agents may not be this queue's.
        const auto fairness
            = QueueFairness::measure({caller(u"sales"_s, 0, 25'000), caller(u"support"_s, 1'000, 5'000)});
        QCOMPARE(fairness.answeredOutOfOrder, 0);
        QCOMPARE(fairness.overtaken, 0);
    }

    void aCallerWhoGaveUpIsNoLongerWaiting()
    {
        // a hung up at 3 s; b answered at 5 s overtook nobody.
        const auto fairness = QueueFairness::measure({caller(u"q"_s, 0, -1, 3'000), caller(u"q"_s, 1'000, 5'000)});
        QCOMPARE(fairness.answeredOutOfOrder, 0);
        QCOMPARE(fairness.overtaken, 0);
    }

    void aCallerWhoGaveUpAfterBeingOvertakenCounts()
    {
        // a still waited when b was answered at 5 s, and hung up at 40 s.
        const auto fairness = QueueFairness::measure({caller(u"q"_s, 0, -1, 40'000), caller(u"q"_s, 1'000, 5'000)});
        QCOMPARE(fairness.answeredOutOfOrder, 1);
        QCOMPARE(fairness.overtaken, 1);
        QCOMPARE(fairness.longestExtraWaitMs, 35'000);
    }

    void stillWaitingAtTheEndCountsUntilTheEnd()
    {
        const auto fairness = QueueFairness::measure(
            {caller(u"q"_s, 0, -1), caller(u"q"_s, 1'000, 5'000), caller(u"q"_s, 2'000, 9'000)});
        QCOMPARE(fairness.answeredOutOfOrder, 2);
        QCOMPARE(fairness.overtaken, 1);
        QCOMPARE(fairness.longestExtraWaitMs, 4'000); // the run's last event is at 9 s
    }

    void theRestartScenario()
    {
        // Eight long-waiting callers sent to the back after failed hand-offs, answered after the
        // newer ones: each is overtaken, the first one by the most.
        QList<QueuedCaller> callers;
        for (int i = 0; i < 8; ++i)
            callers.append(caller(u"q"_s, i * 1'000, 100'000 + i * 1'000));
        for (int i = 0; i < 4; ++i)
            callers.append(caller(u"q"_s, 50'000 + i * 1'000, 60'000 + i * 1'000));
        const auto fairness = QueueFairness::measure(callers);
        QCOMPARE(fairness.answeredOutOfOrder, 4);
        QCOMPARE(fairness.overtaken, 8);
        QCOMPARE(fairness.longestExtraWaitMs, 107'000 - 60'000);
    }

    void callersWhoJoinedTogetherHaveNoOrder()
    {
        const auto fairness = QueueFairness::measure({caller(u"q"_s, 0, 9'000), caller(u"q"_s, 0, 3'000)});
        QCOMPARE(fairness.answeredOutOfOrder, 0);
        QCOMPARE(fairness.overtaken, 0);
    }
};

QTEST_APPLESS_MAIN(TestQueueFairness)
#include "tst_queue_fairness.moc"
