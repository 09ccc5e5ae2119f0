// heartline-server: parse the command line, load configuration, then run an admin command or
// start the server.

#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLocale>
#include <QProcessEnvironment>
#include <QTextStream>

#include <sys/resource.h>

#include "AdminCli.h"
#include "Server.h"
#include "UnixSignals.h"
#include "config/Config.h"
#include "core/Clock.h"
#include "core/EpollEventDispatcher.h"
#include "routing/RoutingPlan.h"

using namespace Qt::StringLiterals;
using namespace heartline;

namespace {

void printLine(FILE *stream, const QString &text)
{
    std::fputs(qPrintable(text + u'\n'), stream);
    std::fflush(stream);
}

/// Configuration that cannot be used: every problem, then where to look; the exit code is 2.
int refuseConfiguration(const QList<Problem> &problems, const QString &whereToLook)
{
    printLine(stderr, u"heartline-server: the configuration is not valid:"_s);
    for (const Problem &problem : problems)
        printLine(stderr, u"  "_s + problem.message);
    printLine(stderr, whereToLook);
    return 2;
}

/// Every connected agent app holds a descriptor (its WebSocket), and a shell's default soft limit is
/// 1,024: the soft limit goes up to the hard one, as far as the hard one allows (systemd's unit sets
/// both with LimitNOFILE). Says so when it changed.
void raiseDescriptorLimit()
{
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
        return; // a hard limit above what the kernel allows (fs.nr_open): the soft one stays
    const QLocale english(QLocale::English);
    printLine(stdout,
              u"heartline-server: open file limit raised from %1 to %2 (each connected agent app holds one)"_s.arg(
                  english.toString(quint64(before)), english.toString(quint64(limit.rlim_cur))));
}

QHash<QString, QString> processEnvironment()
{
    QHash<QString, QString> env;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &name : system.keys())
        env.insert(name, system.value(name));
    return env;
}

} // namespace

int main(int argc, char *argv[])
{
    // The main thread's event loop waits on epoll rather than Qt's poll()-based dispatchers, whose
    // every round costs as much as the sockets open (EpollEventDispatcher). HEARTLINE_QT_EVENT_LOOP=1
    // keeps Qt's own, to rule the dispatcher out when a problem is being looked into.
    if (qEnvironmentVariableIntValue("HEARTLINE_QT_EVENT_LOOP") != 1)
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"heartline-server"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HEARTLINE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Heartline server: agent heartbeats, readiness and Twilio call routing.\n\n"_s
                                     + AdminCli::usage());
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listenOption(u"listen"_s, u"Address and port to listen on (LISTEN_ADDRESS)."_s,
                                          u"ADDR:PORT"_s);
    const QCommandLineOption dbOption(u"db"_s, u"SQLite database file (DATABASE_PATH)."_s, u"PATH"_s);
    const QCommandLineOption certificateOption(
        u"tls-certificate"_s, u"PEM certificate: HTTPS and WSS on the listen address (TLS_CERTIFICATE_FILE)."_s,
        u"FILE"_s);
    const QCommandLineOption keyOption(u"tls-key"_s, u"The certificate's PEM private key (TLS_PRIVATE_KEY_FILE)."_s,
                                       u"FILE"_s);
    const QCommandLineOption configOption(u"config"_s, u"INI configuration file."_s, u"FILE"_s);
    const QCommandLineOption setOption(u"set"_s, u"Set a configuration key, e.g. --set READINESS_THRESHOLD=80."_s,
                                       u"KEY=VALUE"_s);
    const QCommandLineOption helpConfigOption(u"help-config"_s, u"Print every configuration key and exit."_s);
    const QCommandLineOption helpConfigMarkdownOption(u"help-config-markdown"_s,
                                                      u"Print the configuration table as Markdown and exit."_s);
    parser.addOptions({listenOption, dbOption, certificateOption, keyOption, configOption, setOption, helpConfigOption,
                       helpConfigMarkdownOption});
    AdminCli::addOptions(parser);
    parser.process(app);

    if (parser.isSet(helpConfigOption) || parser.isSet(helpConfigMarkdownOption)) {
        printLine(stdout, parser.isSet(helpConfigOption) ? Config::helpText() : Config::helpMarkdown());
        return 0;
    }

    ConfigSources sources;
    sources.environment = processEnvironment();
    sources.iniFile = parser.value(configOption);
    for (const QString &assignment : parser.values(setOption)) {
        const qsizetype equals = assignment.indexOf(u'=');
        if (equals <= 0) {
            printLine(stderr, u"heartline-server: --set %1: expected KEY=VALUE"_s.arg(assignment));
            return 2;
        }
        sources.commandLine.insert(assignment.left(equals), assignment.mid(equals + 1));
    }
    if (parser.isSet(listenOption))
        sources.commandLine.insert(u"LISTEN_ADDRESS"_s, parser.value(listenOption));
    if (parser.isSet(dbOption))
        sources.commandLine.insert(u"DATABASE_PATH"_s, parser.value(dbOption));
    if (parser.isSet(certificateOption))
        sources.commandLine.insert(u"TLS_CERTIFICATE_FILE"_s, parser.value(certificateOption));
    if (parser.isSet(keyOption))
        sources.commandLine.insert(u"TLS_PRIVATE_KEY_FILE"_s, parser.value(keyOption));

    auto config = Config::load(sources);
    if (!config)
        return refuseConfiguration(config.error(),
                                   u"Run heartline-server --help-config for every key and what it accepts."_s);

    SystemClock clock;
    if (!parser.positionalArguments().isEmpty()) {
        QTextStream input(stdin);
        QTextStream output(stdout);
        QTextStream errors(stderr);
        AdminCli cli(std::move(config).value(), clock, input, output, errors);
        return cli.run(parser);
    }

    // The routing file is configuration too: a bad one is refused as a bad key is, before the
    // database is created.
    auto plan = RoutingPlan::load(config.value());
    if (!plan)
        return refuseConfiguration({plan.error()}, u"docs/routing.md describes the routing file."_s);
    raiseDescriptorLimit();
    Server server(std::move(config).value(), std::move(plan).value(), clock);
    if (const auto problem = server.start()) {
        printLine(stderr, u"heartline-server: cannot start: "_s + problem->message);
        return 1;
    }
    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::shutdownRequested, &app, [](int signalNumber) {
        printLine(stdout, u"heartline-server: signal %1 received, shutting down"_s.arg(signalNumber));
        QCoreApplication::quit();
    });
    // SIGHUP (systemctl reload): a renewed certificate is taken without dropping a single agent.
    QObject::connect(&unixSignals, &UnixSignals::reloadRequested, &app, [&server] {
        const auto reloaded = server.reloadTls();
        if (reloaded)
            printLine(stdout, u"heartline-server: TLS certificate reloaded: "_s + reloaded.value());
        else
            printLine(stderr,
                      u"heartline-server: TLS certificate not reloaded, the one in use stays: "_s
                          + reloaded.error().message);
    });
    if (!server.tlsSummary().isEmpty())
        printLine(stdout, u"heartline-server: TLS certificate: "_s + server.tlsSummary());
    if (!server.plainBaseUrl().isEmpty())
        printLine(stdout, u"heartline-server: plain HTTP also on %1"_s.arg(server.plainBaseUrl()));
    // Tests and scripts read this line to learn the port when started with port 0.
    printLine(stdout,
              u"heartline-server %1 listening on %2 (database %3)"_s.arg(
                  QCoreApplication::applicationVersion(), server.baseUrl(),
                  server.config().stringValue(ConfigKey::DatabasePath)));
    return QCoreApplication::exec();
}
