#include "desktop/DesktopSessionWatcher.h"

#include "AgentLogging.h"

#ifdef HEARTLINE_AGENT_HAS_DBUS
#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusInterface>
#include <QDBusObjectPath>
#include <QDBusReply>
#endif

using namespace Qt::StringLiterals;

namespace heartline {

DesktopSessionWatcher::DesktopSessionWatcher(QObject *parent) : QObject(parent)
{
#ifdef HEARTLINE_AGENT_HAS_DBUS
    const QString login1 = u"org.freedesktop.login1"_s;
    QDBusConnection system = QDBusConnection::systemBus();
    if (system.isConnected() && system.interface() && system.interface()->isServiceRegistered(login1).value()) {
        m_watching |= system.connect(login1, u"/org/freedesktop/login1"_s, u"org.freedesktop.login1.Manager"_s,
                                     u"PrepareForSleep"_s, this, SLOT(onPrepareForSleep(bool)));
        QDBusInterface manager(login1, u"/org/freedesktop/login1"_s, u"org.freedesktop.login1.Manager"_s, system);
        const QDBusReply<QDBusObjectPath> session
            = manager.call(u"GetSessionByPID"_s, quint32(QCoreApplication::applicationPid()));
        if (session.isValid()) {
            const QString path = session.value().path();
            m_watching
                |= system.connect(login1, path, u"org.freedesktop.login1.Session"_s, u"Lock"_s, this, SLOT(onLock()));
            m_watching |= system.connect(login1, path, u"org.freedesktop.login1.Session"_s, u"Unlock"_s, this,
                                         SLOT(onUnlock()));
        }
    }
    QDBusConnection sessionBus = QDBusConnection::sessionBus();
    if (sessionBus.isConnected()) {
        m_watching |= sessionBus.connect(u"org.freedesktop.ScreenSaver"_s, u"/org/freedesktop/ScreenSaver"_s,
                                         u"org.freedesktop.ScreenSaver"_s, u"ActiveChanged"_s, this,
                                         SLOT(onScreenSaverActive(bool)));
    }
#endif
    qCInfo(lcAgentDesktop) << (m_watching ? "watching for sleep and screen lock"
                                          : "sleep and screen lock not reported here");
}

void DesktopSessionWatcher::onPrepareForSleep(bool sleeping)
{
    if (sleeping)
        Q_EMIT lockedOrSleeping();
    else
        Q_EMIT unlockedOrAwake();
}

void DesktopSessionWatcher::onLock()
{
    Q_EMIT lockedOrSleeping();
}

void DesktopSessionWatcher::onUnlock()
{
    Q_EMIT unlockedOrAwake();
}

void DesktopSessionWatcher::onScreenSaverActive(bool active)
{
    if (active)
        Q_EMIT lockedOrSleeping();
    else
        Q_EMIT unlockedOrAwake();
}

} // namespace heartline
