#include "Server.h"

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QJsonObject>

#include "Database.h"
#include "HttpServerHost.h"
#include "JsonResponses.h"
#include "auth/AuthRoutes.h"
#include "auth/AuthService.h"
#include "core/Clock.h"
#include "core/HostPort.h"
#include "store/Migrator.h"
#include "users/UserStore.h"

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
    if (auto problem = openStore()) {
        releaseAll();
        return problem;
    }

    m_host = std::make_unique<HttpServerHost>();
    addRoutes();
    QString error;
    if (!m_host->listen(hostPort->address, hostPort->port, &error)) {
        releaseAll();
        return Problem {u"listen_failed"_s, u"LISTEN_ADDRESS"_s, error};
    }
    m_auth->startWatching();
    m_startedAtMs = m_clock.nowMs();
    return std::nullopt;
}

std::optional<Problem> Server::openStore()
{
    auto database = Database::open(m_config.stringValue(ConfigKey::DatabasePath));
    if (!database)
        return database.error();
    m_database = std::make_unique<Database>(std::move(database).value());
    if (const auto version = Migrator().migrate(m_database->connection()); !version)
        return version.error();

    m_users = std::make_unique<UserStore>(*m_database, m_clock, m_config.intValue(ConfigKey::PasswordIterations));
    m_auth = std::make_unique<AuthService>(*m_database, *m_users, m_clock,
                                           AuthService::Options {m_config.intValue(ConfigKey::SessionTokenTtl), 2000});
    return m_auth->load();
}

void Server::releaseAll()
{
    m_host.reset();
    m_auth.reset();
    m_users.reset();
    m_database.reset();
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
    Router &router = m_host->router();
    addAuthRoutes(router, *m_auth);
    addUserRoutes(router, *m_auth, *m_users);

    router.route(u"/healthz"_s, QHttpServerRequest::Method::Get, [this] {
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
