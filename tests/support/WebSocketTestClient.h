#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpSocket>
#include <QUrl>
#include <QWebSocket>

namespace heartline::test {

/// A real QWebSocket client for tests: collects every JSON message the server sends, in order,
/// and waits (with a safety timeout, never as a timing assertion) for the next one of a type.
class WebSocketTestClient final : public QObject
{
    Q_OBJECT

public:
    explicit WebSocketTestClient(QObject *parent = nullptr);

    /// Connects to ws://host:port/path; with a token it goes as Authorization: Bearer on the upgrade.
    bool open(const QUrl &httpBaseUrl, const QString &path, const QByteArray &bearerToken = {});
    void sendJson(const QJsonObject &message);
    void sendText(const QString &text);
    void close();

    /// The next message not yet taken, waiting for it if needed; empty object when none came.
    QJsonObject next(int timeoutMs = 10'000);
    /// The next message of that type, skipping (and dropping) others before it.
    QJsonObject nextOfType(const QString &type, int timeoutMs = 10'000);
    /// Waits until the server closes the connection; false when it stays open.
    bool waitForDisconnected(int timeoutMs = 10'000);

    [[nodiscard]] bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    [[nodiscard]] QWebSocket &socket() { return m_socket; }
    [[nodiscard]] QList<QJsonObject> received() const { return m_received; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_received;
    qsizetype m_taken = 0;
};

/// A WebSocket client that completes the opening handshake over a plain QTcpSocket and then
/// reads nothing and answers nothing: what the server sees of a laptop that went to sleep or a
/// network that silently dropped (a half-open connection).
class SilentWebSocketClient final
{
public:
    bool open(const QUrl &httpBaseUrl, const QString &path, const QByteArray &bearerToken);
    /// Sends one text frame (masked, as a client must).
    void sendText(const QByteArray &text);

private:
    QTcpSocket m_socket;
};

} // namespace heartline::test
