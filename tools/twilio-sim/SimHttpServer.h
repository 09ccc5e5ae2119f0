#pragma once

#include <functional>
#include <memory>

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

class QWebSocket;

namespace heartline {

class SimScheduler;

/// A request as the stand-in's handlers see it: everything read, nothing Qt-version specific.
struct SimHttpRequest
{
    QByteArray method; ///< GET, POST, DELETE, …
    QString path;      ///< decoded path
    QByteArray rawQuery;
    QByteArray authorization;
    QByteArray contentType;
    QByteArray body;
};

struct SimHttpResponse
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json; charset=utf-8";
    QList<QPair<QByteArray, QByteArray>> headers;
    qint64 delayMs = 0; ///< simulated time to hold the answer back (a slow Twilio)
};

/// One port for everything: the REST API, /control/ and the /voice WebSocket. A QAbstractHttpServer
/// subclass rather than QHttpServer's router, so that answers can be held back (SimScheduler
/// time) and the WebSocket upgrade is under our control: Qt 6.4 upgrades a request only when
/// handleRequest() claims it and writes nothing.
class SimHttpServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimHttpServer)

public:
    using Handler = std::function<SimHttpResponse(const SimHttpRequest &)>;
    using SocketHandler = std::function<void(std::unique_ptr<QWebSocket>)>;

    SimHttpServer(SimScheduler &scheduler, QObject *parent = nullptr);
    ~SimHttpServer() override;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    /// WebSocket upgrades to `path` go to `handler`; everything else at that path answers 426.
    void setWebSocketEndpoint(const QString &path, SocketHandler handler);

    /// Port 0 picks a free one. false (with errorText) when the address cannot be bound.
    bool start(const QHostAddress &address, quint16 port, QString *errorText);
    [[nodiscard]] quint16 port() const { return m_port; }

    /// Answers held back and not written yet.
    [[nodiscard]] int heldCount() const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Held;
    void takeWebSockets();

    SimScheduler &m_scheduler;
    Handler m_handler;
    QString m_webSocketPath;
    SocketHandler m_webSocketHandler;
    quint16 m_port = 0;
    QList<std::shared_ptr<Held>> m_held;
};

} // namespace heartline
