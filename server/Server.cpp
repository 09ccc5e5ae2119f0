#include "Server.h"

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QJsonObject>

#include "Database.h"
#include "HttpServerHost.h"
#include "JsonResponses.h"
#include "core/Clock.h"
#include "core/HostPort.h"

using namespace Qt::StringLiterals;

namespace heartline {

Server::Server(Config config, const Clock &clock, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_clock(clock)
{ }

Server::~Server() = default;

std::optional<Problem> Server::start()
{
    const QString listen = m_config.stringValue(ConfigKey::ListenAddress);
    const auto hostPort = parseHostPort(listen);
    if (!hostPort) {
        return Problem {u"invalid_value"_s, u"LISTEN_ADDRESS"_s,
                        u"LISTEN_ADDRESS=%1 is not ADDRESS:PORT (e.g. 127.0.0.1:8080)"_s.arg(listen)};
    }

    auto database = Database::open(m_config.stringValue(ConfigKey::DatabasePath));
    if (!database)
        return database.error();
    m_database = std::make_unique<Database>(std::move(database).value());

    m_host = std::make_unique<HttpServerHost>();
    addRoutes();
    QString error;
    if (!m_host->listen(hostPort->address, hostPort->port, &error)) {
        m_host.reset();
        m_database.reset();
        return Problem {u"listen_failed"_s, u"LISTEN_ADDRESS"_s, error};
    }
    m_startedAtMs = m_clock.nowMs();
    return std::nullopt;
}

quint16 Server::port() const
{
    return m_host ? m_host->port() : 0;
}

QString Server::baseUrl() const
{
    if (!m_host)
        return {};
    QString host = m_host->address().toString();
    if (m_host->address().protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"http://%1:%2"_s.arg(host).arg(m_host->port());
}

void Server::addRoutes()
{
    m_host->http().route(u"/healthz"_s, QHttpServerRequest::Method::Get, [this] {
        const bool databaseOk = m_database && m_database->isHealthy();
        const QJsonObject body {
            {u"status"_s, databaseOk ? u"ok"_s : u"degraded"_s},
            {u"version"_s, QStringLiteral(HEARTLINE_VERSION)},
            {u"database"_s, databaseOk ? u"ok"_s : u"unavailable"_s},
            {u"uptimeSeconds"_s, (m_clock.nowMs() - m_startedAtMs) / 1000},
        };
        return jsonResponse(body,
                            databaseOk ? QHttpServerResponder::StatusCode::Ok
                                       : QHttpServerResponder::StatusCode::ServiceUnavailable);
    });
}

} // namespace heartline
