#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>

#include "http/Router.h"

class QHttpServerResponse;

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

    /// Listens on address:port (port 0 picks a free one). Returns false and fills errorText
    /// when the address cannot be bound.
    bool listen(const QHostAddress &address, quint16 port, QString *errorText);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QHostAddress address() const { return m_address; }

    /// Headers on every answer, matched or not.
    static void addCommonHeaders(QHttpServerResponse &response);

private:
    QHttpServer m_http;
    Router m_router {m_http};
    QHostAddress m_address;
    quint16 m_port = 0;
};

} // namespace heartline
