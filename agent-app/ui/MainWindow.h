#pragma once

#include <QMainWindow>

#include "calls/Ringer.h"
#include "connection/ServerSession.h"

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace heartline {

class AgentController;
class AgentSettings;
class CallPanel;
class DeviceCheckPanel;
class LoginPage;
class ReadinessView;
class StatusSelector;
class StillTherePrompt;
class TrayIcon;

/// The agent's window: the sign-in screen, then the main screen (status menu, connection,
/// readiness with its reasons, the call card, the device check), plus the tray icon and the ring.
/// Closing the window keeps the app in the tray when there is one; quitting asks main() to sign off.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(AgentController &controller, AgentSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] TrayIcon &tray() { return *m_tray; }
    [[nodiscard]] Ringer &ringer() { return m_ringer; }
    /// Shows, raises and focuses the window (second start, tray click, incoming call).
    void bringToFront();
    /// The tabs: "now" (status and call) or "devices" (device check).
    void showTab(const QString &name);
    /// The settings dialog (modal); applies and saves what the agent changed.
    void openSettings();
    /// Signs in at start with a password given on the command line (--password-stdin).
    void signInWith(const QString &password);
    /// The app is quitting: closing the window no longer hides it in the tray or asks to quit.
    void allowClose() { m_closeAllowed = true; }

Q_SIGNALS:
    /// The agent chose Quit (menu, tray, or closing the window without a tray).
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *buildMainPage();
    void buildMenus();
    void onSignInRequested(const QString &serverUrl, const QString &agentId, const QString &password);
    void onStateChanged(ConnectionState state);
    void showServerStatus();
    /// Quit from the menu, the tray or closing the window: asks first while a call rings or is connected.
    void requestQuit();
    void onCallPhase();
    void showNotice(const QString &text);
    void refreshConnection();
    void refreshTray();
    void refreshChecks();
    /// The "Still there?" banner follows the idle watch; the tray tells an agent who is elsewhere.
    void onIdleStage();
    /// The "Still there?" banner as the idle watch stands: its stage and the seconds left.
    void refreshStillThere();

    AgentController &m_controller;
    AgentSettings &m_settings;
    Ringer m_ringer;
    TrayIcon *m_tray = nullptr;
    QStackedWidget *m_stack = nullptr;
    LoginPage *m_login = nullptr;
    QWidget *m_mainPage = nullptr;
    QLabel *m_agentName = nullptr;
    StatusSelector *m_selector = nullptr;
    QLabel *m_connection = nullptr;
    QLabel *m_pendingStatus = nullptr;
    QLabel *m_notice = nullptr;
    StillTherePrompt *m_stillThere = nullptr;
    QTabWidget *m_tabs = nullptr;
    ReadinessView *m_readiness = nullptr;
    CallPanel *m_callPanel = nullptr;
    DeviceCheckPanel *m_checks = nullptr;
    bool m_toldAboutTray = false;
    bool m_closeAllowed = false;
};

} // namespace heartline
