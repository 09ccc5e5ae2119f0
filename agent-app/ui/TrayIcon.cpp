#include "ui/TrayIcon.h"

#include <QActionGroup>
#include <QMenu>

#include "ui/StatusIcons.h"
#include "ui/StatusText.h"

using namespace Qt::StringLiterals;

namespace heartline {

TrayIcon::TrayIcon(QObject *parent) : QObject(parent), m_menu(new QMenu)
{
    auto *group = new QActionGroup(this);
    auto addStatus = [this, group](AgentStatus status, const QString &reason) {
        QAction *action
            = m_menu->addAction(StatusIcons::forStatus(status), StatusText::statusWithReason(status, reason));
        action->setCheckable(true);
        action->setData(QStringList {QString::number(int(status)), reason});
        group->addAction(action);
        m_statusActions.append(action);
        connect(action, &QAction::triggered, this, [this, status, reason] { Q_EMIT statusRequested(status, reason); });
    };
    addStatus(AgentStatus::Available, {});
    for (const QString &reason : StatusText::awayReasons())
        addStatus(AgentStatus::Away, reason);
    addStatus(AgentStatus::Offline, {});
    m_menu->addSeparator();
    connect(m_menu->addAction(tr("Show Heartline")), &QAction::triggered, this, &TrayIcon::showRequested);
    connect(m_menu->addAction(tr("Quit")), &QAction::triggered, this, &TrayIcon::quitRequested);

    m_tray.setContextMenu(m_menu);
    m_tray.setIcon(StatusIcons::forStatus(AgentStatus::Offline));
    m_iconName = u"offline"_s;
    m_tray.setToolTip(tr("Heartline agent"));
    connect(&m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            Q_EMIT showRequested();
    });
}

TrayIcon::~TrayIcon()
{
    m_tray.setContextMenu(nullptr);
    delete m_menu;
}

bool TrayIcon::isAvailable() const
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::setVisible(bool visible)
{
    if (isAvailable())
        m_tray.setVisible(visible);
}

void TrayIcon::showState(const StatusInfo &status, ConnectionState connection, bool ready)
{
    const bool connected = connection == ConnectionState::Live || connection == ConnectionState::HttpOnly;
    const bool signedOut = connection == ConnectionState::SignedOut;
    if (!connected && !signedOut) {
        m_tray.setIcon(StatusIcons::disconnected());
        m_iconName = u"disconnected"_s;
    } else {
        const AgentStatus shown = signedOut ? AgentStatus::Offline : status.status;
        m_tray.setIcon(StatusIcons::forStatus(shown));
        m_iconName = toString(shown);
    }
    QString tip = signedOut ? tr("Heartline: signed out")
                            : tr("Heartline: %1").arg(StatusText::statusWithReason(status.status, status.awayReason));
    if (!signedOut)
        tip += u" · "_s
            + (!connected  ? StatusText::connection(connection, 0)
                   : ready ? tr("ready for calls")
                           : tr("not ready for calls"));
    m_tray.setToolTip(tip);
    for (QAction *action : std::as_const(m_statusActions)) {
        const QStringList data = action->data().toStringList();
        const auto actionStatus = AgentStatus(data.value(0).toInt());
        action->setEnabled(!signedOut);
        action->setChecked(!signedOut && actionStatus == status.status
                           && (actionStatus != AgentStatus::Away || data.value(1) == status.awayReason));
    }
}

void TrayIcon::notify(const QString &title, const QString &message)
{
    if (isAvailable() && m_tray.isVisible())
        m_tray.showMessage(title, message, StatusIcons::app(), 8000);
}

} // namespace heartline
