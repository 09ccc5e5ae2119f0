// The availability-truth simulation: a fleet of simulated agents with injected faults and a
// Poisson stream of calls, run twice with the same seed (legacy discovery, then enhanced), against
// heartline-server and the Twilio stand-in in this process on simulated time. Prints the figures of
// both runs side by side and renders a chart. docs/fleet.md explains the method and the figures.

#include <cstdio>

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QLoggingCategory>

#include "FleetChart.h"
#include "FleetRun.h"
#include "core/EpollEventDispatcher.h"

using namespace Qt::StringLiterals;
using namespace heartline;

namespace {

void print(const QString &text)
{
    std::fputs(qPrintable(text), stdout);
    std::fflush(stdout);
}

QString percent(double part, double whole, int decimals = 3)
{
    return whole > 0 ? QString::number(100.0 * part / whole, 'f', decimals) + u" %"_s : u"-"_s;
}

QString seconds(qint64 ms)
{
    return ms < 0 ? u"-"_s : QString::number(double(ms) / 1000.0, 'f', 1) + u" s"_s;
}

/// Both runs in one Markdown table, the figures docs/fleet.md quotes.
QString comparison(const FleetReport &legacy, const FleetReport &enhanced)
{
    QString out;
    const auto row = [&out](const QString &name, const QString &a, const QString &b) {
        out += u"| %1 | %2 | %3 |\n"_s.arg(name, a, b);
    };
    out += u"| figure | legacy | enhanced |\n|---|---:|---:|\n"_s;
    row(u"calls"_s, QString::number(legacy.calls), QString::number(enhanced.calls));
    row(u"offers"_s, QString::number(legacy.offers), QString::number(enhanced.offers));
    row(u"false-available offers"_s, QString::number(legacy.falseOffers), QString::number(enhanced.falseOffers));
    row(u"… % of offers"_s, percent(legacy.falseOffers, legacy.offers), percent(enhanced.falseOffers, enhanced.offers));
    row(u"… % of calls (target ≤ 0.1 %)"_s, percent(legacy.falseOffers, legacy.calls),
        percent(enhanced.falseOffers, enhanced.calls));
    row(u"connection rate"_s, percent(legacy.connected, legacy.calls, 2),
        percent(enhanced.connected, enhanced.calls, 2));
    row(u"missed (caller hung up while ringing / ended by the system)"_s,
        u"%1 (%2 / %3)"_s.arg(legacy.missedGaveUp + legacy.missedSystem)
            .arg(legacy.missedGaveUp)
            .arg(legacy.missedSystem),
        u"%1 (%2 / %3)"_s.arg(enhanced.missedGaveUp + enhanced.missedSystem)
            .arg(enhanced.missedGaveUp)
            .arg(enhanced.missedSystem));
    row(u"abandoned in queue"_s, QString::number(legacy.abandoned), QString::number(enhanced.abandoned));
    row(u"callers lost to a restart (target 0)"_s,
        u"%1 (%2 restarts)"_s.arg(legacy.callersLostToRestart).arg(legacy.restarts),
        u"%1 (%2 restarts)"_s.arg(enhanced.callersLostToRestart).arg(enhanced.restarts));
    row(u"time to answer p50 / p99"_s,
        seconds(FleetReport::percentile(legacy.answerMs, 0.5)) + u" / "_s
            + seconds(FleetReport::percentile(legacy.answerMs, 0.99)),
        seconds(FleetReport::percentile(enhanced.answerMs, 0.5)) + u" / "_s
            + seconds(FleetReport::percentile(enhanced.answerMs, 0.99)));
    row(u"availability accuracy, discovery's view (target ≥ 99.9 %)"_s,
        percent(legacy.matchingSamples, legacy.agentSamples), percent(enhanced.matchingSamples, enhanced.agentSamples));
    row(u"availability accuracy, readiness.ready"_s, percent(legacy.readinessMatchingSamples, legacy.agentSamples),
        percent(enhanced.readinessMatchingSamples, enhanced.agentSamples));
    for (int k = 0; k < FaultKindCount; ++k) {
        const DetectionStats &a = legacy.detection.at(size_t(k));
        const DetectionStats &b = enhanced.detection.at(size_t(k));
        const auto cell = [](const DetectionStats &d) {
            return u"%1 / %2 (%3 of %4)"_s.arg(seconds(d.percentile(0.5)), seconds(d.percentile(0.99)))
                .arg(d.detected)
                .arg(d.faults);
        };
        row(u"detection p50 / p99: "_s + toString(static_cast<FaultKind>(k)), cell(a), cell(b));
    }
    const auto walkAways = [](const FleetReport &r) {
        return u"%1 (%2 of %3)"_s.arg(percent(r.walkAwaysNoticedFirst, r.walkAwaysOfferedOrNoticed, 1))
            .arg(r.walkAwaysNoticedFirst)
            .arg(r.walkAwaysOfferedOrNoticed);
    };
    row(u"walk-aways noticed before the next offer reached them (target ≥ 95 %)"_s, walkAways(legacy),
        walkAways(enhanced));
    row(u"checksum"_s, u"%1"_s.arg(legacy.checksum, 16, 16, QChar(u'0')),
        u"%1"_s.arg(enhanced.checksum, 16, 16, QChar(u'0')));
    row(u"wall time"_s, QString::number(legacy.wallSeconds, 'f', 1) + u" s"_s,
        QString::number(enhanced.wallSeconds, 'f', 1) + u" s"_s);
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    // The chart is painted off screen; no display is needed.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Thousands of sockets in one process: epoll instead of polling every one of them each round.
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_fleet"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Availability truth: legacy against enhanced discovery on a simulated fleet."_s);
    parser.addHelpOption();
    const QCommandLineOption agentsOption(u"agents"_s, u"Simulated agents (1000)."_s, u"N"_s, u"1000"_s);
    const QCommandLineOption minutesOption(u"minutes"_s, u"Simulated minutes (30)."_s, u"M"_s, u"30"_s);
    const QCommandLineOption seedOption(u"seed"_s, u"Random seed (1)."_s, u"SEED"_s, u"1"_s);
    const QCommandLineOption rateOption(u"calls-per-minute"_s, u"Poisson call rate (120 per 1,000 agents)."_s, u"R"_s);
    const QCommandLineOption modeOption(u"mode"_s, u"legacy, enhanced or both (both)."_s, u"MODE"_s, u"both"_s);
    const QCommandLineOption chartOption(u"chart"_s, u"Where to write the PNG chart (none by default)."_s, u"FILE"_s);
    const QCommandLineOption progressOption(u"progress"_s, u"A line on stderr every simulated minute."_s);
    const QCommandLineOption quietOption(
        u"quiet-rounds"_s, u"Event-loop rounds without traffic that count as settled (3)."_s, u"N"_s, u"3"_s);
    const QCommandLineOption verboseOption(u"verbose"_s, u"Keep the server's and the stand-in's log."_s);
    const QCommandLineOption traceOption(u"trace-false-offers"_s, u"A line for each false-available offer."_s);
    const QCommandLineOption eventsOption(
        u"events"_s, u"Write each run's events to PREFIX-legacy.txt, PREFIX-enhanced.txt."_s, u"PREFIX"_s);
    const QCommandLineOption setOption(
        u"set"_s, u"A server setting for both runs, e.g. IDLE_PROMPT_SECONDS=180 (repeatable)."_s, u"KEY=VALUE"_s);
    parser.addOptions({agentsOption, minutesOption, seedOption, rateOption, modeOption, chartOption, progressOption,
                       quietOption, verboseOption, traceOption, eventsOption, setOption});
    parser.process(app);
    if (!parser.isSet(verboseOption))
        QLoggingCategory::setFilterRules(u"heartline.*.info=false\nheartline.*.debug=false"_s);

    const int agents = parser.value(agentsOption).toInt();
    const int minutes = parser.value(minutesOption).toInt();
    if (agents < 1 || minutes < 2) {
        std::fputs("bench_fleet: --agents must be at least 1 and --minutes at least 2\n", stderr);
        return 2;
    }
    ScenarioConfig scenario
        = agents >= 500 && minutes >= 20 ? ScenarioConfig {} : ScenarioConfig::small(agents, qint64(minutes) * 60'000);
    scenario.agents = agents;
    scenario.durationMs = qint64(minutes) * 60'000;
    scenario.seed = parser.value(seedOption).toULongLong();
    scenario.callsPerMinute = parser.isSet(rateOption) ? parser.value(rateOption).toDouble() : 120.0 * agents / 1000.0;
    const QString mode = parser.value(modeOption);

    FleetReport reports[2];
    bool ran[2] = {false, false};
    for (const bool enhanced : {false, true}) {
        if ((enhanced && mode == u"legacy"_s) || (!enhanced && mode == u"enhanced"_s))
            continue;
        FleetRunOptions options;
        options.scenario = scenario;
        options.enhanced = enhanced;
        options.progress = parser.isSet(progressOption);
        options.quietRounds = parser.value(quietOption).toInt();
        options.traceFalseOffers = parser.isSet(traceOption);
        for (const QString &setting : parser.values(setOption)) {
            const qsizetype equals = setting.indexOf(u'=');
            if (equals <= 0) {
                std::fprintf(stderr, "bench_fleet: --set wants KEY=VALUE, not %s\n", qPrintable(setting));
                return 2;
            }
            options.serverSettings.append({setting.left(equals), setting.mid(equals + 1)});
        }
        if (parser.isSet(eventsOption))
            options.eventLogPath = parser.value(eventsOption) + (enhanced ? u"-enhanced.txt"_s : u"-legacy.txt"_s);
        FleetRun run(options);
        QString error;
        if (!run.run(reports[enhanced ? 1 : 0], &error)) {
            std::fprintf(stderr, "bench_fleet: %s\n", qPrintable(error));
            return 1;
        }
        ran[enhanced ? 1 : 0] = true;
        print(reports[enhanced ? 1 : 0].text() + u'\n');
    }
    if (ran[0] && ran[1]) {
        print(comparison(reports[0], reports[1]));
        if (parser.isSet(chartOption)) {
            const QString path = parser.value(chartOption);
            if (!renderFleetChart(reports[0], reports[1], path)) {
                std::fprintf(stderr, "bench_fleet: cannot write %s\n", qPrintable(path));
                return 1;
            }
            print(u"chart: "_s + path + u'\n');
        }
    }
    return 0;
}
