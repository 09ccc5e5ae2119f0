#pragma once

#include <memory>

#include <QObject>

class QSocketNotifier;

namespace heartline {

/// SIGTERM and SIGINT (a logout, `systemctl stop`, `kill`, Ctrl+C in a terminal) as a Qt signal, so
/// the app quits the way the menu does: "offline" to the server first, the tray icon removed.
///
/// Linux signalfd: block() masks the two signals before any thread starts (threads inherit the
/// mask, so none of them is killed by the default action), and the watcher reads them from a file
/// descriptor on the event loop, where anything may be done, unlike in a signal handler.
class QuitSignals final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuitSignals)

public:
    /// Call first thing in main(), before QApplication and any thread.
    static void block();

    explicit QuitSignals(QObject *parent = nullptr);
    ~QuitSignals() override;

    /// False where signalfd is not available: the signals then keep their default action.
    [[nodiscard]] bool isWatching() const { return m_fd >= 0; }

Q_SIGNALS:
    void quitRequested(int signalNumber);

private:
    void onReadable();

    int m_fd = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace heartline
