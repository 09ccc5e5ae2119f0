#pragma once

#include <QList>
#include <QString>

namespace heartline {

/// One caller who waited in a queue, as the fleet run saw it.
struct QueuedCaller
{
    QString queue;            ///< the queue the caller first joined
    qint64 firstQueuedMs = 0; ///< the first time the caller joined it (a caller sent back keeps this)
    qint64 answeredMs = -1;   ///< when the offer the caller was bridged through began ringing; -1: never answered
    qint64 leftMs = -1;       ///< stopped waiting unanswered (hung up, timed out, ended); -1: still waiting at the end
};

/// First-in-first-out within each queue. Every caller of a queue needs the same skills (skills belong to
/// queues), so any agent who could take a later caller could have taken an earlier one: a later caller
/// answered while an earlier one still waits is out of order, whatever the agents' skills.
struct QueueFairness
{
    int queued = 0;                ///< callers who ever waited in a queue
    int answeredOutOfOrder = 0;    ///< answered while someone who joined the same queue earlier still waited
    int overtaken = 0;             ///< callers someone who joined later was answered before
    qint64 longestExtraWaitMs = 0; ///< the most an overtaken caller waited after the first caller overtook them

    /// Measures a run's callers. O(n log n) per queue.
    [[nodiscard]] static QueueFairness measure(QList<QueuedCaller> callers);
};

} // namespace heartline
