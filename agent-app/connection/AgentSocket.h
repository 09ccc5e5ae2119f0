#pragma once

#include <QObject>
#include <QString>
#include <QUrl>
#include <QWebSocket>

#include "client/ServerTrust.h"
#include "protocol/AgentProtocol.h"

namespace heartline {

/// The /ws/agent channel as typed messages: opens the socket, sends AgentClientMessage values and
/// turns what the server sends into AgentServerMessage values (shared/protocol/AgentProtocol.h).
/// It knows nothing about sessions or retries; ServerSession decides what to do with each event.
class AgentSocket final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentSocket)

public:
    explicit AgentSocket(QObject *parent = nullptr);
    ~AgentSocket() override;

    /// What a wss:// server's certificate is checked against, from the next open() on.
    void setTrust(const ServerTrust &trust) { m_trust = trust; }
    /// Connects to `url` (ws:// or wss://). Any previous connection is dropped first, silently.
    void open(const QUrl &url);
    /// Closes normally; `closed` follows when the socket had opened.
    void close();
    /// Drops the connection at once without signals (sign-out, shutdown).
    void abort();

    void send(const AgentClientMessage &message);
    /// A WebSocket ping: the answer arrives as pongReceived with the round trip.
    void ping();
    [[nodiscard]] bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    /// `http://host:port` (or https) and a path → `ws://host:port/path` (or wss).
    [[nodiscard]] static QUrl webSocketUrl(const QUrl &serverUrl, const QString &path);

Q_SIGNALS:
    /// The upgrade succeeded; send hello now.
    void opened();
    /// The connection could not be made (refused, no route, upgrade refused by a proxy, a
    /// certificate that failed the check: then `reason` says why in a sentence for the agent).
    void failed(const QString &reason);
    /// An open connection ended (server gone, network lost, closed by the server).
    void closed(const QString &reason);
    void messageReceived(const heartline::AgentServerMessage &message);
    /// A message the server sent that this build cannot read (logged; the socket stays).
    void unreadableMessage(const heartline::Problem &problem);
    void pongReceived(double roundTripMs);

private:
    void onDisconnected();

    QWebSocket m_socket;
    ServerTrust m_trust;
    bool m_wasOpen = false;
    bool m_ended = true;   ///< failed or closed was emitted for the current attempt
    bool m_silent = false; ///< set while dropping on purpose: no failed/closed for that
};

} // namespace heartline
