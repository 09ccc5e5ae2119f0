#pragma once

#include <QWidget>

class QLabel;
class QStackedWidget;
class QTableView;

namespace heartline {

class QueueTableModel;
class WaitingCallerModel;

/// The queues tab: each queue with its figures and, for the selected queue, the callers waiting in
/// it. Until the server reports a queue the tab says "No queues configured".
class QueuePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueuePanel)

public:
    QueuePanel(QueueTableModel &queues, QWidget *parent = nullptr);

    /// True while the "No queues configured" page is shown.
    [[nodiscard]] bool showsPlaceholder() const;

private:
    void updatePage();
    void showCallersOfSelection();

    QueueTableModel &m_queues;
    WaitingCallerModel *m_callers = nullptr;
    QStackedWidget *m_pages = nullptr;
    QTableView *m_queueView = nullptr;
    QLabel *m_callersTitle = nullptr;
};

} // namespace heartline
