#include "HttpServerHost.h"

#include <memory>

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QTcpServer>

#include "core/HostPort.h"

using namespace Qt::StringLiterals;

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

bool HttpServerHost::listen(const QHostAddress &address, quint16 port, QString *errorText)
{
    // Our own QTcpServer rather than QHttpServer::listen(), which drops the reason a bind failed
    // (and is gone in Qt 6.8, where bind() is the way).
    auto tcpServer = std::make_unique<QTcpServer>();
    if (!listenOn(*tcpServer, address, port, errorText))
        return false;
    m_address = address;
    m_port = tcpServer->serverPort();
    m_http.bind(tcpServer.release()); // the HTTP server takes it as a child
    return true;
}

} // namespace heartline
