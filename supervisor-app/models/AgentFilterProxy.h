#pragma once

#include <QSortFilterProxyModel>

namespace heartline {

/// Sorts the agent table by each column's AgentTableModel::SortRole and filters it by state, queue
/// and a search on name or id. Rows are re-filtered and re-sorted as they change (dynamic).
class AgentFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentFilterProxy)

public:
    /// Which agents to show.
    enum class StateFilter {
        All,
        Ready,    ///< logged in and ready now
        NotReady, ///< logged in and not ready
        OnCall,   ///< ringing, on a call or in wrap-up
        Away,
        Offline, ///< status offline (logged out included)
    };
    Q_ENUM(StateFilter)

    explicit AgentFilterProxy(QObject *parent = nullptr);

    void setStateFilter(StateFilter filter);
    [[nodiscard]] StateFilter stateFilter() const { return m_state; }
    /// Only agents serving this queue; empty for every queue.
    void setQueueFilter(const QString &queue);
    [[nodiscard]] QString queueFilter() const { return m_queue; }
    /// Agents whose display name or id contains the text, ignoring case; empty for everyone.
    void setSearchText(const QString &text);
    [[nodiscard]] QString searchText() const { return m_search; }

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    StateFilter m_state = StateFilter::All;
    QString m_queue;
    QString m_search;
};

} // namespace heartline
