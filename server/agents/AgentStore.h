#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include "agents/AgentRecord.h"
#include "core/Result.h"
#include "store/HeartbeatWriter.h"

namespace heartline {

class Database;
struct AuditRecord;
struct StatusChange;

/// An open agent session as stored.
struct StoredSession
{
    qint64 id = 0;
    AgentStatus status = AgentStatus::Offline;
    QString awayReason;
    qint64 loginAtMs = 0;
    qint64 statusChangedAtMs = 0;
    std::optional<qint64> lastHeartbeatMs;
    bool deviceConnected = false;
    bool statusSticky = false;
};

/// An agent user with its routing profile and, when logged in, its open session.
struct StoredAgent
{
    AgentProfile profile;
    std::optional<StoredSession> session;
};

/// The durable record of agents: sessions, statuses and their audit trail are written at once (a
/// status is acknowledged only once it is on disk); heartbeat timestamps are written behind, at most
/// one second late, by a HeartbeatWriter on a thread of its own, so neither a heartbeat nor anything
/// else on the event loop waits for them.
class AgentStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentStore)

public:
    explicit AgentStore(Database &database, QObject *parent = nullptr);
    ~AgentStore() override;

    [[nodiscard]] Result<QList<StoredAgent>> loadAgents();
    enum class Disabled { Excluded, Included };
    /// The profile of one agent user, or nullopt when there is no such agent (or, unless asked for, when
    /// the agent is disabled: routing never learns one; admins still see and change their profile).
    [[nodiscard]] std::optional<AgentProfile> agentProfile(const QString &agentId,
                                                           Disabled disabled = Disabled::Excluded);

    /// Creates or replaces the routing profile of an agent user (the admin CLI's `agent set`, the
    /// admin route), with its audit record (when given) in the same transaction.
    std::optional<Problem> saveProfile(const AgentProfile &profile, AuditRecord *audit = nullptr, qint64 nowMs = 0);

    [[nodiscard]] Result<qint64> openSession(const AgentProfile &profile, qint64 nowMs);
    std::optional<Problem> closeSession(qint64 sessionId, const QString &agentId, AgentStatus from, const QString &by,
                                        const QString &cause, qint64 nowMs);
    std::optional<Problem> recordStatusChange(qint64 sessionId, const StatusChange &change, bool sticky, qint64 nowMs);
    void clearStickyStatus(qint64 sessionId);

    /// Remembers the latest heartbeat of a session; handed to the writer within FlushIntervalMs.
    void queueHeartbeat(qint64 sessionId, qint64 atMs, bool deviceConnected);
    /// Hands the queued heartbeats to the writer and waits until they are committed (tests, shutdown).
    void flushHeartbeats();
    [[nodiscard]] qsizetype pendingHeartbeats() const { return m_pending.size(); }

    static constexpr int FlushIntervalMs = 1000;

private:
    /// The flush timer's work: hands the queued heartbeats over without waiting.
    void handOverHeartbeats();

    Database &m_database;
    HeartbeatRows m_pending;
    /// Without its thread (it could not open its connection) heartbeats are written on the event loop.
    HeartbeatWriter m_writer;
    QTimer m_flushTimer;
};

} // namespace heartline
