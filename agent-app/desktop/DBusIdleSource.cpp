#include "desktop/DBusIdleSource.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QVariant>

#include "AgentLogging.h"

using namespace Qt::StringLiterals;

namespace heartline {

DBusIdleSource::Service DBusIdleSource::mutter()
{
    return {u"org.gnome.Mutter.IdleMonitor"_s, u"/org/gnome/Mutter/IdleMonitor/Core"_s,
            u"org.gnome.Mutter.IdleMonitor"_s, u"GetIdletime"_s, u"GNOME (Mutter IdleMonitor)"_s};
}

DBusIdleSource::Service DBusIdleSource::freedesktopScreenSaver()
{
    return {u"org.freedesktop.ScreenSaver"_s, u"/org/freedesktop/ScreenSaver"_s, u"org.freedesktop.ScreenSaver"_s,
            u"GetSessionIdleTime"_s, u"freedesktop screensaver (GetSessionIdleTime)"_s};
}

DBusIdleSource::DBusIdleSource(Service service) : m_service(std::move(service)) { }

bool DBusIdleSource::answers()
{
    return idleMs().has_value();
}

std::optional<qint64> DBusIdleSource::idleMs()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return std::nullopt;
    const QDBusMessage call
        = QDBusMessage::createMethodCall(m_service.name, m_service.path, m_service.interface, m_service.method);
    const QDBusMessage reply = bus.call(call, QDBus::Block, CallTimeoutMs);
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty()) {
        qCDebug(lcAgentDesktop).noquote() << m_service.label << "did not answer:" << reply.errorMessage();
        return std::nullopt;
    }
    // Mutter answers a uint64 ("t"), the screensaver a uint32 ("u"); anything else is not an idle time.
    bool ok = false;
    const qulonglong ms = reply.arguments().constFirst().toULongLong(&ok);
    if (!ok || ms > qulonglong(1) << 40)
        return std::nullopt;
    return qint64(ms);
}

} // namespace heartline
