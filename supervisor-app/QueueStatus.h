#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QString>

#include "core/Result.h"

// Queues as the dashboard shows them. The server's queue feature is not on /ws/supervisor yet; this is
// the shape the dashboard expects once it is (docs/supervisor-app.md, "Queues"):
//
//   {"type":"queues","v":1,"serverTimeMs":1767225600000,
//    "queues":[{"name":"support","agentsReady":3,"longestWaitSeconds":95,"averageWaitSeconds":41.5,
//               "abandonedToday":2,"serviceLevelPercent":87.5,
//               "waiting":[{"callSid":"CA…","from":"+15550100","waitSeconds":95,"position":1}]}]}
//
// Each `queues` message carries every queue (a full replacement, not a delta).

namespace heartline {

class JsonReader;

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

/// Reads a `queues` message (already known to be one) with the protocol's rules: strict types,
/// unknown fields ignored, the first problem with its field path.
[[nodiscard]] Result<QueuesUpdate> readQueuesUpdate(const QJsonObject &message);

void readFields(JsonReader &reader, WaitingCaller &caller);
void readFields(JsonReader &reader, QueueStatus &queue);

} // namespace heartline
