#include "HttpServerHost.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QTcpServer>

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
    const quint16 bound = m_http.listen(address, port);
    if (bound == 0) {
        if (errorText)
            *errorText = u"cannot listen on %1:%2"_s.arg(address.toString()).arg(port);
        return false;
    }
    m_address = address;
    m_port = bound;
    return true;
}

} // namespace heartline
