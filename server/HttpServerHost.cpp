#include "HttpServerHost.h"

#include <memory>

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QLoggingCategory>
#include <QSslServer>
#include <QTcpServer>

#include "core/HostPort.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHttpHost, "heartline.http")

namespace heartline {

HttpServerHost::HttpServerHost(QObject *parent) : QObject(parent)
{
    m_http.afterRequest([](QHttpServerResponse &&response) {
        addCommonHeaders(response);
        return std::move(response);
    });
    // afterRequest() does not see these answers, so they get the common headers here.
    m_http.setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        QHttpServerResponse response = m_router.unmatched(request);
        addCommonHeaders(response);
        response.write(std::move(responder));
    });
}

void HttpServerHost::addCommonHeaders(QHttpServerResponse &response)
{
    // Every answer is an API answer: never let a proxy or browser cache readiness or status.
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
}

std::optional<quint16> HttpServerHost::bind(std::unique_ptr<QTcpServer> server, const QHostAddress &address,
                                            quint16 port, QString *errorText)
{
    // Our own QTcpServer rather than QHttpServer::listen(), which drops the reason a bind failed
    // (and is gone in Qt 6.8, where bind() is the way).
    if (!listenOn(*server, address, port, errorText))
        return std::nullopt;
    const quint16 bound = server->serverPort();
    m_http.bind(server.release()); // the HTTP server takes it as a child
    return bound;
}

bool HttpServerHost::listen(const QHostAddress &address, quint16 port, QString *errorText)
{
    const auto bound = bind(std::make_unique<QTcpServer>(), address, port, errorText);
    if (!bound)
        return false;
    m_address = address;
    m_port = *bound;
    return true;
}

bool HttpServerHost::listenTls(const QHostAddress &address, quint16 port, const QSslConfiguration &tls,
                               QString *errorText)
{
    // QSslServer hands a connection on only once its handshake succeeded, so QHttpServer (and the
    // WebSocket upgrade it makes on that socket) sees decrypted bytes only.
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(tls);
    QSslServer *tlsServer = server.get();
    // A client that does not trust the certificate, or speaks plain HTTP to the HTTPS port, is the
    // client's to report; the server notes it at debug level only, so a port scan cannot fill the log.
    connect(tlsServer, &QSslServer::errorOccurred, this, [](QSslSocket *socket, QAbstractSocket::SocketError) {
        qCDebug(lcHttpHost).noquote() << "TLS connection from" << socket->peerAddress().toString()
                                      << "failed:" << socket->errorString();
    });
    const auto bound = bind(std::move(server), address, port, errorText);
    if (!bound)
        return false;
    m_address = address;
    m_port = *bound;
    m_tlsServer = tlsServer;
    return true;
}

bool HttpServerHost::listenPlainToo(const QHostAddress &address, quint16 port, QString *errorText)
{
    const auto bound = bind(std::make_unique<QTcpServer>(), address, port, errorText);
    if (!bound)
        return false;
    m_plainPort = *bound;
    return true;
}

void HttpServerHost::replaceTlsConfiguration(const QSslConfiguration &tls)
{
    if (m_tlsServer)
        m_tlsServer->setSslConfiguration(tls);
}

} // namespace heartline
