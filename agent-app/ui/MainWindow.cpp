#include "ui/MainWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

#include "AgentController.h"
#include "settings/AgentSettings.h"
#include "ui/CallPanel.h"
#include "ui/DeviceCheckPanel.h"
#include "ui/LoginPage.h"
#include "ui/ReadinessView.h"
#include "ui/SettingsDialog.h"
#include "ui/StatusIcons.h"
#include "ui/StatusSelector.h"
#include "ui/StatusText.h"
#include "ui/StillTherePrompt.h"
#include "ui/TrayIcon.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {
void setTone(QWidget *widget, const QString &tone)
{
    widget->setProperty("tone", tone);
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
}
} // namespace

MainWindow::MainWindow(AgentController &controller, AgentSettings &settings, QWidget *parent)
    : QMainWindow(parent), m_controller(controller), m_settings(settings)
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("Heartline"));
    setWindowIcon(StatusIcons::app());
    resize(600, 580);
    m_ringer.setSoundEnabled(settings.ringSound());
    m_controller.call().setAutoAnswerMs(qint64(settings.autoAnswerSeconds()) * 1000);

    m_stack = new QStackedWidget(this);
    m_login = new LoginPage(m_stack);
    m_login->setServerUrl(settings.serverUrl().toString());
    m_controller.session().setCaFile(settings.serverCaFile());
    m_login->setAgentId(settings.agentId());
    m_stack->addWidget(m_login);
    m_mainPage = buildMainPage();
    m_stack->addWidget(m_mainPage);
    setCentralWidget(m_stack);
    buildMenus();

    m_tray = new TrayIcon(this);
    m_tray->setVisible(true);

    ServerSession &session = controller.session();
    connect(m_login, &LoginPage::signInRequested, this, &MainWindow::onSignInRequested);
    connect(&session, &ServerSession::signInFailed, this, [this](const QString &message) {
        m_login->setBusy(false);
        m_login->showMessage(message);
    });
    connect(&session, &ServerSession::signedIn, this, [this] {
        m_agentName->setText(m_controller.session().agentId());
        m_notice->setVisible(false);
        m_stack->setCurrentWidget(m_mainPage);
        showTab(u"now"_s);
        showServerStatus();
    });
    connect(&session, &ServerSession::signedOut, this, [this](const QString &message) {
        m_ringer.stop();
        m_stack->setCurrentWidget(m_login);
        m_login->reset();
        m_login->showMessage(message);
        if (!message.isEmpty())
            bringToFront();
        refreshTray();
    });
    connect(&session, &ServerSession::stateChanged, this, &MainWindow::onStateChanged);
    connect(&session, &ServerSession::reconnectCountdownChanged, this, &MainWindow::refreshConnection);
    connect(&session, &ServerSession::statusChanged, this, &MainWindow::showServerStatus);
    connect(&session, &ServerSession::statusImposed, this, &MainWindow::showNotice);
    connect(&session, &ServerSession::readinessChanged, this, [this](const ReadinessResult &readiness) {
        m_readiness->showReadiness(readiness);
        refreshTray();
    });
    connect(&controller, &AgentController::checksChanged, this, &MainWindow::refreshChecks);
    connect(&controller.call(), &CallSession::phaseChanged, this, &MainWindow::onCallPhase);
    IdleWatch &idle = controller.idleWatch();
    connect(&idle, &IdleWatch::stageChanged, this, &MainWindow::onIdleStage);
    connect(&idle, &IdleWatch::countdownChanged, this, &MainWindow::refreshStillThere);
    connect(m_stillThere, &StillTherePrompt::confirmed, &idle, &IdleWatch::confirmPresent);

    // A choice is a request: the selector and the tray keep showing the server's status until the
    // server takes it (a line beside the selector says what is on its way).
    auto request = [this](AgentStatus status, const QString &reason) {
        m_notice->setVisible(false);
        m_controller.session().setStatus(status, reason);
        showServerStatus();
    };
    connect(m_selector, &StatusSelector::statusRequested, this, request);
    connect(m_tray, &TrayIcon::statusRequested, this, request);
    connect(m_tray, &TrayIcon::showRequested, this, &MainWindow::bringToFront);
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::requestQuit);

    m_stack->setCurrentWidget(m_login);
    m_login->reset();
    refreshConnection();
    refreshChecks();
    showServerStatus();
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::buildMainPage()
{
    auto *page = new QWidget(m_stack);
    page->setObjectName(u"mainPage"_s);

    auto *header = new QWidget(page);
    header->setObjectName(u"header"_s);
    m_agentName = new QLabel(header);
    m_agentName->setObjectName(u"agentName"_s);
    m_selector = new StatusSelector(header);
    m_connection = new QLabel(header);
    m_connection->setObjectName(u"connectionLabel"_s);
    m_pendingStatus = new QLabel(header);
    m_pendingStatus->setObjectName(u"pendingStatus"_s);
    m_pendingStatus->setVisible(false);
    auto *headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(18, 12, 18, 12);
    headerLayout->addWidget(m_agentName);
    headerLayout->addStretch(1);
    headerLayout->addWidget(m_connection);
    headerLayout->addSpacing(8);
    headerLayout->addWidget(m_pendingStatus);
    headerLayout->addWidget(m_selector);

    m_notice = new QLabel(page);
    m_notice->setObjectName(u"notice"_s);
    m_notice->setWordWrap(true);
    m_notice->setVisible(false);
    m_stillThere = new StillTherePrompt(page);

    m_tabs = new QTabWidget(page);
    m_tabs->setObjectName(u"tabs"_s);
    m_tabs->setDocumentMode(true);
    auto *now = new QWidget(m_tabs);
    now->setObjectName(u"nowTab"_s);
    m_callPanel = new CallPanel(m_controller.call(), now);
    m_readiness = new ReadinessView(now);
    auto *nowLayout = new QVBoxLayout(now);
    nowLayout->setContentsMargins(0, 12, 0, 0);
    nowLayout->setSpacing(12);
    nowLayout->addWidget(m_callPanel);
    nowLayout->addWidget(m_readiness);
    nowLayout->addStretch(1);
    m_checks = new DeviceCheckPanel(m_tabs);
    auto *devicesTab = new QWidget(m_tabs);
    devicesTab->setObjectName(u"devicesTab"_s);
    auto *devicesLayout = new QVBoxLayout(devicesTab);
    devicesLayout->setContentsMargins(0, 12, 0, 0);
    devicesLayout->addWidget(m_checks);
    devicesLayout->addStretch(1);
    m_tabs->addTab(now, tr("Now"));
    m_tabs->addTab(devicesTab, tr("Device check"));

    auto *body = new QVBoxLayout;
    body->setContentsMargins(18, 12, 18, 18);
    body->setSpacing(10);
    body->addWidget(m_stillThere);
    body->addWidget(m_notice);
    body->addWidget(m_tabs, 1);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(header);
    layout->addLayout(body, 1);
    return page;
}

void MainWindow::buildMenus()
{
    QMenu *agent = menuBar()->addMenu(tr("&Agent"));
    QAction *settings = agent->addAction(tr("&Settings…"));
    connect(settings, &QAction::triggered, this, &MainWindow::openSettings);
    QAction *check = agent->addAction(tr("&Device check"));
    connect(check, &QAction::triggered, this, [this] { showTab(u"devices"_s); });
    agent->addSeparator();
    QAction *signOut = agent->addAction(tr("Sign &out"));
    signOut->setObjectName(u"signOutAction"_s);
    connect(signOut, &QAction::triggered, &m_controller, &AgentController::signOut);
    QAction *quit = agent->addAction(tr("&Quit"));
    quit->setObjectName(u"quitAction"_s);
    // Spelled out: QKeySequence::Quit is empty where the platform theme has no key bindings
    // (a bare X server, offscreen), and Ctrl+Q is what every Linux desktop uses.
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    connect(quit, &QAction::triggered, this, &MainWindow::requestQuit);
}

void MainWindow::showTab(const QString &name)
{
    m_tabs->setCurrentIndex(name == u"devices"_s ? 1 : 0);
}

void MainWindow::signInWith(const QString &password)
{
    m_login->signInWith(password);
}

void MainWindow::onSignInRequested(const QString &serverUrl, const QString &agentId, const QString &password)
{
    const QUrl url(serverUrl);
    m_settings.setServerUrl(url);
    m_settings.setAgentId(agentId);
    m_settings.sync();
    m_controller.signIn(url, agentId, password);
}

void MainWindow::onStateChanged(ConnectionState state)
{
    if (state == ConnectionState::Reconnecting || state == ConnectionState::Connecting) {
        if (state == ConnectionState::Connecting)
            m_readiness->showUnknown(tr("Connecting…"), tr("Your readiness shows once the server answers."));
        else if (const QString problem = m_controller.session().certificateProblem(); !problem.isEmpty())
            m_readiness->showUnknown(tr("Calls cannot reach you"), problem);
        else
            m_readiness->showUnknown(tr("Calls cannot reach you"),
                                     tr("The server cannot be reached right now. The app keeps trying."));
    }
    showServerStatus();
    refreshConnection();
}

void MainWindow::showServerStatus()
{
    const ServerSession &session = m_controller.session();
    const StatusInfo &status = session.status();
    m_selector->showStatus(status.status, status.awayReason);
    const bool signedIn = session.state() != ConnectionState::SignedOut;
    const bool pending = signedIn
        && (session.chosenStatus() != status.status
            || (status.status == AgentStatus::Away && session.chosenAwayReason() != status.awayReason));
    if (pending) {
        const QString chosen = StatusText::statusWithReason(session.chosenStatus(), session.chosenAwayReason());
        const bool connected = session.state() == ConnectionState::Live || session.state() == ConnectionState::HttpOnly;
        m_pendingStatus->setText(connected ? tr("Changing to %1…").arg(chosen) : tr("%1 once connected").arg(chosen));
    }
    m_pendingStatus->setVisible(pending);
    refreshTray();
}

void MainWindow::showNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

void MainWindow::refreshConnection()
{
    const ServerSession &session = m_controller.session();
    m_connection->setText(StatusText::connection(session.state(), session.reconnectInSeconds()));
    switch (session.state()) {
    case ConnectionState::Live:
        setTone(m_connection, u"good"_s);
        break;
    case ConnectionState::HttpOnly:
        setTone(m_connection, u"warn"_s);
        break;
    case ConnectionState::Reconnecting:
        setTone(m_connection, u"bad"_s);
        break;
    default:
        setTone(m_connection, u"neutral"_s);
        break;
    }
    m_connection->setToolTip(session.state() == ConnectionState::HttpOnly
                                 ? tr("Your network blocks live updates; heartbeats go as separate HTTP requests.")
                                 : QString());
}

void MainWindow::refreshTray()
{
    const ServerSession &session = m_controller.session();
    const bool callsCanRing = m_controller.voice().registration() == VoiceRegistration::Registered;
    m_tray->showState(session.status(), session.state(),
                      session.hasReadiness() && session.readiness().ready && callsCanRing);
    setWindowIcon(session.state() == ConnectionState::SignedOut ? StatusIcons::app()
                                                                : StatusIcons::forStatus(session.status().status));
}

void MainWindow::refreshChecks()
{
    const QList<CheckItem> checks = m_controller.checks();
    m_checks->showChecks(checks);
    // The tab shows at a glance whether something needs fixing.
    CheckState worst = CheckState::Pass;
    for (const CheckItem &check : checks) {
        if (check.state == CheckState::Fail)
            worst = CheckState::Fail;
        else if (check.state == CheckState::Warn && worst != CheckState::Fail)
            worst = CheckState::Warn;
    }
    m_tabs->setTabIcon(1, StatusIcons::forCheck(worst));
    m_readiness->setCallsCanRing(m_controller.voice().registration() == VoiceRegistration::Registered);
    refreshConnection();
}

void MainWindow::onCallPhase()
{
    const CallSession &call = m_controller.call();
    if (call.phase() == CallPhase::Ringing) {
        // A softphone rings on the ringer device the agent chose; the app's own ring is for the rest.
        if (!m_controller.voice().ringsItself())
            m_ringer.start();
        showTab(u"now"_s);
        bringToFront();
        const QString from = call.details().from.isEmpty() ? tr("an unknown caller") : call.details().from;
        m_tray->notify(tr("Incoming call"), tr("Call from %1").arg(from));
    } else {
        m_ringer.stop();
    }
}

void MainWindow::refreshStillThere()
{
    const IdleWatch &watch = m_controller.idleWatch();
    m_stillThere->showStage(watch.stage(), watch.secondsLeft(), watch.promptSeconds());
}

void MainWindow::onIdleStage()
{
    refreshStillThere();
    const IdleWatch &watch = m_controller.idleWatch();
    if (watch.stage() == IdleStage::Asking) {
        // Shown where the agent looks, without stealing the keyboard from what they may be typing.
        showTab(u"now"_s);
        m_tray->notify(tr("Still there?"),
                       tr("Calls stop coming to you in %n s. Move the mouse or press a key to "
                          "keep them coming.",
                          nullptr, watch.secondsLeft()));
    }
}

void MainWindow::bringToFront()
{
    show();
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    raise();
    activateWindow();
}

void MainWindow::openSettings()
{
    SettingsDialog::Values values;
    values.serverUrl = m_settings.serverUrl();
    values.caFile = m_settings.serverCaFile();
    values.voiceUrl = m_controller.voiceUrl();
    values.ringSound = m_settings.ringSound();
    values.closeToTray = m_settings.closeToTray();
    values.autoAway = m_settings.autoAway();
    values.autoAnswerSeconds = m_settings.autoAnswerSeconds();
    values.audioDevices = m_settings.audioDevices();
    if (SipVoiceEndpoint *softphone = m_controller.sipVoice())
        values.availableDevices = softphone->audioDevices();
    SettingsDialog dialog(values, m_settings.location(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const SettingsDialog::Values chosen = dialog.values();
    m_settings.setServerUrl(chosen.serverUrl);
    m_settings.setServerCaFile(chosen.caFile);
    m_settings.setVoiceUrl(chosen.voiceUrl);
    m_settings.setRingSound(chosen.ringSound);
    m_settings.setCloseToTray(chosen.closeToTray);
    m_settings.setAutoAway(chosen.autoAway);
    m_settings.setAutoAnswerSeconds(chosen.autoAnswerSeconds);
    if (!values.availableDevices.isEmpty())
        m_settings.setAudioDevices(chosen.audioDevices);
    m_settings.sync();
    m_controller.call().setAutoAnswerMs(qint64(chosen.autoAnswerSeconds) * 1000);
    if (SipVoiceEndpoint *softphone = m_controller.sipVoice()) {
        softphone->selectDevices(chosen.audioDevices);
        softphone->setRingFile(chosen.ringSound ? AgentController::defaultSoftphoneOptions().ringFile : QString());
    }
    m_login->setServerUrl(chosen.serverUrl.toString());
    m_controller.session().setCaFile(chosen.caFile); // read at the next sign-in
    m_ringer.setSoundEnabled(chosen.ringSound);
    m_controller.setAutoAway(chosen.autoAway);
    m_controller.setVoiceUrl(chosen.voiceUrl);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_closeAllowed) {
        event->accept();
        return;
    }
    const bool signedIn = m_controller.session().state() != ConnectionState::SignedOut;
    if (signedIn && m_settings.closeToTray() && m_tray->isAvailable()) {
        hide();
        event->ignore();
        if (!m_toldAboutTray) {
            m_toldAboutTray = true;
            m_tray->notify(tr("Heartline is still running"),
                           tr("Calls still ring here. Choose Quit in the tray menu to sign off."));
        }
        return;
    }
    event->ignore();
    requestQuit();
}

void MainWindow::requestQuit()
{
    const CallPhase phase = m_controller.call().phase();
    if (phase == CallPhase::Ringing || phase == CallPhase::Answering || phase == CallPhase::Connected) {
        // Quitting ends the call with the app: a slip of Ctrl+Q must not drop a caller.
        QMessageBox question(QMessageBox::Question, tr("Quit Heartline?"),
                             phase == CallPhase::Ringing ? tr("A call is ringing for you. Quitting declines it.")
                                                         : tr("You are on a call. Quitting ends it."),
                             QMessageBox::NoButton, this);
        question.setObjectName(u"quitDuringCallQuestion"_s);
        QPushButton *quit = question.addButton(tr("Quit"), QMessageBox::DestructiveRole);
        quit->setObjectName(u"quitAnyway"_s);
        QPushButton *stay = question.addButton(tr("Keep working"), QMessageBox::RejectRole);
        stay->setObjectName(u"keepWorking"_s);
        question.setDefaultButton(stay);
        question.exec();
        if (question.clickedButton() != quit)
            return;
    }
    Q_EMIT quitRequested();
}

} // namespace heartline
