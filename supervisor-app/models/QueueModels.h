#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "models/QueueStatus.h"

namespace heartline {

/// The queues, one row each: waiting callers, longest and average wait, service level, abandoned
/// calls and ready agents. Fed by setQueues() from each `queues` message (a full replacement); empty
/// until the server sends one, and the queue panel then says there are no queues.
class QueueTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueTableModel)

public:
    enum Column {
        NameColumn,
        WaitingColumn,
        LongestWaitColumn,
        AverageWaitColumn,
        ServiceLevelColumn,
        AbandonedColumn,
        AgentsReadyColumn,
        ColumnCount,
    };

    explicit QueueTableModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

    /// Replaces every queue. Rows of queues present before and after are updated in place (the
    /// selection stays); queues that appear or go are inserted or removed.
    void setQueues(const QList<QueueStatus> &queues);
    [[nodiscard]] const QList<QueueStatus> &queues() const { return m_queues; }
    [[nodiscard]] const QueueStatus *queue(int row) const;
    /// Callers waiting in every queue together.
    [[nodiscard]] int totalWaiting() const;

private:
    QList<QueueStatus> m_queues;
};

/// The callers waiting in one queue, by position.
class WaitingCallerModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WaitingCallerModel)

public:
    enum Column {
        PositionColumn,
        FromColumn,
        WaitColumn,
        CallColumn,
        ColumnCount,
    };

    explicit WaitingCallerModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

    void setCallers(const QList<WaitingCaller> &callers);

private:
    QList<WaitingCaller> m_callers;
};

} // namespace heartline
