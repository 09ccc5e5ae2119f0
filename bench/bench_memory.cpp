// heartline-server's resident memory per logged-in agent at 1,000, 10,000, 20,000 and 100,000
// agents, against the same server with no agents at all, measured in the same run.
//
// Each size gets a fresh heartline-server child process and database. Agents and their tokens are
// written into SQLite before it starts; every agent then sends an HTTP heartbeat with its device
// details (logged in, available, devices named). RSS is the child's VmRSS (/proc/PID/status), read
// after the write-behind flush, with no client connection left open. Up to --websocket-max agents,
// every agent then also holds an open /ws/agent connection (and has sent a heartbeat over it once
// all were open; with --heartbeat-at-welcome one more as soon as its welcome came, as the agent app
// does), the way the agent app stays connected, and RSS is read again; then the same number of connections to a bare
// QWebSocketServer (this program re-run with --bare-websocket-server), the baseline of a connection.
// Both servers' CPU time while they hold their connections idle (pings only) is read too. Each open connection holds a
// descriptor in this process and one in the server, which inherits this process's limit: the soft limit is raised to
// the hard one at start.
//
// Usage: bench_memory [--sizes 1000,10000,20000,100000] [--websocket-max 20000] [--repeat 1]
//                     [--chart docs/performance/memory.png]

#include <cstdio>

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QLocale>
#include <QTemporaryDir>
#include <QThread>

#include <sys/resource.h>

#include "AgentFleet.h"
#include "BarChart.h"
#include "BareWebSocketServer.h"
#include "ChildServer.h"
#include "Format.h"
#include "HttpLoad.h"
#include "MachineInfo.h"
#include "Statistics.h"
#include "WebSocketLoad.h"

using namespace heartline;
using namespace heartline::bench;
using namespace Qt::StringLiterals;

namespace {

/// Long enough for the write-behind flush (1 s) and for anything the requests left queued.
constexpr int SettleMs = 2000;
/// What a process needs open besides its WebSockets (database, log, event loop, epoll): N
/// connections need N + this many descriptors on each side.
constexpr int DescriptorMargin = 500;
constexpr int DefaultWebSocketMax = 20'000;

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "bench_memory: %s\n", qPrintable(message));
    std::exit(1);
}

/// One WebSocket per agent needs a descriptor per agent in this process and in the server, which
/// inherits this limit: the soft limit goes up to the hard one (only root may raise the hard one).
/// Returns the limit now in force.
int raiseDescriptorLimit()
{
    rlimit limit {};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < limit.rlim_max) {
        const rlim_t before = limit.rlim_cur;
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
            limit.rlim_cur = before;
    }
    return int(qMin<rlim_t>(limit.rlim_cur, 1'000'000));
}

struct SizeFigures
{
    double startedKiB = 0;    ///< users and tokens loaded, nobody logged in
    double loggedInKiB = 0;   ///< every agent logged in by an HTTP heartbeat with device details
    double webSocketKiB = -1; ///< and holding an open /ws/agent connection (-1: not measured)
    double setupSeconds = 0;
    /// The baseline of a connection: a bare QWebSocketServer, empty and then with as many open
    /// connections, each greeted and sent a heartbeat (-1: not measured).
    double bareEmptyKiB = -1;
    double bareConnectedKiB = -1;
    int webSocketsAcknowledged = 0; ///< connections welcomed (token accepted) whose heartbeat got its ack
    /// Share of one CPU each server used while holding its connections idle, pings answered (-1: not measured).
    double idleCpu = -1;
    double bareIdleCpu = -1;

    /// Server memory one open connection adds, in bytes: heartline-server's /ws/agent and the bare one.
    [[nodiscard]] double webSocketBytes(int agents) const { return (webSocketKiB - loggedInKiB) * 1024.0 / agents; }
    [[nodiscard]] double bareBytes(int agents) const { return (bareConnectedKiB - bareEmptyKiB) * 1024.0 / agents; }
};

struct Child
{
    QTemporaryDir dir;
    ChildServer server;
};

/// A fresh heartline-server on a fresh database holding `agents` agents (0 for the baseline).
std::unique_ptr<Child> startServer(int agents, const QString &serverBinary, AgentFleet *fleetOut)
{
    auto child = std::make_unique<Child>();
    const QString databasePath = child->dir.filePath(u"heartline.db"_s);
    auto fleet = AgentFleet::create(databasePath, agents);
    if (!fleet)
        fail(fleet.error().message);
    if (fleetOut)
        *fleetOut = std::move(fleet).value();
    if (!child->server.start(serverBinary, {u"--db"_s, databasePath}, QProcessEnvironment::systemEnvironment(),
                             child->dir.filePath(u"server.log"_s)))
        fail(child->server.error());
    return child;
}

/// Keeps every connection up for SettleMs (the server's pings answered) and returns the share of one
/// CPU the server used meanwhile; fails with `what` and the reason if a connection broke.
double idleCpuShare(WebSocketLoad &sockets, const ChildServer &server, const QString &what)
{
    const double cpuBefore = server.cpuSeconds();
    QElapsedTimer idle;
    idle.start();
    if (!sockets.idle(SettleMs / 1000.0))
        fail(what + sockets.error());
    return (server.cpuSeconds() - cpuBefore) / (double(idle.elapsed()) / 1000.0);
}

double settledKiB(const ChildServer &server)
{
    QThread::msleep(SettleMs);
    return double(server.residentKiB());
}

double baselineKiB(const QString &serverBinary)
{
    auto child = startServer(0, serverBinary, nullptr);
    // Serve some traffic first, so lazily built parts of the HTTP stack count as baseline too.
    HttpLoad load(child->server.port());
    if (!load.open(16))
        fail(load.error());
    const auto warm = load.closedLoop(16 * 20, 10, [](qint64, int) { return httpRequest("GET", "/healthz"); });
    if (!warm.ok())
        fail(u"baseline traffic: "_s + warm.problem());
    load.close();
    return settledKiB(child->server);
}

/// The same number of connections, greeted and sent one heartbeat each, to a bare QWebSocketServer;
/// measured once heartline-server's connections are closed, so this process never holds both sets.
void measureBareWebSockets(const QList<QByteArray> &tokens, const QByteArray &heartbeatAtWelcome, SizeFigures &figures)
{
    QTemporaryDir dir;
    ChildServer bare;
    if (!bare.start(QCoreApplication::applicationFilePath(), {u"--bare-websocket-server"_s},
                    QProcessEnvironment::systemEnvironment(), dir.filePath(u"bare.log"_s), false))
        fail(bare.error());
    figures.bareEmptyKiB = settledKiB(bare);
    WebSocketLoad sockets(bare.port());
    if (!sockets.open(tokens, heartbeatAtWelcome))
        fail(u"bare WebSocket server: "_s + sockets.error());
    const auto once = sockets.heartbeatOnce(AgentFleet::webSocketHeartbeat());
    if (!once.error.isEmpty() || once.acks != tokens.size())
        fail(u"bare WebSocket server: %1 of %2 acks %3"_s.arg(once.acks).arg(tokens.size()).arg(once.error));
    figures.bareIdleCpu = idleCpuShare(sockets, bare, u"bare WebSocket server: "_s);
    figures.bareConnectedKiB = double(bare.residentKiB());
    bare.stop();
}

SizeFigures measureSize(int agents, bool withWebSockets, const QByteArray &heartbeatAtWelcome,
                        const QString &serverBinary)
{
    QElapsedTimer timer;
    timer.start();
    AgentFleet fleet;
    auto child = startServer(agents, serverBinary, &fleet);
    SizeFigures figures;
    figures.startedKiB = settledKiB(child->server);
    if (const QString problem = fleet.sendHeartbeats(child->server.port()); !problem.isEmpty())
        fail(u"heartbeats of %1 agents: %2"_s.arg(agents).arg(problem));
    figures.loggedInKiB = settledKiB(child->server);
    if (withWebSockets) {
        WebSocketLoad sockets(child->server.port());
        QElapsedTimer opening;
        opening.start();
        // The server's log says why it closed a connection, if it did.
        const QString logPath = child->dir.filePath(u"server.log"_s);
        // Every upgrade answered 101 and its welcome read (and a first heartbeat acknowledged).
        if (!sockets.open(fleet.tokens(), heartbeatAtWelcome))
            fail(sockets.error() + u"\nserver log:\n"_s + tailOf(logPath));
        const double openSeconds = double(opening.elapsed()) / 1000.0;
        const auto once = sockets.heartbeatOnce(AgentFleet::webSocketHeartbeat());
        if (!once.error.isEmpty() || once.acks != agents)
            fail(u"WebSocket heartbeats: %1 of %2 acks %3\nserver log:\n%4"_s.arg(once.acks).arg(agents).arg(
                once.error, tailOf(logPath)));
        figures.idleCpu = idleCpuShare(sockets, child->server, u"server log:\n%1\n"_s.arg(tailOf(logPath)));
        figures.webSocketKiB = double(child->server.residentKiB());
        figures.webSocketsAcknowledged = int(once.acks);
        std::fprintf(stderr,
                     "%d agents: %d /ws/agent connections opened and welcomed in %.1f s, every heartbeat "
                     "acknowledged\n",
                     agents, sockets.connections(), openSeconds);
        sockets.close();
        child->server.stop();
        measureBareWebSockets(fleet.tokens(), heartbeatAtWelcome, figures);
    }
    figures.setupSeconds = double(timer.elapsed()) / 1000.0;
    return figures;
}

QString mib(double kib)
{
    return u"%1 MiB"_s.arg(kib / 1024.0, 0, 'f', 1);
}

QString perAgent(double kib, double baseKiB, int agents)
{
    return u"%1 B"_s.arg(QLocale(QLocale::English).toString((kib - baseKiB) * 1024.0 / agents, 'f', 0));
}

} // namespace

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "--bare-websocket-server") == 0)
            return runBareWebSocketServer(argc, argv);
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // charts are drawn without a display
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"heartline-server resident memory per logged-in agent."_s);
    parser.addHelpOption();
    const QCommandLineOption sizesOption(u"sizes"_s, u"Fleet sizes (default 1000,10000,20000,100000)."_s, u"N,N,..."_s,
                                         u"1000,10000,20000,100000"_s);
    const QCommandLineOption webSocketOption(
        u"websocket-max"_s,
        u"Largest fleet also measured with one open /ws/agent connection per agent, and with as many to a bare "
        "QWebSocketServer (default 20000; 0: never). N connections need N + 500 open descriptors here and in the "
        "server: the soft limit is raised to the hard one, and a hard limit too low is said."_s,
        u"N"_s, QString::number(DefaultWebSocketMax));
    const QCommandLineOption repeatOption(u"repeat"_s, u"Repetitions; medians are reported (default 1)."_s, u"N"_s,
                                          u"1"_s);
    const QCommandLineOption chartOption(u"chart"_s, u"Write a PNG chart here."_s, u"PATH"_s);
    const QCommandLineOption serverOption(u"server"_s, u"heartline-server to measure."_s, u"PATH"_s,
                                          QStringLiteral(HEARTLINE_SERVER_BINARY));
    const QCommandLineOption atWelcomeOption(
        u"heartbeat-at-welcome"_s,
        u"Each WebSocket sends its first heartbeat as soon as its welcome arrives, as the agent app does, on both "
        "servers (default: every connection is opened first, then each sends one). Keeps the HTTP sessions heard "
        "from when opening takes longer than the heartbeat limit (75 s); the bare server's memory per connection "
        "depends on this order."_s);
    parser.addOptions({sizesOption, webSocketOption, atWelcomeOption, repeatOption, chartOption, serverOption});
    parser.process(app);
    QList<int> sizes;
    for (const QString &size : parser.value(sizesOption).split(u',', Qt::SkipEmptyParts))
        sizes.append(qMax(1, size.toInt()));
    const int repeats = qMax(1, parser.value(repeatOption).toInt());
    const int descriptors = raiseDescriptorLimit();
    // Each side holds one descriptor per WebSocket, plus a margin for everything else.
    const int webSocketLimit = qMax(0, descriptors - DescriptorMargin);
    const int webSocketAsked = qMax(0, parser.value(webSocketOption).toInt());
    const int webSocketMax = qMin(webSocketAsked, webSocketLimit);
    QString descriptorNote;
    if (webSocketAsked > webSocketLimit) {
        const QLocale english(QLocale::English);
        descriptorNote
            = u"/ws/agent measured up to %1 connections, not %2: %2 need %3 open descriptors in this process and in "
              "the server, and the hard limit here is %4 (ulimit -Hn). Raise it as root before the run, e.g. "
              "`prlimit --nofile=65536:65536 -- bench_memory ...`, `ulimit -Hn 65536` in a root shell, or "
              "LimitNOFILE=65536 / a nofile line in /etc/security/limits.conf."_s
                  .arg(english.toString(webSocketMax), english.toString(webSocketAsked))
                  .arg(english.toString(webSocketAsked + DescriptorMargin), english.toString(descriptors));
        std::fprintf(stderr, "bench_memory: %s\n", qPrintable(descriptorNote));
    }
    const QString serverBinary = parser.value(serverOption);
    const QByteArray heartbeatAtWelcome
        = parser.isSet(atWelcomeOption) ? AgentFleet::webSocketHeartbeat() : QByteArray();

    const double loadAtStart = loadAverage();
    std::vector<double> baselines;
    std::vector<std::vector<SizeFigures>> runs(size_t(sizes.size()));
    for (int run = 0; run < repeats; ++run) {
        baselines.push_back(baselineKiB(serverBinary));
        for (qsizetype s = 0; s < sizes.size(); ++s) {
            runs[size_t(s)].push_back(
                measureSize(sizes.at(s), sizes.at(s) <= webSocketMax, heartbeatAtWelcome, serverBinary));
            std::fprintf(stderr, "run %d of %d: %d agents done in %.1f s\n", run + 1, repeats, sizes.at(s),
                         runs[size_t(s)].back().setupSeconds);
        }
    }
    const double loadAtEnd = loadAverage();
    const double base = median(baselines);
    std::vector<SizeFigures> medians;
    for (const auto &perRun : runs) {
        auto pick = [&perRun](double SizeFigures::*field) {
            std::vector<double> values;
            for (const SizeFigures &figures : perRun)
                values.push_back(figures.*field);
            return median(values);
        };
        int acknowledged = perRun.front().webSocketsAcknowledged;
        for (const SizeFigures &figures : perRun)
            acknowledged = qMin(acknowledged, figures.webSocketsAcknowledged);
        medians.push_back(SizeFigures {pick(&SizeFigures::startedKiB), pick(&SizeFigures::loggedInKiB),
                                       pick(&SizeFigures::webSocketKiB), pick(&SizeFigures::setupSeconds),
                                       pick(&SizeFigures::bareEmptyKiB), pick(&SizeFigures::bareConnectedKiB),
                                       acknowledged, pick(&SizeFigures::idleCpu), pick(&SizeFigures::bareIdleCpu)});
    }

    const MachineInfo machine = MachineInfo::current();
    printLine(u"memory: heartline-server resident set (VmRSS) per logged-in agent"_s);
    printLine(u"  machine: %1; load average %2 at start, %3 at end"_s.arg(machine.summary())
                  .arg(loadAtStart, 0, 'f', 2)
                  .arg(loadAtEnd, 0, 'f', 2));
    printLine(
        u"  %1 run(s), medians; baseline: the same server with no agents, after serving HTTP: %2\n"_s.arg(repeats).arg(
            mib(base)));
    printLine(u"  "_s + cell(u"agents"_s, 8) + cell(u"RSS started"_s, 13) + cell(u"RSS logged in"_s, 15)
              + cell(u"per agent"_s, 11) + cell(u"RSS + /ws/agent"_s, 17) + cell(u"per agent"_s, 11)
              + cell(u"per socket"_s, 12) + cell(u"bare per socket"_s, 16));
    for (qsizetype s = 0; s < sizes.size(); ++s) {
        const SizeFigures &m = medians[size_t(s)];
        const int n = sizes.at(s);
        printLine(u"  "_s + cell(QLocale(QLocale::English).toString(n), 8) + cell(mib(m.startedKiB), 13)
                  + cell(mib(m.loggedInKiB), 15) + cell(perAgent(m.loggedInKiB, base, n), 11)
                  + cell(m.webSocketKiB < 0 ? u"-"_s : mib(m.webSocketKiB), 17)
                  + cell(m.webSocketKiB < 0 ? u"-"_s : perAgent(m.webSocketKiB, base, n), 11)
                  + cell(m.webSocketKiB < 0 ? u"-"_s : u"%1 B"_s.arg(m.webSocketBytes(n), 0, 'f', 0), 12)
                  + cell(m.bareConnectedKiB < 0 ? u"-"_s : u"%1 B"_s.arg(m.bareBytes(n), 0, 'f', 0), 16));
    }
    printLine(
        u"\n  started: agents and tokens loaded from the database, nobody logged in yet; logged in: every agent"_s);
    printLine(
        u"  sent an HTTP heartbeat with device details; + /ws/agent: every agent also holds an open WebSocket."_s);
    printLine(u"  per socket: what the open /ws/agent connections added, per connection; bare per socket: the same"_s);
    printLine(u"  connections (greeted, one heartbeat each) to a bare QWebSocketServer, measured in the same run."_s);
    printLine(heartbeatAtWelcome.isEmpty()
                  ? u"  every connection was opened first, then each sent its heartbeat (on both servers)."_s
                  : u"  each connection sent a heartbeat as soon as its welcome came, and one more once all were open "
                    "(on both servers)."_s);
    for (qsizetype s = 0; s < sizes.size(); ++s) {
        const SizeFigures &m = medians[size_t(s)];
        if (m.webSocketKiB < 0)
            continue;
        printLine(
            u"  %1 agents: %2 of %1 /ws/agent connections welcomed (token accepted), each heartbeat acknowledged; "
            "%3x a bare connection; CPU while they idle: %4 % of a core (bare: %5 %)"_s
                .arg(QLocale(QLocale::English).toString(sizes.at(s)),
                     QLocale(QLocale::English).toString(m.webSocketsAcknowledged))
                .arg(m.webSocketBytes(sizes.at(s)) / m.bareBytes(sizes.at(s)), 0, 'f', 2)
                .arg(m.idleCpu * 100, 0, 'f', 0)
                .arg(m.bareIdleCpu * 100, 0, 'f', 0));
    }
    printLine(u"  descriptor limit %1 (soft, raised to the hard limit; the servers inherit it)"_s.arg(
        QLocale(QLocale::English).toString(descriptors)));
    if (!descriptorNote.isEmpty())
        printLine(u"  note: "_s + descriptorNote);

    printLine(u"\ntargets (4 KB = 4,096 bytes)"_s);
    const SizeFigures &largest = medians.back();
    const double largestPerAgent = (largest.loggedInKiB - base) * 1024.0 / sizes.last();
    printLine(
        u"  [%1] < 4 KB of server memory per logged-in agent: %2 at %3 agents"_s
            .arg(largestPerAgent < 4096 ? u"met"_s : u"MISSED"_s, perAgent(largest.loggedInKiB, base, sizes.last()))
            .arg(QLocale(QLocale::English).toString(sizes.last())));
    for (qsizetype s = sizes.size() - 1; s >= 0; --s) {
        const SizeFigures &m = medians[size_t(s)];
        if (m.webSocketKiB < 0)
            continue;
        const double perSocket = (m.webSocketKiB - base) * 1024.0 / sizes.at(s);
        printLine(u"  [%1] the same with an open /ws/agent connection each: %2 at %3 agents"_s
                      .arg(perSocket < 4096 ? u"met"_s : u"MISSED"_s, perAgent(m.webSocketKiB, base, sizes.at(s)))
                      .arg(QLocale(QLocale::English).toString(sizes.at(s))));
        const double ours = m.webSocketBytes(sizes.at(s));
        const double bare = m.bareBytes(sizes.at(s));
        printLine(u"  [%1] WebSocket per connected agent <= 1.1x a bare QWebSocketServer: %2 B vs %3 B per connection, "
                  "%4x at %5 connections"_s.arg(ours <= 1.1 * bare ? u"met"_s : u"MISSED"_s)
                      .arg(QLocale(QLocale::English).toString(ours, 'f', 0))
                      .arg(QLocale(QLocale::English).toString(bare, 'f', 0))
                      .arg(ours / bare, 0, 'f', 2)
                      .arg(QLocale(QLocale::English).toString(sizes.at(s))));
        break;
    }
    printLine(
        u"  [%1] seed target < 10 MB per agent: %2"_s.arg(largestPerAgent < 10.0 * 1024 * 1024 ? u"met"_s : u"MISSED"_s,
                                                          perAgent(largest.loggedInKiB, base, sizes.last())));

    if (parser.isSet(chartOption)) {
        QStringList categories;
        for (int size : sizes)
            categories.append(u"%1 agents"_s.arg(QLocale(QLocale::English).toString(size)));
        QList<double> httpPerAgent, socketPerAgent, startedMiB, loggedInMiB, socketMiB;
        for (qsizetype s = 0; s < sizes.size(); ++s) {
            const SizeFigures &m = medians[size_t(s)];
            httpPerAgent.append((m.loggedInKiB - base) / sizes.at(s));
            socketPerAgent.append(m.webSocketKiB < 0 ? 0 : (m.webSocketKiB - base) / sizes.at(s));
            startedMiB.append(m.startedKiB / 1024.0);
            loggedInMiB.append(m.loggedInKiB / 1024.0);
            socketMiB.append(m.webSocketKiB < 0 ? 0 : m.webSocketKiB / 1024.0);
        }
        BarChart perAgentChart(u"Server memory per agent (RSS above the empty server)"_s, u"KiB per agent"_s);
        perAgentChart.setCategories(categories);
        perAgentChart.addSeries({u"logged in, HTTP heartbeats"_s, httpPerAgent, BarChart::color(0)});
        perAgentChart.addSeries({u"+ an open /ws/agent connection each"_s, socketPerAgent, BarChart::color(1)});
        perAgentChart.setTarget(4, u"target < 4 KB per agent"_s);
        perAgentChart.setValueText(
            [](double v) -> QString { return v <= 0 ? u"-"_s : BarChart::compact(v) + u" KiB"_s; });

        BarChart totalChart(u"Server resident memory (baseline %1)"_s.arg(mib(base)), u"MiB"_s);
        totalChart.setCategories(categories);
        totalChart.addSeries({u"started (loaded)"_s, startedMiB, BarChart::color(4)});
        totalChart.addSeries({u"logged in"_s, loggedInMiB, BarChart::color(0)});
        totalChart.addSeries({u"+ /ws/agent"_s, socketMiB, BarChart::color(1)});
        totalChart.setValueText([](double v) -> QString { return v <= 0 ? u"-"_s : BarChart::compact(v); });

        // What one open connection adds, against the bare QWebSocketServer, at every size measured with them.
        QStringList socketCategories;
        QList<double> oursBytes, bareBytes;
        for (qsizetype s = 0; s < sizes.size(); ++s) {
            const SizeFigures &m = medians[size_t(s)];
            if (m.webSocketKiB < 0)
                continue;
            socketCategories.append(u"%1 connections"_s.arg(QLocale(QLocale::English).toString(sizes.at(s))));
            oursBytes.append(m.webSocketBytes(sizes.at(s)) / 1024.0);
            bareBytes.append(m.bareBytes(sizes.at(s)) / 1024.0);
        }
        BarChart socketChart(u"Memory an open WebSocket adds"_s, u"KiB per connection"_s);
        socketChart.setCategories(socketCategories);
        socketChart.addSeries({u"heartline-server /ws/agent"_s, oursBytes, BarChart::color(1)});
        socketChart.addSeries({u"bare QWebSocketServer"_s, bareBytes, BarChart::color(4)});
        socketChart.setValueText([](double v) -> QString { return BarChart::compact(v) + u" KiB"_s; });

        ChartImage image(u"Memory: heartline-server RSS per logged-in agent"_s);
        image.addChart(perAgentChart);
        image.addChart(totalChart);
        if (!socketCategories.isEmpty())
            image.addChart(socketChart);
        image.addNote(u"Per agent = (VmRSS with N agents logged in - VmRSS of the same server with none) / N. Every "
                      "agent sent an HTTP heartbeat with device details."_s);
        image.addNote(u"%1 run(s); %2."_s.arg(repeats).arg(machine.summary()));
        QString error;
        if (!image.save(parser.value(chartOption), &error))
            fail(error);
        printLine(u"\nchart: "_s + parser.value(chartOption));
    }
    return 0;
}
