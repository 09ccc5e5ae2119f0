#pragma once

#include <optional>

#include <QList>
#include <QString>

#include "core/Result.h"

namespace heartline {

class Database;
struct RoutingDecision;

/// A call an agent was busy with when the server stopped, as the store has it: ringing there,
/// answered there, or ended with the agent's after-call work still running.
struct StoredAgentCall
{
    enum class State {
        Ringing,
        InProgress,
        WrapUp,
    };
    QString callSid;
    QString agentId;
    State state = State::Ringing;
    QString from;
    QString to;
    qint64 createdAtMs = 0;
    qint64 answeredAtMs = 0; ///< 0 when not answered
    qint64 updatedAtMs = 0;
    qint64 wrapUpUntilMs = 0; ///< for WrapUp
};

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
    /// The agent's call ended: when its after-call work ends (0 for none), so a restart keeps it.
    std::optional<Problem> recordCallEnd(const QString &callSid, const QString &agentId, qint64 wrapUpUntilMs,
                                         qint64 nowMs);
    /// Calls ringing or answered at an agent, and ended calls whose wrap-up runs past `nowMs`.
    /// Ringing rows last updated before `ringingSinceMs` are left out (their offer is over whatever
    /// happened), and answered ones before `answeredSinceMs` (a final status callback was lost).
    [[nodiscard]] Result<QList<StoredAgentCall>> loadAgentCalls(qint64 nowMs, qint64 ringingSinceMs,
                                                                qint64 answeredSinceMs);
    std::optional<Problem> recordRepair(const QString &agentId, const QString &callSid, const QString &action,
                                        qint64 nowMs);

private:
    Database &m_database;
};

} // namespace heartline
