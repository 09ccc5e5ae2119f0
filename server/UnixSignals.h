#pragma once

#include <QObject>

class QSocketNotifier;

namespace heartline {

/// Turns the signals an operator or systemd sends into Qt signals delivered on the event loop
/// (self-pipe trick): SIGINT and SIGTERM so the server flushes what it writes behind and closes
/// sockets cleanly instead of dying mid-write, SIGHUP so it reads its TLS certificate again.
class UnixSignals final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnixSignals)

public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    /// SIGINT or SIGTERM.
    void shutdownRequested(int signalNumber);
    /// SIGHUP (systemctl reload).
    void reloadRequested();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace heartline
