#pragma once

#include <QMainWindow>

class QComboBox;
class QLabel;
class QLineEdit;
class QTabWidget;
class QTableView;

namespace heartline {

class AdminPanel;
class AgentDetailPanel;
class AgentFilterProxy;
class ChartsPanel;
class FiguresBar;
class QueuePanel;
class SupervisorSession;

/// The dashboard window: header figures, a banner while the data is stale, and tabs — agents
/// (filterable, sortable table beside the selected agent's detail), queues, charts and, for admins,
/// administration.
class SupervisorWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupervisorWindow)

public:
    explicit SupervisorWindow(SupervisorSession &session, QWidget *parent = nullptr);
    ~SupervisorWindow() override;

    // The parts, for tests and screenshots.
    [[nodiscard]] QTableView *agentTable() const { return m_table; }
    [[nodiscard]] AgentFilterProxy *agentProxy() const { return m_proxy; }
    [[nodiscard]] AgentDetailPanel *detailPanel() const { return m_detail; }
    [[nodiscard]] FiguresBar *figuresBar() const { return m_figures; }
    [[nodiscard]] QueuePanel *queuePanel() const { return m_queuePanel; }
    [[nodiscard]] ChartsPanel *chartsPanel() const { return m_charts; }
    [[nodiscard]] QTabWidget *tabs() const { return m_tabs; }
    /// The Administration tab's panel; the tab is shown only while an admin is signed in.
    [[nodiscard]] AdminPanel *adminPanel() const { return m_admin; }
    /// The "data is stale" banner (hidden while live).
    [[nodiscard]] QLabel *staleBanner() const { return m_banner; }

    /// Selects the agent's row (clearing filters that hide it) and shows its detail.
    void selectAgent(const QString &agentId);
    /// Redraws the charts from the session now (they follow the 10-second samples otherwise).
    void refreshCharts();

Q_SIGNALS:
    void signOutRequested();

private:
    QWidget *buildAgentsTab();
    void fitColumns();
    void buildMenus();
    void updateBanner();
    void updateConnectionLabel();
    void updateCount();
    void updateQueueFilter();
    void showActionRefused(const QString &code, const QString &message);
    void showContextMenu(const QPoint &position);

    SupervisorSession &m_session;
    FiguresBar *m_figures = nullptr;
    QLabel *m_banner = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTableView *m_table = nullptr;
    AgentFilterProxy *m_proxy = nullptr;
    AgentDetailPanel *m_detail = nullptr;
    QueuePanel *m_queuePanel = nullptr;
    ChartsPanel *m_charts = nullptr;
    AdminPanel *m_admin = nullptr;
    QComboBox *m_stateFilter = nullptr;
    QComboBox *m_queueFilter = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QString m_sessionEndedMessage;
};

} // namespace heartline
