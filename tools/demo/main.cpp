// heartline-demo: simulated agents and callers against a running heartline-server and
// heartline-twilio-sim, with a summary in the terminal. `./run demo` starts all three.

#include <csignal>
#include <cstdio>

#include <sys/socket.h>
#include <unistd.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTextStream>

#include "DemoDriver.h"

using namespace Qt::StringLiterals;
using namespace heartline;

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    // Only what is safe in a signal handler: the event loop reads the pipe.
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"heartline-demo"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HEARTLINE_VERSION));
    // The agents' own warnings (a refused reconnect while the server restarts...) are not news here.
    QLoggingCategory::setFilterRules(u"*.debug=false\nheartline.*.info=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Simulated agents (some of them faulty) and callers against a running heartline-server and "
        "heartline-twilio-sim, with a summary every few seconds. The supervisor password comes from "
        "HEARTLINE_DEMO_SUPERVISOR_PASSWORD."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOption(u"server"_s, u"heartline-server (http://127.0.0.1:8080)."_s, u"URL"_s,
                                          u"http://127.0.0.1:8080"_s);
    const QCommandLineOption simOption(u"sim"_s, u"heartline-twilio-sim (http://127.0.0.1:8090)."_s, u"URL"_s,
                                       u"http://127.0.0.1:8090"_s);
    const QCommandLineOption supervisorOption(u"supervisor"_s, u"Supervisor user id (demo-supervisor)."_s, u"ID"_s,
                                              u"demo-supervisor"_s);
    const QCommandLineOption agentsOption(u"agents"_s, u"Simulated agents agent-0001… (36)."_s, u"N"_s, u"36"_s);
    const QCommandLineOption rateOption(u"calls-per-minute"_s, u"Poisson call rate (8)."_s, u"R"_s, u"8"_s);
    const QCommandLineOption burstEveryOption(u"burst-every"_s, u"Seconds between call bursts, 0 for none (180)."_s,
                                              u"S"_s, u"180"_s);
    const QCommandLineOption burstCallsOption(u"burst-calls"_s, u"Calls in a burst (as many as there are agents)."_s,
                                              u"N"_s);
    const QCommandLineOption faultGapOption(
        u"fault-every"_s, u"Mean seconds between two faults, 0 for none (20); the first comes within 20 s."_s, u"S"_s,
        u"20"_s);
    const QCommandLineOption seedOption(u"seed"_s, u"Random seed (1)."_s, u"SEED"_s, u"1"_s);
    const QCommandLineOption summaryOption(u"summary-every"_s, u"Seconds between two summaries (5)."_s, u"S"_s, u"5"_s);
    const QCommandLineOption durationOption(u"duration"_s, u"Stop after this many seconds (0: at Ctrl+C)."_s, u"S"_s,
                                            u"0"_s);
    parser.addOptions({serverOption, simOption, supervisorOption, agentsOption, rateOption, burstEveryOption,
                       burstCallsOption, faultGapOption, seedOption, summaryOption, durationOption});
    parser.process(app);

    DemoOptions options;
    options.serverUrl = QUrl(parser.value(serverOption));
    options.simUrl = QUrl(parser.value(simOption));
    options.supervisorId = parser.value(supervisorOption);
    options.supervisorPassword = qEnvironmentVariable("HEARTLINE_DEMO_SUPERVISOR_PASSWORD");
    options.agents = parser.value(agentsOption).toInt();
    options.callsPerMinute = parser.value(rateOption).toDouble();
    options.burstEveryMs = parser.value(burstEveryOption).toLongLong() * 1000;
    options.burstCalls = parser.isSet(burstCallsOption) ? parser.value(burstCallsOption).toInt() : -1;
    options.faultGapMs = parser.value(faultGapOption).toLongLong() * 1000;
    options.seed = parser.value(seedOption).toULongLong();
    options.summarySeconds = parser.value(summaryOption).toInt();
    options.durationSeconds = parser.value(durationOption).toInt();
    if (options.agents < 1 || options.agents > 9999 || options.summarySeconds < 1 || options.durationSeconds < 0
        || !options.serverUrl.isValid() || !options.simUrl.isValid()) {
        std::fputs("heartline-demo: check --agents (1-9999), --summary-every, --duration, --server and --sim\n",
                   stderr);
        return 2;
    }

    QTextStream out(stdout);
    DemoDriver driver(options, out);
    int exitCode = 0;
    QObject::connect(&driver, &DemoDriver::failed, &app, [&](const QString &why) {
        std::fprintf(stderr, "heartline-demo: %s\n", qPrintable(why));
        exitCode = 1;
        QCoreApplication::exit(1);
    });
    QObject::connect(&driver, &DemoDriver::finished, &app, [] { QCoreApplication::quit(); });

    // Ctrl+C and TERM stop the demo cleanly: a last line, sockets closed.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&driver, notifier] {
            char byte = 0;
            [[maybe_unused]] const ssize_t got = ::read(signalPipe[0], &byte, 1);
            notifier->setEnabled(false);
            driver.stop();
            QCoreApplication::quit();
        });
    }

    driver.start();
    const int code = QCoreApplication::exec();
    return exitCode != 0 ? exitCode : code;
}
