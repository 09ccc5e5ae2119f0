// heartline-supervisor: signs a supervisor in and shows the live dashboard.

#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>

#include "client/ServerTrust.h"
#include "core/Clock.h"
#include "core/GraphicalSession.h"
#include "models/SupervisorSession.h"
#include "ui/LoginDialog.h"
#include "ui/SupervisorWindow.h"

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // The command line is read before QApplication exists: --help, --version and mistakes print
    // anywhere, even where no display is there to open a window on.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Heartline supervisor dashboard: who is ready for calls, and why not."_s);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption server(u"server"_s, u"The Heartline server, e.g. http://heartline:8080."_s, u"url"_s);
    const QCommandLineOption user(u"user"_s, u"Your user ID (filled in on the sign-in screen)."_s, u"id"_s);
    const QCommandLineOption caFile(
        u"ca-file"_s,
        u"Also trust the certificate authorities in this PEM file for an https:// server (a company CA, or a "
        "self-signed server's certificate)."_s,
        u"file"_s);
    parser.addOptions({server, user, caFile});
    if (!parser.parse(arguments) || !parser.positionalArguments().isEmpty()) {
        const QString problem = parser.errorText().isEmpty()
            ? u"unexpected argument \"%1\""_s.arg(parser.positionalArguments().value(0))
            : parser.errorText();
        std::fprintf(stderr, "heartline-supervisor: %s\n\n%s", qPrintable(problem),
                     qPrintable(heartline::helpTextOf(parser.helpText(), u"heartline-supervisor"_s)));
        return 2;
    }
    if (parser.isSet(help)) {
        std::fputs(qPrintable(heartline::helpTextOf(parser.helpText(), u"heartline-supervisor"_s)), stdout);
        return 0;
    }
    if (parser.isSet(version)) {
        std::printf("heartline-supervisor %s\n", HEARTLINE_VERSION);
        return 0;
    }
    if (const QString why = heartline::missingDisplayReason(); !why.isEmpty()) {
        std::fprintf(stderr, "heartline-supervisor: cannot open its window: %s\n", qPrintable(why));
        return 1;
    }

    QApplication app(argc, argv);
    // After the application exists: Qt's TLS backend, which reads the file, needs it.
    auto trust = heartline::ServerTrust::fromCaFile(parser.value(caFile));
    if (!trust) {
        std::fprintf(stderr, "heartline-supervisor: --ca-file: %s\n", qPrintable(trust.error().message));
        return 2;
    }
    trust.value().setTrustAdvice(u"Start the dashboard with --ca-file naming the server's CA file."_s);
    QApplication::setOrganizationName(u"Heartline"_s);
    QApplication::setApplicationName(u"heartline-supervisor"_s);
    QApplication::setApplicationVersion(QStringLiteral(HEARTLINE_VERSION));
    // The launcher (heartline-supervisor.desktop) and its icon, for desktops that match windows to it.
    QApplication::setDesktopFileName(u"heartline-supervisor"_s);

    const heartline::SystemClock clock;
    heartline::SupervisorSession session(clock);
    session.setTrust(*trust);
    heartline::SupervisorWindow window(session);

    const auto signIn = [&] {
        heartline::LoginDialog login(session.api());
        if (parser.isSet(server))
            login.setServerUrl(parser.value(server));
        if (parser.isSet(user))
            login.setUserId(parser.value(user));
        if (login.exec() != QDialog::Accepted)
            return false;
        session.start(login.credentials());
        window.show();
        return true;
    };
    QObject::connect(&window, &heartline::SupervisorWindow::signOutRequested, &app, [&] {
        session.signOut();
        window.hide();
        if (!signIn())
            QApplication::quit();
    });
    if (!signIn())
        return 0;
    return QApplication::exec();
}
