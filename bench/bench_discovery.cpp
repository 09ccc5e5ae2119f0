// Inbound call webhook → TwiML latency with 100, 1,000 and 10,000 logged-in, ready agents, next to
// a GET /healthz round trip on the same connection (the HTTP floor) and the time discovery alone
// took inside the server (routing_decisions.duration_us, and the heartline_discovery_seconds
// histogram from /metrics). Then the mixed load: the same calls at 100,000 agents, once on a quiet
// server and once while 10,000 heartbeats a second flow in from the whole fleet.
//
// Each fleet size gets a fresh heartline-server child process and database: agents and tokens are
// written into SQLite before it starts, then every agent sends an HTTP heartbeat with its devices
// (logged in, available, ready). Each call is a signed POST /twilio/voice/inbound; its Dial is then
// ended with DialCallStatus=canceled (no penalty), so the fleet stays ready for the next call.
//
// The mixed load's heartbeats come from a thread of this process (HttpLoad::fixedRate on 256
// connections of their own, every agent in turn), so the calls keep their own connection and loop.
//
// Usage: bench_discovery [--sizes 100,1000,10000] [--calls 2000] [--repeat 3]
//                        [--mixed-agents 100000] [--mixed-rate 10000]
//                        [--chart docs/performance/discovery.png]

#include <atomic>
#include <cstdio>
#include <functional>
#include <thread>

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QLocale>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include "AgentFleet.h"
#include "BarChart.h"
#include "ChildServer.h"
#include "Format.h"
#include "HttpClient.h"
#include "HttpLoad.h"
#include "MachineInfo.h"
#include "PrometheusHistogram.h"
#include "Statistics.h"
#include "twilio/FormParams.h"
#include "twilio/TwilioSignature.h"

using namespace heartline;
using namespace heartline::bench;
using namespace Qt::StringLiterals;

namespace {

const QString AuthToken = u"bench-twilio-auth-token"_s;
const QString PublicUrl = u"https://heartline.example.com"_s;
constexpr int WarmUpCalls = 100;
constexpr qint64 HeartbeatRefreshMs = 20'000; // well inside the 36 s that earn full heartbeat points
/// Connections that log a fleet in: the first heartbeats open sessions, one durable write each.
constexpr int LoginConnections = 32;
/// The mixed load's heartbeats: connections of their own (as bench_heartbeat's fixed-rate phases),
/// and how long they flow before the first timed call, so the calls meet them in a steady state
/// (write-behind batches and checkpoints included).
constexpr int HeartbeatConnections = 256;
constexpr int HeartbeatLeadMs = 2000;

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "bench_discovery: %s\n", qPrintable(message));
    std::exit(1);
}

/// A webhook signed the way Twilio signs it (docs/routing.md, spec §1).
QByteArray signedWebhook(const QString &pathAndQuery, const FormParams &params)
{
    const QByteArray signature = TwilioSignature(AuthToken.toUtf8()).compute(QString(PublicUrl + pathAndQuery), params);
    return httpRequest("POST", pathAndQuery.toUtf8(), {{"X-Twilio-Signature", signature}}, params.encode(),
                       "application/x-www-form-urlencoded");
}

QString callSid(qint64 number)
{
    return u"CA%1"_s.arg(number, 32, 16, QChar(u'0'));
}

QByteArray inboundRequest(const QString &sid)
{
    return signedWebhook(u"/twilio/voice/inbound"_s,
                         FormParams {{u"CallSid"_s, sid},
                                     {u"AccountSid"_s, u"AC%1"_s.arg(0, 32, 10, QChar(u'0'))},
                                     {u"From"_s, u"+15559990000"_s},
                                     {u"To"_s, u"+15550100"_s},
                                     {u"CallStatus"_s, u"ringing"_s},
                                     {u"Direction"_s, u"inbound"_s},
                                     {u"ApiVersion"_s, u"2010-04-01"_s}});
}

QByteArray canceledDialRequest(const QString &sid, const QString &agentId)
{
    return signedWebhook(u"/twilio/voice/dial-action?agent="_s + agentId,
                         FormParams {{u"CallSid"_s, sid},
                                     {u"DialCallStatus"_s, u"canceled"_s},
                                     {u"DialCallSid"_s, u"CAchild"_s + sid.mid(2)}});
}

/// The identity in <Client>…</Client>, or empty when the TwiML dials nobody.
QString dialedAgent(const QByteArray &twiml)
{
    const qsizetype client = twiml.indexOf("<Client");
    if (client < 0)
        return {};
    const qsizetype start = twiml.indexOf('>', client) + 1;
    const qsizetype end = twiml.indexOf("</Client>", start);
    return end > start ? QString::fromUtf8(twiml.mid(start, end - start)).trimmed() : QString();
}

struct SizeFigures
{
    double webhookP50 = 0, webhookP99 = 0;
    double healthP50 = 0, healthP99 = 0;
    double discoveryP50 = 0, discoveryP99 = 0; ///< exact, from routing_decisions.duration_us
    double histogramP50 = 0, histogramP99 = 0; ///< bucket bounds from /metrics
    double histogramMean = 0;
    double scrapeMs = 0; ///< one GET /metrics at this fleet size
    double setupSeconds = 0;
};

/// The mixed load at one fleet size: the same calls without and with heartbeats flowing, on one server.
struct MixedFigures
{
    SizeFigures quiet;
    SizeFigures loaded;
    double heartbeatsPerSecond = 0; ///< achieved by the heartbeat load
    double heartbeatP50 = 0, heartbeatP99 = 0, heartbeatP999 = 0;
    double loginSeconds = 0; ///< every agent's first heartbeat
};

/// A fresh heartline-server on a fresh database, every agent of its fleet logged in and ready.
struct FleetServer
{
    QTemporaryDir dir;
    QString databasePath;
    AgentFleet fleet;
    ChildServer server;
    double setupSeconds = 0; ///< fleet written, server started, every agent logged in
    double loginSeconds = 0; ///< of which the agents' first heartbeats
    QElapsedTimer sinceHeartbeats;
};

std::unique_ptr<FleetServer> startFleetServer(int agents, const QString &serverBinary)
{
    QElapsedTimer setup;
    setup.start();
    auto fleetServer = std::make_unique<FleetServer>();
    fleetServer->databasePath = fleetServer->dir.filePath(u"heartline.db"_s);
    auto fleet = AgentFleet::create(fleetServer->databasePath, agents);
    if (!fleet)
        fail(fleet.error().message);
    fleetServer->fleet = std::move(fleet).value();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"TWILIO_AUTH_TOKEN"_s, AuthToken);
    environment.insert(u"PUBLIC_BASE_URL"_s, PublicUrl);
    ChildServer &server = fleetServer->server;
    if (!server.start(serverBinary, {u"--db"_s, fleetServer->databasePath}, environment,
                      fleetServer->dir.filePath(u"server.log"_s)))
        fail(server.error());
    QElapsedTimer login;
    login.start();
    if (const QString problem = fleetServer->fleet.sendHeartbeats(server.port(), LoginConnections); !problem.isEmpty())
        fail(u"heartbeats of %1 agents: %2"_s.arg(agents).arg(problem));
    fleetServer->loginSeconds = double(login.elapsed()) / 1000.0;
    fleetServer->setupSeconds = double(setup.elapsed()) / 1000.0;
    fleetServer->sinceHeartbeats.start();
    return fleetServer;
}

/// Calls placed one after another on one keep-alive connection, numbered from `firstCall`: each
/// signed webhook timed next to a GET /healthz before it, its TwiML checked to dial an agent, that
/// Dial then canceled. With `refreshHeartbeats`, every agent sends a heartbeat again (between two
/// calls, untimed) once the last ones are HeartbeatRefreshMs old.
struct CallTimes
{
    std::vector<double> webhookUs, healthzUs;
};

CallTimes placeCalls(HttpClient &client, FleetServer &fleetServer, qint64 firstCall, int count, bool refreshHeartbeats)
{
    const QByteArray health = httpRequest("GET", "/healthz");
    const qsizetype agents = fleetServer.fleet.size();
    CallTimes times;
    for (qint64 i = firstCall; i < firstCall + count; ++i) {
        if (refreshHeartbeats && fleetServer.sinceHeartbeats.elapsed() > HeartbeatRefreshMs) {
            if (const QString problem = fleetServer.fleet.sendHeartbeats(fleetServer.server.port(), LoginConnections);
                !problem.isEmpty())
                fail(u"refreshing heartbeats: "_s + problem);
            fleetServer.sinceHeartbeats.restart();
        }
        const QString sid = callSid(qint64(agents) * 1'000'000 + i);
        const QByteArray inbound = inboundRequest(sid);
        double healthUs = 0;
        double webhookUs = 0;
        const auto healthAnswer = client.exchange(health, &healthUs);
        if (!healthAnswer || healthAnswer->status != 200)
            fail(u"GET /healthz: "_s + (healthAnswer ? QString::fromUtf8(healthAnswer->body) : client.error()));
        const auto answer = client.exchange(inbound, &webhookUs);
        if (!answer || answer->status != 200)
            fail(u"inbound webhook: "_s + (answer ? QString::fromUtf8(answer->body) : client.error()));
        const QString agent = dialedAgent(answer->body);
        if (agent.isEmpty())
            fail(u"call %1 with %2 ready agents dialed nobody: %3"_s.arg(i).arg(agents).arg(
                QString::fromUtf8(answer->body)));
        const auto released = client.exchange(canceledDialRequest(sid, agent));
        if (!released || released->status != 200)
            fail(u"dial action: "_s + (released ? QString::fromUtf8(released->body) : client.error()));
        times.webhookUs.push_back(webhookUs);
        times.healthzUs.push_back(healthUs);
    }
    return times;
}

QByteArray scrapeMetrics(HttpClient &client, double *ms)
{
    double us = 0;
    const auto answer = client.exchange(httpRequest("GET", "/metrics"), &us);
    if (!answer || answer->status != 200)
        fail(u"GET /metrics: "_s + client.error());
    if (ms)
        *ms = us / 1000.0;
    return answer->body;
}

/// Measured calls: webhook and /healthz percentiles, the discovery histogram's counts for exactly
/// these calls (the scrape before them subtracted from the one after) and how long that last scrape
/// took. `during` (if given) is started after the first scrape and stopped before the second, so a
/// background load never meets a scrape. Discovery alone is filled in later, from the database.
SizeFigures measureCalls(HttpClient &client, FleetServer &fleetServer, qint64 firstCall, int calls,
                         bool refreshHeartbeats, const std::function<void()> &startDuring = {},
                         const std::function<void()> &stopDuring = {})
{
    const auto before = PrometheusHistogram::parse(scrapeMetrics(client, nullptr), u"heartline_discovery_seconds"_s);
    if (startDuring)
        startDuring();
    const CallTimes times = placeCalls(client, fleetServer, firstCall, calls, refreshHeartbeats);
    if (stopDuring)
        stopDuring();
    SizeFigures figures;
    auto after = PrometheusHistogram::parse(scrapeMetrics(client, &figures.scrapeMs), u"heartline_discovery_seconds"_s);
    if (!after || !before)
        fail(u"no heartline_discovery_seconds histogram in /metrics"_s);
    // Only the measured calls: subtract the earlier counts bucket by bucket.
    for (size_t b = 0; b < after->buckets.size() && b < before->buckets.size(); ++b)
        after->buckets[b].second -= before->buckets[b].second;
    after->count -= before->count;
    after->sum -= before->sum;
    figures.histogramP50 = after->quantileBound(0.5) * 1e6;
    figures.histogramP99 = after->quantileBound(0.99) * 1e6;
    figures.histogramMean = after->mean() * 1e6;
    figures.webhookP50 = percentile(times.webhookUs, 50);
    figures.webhookP99 = percentile(times.webhookUs, 99);
    figures.healthP50 = percentile(times.healthzUs, 50);
    figures.healthP99 = percentile(times.healthzUs, 99);
    figures.setupSeconds = fleetServer.setupSeconds;
    return figures;
}

/// Every routing decision's duration_us, oldest first; once the server has stopped.
std::vector<double> decisionDurations(const QString &databasePath)
{
    std::vector<double> durations;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bench-reader"_s);
        db.setDatabaseName(databasePath);
        if (db.open()) {
            QSqlQuery query(db);
            query.exec(u"SELECT duration_us FROM routing_decisions ORDER BY id"_s);
            while (query.next())
                durations.push_back(query.value(0).toDouble());
        }
    }
    QSqlDatabase::removeDatabase(u"bench-reader"_s);
    return durations;
}

/// Discovery alone for the calls numbered [first, first + count) among every decision recorded.
void setDiscoveryFigures(SizeFigures &figures, const std::vector<double> &durations, int first, int count)
{
    const std::vector<double> these(durations.begin() + first, durations.begin() + first + count);
    figures.discoveryP50 = percentile(these, 50);
    figures.discoveryP99 = percentile(these, 99);
}

SizeFigures measureSize(int agents, int calls, const QString &serverBinary)
{
    auto fleetServer = startFleetServer(agents, serverBinary);
    HttpClient client(fleetServer->server.port());
    placeCalls(client, *fleetServer, 0, WarmUpCalls, true);
    SizeFigures figures = measureCalls(client, *fleetServer, WarmUpCalls, calls, true);
    fleetServer->server.stop();

    const std::vector<double> durations = decisionDurations(fleetServer->databasePath);
    if (durations.size() != size_t(WarmUpCalls + calls))
        fail(u"expected %1 routing decisions, found %2"_s.arg(WarmUpCalls + calls).arg(durations.size()));
    setDiscoveryFigures(figures, durations, WarmUpCalls, calls);
    return figures;
}

/// Heartbeats at a fixed rate from a thread of this process, on connections of their own, every
/// agent of the fleet in turn, until stopped. The thread that starts it goes on placing calls on
/// its own connection; the two share no socket and no Qt object (HttpLoad is epoll and plain sockets).
class BackgroundHeartbeats final
{
public:
    BackgroundHeartbeats(quint16 port, const QList<QByteArray> &requests) : m_load(port), m_requests(requests) { }
    ~BackgroundHeartbeats() { stop(); }
    BackgroundHeartbeats(const BackgroundHeartbeats &) = delete;
    BackgroundHeartbeats &operator=(const BackgroundHeartbeats &) = delete;

    /// Opens the connections here, then sends `perSecond` heartbeats a second from a new thread.
    void start(double perSecond)
    {
        if (!m_load.open(HeartbeatConnections))
            fail(u"heartbeat load: "_s + m_load.error());
        m_load.setStop(&m_stop);
        m_thread = std::thread([this, perSecond] {
            // Far more than will be sent: the run ends when stopped.
            const qint64 requests = qint64(perSecond * 3600);
            m_result = m_load.fixedRate(perSecond, requests, [this](qint64 index, int) {
                return m_requests.at(qsizetype(index % m_requests.size()));
            });
        });
    }
    /// Stops sending, waits for the heartbeats in flight and gives back what the load saw.
    const HttpLoad::Result &stop()
    {
        m_stop.store(true, std::memory_order_relaxed);
        if (m_thread.joinable())
            m_thread.join();
        return m_result;
    }

private:
    HttpLoad m_load;
    const QList<QByteArray> &m_requests;
    std::atomic<bool> m_stop {false};
    std::thread m_thread;
    HttpLoad::Result m_result;
};

/// The mixed load at one fleet size: on one server, the calls measured without any other traffic,
/// and again while `heartbeatsPerSecond` heartbeats flow from the whole fleet; loadedFirst swaps the
/// two, so neither always meets the older or the fuller database.
MixedFigures measureMixed(int agents, int calls, double heartbeatsPerSecond, const QString &serverBinary,
                          bool loadedFirst)
{
    auto fleetServer = startFleetServer(agents, serverBinary);
    MixedFigures mixed;
    mixed.loginSeconds = fleetServer->loginSeconds;
    QList<QByteArray> heartbeats;
    heartbeats.reserve(fleetServer->fleet.size());
    for (qsizetype i = 0; i < fleetServer->fleet.size(); ++i)
        heartbeats.append(fleetServer->fleet.httpHeartbeatRequest(i));

    HttpClient client(fleetServer->server.port());
    placeCalls(client, *fleetServer, 0, WarmUpCalls, true);
    BackgroundHeartbeats load(fleetServer->server.port(), heartbeats);
    auto quiet = [&](qint64 firstCall) {
        mixed.quiet = measureCalls(client, *fleetServer, firstCall, calls, true);
    };
    auto loaded = [&](qint64 firstCall) {
        mixed.loaded = measureCalls(
            client, *fleetServer, firstCall, calls, false,
            [&] {
                load.start(heartbeatsPerSecond);
                QThread::msleep(HeartbeatLeadMs);
            },
            [&] {
                const HttpLoad::Result &result = load.stop();
                if (!result.ok())
                    fail(u"heartbeat load: "_s + result.problem());
                mixed.heartbeatsPerSecond = result.perSecond();
                mixed.heartbeatP50 = percentile(result.latencyUs, 50);
                mixed.heartbeatP99 = percentile(result.latencyUs, 99);
                mixed.heartbeatP999 = percentile(result.latencyUs, 99.9);
            });
        // Every agent was heard from meanwhile: the quiet calls that may follow need no refresh.
        fleetServer->sinceHeartbeats.restart();
    };
    if (loadedFirst) {
        loaded(WarmUpCalls);
        quiet(WarmUpCalls + calls);
    } else {
        quiet(WarmUpCalls);
        loaded(WarmUpCalls + calls);
    }
    fleetServer->server.stop();

    const std::vector<double> durations = decisionDurations(fleetServer->databasePath);
    if (durations.size() != size_t(WarmUpCalls + 2 * calls))
        fail(u"expected %1 routing decisions, found %2"_s.arg(WarmUpCalls + 2 * calls).arg(durations.size()));
    setDiscoveryFigures(loadedFirst ? mixed.loaded : mixed.quiet, durations, WarmUpCalls, calls);
    setDiscoveryFigures(loadedFirst ? mixed.quiet : mixed.loaded, durations, WarmUpCalls + calls, calls);
    return mixed;
}

/// routing_decisions.duration_us holds whole microseconds: 0 means "under 1 µs".
QString wholeMicroseconds(double value)
{
    return value < 1 ? u"< 1 µs"_s : formatDuration(value);
}

/// Medians over the repetitions, figure by figure.
SizeFigures medianFigures(const std::vector<SizeFigures> &perRun)
{
    auto pick = [&perRun](double SizeFigures::*field) {
        std::vector<double> values;
        for (const SizeFigures &figures : perRun)
            values.push_back(figures.*field);
        return median(values);
    };
    SizeFigures m;
    for (double SizeFigures::*field :
         {&SizeFigures::webhookP50, &SizeFigures::webhookP99, &SizeFigures::healthP50, &SizeFigures::healthP99,
          &SizeFigures::discoveryP50, &SizeFigures::discoveryP99, &SizeFigures::histogramP50,
          &SizeFigures::histogramP99, &SizeFigures::histogramMean, &SizeFigures::scrapeMs, &SizeFigures::setupSeconds})
        m.*field = pick(field);
    return m;
}

QString thousands(double value)
{
    return QLocale(QLocale::English).toString(value, 'f', 0);
}

/// One row of the latency table: what the label says, then p50 and p99 of each figure.
void printRow(const QString &label, int labelWidth, const SizeFigures &m)
{
    printLine(u"  "_s + label.leftJustified(labelWidth) + u" | "_s + cell(formatDuration(m.webhookP50), 9)
              + cell(formatDuration(m.webhookP99), 10) + u" | "_s + cell(formatDuration(m.healthP50), 9)
              + cell(formatDuration(m.healthP99), 11) + u" | "_s + cell(wholeMicroseconds(m.discoveryP50), 9)
              + cell(wholeMicroseconds(m.discoveryP99), 10) + u" | "_s
              + cell(u"≤ "_s + formatDuration(m.histogramP50), 9) + cell(u"≤ "_s + formatDuration(m.histogramP99), 10)
              + cell(formatDuration(m.histogramMean), 9) + u" | "_s + formatDuration(m.scrapeMs * 1000));
}

void printHeader(const QString &label, int labelWidth)
{
    printLine(u"  "_s + label.leftJustified(labelWidth) + u" | "_s + cell(u"webhook → TwiML"_s, 19) + u" | "_s
              + cell(u"GET /healthz (floor)"_s, 20) + u" | "_s + cell(u"discovery alone"_s, 19) + u" | "_s
              + cell(u"/metrics histogram"_s, 28) + u" | "_s + u"GET /metrics"_s);
    printLine(u"  "_s + QString().leftJustified(labelWidth) + u" | "_s + cell(u"p50"_s, 9) + cell(u"p99"_s, 10)
              + u" | "_s + cell(u"p50"_s, 9) + cell(u"p99"_s, 11) + u" | "_s + cell(u"p50"_s, 9) + cell(u"p99"_s, 10)
              + u" | "_s + cell(u"p50"_s, 9) + cell(u"p99"_s, 10) + cell(u"mean"_s, 9) + u" | "_s + u"one scrape"_s);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // charts are drawn without a display
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Inbound webhook to TwiML latency of heartline-server by fleet size, and at a large fleet while "
        "heartbeats flow."_s);
    parser.addHelpOption();
    const QCommandLineOption sizesOption(u"sizes"_s, u"Fleet sizes (default 100,1000,10000; empty: none)."_s,
                                         u"N,N,..."_s, u"100,1000,10000"_s);
    const QCommandLineOption callsOption(
        u"calls"_s, u"Measured calls per fleet size, and per half of the mixed load (default 2000)."_s, u"N"_s,
        u"2000"_s);
    const QCommandLineOption repeatOption(u"repeat"_s, u"Repetitions; medians are reported (default 3)."_s, u"N"_s,
                                          u"3"_s);
    const QCommandLineOption mixedAgentsOption(
        u"mixed-agents"_s,
        u"Fleet of the mixed load: the same calls on one server without, then with heartbeats flowing from "
        "every agent in turn (default 100000; 0: skip the mixed load)."_s,
        u"N"_s, u"100000"_s);
    const QCommandLineOption mixedRateOption(
        u"mixed-rate"_s, u"Heartbeats a second during the mixed load (default 10000)."_s, u"PER_SECOND"_s, u"10000"_s);
    const QCommandLineOption chartOption(u"chart"_s, u"Write a PNG chart here."_s, u"PATH"_s);
    const QCommandLineOption serverOption(u"server"_s, u"heartline-server to measure."_s, u"PATH"_s,
                                          QStringLiteral(HEARTLINE_SERVER_BINARY));
    parser.addOptions(
        {sizesOption, callsOption, repeatOption, mixedAgentsOption, mixedRateOption, chartOption, serverOption});
    parser.process(app);
    QList<int> sizes;
    for (const QString &size : parser.value(sizesOption).split(u',', Qt::SkipEmptyParts))
        sizes.append(qMax(1, size.toInt()));
    const int calls = qMax(10, parser.value(callsOption).toInt());
    const int repeats = qMax(1, parser.value(repeatOption).toInt());
    const int mixedAgents = qMax(0, parser.value(mixedAgentsOption).toInt());
    const double mixedRate = qMax(100.0, parser.value(mixedRateOption).toDouble());
    const QString serverBinary = parser.value(serverOption);
    if (sizes.isEmpty() && mixedAgents == 0)
        fail(u"nothing to measure: --sizes is empty and --mixed-agents is 0"_s);

    const double loadAtStart = loadAverage();
    std::vector<std::vector<SizeFigures>> runs(size_t(sizes.size()));
    std::vector<MixedFigures> mixedRuns;
    for (int run = 0; run < repeats; ++run) {
        for (qsizetype s = 0; s < sizes.size(); ++s) {
            runs[size_t(s)].push_back(measureSize(sizes.at(s), calls, serverBinary));
            std::fprintf(stderr, "run %d of %d: %d agents done\n", run + 1, repeats, sizes.at(s));
        }
        if (mixedAgents > 0) {
            const MixedFigures &mixed
                = mixedRuns.emplace_back(measureMixed(mixedAgents, calls, mixedRate, serverBinary, run % 2 == 1));
            std::fprintf(stderr,
                         "run %d of %d: mixed load at %d agents done (logged in in %.1f s); webhook p99 %s quiet, "
                         "%s under %.0f heartbeats/s (p99 %s)\n",
                         run + 1, repeats, mixedAgents, mixed.loginSeconds,
                         qPrintable(formatDuration(mixed.quiet.webhookP99)),
                         qPrintable(formatDuration(mixed.loaded.webhookP99)), mixed.heartbeatsPerSecond,
                         qPrintable(formatDuration(mixed.heartbeatP99)));
        }
    }
    const double loadAtEnd = loadAverage();

    std::vector<SizeFigures> medians;
    for (const auto &perRun : runs)
        medians.push_back(medianFigures(perRun));
    MixedFigures mixed;
    if (!mixedRuns.empty()) {
        std::vector<SizeFigures> quiet, loaded;
        std::vector<double> rate, p50, p99, p999, login;
        for (const MixedFigures &m : mixedRuns) {
            quiet.push_back(m.quiet);
            loaded.push_back(m.loaded);
            rate.push_back(m.heartbeatsPerSecond);
            p50.push_back(m.heartbeatP50);
            p99.push_back(m.heartbeatP99);
            p999.push_back(m.heartbeatP999);
            login.push_back(m.loginSeconds);
        }
        mixed = MixedFigures {medianFigures(quiet), medianFigures(loaded), median(rate), median(p50),
                              median(p99),          median(p999),          median(login)};
    }

    const MachineInfo machine = MachineInfo::current();
    std::printf("discovery: signed POST /twilio/voice/inbound → TwiML, every agent logged in and ready\n");
    std::printf("  machine: %s; load average %.2f at start, %.2f at end\n", qPrintable(machine.summary()), loadAtStart,
                loadAtEnd);
    std::printf(
        "  %d measured calls per fleet size after %d warm-up calls, %d runs, medians; each Dial then canceled\n", calls,
        WarmUpCalls, repeats);
    if (!sizes.isEmpty()) {
        printLine({});
        printHeader(u"agents"_s, 7);
        for (qsizetype s = 0; s < sizes.size(); ++s)
            printRow(QString::number(sizes.at(s)).rightJustified(7), 7, medians[size_t(s)]);
    }
    if (sizes.size() > 1) {
        const SizeFigures &small = medians.front();
        const SizeFigures &large = medians.back();
        std::printf("\n  from %d to %d agents (x%.0f): webhook p50 x%.2f, p99 x%.2f; discovery alone p99 %s -> %s\n",
                    sizes.front(), sizes.back(), double(sizes.back()) / double(sizes.front()),
                    large.webhookP50 / small.webhookP50, large.webhookP99 / small.webhookP99,
                    qPrintable(wholeMicroseconds(small.discoveryP99)),
                    qPrintable(wholeMicroseconds(large.discoveryP99)));
    }
    const QString mixedFleet = thousands(mixedAgents);
    const QString mixedRateText = thousands(mixedRate);
    if (mixedAgents > 0) {
        printLine(u"\n  mixed load: %1 agents logged in and ready (%2 s to log them in over %3 connections), the same "
                  "calls"_s.arg(mixedFleet)
                      .arg(mixed.loginSeconds, 0, 'f', 1)
                      .arg(LoginConnections));
        printLine(u"  on one server without other traffic, and while %1 heartbeats/s flow from every agent in turn "
                  "(each"_s.arg(mixedRateText));
        printLine(u"  every %1 s) on %2 connections of their own, from %3 s before the first call to the last; "
                  "alternately first"_s.arg(double(mixedAgents) / mixedRate, 0, 'f', 1)
                      .arg(HeartbeatConnections)
                      .arg(HeartbeatLeadMs / 1000.0, 0, 'f', 0));
        printLine({});
        const int width = 28;
        printHeader(u"%1 agents"_s.arg(mixedFleet), width);
        printRow(u"no heartbeat load"_s, width, mixed.quiet);
        printRow(u"%1 heartbeats/s"_s.arg(mixedRateText), width, mixed.loaded);
        printLine(u"  heartbeat load: achieved %1/s of %2/s; p50 %3, p99 %4, p99.9 %5 (from when each was due)"_s.arg(
            thousands(mixed.heartbeatsPerSecond), mixedRateText, formatDuration(mixed.heartbeatP50),
            formatDuration(mixed.heartbeatP99), formatDuration(mixed.heartbeatP999)));
        printLine(u"  under the load: webhook p50 x%1, p99 x%2; GET /healthz p99 x%3"_s
                      .arg(mixed.loaded.webhookP50 / mixed.quiet.webhookP50, 0, 'f', 2)
                      .arg(mixed.loaded.webhookP99 / mixed.quiet.webhookP99, 0, 'f', 2)
                      .arg(mixed.loaded.healthP99 / mixed.quiet.healthP99, 0, 'f', 2));
    }

    std::printf("\ntargets\n");
    double worst = 0;
    if (!sizes.isEmpty()) {
        const qsizetype largest = sizes.size() - 1;
        const SizeFigures &top = medians[size_t(largest)];
        std::printf("  [%s] discovery p99 < 2 ms at %d agents: webhook → TwiML p99 %s (discovery alone %s)\n",
                    top.webhookP99 < 2000 ? "met" : "MISSED", sizes.at(largest),
                    qPrintable(formatDuration(top.webhookP99)), qPrintable(formatDuration(top.discoveryP99)));
        for (const SizeFigures &m : medians)
            worst = qMax(worst, m.webhookP99);
    }
    if (mixedAgents > 0) {
        const bool rateReached = mixed.heartbeatsPerSecond >= mixedRate * 0.98;
        printLine(u"  [%1] discovery p99 < 2 ms at %2 agents under %3 heartbeats/s: webhook → TwiML p99 %4 (%5 "
                  "without the load; discovery alone %6; heartbeats achieved %7/s)"_s.arg(
                      mixed.loaded.webhookP99 < 2000 && rateReached ? u"met"_s : u"MISSED"_s, mixedFleet, mixedRateText,
                      formatDuration(mixed.loaded.webhookP99), formatDuration(mixed.quiet.webhookP99),
                      wholeMicroseconds(mixed.loaded.discoveryP99), thousands(mixed.heartbeatsPerSecond)));
        worst = qMax(worst, qMax(mixed.quiet.webhookP99, mixed.loaded.webhookP99));
    }
    std::printf("  [%s] seed target < 500 ms added to routing: worst webhook → TwiML p99 %s\n",
                worst < 500'000 ? "met" : "MISSED", qPrintable(formatDuration(worst)));

    if (parser.isSet(chartOption)) {
        auto addLatencySeries = [](BarChart &chart, const std::vector<SizeFigures> &figures) {
            QList<double> webhookP50, webhookP99, healthP99, discoveryP99;
            for (const SizeFigures &m : figures) {
                webhookP50.append(m.webhookP50);
                webhookP99.append(m.webhookP99);
                healthP99.append(m.healthP99);
                discoveryP99.append(m.discoveryP99);
            }
            chart.addSeries({u"webhook p50"_s, webhookP50, BarChart::color(0)});
            chart.addSeries({u"webhook p99"_s, webhookP99, QColor(0x0b, 0x3d, 0x66)});
            chart.addSeries({u"discovery alone p99"_s, discoveryP99, BarChart::color(2)});
            chart.addSeries({u"GET /healthz p99 (floor)"_s, healthP99, BarChart::color(4)});
            chart.setTarget(2000, u"target p99 < 2 ms"_s);
            chart.setValueText([](double v) -> QString { return BarChart::compact(v); });
        };
        ChartImage image(u"Discovery: Twilio inbound webhook to TwiML, all agents ready"_s);
        QStringList categories;
        QList<double> scrapes;
        for (qsizetype s = 0; s < sizes.size(); ++s) {
            categories.append(u"%1 agents"_s.arg(thousands(sizes.at(s))));
            scrapes.append(medians[size_t(s)].scrapeMs);
        }
        if (!sizes.isEmpty()) {
            BarChart chart(u"Inbound webhook → TwiML by fleet size"_s, u"microseconds"_s);
            chart.setCategories(categories);
            addLatencySeries(chart, medians);
            image.addChart(chart);
        }
        if (mixedAgents > 0) {
            BarChart chart(u"At %1 agents, with and without %2 heartbeats/s"_s.arg(mixedFleet, mixedRateText),
                           u"microseconds"_s);
            chart.setCategories({u"no heartbeat load"_s, u"%1 heartbeats/s"_s.arg(mixedRateText)});
            addLatencySeries(chart, {mixed.quiet, mixed.loaded});
            image.addChart(chart);
            categories.append(u"%1 agents"_s.arg(mixedFleet));
            scrapes.append(mixed.quiet.scrapeMs);
        }
        BarChart scrapeChart(u"GET /metrics: one scrape"_s, u"milliseconds"_s);
        scrapeChart.setCategories(categories);
        scrapeChart.addSeries({u"one scrape, blocking the event loop"_s, scrapes, BarChart::color(3)});
        scrapeChart.setValueText([](double v) -> QString { return BarChart::compact(v) + u" ms"_s; });
        image.addChart(scrapeChart);
        image.addNote(
            u"Round trips over one keep-alive connection; discovery alone = routing_decisions.duration_us."_s);
        if (mixedAgents > 0) {
            image.addNote(
                u"Heartbeat load: %1/s achieved of %2/s from every agent in turn, p99 %3, on %4 connections "
                "of their own."_s
                    .arg(thousands(mixed.heartbeatsPerSecond), mixedRateText, formatDuration(mixed.heartbeatP99))
                    .arg(HeartbeatConnections));
        }
        image.addNote(
            u"Values in µs, medians of %1 runs x %2 calls. %3."_s.arg(repeats).arg(calls).arg(machine.summary()));
        QString error;
        if (!image.save(parser.value(chartOption), &error))
            fail(error);
        std::printf("\nchart: %s\n", qPrintable(parser.value(chartOption)));
    }
    return 0;
}
