// heartline-supervisor: signs a supervisor in and shows the live dashboard.

#include <QApplication>

#include "LoginDialog.h"
#include "SupervisorSession.h"
#include "SupervisorWindow.h"
#include "core/Clock.h"

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Heartline"_s);
    QApplication::setApplicationName(u"heartline-supervisor"_s);
    QApplication::setApplicationVersion(QStringLiteral(HEARTLINE_VERSION));

    const heartline::SystemClock clock;
    heartline::SupervisorSession session(clock);
    heartline::SupervisorWindow window(session);

    const auto signIn = [&session, &window] {
        heartline::LoginDialog login(session.api());
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
