#pragma once

#include <optional>

#include <QList>
#include <QString>

#include "core/Result.h"

namespace heartline {

class Database;

/// A caller waiting in a queue, as stored.
struct StoredQueueMember
{
    qint64 id = 0;
    QString queue;
    QString callSid;
    QString from;
    QString to;
    qint64 enqueuedAtMs = 0;      ///< this stay
    qint64 firstEnqueuedAtMs = 0; ///< the call's first stay in this queue
    qint64 firstId = 0;           ///< the row of that first stay (arrival order within one ms)
};

/// The durable record of queues and the callers in them: a caller is written before the TwiML
/// that enqueues it is returned, and its end (dequeued, abandoned, timed out, full) when it happens.
class QueueStore final
{
    Q_DISABLE_COPY_MOVE(QueueStore)

public:
    explicit QueueStore(Database &database) : m_database(database) { }

    /// Makes sure a row exists for each configured queue; returns the Twilio SID stored for `name`.
    Result<QString> ensureQueue(const QString &name, int maxSize, int maxWaitSeconds, qint64 nowMs);
    std::optional<Problem> setTwilioSid(const QString &name, const QString &sid);

    /// Records a stay. A call that was in this queue before (its hand-off failed) keeps its first
    /// enqueue time: the earliest of its earlier stays and `enqueuedAtMs`, returned with the row id.
    Result<StoredQueueMember> addMember(const QString &queue, const QString &callSid, const QString &from,
                                        const QString &to, int position, qint64 enqueuedAtMs);
    /// A caller turned out to have waited longer than recorded (Twilio's wait_time after a restart).
    std::optional<Problem> setFirstEnqueued(qint64 memberId, qint64 firstEnqueuedAtMs);
    /// Ends a stay: state (dequeued, abandoned, timed-out, gone, error), Twilio's QueueResult if any,
    /// the agent it went to, the wait.
    std::optional<Problem> endMember(qint64 memberId, const QString &state, const QString &result,
                                     const QString &agentId, qint64 nowMs, qint64 waitMs);
    /// A refused caller (the queue was full), recorded for the statistics.
    std::optional<Problem> recordRejected(const QString &queue, const QString &callSid, qint64 nowMs);
    /// A message a caller left (the Record action of a queue with voicemail).
    std::optional<Problem> addVoicemail(const QString &queue, const QString &callSid, const QString &from,
                                        const QString &recordingSid, const QString &recordingUrl,
                                        qint64 durationSeconds, qint64 nowMs);
    /// The newest voicemails first: queue, callSid, from, recordingSid, recordingUrl, durationSeconds, recordedAtMs.
    [[nodiscard]] Result<QList<QStringList>> voicemails(int limit);
    /// Every caller still waiting, by first enqueue time (after a restart).
    [[nodiscard]] Result<QList<StoredQueueMember>> waitingMembers();

private:
    Result<qint64> queueId(const QString &name);

    Database &m_database;
};

} // namespace heartline
