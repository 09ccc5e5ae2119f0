#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include "agents/AgentRecord.h"
#include "core/Result.h"

namespace heartline {

class Database;
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
/// status is acknowledged only once it is on disk); heartbeat timestamps are written behind, about
/// one second late, so a heartbeat never waits for the disk. A batch is written in transactions of
/// at most FlushChunkRows rows, FlushPauseMs apart, with the event loop serving requests between
/// them: one transaction for a second of heartbeats from 10,000 agents held it for about 65 ms.
class AgentStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentStore)

public:
    explicit AgentStore(Database &database, QObject *parent = nullptr);
    ~AgentStore() override;

    [[nodiscard]] Result<QList<StoredAgent>> loadAgents();
    /// The profile of one agent user, or nullopt when there is no such agent.
    [[nodiscard]] std::optional<AgentProfile> agentProfile(const QString &agentId);

    /// Creates or replaces the routing profile of an agent user (the admin CLI's `agent set`).
    std::optional<Problem> saveProfile(const AgentProfile &profile);

    [[nodiscard]] Result<qint64> openSession(const AgentProfile &profile, qint64 nowMs);
    std::optional<Problem> closeSession(qint64 sessionId, const QString &agentId, AgentStatus from, const QString &by,
                                        const QString &cause, qint64 nowMs);
    std::optional<Problem> recordStatusChange(qint64 sessionId, const StatusChange &change, bool sticky, qint64 nowMs);
    void clearStickyStatus(qint64 sessionId);

    /// Remembers the latest heartbeat of a session; written by the next flush (FlushIntervalMs after
    /// the first heartbeat queued), in chunks.
    void queueHeartbeat(qint64 sessionId, qint64 atMs, bool deviceConnected);
    /// Writes every queued heartbeat now, in one transaction (logout, shutdown, tests).
    void flushHeartbeats();
    /// Writes at most maxRows queued heartbeats in one transaction; returns how many were written
    /// (0 when the write failed: they stay queued).
    qsizetype writeQueued(qsizetype maxRows);
    [[nodiscard]] qsizetype pendingHeartbeats() const { return m_pending.size(); }

    static constexpr int FlushIntervalMs = 1000;
    /// About half a millisecond of writing (6-9 µs a row, mostly for the seed's two indexes that
    /// hold last_heartbeat)...
    static constexpr qsizetype FlushChunkRows = 50;
    /// ...then this long for requests before the next chunk. Back-to-back chunks let requests queue
    /// behind them (5 ms at 10,000 heartbeats/s from 10,000 agents); with the pause a request waits
    /// for at most one chunk. 10,000 queued heartbeats are written in about half a second.
    static constexpr int FlushPauseMs = 2;

private:
    struct PendingHeartbeat
    {
        qint64 atMs = 0;
        bool deviceConnected = false;
    };

    Database &m_database;
    /// The timers' flush: one chunk, the rest on the following turns of the event loop.
    void flushChunk();

    QHash<qint64, PendingHeartbeat> m_pending;
    QTimer m_flushTimer; ///< the first chunk, FlushIntervalMs after a heartbeat was queued
    QTimer m_drainTimer; ///< the following chunks, FlushPauseMs apart
};

} // namespace heartline
