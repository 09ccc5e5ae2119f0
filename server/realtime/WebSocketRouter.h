#pragma once

#include <functional>
#include <memory>

#include <QHash>
#include <QObject>
#include <QString>

class QHttpServer;
class QWebSocket;

namespace heartline {

/// Hands each upgraded WebSocket to the endpoint registered for its path. QHttpServer 6.4 only
/// upgrades a request whose path matches a route and reports every upgrade through one signal,
/// so each endpoint registers a plain-HTTP route (answering 426 Upgrade Required) and a handler here.
class WebSocketRouter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketRouter)

public:
    using Handler = std::function<void(std::unique_ptr<QWebSocket>)>;

    explicit WebSocketRouter(QHttpServer &http, QObject *parent = nullptr);

    void addEndpoint(const QString &path, Handler handler);

private:
    void takePendingConnections();

    QHttpServer &m_http;
    QHash<QString, Handler> m_handlers;
};

} // namespace heartline
