#pragma once

#include <QObject>

namespace heartline {

class MainWindow;
class ServerSession;

/// Ends the app when the agent quits (menu, Ctrl+Q, tray, a second start with --quit): tells the
/// server "offline" (ServerSession::signOff, bounded by its timeout), lets the window close, and
/// leaves the event loop with exit code 0. Quitting by other means (the desktop session ending)
/// still tells the server, waiting for it in a short nested loop.
class QuitSequence final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuitSequence)

public:
    QuitSequence(ServerSession &session, MainWindow &window, QObject *parent = nullptr);

    /// Starts quitting; later calls do nothing.
    void start();
    [[nodiscard]] bool isQuitting() const { return m_quitting; }

private:
    void onAboutToQuit();

    ServerSession &m_session;
    MainWindow &m_window;
    bool m_quitting = false;
};

} // namespace heartline
