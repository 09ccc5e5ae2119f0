#pragma once

#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>

class QHttpServerResponse;

namespace heartline {

/// An answer given later, from a callback, by a route whose handler takes a QHttpServerResponder.
///
/// Qt 6.4's responder holds a raw pointer to the connection's socket, which Qt deletes when the
/// client goes away: send() writes only while the socket lives, and only once. Answers written
/// here get the headers every answer gets (HttpServerHost::addCommonHeaders), which QHttpServer's
/// afterRequest() adds only to answers a handler returns.
class DeferredResponse final
{
    Q_DISABLE_COPY_MOVE(DeferredResponse)

public:
    explicit DeferredResponse(QHttpServerResponder &&responder);

    /// Writes `response`; false (and nothing written) when the client is gone or it was sent before.
    bool send(QHttpServerResponse &&response);
    [[nodiscard]] bool sent() const { return m_sent; }

private:
    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_sent = false;
};

} // namespace heartline
