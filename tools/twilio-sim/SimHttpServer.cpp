#include "SimHttpServer.h"

#include <memory>

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>

#include "SimScheduler.h"
#include "core/HostPort.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    default:
        return "OTHER";
    }
}

void writeResponse(QHttpServerResponder &responder, const SimHttpResponse &response)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    if (response.status != 204) {
        responder.writeHeader("Content-Type", response.contentType);
        responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    } else {
        responder.writeHeader("Content-Length", "0");
    }
    responder.writeHeader("Cache-Control", "no-store");
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeBody(response.status == 204 ? QByteArray() : response.body);
}

} // namespace

/// An answer held back: the responder refers to the socket by a raw pointer, so it is written
/// only while the socket is still alive.
struct SimHttpServer::Held
{
    QPointer<QTcpSocket> socket;
    std::unique_ptr<QHttpServerResponder> responder;
    SimHttpResponse response;
    SimScheduler::TimerId timer = 0;
};

SimHttpServer::SimHttpServer(SimScheduler &scheduler, QObject *parent)
    : QAbstractHttpServer(parent), m_scheduler(scheduler)
{
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, &SimHttpServer::takeWebSockets);
}

SimHttpServer::~SimHttpServer()
{
    for (const auto &held : m_held)
        m_scheduler.cancel(held->timer);
}

int SimHttpServer::heldCount() const
{
    return static_cast<int>(m_held.size());
}

void SimHttpServer::setWebSocketEndpoint(const QString &path, SocketHandler handler)
{
    m_webSocketPath = path;
    m_webSocketHandler = std::move(handler);
}

bool SimHttpServer::start(const QHostAddress &address, quint16 port, QString *errorText)
{
    // Our own QTcpServer: QAbstractHttpServer::listen() drops the reason a bind failed.
    auto tcpServer = std::make_unique<QTcpServer>();
    if (!listenOn(*tcpServer, address, port, errorText))
        return false;
    m_port = tcpServer->serverPort();
    bind(tcpServer.release()); // a child from now on
    return true;
}

bool SimHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    const bool upgrade = request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
    if (upgrade) {
        // Claimed and left unanswered: QAbstractHttpServer then hands the socket to its WebSocket
        // server. Any other path is refused by the missing handler.
        return !m_webSocketPath.isEmpty() && path == m_webSocketPath;
    }

    SimHttpRequest simRequest;
    simRequest.method = methodName(request.method());
    simRequest.path = path;
    simRequest.rawQuery = request.url().query(QUrl::FullyEncoded).toLatin1();
    simRequest.authorization = request.value("authorization");
    simRequest.contentType = request.value("content-type");
    simRequest.body = request.body();

    SimHttpResponse response;
    if (path == m_webSocketPath) {
        response.status = 426;
        response.body = QJsonDocument(QJsonObject {{u"message"_s, u"%1 is a WebSocket endpoint"_s.arg(path)}})
                            .toJson(QJsonDocument::Compact);
    } else if (m_handler) {
        response = m_handler(simRequest);
    } else {
        response.status = 404;
    }

    QHttpServerResponder responder = makeResponder(request, socket);
    if (response.delayMs <= 0) {
        writeResponse(responder, response);
        return true;
    }
    auto held = std::make_shared<Held>();
    held->socket = socket;
    held->responder = std::make_unique<QHttpServerResponder>(std::move(responder));
    held->response = response;
    m_held.append(held);
    std::weak_ptr<Held> weak = held;
    held->timer = m_scheduler.scheduleIn(response.delayMs, [this, weak] {
        const std::shared_ptr<Held> due = weak.lock();
        if (!due)
            return;
        if (due->socket && due->socket->state() == QAbstractSocket::ConnectedState)
            writeResponse(*due->responder, due->response);
        m_held.removeAll(due);
    });
    return true;
}

void SimHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    SimHttpResponse response;
    response.status = 404;
    response.body = "{\"message\":\"not found\"}";
    writeResponse(responder, response);
}

void SimHttpServer::takeWebSockets()
{
    while (hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
        if (!socket)
            continue;
        if (m_webSocketHandler && socket->requestUrl().path() == m_webSocketPath)
            m_webSocketHandler(std::move(socket));
        else
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"no such endpoint"_s);
    }
}

} // namespace heartline
