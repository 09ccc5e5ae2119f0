// The server's own order of waiting callers: by first enqueue time, arrival order within one
// millisecond, a caller back from a failed hand-off at its old place, and callers being handed
// over stepped over (never offered twice).

#include <QTest>

#include "queues/WaitingLine.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

WaitingCaller caller(const QString &callSid, qint64 firstEnqueuedAtMs, qint64 arrival, qint64 memberId = 0)
{
    WaitingCaller c;
    c.memberId = memberId == 0 ? arrival : memberId;
    c.callSid = callSid;
    c.firstEnqueuedAtMs = firstEnqueuedAtMs;
    c.arrival = arrival;
    c.stayStartedMs = firstEnqueuedAtMs;
    c.atTwilio = true;
    return c;
}

constexpr qint64 Now = 10'000;
constexpr qint64 ConfirmWithinMs = 5'000;

/// The caller the line has for a ready agent now.
const WaitingCaller *next(WaitingLine &line)
{
    return line.next(Now, ConfirmWithinMs).caller;
}

QStringList order(const WaitingLine &line)
{
    QStringList out;
    for (const auto &[key, c] : line.callers())
        out.append(c.callSid);
    return out;
}

} // namespace

class TestWaitingLine final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void longestWaitingFirstWhateverTheInsertOrder()
    {
        WaitingLine line;
        line.insert(caller(u"CAc"_s, 3'000, 3));
        line.insert(caller(u"CAa"_s, 1'000, 1));
        line.insert(caller(u"CAb"_s, 2'000, 2));
        QCOMPARE(order(line), (QStringList {u"CAa"_s, u"CAb"_s, u"CAc"_s}));
        QCOMPARE(next(line)->callSid, u"CAa"_s);
        QCOMPARE(line.position(u"CAc"_s), 3);
        QCOMPARE(line.position(u"CAzz"_s), 0);
    }

    void callersOfTheSameMillisecondKeepTheirArrivalOrder()
    {
        WaitingLine line;
        // CallSids are random: "CAz" arrived first and must stay first.
        line.insert(caller(u"CAz"_s, 5'000, 7));
        line.insert(caller(u"CAa"_s, 5'000, 8));
        QCOMPARE(order(line), (QStringList {u"CAz"_s, u"CAa"_s}));
    }

    void aCallerWhoseHandOffFailedReturnsToItsPlace()
    {
        WaitingLine line;
        line.insert(caller(u"CAa"_s, 1'000, 1));
        line.insert(caller(u"CAb"_s, 2'000, 2));
        line.insert(caller(u"CAc"_s, 3'000, 3));
        // A is handed over and leaves; the agent is busy and A is enqueued again much later, as a
        // new stay (new row) that keeps its first enqueue time and arrival.
        QVERIFY(line.take(u"CAa"_s).has_value());
        QCOMPARE(next(line)->callSid, u"CAb"_s);
        line.insert(caller(u"CAa"_s, 1'000, 1, 42));
        QCOMPARE(order(line), (QStringList {u"CAa"_s, u"CAb"_s, u"CAc"_s}));
        QCOMPARE(line.position(u"CAa"_s), 1);
        QCOMPARE(line.find(u"CAa"_s)->memberId, 42);
    }

    void callersBeingHandedOverAreSteppedOver()
    {
        WaitingLine line;
        line.insert(caller(u"CAa"_s, 1'000, 1));
        line.insert(caller(u"CAb"_s, 2'000, 2));
        line.find(u"CAa"_s)->handingOffTo = u"alice"_s;
        QCOMPARE(next(line)->callSid, u"CAb"_s);
        line.find(u"CAb"_s)->handingOffTo = u"bob"_s;
        QVERIFY(next(line) == nullptr);
        // Their places do not change while they are handed over.
        QCOMPARE(line.position(u"CAb"_s), 2);
        line.find(u"CAa"_s)->handingOffTo.clear(); // the dequeue was refused
        QCOMPARE(next(line)->callSid, u"CAa"_s);
    }

    void aCallerTwilioHasNotQueuedYetHoldsTheLineForAWhile()
    {
        WaitingLine line;
        line.insert(caller(u"CAa"_s, 1'000, 1));
        line.insert(caller(u"CAb"_s, 2'000, 2));
        // A declined A is enqueued again (its old place) but Twilio has not run that Enqueue yet:
        // handing B over now would jump the line, and dequeuing A would fail.
        WaitingCaller back = *line.take(u"CAa"_s);
        back.stayStartedMs = Now - 100;
        back.atTwilio = false;
        line.insert(back);
        const WaitingLine::Offer offer = line.next(Now, ConfirmWithinMs);
        QVERIFY(offer.caller == nullptr);
        QVERIFY(offer.waitForTwilio);
        // Its waitUrl request confirms it: A is next.
        line.find(u"CAa"_s)->atTwilio = true;
        QCOMPARE(next(line)->callSid, u"CAa"_s);
        // One that Twilio never confirms (it hung up meanwhile) holds the line only so long.
        line.find(u"CAa"_s)->atTwilio = false;
        QCOMPARE(line.next(Now - 100 + ConfirmWithinMs, ConfirmWithinMs).caller->callSid, u"CAb"_s);
        // After a restart's rebuild every caller left counts as in Twilio's queue.
        line.confirmAll();
        QCOMPARE(next(line)->callSid, u"CAa"_s);
    }

    void theEarliestEnqueueTimeWins()
    {
        WaitingLine line;
        line.insert(caller(u"CAa"_s, 1'000, 1));
        line.insert(caller(u"CAb"_s, 2'000, 2));
        // Twilio says B has waited longer than the store thought: B moves ahead.
        QVERIFY(line.moveEarlier(u"CAb"_s, 500));
        QCOMPARE(order(line), (QStringList {u"CAb"_s, u"CAa"_s}));
        // A later time (Twilio counts a re-enqueued caller's wait from its latest stay) changes nothing.
        QVERIFY(!line.moveEarlier(u"CAa"_s, 9'000));
        QCOMPARE(order(line), (QStringList {u"CAb"_s, u"CAa"_s}));
        QCOMPARE(line.find(u"CAa"_s)->firstEnqueuedAtMs, 1'000);
    }

    void aCallerIsListedOnce()
    {
        WaitingLine line;
        line.insert(caller(u"CAa"_s, 1'000, 1));
        line.insert(caller(u"CAa"_s, 4'000, 9)); // a retried webhook
        QCOMPARE(line.size(), 1);
        QCOMPARE(line.front()->firstEnqueuedAtMs, 1'000);
        QVERIFY(line.take(u"CAa"_s).has_value());
        QVERIFY(line.isEmpty());
        QVERIFY(!line.take(u"CAa"_s).has_value());
    }
};

QTEST_APPLESS_MAIN(TestWaitingLine)
#include "tst_waiting_line.moc"
