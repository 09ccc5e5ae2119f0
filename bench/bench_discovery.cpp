// Inbound call webhook → TwiML latency with 100, 1,000 and 10,000 logged-in, ready agents, next to
// a GET /healthz round trip on the same connection (the HTTP floor) and the time discovery alone
// took inside the server (routing_decisions.duration_us, and the heartline_discovery_seconds
// histogram from /metrics).
//
// Each fleet size gets a fresh heartline-server child process and database: agents and tokens are
// written into SQLite before it starts, then every agent sends an HTTP heartbeat with its devices
// (logged in, available, ready). Each call is a signed POST /twilio/voice/inbound; its Dial is then
// ended with DialCallStatus=canceled (no penalty), so the fleet stays ready for the next call.
//
// Usage: bench_discovery [--sizes 100,1000,10000] [--calls 2000] [--repeat 3]
//                        [--chart docs/performance/discovery.png]

#include <cstdio>

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include "AgentFleet.h"
#include "BarChart.h"
#include "ChildServer.h"
#include "Format.h"
#include "HttpClient.h"
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
    // The warm-up calls came first.
    if (durations.size() > size_t(WarmUpCalls))
        durations.erase(durations.begin(), durations.begin() + WarmUpCalls);
    return durations;
}

SizeFigures measureSize(int agents, int calls, const QString &serverBinary)
{
    QElapsedTimer setup;
    setup.start();
    QTemporaryDir dir;
    const QString databasePath = dir.filePath(u"heartline.db"_s);
    auto fleet = AgentFleet::create(databasePath, agents);
    if (!fleet)
        fail(fleet.error().message);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"TWILIO_AUTH_TOKEN"_s, AuthToken);
    environment.insert(u"PUBLIC_BASE_URL"_s, PublicUrl);
    ChildServer server;
    if (!server.start(serverBinary, {u"--db"_s, databasePath}, environment, dir.filePath(u"server.log"_s)))
        fail(server.error());
    if (const QString problem = fleet->sendHeartbeats(server.port()); !problem.isEmpty())
        fail(u"heartbeats of %1 agents: %2"_s.arg(agents).arg(problem));
    QElapsedTimer sinceHeartbeats;
    sinceHeartbeats.start();

    HttpClient client(server.port());
    const QByteArray health = httpRequest("GET", "/healthz");
    auto scrape = [&](double *ms) {
        const auto answer = client.exchange(httpRequest("GET", "/metrics"), ms);
        if (!answer || answer->status != 200)
            fail(u"GET /metrics: "_s + client.error());
        return answer->body;
    };

    std::vector<double> webhook, healthz;
    std::optional<PrometheusHistogram> before;
    for (int i = 0; i < WarmUpCalls + calls; ++i) {
        if (i == WarmUpCalls) {
            before = PrometheusHistogram::parse(scrape(nullptr), u"heartline_discovery_seconds"_s);
            setup.restart();
        }
        if (sinceHeartbeats.elapsed() > HeartbeatRefreshMs) {
            if (const QString problem = fleet->sendHeartbeats(server.port()); !problem.isEmpty())
                fail(u"refreshing heartbeats: "_s + problem);
            sinceHeartbeats.restart();
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
        if (i >= WarmUpCalls) {
            webhook.push_back(webhookUs);
            healthz.push_back(healthUs);
        }
    }

    SizeFigures figures;
    figures.setupSeconds = double(setup.elapsed()) / 1000.0;
    const QByteArray exposition = scrape(&figures.scrapeMs);
    figures.scrapeMs /= 1000.0;
    auto after = PrometheusHistogram::parse(exposition, u"heartline_discovery_seconds"_s);
    if (!after || !before)
        fail(u"no heartline_discovery_seconds histogram in /metrics"_s);
    // Only the measured calls: subtract the warm-up's counts bucket by bucket.
    for (size_t b = 0; b < after->buckets.size() && b < before->buckets.size(); ++b)
        after->buckets[b].second -= before->buckets[b].second;
    after->count -= before->count;
    after->sum -= before->sum;
    figures.histogramP50 = after->quantileBound(0.5) * 1e6;
    figures.histogramP99 = after->quantileBound(0.99) * 1e6;
    figures.histogramMean = after->mean() * 1e6;
    server.stop();

    const std::vector<double> durations = decisionDurations(databasePath);
    if (durations.size() != size_t(calls))
        fail(u"expected %1 routing decisions, found %2"_s.arg(calls).arg(durations.size()));
    figures.webhookP50 = percentile(webhook, 50);
    figures.webhookP99 = percentile(webhook, 99);
    figures.healthP50 = percentile(healthz, 50);
    figures.healthP99 = percentile(healthz, 99);
    figures.discoveryP50 = percentile(durations, 50);
    figures.discoveryP99 = percentile(durations, 99);
    return figures;
}

/// routing_decisions.duration_us holds whole microseconds: 0 means "under 1 µs".
QString wholeMicroseconds(double value)
{
    return value < 1 ? u"< 1 µs"_s : formatDuration(value);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // charts are drawn without a display
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Inbound webhook to TwiML latency of heartline-server by fleet size."_s);
    parser.addHelpOption();
    const QCommandLineOption sizesOption(u"sizes"_s, u"Fleet sizes (default 100,1000,10000)."_s, u"N,N,..."_s,
                                         u"100,1000,10000"_s);
    const QCommandLineOption callsOption(u"calls"_s, u"Measured calls per fleet size (default 2000)."_s, u"N"_s,
                                         u"2000"_s);
    const QCommandLineOption repeatOption(u"repeat"_s, u"Repetitions; medians are reported (default 3)."_s, u"N"_s,
                                          u"3"_s);
    const QCommandLineOption chartOption(u"chart"_s, u"Write a PNG chart here."_s, u"PATH"_s);
    const QCommandLineOption serverOption(u"server"_s, u"heartline-server to measure."_s, u"PATH"_s,
                                          QStringLiteral(HEARTLINE_SERVER_BINARY));
    parser.addOptions({sizesOption, callsOption, repeatOption, chartOption, serverOption});
    parser.process(app);
    QList<int> sizes;
    for (const QString &size : parser.value(sizesOption).split(u',', Qt::SkipEmptyParts))
        sizes.append(qMax(1, size.toInt()));
    const int calls = qMax(10, parser.value(callsOption).toInt());
    const int repeats = qMax(1, parser.value(repeatOption).toInt());

    const double loadAtStart = loadAverage();
    std::vector<std::vector<SizeFigures>> runs(size_t(sizes.size()));
    for (int run = 0; run < repeats; ++run) {
        for (qsizetype s = 0; s < sizes.size(); ++s) {
            runs[size_t(s)].push_back(measureSize(sizes.at(s), calls, parser.value(serverOption)));
            std::fprintf(stderr, "run %d of %d: %d agents done\n", run + 1, repeats, sizes.at(s));
        }
    }
    const double loadAtEnd = loadAverage();

    // Medians over the repetitions, figure by figure.
    std::vector<SizeFigures> medians;
    for (const auto &perRun : runs) {
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
              &SizeFigures::histogramP99, &SizeFigures::histogramMean, &SizeFigures::scrapeMs,
              &SizeFigures::setupSeconds})
            m.*field = pick(field);
        medians.push_back(m);
    }

    const MachineInfo machine = MachineInfo::current();
    std::printf("discovery: signed POST /twilio/voice/inbound → TwiML, every agent logged in and ready\n");
    std::printf("  machine: %s; load average %.2f at start, %.2f at end\n", qPrintable(machine.summary()), loadAtStart,
                loadAtEnd);
    std::printf(
        "  %d measured calls per fleet size after %d warm-up calls, %d runs, medians; each Dial then canceled\n\n",
        calls, WarmUpCalls, repeats);
    printLine(u"  "_s + cell(u"agents"_s, 7) + u" | "_s + cell(u"webhook → TwiML"_s, 19) + u" | "_s
              + cell(u"GET /healthz (floor)"_s, 20) + u" | "_s + cell(u"discovery alone"_s, 19) + u" | "_s
              + cell(u"/metrics histogram"_s, 28) + u" | "_s + u"GET /metrics"_s);
    printLine(u"  "_s + cell({}, 7) + u" | "_s + cell(u"p50"_s, 9) + cell(u"p99"_s, 10) + u" | "_s + cell(u"p50"_s, 9)
              + cell(u"p99"_s, 11) + u" | "_s + cell(u"p50"_s, 9) + cell(u"p99"_s, 10) + u" | "_s + cell(u"p50"_s, 9)
              + cell(u"p99"_s, 10) + cell(u"mean"_s, 9) + u" | "_s + u"one scrape"_s);
    for (qsizetype s = 0; s < sizes.size(); ++s) {
        const SizeFigures &m = medians[size_t(s)];
        printLine(u"  "_s + cell(QString::number(sizes.at(s)), 7) + u" | "_s + cell(formatDuration(m.webhookP50), 9)
                  + cell(formatDuration(m.webhookP99), 10) + u" | "_s + cell(formatDuration(m.healthP50), 9)
                  + cell(formatDuration(m.healthP99), 11) + u" | "_s + cell(wholeMicroseconds(m.discoveryP50), 9)
                  + cell(wholeMicroseconds(m.discoveryP99), 10) + u" | "_s
                  + cell(u"≤ "_s + formatDuration(m.histogramP50), 9)
                  + cell(u"≤ "_s + formatDuration(m.histogramP99), 10) + cell(formatDuration(m.histogramMean), 9)
                  + u" | "_s + formatDuration(m.scrapeMs * 1000));
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

    std::printf("\ntargets\n");
    const qsizetype largest = sizes.size() - 1;
    const SizeFigures &top = medians[size_t(largest)];
    std::printf("  [%s] discovery p99 < 2 ms at %d agents: webhook → TwiML p99 %s (discovery alone %s)\n",
                top.webhookP99 < 2000 ? "met" : "MISSED", sizes.at(largest), qPrintable(formatDuration(top.webhookP99)),
                qPrintable(formatDuration(top.discoveryP99)));
    double worst = 0;
    for (const SizeFigures &m : medians)
        worst = qMax(worst, m.webhookP99);
    std::printf("  [%s] seed target < 500 ms added to routing: worst webhook → TwiML p99 %s\n",
                worst < 500'000 ? "met" : "MISSED", qPrintable(formatDuration(worst)));

    if (parser.isSet(chartOption)) {
        BarChart chart(u"Inbound webhook → TwiML by fleet size"_s, u"microseconds"_s);
        QStringList categories;
        for (int size : sizes)
            categories.append(u"%1 agents"_s.arg(QLocale(QLocale::English).toString(size)));
        chart.setCategories(categories);
        QList<double> webhookP50, webhookP99, healthP99, discoveryP99;
        for (const SizeFigures &m : medians) {
            webhookP50.append(m.webhookP50);
            webhookP99.append(m.webhookP99);
            healthP99.append(m.healthP99);
            discoveryP99.append(m.discoveryP99);
        }
        chart.addSeries({u"webhook p50"_s, webhookP50, BarChart::color(0)});
        chart.addSeries({u"webhook p99"_s, webhookP99, QColor(0x0b, 0x3d, 0x66)});
        chart.addSeries({u"discovery alone p99"_s, discoveryP99, BarChart::color(2)});
        chart.addSeries({u"GET /healthz p99 (floor)"_s, healthP99, BarChart::color(4)});
        chart.setTarget(2000, u"target p99 < 2 ms at 10,000 agents"_s);
        chart.setValueText([](double v) -> QString { return BarChart::compact(v); });

        BarChart scrapeChart(u"GET /metrics: one scrape (walks every agent)"_s, u"milliseconds"_s);
        scrapeChart.setCategories(categories);
        QList<double> scrapes;
        for (const SizeFigures &m : medians)
            scrapes.append(m.scrapeMs);
        scrapeChart.addSeries({u"one scrape, blocking the event loop"_s, scrapes, BarChart::color(3)});
        scrapeChart.setValueText([](double v) -> QString { return BarChart::compact(v) + u" ms"_s; });

        ChartImage image(u"Discovery: Twilio inbound webhook to TwiML, all agents ready"_s);
        image.addChart(chart);
        image.addChart(scrapeChart);
        image.addNote(
            u"Round trips over one keep-alive connection; discovery alone = routing_decisions.duration_us."_s);
        image.addNote(
            u"Values in µs, medians of %1 runs x %2 calls. %3."_s.arg(repeats).arg(calls).arg(machine.summary()));
        QString error;
        if (!image.save(parser.value(chartOption), &error))
            fail(error);
        std::printf("\nchart: %s\n", qPrintable(parser.value(chartOption)));
    }
    return 0;
}
