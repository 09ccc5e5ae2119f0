#include "HttpServerHost.h"

#include <QHttpServerResponse>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace heartline {

HttpServerHost::HttpServerHost(QObject *parent) : QObject(parent)
{
    m_http.afterRequest([](QHttpServerResponse &&response) {
        // Every answer is an API answer: never let a proxy or browser cache readiness or status.
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        return std::move(response);
    });
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
