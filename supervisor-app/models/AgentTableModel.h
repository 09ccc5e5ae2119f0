#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>

#include "protocol/SupervisorProtocol.h"

namespace heartline {

class Clock;

/// Every agent the server reported, one row each, in the order they first arrived (the proxy sorts).
///
/// Updates are coalesced: queueChanges() and queueRemovals() only record what arrived, and flush()
/// (on a short timer, or called directly) applies it. A flush finds each changed agent's row through
/// a hash (id → row), emits dataChanged for changed rows only (once per row however many deltas
/// came for it, narrowed to the columns that changed, merged over neighbouring rows), inserts new
/// agents with one beginInsertRows and removes gone ones by contiguous runs. Only a new snapshot
/// resets the model.
///
/// The heartbeat age, the call duration and the reasons (which word the heartbeat age) tick: tick()
/// (every second while ticking) reads `serverClock` (the server's time as estimated here) once into
/// nowMs() and emits one dataChanged per ticking column, so ages keep moving between deltas. Every
/// age the dashboard shows is computed for nowMs(), so the table and the detail panel agree.
class AgentTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentTableModel)

public:
    enum Column {
        NameColumn,
        StatusColumn,
        ActivityColumn,
        ReadinessColumn,
        ReasonsColumn,
        HeartbeatAgeColumn,
        DevicesColumn,
        NetworkColumn,
        CallsTodayColumn,
        CallDurationColumn,
        ColumnCount,
    };
    Q_ENUM(Column)

    enum Role {
        AgentIdRole = Qt::UserRole + 1,
        SortRole,     ///< a number or lower-case text to sort the column by
        ScoreRole,    ///< int 0-100
        ReadyRole,    ///< bool
        LoggedInRole, ///< bool
        StatusRole,   ///< int(AgentStatus)
        ActivityRole, ///< int(AgentActivity)
        QueuesRole,   ///< QStringList
        StaleRole,    ///< bool: the connection is down, the row may be out of date
    };

    /// What one flush did (for tests, logs and the benchmark).
    struct FlushResult
    {
        int changedRows = 0;
        int insertedRows = 0;
        int removedRows = 0;
        int dataChangedSignals = 0;

        friend bool operator==(const FlushResult &, const FlushResult &) = default;
    };

    explicit AgentTableModel(const Clock &serverClock, QObject *parent = nullptr);
    ~AgentTableModel() override;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

    /// A snapshot: every agent, replacing what was shown (the only full reset). Drops pending deltas.
    void resetAgents(const QList<AgentView> &agents);
    /// Deltas, applied at the next flush; the latest view of an agent wins.
    void queueChanges(const QList<AgentView> &agents);
    void queueRemovals(const QStringList &agentIds);
    /// Applies the pending deltas now.
    FlushResult flush();
    [[nodiscard]] qsizetype pendingCount() const { return m_pendingChanges.size() + m_pendingRemovals.size(); }
    /// How long deltas wait to be flushed together (default 100 ms; 0 = the next event loop turn).
    void setFlushDelayMs(int ms) { m_flushTimer.setInterval(ms); }

    /// Reads the clock into nowMs(), emits dataChanged for the ticking columns, then ticked().
    void tick();
    /// The server time every age and duration is shown for: the clock as read at the last tick or reset.
    [[nodiscard]] qint64 nowMs() const { return m_nowMs; }
    /// Ticks every `intervalMs` (0 stops).
    void setTickIntervalMs(int intervalMs);

    /// Marks every row as possibly out of date (connection lost) or current again.
    void setStale(bool stale);
    [[nodiscard]] bool isStale() const { return m_stale; }

    [[nodiscard]] const AgentView *agentAt(int row) const;
    [[nodiscard]] const AgentView *agent(const QString &agentId) const;
    /// -1 for an unknown agent.
    [[nodiscard]] int rowOf(const QString &agentId) const { return m_rowOf.value(agentId, -1); }
    [[nodiscard]] const QList<AgentView> &agents() const { return m_rows; }
    [[nodiscard]] const Clock &serverClock() const { return m_clock; }

Q_SIGNALS:
    /// After a flush that changed something, and after a reset.
    void flushed(const heartline::AgentTableModel::FlushResult &result);
    /// After tick(): nowMs() moved on.
    void ticked();

private:
    [[nodiscard]] QVariant display(const AgentView &agent, int column) const;
    [[nodiscard]] QVariant sortKey(const AgentView &agent, int column) const;
    void removePending(FlushResult &result);
    void changePending(FlushResult &result, QList<AgentView> &inserted);
    void insertRows(QList<AgentView> &inserted, FlushResult &result);
    void rebuildIndexFrom(int row);
    void scheduleFlush();

    const Clock &m_clock;
    qint64 m_nowMs = 0;
    QList<AgentView> m_rows;
    QHash<QString, int> m_rowOf;
    QHash<QString, AgentView> m_pendingChanges;
    QList<QString> m_pendingOrder; ///< ids of m_pendingChanges in arrival order, so new agents keep it
    QSet<QString> m_pendingRemovals;
    bool m_stale = false;
    QTimer m_flushTimer;
    QTimer m_tickTimer;
};

/// The first and last column whose display differs between two views of one agent; {-1, -1} when
/// none does. A change only the filters see (queues) reports the name column, so proxies re-filter.
[[nodiscard]] std::pair<int, int> changedColumns(const AgentView &before, const AgentView &after);

} // namespace heartline
