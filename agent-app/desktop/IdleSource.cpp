#include "desktop/IdleSource.h"

#include "AgentLogging.h"
#include "desktop/AppInputIdleSource.h"
#ifdef HEARTLINE_AGENT_HAS_DBUS
#include "desktop/DBusIdleSource.h"
#endif
#ifdef HEARTLINE_AGENT_HAS_XSS
#include "desktop/X11IdleSource.h"
#endif

namespace heartline {

#ifdef HEARTLINE_AGENT_HAS_XSS
namespace {

/// A Wayland session: the X server there is XWayland, which never sees input to Wayland windows.
bool isWaylandSession()
{
    return qEnvironmentVariable("XDG_SESSION_TYPE") == QLatin1String("wayland")
        || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
}

} // namespace
#endif

std::unique_ptr<IdleSource> IdleSource::forDesktop(const Clock &clock)
{
    std::unique_ptr<IdleSource> chosen;
#ifdef HEARTLINE_AGENT_HAS_DBUS
    // GNOME (Debian 12's default desktop, Wayland or Xorg): the compositor sees every input.
    // Then KDE Plasma and others that implement the screensaver's idle time (Plasma on Wayland
    // refuses it, and is left to the app's own windows).
    for (const DBusIdleSource::Service &service :
         {DBusIdleSource::mutter(), DBusIdleSource::freedesktopScreenSaver()}) {
        auto source = std::make_unique<DBusIdleSource>(service);
        if (source->answers()) {
            chosen = std::move(source);
            break;
        }
    }
#endif
#ifdef HEARTLINE_AGENT_HAS_XSS
    if (!chosen && !isWaylandSession() && qEnvironmentVariableIsSet("DISPLAY")) {
        auto source = std::make_unique<X11IdleSource>();
        if (source->isOpen() && source->idleMs())
            chosen = std::move(source);
    }
#endif
    if (!chosen)
        chosen = std::make_unique<AppInputIdleSource>(clock);
    qCInfo(lcAgentDesktop).noquote() << "input idle time from" << chosen->name()
                                     << (chosen->seesWholeDesktop() ? "" : "(input elsewhere is not seen)");
    return chosen;
}

} // namespace heartline
