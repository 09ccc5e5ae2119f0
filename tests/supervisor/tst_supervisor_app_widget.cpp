// The supervisor dashboard against a real heartline::Server in this process: sign-in (and its
// refusals), rows from the snapshot, status changes pushed by the server, the stale banner when the
// server stops and recovery when it is back, actions reaching the server (and a refusal shown), the
// agent detail with issues and routing decisions from the HTTP routes and kept live by pushes (issues
// closing, one heartbeat age everywhere, a logged-out agent), the table readable at 1280×800, the
// queue placeholder, chart samples by the clock, and a session the server ends.

#include <numeric>

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

#include "SupervisorTestSupport.h"
#include "models/AgentFilterProxy.h"
#include "models/Formatting.h"
#include "models/SupervisorSession.h"
#include "routing/CallRouter.h"
#include "ui/AgentDetailPanel.h"
#include "ui/ChartsPanel.h"
#include "ui/FiguresBar.h"
#include "ui/LoginDialog.h"
#include "ui/QueuePanel.h"
#include "ui/ReadinessBarDelegate.h"
#include "ui/ReasonDialog.h"
#include "ui/SupervisorWindow.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

SupervisorSession::Options fastOptions()
{
    SupervisorSession::Options options;
    options.connection.backoff = {50, 200}; // reconnect attempts within a fraction of a second
    options.routingPollMs = 60'000;         // tests ask for routing figures themselves
    return options;
}

/// The text of a cell of the agent in the window's table, or "<absent>".
QString cellOf(const SupervisorWindow &window, const QString &agentId, int column)
{
    const QAbstractItemModel *model = window.agentTable()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, column);
        if (index.data(AgentTableModel::AgentIdRole).toString() == agentId)
            return index.data().toString();
    }
    return u"<absent>"_s;
}

} // namespace

class TestSupervisorAppWidget final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SupervisorFixture> m_fixture;
    std::unique_ptr<SupervisorSession> m_session;
    std::unique_ptr<SupervisorWindow> m_window;

    /// Signs in through the login dialog; returns the dialog's error text (empty on success).
    QString signIn(SupervisorSession &session, const QString &userId, const QString &password,
                   const QString &serverUrl = {})
    {
        LoginDialog dialog(session.api());
        dialog.setServerUrl(serverUrl.isEmpty() ? m_fixture->server().baseUrl().toString() : serverUrl);
        dialog.setUserId(userId);
        dialog.setPassword(password);
        dialog.signIn();
        if (!QTest::qWaitFor(
                [&dialog] { return dialog.result() == QDialog::Accepted || !dialog.errorText().isEmpty(); }, 10'000))
            return u"<no answer>"_s;
        if (dialog.result() != QDialog::Accepted)
            return dialog.errorText();
        session.start(dialog.credentials());
        return {};
    }

    bool showDashboard()
    {
        m_session = std::make_unique<SupervisorSession>(m_fixture->clock(), fastOptions());
        m_session->agents().setFlushDelayMs(0);
        m_window = std::make_unique<SupervisorWindow>(*m_session);
        m_window->show();
        if (!signIn(*m_session, u"sam"_s, u"sam-password"_s).isEmpty())
            return false;
        return QTest::qWaitFor([this] { return m_session->connection().state() == SupervisorConnection::State::Live; },
                               10'000);
    }

    /// Pushes the pending agent changes now, as the server's push timer would.
    void push() { m_fixture->sockets().flushNow(); }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<SupervisorFixture>();
        QVERIFY2(m_fixture->start(standardAgents(), {{u"SUPERVISOR_PUSH_INTERVAL_MS"_s, u"10000"_s}}),
                 qPrintable(m_fixture->error()));
    }
    void cleanup()
    {
        m_window.reset();
        m_session.reset();
        m_fixture.reset();
    }

    void signInRefusals_data()
    {
        QTest::addColumn<QString>("userId");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("server"); // empty: the test server
        QTest::addColumn<QString>("message");
        QTest::newRow("wrong password") << u"sam"_s << u"nope"_s << QString() << u"user id or password is wrong"_s;
        QTest::newRow("an agent account") << u"a1"_s << u"a1-password"_s << QString() << u"role “agent”"_s;
        QTest::newRow("no password") << u"sam"_s << QString() << QString() << u"Enter your user id and password"_s;
        QTest::newRow("not a URL") << u"sam"_s << u"sam-password"_s << u"ftp://x"_s << u"http://host:port"_s;
        QTest::newRow("nobody listening")
            << u"sam"_s << u"sam-password"_s << u"http://127.0.0.1:1"_s << u"Cannot reach the server"_s;
    }
    void signInRefusals()
    {
        QFETCH(QString, userId);
        QFETCH(QString, password);
        QFETCH(QString, server);
        QFETCH(QString, message);
        SupervisorSession session(m_fixture->clock(), fastOptions());
        const QString error = signIn(session, userId, password, server);
        QVERIFY2(error.contains(message), qPrintable(error));
        QCOMPARE(session.connection().state(), SupervisorConnection::State::Closed);
        QCOMPARE(m_fixture->sockets().supervisorCount(), 0);
    }

    void aUserGivenOnTheCommandLineLeavesOnlyThePassword()
    {
        // heartline-supervisor --user sam: the dialog opens with the cursor in the password field.
        SupervisorSession session(m_fixture->clock(), fastOptions());
        LoginDialog dialog(session.api());
        dialog.setUserId(u"sam"_s);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        QCOMPARE(dialog.focusWidget()->objectName(), u"password"_s);
    }

    void rowsAppearAfterSignIn()
    {
        QVERIFY(showDashboard());
        QCOMPARE(m_session->credentials().role, u"supervisor"_s);
        QTableView *table = m_window->agentTable();
        QCOMPARE(table->model()->rowCount(), 7);
        QCOMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::NameColumn), u"Ada Lovelace"_s);
        QCOMPARE(cellOf(*m_window, u"a6"_s, AgentTableModel::StatusColumn), u"Offline"_s);
        QCOMPARE(m_window->figuresBar()->value(FiguresBar::Figure::Offline), u"7"_s);
        QCOMPARE(m_window->figuresBar()->value(FiguresBar::Figure::Ready), u"0"_s);
        QVERIFY(m_window->staleBanner()->isHidden());
        // The queue filter offers the queues the agents serve.
        auto *queues = m_window->findChild<QComboBox *>(u"queueFilter"_s);
        QStringList offered;
        for (int i = 0; i < queues->count(); ++i)
            offered.append(queues->itemData(i).toString());
        QCOMPARE(offered, (QStringList {QString(), u"billing"_s, u"sales"_s, u"support"_s}));
    }

    void serverChangesShowInTheTable()
    {
        QVERIFY(showDashboard());
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        QVERIFY(m_fixture->heartbeat(u"a2"_s, AgentStatus::Away, true, u"lunch"_s));
        // Nothing shows before the server pushes.
        QCOMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Offline"_s);
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Available"_s);
        QTRY_COMPARE(cellOf(*m_window, u"a2"_s, AgentTableModel::StatusColumn), u"Away (lunch)"_s);
        QCOMPARE(cellOf(*m_window, u"a2"_s, AgentTableModel::ReasonsColumn), u"status is away (lunch)"_s);
        QCOMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::HeartbeatAgeColumn), u"0 s"_s);
        QCOMPARE(m_window->agentTable()->model()->rowCount(), 7); // updated in place

        // The heartbeat age ticks with the clock, between deltas.
        m_fixture->clock().advanceSeconds(12);
        m_session->agents().tick();
        QCOMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::HeartbeatAgeColumn), u"12 s"_s);

        // The header counts the table's agents: it follows the push, not the statistics 5 s apart.
        QTRY_COMPARE(m_window->figuresBar()->value(FiguresBar::Figure::Away), u"1"_s);
        QCOMPARE(m_window->figuresBar()->value(FiguresBar::Figure::Offline), u"5"_s);

        // The agent changes its own status (the app's setStatus).
        QVERIFY(m_fixture->agents().setStatus(u"a1"_s, AgentStatus::Away, u"break"_s, StatusChangeSource::Agent,
                                              u"agent"_s));
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Away (break)"_s);

        // Filters: only the away agents, then only those serving sales.
        auto *state = m_window->findChild<QComboBox *>(u"stateFilter"_s);
        state->setCurrentIndex(state->findData(int(AgentFilterProxy::StateFilter::Away)));
        QCOMPARE(m_window->agentTable()->model()->rowCount(), 2);
        auto *queue = m_window->findChild<QComboBox *>(u"queueFilter"_s);
        queue->setCurrentIndex(queue->findData(u"sales"_s));
        QCOMPARE(m_window->agentTable()->model()->rowCount(), 1);
        QCOMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::NameColumn), u"Ada Lovelace"_s);
    }

    void pagedSnapshotIsShownWhole()
    {
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        m_fixture->sockets().setSnapshotPageSize(2); // seven agents: four pages
        m_session = std::make_unique<SupervisorSession>(m_fixture->clock(), fastOptions());
        m_session->agents().setFlushDelayMs(0);
        m_window = std::make_unique<SupervisorWindow>(*m_session);
        m_window->show();

        // Between the pages: nothing shown yet, the pages counted where the connection state is, and
        // a1 (already received) and a7 (still to come) change, pushed at once.
        QStringList progress;
        int rowsWhileLoading = -1;
        QObject::connect(&m_session->connection(), &SupervisorConnection::snapshotProgress, m_session.get(), [&] {
            progress.append(m_window->findChild<QLabel *>(u"connectionState"_s)->text().section(u" · "_s, 0, 0));
            if (progress.size() > 1)
                return;
            rowsWhileLoading = m_session->agents().rowCount();
            QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Away, true, u"lunch"_s));
            QVERIFY(m_fixture->heartbeat(u"a7"_s, AgentStatus::Available));
            push();
        });
        QCOMPARE(signIn(*m_session, u"sam"_s, u"sam-password"_s), QString());
        QTRY_COMPARE_WITH_TIMEOUT(m_session->connection().state(), SupervisorConnection::State::Live, 10'000);

        QCOMPARE(rowsWhileLoading, 0);
        QCOMPARE(progress,
                 (QStringList {u"Loading agents: page 1 of 4…"_s, u"Loading agents: page 2 of 4…"_s,
                               u"Loading agents: page 3 of 4…"_s}));
        QCOMPARE(m_window->agentTable()->model()->rowCount(), 7);
        QCOMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Away (lunch)"_s);
        QCOMPARE(cellOf(*m_window, u"a7"_s, AgentTableModel::StatusColumn), u"Available"_s);
        QCOMPARE(m_session->stats().value(u"agents"_s).toInt(), 7);
        QVERIFY(m_window->findChild<QLabel *>(u"connectionState"_s)->text().startsWith(u"Live"_s));
    }

    void staleWhileTheServerIsDownThenLiveAgain()
    {
        QVERIFY(showDashboard());
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Available"_s);
        const QUrl url = m_fixture->server().baseUrl();

        m_fixture->server().stop();
        QTRY_VERIFY(m_window->staleBanner()->isVisible());
        QVERIFY2(m_window->staleBanner()->text().contains(u"Connection to the server lost"_s),
                 qPrintable(m_window->staleBanner()->text()));
        QVERIFY(m_session->agents().isStale());
        const QModelIndex first = m_window->agentTable()->model()->index(0, 0);
        QVERIFY(first.data(AgentTableModel::StaleRole).toBool());
        QVERIFY(first.data(Qt::FontRole).value<QFont>().italic());
        // The last known rows stay on screen.
        QCOMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Available"_s);
        // Actions cannot be sent while disconnected.
        m_window->selectAgent(u"a1"_s);
        QVERIFY(!m_window->detailPanel()->findChild<QPushButton *>(u"setAway"_s)->isEnabled());
        // Attempts go on, with backoff.
        QTRY_VERIFY(m_session->connection().failedAttempts() >= 2);

        // Back on the same address: the stored session token still works, a new snapshot replaces the rows.
        QVERIFY(m_fixture->server().start({{u"LISTEN_ADDRESS"_s, u"127.0.0.1:%1"_s.arg(url.port())},
                                           {u"SUPERVISOR_PUSH_INTERVAL_MS"_s, u"10000"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(m_session->connection().state(), SupervisorConnection::State::Live, 10'000);
        QVERIFY(m_window->staleBanner()->isHidden());
        QVERIFY(!m_session->agents().isStale());
        QCOMPARE(m_window->agentTable()->model()->rowCount(), 7);
        QVERIFY(m_window->detailPanel()->findChild<QPushButton *>(u"setAway"_s)->isEnabled());
    }

    void setAwayReachesTheServer()
    {
        QVERIFY(showDashboard());
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Available"_s);

        m_window->selectAgent(u"a1"_s);
        QCOMPARE(m_window->detailPanel()->agentId(), u"a1"_s);
        auto *setAway = m_window->detailPanel()->findChild<QPushButton *>(u"setAway"_s);
        QVERIFY(setAway->isEnabled());
        setAway->click();
        ReasonDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->detailPanel()->findChild<ReasonDialog *>()) != nullptr);
        dialog->setReason(u"meeting"_s);
        dialog->accept();

        QTRY_COMPARE(toString(m_fixture->agents().agent(u"a1"_s)->snapshot.status), u"away"_s);
        QCOMPARE(m_fixture->agents().agent(u"a1"_s)->snapshot.awayReason, u"meeting"_s);
        QCOMPARE(m_fixture->lastAuditRow(u"a1"_s), u"available|away|meeting (supervisor)|supervisor"_s);
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Away (meeting)"_s);
        // The detail follows the row.
        auto *summary = m_window->detailPanel()->findChild<QLabel *>(u"detailSummary"_s);
        QVERIFY2(summary->text().startsWith(u"Away (meeting)"_s), qPrintable(summary->text()));
    }

    void logOutReachesTheServer()
    {
        QVERIFY(showDashboard());
        QVERIFY(m_fixture->heartbeat(u"a3"_s, AgentStatus::Available));
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a3"_s, AgentTableModel::StatusColumn), u"Available"_s);
        m_window->selectAgent(u"a3"_s);
        m_window->detailPanel()->findChild<QPushButton *>(u"logOut"_s)->click();
        ReasonDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->detailPanel()->findChild<ReasonDialog *>()) != nullptr);
        dialog->setReason(u"shift ended"_s);
        dialog->accept();
        QTRY_VERIFY(m_fixture->agents().agent(u"a3"_s)->sessionId == 0);
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a3"_s, AgentTableModel::StatusColumn), u"Offline"_s);
        QVERIFY(!m_window->detailPanel()->findChild<QPushButton *>(u"logOut"_s)->isEnabled());
    }

    void refusedActionShowsTheServersError()
    {
        QVERIFY(showDashboard());
        m_window->selectAgent(u"a5"_s); // logged out: the server refuses to set a status
        QVERIFY(!m_window->detailPanel()->findChild<QPushButton *>(u"setAway"_s)->isEnabled());
        QVERIFY(m_session->setAgentAway(u"a5"_s, u"meeting"_s));
        auto *feedback = m_window->detailPanel()->findChild<QLabel *>(u"actionFeedback"_s);
        QTRY_VERIFY(feedback->text().contains(u"not_logged_in"_s));
        QVERIFY(feedback->isVisible());
        QCOMPARE(toString(m_fixture->agents().agent(u"a5"_s)->snapshot.status), u"offline"_s);
    }

    void detailShowsIssuesAndDecisions()
    {
        QVERIFY(showDashboard());
        // a1's device drops and comes back: one closed issue.
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available, false));
        m_fixture->clock().advanceSeconds(20);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available, true));
        // A call: discovery picks a1, the only agent logged in.
        auto routed = m_fixture->server().server().calls()->inbound(
            FormParams {{u"CallSid"_s, u"CA00000000000000000000000000000001"_s},
                        {u"From"_s, u"+15550100"_s},
                        {u"To"_s, u"+15550199"_s}});
        QVERIFY(routed);
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::ActivityColumn), u"Ringing"_s);

        QSignalSpy loaded(m_window->detailPanel(), &AgentDetailPanel::historyLoaded);
        m_window->selectAgent(u"a1"_s);
        QVERIFY(loaded.wait(10'000));
        auto *issues = m_window->detailPanel()->findChild<QTreeWidget *>(u"issues"_s);
        QCOMPARE(issues->topLevelItemCount(), 1);
        QCOMPARE(issues->topLevelItem(0)->text(0), u"Device disconnected"_s);
        QVERIFY(issues->topLevelItem(0)->text(2) != u"open"_s); // closed
        auto *decisions = m_window->detailPanel()->findChild<QTreeWidget *>(u"decisions"_s);
        QCOMPARE(decisions->topLevelItemCount(), 1);
        QCOMPARE(decisions->topLevelItem(0)->text(2), u"Enhanced"_s);
        QCOMPARE(decisions->topLevelItem(0)->text(3), u"this agent"_s);
        auto *factors = m_window->detailPanel()->findChild<QTreeWidget *>(u"factors"_s);
        QVERIFY(factors->topLevelItemCount() >= 4); // gates (ringing) and the four factors

        // The routing figures: one decision, and it reached an agent.
        QSignalSpy figures(m_session.get(), &SupervisorSession::figuresChanged);
        m_session->refreshRouting();
        QVERIFY(figures.wait(10'000));
        QCOMPARE(m_window->figuresBar()->value(FiguresBar::Figure::RoutingSuccess), u"100 %"_s);
        m_window->refreshCharts();
        QCOMPARE(m_window->chartsPanel()->routingValues(), (QList<qreal> {1, 0, 0, 0, 0}));
    }

    void detailIssueClosesWithoutRefresh()
    {
        QVERIFY(showDashboard());
        // a1's device drops: an issue opens on the server, and the supervisor opens a1's detail.
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available, false));
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Available"_s);
        QSignalSpy loaded(m_window->detailPanel(), &AgentDetailPanel::historyLoaded);
        m_window->selectAgent(u"a1"_s);
        QVERIFY(loaded.wait(10'000));
        auto *issues = m_window->detailPanel()->findChild<QTreeWidget *>(u"issues"_s);
        QCOMPARE(issues->topLevelItemCount(), 1);
        QCOMPARE(issues->topLevelItem(0)->text(0), u"Device disconnected"_s);
        QCOMPARE(issues->topLevelItem(0)->text(2), u"open"_s);

        // The device comes back 20 s later; the server closes the issue and pushes. Nobody clicks Refresh.
        m_fixture->clock().advanceSeconds(20);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available, true));
        push();
        QTRY_VERIFY(issues->topLevelItem(0)->text(2) != u"open"_s);
        QCOMPARE(issues->topLevelItemCount(), 1);
        QCOMPARE(issues->topLevelItem(0)->text(2),
                 Formatting::timestamp(m_fixture->clock().nowMs(), m_fixture->clock().nowMs()));
        QVERIFY(issues->topLevelItem(0)->foreground(2).color() != QColor(0xb3, 0x26, 0x1e)); // no longer red

        // A new issue shows up the same way, open and on top.
        m_fixture->clock().advanceSeconds(5);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available, false));
        push();
        QTRY_COMPARE(issues->topLevelItemCount(), 2);
        QCOMPARE(issues->topLevelItem(0)->text(2), u"open"_s);
        QVERIFY(issues->topLevelItem(1)->text(2) != u"open"_s);
        QCOMPARE(loaded.count(), 1); // nothing was read again over HTTP
    }

    void heartbeatAgeIsOneAgeEverywhere()
    {
        QVERIFY(showDashboard());
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Available"_s);
        m_window->selectAgent(u"a1"_s);

        // 13 s after the heartbeat the server pushes a1 again (a supervisor set it away), scored then;
        // 3 s later the dashboard's clock ticks.
        m_fixture->clock().advanceSeconds(13);
        QVERIFY(m_fixture->agents().setStatus(u"a1"_s, AgentStatus::Away, u"break"_s, StatusChangeSource::Supervisor,
                                              u"sam"_s));
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Away (break)"_s);
        m_fixture->clock().advanceSeconds(3);
        m_session->agents().tick();

        // Table, the detail's header and its readiness factors: 16 s each.
        QCOMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::HeartbeatAgeColumn), u"16 s"_s);
        const QString summary = m_window->detailPanel()->findChild<QLabel *>(u"detailSummary"_s)->text();
        QVERIFY2(summary.contains(u"last heartbeat 16 s ago"_s), qPrintable(summary));
        auto *factors = m_window->detailPanel()->findChild<QTreeWidget *>(u"factors"_s);
        QString heartbeatWhy;
        for (int row = 0; row < factors->topLevelItemCount(); ++row) {
            if (factors->topLevelItem(row)->text(0) == u"Heartbeat"_s)
                heartbeatWhy = factors->topLevelItem(row)->text(2);
        }
        QCOMPARE(heartbeatWhy, u"last heartbeat 16 s ago"_s);
    }

    void loggedOutAgentIsNeitherReadyNorAveraged()
    {
        QVERIFY(showDashboard());
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        push();
        m_fixture->sockets().sendStatsNow();
        QTRY_COMPARE(m_window->figuresBar()->value(FiguresBar::Figure::Ready), u"1"_s);
        const int score = m_session->agents().agent(u"a1"_s)->readiness.score;
        QVERIFY(score >= 70);
        QCOMPARE(m_window->figuresBar()->value(FiguresBar::Figure::AverageReadiness),
                 QLocale().toString(double(score), 'f', 1));

        // The agent logs out; the next push carries it, the next statistics are up to 5 s away.
        m_window->selectAgent(u"a1"_s);
        QVERIFY(!m_fixture->agents().closeSession(u"a1"_s, StatusChangeSource::Agent, u"logout"_s));
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::StatusColumn), u"Offline"_s);
        QCOMPARE(m_session->agents().agent(u"a1"_s)->readiness.score, score); // the server still scores it
        QCOMPARE(m_window->figuresBar()->value(FiguresBar::Figure::AverageReadiness), u"–"_s);
        QCOMPARE(m_window->figuresBar()->value(FiguresBar::Figure::Ready), u"0"_s);
        QCOMPARE(m_window->figuresBar()->value(FiguresBar::Figure::Offline), u"7"_s);
        // Not green, and no score shown as if it meant something.
        const QString scoreText = m_window->detailPanel()->findChild<QLabel *>(u"detailScore"_s)->text();
        QVERIFY2(scoreText.contains(u"Not logged in"_s), qPrintable(scoreText));
        QVERIFY2(!scoreText.contains(QString::number(score)), qPrintable(scoreText));
        QVERIFY2(!scoreText.contains(ReadinessBarDelegate().colorFor(score).name()), qPrintable(scoreText));
        QCOMPARE(cellOf(*m_window, u"a1"_s, AgentTableModel::ReadinessColumn), QString());
    }

    void whyNotReadyIsReadableAt1280x800()
    {
        m_session = std::make_unique<SupervisorSession>(m_fixture->clock(), fastOptions());
        m_window = std::make_unique<SupervisorWindow>(*m_session);
        // It opens no larger than a 1280×800 screen.
        QVERIFY2(m_window->width() <= 1280 && m_window->height() <= 800,
                 qPrintable(u"%1×%2"_s.arg(m_window->width()).arg(m_window->height())));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QCOMPARE(signIn(*m_session, u"sam"_s, u"sam-password"_s), QString());
        QTRY_COMPARE(m_session->connection().state(), SupervisorConnection::State::Live);
        m_session->agents().setFlushDelayMs(0);
        QVERIFY(m_fixture->heartbeat(u"a2"_s, AgentStatus::Away, true, u"lunch"_s));
        push();
        m_window->selectAgent(u"a2"_s); // the detail panel is open beside the table
        m_window->resize(1280, 800);
        QTRY_COMPARE(m_window->size(), QSize(1280, 800));
        QTRY_VERIFY(cellOf(*m_window, u"a2"_s, AgentTableModel::ReasonsColumn).startsWith(u"status is away (lunch)"_s));

        // A typical reason fits its column, and the column is on screen without scrolling sideways.
        QTableView *table = m_window->agentTable();
        const int width = table->columnWidth(AgentTableModel::ReasonsColumn);
        const int margins = 2 * (table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1);
        const QString typical = u"status is away (lunch); no audio input device"_s;
        QVERIFY2(table->fontMetrics().horizontalAdvance(typical) + margins <= width,
                 qPrintable(u"the column is %1 px wide"_s.arg(width)));
        QVERIFY(table->columnViewportPosition(AgentTableModel::ReasonsColumn) >= 0);
        QVERIFY(table->columnViewportPosition(AgentTableModel::ReasonsColumn) + width <= table->viewport()->width());
        // The name still reads in full.
        QVERIFY(table->fontMetrics().horizontalAdvance(u"Edsger Dijkstra"_s) + margins
                <= table->columnWidth(AgentTableModel::NameColumn));

        // On a larger screen every column is back.
        m_window->resize(1680, 1000);
        QTRY_COMPARE(m_window->size(), QSize(1680, 1000));
        for (int column = 0; column < AgentTableModel::ColumnCount; ++column)
            QTRY_VERIFY2(!table->isColumnHidden(column), qPrintable(u"column %1 hidden"_s.arg(column)));
        QVERIFY(table->columnWidth(AgentTableModel::ReasonsColumn) >= width);

        // A column the supervisor widens keeps its width; the others make room, nothing scrolls sideways,
        // and "Why not ready" still holds a typical reason.
        const int name = table->columnWidth(AgentTableModel::NameColumn);
        table->horizontalHeader()->resizeSection(AgentTableModel::NameColumn, name + 60);
        QTRY_COMPARE(table->horizontalHeader()->length(), table->viewport()->width());
        QCOMPARE(table->columnWidth(AgentTableModel::NameColumn), name + 60);
        QVERIFY(table->fontMetrics().horizontalAdvance(typical) + margins
                <= table->columnWidth(AgentTableModel::ReasonsColumn));
    }

    void queuesComeFromTheServer()
    {
        QVERIFY(showDashboard());
        auto *placeholder = m_window->queuePanel()->findChild<QLabel *>(u"noQueues"_s);
        QVERIFY(placeholder->text().contains(u"No queues configured"_s)); // shown until queue data arrives
        // The server's `queues` message follows the snapshot: its one default queue, nobody waiting.
        QTRY_VERIFY(!m_window->queuePanel()->showsPlaceholder());
        QCOMPARE(m_session->queues().totalWaiting(), 0);
        // A later message replaces what is shown.
        m_session->queues().setQueues(
            {QueueStatus {u"support"_s, {{u"CA1"_s, u"+15550100"_s, 95, 1}}, 95, 95, 0, 90, 1}});
        QVERIFY(!m_window->queuePanel()->showsPlaceholder());
        QCOMPARE(m_session->queues().totalWaiting(), 1);
    }

    void chartSamplesFollowTheClock()
    {
        QVERIFY(showDashboard());
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        QVERIFY(m_fixture->heartbeat(u"a2"_s, AgentStatus::Away, true, u"break"_s));
        push();
        QTRY_COMPARE(cellOf(*m_window, u"a2"_s, AgentTableModel::StatusColumn), u"Away (break)"_s);
        const int ready = m_session->agents().agent(u"a1"_s)->readiness.ready ? 1 : 0;

        QVERIFY(m_session->sampleIfDue());
        QVERIFY(!m_session->sampleIfDue());
        m_fixture->clock().advanceSeconds(9);
        QVERIFY(!m_session->sampleIfDue());
        m_fixture->clock().advanceSeconds(1);
        QVERIFY(m_session->sampleIfDue());
        QCOMPARE(m_session->history().samples().size(), size_t(2));
        QCOMPARE(m_session->history().samples().back(), (ChartSample {m_fixture->clock().nowMs(), ready, 0}));
        // The window redraws on each sample.
        QCOMPARE(m_window->chartsPanel()->readySeries()->count(), 2);
        const QList<qreal> histogram = m_window->chartsPanel()->readinessValues();
        QCOMPARE(std::accumulate(histogram.begin(), histogram.end(), 0.0), 2.0); // two agents logged in
    }

    void endedSessionStopsTheDashboard()
    {
        QVERIFY(showDashboard());
        QSignalSpy ended(m_session.get(), &SupervisorSession::sessionEnded);
        const HttpReply logout = m_fixture->postJson(u"/api/auth/logout"_s, {}, m_session->credentials().token);
        QCOMPARE(logout.status, 204);
        m_fixture->sockets().sendStatsNow(); // sessions are checked before every stats push
        QVERIFY(ended.wait(10'000));
        QCOMPARE(ended.first().at(0).toString(), u"unauthenticated"_s);
        QTRY_COMPARE(m_session->connection().state(), SupervisorConnection::State::Refused);
        QVERIFY(m_window->staleBanner()->isVisible());
        QVERIFY(m_window->staleBanner()->text().contains(u"ended this session"_s));
        QCOMPARE(m_session->connection().failedAttempts(), 0); // no retry with a dead token
    }
};

QTEST_MAIN(TestSupervisorAppWidget)
#include "tst_supervisor_app_widget.moc"
