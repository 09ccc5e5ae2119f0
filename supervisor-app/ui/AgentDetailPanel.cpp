#include "ui/AgentDetailPanel.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "models/Formatting.h"
#include "models/ReadinessText.h"
#include "models/SupervisorSession.h"
#include "ui/ReadinessBarDelegate.h"
#include "ui/ReasonDialog.h"
#include "ui/WrappingDelegate.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr int HistoryLimit = 50;
const QColor GateColor(0xb3, 0x26, 0x1e);
const QColor LostPointsColor(0xb0, 0x60, 0x00);

enum class LastColumn {
    Cut,  ///< one line per row, the view scrolls sideways
    Wrap, ///< sentences wrap at the panel's width
};

QTreeWidget *makeTree(const QStringList &headers, const QString &objectName, QWidget *parent,
                      LastColumn last = LastColumn::Cut)
{
    auto *tree = new QTreeWidget(parent);
    tree->setObjectName(objectName);
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setAlternatingRowColors(true);
    tree->setSelectionMode(QAbstractItemView::NoSelection);
    tree->header()->setStretchLastSection(true);
    // Until rows come, as wide as the labels: an empty list shows every heading.
    for (int column = 0; column + 1 < headers.size(); ++column)
        tree->resizeColumnToContents(column);
    if (last == LastColumn::Wrap) {
        // Sentences ("round trip 666.7 ms (good up to 150 ms)"), wrapped rather than cut: the panel is
        // narrow on a small screen. The short columns before them keep one line.
        tree->setItemDelegateForColumn(int(headers.size()) - 1, new WrappingDelegate(*tree));
        tree->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    } else {
        tree->setUniformRowHeights(true);
    }
    return tree;
}

/// The tree's item at `row`, created when the tree has fewer rows. Rows are reused rather than
/// rebuilt, so the ages that change every second neither flicker nor close an open tooltip.
QTreeWidgetItem *itemAt(QTreeWidget *tree, int row)
{
    if (row < tree->topLevelItemCount())
        return tree->topLevelItem(row);
    return new QTreeWidgetItem(tree);
}

void removeRowsFrom(QTreeWidget *tree, int row)
{
    while (tree->topLevelItemCount() > row)
        delete tree->takeTopLevelItem(tree->topLevelItemCount() - 1);
}

/// "Nothing here" across the whole row, so its length does not widen the first column.
void setPlaceholder(QTreeWidget *tree, int row, const QString &text)
{
    QTreeWidgetItem *item = itemAt(tree, row);
    for (int column = 0; column < tree->columnCount(); ++column) {
        item->setText(column, column == 0 ? text : QString());
        item->setData(column, Qt::ForegroundRole, QVariant());
        item->setToolTip(column, QString());
    }
    tree->setFirstColumnSpanned(row, {}, true);
}

void setRow(QTreeWidgetItem *item, const QStringList &texts, const QColor &color = {})
{
    for (int column = 0; column < item->columnCount() || column < texts.size(); ++column) {
        item->setText(column, texts.value(column));
        item->setData(column, Qt::ForegroundRole, color.isValid() ? QVariant(color) : QVariant());
    }
}

QWidget *titled(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(content);
    return box;
}

} // namespace

AgentDetailPanel::AgentDetailPanel(SupervisorSession &session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 0, 0);

    m_title = new QLabel(this);
    m_title->setObjectName(u"detailTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"detailSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);

    auto *actions = new QHBoxLayout;
    m_away = new QPushButton(tr("Set away…"), this);
    m_away->setObjectName(u"setAway"_s);
    m_available = new QPushButton(tr("Set available"), this);
    m_available->setObjectName(u"setAvailable"_s);
    m_logout = new QPushButton(tr("Log out…"), this);
    m_logout->setObjectName(u"logOut"_s);
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setToolTip(tr("Reload the connectivity issues and routing decisions"));
    actions->addWidget(m_away);
    actions->addWidget(m_available);
    actions->addWidget(m_logout);
    actions->addStretch(1);
    actions->addWidget(m_refresh);
    layout->addLayout(actions);
    connect(m_away, &QPushButton::clicked, this, &AgentDetailPanel::askAway);
    connect(m_available, &QPushButton::clicked, this, &AgentDetailPanel::setAvailable);
    connect(m_logout, &QPushButton::clicked, this, &AgentDetailPanel::askLogout);
    connect(m_refresh, &QPushButton::clicked, this, &AgentDetailPanel::refreshHistory);

    m_feedback = new QLabel(this);
    m_feedback->setObjectName(u"actionFeedback"_s);
    m_feedback->setWordWrap(true);
    m_feedback->hide();
    layout->addWidget(m_feedback);

    auto *readiness = new QWidget(this);
    auto *readinessLayout = new QVBoxLayout(readiness);
    readinessLayout->setContentsMargins(0, 0, 0, 0);
    m_score = new QLabel(readiness);
    m_score->setObjectName(u"detailScore"_s);
    m_score->setTextFormat(Qt::RichText);
    m_factors = makeTree({tr("Factor"), tr("Points"), tr("Why")}, u"factors"_s, readiness, LastColumn::Wrap);
    // A handful of rows: as tall as they are, leaving the height to the two histories.
    m_factors->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_factors->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_factors->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    readinessLayout->addWidget(m_score);
    readinessLayout->addWidget(m_factors);
    layout->addWidget(titled(tr("Readiness"), readiness, this));

    m_issues = makeTree({tr("Issue"), tr("Opened"), tr("Closed"), tr("Detail")}, u"issues"_s, this, LastColumn::Wrap);
    layout->addWidget(titled(tr("Connectivity issues"), m_issues, this), 2);
    m_decisions = makeTree({tr("Time"), tr("Queue"), tr("Path"), tr("Chosen"), tr("Score here"), tr("Why")},
                           u"decisions"_s, this);
    layout->addWidget(titled(tr("Recent routing decisions"), m_decisions, this), 2);

    AgentTableModel &model = m_session.agents();
    connect(&model, &AgentTableModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
                // Ticks come as ticked() once for all columns; stale marks do not change this panel.
                if (roles.contains(AgentTableModel::SortRole) || roles.contains(AgentTableModel::StaleRole))
                    return;
                const int row = m_session.agents().rowOf(m_agentId);
                if (row >= topLeft.row() && row <= bottomRight.row())
                    showAgent();
            });
    connect(&model, &AgentTableModel::modelReset, this, &AgentDetailPanel::showAgent);
    connect(&m_session.connection(), &SupervisorConnection::stateChanged, this, &AgentDetailPanel::showAgent);
    connect(&model, &AgentTableModel::rowsRemoved, this, &AgentDetailPanel::showAgent);
    // The ages here move with the table's, at the same reading of the clock.
    connect(&model, &AgentTableModel::ticked, this, &AgentDetailPanel::showAgent);

    ConnectivityIssueLog &issues = m_session.issues();
    connect(&issues, &ConnectivityIssueLog::changed, this, [this](const QString &agentId) {
        if (agentId == m_agentId)
            showIssues();
    });
    // A new snapshot after a lost connection: issues may have closed unseen, so read them again.
    connect(&issues, &ConnectivityIssueLog::cleared, this, [this] {
        m_issuesLoaded = false;
        showIssues();
        loadIssues();
    });
    setAgent({});
}

void AgentDetailPanel::setAgent(const QString &agentId)
{
    const bool changed = agentId != m_agentId;
    m_agentId = agentId;
    if (changed) {
        m_feedback->hide();
        m_issuesLoaded = false;
        m_decisions->clear();
        showIssues();
    }
    showAgent();
    if (changed && !agentId.isEmpty())
        refreshHistory();
}

void AgentDetailPanel::showAgent()
{
    const AgentView *agent = m_session.agents().agent(m_agentId);
    const bool present = agent != nullptr;
    // Commands go over the live connection; while it is down they could not be sent.
    const bool live = m_session.connection().state() == SupervisorConnection::State::Live;
    m_away->setEnabled(live && present && agent->loggedIn);
    m_available->setEnabled(live && present && agent->loggedIn && agent->status != AgentStatus::Available);
    m_logout->setEnabled(live && present && agent->loggedIn);
    m_refresh->setEnabled(present);
    if (!present) {
        m_title->setText(m_agentId.isEmpty() ? tr("No agent selected") : m_agentId);
        m_summary->setText(m_agentId.isEmpty()
                               ? tr("Select an agent in the table to see why they are or are not ready.")
                               : tr("This agent is no longer known to the server."));
        m_score->clear();
        m_factors->clear();
        return;
    }
    m_title->setText(agent->displayName.isEmpty() ? agent->agentId
                                                  : tr("%1  (%2)").arg(agent->displayName, agent->agentId));
    const qint64 now = m_session.agents().nowMs();
    QStringList summary {Formatting::status(agent->status, agent->awayReason), Formatting::activity(agent->activity),
                         Formatting::connection(agent->connection)};
    summary.append(agent->lastHeartbeatMs ? tr("last heartbeat %1 ago").arg(ReadinessText::heartbeatAge(*agent, now))
                                          : tr("no heartbeat yet"));
    summary.append(tr("calls %1 of %2 at once").arg(agent->activeCalls).arg(agent->maxConcurrentCalls));
    summary.append(agent->callsToday == 1 ? tr("1 call today") : tr("%1 calls today").arg(agent->callsToday));
    summary.append(agent->queues.isEmpty() ? tr("no queues") : tr("queues: %1").arg(agent->queues.join(u", "_s)));
    m_summary->setText(summary.join(u" · "_s));
    m_score->setText(scoreText(*agent));

    int row = 0;
    for (const ReadinessGate &gate : agent->readiness.failedGates) {
        QTreeWidgetItem *item = itemAt(m_factors, row++);
        setRow(item, {tr("Gate"), tr("fails"), ReadinessText::gateReason(gate, *agent, now)}, GateColor);
        item->setToolTip(2, gate.gate);
    }
    for (const ReadinessFactor &factor : agent->readiness.factors) {
        QTreeWidgetItem *item = itemAt(m_factors, row++);
        setRow(item,
               {Formatting::factorName(factor.name), tr("%1 / %2").arg(factor.points).arg(factor.maxPoints),
                ReadinessText::factorReason(factor, *agent, now)});
        if (factor.points < factor.maxPoints)
            item->setForeground(1, LostPointsColor);
        item->setToolTip(2, QString());
    }
    removeRowsFrom(m_factors, row);
    m_factors->resizeColumnToContents(0);
    m_factors->resizeColumnToContents(1);
}

QString AgentDetailPanel::scoreText(const AgentView &agent) const
{
    // A score without a session means nothing: the table shows none, and neither does this.
    if (!agent.loggedIn) {
        return u"<span style='font-size:large; font-weight:bold; color:%1'>%2</span>"_s.arg(
            palette().color(QPalette::Disabled, QPalette::Text).name(),
            tr("Not logged in: no readiness score").toHtmlEscaped());
    }
    const ReadinessBarDelegate colours;
    QColor colour = colours.colorFor(agent.readiness.score);
    if (!agent.readiness.ready) {
        // Pale, as the table's bar: a high score held back by a gate must not read as ready.
        const QColor base = palette().color(QPalette::Base);
        colour = QColor::fromRgbF(0.5f * (colour.redF() + base.redF()), 0.5f * (colour.greenF() + base.greenF()),
                                  0.5f * (colour.blueF() + base.blueF()));
    }
    const QString verdict = agent.readiness.ready ? tr("ready") : tr("not ready");
    return u"<span style='font-size:x-large; font-weight:bold; color:%1'>%2</span> / 100 — %3"_s.arg(
        colour.name(), QString::number(agent.readiness.score), verdict.toHtmlEscaped());
}

void AgentDetailPanel::refreshHistory()
{
    loadIssues();
    loadDecisions();
}

void AgentDetailPanel::loadIssues()
{
    if (m_agentId.isEmpty())
        return;
    const QString agentId = m_agentId;
    ++m_historyPending;
    m_session.api().connectivityIssues(
        agentId, ConnectivityIssueLog::PerAgentLimit, this,
        [this, agentId](const Result<QList<ConnectivityIssueView>> &issues) {
            if (agentId == m_agentId) {
                if (issues) {
                    m_issuesLoaded = true;
                    // Merged with what was pushed meanwhile; the log's changed() shows it.
                    m_session.issues().merge(issues.value());
                    showIssues();
                } else {
                    showFeedback(tr("Could not load the connectivity issues: %1").arg(issues.error().message), true);
                }
            }
            historyPartLoaded();
        });
}

void AgentDetailPanel::loadDecisions()
{
    if (m_agentId.isEmpty())
        return;
    const QString agentId = m_agentId;
    ++m_historyPending;
    m_session.api().routingDecisions(
        agentId, HistoryLimit, this, [this, agentId](const Result<QList<RoutingDecisionView>> &decisions) {
            if (agentId == m_agentId) {
                if (decisions)
                    showDecisions(decisions.value());
                else
                    showFeedback(tr("Could not load the routing decisions: %1").arg(decisions.error().message), true);
            }
            historyPartLoaded();
        });
}

void AgentDetailPanel::historyPartLoaded()
{
    if (--m_historyPending == 0)
        Q_EMIT historyLoaded();
}

void AgentDetailPanel::showIssues()
{
    const QList<ConnectivityIssueView> issues = m_session.issues().issues(m_agentId);
    const qint64 now = m_session.agents().nowMs();
    int row = 0;
    for (const ConnectivityIssueView &issue : issues) {
        m_issues->setFirstColumnSpanned(row, {}, false);
        QTreeWidgetItem *item = itemAt(m_issues, row++);
        setRow(item,
               {Formatting::issueKind(issue.kind), Formatting::timestamp(issue.openedAtMs, now),
                issue.closedAtMs ? Formatting::timestamp(*issue.closedAtMs, now) : tr("open"), issue.detail},
               issue.closedAtMs ? QColor() : GateColor);
        item->setToolTip(3, issue.detail);
    }
    // "None" only once the server said so; until then the list may just not be here yet.
    if (issues.isEmpty() && m_issuesLoaded && !m_agentId.isEmpty())
        setPlaceholder(m_issues, row++, tr("No connectivity issues recorded"));
    removeRowsFrom(m_issues, row);
    if (!issues.isEmpty()) {
        for (int column = 0; column < 3; ++column)
            m_issues->resizeColumnToContents(column);
    }
}

void AgentDetailPanel::showDecisions(const QList<RoutingDecisionView> &decisions)
{
    m_decisions->clear();
    const qint64 now = m_session.agents().nowMs();
    for (const RoutingDecisionView &decision : decisions) {
        QString score = Formatting::none();
        QString why;
        for (const DecisionCandidate &candidate : decision.candidates) {
            if (candidate.agentId == m_agentId) {
                score
                    = candidate.ready ? tr("%1, ready").arg(candidate.score) : tr("%1, not ready").arg(candidate.score);
                why = candidate.reasons.join(u"; "_s);
            }
        }
        const QString chosen = decision.chosenAgentId.isEmpty() ? tr("nobody")
            : decision.chosenAgentId == m_agentId               ? tr("this agent")
                                                                : decision.chosenAgentId;
        auto *item = new QTreeWidgetItem(m_decisions,
                                         {Formatting::timestamp(decision.decidedAtMs, now), decision.queue,
                                          Formatting::routingPath(decision.path), chosen, score, why});
        item->setToolTip(0,
                         tr("Call %1, attempt %2, decided in %3 µs")
                             .arg(decision.callSid)
                             .arg(decision.attempt)
                             .arg(decision.durationUs));
        item->setToolTip(5, why);
    }
    if (decisions.isEmpty()) {
        setPlaceholder(m_decisions, 0, tr("No routing decision involved this agent yet"));
        return;
    }
    for (int column = 0; column < 5; ++column)
        m_decisions->resizeColumnToContents(column);
}

void AgentDetailPanel::showFeedback(const QString &message, bool error)
{
    m_feedback->setText(message);
    m_feedback->setStyleSheet(error ? u"color: #b3261e;"_s : u"color: #1b7f3b;"_s);
    m_feedback->setVisible(!message.isEmpty());
}

void AgentDetailPanel::askAway()
{
    const QString agentId = m_agentId;
    const AgentView *agent = m_session.agents().agent(agentId);
    auto *dialog = new ReasonDialog(tr("Set away"),
                                    tr("Set %1 away. They stay away until they choose another status.")
                                        .arg(agent && !agent->displayName.isEmpty() ? agent->displayName : agentId),
                                    ReasonDialog::awayReasons(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, agentId] {
        if (m_session.setAgentAway(agentId, dialog->reason()))
            showFeedback(tr("Asked the server to set %1 away (%2).").arg(agentId, dialog->reason()), false);
        else
            showFeedback(tr("Not connected to the server: nothing was changed."), true);
    });
    dialog->open();
}

void AgentDetailPanel::askLogout()
{
    const QString agentId = m_agentId;
    auto *dialog = new ReasonDialog(
        tr("Log out"), tr("End %1's session. Their app is signed out and they receive no calls.").arg(agentId),
        ReasonDialog::logoutReasons(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, agentId] {
        if (m_session.logoutAgent(agentId, dialog->reason()))
            showFeedback(tr("Asked the server to log %1 out.").arg(agentId), false);
        else
            showFeedback(tr("Not connected to the server: nothing was changed."), true);
    });
    dialog->open();
}

void AgentDetailPanel::setAvailable()
{
    if (m_session.setAgentAvailable(m_agentId))
        showFeedback(tr("Asked the server to set %1 available.").arg(m_agentId), false);
    else
        showFeedback(tr("Not connected to the server: nothing was changed."), true);
}

} // namespace heartline
