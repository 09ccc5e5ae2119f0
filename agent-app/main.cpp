// heartline-agent: reads the command line and settings, makes sure only one instance runs, builds
// the controller and the window, and signs off (status offline) before quitting.

#include <cstdio>

#include <QApplication>
#include <QEventLoop>

#include "AgentController.h"
#include "core/Clock.h"
#include "desktop/DesktopSessionWatcher.h"
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
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Heartline"_s);
    QApplication::setApplicationName(u"heartline-agent"_s);
    QApplication::setApplicationDisplayName(u"Heartline"_s);
    QApplication::setApplicationVersion(QStringLiteral(HEARTLINE_VERSION));
    QApplication::setDesktopFileName(u"heartline-agent"_s);

    const auto options = heartline::AgentCommandLine::parse(QApplication::arguments());
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

    heartline::AgentSettings settings(options->configFile);
    if (options->server)
        settings.setServerUrl(*options->server);
    if (options->agent)
        settings.setAgentId(*options->agent);
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
    heartline::AgentController controller({clock, audio, {}, {}, sessionOptions});
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

    // Quitting tells the server "offline" first (ServerSession::signOff waits for its answer, briefly).
    bool quitting = false;
    QObject::connect(&window, &heartline::MainWindow::quitRequested, &app, [&] {
        if (quitting)
            return;
        quitting = true;
        controller.session().signOff();
    });
    QObject::connect(&controller.session(), &heartline::ServerSession::signedOff, &app, &QApplication::quit);
    // Quit by other means (the desktop session ending): still tell the server, waiting briefly.
    QObject::connect(&app, &QApplication::aboutToQuit, &controller, [&] {
        if (quitting || controller.session().state() == heartline::ConnectionState::SignedOut)
            return;
        quitting = true;
        QEventLoop wait;
        QObject::connect(&controller.session(), &heartline::ServerSession::signedOff, &wait, &QEventLoop::quit);
        controller.session().signOff();
        if (controller.session().state() != heartline::ConnectionState::SignedOut)
            wait.exec();
    });

    if (!(options->minimized && window.tray().isAvailable()))
        window.show();
    return app.exec();
}
