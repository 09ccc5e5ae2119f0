#include "realtime/WebSocketRouter.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QWebSocket>

#include "HttpServerHost.h"
#include "JsonResponses.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcWebSocket, "heartline.websocket")

namespace heartline {

WebSocketRouter::WebSocketRouter(QHttpServer &http, QObject *parent) : QObject(parent), m_http(http)
{
    connect(&m_http, &QHttpServer::newWebSocketConnection, this, &WebSocketRouter::takePendingConnections);
}

void WebSocketRouter::addEndpoint(const QString &path, Handler handler)
{
    m_handlers.insert(path, std::move(handler));
    // QHttpServer 6.4 runs this rule for the upgrade request too, and only upgrades when a rule
    // matched; whatever the rule writes reaches the client before the handshake answer. So an
    // upgrade gets no answer here (the WebSocket handshake answers it), plain HTTP gets 426.
    m_http.route(path, [path](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        if (request.value("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
            return;
        QHttpServerResponse response
            = errorResponse(QHttpServerResponder::StatusCode::UpgradeRequired, u"upgrade_required"_s,
                            u"%1 is a WebSocket endpoint: connect with a WebSocket client"_s.arg(path));
        HttpServerHost::addCommonHeaders(response);
        response.write(std::move(responder));
    });
}

void WebSocketRouter::takePendingConnections()
{
    while (m_http.hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = m_http.nextPendingWebSocketConnection();
        if (!socket)
            continue;
        const QString path = socket->requestUrl().path();
        const auto handler = m_handlers.constFind(path);
        if (handler == m_handlers.constEnd()) {
            qCWarning(lcWebSocket) << "no WebSocket endpoint at" << path;
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"no such endpoint"_s);
            continue;
        }
        (*handler)(std::move(socket));
    }
}

} // namespace heartline
