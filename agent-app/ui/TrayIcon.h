#pragma once

#include <QObject>
#include <QSystemTrayIcon>

#include "connection/ServerSession.h"

class QAction;
class QMenu;

namespace heartline {

/// The tray icon: its colour is the agent's status (green available, amber away, grey offline,
/// red when not connected), its menu sets the status, shows the window or quits. Where the desktop
/// has no tray it does nothing and the window stays the way in.
class TrayIcon final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    [[nodiscard]] bool isAvailable() const;
    void setVisible(bool visible);
    /// Updates the icon, the tooltip and which status is ticked.
    void showState(const StatusInfo &status, ConnectionState connection, bool ready);
    /// A desktop notification (incoming call, still running in the tray).
    void notify(const QString &title, const QString &message);
    /// The menu, for tests (offscreen has no tray but the menu works).
    [[nodiscard]] QMenu *menu() const { return m_menu; }
    /// The current icon's name, for tests: "available", "away", "offline" or "disconnected".
    [[nodiscard]] QString iconName() const { return m_iconName; }
    [[nodiscard]] QString toolTip() const { return m_tray.toolTip(); }

Q_SIGNALS:
    void statusRequested(heartline::AgentStatus status, const QString &reason);
    void showRequested();
    void quitRequested();

private:
    QSystemTrayIcon m_tray;
    QMenu *m_menu = nullptr;
    QList<QAction *> m_statusActions;
    QString m_iconName;
};

} // namespace heartline
