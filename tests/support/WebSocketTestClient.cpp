#include "WebSocketTestClient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSignalSpy>

using namespace Qt::StringLiterals;

namespace heartline::test {

namespace {

QUrl webSocketUrl(const QUrl &httpBaseUrl, const QString &path)
{
    QUrl url = httpBaseUrl;
    url.setScheme(httpBaseUrl.scheme() == u"https" ? u"wss"_s : u"ws"_s);
    url.setPath(path);
    return url;
}

} // namespace

WebSocketTestClient::WebSocketTestClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { m_received.append(QJsonDocument::fromJson(text.toUtf8()).object()); });
}

bool WebSocketTestClient::open(const QUrl &httpBaseUrl, const QString &path, const QByteArray &bearerToken)
{
    QNetworkRequest request(webSocketUrl(httpBaseUrl, path));
    if (!bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearerToken);
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    QSignalSpy disconnected(&m_socket, &QWebSocket::disconnected);
    m_socket.open(request);
    const QDeadlineTimer deadline(10'000);
    while (connected.isEmpty() && disconnected.isEmpty() && !deadline.hasExpired())
        connected.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    return !connected.isEmpty();
}

void WebSocketTestClient::sendJson(const QJsonObject &message)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void WebSocketTestClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void WebSocketTestClient::close()
{
    QSignalSpy disconnected(&m_socket, &QWebSocket::disconnected);
    m_socket.close();
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        disconnected.wait(5000);
}

QJsonObject WebSocketTestClient::next(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QSignalSpy arrived(&m_socket, &QWebSocket::textMessageReceived);
    while (m_taken >= m_received.size() && !deadline.hasExpired() && isConnected())
        arrived.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    if (m_taken >= m_received.size())
        return {};
    return m_received.at(m_taken++);
}

QJsonObject WebSocketTestClient::nextOfType(const QString &type, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const QJsonObject message = next(int(qMax<qint64>(1, deadline.remainingTime())));
        if (message.isEmpty())
            return {};
        if (message.value(u"type"_s).toString() == type)
            return message;
    }
    return {};
}

bool WebSocketTestClient::waitForDisconnected(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy disconnected(&m_socket, &QWebSocket::disconnected);
    return disconnected.wait(timeoutMs) || m_socket.state() == QAbstractSocket::UnconnectedState;
}

bool SilentWebSocketClient::open(const QUrl &httpBaseUrl, const QString &path, const QByteArray &bearerToken)
{
    // Waits spin the event loop (QSignalSpy), never block it: the server may live in this thread.
    QSignalSpy connected(&m_socket, &QTcpSocket::connected);
    m_socket.connectToHost(httpBaseUrl.host(), quint16(httpBaseUrl.port()));
    if (!connected.wait(10'000))
        return false;
    QByteArray nonce(16, Qt::Uninitialized); // the key is 16 random bytes, base64-encoded (RFC 6455 4.1)
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), 4);
    const QByteArray key = nonce.toBase64();
    QByteArray handshake = "GET " + path.toLatin1() + " HTTP/1.1\r\nHost: " + httpBaseUrl.host().toLatin1() + ':'
        + QByteArray::number(httpBaseUrl.port())
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
        + "\r\nSec-WebSocket-Version: 13\r\n";
    if (!bearerToken.isEmpty())
        handshake += "Authorization: Bearer " + bearerToken + "\r\n";
    handshake += "\r\n";
    m_socket.write(handshake);
    // Read the 101 answer, then never read again: pings pile up unanswered.
    QByteArray answer;
    QSignalSpy readable(&m_socket, &QTcpSocket::readyRead);
    const QDeadlineTimer deadline(10'000);
    while (!answer.contains("\r\n\r\n") && !deadline.hasExpired()) {
        if (m_socket.bytesAvailable() == 0)
            readable.wait(int(qMax<qint64>(1, deadline.remainingTime())));
        answer += m_socket.read(1); // byte by byte: stop exactly at the end of the headers
    }
    return answer.startsWith("HTTP/1.1 101");
}

void SilentWebSocketClient::sendText(const QByteArray &text)
{
    QByteArray frame;
    frame.append(char(0x81)); // FIN + text
    const quint32 mask = QRandomGenerator::global()->generate();
    if (text.size() < 126) {
        frame.append(char(0x80 | text.size()));
    } else {
        frame.append(char(0x80 | 126));
        frame.append(char((text.size() >> 8) & 0xff));
        frame.append(char(text.size() & 0xff));
    }
    const char maskBytes[4] = {char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask)};
    frame.append(maskBytes, 4);
    for (qsizetype i = 0; i < text.size(); ++i)
        frame.append(char(text.at(i) ^ maskBytes[i % 4]));
    m_socket.write(frame);
    m_socket.flush();
}

} // namespace heartline::test
