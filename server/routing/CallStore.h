#pragma once

#include <optional>

#include <QString>

#include "core/Result.h"

namespace heartline {

class Database;
struct RoutingDecision;

/// The durable record of calls and routing: a call and its routing decision are committed
/// together before the TwiML that acts on them is returned.
class CallStore final
{
    Q_DISABLE_COPY_MOVE(CallStore)

public:
    explicit CallStore(Database &database) : m_database(database) { }

    /// Inserts the call if new (a retried webhook keeps the first row) and the decision, in one transaction.
    std::optional<Problem> recordInboundDecision(const QString &callSid, const QString &from, const QString &to,
                                                 const RoutingDecision &decision);
    /// Updates a call's status and agent; answeredAt/endedAt/duration only when given.
    std::optional<Problem> updateCall(const QString &callSid, const QString &status, const QString &agentId,
                                      qint64 nowMs, std::optional<qint64> answeredAtMs = {},
                                      std::optional<qint64> durationSeconds = {});
    std::optional<Problem> recordRepair(const QString &agentId, const QString &callSid, const QString &action,
                                        qint64 nowMs);

private:
    Database &m_database;
};

} // namespace heartline
