#include "desktop/SingleInstance.h"

#include <QCryptographicHash>
#include <QLocalSocket>

#include "AgentLogging.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {
constexpr QByteArrayView ShowCommand = "show\n";
constexpr QByteArrayView QuitCommand = "quit\n";
constexpr int ConnectTimeoutMs = 500;
} // namespace

SingleInstance::SingleInstance(QString key, QObject *parent) : QObject(parent), m_key(std::move(key))
{
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                const QByteArray command = socket->readAll();
                if (command.startsWith(ShowCommand.toByteArray().trimmed())) {
                    qCInfo(lcAgentDesktop) << "another start asked this window to show";
                    Q_EMIT activationRequested();
                } else if (command.startsWith(QuitCommand.toByteArray().trimmed())) {
                    qCInfo(lcAgentDesktop) << "another start asked this app to quit";
                    Q_EMIT quitRequested();
                }
                socket->disconnectFromServer();
            });
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

QString SingleInstance::keyFor(const QString &settingsLocation)
{
    const QByteArray hash = QCryptographicHash::hash(settingsLocation.toUtf8(), QCryptographicHash::Sha256).toHex();
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = u"user"_s;
    return u"heartline-agent-"_s + user + u'-' + QString::fromLatin1(hash.left(16));
}

bool SingleInstance::ask(const QString &key, Request request)
{
    QLocalSocket probe;
    probe.connectToServer(key);
    if (!probe.waitForConnected(ConnectTimeoutMs))
        return false;
    probe.write((request == Request::Quit ? QuitCommand : ShowCommand).toByteArray());
    probe.waitForBytesWritten(ConnectTimeoutMs);
    probe.disconnectFromServer();
    return true;
}

bool SingleInstance::claim()
{
    if (ask(m_key, Request::Show))
        return false;
    // Nobody answered: a socket file left by a crashed instance must not keep this one out.
    QLocalServer::removeServer(m_key);
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server.listen(m_key)) {
        qCWarning(lcAgentDesktop).noquote() << "single-instance socket unavailable:" << m_server.errorString();
        return true; // better a second window than no window
    }
    return true;
}

} // namespace heartline
