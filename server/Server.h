#pragma once

#include <memory>
#include <optional>

#include <QObject>

#include "config/Config.h"
#include "core/Result.h"

namespace heartline {

class Clock;
class Database;
class HttpServerHost;

/// The composition root of heartline-server: opens the store, builds the services and binds
/// the HTTP and WebSocket routes. main.cpp and the tests create exactly this.
class Server final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Server)

public:
    Server(Config config, const Clock &clock, QObject *parent = nullptr);
    ~Server() override;

    /// Opens the database and starts listening on the configured address. On failure nothing
    /// keeps running and the problem says what to fix.
    [[nodiscard]] std::optional<Problem> start();

    /// The port actually bound (useful with port 0).
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] QString baseUrl() const;
    [[nodiscard]] const Config &config() const { return m_config; }

private:
    void addRoutes();

    Config m_config;
    const Clock &m_clock;
    qint64 m_startedAtMs = 0;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HttpServerHost> m_host;
};

} // namespace heartline
