// heartline-twilio-sim: run the Twilio stand-in, or (with a subcommand) control a running one.

#include <csignal>
#include <cstdio>

#include <sys/socket.h>
#include <unistd.h>

#include <QFileInfo>
#include <QSocketNotifier>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include "CallEngine.h"
#include "SimCli.h"
#include "SimScheduler.h"
#include "TwilioSim.h"
#include "core/Clock.h"
#include "core/HostPort.h"
#include "sip/SimSipSide.h"

using namespace Qt::StringLiterals;
using namespace heartline;

namespace {

void printLine(FILE *stream, const QString &text)
{
    std::fputs(qPrintable(text + u'\n'), stream);
    std::fflush(stream);
}

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
}

/// INT and TERM quit the event loop (self-pipe), so that the SIP side stops Kamailio and removes
/// its temporary folder (recordings, credentials) rather than leave them behind.
void quitOnSignals(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [notifier] {
        char byte = 0;
        [[maybe_unused]] const ssize_t got = ::read(signalPipe[0], &byte, 1);
        notifier->setEnabled(false);
        QCoreApplication::quit();
    });
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"heartline-twilio-sim"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HEARTLINE_VERSION));

    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() > 1 && simCli::isCommand(arguments.at(1))) {
        QTextStream out(stdout);
        QTextStream err(stderr);
        return simCli::run(arguments, out, err);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A Twilio stand-in: places calls, follows TwiML, rings voice clients and serves Twilio's REST subset.\n"
        "Subcommands for a running stand-in: call, hangup, calls, events, queues (see docs/twilio-sim.md)."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listenOption(u"listen"_s, u"Address and port (port 0 picks one)."_s, u"ADDR:PORT"_s,
                                          u"127.0.0.1:8090"_s);
    const QCommandLineOption accountOption(u"account-sid"_s, u"The Account SID served (AC + 32 hex)."_s, u"SID"_s);
    const QCommandLineOption tokenOption(u"auth-token"_s, u"REST password and webhook signing key."_s, u"TOKEN"_s);
    const QCommandLineOption voiceOption(u"voice-url"_s, u"The voice webhook requested for each inbound call."_s,
                                         u"URL"_s);
    const QCommandLineOption callbackOption(u"status-callback"_s, u"Status callbacks of inbound calls."_s, u"URL"_s);
    const QCommandLineOption keySidOption(u"api-key-sid"_s, u"API key SID (SK…) accepted for REST and tokens."_s,
                                          u"SID"_s);
    const QCommandLineOption keySecretOption(
        u"api-key-secret"_s, u"API key secret: voice clients must register with tokens it signed."_s, u"SECRET"_s);
    const QCommandLineOption sayOption(u"say-ms-per-char"_s, u"Simulated <Say> time per character (60)."_s, u"MS"_s);
    const QCommandLineOption playOption(u"play-ms"_s, u"Simulated length of one <Play> (10000)."_s, u"MS"_s);
    const QCommandLineOption webhookTimeoutOption(u"webhook-timeout-ms"_s, u"Webhook answer time limit (15000)."_s,
                                                  u"MS"_s);
    const QCommandLineOption caFileOption(
        u"ca-file"_s, u"Also trust these PEM authorities for https:// webhooks (a test CA, a self-signed server)."_s,
        u"FILE"_s);
    const QCommandLineOption verboseOption(u"verbose"_s, u"Print every call event."_s);
    const QCommandLineOption sipDomainOption(
        u"sip-domain"_s, u"Play Twilio's SIP side for this SIP domain: registrations and <Dial><Sip> (Kamailio)."_s,
        u"DOMAIN"_s);
    const QCommandLineOption sipListenOption(
        u"sip-listen"_s, u"SIP address and port, UDP and TCP (port 0 picks one)."_s, u"ADDR:PORT"_s, u"127.0.0.1:0"_s);
    const QCommandLineOption sipCertOption(u"sip-tls-cert"_s, u"PEM certificate: SIP over TLS too."_s, u"FILE"_s);
    const QCommandLineOption sipKeyOption(u"sip-tls-key"_s, u"The certificate's PEM private key."_s, u"FILE"_s);
    const QCommandLineOption sipTlsPortOption(u"sip-tls-port"_s, u"SIP over TLS on this port (0 picks one)."_s,
                                              u"PORT"_s, u"0"_s);
    const QCommandLineOption sipTlsHostOption(u"sip-tls-host"_s, u"The DNS name in the certificate (localhost)."_s,
                                              u"NAME"_s, u"localhost"_s);
    const QCommandLineOption sipAudioOption(u"sip-caller-audio"_s, u"16-bit WAV the callers say on SIP legs."_s,
                                            u"FILE"_s);
    parser.addOptions({listenOption, accountOption, tokenOption, voiceOption, callbackOption, keySidOption,
                       keySecretOption, sayOption, playOption, webhookTimeoutOption, caFileOption, verboseOption,
                       sipDomainOption, sipListenOption, sipCertOption, sipKeyOption, sipTlsPortOption,
                       sipTlsHostOption, sipAudioOption});
    parser.process(app);

    SimOptions options;
    options.accountSid = parser.value(accountOption);
    options.authToken = parser.value(tokenOption);
    options.voiceUrl = parser.value(voiceOption);
    options.statusCallbackUrl = parser.value(callbackOption);
    options.apiKeySid = parser.value(keySidOption);
    options.apiKeySecret = parser.value(keySecretOption);
    const auto readMs = [&](const QCommandLineOption &option, qint64 &target) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const qint64 value = parser.value(option).toLongLong(&ok);
        if (!ok || value < 0) {
            printLine(stderr,
                      u"heartline-twilio-sim: --%1 must be a number of milliseconds"_s.arg(option.names().first()));
            return false;
        }
        target = value;
        return true;
    };
    if (!readMs(sayOption, options.sayMsPerCharacter) || !readMs(playOption, options.playDurationMs)
        || !readMs(webhookTimeoutOption, options.webhookTimeoutMs))
        return 2;
    auto trust = ServerTrust::fromCaFile(parser.value(caFileOption));
    if (!trust) {
        printLine(stderr, u"heartline-twilio-sim: --ca-file: "_s + trust.error().message);
        return 2;
    }
    trust.value().setTrustAdvice(u"Give the stand-in the server's CA file with --ca-file."_s);
    options.webhookTrust = *trust;
    if (const std::optional<Problem> problem = TwilioSim::validate(options)) {
        printLine(stderr, u"heartline-twilio-sim: "_s + problem->message);
        return 2;
    }
    const std::optional<HostPort> listen = parseHostPort(parser.value(listenOption));
    if (!listen) {
        printLine(stderr, u"heartline-twilio-sim: --listen must be ADDR:PORT, e.g. 127.0.0.1:8090"_s);
        return 2;
    }

    std::optional<SipDomainOptions> sipOptions;
    if (parser.isSet(sipDomainOption)) {
        SipDomainOptions sip;
        sip.domain = parser.value(sipDomainOption);
        const std::optional<HostPort> sipListen = parseHostPort(parser.value(sipListenOption));
        bool portOk = false;
        const uint tlsPort = parser.value(sipTlsPortOption).toUInt(&portOk);
        if (!sipListen || !portOk || tlsPort > 65535) {
            printLine(stderr, u"heartline-twilio-sim: --sip-listen must be ADDR:PORT and --sip-tls-port a port"_s);
            return 2;
        }
        if (parser.isSet(sipCertOption) != parser.isSet(sipKeyOption)) {
            printLine(stderr, u"heartline-twilio-sim: --sip-tls-cert and --sip-tls-key go together"_s);
            return 2;
        }
        sip.address = sipListen->address;
        sip.port = sipListen->port;
        sip.tlsCertificateFile = parser.value(sipCertOption);
        sip.tlsPrivateKeyFile = parser.value(sipKeyOption);
        sip.tlsPort = static_cast<quint16>(tlsPort);
        sip.tlsHostName = parser.value(sipTlsHostOption);
        sip.callerAudioFile = parser.value(sipAudioOption);
        // The sentence the build spoke, else the one an install put beside the executable
        // (PREFIX/share/heartline, e.g. from the heartline-twilio-sim package).
        const QString installedWav
            = QCoreApplication::applicationDirPath() + u"/../share/heartline/caller-sentence.wav"_s;
        for (const QString &wav : {QStringLiteral(HEARTLINE_CALLER_WAV), installedWav}) {
            if (sip.callerAudioFile.isEmpty() && !wav.isEmpty() && QFileInfo::exists(wav))
                sip.callerAudioFile = QFileInfo(wav).canonicalFilePath();
        }
        sipOptions = sip;
    }

    SystemClock clock;
    SimScheduler scheduler(static_cast<const Clock &>(clock));
    TwilioSim sim(options, scheduler);
    QString error;
    if (!sim.listen(listen->address, listen->port, &error)) {
        printLine(stderr, u"heartline-twilio-sim: "_s + error);
        return 1;
    }
    if (parser.isSet(verboseOption)) {
        QObject::connect(&sim.engine(), &CallEngine::eventLogged, &app, [](const QString &sid, const CallEvent &event) {
            printLine(stdout, u"%1 %2 %3"_s.arg(sid, event.kind, event.detail));
        });
    }
    // Tests and scripts read this line to learn the port when started with port 0.
    printLine(stdout, u"heartline-twilio-sim listening on "_s + sim.baseUrl().toString());
    if (sipOptions) {
        QObject::connect(&sim, &TwilioSim::sipDomainStarted, &app, [&sim](const QString &address) {
            // Like the HTTP line: scripts read the SIP address from here when started with port 0.
            printLine(stdout,
                      u"heartline-twilio-sim SIP domain %1 on %2"_s.arg(sim.sipSide()->options().domain, address));
            if (const QString tls = sim.sipSide()->tlsAddress(); !tls.isEmpty())
                printLine(
                    stdout,
                    u"heartline-twilio-sim SIP domain %1 over TLS on %2"_s.arg(sim.sipSide()->options().domain, tls));
        });
        QObject::connect(&sim, &TwilioSim::sipDomainFailed, &app, [](const QString &reason) {
            printLine(stderr, u"heartline-twilio-sim: "_s + reason);
            QCoreApplication::exit(1);
        });
        quitOnSignals(app);
        sim.startSipDomain(*sipOptions);
    }
    return QCoreApplication::exec();
}
