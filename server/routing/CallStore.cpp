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
