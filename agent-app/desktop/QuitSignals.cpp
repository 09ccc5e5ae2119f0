#include "desktop/QuitSignals.h"

#include <csignal>

#include <QSocketNotifier>

#include <sys/signalfd.h>
#include <unistd.h>

#include "AgentLogging.h"

namespace heartline {

namespace {

sigset_t quitSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

} // namespace

void QuitSignals::block()
{
    const sigset_t set = quitSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

QuitSignals::QuitSignals(QObject *parent) : QObject(parent)
{
    const sigset_t set = quitSignals();
    m_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m_fd < 0) {
        // Without the watcher the blocked signals would be lost: give them their default action back.
        pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
        qCWarning(lcAgentDesktop) << "cannot watch SIGTERM and SIGINT; they end the app without signing off";
        return;
    }
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &QuitSignals::onReadable);
}

QuitSignals::~QuitSignals()
{
    m_notifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

void QuitSignals::onReadable()
{
    signalfd_siginfo info {};
    while (::read(m_fd, &info, sizeof info) == ssize_t(sizeof info)) {
        qCInfo(lcAgentDesktop) << "signal" << int(info.ssi_signo) << "received: quitting";
        Q_EMIT quitRequested(int(info.ssi_signo));
    }
}

} // namespace heartline
