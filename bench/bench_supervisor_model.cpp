// The supervisor dashboard's agent table with 2,000 agents that each change once a second, as the
// server pushes them (four agentsChanged of 500 agents per second, one per 250 ms push). Prints the
// median cost of applying one second of deltas (coalesced: rows found by id, dataChanged for changed
// rows only) next to a baseline measured in the same run: replacing the whole table once a second
// with a model reset, what a dashboard without deltas would do. Measured three ways: the model
// alone, with the window's sorting proxy, and with the proxy under a shown QTableView that paints
// (offscreen) after every push. A second floor where 5 % of the agents change each second shows how
// each way scales with the changes. Reading the JSON of the pushes is printed too.
//
// Usage: bench_supervisor_model [runs]   (default 21)

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTableView>

#include "connection/IncomingMessage.h"
#include "core/Clock.h"
#include "models/AgentFilterProxy.h"
#include "models/AgentTableModel.h"
#include "ui/ReadinessBarDelegate.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

constexpr int AgentCount = 2000;
constexpr int PushesPerSecond = 4;
constexpr qint64 Start = 1'767'225'600'000; // 2026-01-01T00:00:00Z

const QStringList Queues {u"support"_s, u"sales"_s, u"billing"_s, u"spanish"_s};

/// One agent as the server describes it at second `second`: heartbeat every second, and now and then a
/// status, activity, device or score change. Fixed seeds, so every run sees the same floor.
AgentView agentAt(int index, int second)
{
    QRandomGenerator random(quint32(index * 7919 + second * 104'729));
    AgentView agent;
    agent.agentId = u"agent%1"_s.arg(index, 4, 10, QLatin1Char('0'));
    agent.displayName = u"Agent %1"_s.arg(index);
    agent.loggedIn = index % 20 != 0;
    const int roll = int(random.bounded(100));
    agent.status = !agent.loggedIn ? AgentStatus::Offline : roll < 85 ? AgentStatus::Available : AgentStatus::Away;
    if (agent.status == AgentStatus::Away)
        agent.awayReason = u"break"_s;
    agent.activity = !agent.loggedIn ? AgentActivity::Disconnected
        : roll < 40                  ? AgentActivity::OnCall
        : roll < 45                  ? AgentActivity::WrapUp
                                     : AgentActivity::Idle;
    agent.connection = agent.loggedIn ? ConnectionKind::WebSocket : ConnectionKind::None;
    agent.lastHeartbeatMs = Start + qint64(second) * 1000;
    agent.devices.audioInput = random.bounded(100) < 97;
    agent.devices.audioOutput = true;
    agent.devices.voiceRegistered = true;
    agent.devices.networkRttMs = 20 + random.bounded(200);
    agent.deviceConnected = true;
    agent.wsRttMs = 15 + random.bounded(100);
    agent.callsToday = second / 60 + index % 7;
    agent.queues = {Queues.at(index % Queues.size()), Queues.at((index / 4) % Queues.size())};
    const int heartbeatPoints = 30;
    const int devicePoints = *agent.devices.audioInput ? 35 : 0;
    const int networkPoints = 20 - int(random.bounded(5));
    agent.readiness.factors = {
        {u"heartbeat"_s, heartbeatPoints, 30, u"last heartbeat 0 s ago"_s},
        {u"device"_s, devicePoints, 35, devicePoints ? u"device connected"_s : u"no audio input device"_s},
        {u"network"_s, networkPoints, 20, u"round trip %1 ms"_s.arg(qRound(*agent.devices.networkRttMs))},
        {u"reliability"_s, 15, 15, u"answered 10 of the last 10 offers"_s},
    };
    agent.readiness.score = heartbeatPoints + devicePoints + networkPoints + 15;
    if (!agent.loggedIn)
        agent.readiness.failedGates = {{u"no_session"_s, u"not logged in"_s}};
    else if (agent.status == AgentStatus::Away)
        agent.readiness.failedGates = {{u"status_not_available"_s, u"status is away (break)"_s}};
    else if (agent.activity == AgentActivity::OnCall) {
        agent.readiness.failedGates = {{u"at_capacity"_s, u"at capacity (1 of 1 calls)"_s}};
        agent.activeCalls = 1;
        agent.currentCallStartedMs = Start + qint64(second) * 1000 - 60'000;
    }
    agent.readiness.ready = agent.readiness.failedGates.isEmpty() && agent.readiness.score >= 70;
    return agent;
}

/// One second of pushes, in PushesPerSecond messages: every agent once when `everyOneIn` is 1, else
/// one agent in `everyOneIn` (a different share each second).
std::vector<QList<AgentView>> secondOfPushes(int second, int everyOneIn = 1)
{
    std::vector<QList<AgentView>> pushes(PushesPerSecond);
    for (int i = 0; i < AgentCount; ++i) {
        if ((i + second) % everyOneIn == 0)
            pushes[size_t(i % PushesPerSecond)].append(agentAt(i, second));
    }
    return pushes;
}

/// Every agent as it is at `second`, when one in `everyOneIn` changes each second.
QList<AgentView> floorAt(int second, int everyOneIn)
{
    QList<AgentView> all;
    all.reserve(AgentCount);
    for (int i = 0; i < AgentCount; ++i) {
        // The last second this agent changed.
        int changed = second;
        while ((i + changed) % everyOneIn != 0)
            --changed;
        all.append(agentAt(i, std::max(changed, 0)));
    }
    return all;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double elapsedMs(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

enum class Setup {
    Model,     ///< the model alone
    Proxy,     ///< with the window's sorting proxy
    ShownView, ///< with the proxy under a shown table view, painted after every change
};

/// The agent table as the window builds it, up to `setup`.
struct Table
{
    Table(const Clock &clock, Setup setup) : model(clock), m_setup(setup)
    {
        if (setup == Setup::Model)
            return;
        proxy.setSourceModel(&model);
        proxy.sort(AgentTableModel::StatusColumn);
        if (setup != Setup::ShownView)
            return;
        view.setModel(&proxy);
        view.setItemDelegateForColumn(AgentTableModel::ReadinessColumn, new ReadinessBarDelegate(70, &view));
        view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        view.verticalHeader()->setDefaultSectionSize(24);
        view.resize(1280, 800);
        view.show();
        paint();
    }
    /// Lets the view paint what changed (nothing to do without a view).
    void paint()
    {
        if (m_setup == Setup::ShownView)
            QCoreApplication::processEvents();
    }
    AgentTableModel model;
    AgentFilterProxy proxy;
    QTableView view;

private:
    Setup m_setup;
};

/// Milliseconds per second of changes, one value per run, for each way of applying them.
struct Figures
{
    std::vector<double> deltas;         ///< queueChanges + flush at every push
    std::vector<double> resetPerPush;   ///< the whole floor replaced at every push
    std::vector<double> resetPerSecond; ///< the whole floor replaced once a second
};

Figures measure(const ManualClock &clock, Setup setup, int everyOneIn, int runs)
{
    Table coalesced(clock, setup);
    Table perPush(clock, setup);
    Table perSecond(clock, setup);
    QList<AgentView> floor = floorAt(0, everyOneIn);
    for (Table *table : {&coalesced, &perPush, &perSecond}) {
        table->model.resetAgents(floor);
        table->paint();
    }

    Figures figures;
    for (int second = 1; second <= runs + 1; ++second) {
        const std::vector<QList<AgentView>> pushes = secondOfPushes(second, everyOneIn);
        // What the floor looks like after each push (prepared untimed).
        std::vector<QList<AgentView>> floors;
        for (const QList<AgentView> &push : pushes) {
            for (const AgentView &agent : push)
                floor[agent.agentId.mid(5).toInt()] = agent;
            floors.push_back(floor);
            floors.back().detach();
        }

        QElapsedTimer timer;
        timer.start();
        for (const QList<AgentView> &push : pushes) {
            coalesced.model.queueChanges(push);
            (void)coalesced.model.flush();
            coalesced.paint();
        }
        const double deltasMs = elapsedMs(timer);

        timer.restart();
        for (const QList<AgentView> &after : floors) {
            perPush.model.resetAgents(after);
            perPush.paint();
        }
        const double perPushMs = elapsedMs(timer);

        timer.restart();
        perSecond.model.resetAgents(floors.back());
        perSecond.paint();
        const double perSecondMs = elapsedMs(timer);

        if (second > 1) { // the first second warms caches
            figures.deltas.push_back(deltasMs);
            figures.resetPerPush.push_back(perPushMs);
            figures.resetPerSecond.push_back(perSecondMs);
        }
    }
    return figures;
}

void report(const char *title, const Figures &figures)
{
    const double deltas = median(figures.deltas);
    const double perPush = median(figures.resetPerPush);
    const double perSecond = median(figures.resetPerSecond);
    std::printf("  %s\n", title);
    std::printf("    coalesced deltas at every push:           median %8.2f ms per second\n", deltas);
    std::printf("    baseline: full model reset at every push: median %8.2f ms per second   ratio deltas/reset %5.2f\n",
                perPush, deltas / perPush);
    std::printf("    baseline: full model reset once a second: median %8.2f ms per second   ratio deltas/reset %5.2f\n",
                perSecond, deltas / perSecond);
}

} // namespace

int main(int argc, char **argv)
{
    // A shown view needs a platform; offscreen paints into memory as a window would.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("heartline.*.debug=false"));
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 21;
    const ManualClock clock(Start);

    // Reading the wire: the same whichever way the rows are then applied.
    std::vector<double> reading;
    for (int second = 1; second <= runs; ++second) {
        std::vector<QByteArray> raw;
        for (const QList<AgentView> &push : secondOfPushes(second))
            raw.push_back(serialize(SupervisorServerMessage {SupervisorAgentsChanged {push, Start}}));
        QElapsedTimer timer;
        timer.start();
        for (const QByteArray &message : raw) {
            if (!readIncomingMessage(message))
                return 1;
        }
        reading.push_back(elapsedMs(timer));
    }

    std::printf("supervisor agent table: %d agents, %d pushes a second, median of %d runs\n", AgentCount,
                PushesPerSecond, runs);
    std::printf("every agent changes once a second (500 per push):\n");
    report("model alone", measure(clock, Setup::Model, 1, runs));
    report("model + sorting proxy", measure(clock, Setup::Proxy, 1, runs));
    report("model + sorting proxy + shown 1280x800 table view, painted after each update",
           measure(clock, Setup::ShownView, 1, runs));
    std::printf("  reading the four agentsChanged messages (JSON):  median %8.2f ms per second\n", median(reading));
    std::printf("one agent in 20 changes each second (25 per push):\n");
    report("model + sorting proxy", measure(clock, Setup::Proxy, 20, runs));
    report("model + sorting proxy + shown 1280x800 table view, painted after each update",
           measure(clock, Setup::ShownView, 20, runs));
    return 0;
}
