#pragma once

#include <QByteArray>

#include "desktop/IdleSource.h"

namespace heartline {

/// The X server's own count of the time since the last input on any of its devices (the
/// MIT-SCREEN-SAVER extension, libXss). Right for X11 sessions (Xfce, MATE, Cinnamon, GNOME on
/// Xorg); wrong under Wayland, where XWayland sees only input to X11 windows, so IdleSource does
/// not pick it there. It opens a connection of its own, so it works whatever Qt platform the app
/// runs on (and tests can point it at an Xvfb of their own).
class X11IdleSource final : public IdleSource
{
public:
    /// Connects to the display named (empty: $DISPLAY). Check isOpen() before use.
    explicit X11IdleSource(const QByteArray &displayName = {});
    ~X11IdleSource() override;
    X11IdleSource(const X11IdleSource &) = delete;
    X11IdleSource &operator=(const X11IdleSource &) = delete;

    /// Connected, and the server has the extension.
    [[nodiscard]] bool isOpen() const { return m_display != nullptr; }

    [[nodiscard]] std::optional<qint64> idleMs() override;
    [[nodiscard]] QString name() const override { return QStringLiteral("X11 (MIT-SCREEN-SAVER)"); }

private:
    void *m_display = nullptr; ///< Display*, kept out of the header: Xlib's macros clash with Qt's names
    void *m_info = nullptr;    ///< XScreenSaverInfo*, allocated once
};

} // namespace heartline
