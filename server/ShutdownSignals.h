#pragma once

#include <QObject>

class QSocketNotifier;

namespace heartline {

/// Turns SIGINT and SIGTERM into a Qt signal delivered on the event loop (self-pipe trick), so
/// the server can flush what it writes behind and close sockets cleanly instead of dying mid-write.
class ShutdownSignals final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShutdownSignals)

public:
    explicit ShutdownSignals(QObject *parent = nullptr);
    ~ShutdownSignals() override;

Q_SIGNALS:
    void shutdownRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace heartline
