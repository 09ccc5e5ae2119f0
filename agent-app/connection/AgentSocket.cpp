#include "connection/AgentSocket.h"

#include "AgentLogging.h"

using namespace Qt::StringLiterals;

namespace heartline {

AgentSocket::AgentSocket(QObject *parent) : QObject(parent)
{
    m_socket.setMaxAllowedIncomingMessageSize(MaxMessageBytes);
    noteCertificateErrors(&m_socket);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_wasOpen = true;
        Q_EMIT opened();
    });
    connect(&m_socket, &QWebSocket::disconnected, this, &AgentSocket::onDisconnected);
    // A connection that never opens (refused, no route) may end with error() alone, without disconnected().
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (!m_wasOpen)
                    onDisconnected();
            });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        auto parsed = parseAgentServerMessage(text.toUtf8());
        if (!parsed) {
            qCWarning(lcAgentSession).noquote()
                << "unreadable message from the server:" << parsed.error().code << parsed.error().message;
            Q_EMIT unreadableMessage(parsed.error());
            return;
        }
        Q_EMIT messageReceived(parsed.value());
    });
    connect(&m_socket, &QWebSocket::pong, this,
            [this](quint64 elapsedMs, const QByteArray &) { Q_EMIT pongReceived(double(elapsedMs)); });
}

AgentSocket::~AgentSocket()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

QUrl AgentSocket::webSocketUrl(const QUrl &serverUrl, const QString &path)
{
    QUrl url = serverUrl;
    url.setScheme(serverUrl.scheme() == u"https"_s ? u"wss"_s : u"ws"_s);
    QString base = serverUrl.path();
    if (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

void AgentSocket::open(const QUrl &url)
{
    abort();
    m_wasOpen = false;
    m_ended = false;
    qCDebug(lcAgentSession) << "opening" << url;
    m_trust.applyTo(m_socket);
    m_socket.open(url);
}

void AgentSocket::close()
{
    m_socket.close(QWebSocketProtocol::CloseCodeNormal, u"signing off"_s);
}

void AgentSocket::abort()
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return;
    m_silent = true;
    m_socket.abort();
    m_silent = false;
}

void AgentSocket::send(const AgentClientMessage &message)
{
    if (!isOpen())
        return;
    m_socket.sendTextMessage(QString::fromUtf8(serialize(message)));
}

void AgentSocket::ping()
{
    if (isOpen())
        m_socket.ping();
}

void AgentSocket::onDisconnected()
{
    if (m_silent || m_ended)
        return;
    m_ended = true;
    const QString reason = !m_socket.closeReason().isEmpty()      ? m_socket.closeReason()
        : m_socket.error() != QAbstractSocket::UnknownSocketError ? socketErrorText(&m_socket, m_trust)
                                                                  : u"connection closed"_s;
    const bool wasOpen = m_wasOpen;
    m_wasOpen = false;
    if (wasOpen)
        Q_EMIT closed(reason);
    else
        Q_EMIT failed(reason);
}

} // namespace heartline
