#include "QuitSequence.h"

#include <QCoreApplication>
#include <QEventLoop>

#include "AgentLogging.h"
#include "connection/ServerSession.h"
#include "ui/MainWindow.h"

namespace heartline {

QuitSequence::QuitSequence(ServerSession &session, MainWindow &window, QObject *parent)
    : QObject(parent), m_session(session), m_window(window)
{
    connect(&m_window, &MainWindow::quitRequested, this, &QuitSequence::start);
    connect(&m_session, &ServerSession::signedOff, this, [this] {
        if (!m_quitting)
            return;
        qCInfo(lcAgentSession) << "signed off; quitting";
        // exit(), not quit(): QGuiApplication::quit() first asks every window to close, and the
        // ring of a call arriving meanwhile must not be able to cancel a quit the agent asked for.
        QCoreApplication::exit(0);
    });
    connect(qApp, &QCoreApplication::aboutToQuit, this, &QuitSequence::onAboutToQuit);
}

void QuitSequence::start()
{
    if (m_quitting)
        return;
    m_quitting = true;
    m_window.allowClose();
    m_window.hide();
    m_session.signOff(); // emits signedOff at once when there is nobody to tell
}

void QuitSequence::onAboutToQuit()
{
    if (m_quitting || m_session.state() == ConnectionState::SignedOut)
        return;
    m_quitting = true;
    m_window.allowClose();
    QEventLoop wait;
    connect(&m_session, &ServerSession::signedOff, &wait, &QEventLoop::quit);
    m_session.signOff();
    if (m_session.isSigningOff())
        wait.exec();
}

} // namespace heartline
