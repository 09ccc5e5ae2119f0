#pragma once

#include <QString>

#include "desktop/IdleSource.h"

namespace heartline {

/// Asks a desktop service on the session bus for the input idle time, in milliseconds, at each
/// read. The call is synchronous with a short timeout: the compositor answers within a millisecond,
/// and one that does not answer at all has frozen the desktop anyway.
class DBusIdleSource final : public IdleSource
{
public:
    struct Service
    {
        QString name;      ///< bus name
        QString path;      ///< object path
        QString interface; ///< interface of the method
        QString method;    ///< returns the idle time in milliseconds (an unsigned integer)
        QString label;     ///< what name() says
    };

    /// GNOME Shell's compositor (X11 and Wayland sessions): org.gnome.Mutter.IdleMonitor.GetIdletime.
    [[nodiscard]] static Service mutter();
    /// KDE Plasma on X11 and other screensavers: org.freedesktop.ScreenSaver.GetSessionIdleTime.
    [[nodiscard]] static Service freedesktopScreenSaver();

    explicit DBusIdleSource(Service service);

    /// Whether the service answers the method now (a bus name owned by something that does not
    /// implement it answers with an error).
    [[nodiscard]] bool answers();

    [[nodiscard]] std::optional<qint64> idleMs() override;
    [[nodiscard]] QString name() const override { return m_service.label; }

    static constexpr int CallTimeoutMs = 250;

private:
    Service m_service;
};

} // namespace heartline
