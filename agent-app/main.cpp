// heartline-agent: reads the command line and settings, makes sure only one instance runs, builds
// the controller and the window, and signs off (status offline) before quitting.

#include <cstdio>

#include <QApplication>
#include <QTextStream>

#include "AgentController.h"
#include "QuitSequence.h"
#include "client/ServerTrust.h"
#include "core/Clock.h"
#include "core/GraphicalSession.h"
#include "desktop/DesktopSessionWatcher.h"
#include "desktop/IdleSource.h"
#include "desktop/QuitSignals.h"
#include "desktop/SingleInstance.h"
#include "devices/MediaDeviceSource.h"
#include "settings/AgentCommandLine.h"
#include "settings/AgentSettings.h"
#include "ui/MainWindow.h"
#include "ui/Theme.h"
#include "ui/TrayIcon.h"

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // The command line is read before QApplication exists: --help, --version and mistakes print
    // anywhere, even where no display is there to open a window on.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const auto options = heartline::AgentCommandLine::parse(arguments);
    if (!options) {
        std::fprintf(stderr, "heartline-agent: %s\n\n%s", qPrintable(options.error().message),
                     qPrintable(heartline::AgentCommandLine::helpText()));
        return 2;
    }
    if (options->help) {
        std::fputs(qPrintable(heartline::AgentCommandLine::helpText()), stdout);
        return 0;
    }
    if (options->version) {
        std::printf("heartline-agent %s\n", HEARTLINE_VERSION);
        return 0;
    }
    if (const QString why = heartline::missingDisplayReason(); !why.isEmpty() && !options->quit) {
        std::fprintf(stderr, "heartline-agent: cannot open its window: %s\n", qPrintable(why));
        return 1;
    }

    QCoreApplication::setOrganizationName(u"Heartline"_s);
    QCoreApplication::setApplicationName(u"heartline-agent"_s);
    if (options->quit) {
        // Only a message to the running app: no window, so no QApplication.
        QCoreApplication core(argc, argv);
        const heartline::AgentSettings settings(options->configFile);
        if (!heartline::SingleInstance::ask(heartline::SingleInstance::keyFor(settings.location()),
                                            heartline::SingleInstance::Request::Quit)) {
            std::fputs("heartline-agent: not running\n", stderr);
            return 1;
        }
        return 0;
    }

    QString password;
    if (options->passwordFromStdin) {
        // One line, read before any window opens, so a launcher's pipe is all it takes.
        QTextStream in(stdin);
        password = in.readLine();
        if (password.isEmpty()) {
            std::fputs("heartline-agent: --password-stdin read no password from standard input\n", stderr);
            return 2;
        }
    }

    // Before any thread exists (QApplication starts some): SIGTERM and SIGINT are read on the event
    // loop (QuitSignals). Not earlier: Ctrl+C must still end a --password-stdin that waits for input.
    heartline::QuitSignals::block();
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(u"Heartline"_s);
    QApplication::setApplicationVersion(QStringLiteral(HEARTLINE_VERSION));
    QApplication::setDesktopFileName(u"heartline-agent"_s);

    heartline::AgentSettings settings(options->configFile);
    if (options->server)
        settings.setServerUrl(*options->server);
    if (options->agent)
        settings.setAgentId(*options->agent);
    if (options->caFile) {
        // Read here, not with the other options: Qt's TLS backend needs the application object.
        if (const auto trust = heartline::ServerTrust::fromCaFile(*options->caFile); !trust) {
            std::fprintf(stderr, "heartline-agent: --ca-file: %s\n", qPrintable(trust.error().message));
            return 2;
        }
        settings.setServerCaFile(*options->caFile);
    }
    if (options->voiceUrl)
        settings.setVoiceUrl(*options->voiceUrl);
    settings.sync();

    heartline::SingleInstance instance(heartline::SingleInstance::keyFor(settings.location()));
    if (!instance.claim())
        return 0; // the running instance shows its window

    app.setQuitOnLastWindowClosed(false);
    app.setStyleSheet(heartline::agentStyleSheet());

    heartline::SystemClock clock;
    heartline::MediaDeviceSource audio;
    heartline::ServerSession::Options sessionOptions;
    sessionOptions.clientVersion = QStringLiteral(HEARTLINE_VERSION);
    // The softphone, for a server that dials agents over SIP: the agent's chosen devices and ring.
    const auto softphone = [&settings] {
        heartline::SipVoiceEndpoint::Options softphoneOptions = heartline::AgentController::defaultSoftphoneOptions();
        softphoneOptions.devices = settings.audioDevices();
        softphoneOptions.tlsCaFile = settings.voiceCaFile();
        if (!settings.ringSound())
            softphoneOptions.ringFile.clear();
        return std::make_unique<heartline::SipVoiceEndpoint>(softphoneOptions);
    };
    // Keyboard and mouse idle time for "Still there?": the first source this desktop answers.
    const std::unique_ptr<heartline::IdleSource> idle = heartline::IdleSource::forDesktop(clock);
    heartline::AgentController controller({clock, audio, {}, {}, softphone, sessionOptions, idle.get()});
    controller.setAutoAway(settings.autoAway());
    controller.setVoiceUrl(settings.voiceUrl());

    heartline::MainWindow window(controller, settings);
    QObject::connect(&instance, &heartline::SingleInstance::activationRequested, &window,
                     &heartline::MainWindow::bringToFront);

    heartline::DesktopSessionWatcher desktop;
    QObject::connect(&desktop, &heartline::DesktopSessionWatcher::lockedOrSleeping, &controller,
                     &heartline::AgentController::onLockedOrSleeping);
    QObject::connect(&desktop, &heartline::DesktopSessionWatcher::unlockedOrAwake, &controller,
                     &heartline::AgentController::onUnlockedOrAwake);

    // Quitting tells the server "offline" first, then ends the process with exit code 0.
    heartline::QuitSequence quit(controller.session(), window);
    QObject::connect(&instance, &heartline::SingleInstance::quitRequested, &quit, &heartline::QuitSequence::start);
    // SIGTERM or SIGINT (logging out of the desktop, `kill`, Ctrl+C): the same quit, never a silent death.
    heartline::QuitSignals quitSignals;
    QObject::connect(&quitSignals, &heartline::QuitSignals::quitRequested, &quit, &heartline::QuitSequence::start);

    if (options->startStatus) {
        // Sent once the session is up (ServerSession keeps a choice made while connecting).
        QObject::connect(
            &controller.session(), &heartline::ServerSession::signedIn, &controller,
            [&controller, status = *options->startStatus] { controller.session().setStatus(status); },
            Qt::SingleShotConnection);
    }
    if (!(options->minimized && window.tray().isAvailable()))
        window.show();
    if (options->passwordFromStdin)
        window.signInWith(password);
    return app.exec();
}
