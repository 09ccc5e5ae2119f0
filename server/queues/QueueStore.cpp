#include "queues/QueueStore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "Database.h"
#include "store/SqlHelpers.h"

using namespace Qt::StringLiterals;

namespace heartline {

Result<QString> QueueStore::ensureQueue(const QString &name, int maxSize, int maxWaitSeconds, qint64 nowMs)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"INSERT INTO queues (name, max_size, max_wait_seconds, created_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (name) DO UPDATE SET max_size = excluded.max_size, "
                  "max_wait_seconds = excluded.max_wait_seconds"_s);
    query.addBindValue(name);
    query.addBindValue(maxSize);
    query.addBindValue(maxWaitSeconds);
    query.addBindValue(nowMs);
    if (!query.exec())
        return storageProblem(query, u"recording queue %1"_s.arg(name));
    query.prepare(u"SELECT twilio_queue_sid FROM queues WHERE name = ?"_s);
    query.addBindValue(name);
    if (!query.exec() || !query.next())
        return storageProblem(query, u"reading queue %1"_s.arg(name));
    return query.value(0).toString();
}

std::optional<Problem> QueueStore::setTwilioSid(const QString &name, const QString &sid)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"UPDATE queues SET twilio_queue_sid = ? WHERE name = ?"_s);
    query.addBindValue(sid);
    query.addBindValue(name);
    if (!query.exec())
        return storageProblem(query, u"saving the Twilio SID of queue %1"_s.arg(name));
    return std::nullopt;
}

Result<qint64> QueueStore::queueId(const QString &name)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"SELECT id FROM queues WHERE name = ?"_s);
    query.addBindValue(name);
    if (!query.exec() || !query.next())
        return Problem {u"storage_error"_s, {}, u"no queue %1 in the store"_s.arg(name)};
    return query.value(0).toLongLong();
}

Result<StoredQueueMember> QueueStore::addMember(const QString &queue, const QString &callSid, const QString &from,
                                                const QString &to, int position, qint64 enqueuedAtMs)
{
    const auto id = queueId(queue);
    if (!id)
        return id.error();
    QSqlQuery query(m_database.connection());
    query.prepare(u"SELECT min(first_enqueued_at), min(id) FROM queue_members WHERE queue_id = ? AND call_sid = ? "
                  "AND first_enqueued_at IS NOT NULL"_s);
    query.addBindValue(id.value());
    query.addBindValue(callSid);
    if (!query.exec() || !query.next())
        return storageProblem(query, u"reading earlier stays of %1"_s.arg(callSid));
    qint64 firstEnqueuedAt = enqueuedAtMs;
    qint64 firstId = 0;
    if (!query.value(0).isNull()) {
        firstEnqueuedAt = qMin(firstEnqueuedAt, query.value(0).toLongLong());
        firstId = query.value(1).toLongLong();
    }
    query.prepare(u"INSERT INTO queue_members (queue_id, call_sid, position, enqueued_at, first_enqueued_at, state, "
                  "from_number, to_number) VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?)"_s);
    query.addBindValue(id.value());
    query.addBindValue(callSid);
    query.addBindValue(qMax(1, position));
    query.addBindValue(enqueuedAtMs);
    query.addBindValue(firstEnqueuedAt);
    query.addBindValue(from);
    query.addBindValue(to);
    if (!query.exec())
        return storageProblem(query, u"queueing %1"_s.arg(callSid));
    const qint64 rowId = query.lastInsertId().toLongLong();
    return StoredQueueMember {rowId, queue,        callSid,         from,
                              to,    enqueuedAtMs, firstEnqueuedAt, firstId > 0 ? firstId : rowId};
}

std::optional<Problem> QueueStore::setFirstEnqueued(qint64 memberId, qint64 firstEnqueuedAtMs)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"UPDATE queue_members SET first_enqueued_at = ? WHERE id = ?"_s);
    query.addBindValue(firstEnqueuedAtMs);
    query.addBindValue(memberId);
    if (!query.exec())
        return storageProblem(query, u"correcting the enqueue time of stay %1"_s.arg(memberId));
    return std::nullopt;
}

std::optional<Problem> QueueStore::endMember(qint64 memberId, const QString &state, const QString &result,
                                             const QString &agentId, qint64 nowMs, qint64 waitMs)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"UPDATE queue_members SET state = ?, result = COALESCE(?, result), agent_id = COALESCE(?, "
                  "agent_id), left_at = ?, wait_ms = ? WHERE id = ?"_s);
    query.addBindValue(state);
    query.addBindValue(nullableText(result));
    query.addBindValue(nullableText(agentId));
    query.addBindValue(nowMs);
    query.addBindValue(waitMs);
    query.addBindValue(memberId);
    if (!query.exec())
        return storageProblem(query, u"ending queue stay %1"_s.arg(memberId));
    return std::nullopt;
}

std::optional<Problem> QueueStore::recordRejected(const QString &queue, const QString &callSid, qint64 nowMs)
{
    const auto id = queueId(queue);
    if (!id)
        return id.error();
    QSqlQuery query(m_database.connection());
    query.prepare(u"INSERT INTO queue_members (queue_id, call_sid, position, enqueued_at, state, result, left_at, "
                  "wait_ms) VALUES (?, ?, 1, ?, 'rejected', 'queue-full', ?, 0)"_s);
    query.addBindValue(id.value());
    query.addBindValue(callSid);
    query.addBindValue(nowMs);
    query.addBindValue(nowMs);
    if (!query.exec())
        return storageProblem(query, u"recording the refusal of %1"_s.arg(callSid));
    return std::nullopt;
}

std::optional<Problem> QueueStore::addVoicemail(const QString &queue, const QString &callSid, const QString &from,
                                                const QString &recordingSid, const QString &recordingUrl,
                                                qint64 durationSeconds, qint64 nowMs)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"INSERT INTO voicemails (queue, call_sid, from_number, recording_sid, recording_url, "
                  "duration_seconds, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(queue);
    query.addBindValue(callSid);
    query.addBindValue(from);
    query.addBindValue(recordingSid);
    query.addBindValue(recordingUrl);
    query.addBindValue(durationSeconds);
    query.addBindValue(nowMs);
    if (!query.exec())
        return storageProblem(query, u"saving the voicemail of %1"_s.arg(callSid));
    return std::nullopt;
}

Result<QList<QStringList>> QueueStore::voicemails(int limit)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"SELECT queue, call_sid, from_number, recording_sid, recording_url, duration_seconds, recorded_at "
                  "FROM voicemails ORDER BY recorded_at DESC, id DESC LIMIT ?"_s);
    query.addBindValue(limit);
    if (!query.exec())
        return storageProblem(query, u"reading voicemails"_s);
    QList<QStringList> rows;
    while (query.next()) {
        QStringList row;
        for (int i = 0; i < 7; ++i)
            row.append(query.value(i).toString());
        rows.append(row);
    }
    return rows;
}

Result<QList<StoredQueueMember>> QueueStore::waitingMembers()
{
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT m.id, q.name, m.call_sid, m.from_number, m.to_number, m.enqueued_at, "
                    "coalesce(m.first_enqueued_at, m.enqueued_at) AS first, (SELECT min(f.id) FROM queue_members f "
                    "WHERE f.queue_id = m.queue_id AND f.call_sid = m.call_sid) AS arrival FROM queue_members m "
                    "JOIN queues q ON q.id = m.queue_id WHERE m.state = 'waiting' ORDER BY first, arrival"_s))
        return storageProblem(query, u"loading waiting callers"_s);
    QList<StoredQueueMember> members;
    while (query.next()) {
        members.append(StoredQueueMember {query.value(0).toLongLong(), query.value(1).toString(),
                                          query.value(2).toString(), query.value(3).toString(),
                                          query.value(4).toString(), query.value(5).toLongLong(),
                                          query.value(6).toLongLong(), query.value(7).toLongLong()});
    }
    return members;
}

} // namespace heartline
