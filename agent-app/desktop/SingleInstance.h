#pragma once

#include <QLocalServer>
#include <QObject>
#include <QString>

namespace heartline {

/// One agent app per user (and settings file): a second start hands over to the first, which
/// shows its window, and exits. Two windows would fight over the agent's one /ws/agent session.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    /// `key` names the local socket; keyFor() makes one per user and settings file.
    explicit SingleInstance(QString key, QObject *parent = nullptr);

    /// What a later start asks of the running instance.
    enum class Request { Show, Quit };

    /// True when this is the only instance (it now listens for later ones). False when another
    /// instance answered: it has been asked to show itself, and this one should exit.
    [[nodiscard]] bool claim();
    /// Sends `request` to the instance running under `key`; false when none answers.
    [[nodiscard]] static bool ask(const QString &key, Request request);

    [[nodiscard]] static QString keyFor(const QString &settingsLocation);

Q_SIGNALS:
    /// A later start asked this instance to show its window.
    void activationRequested();
    /// A later start (--quit) asked this instance to quit.
    void quitRequested();

private:
    QString m_key;
    QLocalServer m_server;
};

} // namespace heartline
