// HTTP heartbeats through the full server path (bearer-token auth, JSON validation, state update,
// write-behind persistence to SQLite) against a bare QHttpServer handler that reads the body and
// answers a fixed small JSON, both measured the same way in the same run; then WebSocket heartbeats.
// The fixed-rate phase from the larger population runs once more with a supervisor app watching on
// /ws/supervisor: every heartbeat then marks its agent, and every push carries the marked agents' views.
//
// Both servers run as child processes (the real heartline-server binary; this program re-run with
// --bare-server), so the load generator here never shares their event loop. The load generator drives
// keep-alive HTTP/1.1 connections with epoll, one request in flight per connection.
//
// Usage: bench_heartbeat [--repeat 3] [--seconds 2] [--rate 10000] [--rate-seconds 2]
//                        [--rate-agents 10000] [--ws-agents 256] [--chart docs/performance/heartbeat.png]

#include <cstdio>
#include <map>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QLocale>
#include <QTemporaryDir>

#include "AgentFleet.h"
#include "BarChart.h"
#include "BareWebSocketServer.h"
#include "ChildServer.h"
#include "Format.h"
#include "HttpLoad.h"
#include "MachineInfo.h"
#include "Statistics.h"
#include "SupervisorWatcher.h"
#include "WebSocketLoad.h"

using namespace heartline;
using namespace heartline::bench;
using namespace Qt::StringLiterals;

namespace {

/// The baseline: QHttpServer with one route that reads the request body and answers a fixed JSON.
int runBareServer(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QHttpServer server;
    static qsizetype bodyBytes = 0; // read, so the body is not skipped unseen
    const QByteArray answer = R"({"status":"available","activity":"idle","heartbeatIntervalSeconds":30})";
    server.route(u"/api/agent-heartbeat"_s, QHttpServerRequest::Method::Post,
                 [answer](const QHttpServerRequest &request) {
                     bodyBytes += request.body().size();
                     return QHttpServerResponse("application/json", answer);
                 });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    if (port == 0) {
        std::fprintf(stderr, "bare server: cannot listen on 127.0.0.1\n");
        return 1;
    }
    std::printf("bare QHttpServer listening on http://127.0.0.1:%u\n", unsigned(port));
    std::fflush(stdout);
    return QCoreApplication::exec();
}

/// One measured phase: throughput, latency and the server's CPU time per request.
struct Phase
{
    double perSecond = 0;
    double p50Us = 0;
    double p99Us = 0;
    double p999Us = 0;
    double maxUs = 0;
    double cpuUsPerRequest = 0;
};

/// Every repetition's figures for one phase; the report takes medians.
struct PhaseRuns
{
    std::vector<double> perSecond, p50, p99, p999, max, cpu;

    void add(const Phase &phase)
    {
        perSecond.push_back(phase.perSecond);
        p50.push_back(phase.p50Us);
        p99.push_back(phase.p99Us);
        p999.push_back(phase.p999Us);
        max.push_back(phase.maxUs);
        cpu.push_back(phase.cpuUsPerRequest);
    }
    [[nodiscard]] Phase median() const
    {
        return Phase {bench::median(perSecond), bench::median(p50), bench::median(p99),
                      bench::median(p999),      bench::median(max), bench::median(cpu)};
    }
};

Phase phaseOf(const std::vector<double> &latencyUs, double perSecond, double cpuSeconds, qint64 requests)
{
    Phase phase;
    phase.perSecond = perSecond;
    phase.p50Us = percentile(latencyUs, 50);
    phase.p99Us = percentile(latencyUs, 99);
    phase.p999Us = percentile(latencyUs, 99.9);
    phase.maxUs = percentile(latencyUs, 100);
    phase.cpuUsPerRequest = requests > 0 ? cpuSeconds * 1e6 / double(requests) : 0;
    return phase;
}

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "bench_heartbeat: %s\n", qPrintable(message));
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "--bare-server") == 0)
            return runBareServer(argc, argv);
        if (qstrcmp(argv[i], "--bare-websocket-server") == 0)
            return runBareWebSocketServer(argc, argv);
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // charts are drawn without a display
    QGuiApplication app(argc, argv);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"HTTP and WebSocket heartbeat throughput and latency of heartline-server "
                                     "against a bare QHttpServer handler."_s);
    parser.addHelpOption();
    const QCommandLineOption repeatOption(u"repeat"_s, u"Repetitions; medians are reported (default 3)."_s, u"N"_s,
                                          u"3"_s);
    const QCommandLineOption secondsOption(u"seconds"_s, u"Length of each closed-loop phase (default 2)."_s, u"S"_s,
                                           u"2"_s);
    const QCommandLineOption rateOption(u"rate"_s, u"Offered rate for the latency phase (default 10000/s)."_s,
                                        u"PER_SECOND"_s, u"10000"_s);
    const QCommandLineOption rateSecondsOption(u"rate-seconds"_s, u"Length of each fixed-rate phase (default 2)."_s,
                                               u"S"_s, u"2"_s);
    const QCommandLineOption rateAgentsOption(
        u"rate-agents"_s,
        u"Agents sending the second fixed-rate phase's heartbeats, in turn (default 10000: each once a second, so "
        "the write-behind batch holds as many agents as a fleet of 300,000 at the 30 s interval would give). The "
        "first phase uses 256 agents."_s,
        u"N"_s, u"10000"_s);
    const QCommandLineOption wsOption(u"ws-agents"_s, u"Agents on /ws/agent (default 256)."_s, u"N"_s, u"256"_s);
    const QCommandLineOption chartOption(u"chart"_s, u"Write a PNG chart here."_s, u"PATH"_s);
    const QCommandLineOption serverOption(u"server"_s, u"heartline-server to measure."_s, u"PATH"_s,
                                          QStringLiteral(HEARTLINE_SERVER_BINARY));
    parser.addOptions({repeatOption, secondsOption, rateOption, rateSecondsOption, rateAgentsOption, wsOption,
                       chartOption, serverOption});
    parser.process(app);
    const int repeats = qMax(1, parser.value(repeatOption).toInt());
    const double seconds = qMax(0.2, parser.value(secondsOption).toDouble());
    const double rate = qMax(100.0, parser.value(rateOption).toDouble());
    const double rateSeconds = qMax(0.5, parser.value(rateSecondsOption).toDouble());
    const int wsAgents = qMax(1, parser.value(wsOption).toInt());
    const int rateAgents = qMax(1, parser.value(rateAgentsOption).toInt());
    const QList<int> connectionCounts {16, 256};
    const int fleetSize = qMax(qMax(256, wsAgents), rateAgents);

    const double loadAtStart = loadAverage();
    QTemporaryDir dir;
    auto fleet = AgentFleet::create(dir.filePath(u"heartline.db"_s), fleetSize);
    if (!fleet)
        fail(fleet.error().message);
    const auto supervisorToken = AgentFleet::addSupervisor(dir.filePath(u"heartline.db"_s), u"bench-supervisor"_s);
    if (!supervisorToken)
        fail(supervisorToken.error().message);

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"PASSWORD_ITERATIONS"_s, u"1000"_s);
    ChildServer full;
    if (!full.start(parser.value(serverOption), {u"--db"_s, dir.filePath(u"heartline.db"_s)}, environment,
                    dir.filePath(u"server.log"_s)))
        fail(full.error());
    ChildServer bare;
    if (!bare.start(QCoreApplication::applicationFilePath(), {u"--bare-server"_s}, environment,
                    dir.filePath(u"bare.log"_s), false))
        fail(bare.error());
    ChildServer bareWebSocket;
    if (!bareWebSocket.start(QCoreApplication::applicationFilePath(), {u"--bare-websocket-server"_s}, environment,
                             dir.filePath(u"bare-websocket.log"_s), false))
        fail(bareWebSocket.error());

    // Closed loop: connection i is agent i's app, with its token and agentId. Fixed rate: the agents
    // take turns, whichever connection is free. The bare server gets the same bytes.
    QList<QByteArray> requests;
    for (qsizetype i = 0; i < fleet->size(); ++i)
        requests.append(fleet->httpHeartbeatRequest(i));
    const HttpLoad::RequestSource byConnection = [&requests](qint64, int connection) {
        return requests.at(connection % requests.size());
    };
    // The fixed-rate phases: 256 agents (small write-behind batches), then rateAgents agents.
    const int fixedPopulations[2] = {256, rateAgents};
    int fixedAgents = 256;
    const HttpLoad::RequestSource inTurn = [&requests, &fixedAgents](qint64 index, int) {
        return requests.at(index % fixedAgents);
    };
    struct Target
    {
        const char *name;
        ChildServer *server;
    };
    const Target targets[] = {{"full", &full}, {"bare", &bare}};

    auto measure = [&](const Target &target, int connections, double rateOrZero) {
        HttpLoad load(target.server->port());
        if (!load.open(connections))
            fail(load.error());
        const double cpuBefore = target.server->cpuSeconds();
        const HttpLoad::Result result = rateOrZero > 0
            ? load.fixedRate(rateOrZero, qint64(rateOrZero * rateSeconds), inTurn)
            : load.closedLoop(qint64(seconds * 200'000), seconds, byConnection);
        if (!result.ok())
            fail(u"%1 server, %2 connections: %3"_s.arg(QString::fromLatin1(target.name))
                     .arg(connections)
                     .arg(result.problem()));
        return phaseOf(result.latencyUs, result.perSecond(), target.server->cpuSeconds() - cpuBefore,
                       result.answered + result.failed);
    };

    // Warm-up: every agent's first heartbeat opens its session (durable writes) before anything is timed.
    for (const Target &target : targets) {
        HttpLoad load(target.server->port());
        if (!load.open(256))
            fail(load.error());
        const auto warm = load.closedLoop(fleetSize, 120, [&](qint64 index, int) { return requests.at(index); });
        if (!warm.ok())
            fail(u"warm-up of the %1 server: %2"_s.arg(QString::fromLatin1(target.name), warm.problem()));
    }

    std::map<std::pair<int, int>, PhaseRuns> closed; // (connections, target) → runs
    PhaseRuns fixedRuns[2][2];                       // [population][target]
    PhaseRuns watchedRuns;                           // rateAgents agents, full path, a supervisor watching
    std::vector<double> watchedViews, watchedMessages, watchedLargest, watchedMegabytes;
    std::vector<double> wsPerSecond, wsP50, wsP99, wsCpu, bareWsPerSecond;
    for (int run = 0; run < repeats; ++run) {
        for (int connections : connectionCounts) {
            // Alternate which server goes first, so neither always runs on a warmer (or busier) machine.
            for (int k = 0; k < 2; ++k) {
                const int t = (k + run) % 2;
                closed[{connections, t}].add(measure(targets[t], connections, 0));
            }
        }
        for (int population = 0; population < 2; ++population) {
            fixedAgents = fixedPopulations[population];
            for (int k = 0; k < 2; ++k) {
                const int t = (k + run) % 2;
                const Phase phase = measure(targets[t], 256, rate);
                fixedRuns[population][t].add(phase);
                std::fprintf(stderr, "run %d, fixed rate, %d agents, %s: p50 %s, p99 %s\n", run + 1, fixedAgents,
                             targets[t].name, qPrintable(formatDuration(phase.p50Us)),
                             qPrintable(formatDuration(phase.p99Us)));
            }
        }
        {
            // The same phase with a supervisor app watching, once its snapshot is in: every heartbeat
            // marks its agent, and every push interval (250 ms) the server sends their views.
            fixedAgents = rateAgents;
            SupervisorWatcher watcher(full.port());
            if (!watcher.open(*supervisorToken) || !watcher.waitForSnapshot(120))
                fail(watcher.error());
            (void)watcher.take();
            const Phase phase = measure(targets[0], 256, rate);
            const SupervisorWatcher::Counts counts = watcher.take();
            if (!watcher.error().isEmpty())
                fail(watcher.error());
            watcher.close();
            watchedRuns.add(phase);
            watchedViews.push_back(double(counts.views));
            watchedMessages.push_back(double(counts.agentsChanged));
            watchedLargest.push_back(double(counts.largest));
            watchedMegabytes.push_back(double(counts.bytes) / 1e6);
            std::fprintf(stderr,
                         "run %d, fixed rate, %d agents, full, a supervisor watching: p50 %s, p99 %s; %lld views "
                         "in %lld agentsChanged\n",
                         run + 1, fixedAgents, qPrintable(formatDuration(phase.p50Us)),
                         qPrintable(formatDuration(phase.p99Us)), static_cast<long long>(counts.views),
                         static_cast<long long>(counts.agentsChanged));
        }
        // WebSocket: the same agents on /ws/agent, and on a bare QWebSocketServer that answers each
        // heartbeat with a fixed ack, alternately.
        for (int k = 0; k < 2; ++k) {
            const bool onBare = (k + run) % 2 == 1;
            ChildServer &server = onBare ? bareWebSocket : full;
            WebSocketLoad sockets(server.port());
            if (!sockets.open(fleet->tokens().first(wsAgents)))
                fail(sockets.error());
            const double cpuBefore = server.cpuSeconds();
            const auto ws = sockets.heartbeats(AgentFleet::webSocketHeartbeat(), seconds, qint64(seconds * 200'000));
            if (!ws.error.isEmpty())
                fail(u"WebSocket heartbeats: "_s + ws.error);
            if (onBare) {
                bareWsPerSecond.push_back(ws.perSecond());
                continue;
            }
            wsPerSecond.push_back(ws.perSecond());
            wsP50.push_back(percentile(ws.latencyUs, 50));
            wsP99.push_back(percentile(ws.latencyUs, 99));
            wsCpu.push_back((server.cpuSeconds() - cpuBefore) * 1e6 / double(qMax<qint64>(1, ws.acks)));
        }
        std::fprintf(stderr, "run %d of %d done\n", run + 1, repeats);
    }
    const double loadAtEnd = loadAverage();
    const qint64 fullRssKiB = full.residentKiB();
    full.stop();
    bare.stop();
    bareWebSocket.stop();

    const MachineInfo machine = MachineInfo::current();
    std::printf("heartbeat: POST /api/agent-heartbeat, full heartline-server path vs a bare QHttpServer handler\n");
    std::printf("  machine: %s; load average %.2f at start, %.2f at end\n", qPrintable(machine.summary()), loadAtStart,
                loadAtEnd);
    std::printf("  %d runs, medians; closed loop %.1f s per phase, one request in flight per keep-alive connection\n",
                repeats, seconds);
    printLine({});
    printLine(u"  "_s + u"closed loop"_s.leftJustified(32) + cell(u"requests/s"_s, 11) + cell(u"p50"_s, 10)
              + cell(u"p99"_s, 10) + cell(u"server CPU/request"_s, 20));
    std::map<int, double> ratios;
    for (int connections : connectionCounts) {
        const Phase f = closed[{connections, 0}].median();
        const Phase b = closed[{connections, 1}].median();
        ratios[connections] = f.perSecond / b.perSecond;
        for (const auto &[name, phase] : {std::pair {u"full path"_s, f}, std::pair {u"bare handler"_s, b}}) {
            printLine(u"  "_s + u"%1 connections, %2"_s.arg(connections, 3).arg(name).leftJustified(32)
                      + cell(QString::number(phase.perSecond, 'f', 0), 11) + cell(formatDuration(phase.p50Us), 10)
                      + cell(formatDuration(phase.p99Us), 10) + cell(formatDuration(phase.cpuUsPerRequest), 20));
        }
        printLine(u"  "_s + u"%1 connections, ratio full/bare"_s.arg(connections, 3).leftJustified(32)
                  + cell(QString::number(ratios[connections], 'f', 2), 11));
    }
    Phase fixedPhases[2][2];
    for (int population = 0; population < 2; ++population) {
        for (int t = 0; t < 2; ++t)
            fixedPhases[population][t] = fixedRuns[population][t].median();
    }
    printLine(u"\n  fixed rate %1/s for %2 s over 256 connections, agents taking turns (latency from when each request "
              "was due)"_s.arg(rate, 0, 'f', 0)
                  .arg(rateSeconds, 0, 'f', 1));
    printLine(u"  "_s + QString().leftJustified(30) + cell(u"achieved/s"_s, 12) + cell(u"p50"_s, 10)
              + cell(u"p99"_s, 10) + cell(u"p99.9"_s, 10) + cell(u"max"_s, 10));
    for (int population = 0; population < 2; ++population) {
        for (int t = 0; t < 2; ++t) {
            const Phase &phase = fixedPhases[population][t];
            const QString name
                = u"%1 agents, %2"_s.arg(fixedPopulations[population]).arg(t == 0 ? u"full path"_s : u"bare handler"_s);
            printLine(u"  "_s + name.leftJustified(30) + cell(QString::number(phase.perSecond, 'f', 0), 12)
                      + cell(formatDuration(phase.p50Us), 10) + cell(formatDuration(phase.p99Us), 10)
                      + cell(formatDuration(phase.p999Us), 10) + cell(formatDuration(phase.maxUs), 10));
        }
    }
    const Phase watched = watchedRuns.median();
    printLine(u"  "_s + u"%1 agents, full, supervisor"_s.arg(rateAgents).leftJustified(30)
              + cell(QString::number(watched.perSecond, 'f', 0), 12) + cell(formatDuration(watched.p50Us), 10)
              + cell(formatDuration(watched.p99Us), 10) + cell(formatDuration(watched.p999Us), 10)
              + cell(formatDuration(watched.maxUs), 10));
    printLine(u"  the supervisor received %1 agent views in %2 agentsChanged (%3 MB, the largest %4 KB)"_s
                  .arg(median(watchedViews), 0, 'f', 0)
                  .arg(median(watchedMessages), 0, 'f', 0)
                  .arg(median(watchedMegabytes), 0, 'f', 1)
                  .arg(median(watchedLargest) / 1e3, 0, 'f', 0));
    const double wsRate = median(wsPerSecond);
    printLine(u"\n  WebSocket /ws/agent: %1 agents, closed loop (heartbeat, then wait for its ack)"_s.arg(wsAgents));
    printLine(u"  acks/s %1, p50 %2, p99 %3, server CPU %4 per heartbeat"_s.arg(wsRate, 0, 'f', 0)
                  .arg(formatDuration(median(wsP50)), formatDuration(median(wsP99)), formatDuration(median(wsCpu))));
    const double bareWsRate = median(bareWsPerSecond);
    printLine(u"  bare QWebSocketServer, fixed ack: acks/s %1; ratio full/bare %2"_s.arg(bareWsRate, 0, 'f', 0)
                  .arg(wsRate / bareWsRate, 0, 'f', 2));
    printLine(u"  heartline-server resident memory at the end: %1 MiB"_s.arg(double(fullRssKiB) / 1024.0, 0, 'f', 1));

    std::printf("\ntargets\n");
    const double worstRatio = qMin(ratios[16], ratios[256]);
    std::printf("  [%s] HTTP heartbeat >= 0.6x the bare handler: %.2fx at 16 connections, %.2fx at 256\n",
                worstRatio >= 0.6 ? "met" : "MISSED", ratios[16], ratios[256]);
    std::printf("  [%s] WebSocket heartbeat >= 0.6x a bare QWebSocketServer: %.2fx\n",
                wsRate >= 0.6 * bareWsRate ? "met" : "MISSED", wsRate / bareWsRate);
    double worstP99 = 0;
    for (int population = 0; population < 2; ++population) {
        const Phase &fullPath = fixedPhases[population][0];
        const bool rateReached = fullPath.perSecond >= rate * 0.98;
        std::printf("  [%s] p99 < 2 ms at %.0f heartbeats/s from %d agents: p99 %s (achieved %.0f/s)\n",
                    fullPath.p99Us < 2000 && rateReached ? "met" : "MISSED", rate, fixedPopulations[population],
                    qPrintable(formatDuration(fullPath.p99Us)), fullPath.perSecond);
        worstP99 = qMax(worstP99, fullPath.p99Us);
    }
    {
        const bool rateReached = watched.perSecond >= rate * 0.98;
        std::printf("  [%s] p99 < 2 ms at %.0f heartbeats/s from %d agents with a supervisor watching: p99 %s "
                    "(without: %s; achieved %.0f/s)\n",
                    watched.p99Us < 2000 && rateReached ? "met" : "MISSED", rate, rateAgents,
                    qPrintable(formatDuration(watched.p99Us)), qPrintable(formatDuration(fixedPhases[1][0].p99Us)),
                    watched.perSecond);
        worstP99 = qMax(worstP99, watched.p99Us);
    }
    for (int connections : connectionCounts)
        worstP99 = qMax(worstP99, closed[{connections, 0}].median().p99Us);
    std::printf("  [%s] seed target < 100 ms: worst p99 of any full-path phase %s\n",
                worstP99 < 100'000 ? "met" : "MISSED", qPrintable(formatDuration(worstP99)));

    if (parser.isSet(chartOption)) {
        BarChart throughput(u"Throughput (closed loop)"_s, u"heartbeats per second"_s);
        throughput.setCategories({u"HTTP, 16 conns"_s, u"HTTP, 256 conns"_s, u"WebSocket, %1 agents"_s.arg(wsAgents)});
        throughput.addSeries({u"heartline-server (full path)"_s,
                              {closed[{16, 0}].median().perSecond, closed[{256, 0}].median().perSecond, wsRate},
                              BarChart::color(0)});
        throughput.addSeries({u"bare QHttpServer handler"_s,
                              {closed[{16, 1}].median().perSecond, closed[{256, 1}].median().perSecond},
                              BarChart::color(1)});
        throughput.setValueText([](double v) -> QString { return BarChart::compact(v) + u"/s"_s; });

        BarChart latency(u"HTTP latency at a fixed %1/s"_s.arg(BarChart::compact(rate)), u"milliseconds"_s);
        latency.setCategories({u"p50"_s, u"p99"_s, u"p99.9"_s});
        const QColor colors[2][2]
            = {{BarChart::color(0), BarChart::color(1)}, {QColor(0x0b, 0x3d, 0x66), QColor(0xb3, 0x58, 0x06)}};
        for (int population = 0; population < 2; ++population) {
            for (int t = 0; t < 2; ++t) {
                const Phase &phase = fixedPhases[population][t];
                latency.addSeries({u"%1, %2 agents"_s.arg(t == 0 ? u"full"_s : u"bare"_s)
                                       .arg(QLocale(QLocale::English).toString(fixedPopulations[population])),
                                   {phase.p50Us / 1000, phase.p99Us / 1000, phase.p999Us / 1000},
                                   colors[population][t]});
            }
        }
        latency.setTarget(2, u"target: p99 < 2 ms"_s);
        latency.setLogarithmic(true); // 0.1 ms to tens of ms
        latency.setValueText([](double v) -> QString { return BarChart::compact(v); });

        ChartImage image(u"Heartbeats: heartline-server vs a bare QHttpServer handler"_s);
        image.addChart(throughput);
        image.addChart(latency);
        image.addNote(u"Full path: bearer-token auth, JSON validation, state update, write-behind to SQLite (WAL). "
                      "Ratio full/bare: %1x at 16 connections, %2x at 256."_s.arg(ratios[16], 0, 'f', 2)
                          .arg(ratios[256], 0, 'f', 2));
        image.addNote(u"Medians of %1 runs on %2; load generator in another process (epoll, keep-alive, "
                      "one request in flight per connection)."_s.arg(repeats)
                          .arg(machine.summary()));
        QString error;
        if (!image.save(parser.value(chartOption), &error))
            fail(error);
        std::printf("\nchart: %s\n", qPrintable(parser.value(chartOption)));
    }
    return 0;
}
