// What supervisors cost the server's event loop at 100,000 agents, as the longest stretch the loop is
// held (every heartbeat waits behind it):
// - the statistics (`stats` every 5 s, and the first snapshot page) in one walk, as they were counted
//   before, against one slice of SupervisorStatisticsWalk::SliceSize agents, as they are counted now;
// - the whole floor in one `snapshot` message, as it was sent before, against one page of
//   SupervisorSnapshotPager::PageSize agents, each built as it is sent;
// - what such a page (or a slice of agentsChanged) costs by step: building the views, writing them
//   through QJsonObject against straight into bytes, and the QString a WebSocket text message takes.
// Medians of several runs; the absolute numbers depend on the host, the ratios between them do not.
//
// Usage: bench_supervisor_snapshot [agents] [runs]   (default 100000 and 7)

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>

#include "Format.h"
#include "Statistics.h"
#include "agents/AgentRegistry.h"
#include "agents/AgentStatistics.h"
#include "agents/AgentViews.h"
#include "protocol/SupervisorProtocol.h"
#include "readiness/ReadinessConfig.h"
#include "realtime/SupervisorSnapshotPager.h"
#include "realtime/SupervisorStatisticsWalk.h"

using namespace heartline;
using namespace heartline::bench;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Now = 1'767'225'600'000; // 2026-01-01T00:00:00Z

/// A floor as the server holds it: most agents logged in and ready, some late, away, on a call or
/// with device trouble, added in no particular order. Fixed seed: every run measures the same floor.
void fill(AgentRegistry &registry, int count)
{
    QRandomGenerator random(20260101);
    std::vector<int> numbers(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i)
        numbers[size_t(i)] = i;
    std::shuffle(numbers.begin(), numbers.end(), random);
    const QStringList queues {u"support"_s, u"sales"_s, u"billing"_s, u"returns"_s};
    for (const int number : numbers) {
        AgentProfile profile;
        profile.agentId = u"agent-%1"_s.arg(number, 6, 10, QLatin1Char('0'));
        profile.displayName = u"Agent Number %1"_s.arg(number);
        profile.skills = {queues.at(number % 4), queues.at((number + 1) % 4)};
        AgentRecord &record = registry.upsert(profile);
        AgentSnapshot &agent = record.snapshot;
        agent.sessionActive = random.bounded(100) < 95;
        if (!agent.sessionActive)
            continue;
        agent.status = random.bounded(100) < 85 ? AgentStatus::Available : AgentStatus::Away;
        if (agent.status == AgentStatus::Away)
            agent.awayReason = u"lunch"_s;
        agent.deviceConnected = random.bounded(100) < 97;
        agent.lastHeartbeatMs = Now - random.bounded(90'000);
        agent.connection = random.bounded(100) < 70 ? ConnectionKind::WebSocket : ConnectionKind::HttpOnly;
        if (agent.connection == ConnectionKind::WebSocket) {
            agent.wsPingRttMs = 20 + random.bounded(400.0);
            agent.devices = DeviceReport {random.bounded(100) < 95, random.bounded(100) < 97, random.bounded(100) < 98,
                                          20 + random.bounded(500.0), random.bounded(4.0)};
        }
        agent.activeCalls = random.bounded(100) < 30 ? 1 : 0;
        record.activity = agent.activeCalls > 0 ? AgentActivity::OnCall : AgentActivity::Idle;
        record.deviceDetails.audioInputName = u"Jabra Evolve2 65 Mono"_s;
        record.deviceDetails.audioOutputName = u"Jabra Evolve2 65 Mono"_s;
    }
}

/// The first figure of /proc/loadavg: the machine is shared, and the figures mean little when it is busy.
QString loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly))
        return u"unknown"_s;
    return QString::fromLatin1(file.readAll()).section(u' ', 0, 0);
}

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

QString ms(double milliseconds)
{
    return formatDuration(milliseconds * 1000);
}

/// Runs `slice` (which returns false after the last one) until done, timing each: the median and the
/// longest slice, and all of them together.
template <typename Slice> void timeSlices(Slice slice, std::vector<double> &each, double &total)
{
    total = 0;
    while (true) {
        QElapsedTimer timer;
        timer.start();
        const bool more = slice();
        each.push_back(msSince(timer));
        total += each.back();
        if (!more)
            return;
    }
}

} // namespace

int main(int argc, char **argv)
{
    const int agents = argc > 1 ? std::atoi(argv[1]) : 100'000;
    const int runs = std::max(1, argc > 2 ? std::atoi(argv[2]) : 7);
    AgentRegistry registry;
    fill(registry, agents);
    const ReadinessConfig config;
    printLine(u"%1 agents; medians of %2 runs (the whole snapshot: of %3); load average %4"_s.arg(registry.size())
                  .arg(runs)
                  .arg(std::min(runs, 3))
                  .arg(loadAverage()));

    // Statistics, one walk: AgentStatistics::compute, as `stats` was counted before.
    std::vector<double> walks;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        const QJsonObject stats = AgentStatistics::compute(registry, config, Now, nullptr).toJson();
        walks.push_back(msSince(timer));
        if (stats.isEmpty())
            return 1;
    }
    printLine(u"statistics in one walk                  %1 held at once"_s.arg(ms(median(walks))));

    // Statistics in slices, as SupervisorStatisticsWalk counts them: one slice a turn.
    std::vector<double> sliceMedians;
    std::vector<double> sliceLongest;
    std::vector<double> sliceTotals;
    for (int run = 0; run < runs; ++run) {
        AgentStatisticsTally tally(config, Now);
        QString cursor;
        std::vector<double> slices;
        double total = 0;
        timeSlices(
            [&] {
                const int before = tally.agentsAdded();
                registry.forEachAfter(cursor, SupervisorStatisticsWalk::SliceSize, [&](const AgentRecord &record) {
                    tally.add(record);
                    cursor = record.profile.agentId;
                });
                return tally.agentsAdded() - before == SupervisorStatisticsWalk::SliceSize;
            },
            slices, total);
        sliceMedians.push_back(median(slices));
        sliceLongest.push_back(percentile(slices, 100));
        sliceTotals.push_back(total);
    }
    printLine(
        u"statistics, a slice of %1 agents        %2 (longest %3); %4 in all"_s.arg(SupervisorStatisticsWalk::SliceSize)
            .arg(ms(median(sliceMedians)), ms(median(sliceLongest)), ms(median(sliceTotals))));

    // The whole floor in one message, as the server sent it before paging: one event-loop turn.
    std::vector<double> whole;
    qsizetype wholeBytes = 0;
    for (int run = 0; run < std::min(runs, 3); ++run) {
        QElapsedTimer timer;
        timer.start();
        SupervisorSnapshot snapshot {{}, AgentStatistics::compute(registry, config, Now, nullptr).toJson(), Now};
        snapshot.agents.reserve(registry.size());
        registry.forEachAfter({}, registry.size(), [&](const AgentRecord &record) {
            snapshot.agents.append(agentView(record, config, Now));
        });
        wholeBytes = serialize(SupervisorServerMessage {snapshot}).size();
        whole.push_back(msSince(timer));
    }
    printLine(u"snapshot in one message                 %1 held at once, %2 MB"_s.arg(ms(median(whole)))
                  .arg(double(wholeBytes) / 1e6, 0, 'f', 1));

    // Pages: each built from the registry as it is sent, after the last id of the one before.
    std::vector<double> pageMedians;
    std::vector<double> pageLongest;
    std::vector<double> pageTotals;
    qsizetype largestPage = 0;
    qsizetype pageCount = 0;
    for (int run = 0; run < runs; ++run) {
        QString cursor;
        std::vector<double> pages;
        double total = 0;
        timeSlices(
            [&] {
                SupervisorSnapshot page;
                page.serverTimeMs = Now;
                registry.forEachAfter(cursor, SupervisorSnapshotPager::PageSize, [&](const AgentRecord &record) {
                    page.agents.append(agentView(record, config, Now));
                });
                if (!page.agents.isEmpty())
                    cursor = page.agents.last().agentId;
                largestPage = std::max(largestPage, serialize(SupervisorServerMessage {page}).size());
                return page.agents.size() == SupervisorSnapshotPager::PageSize;
            },
            pages, total);
        pageCount = qsizetype(pages.size());
        pageMedians.push_back(median(pages));
        pageLongest.push_back(percentile(pages, 100));
        pageTotals.push_back(total);
    }
    printLine(u"snapshot, a page of %1 agents            %2 (longest %3), at most %4 KB; %5 pages, %6 in all"_s
                  .arg(SupervisorSnapshotPager::PageSize)
                  .arg(ms(median(pageMedians)), ms(median(pageLongest)))
                  .arg(double(largestPage) / 1e3, 0, 'f', 0)
                  .arg(pageCount)
                  .arg(ms(median(pageTotals))));

    // One page (or agentsChanged slice) of PageSize agents, by step: the views built from the registry,
    // then written through QJsonObject as every message was, or straight into bytes as these two are
    // now, then turned into the QString QWebSocket::sendTextMessage takes (it writes UTF-8 again).
    std::vector<double> building;
    std::vector<double> throughObjects;
    std::vector<double> direct;
    std::vector<double> toText;
    for (int run = 0; run < runs; ++run) {
        QString cursor;
        for (int page = 0; page < 20; ++page) {
            SupervisorAgentsChanged slice {{}, Now};
            QElapsedTimer timer;
            timer.start();
            registry.forEachAfter(cursor, SupervisorSnapshotPager::PageSize, [&](const AgentRecord &record) {
                slice.agents.append(agentView(record, config, Now));
            });
            building.push_back(msSince(timer));
            cursor = slice.agents.last().agentId;
            timer.restart();
            const QByteArray viaObjects = serialize(toJson(slice));
            throughObjects.push_back(msSince(timer));
            timer.restart();
            const QByteArray bytes = serialize(slice);
            direct.push_back(msSince(timer));
            timer.restart();
            const QString text = QString::fromUtf8(bytes);
            toText.push_back(msSince(timer));
            if (bytes != viaObjects || text.isEmpty())
                return 1;
        }
    }
    printLine(u"%1 agent views: built %2, written through QJsonObject %3, straight into bytes %4, "
              "QString::fromUtf8 %5"_s.arg(SupervisorSnapshotPager::PageSize)
                  .arg(ms(median(building)), ms(median(throughObjects)), ms(median(direct)), ms(median(toText))));
    printLine(u"load average at the end %1"_s.arg(loadAverage()));
    return 0;
}
