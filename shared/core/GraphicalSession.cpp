#include "core/GraphicalSession.h"

using namespace Qt::StringLiterals;

namespace heartline {

QString missingDisplayReason()
{
    const QString platform = qEnvironmentVariable("QT_QPA_PLATFORM");
    const bool hasX11 = !qEnvironmentVariableIsEmpty("DISPLAY");
    const bool hasWayland = !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    // A platform chosen on purpose (offscreen, vnc, eglfs…) needs no display variable; xcb and
    // wayland do.
    if (platform.startsWith(u"xcb"_s))
        return hasX11 ? QString() : u"QT_QPA_PLATFORM is xcb but DISPLAY is not set."_s;
    if (platform.startsWith(u"wayland"_s))
        return hasWayland ? QString() : u"QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set."_s;
    if (!platform.isEmpty() || hasX11 || hasWayland)
        return {};
    return u"there is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from a "
           "desktop session, under a virtual display (xvfb-run -s '-screen 0 1280x800x24' …), or with "
           "QT_QPA_PLATFORM=offscreen to try it without a screen."_s;
}

QString helpTextOf(const QString &helpText, const QString &program)
{
    QString text = helpText;
    text.replace(QStringLiteral("<executable_name>"), program);
    return text;
}

} // namespace heartline
