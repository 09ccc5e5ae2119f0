#include "QueueFairness.h"

#include <algorithm>
#include <limits>

namespace heartline {

namespace {

constexpr qint64 Never = std::numeric_limits<qint64>::max();

/// When the caller stopped waiting: answered, left, or never (still waiting when the run ended).
qint64 doneAt(const QueuedCaller &caller)
{
    if (caller.answeredMs >= 0)
        return caller.answeredMs;
    return caller.leftMs >= 0 ? caller.leftMs : Never;
}

} // namespace

QueueFairness QueueFairness::measure(QList<QueuedCaller> callers)
{
    QueueFairness fairness;
    fairness.queued = int(callers.size());
    std::sort(callers.begin(), callers.end(), [](const QueuedCaller &a, const QueuedCaller &b) {
        return a.queue != b.queue ? a.queue < b.queue : a.firstQueuedMs < b.firstQueuedMs;
    });
    qint64 runEnd = 0;
    for (const QueuedCaller &caller : std::as_const(callers))
        runEnd = std::max({runEnd, caller.answeredMs, caller.leftMs, caller.firstQueuedMs});

    // Within a queue, in order of joining: a caller is answered out of order when someone who joined
    // earlier is still waiting at that moment, i.e. the latest "done" time among the earlier callers
    // is later than this answer. An earlier caller is overtaken from the first answer of someone who
    // joined after them; walking backwards keeps the earliest answer among the later callers.
    for (qsizetype begin = 0; begin < callers.size();) {
        qsizetype end = begin;
        while (end < callers.size() && callers.at(end).queue == callers.at(begin).queue)
            ++end;
        // Callers who joined at the same millisecond have no order between them: each group is
        // judged against the groups before (and after) it, then added.
        qint64 latestEarlierDone = -1;
        for (qsizetype group = begin; group < end;) {
            qsizetype groupEnd = group;
            qint64 groupDone = -1;
            for (; groupEnd < end && callers.at(groupEnd).firstQueuedMs == callers.at(group).firstQueuedMs;
                 ++groupEnd) {
                const QueuedCaller &caller = callers.at(groupEnd);
                if (caller.answeredMs >= 0 && latestEarlierDone > caller.answeredMs)
                    ++fairness.answeredOutOfOrder;
                groupDone = std::max(groupDone, doneAt(caller));
            }
            latestEarlierDone = std::max(latestEarlierDone, groupDone);
            group = groupEnd;
        }
        qint64 earliestLaterAnswer = Never;
        for (qsizetype group = end - 1; group >= begin;) {
            qsizetype groupBegin = group;
            qint64 groupAnswer = Never;
            for (; groupBegin >= begin && callers.at(groupBegin).firstQueuedMs == callers.at(group).firstQueuedMs;
                 --groupBegin) {
                const QueuedCaller &caller = callers.at(groupBegin);
                const qint64 done = doneAt(caller);
                if (earliestLaterAnswer < done) {
                    ++fairness.overtaken;
                    const qint64 until = done == Never ? runEnd : done;
                    fairness.longestExtraWaitMs = std::max(fairness.longestExtraWaitMs, until - earliestLaterAnswer);
                }
                if (caller.answeredMs >= 0)
                    groupAnswer = std::min(groupAnswer, caller.answeredMs);
            }
            earliestLaterAnswer = std::min(earliestLaterAnswer, groupAnswer);
            group = groupBegin;
        }
        begin = end;
    }
    return fairness;
}

} // namespace heartline
