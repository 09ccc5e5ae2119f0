#pragma once

#include <memory>
#include <optional>

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>
#include <QSslConfiguration>

#include "http/Router.h"

class QHttpServerResponse;
class QSslServer;
class QTcpServer;

namespace heartline {

/// The one place that touches QHttpServer's listen(), afterRequest() and setMissingHandler(), all
/// of which changed after Qt 6.4 (6.8 binds a QTcpServer instead). Routes are added through
/// router(), which also answers unmatched requests (404 / 405 as JSON).
class HttpServerHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServerHost)

public:
    explicit HttpServerHost(QObject *parent = nullptr);

    [[nodiscard]] QHttpServer &http() { return m_http; }
    [[nodiscard]] Router &router() { return m_router; }

    /// Listens on address:port (port 0 picks a free one): plain HTTP (and ws://). Returns false
    /// and fills errorText when the address cannot be bound.
    bool listen(const QHostAddress &address, quint16 port, QString *errorText);
    /// The same with TLS: HTTPS, and WSS for the WebSocket routes, whose upgrades QHttpServer makes
    /// on the already encrypted socket.
    bool listenTls(const QHostAddress &address, quint16 port, const QSslConfiguration &tls, QString *errorText);
    /// A further plain-HTTP listener beside the first (PLAIN_HTTP_LISTEN_ADDRESS), same routes.
    bool listenPlainToo(const QHostAddress &address, quint16 port, QString *errorText);
    /// Connections accepted from now on get this certificate and key; those open keep theirs.
    void replaceTlsConfiguration(const QSslConfiguration &tls);

    /// The first listener's port, address and scheme.
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QHostAddress address() const { return m_address; }
    [[nodiscard]] bool isTls() const { return m_tlsServer != nullptr; }
    /// The plain listener beside HTTPS; 0 when there is none.
    [[nodiscard]] quint16 plainPort() const { return m_plainPort; }

    /// Headers on every answer, matched or not.
    static void addCommonHeaders(QHttpServerResponse &response);

private:
    /// Listens and hands the server to m_http: the port bound, or nullopt with errorText.
    std::optional<quint16> bind(std::unique_ptr<QTcpServer> server, const QHostAddress &address, quint16 port,
                                QString *errorText);

    QHttpServer m_http;
    Router m_router {m_http};
    QHostAddress m_address;
    quint16 m_port = 0;
    quint16 m_plainPort = 0;
    QSslServer *m_tlsServer = nullptr; ///< owned by m_http
};

} // namespace heartline
