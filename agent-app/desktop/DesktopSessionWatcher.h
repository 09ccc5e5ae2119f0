#pragma once

#include <QObject>

namespace heartline {

/// Tells when the computer is about to sleep or the screen is locked, where the desktop reports
/// it: systemd-logind's PrepareForSleep and the session's Lock/Unlock, and the freedesktop
/// screensaver's ActiveChanged, over D-Bus. Without D-Bus (or without those services) it never
/// emits anything, and the server's liveness checks still catch a sleeping laptop.
class DesktopSessionWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopSessionWatcher)

public:
    explicit DesktopSessionWatcher(QObject *parent = nullptr);

    /// True when at least one source of these events was found.
    [[nodiscard]] bool isWatching() const { return m_watching; }

Q_SIGNALS:
    void lockedOrSleeping();
    void unlockedOrAwake();

private Q_SLOTS:
    void onPrepareForSleep(bool sleeping);
    void onLock();
    void onUnlock();
    void onScreenSaverActive(bool active);

private:
    bool m_watching = false;
};

} // namespace heartline
