#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>

namespace heartline {

/// The one place that touches QHttpServer's listen() and afterRequest(), both of which changed
/// after Qt 6.4 (6.8 binds a QTcpServer instead). Routes are added through http().
class HttpServerHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServerHost)

public:
    explicit HttpServerHost(QObject *parent = nullptr);

    [[nodiscard]] QHttpServer &http() { return m_http; }

    /// Listens on address:port (port 0 picks a free one). Returns false and fills errorText
    /// when the address cannot be bound.
    bool listen(const QHostAddress &address, quint16 port, QString *errorText);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QHostAddress address() const { return m_address; }

private:
    QHttpServer m_http;
    QHostAddress m_address;
    quint16 m_port = 0;
};

} // namespace heartline
