#include "http/DeferredResponse.h"

#include <QHttpServerResponse>

#include "HttpServerHost.h"

namespace heartline {

DeferredResponse::DeferredResponse(QHttpServerResponder &&responder)
    : m_responder(std::move(responder)), m_socket(m_responder.socket())
{ }

bool DeferredResponse::send(QHttpServerResponse &&response)
{
    if (m_sent || !m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    m_sent = true;
    HttpServerHost::addCommonHeaders(response);
    response.write(std::move(m_responder));
    return true;
}

} // namespace heartline
