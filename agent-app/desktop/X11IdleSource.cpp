#include "desktop/X11IdleSource.h"

#include <X11/Xlib.h>
#include <X11/extensions/scrnsaver.h>

namespace heartline {

X11IdleSource::X11IdleSource(const QByteArray &displayName)
{
    Display *display = XOpenDisplay(displayName.isEmpty() ? nullptr : displayName.constData());
    if (!display)
        return;
    int eventBase = 0;
    int errorBase = 0;
    if (!XScreenSaverQueryExtension(display, &eventBase, &errorBase)) {
        XCloseDisplay(display);
        return;
    }
    m_display = display;
    m_info = XScreenSaverAllocInfo();
}

X11IdleSource::~X11IdleSource()
{
    if (m_info)
        XFree(m_info);
    if (m_display)
        XCloseDisplay(static_cast<Display *>(m_display));
}

std::optional<qint64> X11IdleSource::idleMs()
{
    if (!m_display || !m_info)
        return std::nullopt;
    auto *display = static_cast<Display *>(m_display);
    auto *info = static_cast<XScreenSaverInfo *>(m_info);
    if (!XScreenSaverQueryInfo(display, DefaultRootWindow(display), info))
        return std::nullopt;
    return qint64(info->idle);
}

} // namespace heartline
