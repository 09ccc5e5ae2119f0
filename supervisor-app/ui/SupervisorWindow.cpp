#include "ui/SupervisorWindow.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>

#include "ui/AdminPanel.h"
#include <QTableView>
#include <QVBoxLayout>
#include <QtMath>

#include "SupervisorLogging.h"
#include "models/AgentFilterProxy.h"
#include "models/Formatting.h"
#include "models/SupervisorSession.h"
#include "ui/AgentDetailPanel.h"
#include "ui/ChartsPanel.h"
#include "ui/ColumnFitter.h"
#include "ui/DeviceIcons.h"
#include "ui/FiguresBar.h"
#include "ui/QueuePanel.h"
#include "ui/ReadinessBarDelegate.h"
#include "ui/ReasonDialog.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Roomy on a large screen, and never larger than the screen the window opens on (a 1280×800 laptop
/// included), less what a window manager adds around it: a title bar and borders.
QSize openingSize(const QScreen *screen)
{
    const QSize preferred(1400, 860);
    const QSize frame(16, 48);
    return screen ? preferred.boundedTo(screen->availableGeometry().size() - frame) : preferred;
}

} // namespace

SupervisorWindow::SupervisorWindow(SupervisorSession &session, QWidget *parent)
    : QMainWindow(parent), m_session(session)
{
    setWindowTitle(tr("Heartline Supervisor"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 4);

    m_figures = new FiguresBar(central);
    layout->addWidget(m_figures);

    m_banner = new QLabel(central);
    m_banner->setObjectName(u"staleBanner"_s);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(u"QLabel#staleBanner { background: #fff4ce; color: #5c4400; border: 1px solid #e0c060;"
                            " border-radius: 4px; padding: 6px; font-weight: bold; }"_s);
    m_banner->hide();
    layout->addWidget(m_banner);

    m_tabs = new QTabWidget(central);
    m_tabs->addTab(buildAgentsTab(), tr("Agents"));
    m_queuePanel = new QueuePanel(m_session.queues(), m_tabs);
    m_tabs->addTab(m_queuePanel, tr("Queues"));
    m_charts = new ChartsPanel(m_tabs);
    m_tabs->addTab(m_charts, tr("Charts"));
    m_admin = new AdminPanel(m_session, m_tabs);
    m_admin->hide();
    // Who signs in decides whether the tab is there: only admins may use the admin routes.
    connect(&m_session, &SupervisorSession::started, this, [this] {
        const int index = m_tabs->indexOf(m_admin);
        if (m_session.isAdmin() && index < 0) {
            m_tabs->addTab(m_admin, tr("Administration"));
            m_admin->refresh();
        } else if (!m_session.isAdmin() && index >= 0) {
            m_tabs->removeTab(index);
        }
    });
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_connectionLabel = new QLabel(this);
    m_connectionLabel->setObjectName(u"connectionState"_s);
    statusBar()->addPermanentWidget(m_connectionLabel);
    buildMenus();

    connect(&m_session, &SupervisorSession::figuresChanged, this, [this] {
        m_figures->setFigures(m_session.figures());
        m_charts->setRouting(m_session.routing());
    });
    connect(&m_session, &SupervisorSession::historyChanged, this, [this] {
        refreshCharts();
        updateQueueFilter();
    });
    connect(&m_session, &SupervisorSession::staleChanged, this, [this](bool stale) {
        m_figures->setStale(stale);
        updateBanner();
    });
    connect(&m_session.connection(), &SupervisorConnection::stateChanged, this,
            [this](SupervisorConnection::State state) {
                if (state == SupervisorConnection::State::Connecting)
                    m_sessionEndedMessage.clear(); // signed in again
                updateBanner();
                updateConnectionLabel();
            });
    // A large floor's snapshot takes a moment: its pages are counted where the connection state is.
    connect(&m_session.connection(), &SupervisorConnection::snapshotProgress, this,
            &SupervisorWindow::updateConnectionLabel);
    connect(&m_session, &SupervisorSession::actionRefused, this, &SupervisorWindow::showActionRefused);
    connect(&m_session, &SupervisorSession::sessionEnded, this, [this](const QString &code, const QString &message) {
        m_sessionEndedMessage = tr("The server ended this session (%1: %2). Use Session → Sign out and sign in again.")
                                    .arg(code, message);
        updateBanner();
    });
    connect(&m_session.agents(), &AgentTableModel::modelReset, this, [this] {
        updateQueueFilter();
        refreshCharts();
    });
    connect(&m_session.agents(), &AgentTableModel::flushed, this, [this](const AgentTableModel::FlushResult &result) {
        if (result.insertedRows > 0 || result.removedRows > 0)
            updateQueueFilter();
    });

    m_figures->setFigures(m_session.figures());
    updateConnectionLabel();
    resize(openingSize(screen()));
}

SupervisorWindow::~SupervisorWindow() = default;

QWidget *SupervisorWindow::buildAgentsTab()
{
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);

    auto *filters = new QHBoxLayout;
    m_stateFilter = new QComboBox(tab);
    m_stateFilter->setObjectName(u"stateFilter"_s);
    m_stateFilter->addItem(tr("All agents"), int(AgentFilterProxy::StateFilter::All));
    m_stateFilter->addItem(tr("Ready"), int(AgentFilterProxy::StateFilter::Ready));
    m_stateFilter->addItem(tr("Not ready"), int(AgentFilterProxy::StateFilter::NotReady));
    m_stateFilter->addItem(tr("On a call"), int(AgentFilterProxy::StateFilter::OnCall));
    m_stateFilter->addItem(tr("Away"), int(AgentFilterProxy::StateFilter::Away));
    m_stateFilter->addItem(tr("Offline"), int(AgentFilterProxy::StateFilter::Offline));
    m_queueFilter = new QComboBox(tab);
    m_queueFilter->setObjectName(u"queueFilter"_s);
    m_queueFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_queueFilter->addItem(tr("All queues"), QString());
    m_search = new QLineEdit(tab);
    m_search->setObjectName(u"search"_s);
    m_search->setPlaceholderText(tr("Search by name or id"));
    m_search->setClearButtonEnabled(true);
    m_count = new QLabel(tab);
    m_count->setObjectName(u"agentCount"_s);
    filters->addWidget(new QLabel(tr("Show:"), tab));
    filters->addWidget(m_stateFilter);
    filters->addWidget(m_queueFilter);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_count);
    layout->addLayout(filters);

    m_proxy = new AgentFilterProxy(this);
    m_proxy->setSourceModel(&m_session.agents());
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setStateFilter(AgentFilterProxy::StateFilter(m_stateFilter->currentData().toInt())); });
    connect(m_queueFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setQueueFilter(m_queueFilter->currentData().toString()); });
    connect(m_search, &QLineEdit::textChanged, m_proxy, &AgentFilterProxy::setSearchText);

    auto *splitter = new QSplitter(Qt::Horizontal, tab);
    m_table = new QTableView(splitter);
    m_table->setObjectName(u"agentTable"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AgentTableModel::StatusColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures 2,000 rows' contents.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->setItemDelegateForColumn(AgentTableModel::ReadinessColumn, new ReadinessBarDelegate(70, m_table));
    fitColumns();
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_detail->setAgent(current.data(AgentTableModel::AgentIdRole).toString());
            });
    connect(m_table, &QTableView::customContextMenuRequested, this, &SupervisorWindow::showContextMenu);

    auto *detailScroll = new QScrollArea(splitter);
    detailScroll->setWidgetResizable(true);
    detailScroll->setFrameShape(QFrame::NoFrame);
    m_detail = new AgentDetailPanel(m_session, detailScroll);
    detailScroll->setWidget(m_detail);
    // The panel scrolls up and down, never sideways: the splitter stops where its buttons still fit.
    detailScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    detailScroll->setMinimumWidth(m_detail->minimumSizeHint().width()
                                  + detailScroll->verticalScrollBar()->sizeHint().width());
    splitter->addWidget(m_table);
    splitter->addWidget(detailScroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({1100, 460});
    layout->addWidget(splitter, 1);

    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &SupervisorWindow::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &SupervisorWindow::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &SupervisorWindow::updateCount);
    updateCount();
    return tab;
}

void SupervisorWindow::fitColumns()
{
    using M = AgentTableModel;
    // "Why not ready" is what a supervisor reads the table for: it keeps room for a typical pair of
    // reasons, and the other columns give way first.
    auto *fitter = new ColumnFitter(*m_table, M::ReasonsColumn);
    const int reasons = fitter->cellWidth(tr("status is away (lunch); no audio input device"));
    fitter->setFillMinimumWidth(reasons);
    const auto sized = [fitter](int column, const QString &sample) {
        return std::max(fitter->headerWidth(column), fitter->cellWidth(sample));
    };
    const int name = sized(M::NameColumn, u"Gustav Lindqvist"_s);
    fitter->setColumn(M::NameColumn, name, sized(M::NameColumn, u"Edsger Dijkstra"_s));
    const int status = sized(M::StatusColumn, Formatting::status(AgentStatus::Away, tr("meeting")));
    fitter->setColumn(M::StatusColumn, status, sized(M::StatusColumn, Formatting::status(AgentStatus::Available)));
    fitter->setColumn(M::ActivityColumn, sized(M::ActivityColumn, Formatting::activity(AgentActivity::Disconnected)),
                      sized(M::ActivityColumn, Formatting::activity(AgentActivity::OnCall)));
    const int readiness = std::max(fitter->headerWidth(M::ReadinessColumn), 80);
    fitter->setColumn(M::ReadinessColumn, readiness, 64);
    fitter->setColumn(M::HeartbeatAgeColumn, sized(M::HeartbeatAgeColumn, Formatting::duration(3'599'000)),
                      sized(M::HeartbeatAgeColumn, Formatting::duration(599'000)));
    const int icons = qCeil(DeviceIcons::pixmap(DeviceState {}).deviceIndependentSize().width());
    const int devices = std::max(fitter->headerWidth(M::DevicesColumn), icons + 12);
    fitter->setColumn(M::DevicesColumn, devices, devices);
    // Hidden first when the table is narrow; the detail panel shows each of them too.
    const int calls = sized(M::CallsTodayColumn, u"000"_s);
    fitter->setColumn(M::CallsTodayColumn, calls, calls, 1);
    const int rtt = sized(M::NetworkColumn, Formatting::milliseconds(1234));
    fitter->setColumn(M::NetworkColumn, rtt, rtt, 2);
    const int onCall = sized(M::CallDurationColumn, Formatting::duration(3'599'000));
    fitter->setColumn(M::CallDurationColumn, onCall, onCall, 3);
}

void SupervisorWindow::buildMenus()
{
    QMenu *sessionMenu = menuBar()->addMenu(tr("&Session"));
    sessionMenu->addAction(tr("&Reconnect now"), this, [this] { m_session.connection().reconnectNow(); });
    sessionMenu->addAction(tr("Sign &out"), this, &SupervisorWindow::signOutRequested);
    sessionMenu->addSeparator();
    sessionMenu->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(tr("Refresh &routing figures"), this, [this] { m_session.refreshRouting(); });
    viewMenu->addAction(tr("Refresh agent &history"), QKeySequence::Refresh, this,
                        [this] { m_detail->refreshHistory(); });
}

void SupervisorWindow::updateBanner()
{
    if (!m_sessionEndedMessage.isEmpty()) {
        m_banner->setText(m_sessionEndedMessage);
        m_banner->show();
        return;
    }
    const SupervisorConnection &connection = m_session.connection();
    if (!connection.isStale()) {
        m_banner->hide();
        return;
    }
    const QString asOf = Formatting::timestamp(m_session.lastUpdateMs(), m_session.clock().nowMs());
    QString text = tr("Connection to the server lost. The figures and the table show the state at %1 and may be out "
                      "of date.")
                       .arg(asOf);
    if (!connection.certificateProblem().isEmpty())
        text += u' ' + connection.certificateProblem();
    if (connection.state() == SupervisorConnection::State::WaitingRetry)
        text += u' ' + tr("Trying again in %1 s.").arg((connection.retryDelayMs() + 999) / 1000);
    else if (connection.state() == SupervisorConnection::State::Connecting)
        text += u' ' + tr("Reconnecting…");
    m_banner->setText(text);
    m_banner->show();
}

void SupervisorWindow::updateConnectionLabel()
{
    const SupervisorCredentials &who = m_session.credentials();
    QString state;
    switch (m_session.connection().state()) {
    case SupervisorConnection::State::Closed:
        state = tr("Not connected");
        break;
    case SupervisorConnection::State::Connecting:
        state = m_session.connection().snapshotPages() > 1 ? tr("Loading agents: page %1 of %2…")
                                                                 .arg(m_session.connection().snapshotPagesReceived())
                                                                 .arg(m_session.connection().snapshotPages())
                                                           : tr("Connecting…");
        break;
    case SupervisorConnection::State::Live:
        state = tr("Live");
        break;
    case SupervisorConnection::State::WaitingRetry:
        state = tr("Connection lost, retrying");
        break;
    case SupervisorConnection::State::Refused:
        state = tr("Session ended");
        break;
    }
    m_connectionLabel->setText(
        who.userId.isEmpty()
            ? state
            : tr("%1 · %2 (%3) · %4").arg(state, who.userId, who.role, who.serverUrl.toDisplayString()));
}

void SupervisorWindow::updateCount()
{
    m_count->setText(tr("%1 of %2 agents").arg(m_proxy->rowCount()).arg(m_session.agents().rowCount()));
}

void SupervisorWindow::updateQueueFilter()
{
    const QStringList queues = m_session.agentQueues();
    QStringList shown;
    for (int i = 1; i < m_queueFilter->count(); ++i)
        shown.append(m_queueFilter->itemData(i).toString());
    if (shown == queues)
        return;
    const QString selected = m_queueFilter->currentData().toString();
    const QSignalBlocker blocker(m_queueFilter);
    while (m_queueFilter->count() > 1)
        m_queueFilter->removeItem(1);
    for (const QString &queue : queues)
        m_queueFilter->addItem(tr("Queue: %1").arg(queue), queue);
    const int index = m_queueFilter->findData(selected);
    m_queueFilter->setCurrentIndex(index < 0 ? 0 : index);
    if (index < 0)
        m_proxy->setQueueFilter({});
}

void SupervisorWindow::refreshCharts()
{
    m_charts->setHistory(m_session.history(), m_session.clock().nowMs());
    m_charts->setQueuesReported(m_session.queuesReported());
    m_charts->setReadiness(readinessHistogram(m_session.agents().agents()));
    m_charts->setRouting(m_session.routing());
}

void SupervisorWindow::selectAgent(const QString &agentId)
{
    const int sourceRow = m_session.agents().rowOf(agentId);
    if (sourceRow < 0)
        return;
    QModelIndex index = m_proxy->mapFromSource(m_session.agents().index(sourceRow, 0));
    if (!index.isValid()) {
        m_stateFilter->setCurrentIndex(0);
        m_queueFilter->setCurrentIndex(0);
        m_search->clear();
        index = m_proxy->mapFromSource(m_session.agents().index(sourceRow, 0));
    }
    m_tabs->setCurrentIndex(0);
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
}

void SupervisorWindow::showActionRefused(const QString &code, const QString &message)
{
    const QString text = tr("The server refused: %1 (%2)").arg(message, code);
    qCInfo(lcSupervisorUi).noquote() << "action refused:" << code << message;
    statusBar()->showMessage(text, 15'000);
    m_detail->showFeedback(text, true);
}

void SupervisorWindow::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_table->indexAt(position);
    if (!index.isValid())
        return;
    const QString agentId = index.data(AgentTableModel::AgentIdRole).toString();
    selectAgent(agentId);
    QMenu menu(this);
    const bool loggedIn = index.data(AgentTableModel::LoggedInRole).toBool();
    menu.addAction(tr("Set away…"), m_detail, &AgentDetailPanel::askAway)->setEnabled(loggedIn);
    menu.addAction(tr("Set available"), m_detail, &AgentDetailPanel::setAvailable)->setEnabled(loggedIn);
    menu.addAction(tr("Log out…"), m_detail, &AgentDetailPanel::askLogout)->setEnabled(loggedIn);
    menu.exec(m_table->viewport()->mapToGlobal(position));
}

} // namespace heartline
