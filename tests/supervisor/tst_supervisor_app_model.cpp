// The supervisor dashboard's agent table: a snapshot then deltas give exact rows and cells, updates are
// coalesced (one dataChanged per changed row per flush, never a reset except for a snapshot), ticking
// columns follow the clock, and the proxy sorts and filters by state, queue and name. The snapshot's
// pages are gathered into the whole floor with the deltas between them applied in arrival order.

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "SupervisorAppTestData.h"
#include "connection/ServerClock.h"
#include "models/AgentFilterProxy.h"
#include "models/AgentTableModel.h"
#include "models/SnapshotPages.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

/// "id|status|activity|readiness" for every row, in model order.
QStringList rowsOf(const QAbstractItemModel &model)
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells {model.index(row, 0).data(AgentTableModel::AgentIdRole).toString()};
        for (int column :
             {AgentTableModel::StatusColumn, AgentTableModel::ActivityColumn, AgentTableModel::ReadinessColumn})
            cells.append(model.index(row, column).data().toString());
        rows.append(cells.join(u'|'));
    }
    return rows;
}

QStringList idsOf(const QAbstractItemModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(AgentTableModel::AgentIdRole).toString());
    return ids;
}

/// "id status score" of each agent, e.g. "a2 away:lunch 80": what the gathered floor holds, in order.
QStringList floorOf(const QList<AgentView> &agents)
{
    QStringList out;
    for (const AgentView &agent : agents) {
        const QString status
            = agent.awayReason ? toString(agent.status) + u':' + *agent.awayReason : toString(agent.status);
        out.append(u"%1 %2 %3"_s.arg(agent.agentId, status).arg(agent.readiness.score));
    }
    return out;
}

/// "page 2/3 spec|spec": a snapshot page of those agents (page 1 with statistics counting them).
SupervisorSnapshot pageFromSpec(const QString &spec)
{
    const QString numbers = spec.section(u' ', 1, 1);
    SupervisorSnapshot page;
    page.page = numbers.section(u'/', 0, 0).toInt();
    page.pages = numbers.section(u'/', 1, 1).toInt();
    const QString agents = spec.section(u' ', 2);
    if (!agents.isEmpty())
        page.agents = agentsFromSpecs(agents.split(u'|'));
    if (page.page == 1)
        page.stats = QJsonObject {{u"page1"_s, true}};
    page.serverTimeMs = ManualClock::DefaultStartMs + page.page;
    return page;
}

const QStringList StandardSnapshot {
    u"a1 available idle 90 support,sales"_s, u"a2 away:lunch idle 80 support"_s, u"a3 available on-call 95 sales"_s,
    u"a4 available idle 40 support"_s,       u"a5 - disconnected 0"_s,
};

} // namespace

class TestSupervisorAppModel final : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;

private Q_SLOTS:
    void snapshotThenDeltas_data()
    {
        QTest::addColumn<QStringList>("operations"); // "+spec" change, "-id" remove, "flush"
        QTest::addColumn<QStringList>("rows");
        QTest::addColumn<QString>("signalCounts"); // dataChanged / rowsInserted / rowsRemoved / modelReset signals

        QTest::newRow("snapshot only") << QStringList {}
                                       << QStringList {u"a1|Available|Idle|90"_s, u"a2|Away (lunch)|Idle|80"_s,
                                                       u"a3|Available|On call|95"_s, u"a4|Available|Idle|40"_s,
                                                       u"a5|Offline|Disconnected|"_s}
                                       << u"0/0/0/0"_s;
        QTest::newRow("status change") << QStringList {u"+a2 available idle 85 support"_s}
                                       << QStringList {u"a1|Available|Idle|90"_s, u"a2|Available|Idle|85"_s,
                                                       u"a3|Available|On call|95"_s, u"a4|Available|Idle|40"_s,
                                                       u"a5|Offline|Disconnected|"_s}
                                       << u"1/0/0/0"_s;
        QTest::newRow("login of a logged-out agent")
            << QStringList {u"+a5 available idle 100"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a2|Away (lunch)|Idle|80"_s, u"a3|Available|On call|95"_s,
                            u"a4|Available|Idle|40"_s, u"a5|Available|Idle|100"_s}
            << u"1/0/0/0"_s;
        QTest::newRow("unknown agent inserts a row")
            << QStringList {u"+a9 available idle 75"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a2|Away (lunch)|Idle|80"_s,  u"a3|Available|On call|95"_s,
                            u"a4|Available|Idle|40"_s, u"a5|Offline|Disconnected|"_s, u"a9|Available|Idle|75"_s}
            << u"0/1/0/0"_s;
        QTest::newRow("two unknown agents: one insert, arrival order")
            << QStringList {u"+a8 away idle 0"_s, u"+a6 available idle 70"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a2|Away (lunch)|Idle|80"_s,  u"a3|Available|On call|95"_s,
                            u"a4|Available|Idle|40"_s, u"a5|Offline|Disconnected|"_s, u"a8|Away|Idle|0"_s,
                            u"a6|Available|Idle|70"_s}
            << u"0/1/0/0"_s;
        QTest::newRow("removed from the middle")
            << QStringList {u"-a3"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a2|Away (lunch)|Idle|80"_s, u"a4|Available|Idle|40"_s,
                            u"a5|Offline|Disconnected|"_s}
            << u"0/0/1/0"_s;
        QTest::newRow("rows after a removal are still found")
            << QStringList {u"-a2"_s, u"flush"_s, u"+a5 available idle 77"_s, u"+a4 away idle 0"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a3|Available|On call|95"_s, u"a4|Away|Idle|0"_s,
                            u"a5|Available|Idle|77"_s}
            << u"1/0/1/0"_s; // a4 and a5 are neighbours: one dataChanged
        QTest::newRow("contiguous and separate removals")
            << QStringList {u"-a1"_s, u"-a2"_s, u"-a4"_s}
            << QStringList {u"a3|Available|On call|95"_s, u"a5|Offline|Disconnected|"_s} << u"0/0/2/0"_s;
        QTest::newRow("removal of an unknown agent changes nothing")
            << QStringList {u"-zz"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a2|Away (lunch)|Idle|80"_s, u"a3|Available|On call|95"_s,
                            u"a4|Available|Idle|40"_s, u"a5|Offline|Disconnected|"_s}
            << u"0/0/0/0"_s;
        QTest::newRow("change then removal in one flush: removed")
            << QStringList {u"+a1 away idle 0"_s, u"-a1"_s}
            << QStringList {u"a2|Away (lunch)|Idle|80"_s, u"a3|Available|On call|95"_s, u"a4|Available|Idle|40"_s,
                            u"a5|Offline|Disconnected|"_s}
            << u"0/0/1/0"_s;
        QTest::newRow("removal then change in one flush: kept")
            << QStringList {u"-a1"_s, u"+a1 away idle 0"_s}
            << QStringList {u"a1|Away|Idle|0"_s, u"a2|Away (lunch)|Idle|80"_s, u"a3|Available|On call|95"_s,
                            u"a4|Available|Idle|40"_s, u"a5|Offline|Disconnected|"_s}
            << u"1/0/0/0"_s;
        QTest::newRow("many deltas for one agent: one dataChanged, last wins")
            << QStringList {u"+a4 available idle 50"_s, u"+a4 away idle 0"_s, u"+a4 available idle 60"_s,
                            u"+a4 available wrap-up 65"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a2|Away (lunch)|Idle|80"_s, u"a3|Available|On call|95"_s,
                            u"a4|Available|Wrap-up|65"_s, u"a5|Offline|Disconnected|"_s}
            << u"1/0/0/0"_s;
        QTest::newRow("same agent over two flushes: two dataChanged")
            << QStringList {u"+a4 available idle 50"_s, u"flush"_s, u"+a4 available idle 60"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a2|Away (lunch)|Idle|80"_s, u"a3|Available|On call|95"_s,
                            u"a4|Available|Idle|60"_s, u"a5|Offline|Disconnected|"_s}
            << u"2/0/0/0"_s;
        QTest::newRow("an identical view is no change")
            << QStringList {u"+a1 available idle 90 support,sales"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a2|Away (lunch)|Idle|80"_s, u"a3|Available|On call|95"_s,
                            u"a4|Available|Idle|40"_s, u"a5|Offline|Disconnected|"_s}
            << u"0/0/0/0"_s;
        QTest::newRow("separate rows: one dataChanged each")
            << QStringList {u"+a1 away idle 0 support,sales"_s, u"+a3 available wrap-up 95 sales"_s,
                            u"+a5 available idle 100"_s}
            << QStringList {u"a1|Away|Idle|0"_s, u"a2|Away (lunch)|Idle|80"_s, u"a3|Available|Wrap-up|95"_s,
                            u"a4|Available|Idle|40"_s, u"a5|Available|Idle|100"_s}
            << u"3/0/0/0"_s;
        QTest::newRow("neighbouring rows: one dataChanged")
            << QStringList {u"+a2 available idle 80 support"_s, u"+a1 away idle 0 support,sales"_s,
                            u"+a3 available idle 95 sales"_s}
            << QStringList {u"a1|Away|Idle|0"_s, u"a2|Available|Idle|80"_s, u"a3|Available|Idle|95"_s,
                            u"a4|Available|Idle|40"_s, u"a5|Offline|Disconnected|"_s}
            << u"1/0/0/0"_s;
        QTest::newRow("change, insert and removal in one flush")
            << QStringList {u"+a2 available idle 81 support"_s, u"+b1 available idle 99"_s, u"-a5"_s}
            << QStringList {u"a1|Available|Idle|90"_s, u"a2|Available|Idle|81"_s, u"a3|Available|On call|95"_s,
                            u"a4|Available|Idle|40"_s, u"b1|Available|Idle|99"_s}
            << u"1/1/1/0"_s;
        QTest::newRow("a new snapshot resets and drops pending deltas")
            << QStringList {u"+a1 away idle 0"_s, u"snapshot:c1 available idle 88,c2 - disconnected 0"_s}
            << QStringList {u"c1|Available|Idle|88"_s, u"c2|Offline|Disconnected|"_s} << u"0/0/0/1"_s;
    }
    void snapshotThenDeltas()
    {
        QFETCH(QStringList, operations);
        QFETCH(QStringList, rows);
        QFETCH(QString, signalCounts);

        AgentTableModel model(m_clock);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.resetAgents(agentsFromSpecs(StandardSnapshot));
        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        for (const QString &operation : operations) {
            if (operation == u"flush"_s)
                (void)model.flush();
            else if (operation.startsWith(u'+'))
                model.queueChanges({agentFromSpec(operation.mid(1))});
            else if (operation.startsWith(u'-'))
                model.queueRemovals({operation.mid(1)});
            else if (operation.startsWith(u"snapshot:"_s))
                model.resetAgents(agentsFromSpecs(operation.mid(9).split(u',')));
        }
        // Nothing is applied before the flush.
        (void)model.flush();
        QCOMPARE(model.pendingCount(), 0);
        QCOMPARE(rowsOf(model), rows);
        QCOMPARE(
            u"%1/%2/%3/%4"_s.arg(dataChanged.count()).arg(inserted.count()).arg(removed.count()).arg(reset.count()),
            signalCounts);
        // The id → row index agrees with the rows.
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.rowOf(model.agentAt(row)->agentId), row);
    }

    void snapshotPagesGather_data()
    {
        // "page N/M spec|spec" a page, "+spec" a change, "-id" a removal, between pages.
        QTest::addColumn<QStringList>("operations");
        QTest::addColumn<int>("completedAt"); // the operation whose page completed the floor; -1: none did
        QTest::addColumn<QStringList>("floor");

        QTest::newRow("a snapshot from before paging is page 1 of 1")
            << QStringList {u"page 1/1 a1 available idle 90|a2 away:lunch idle 80"_s} << 0
            << QStringList {u"a1 available 90"_s, u"a2 away:lunch 80"_s};
        QTest::newRow("three pages") << QStringList {u"page 1/3 a1 available idle 90|a2 available idle 80"_s,
                                                     u"page 2/3 a3 available idle 70|a4 available idle 60"_s,
                                                     u"page 3/3 a5 - disconnected 0"_s}
                                     << 2
                                     << QStringList {u"a1 available 90"_s, u"a2 available 80"_s, u"a3 available 70"_s,
                                                     u"a4 available 60"_s, u"a5 offline 0"_s};
        QTest::newRow("a change to an agent already paged")
            << QStringList {u"page 1/2 a1 available idle 90|a2 available idle 80"_s, u"+a1 away:lunch idle 0"_s,
                            u"page 2/2 a3 available idle 70"_s}
            << 2 << QStringList {u"a1 away:lunch 0"_s, u"a2 available 80"_s, u"a3 available 70"_s};
        QTest::newRow("a change to an agent still to come: its page, built later, wins")
            << QStringList {u"page 1/2 a1 available idle 90"_s, u"+a3 away idle 0"_s,
                            u"page 2/2 a3 available idle 95"_s}
            << 2 << QStringList {u"a1 available 90"_s, u"a3 available 95"_s};
        QTest::newRow("an agent added behind the pages comes by its delta")
            << QStringList {u"page 1/2 a2 available idle 90|a3 available idle 80"_s, u"+a1 available idle 70"_s,
                            u"page 2/2 a4 available idle 60"_s}
            << 2
            << QStringList {u"a2 available 90"_s, u"a3 available 80"_s, u"a1 available 70"_s, u"a4 available 60"_s};
        QTest::newRow("removed between pages") << QStringList {u"page 1/2 a1 available idle 90|a2 available idle 80"_s,
                                                               u"-a1"_s, u"page 2/2 a3 available idle 70"_s}
                                               << 2 << QStringList {u"a2 available 80"_s, u"a3 available 70"_s};
        QTest::newRow("removed, then back")
            << QStringList {u"page 1/2 a1 available idle 90|a2 available idle 80"_s, u"-a1"_s, u"+a1 away idle 0"_s,
                            u"page 2/2 a3 available idle 70"_s}
            << 3 << QStringList {u"a1 away 0"_s, u"a2 available 80"_s, u"a3 available 70"_s};
        QTest::newRow("removed before its page: not in it")
            << QStringList {u"page 1/2 a1 available idle 90"_s, u"-a2"_s, u"page 2/2 a3 available idle 70"_s} << 2
            << QStringList {u"a1 available 90"_s, u"a3 available 70"_s};
        QTest::newRow("empty last page") << QStringList {u"page 1/2 a1 available idle 90"_s, u"page 2/2"_s} << 1
                                         << QStringList {u"a1 available 90"_s};
        QTest::newRow("a first page again starts over")
            << QStringList {u"page 1/3 a1 available idle 90|a2 available idle 80"_s, u"page 1/2 b1 available idle 75"_s,
                            u"page 2/2 b2 away idle 0"_s}
            << 2 << QStringList {u"b1 available 75"_s, u"b2 away 0"_s};
        QTest::newRow("a lost page: the floor completes at the last")
            << QStringList {u"page 1/3 a1 available idle 90"_s, u"page 3/3 a5 available idle 50"_s} << 1
            << QStringList {u"a1 available 90"_s, u"a5 available 50"_s};
        QTest::newRow("a page without its first is not taken")
            << QStringList {u"page 2/3 a3 available idle 70"_s, u"page 3/3 a5 available idle 50"_s} << -1
            << QStringList {};
    }
    void snapshotPagesGather()
    {
        QFETCH(QStringList, operations);
        QFETCH(int, completedAt);
        QFETCH(QStringList, floor);

        SnapshotPages pages;
        std::optional<SupervisorSnapshot> whole;
        for (int i = 0; i < operations.size(); ++i) {
            const QString &operation = operations.at(i);
            if (operation.startsWith(u"page "_s)) {
                const SupervisorSnapshot page = pageFromSpec(operation);
                auto result = pages.add(page);
                QCOMPARE(result.has_value(), i == completedAt);
                if (result) {
                    whole = std::move(result);
                    QCOMPARE(whole->serverTimeMs, page.serverTimeMs); // the last page's
                    QVERIFY(!pages.isGathering());
                } else if (pages.isGathering()) {
                    QCOMPARE(pages.receivedPages(), page.page);
                    QCOMPARE(pages.pages(), page.pages);
                }
            } else if (operation.startsWith(u'+')) {
                QVERIFY(pages.applyChanges({agentFromSpec(operation.mid(1))}));
            } else if (operation.startsWith(u'-')) {
                QVERIFY(pages.applyRemovals({operation.mid(1)}));
            }
        }
        QCOMPARE(whole.has_value(), completedAt >= 0);
        if (whole) {
            QCOMPARE(floorOf(whole->agents), floor);
            QCOMPARE(whole->page, 1);
            QCOMPARE(whole->stats, (QJsonObject {{u"page1"_s, true}}));
        }
    }

    void snapshotPagesKeepTheNewestStatistics()
    {
        SnapshotPages pages;
        // No snapshot under way: deltas and statistics are the table's, not the pages'.
        QVERIFY(!pages.applyChanges({agentFromSpec(u"a1 available idle 90"_s)}));
        QVERIFY(!pages.applyRemovals({u"a1"_s}));
        QVERIFY(!pages.applyStats(QJsonObject {{u"agents"_s, 1}}));
        QVERIFY(!pages.add(pageFromSpec(u"page 1/2 a1 available idle 90"_s)));
        QCOMPARE(pages.agentCount(), 1);
        // `stats` pushed between the pages is newer than page 1's: the floor completes with it.
        QVERIFY(pages.applyStats(QJsonObject {{u"agents"_s, 2}}));
        const auto whole = pages.add(pageFromSpec(u"page 2/2 a2 available idle 80"_s));
        QVERIFY(whole);
        QCOMPARE(whole->stats, (QJsonObject {{u"agents"_s, 2}}));
        QCOMPARE(whole->agents.size(), 2);
        // A lost connection forgets a snapshot under way.
        QVERIFY(!pages.add(pageFromSpec(u"page 1/2 a1 available idle 90"_s)));
        pages.clear();
        QVERIFY(!pages.isGathering());
        QCOMPARE(pages.agentCount(), 0);
        QVERIFY(!pages.add(pageFromSpec(u"page 2/2 a2 available idle 80"_s)));
    }

    void gatheredFloorResetsTheTableOnce()
    {
        // The table keeps its rows while pages come, then one reset shows the whole floor.
        AgentTableModel model(m_clock);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.resetAgents(agentsFromSpecs(StandardSnapshot));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        SnapshotPages pages;
        QVERIFY(!pages.add(pageFromSpec(u"page 1/3 a1 away idle 0|a2 available idle 85"_s)));
        QVERIFY(!pages.add(pageFromSpec(u"page 2/3 a3 available idle 95|a4 available idle 40"_s)));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(reset.count(), 0);
        const auto whole = pages.add(pageFromSpec(u"page 3/3 a5 available idle 100|a6 available idle 70"_s));
        QVERIFY(whole);
        model.resetAgents(whole->agents);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(idsOf(model), (QStringList {u"a1"_s, u"a2"_s, u"a3"_s, u"a4"_s, u"a5"_s, u"a6"_s}));
        QCOMPARE(model.index(0, AgentTableModel::StatusColumn).data().toString(), u"Away"_s);
    }

    void deltasWaitForTheFlush()
    {
        AgentTableModel model(m_clock);
        model.setFlushDelayMs(0);
        model.resetAgents(agentsFromSpecs(StandardSnapshot));
        model.queueChanges({agentFromSpec(u"a1 away:meeting idle 0"_s)});
        model.queueChanges({agentFromSpec(u"a1 away:training idle 0"_s)});
        QCOMPARE(model.index(0, AgentTableModel::StatusColumn).data().toString(), u"Available"_s);
        QSignalSpy flushed(&model, &AgentTableModel::flushed);
        QVERIFY(flushed.wait(5000)); // the zero-delay timer, on the next event loop turn
        QCOMPARE(flushed.count(), 1);
        QCOMPARE(flushed.first().first().value<AgentTableModel::FlushResult>(),
                 (AgentTableModel::FlushResult {1, 0, 0, 1}));
        QCOMPARE(model.index(0, AgentTableModel::StatusColumn).data().toString(), u"Away (training)"_s);
    }

    void dataChangedCoversOnlyChangedColumns_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addColumn<int>("firstColumn");
        QTest::addColumn<int>("lastColumn");
        QTest::newRow("status and readiness")
            << u"a1 available idle 90"_s << u"a1 away idle 90"_s << int(AgentTableModel::StatusColumn)
            << int(AgentTableModel::ReasonsColumn);
        QTest::newRow("activity only") << u"a1 available idle 90"_s << u"a1 available wrap-up 90"_s
                                       << int(AgentTableModel::ActivityColumn) << int(AgentTableModel::ActivityColumn);
        QTest::newRow("score only") << u"a1 available idle 90"_s << u"a1 available idle 85"_s
                                    << int(AgentTableModel::ReadinessColumn) << int(AgentTableModel::ReadinessColumn);
        QTest::newRow("queues only: the name column, for the filters")
            << u"a1 available idle 90 support"_s << u"a1 available idle 90 sales"_s << int(AgentTableModel::NameColumn)
            << int(AgentTableModel::NameColumn);
    }
    void dataChangedCoversOnlyChangedColumns()
    {
        QFETCH(QString, before);
        QFETCH(QString, after);
        QFETCH(int, firstColumn);
        QFETCH(int, lastColumn);
        AgentTableModel model(m_clock);
        model.resetAgents({agentFromSpec(before)});
        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        model.queueChanges({agentFromSpec(after)});
        (void)model.flush();
        QCOMPARE(dataChanged.count(), 1);
        QCOMPARE(dataChanged.first().at(0).toModelIndex().column(), firstColumn);
        QCOMPARE(dataChanged.first().at(1).toModelIndex().column(), lastColumn);
    }

    void cells_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("role");
        QTest::addColumn<QString>("expected");
        const int display = Qt::DisplayRole;
        QTest::newRow("name") << u"a1 available idle 90"_s << int(AgentTableModel::NameColumn) << display
                              << u"Agent A1"_s;
        QTest::newRow("away with reason")
            << u"a1 away:lunch idle 0"_s << int(AgentTableModel::StatusColumn) << display << u"Away (lunch)"_s;
        QTest::newRow("reasons when not ready") << u"a1 away:lunch idle 0"_s << int(AgentTableModel::ReasonsColumn)
                                                << display << u"status is away (lunch)"_s;
        QTest::newRow("reasons: gate then lost points")
            << u"a1 available idle 40"_s << int(AgentTableModel::ReasonsColumn) << display
            << u"no audio input device"_s;
        QTest::newRow("no reasons when ready")
            << u"a1 available idle 90"_s << int(AgentTableModel::ReasonsColumn) << display << QString();
        QTest::newRow("heartbeat age") << u"a1 available idle 90"_s << int(AgentTableModel::HeartbeatAgeColumn)
                                       << display << u"2 s"_s;
        QTest::newRow("never sent a heartbeat")
            << u"a1 - disconnected 0"_s << int(AgentTableModel::HeartbeatAgeColumn) << display << u"–"_s;
        QTest::newRow("call duration") << u"a1 available on-call 95"_s << int(AgentTableModel::CallDurationColumn)
                                       << display << u"2 min 05 s"_s;
        QTest::newRow("no call") << u"a1 available idle 95"_s << int(AgentTableModel::CallDurationColumn) << display
                                 << QString();
        QTest::newRow("logged out: no score")
            << u"a1 - disconnected 0"_s << int(AgentTableModel::ReadinessColumn) << display << QString();
        QTest::newRow("devices tooltip") << u"a1 available idle 90"_s << int(AgentTableModel::DevicesColumn)
                                         << int(Qt::ToolTipRole)
                                         << u"Microphone: present\nSpeaker: present\nVoice endpoint: registered\n"
                                            "Device connected: yes"_s;
        QTest::newRow("queues in the name tooltip")
            << u"a1 available idle 90 support,sales"_s << int(AgentTableModel::NameColumn) << int(Qt::ToolTipRole)
            << u"a1 · queues: support, sales"_s;
    }
    void cells()
    {
        QFETCH(QString, spec);
        QFETCH(int, column);
        QFETCH(int, role);
        QFETCH(QString, expected);
        AgentTableModel model(m_clock);
        model.resetAgents({agentFromSpec(spec)});
        QCOMPARE(model.index(0, column).data(role).toString(), expected);
    }

    void networkShowsTheAppRoundTripElseThePing()
    {
        AgentView agent = agentFromSpec(u"a1 available idle 90"_s);
        agent.wsRttMs = 12.4;
        AgentTableModel model(m_clock);
        model.resetAgents({agent});
        QCOMPARE(model.index(0, AgentTableModel::NetworkColumn).data().toString(), u"12 ms"_s);
        agent.devices.networkRttMs = 250;
        model.queueChanges({agent});
        (void)model.flush();
        QCOMPARE(model.index(0, AgentTableModel::NetworkColumn).data().toString(), u"250 ms"_s);
        QVERIFY(model.index(0, AgentTableModel::NetworkColumn).data(Qt::ToolTipRole).toString().contains(u"12 ms"_s));
    }

    void ageTicksAgainstTheServerClock()
    {
        ManualClock local(ManualClock::DefaultStartMs + 60'000); // this desk's clock is a minute fast
        ServerClock server(local);
        server.sync(ManualClock::DefaultStartMs);
        AgentTableModel model(server);
        model.resetAgents(agentsFromSpecs(StandardSnapshot));
        QCOMPARE(model.index(0, AgentTableModel::HeartbeatAgeColumn).data().toString(), u"2 s"_s);

        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        local.advanceSeconds(73);
        model.tick();
        QCOMPARE(model.index(0, AgentTableModel::HeartbeatAgeColumn).data().toString(), u"1 min 15 s"_s);
        QCOMPARE(model.index(2, AgentTableModel::CallDurationColumn).data().toString(), u"3 min 18 s"_s);
        // One signal per ticking column (the reasons word the heartbeat age), over every row, nothing else.
        QCOMPARE(dataChanged.count(), 3);
        for (const QList<QVariant> &signal : std::as_const(dataChanged)) {
            const QModelIndex topLeft = signal.at(0).toModelIndex();
            const QModelIndex bottomRight = signal.at(1).toModelIndex();
            QCOMPARE(topLeft.column(), bottomRight.column());
            QVERIFY(topLeft.column() == AgentTableModel::HeartbeatAgeColumn
                    || topLeft.column() == AgentTableModel::CallDurationColumn
                    || topLeft.column() == AgentTableModel::ReasonsColumn);
            QCOMPARE(topLeft.row(), 0);
            QCOMPARE(bottomRight.row(), model.rowCount() - 1);
        }
    }

    void staleMarksEveryRowWithoutReset()
    {
        AgentTableModel model(m_clock);
        model.resetAgents(agentsFromSpecs(StandardSnapshot));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(!model.index(0, 0).data(AgentTableModel::StaleRole).toBool());
        model.setStale(true);
        QCOMPARE(dataChanged.count(), 1);
        QCOMPARE(reset.count(), 0);
        QVERIFY(model.index(3, 0).data(AgentTableModel::StaleRole).toBool());
        QCOMPARE(model.index(0, AgentTableModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>(),
                 QColor(0x9a, 0x9a, 0x9a));
        QVERIFY(model.index(0, 0).data(Qt::FontRole).value<QFont>().italic());
        // The next snapshot is current again.
        model.resetAgents(agentsFromSpecs(StandardSnapshot));
        QVERIFY(!model.isStale());
        QVERIFY(!model.index(0, 0).data(AgentTableModel::StaleRole).toBool());
    }

    void proxySorts_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QStringList>("ids");
        QTest::newRow("readiness: ready first, then highest score")
            << int(AgentTableModel::ReadinessColumn) << int(Qt::DescendingOrder)
            << QStringList {u"a1"_s, u"a3"_s, u"a2"_s, u"a4"_s, u"a5"_s};
        QTest::newRow("status: available, away, offline")
            << int(AgentTableModel::StatusColumn) << int(Qt::AscendingOrder)
            << QStringList {u"a1"_s, u"a4"_s, u"a3"_s, u"a2"_s, u"a5"_s};
        QTest::newRow("heartbeat age, never last")
            << int(AgentTableModel::HeartbeatAgeColumn) << int(Qt::AscendingOrder)
            << QStringList {u"a1"_s, u"a2"_s, u"a3"_s, u"a4"_s, u"a5"_s};
        QTest::newRow("call duration, longest first")
            << int(AgentTableModel::CallDurationColumn) << int(Qt::DescendingOrder)
            << QStringList {u"a3"_s, u"a1"_s, u"a2"_s, u"a4"_s, u"a5"_s};
    }
    void proxySorts()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QStringList, ids);
        AgentTableModel model(m_clock);
        model.resetAgents(agentsFromSpecs(StandardSnapshot));
        AgentFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(column, Qt::SortOrder(order));
        QCOMPARE(idsOf(proxy), ids);
    }

    void proxyFilters_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("queue");
        QTest::addColumn<QString>("search");
        QTest::addColumn<QStringList>("ids");
        using F = AgentFilterProxy::StateFilter;
        QTest::newRow("all") << int(F::All) << QString() << QString()
                             << QStringList {u"a1"_s, u"a2"_s, u"a3"_s, u"a4"_s, u"a5"_s};
        QTest::newRow("ready") << int(F::Ready) << QString() << QString() << QStringList {u"a1"_s};
        QTest::newRow("not ready: logged in only")
            << int(F::NotReady) << QString() << QString() << QStringList {u"a2"_s, u"a3"_s, u"a4"_s};
        QTest::newRow("on a call") << int(F::OnCall) << QString() << QString() << QStringList {u"a3"_s};
        QTest::newRow("away") << int(F::Away) << QString() << QString() << QStringList {u"a2"_s};
        QTest::newRow("offline") << int(F::Offline) << QString() << QString() << QStringList {u"a5"_s};
        QTest::newRow("queue") << int(F::All) << u"support"_s << QString() << QStringList {u"a1"_s, u"a2"_s, u"a4"_s};
        QTest::newRow("queue and state") << int(F::NotReady) << u"sales"_s << QString() << QStringList {u"a3"_s};
        QTest::newRow("search by name, any case") << int(F::All) << QString() << u"agent a4"_s << QStringList {u"a4"_s};
        QTest::newRow("search by id") << int(F::All) << QString() << u"A5"_s << QStringList {u"a5"_s};
        QTest::newRow("search with spaces around") << int(F::All) << QString() << u"  a2 "_s << QStringList {u"a2"_s};
        QTest::newRow("nothing matches") << int(F::Ready) << u"support"_s << u"a4"_s << QStringList {};
    }
    void proxyFilters()
    {
        QFETCH(int, state);
        QFETCH(QString, queue);
        QFETCH(QString, search);
        QFETCH(QStringList, ids);
        AgentTableModel model(m_clock);
        model.resetAgents(agentsFromSpecs(StandardSnapshot));
        AgentFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setStateFilter(AgentFilterProxy::StateFilter(state));
        proxy.setQueueFilter(queue);
        proxy.setSearchText(search);
        proxy.sort(AgentTableModel::NameColumn);
        QCOMPARE(idsOf(proxy), ids);
    }

    void proxyFollowsDeltas()
    {
        AgentTableModel model(m_clock);
        model.resetAgents(agentsFromSpecs(StandardSnapshot));
        AgentFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setStateFilter(AgentFilterProxy::StateFilter::Ready);
        proxy.sort(AgentTableModel::ReadinessColumn, Qt::DescendingOrder);
        QCOMPARE(idsOf(proxy), (QStringList {u"a1"_s}));
        QSignalSpy reset(&proxy, &QAbstractItemModel::modelReset);
        // a4 becomes ready with a better score, a1 goes away, a new ready agent arrives.
        model.queueChanges(
            agentsFromSpecs({u"a4 available idle 99 support"_s, u"a1 away idle 0"_s, u"a6 available idle 75"_s}));
        (void)model.flush();
        QCOMPARE(idsOf(proxy), (QStringList {u"a4"_s, u"a6"_s}));
        model.queueRemovals({u"a4"_s});
        (void)model.flush();
        QCOMPARE(idsOf(proxy), (QStringList {u"a6"_s}));
        QCOMPARE(reset.count(), 0);
    }
};

QTEST_MAIN(TestSupervisorAppModel)
#include "tst_supervisor_app_model.moc"
