#include "models/QueueModels.h"

#include <algorithm>

#include <QLocale>

#include "models/Formatting.h"

namespace heartline {

QueueTableModel::QueueTableModel(QObject *parent) : QAbstractTableModel(parent) { }

int QueueTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_queues.size());
}

int QueueTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const QueueStatus *QueueTableModel::queue(int row) const
{
    return row >= 0 && row < m_queues.size() ? &m_queues.at(row) : nullptr;
}

int QueueTableModel::totalWaiting() const
{
    int total = 0;
    for (const QueueStatus &queue : m_queues)
        total += int(queue.waiting.size());
    return total;
}

QVariant QueueTableModel::data(const QModelIndex &index, int role) const
{
    const QueueStatus *queue = index.isValid() ? this->queue(index.row()) : nullptr;
    if (!queue)
        return {};
    if (role == Qt::TextAlignmentRole) {
        return QVariant::fromValue(index.column() == NameColumn ? Qt::AlignLeft | Qt::AlignVCenter
                                                                : Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return queue->name;
    case WaitingColumn:
        return int(queue->waiting.size());
    case LongestWaitColumn:
        return Formatting::duration(queue->longestWaitSeconds * 1000);
    case AverageWaitColumn:
        return Formatting::duration(qint64(queue->averageWaitSeconds * 1000));
    case ServiceLevelColumn:
        return queue->serviceLevelPercent ? tr("%1 %").arg(QLocale().toString(*queue->serviceLevelPercent, 'f', 0))
                                          : Formatting::none();
    case AbandonedColumn:
        return queue->abandonedToday;
    case AgentsReadyColumn:
        return queue->agentsReady;
    default:
        return {};
    }
}

QVariant QueueTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Queue");
    case WaitingColumn:
        return tr("Waiting");
    case LongestWaitColumn:
        return tr("Longest wait");
    case AverageWaitColumn:
        return tr("Average wait");
    case ServiceLevelColumn:
        return tr("Service level");
    case AbandonedColumn:
        return tr("Abandoned today");
    case AgentsReadyColumn:
        return tr("Agents ready");
    default:
        return {};
    }
}

void QueueTableModel::setQueues(const QList<QueueStatus> &queues)
{
    // Queues that went away, from the bottom up.
    for (int row = int(m_queues.size()) - 1; row >= 0; --row) {
        const QString &name = m_queues.at(row).name;
        const bool kept = std::any_of(queues.cbegin(), queues.cend(),
                                      [&name](const QueueStatus &queue) { return queue.name == name; });
        if (!kept) {
            beginRemoveRows({}, row, row);
            m_queues.removeAt(row);
            endRemoveRows();
        }
    }
    for (const QueueStatus &queue : queues) {
        const auto found = std::find_if(m_queues.begin(), m_queues.end(),
                                        [&queue](const QueueStatus &known) { return known.name == queue.name; });
        if (found == m_queues.end()) {
            const int row = int(m_queues.size());
            beginInsertRows({}, row, row);
            m_queues.append(queue);
            endInsertRows();
        } else if (*found != queue) {
            *found = queue;
            const int row = int(found - m_queues.begin());
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
}

WaitingCallerModel::WaitingCallerModel(QObject *parent) : QAbstractTableModel(parent) { }

int WaitingCallerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_callers.size());
}

int WaitingCallerModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WaitingCallerModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_callers.size() || role != Qt::DisplayRole)
        return {};
    const WaitingCaller &caller = m_callers.at(index.row());
    switch (index.column()) {
    case PositionColumn:
        return caller.position;
    case FromColumn:
        return caller.from;
    case WaitColumn:
        return Formatting::duration(caller.waitSeconds * 1000);
    case CallColumn:
        return caller.callSid;
    default:
        return {};
    }
}

QVariant WaitingCallerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PositionColumn:
        return tr("Position");
    case FromColumn:
        return tr("Caller");
    case WaitColumn:
        return tr("Waiting for");
    case CallColumn:
        return tr("Call");
    default:
        return {};
    }
}

void WaitingCallerModel::setCallers(const QList<WaitingCaller> &callers)
{
    QList<WaitingCaller> sorted = callers;
    std::sort(sorted.begin(), sorted.end(),
              [](const WaitingCaller &a, const WaitingCaller &b) { return a.position < b.position; });
    // A handful of callers per queue: a reset is cheap and keeps the position order simple.
    beginResetModel();
    m_callers = std::move(sorted);
    endResetModel();
}

} // namespace heartline
