#pragma once

#include <optional>

#include <QList>
#include <QString>

// Queues as the dashboard shows them, from the protocol's `queues` message (QueueView): each message
// carries every queue, a full replacement, not a delta.

namespace heartline {

/// One caller waiting in a queue.
struct WaitingCaller
{
    QString callSid;
    QString from;
    qint64 waitSeconds = 0;
    int position = 0; ///< 1 = next to be answered

    friend bool operator==(const WaitingCaller &, const WaitingCaller &) = default;
};

/// One queue: its waiting callers and its figures.
struct QueueStatus
{
    QString name;
    QList<WaitingCaller> waiting;
    qint64 longestWaitSeconds = 0;
    double averageWaitSeconds = 0;
    int abandonedToday = 0;
    std::optional<double> serviceLevelPercent; ///< null when no call was answered or abandoned yet today
    int agentsReady = 0;

    friend bool operator==(const QueueStatus &, const QueueStatus &) = default;
};

/// The `queues` message: every queue, as a full replacement.
struct QueuesUpdate
{
    static constexpr QStringView Type = u"queues";
    QList<QueueStatus> queues;
    qint64 serverTimeMs = 0;

    friend bool operator==(const QueuesUpdate &, const QueuesUpdate &) = default;
};

} // namespace heartline
