#include "routing/CallStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include "Database.h"
#include "routing/Discovery.h"
#include "store/SqlHelpers.h"
#include "store/WriteTransaction.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

QString candidatesJson(const RoutingDecision &decision)
{
    QJsonArray candidates;
    for (const CandidateReport &candidate : decision.candidates)
        candidates.append(toJson(candidate));
    return QString::fromUtf8(QJsonDocument(candidates).toJson(QJsonDocument::Compact));
}

} // namespace

std::optional<Problem> CallStore::recordInboundDecision(const QString &callSid, const QString &from, const QString &to,
                                                        const RoutingDecision &decision)
{
    WriteTransaction transaction(m_database.connection());
    if (const auto error = transaction.beginError())
        return Problem {u"storage_error"_s, {}, u"recording call %1: %2"_s.arg(callSid, error->text())};
    QSqlQuery call(m_database.connection());
    call.prepare(u"INSERT INTO call_sessions (call_sid, direction, from_number, to_number, agent_id, status, "
                 "created_at, updated_at) VALUES (?, 'inbound', ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (call_sid) DO UPDATE SET agent_id = excluded.agent_id, status = excluded.status, "
                 "updated_at = excluded.updated_at"_s);
    call.addBindValue(callSid);
    call.addBindValue(from);
    call.addBindValue(to);
    call.addBindValue(nullableText(decision.chosenAgentId));
    call.addBindValue(decision.chosenAgentId.isEmpty() ? toString(decision.path) : u"ringing"_s);
    call.addBindValue(decision.decidedAtMs);
    call.addBindValue(decision.decidedAtMs);
    if (!call.exec())
        return storageProblem(call, u"recording call %1"_s.arg(callSid));

    QSqlQuery record(m_database.connection());
    record.prepare(u"INSERT INTO routing_decisions (call_sid, path, chosen_agent_id, candidates, duration_us, "
                   "decided_at, queue, attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s);
    record.addBindValue(callSid);
    record.addBindValue(toString(decision.path));
    record.addBindValue(nullableText(decision.chosenAgentId));
    record.addBindValue(candidatesJson(decision));
    record.addBindValue(decision.durationUs);
    record.addBindValue(decision.decidedAtMs);
    record.addBindValue(decision.queue);
    record.addBindValue(decision.attempt);
    if (!record.exec())
        return storageProblem(record, u"recording the routing of %1"_s.arg(callSid));
    if (const auto error = transaction.commit())
        return Problem {u"storage_error"_s, {}, u"committing the routing of %1: %2"_s.arg(callSid, error->text())};
    return std::nullopt;
}

std::optional<Problem> CallStore::updateCall(const QString &callSid, const QString &status, const QString &agentId,
                                             qint64 nowMs, std::optional<qint64> answeredAtMs,
                                             std::optional<qint64> durationSeconds)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"UPDATE call_sessions SET status = ?, agent_id = COALESCE(?, agent_id), updated_at = ?, "
                  "answered_at = COALESCE(?, answered_at), "
                  "ended_at = CASE WHEN ? IN ('completed', 'busy', 'failed', 'no-answer', 'canceled') "
                  "THEN COALESCE(ended_at, ?) ELSE ended_at END, "
                  "duration_seconds = COALESCE(?, duration_seconds) WHERE call_sid = ?"_s);
    query.addBindValue(status);
    query.addBindValue(nullableText(agentId));
    query.addBindValue(nowMs);
    query.addBindValue(answeredAtMs ? QVariant(*answeredAtMs) : QVariant(QMetaType(QMetaType::LongLong)));
    query.addBindValue(status);
    query.addBindValue(nowMs);
    query.addBindValue(durationSeconds ? QVariant(*durationSeconds) : QVariant(QMetaType(QMetaType::LongLong)));
    query.addBindValue(callSid);
    if (!query.exec())
        return storageProblem(query, u"updating call %1"_s.arg(callSid));
    return std::nullopt;
}

std::optional<Problem> CallStore::recordCallEnd(const QString &callSid, const QString &agentId, qint64 wrapUpUntilMs,
                                                qint64 nowMs)
{
    // The caller's final status callback may come later and set the final status; until then the
    // row says the agent's part is over, so a restart does not bring the call back at the agent.
    QSqlQuery query(m_database.connection());
    query.prepare(u"UPDATE call_sessions SET status = CASE WHEN status IN ('ringing', 'in-progress') THEN "
                  "'completed' ELSE status END, ended_at = COALESCE(ended_at, ?), wrap_up_until = ?, "
                  "updated_at = ? WHERE call_sid = ? AND agent_id = ?"_s);
    query.addBindValue(nowMs);
    query.addBindValue(wrapUpUntilMs > nowMs ? QVariant(wrapUpUntilMs) : QVariant(QMetaType(QMetaType::LongLong)));
    query.addBindValue(nowMs);
    query.addBindValue(callSid);
    query.addBindValue(agentId);
    if (!query.exec())
        return storageProblem(query, u"recording the end of call %1 at %2"_s.arg(callSid, agentId));
    return std::nullopt;
}

Result<QList<StoredAgentCall>> CallStore::loadAgentCalls(qint64 nowMs, qint64 ringingSinceMs, qint64 answeredSinceMs)
{
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT call_sid, agent_id, status, from_number, to_number, created_at, answered_at, updated_at, "
                  "wrap_up_until FROM call_sessions WHERE agent_id IS NOT NULL AND "
                  "((status = 'ringing' AND updated_at >= ?) OR (status = 'in-progress' AND updated_at >= ?) "
                  "OR wrap_up_until > ?) "
                  "ORDER BY updated_at"_s);
    query.addBindValue(ringingSinceMs);
    query.addBindValue(answeredSinceMs);
    query.addBindValue(nowMs);
    if (!query.exec())
        return storageProblem(query, u"loading the calls agents were on"_s);
    QList<StoredAgentCall> calls;
    while (query.next()) {
        StoredAgentCall call;
        call.callSid = query.value(0).toString();
        call.agentId = query.value(1).toString();
        const QString status = query.value(2).toString();
        call.state = status == u"ringing" ? StoredAgentCall::State::Ringing
            : status == u"in-progress"    ? StoredAgentCall::State::InProgress
                                          : StoredAgentCall::State::WrapUp;
        call.from = query.value(3).toString();
        call.to = query.value(4).toString();
        call.createdAtMs = query.value(5).toLongLong();
        call.answeredAtMs = query.value(6).toLongLong();
        call.updatedAtMs = query.value(7).toLongLong();
        call.wrapUpUntilMs = query.value(8).toLongLong();
        calls.append(call);
    }
    return calls;
}

std::optional<Problem> CallStore::recordRepair(const QString &agentId, const QString &callSid, const QString &action,
                                               qint64 nowMs)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"INSERT INTO call_repairs (agent_id, call_sid, action, repaired_at) VALUES (?, ?, ?, ?)"_s);
    query.addBindValue(agentId);
    query.addBindValue(callSid);
    query.addBindValue(action);
    query.addBindValue(nowMs);
    if (!query.exec())
        return storageProblem(query, u"recording a repair of %1"_s.arg(callSid));
    return std::nullopt;
}

} // namespace heartline
