#pragma once

// Fixtures for server tests that run heartline::Server inside the test process: a temporary
// SQLite file, a ManualClock, a free loopback port, and a separate read-only look at the tables.

#include <memory>

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include "Server.h"
#include "TableReader.h"
#include "config/Config.h"
#include "core/Clock.h"

namespace heartline::test {

/// A started in-process server. Passwords use 1000 PBKDF2 iterations so tests stay fast.
class InProcessServer final
{
public:
    InProcessServer() = default;
    ~InProcessServer() { stop(); }

    /// Starts on 127.0.0.1:0 with the given extra keys (environment names); the database file
    /// survives stop() so a test can start again on the same data.
    bool start(const QHash<QString, QString> &settings = {})
    {
        using namespace Qt::StringLiterals;
        ConfigSources sources;
        sources.commandLine = {{u"LISTEN_ADDRESS"_s, u"127.0.0.1:0"_s},
                               {u"DATABASE_PATH"_s, databasePath()},
                               {u"PASSWORD_ITERATIONS"_s, u"1000"_s}};
        sources.commandLine.insert(settings);
        auto config = Config::load(sources);
        if (!config) {
            m_error = config.error().first().message;
            return false;
        }
        m_server = std::make_unique<Server>(std::move(config).value(), m_clock);
        if (const auto problem = m_server->start()) {
            m_error = problem->message;
            m_server.reset();
            return false;
        }
        return true;
    }
    void stop() { m_server.reset(); }

    [[nodiscard]] Server &server() { return *m_server; }
    [[nodiscard]] ManualClock &clock() { return m_clock; }
    [[nodiscard]] QUrl baseUrl() const { return QUrl(m_server->baseUrl()); }
    [[nodiscard]] QString databasePath() const { return m_dir.filePath(QStringLiteral("heartline.db")); }
    [[nodiscard]] QString error() const { return m_error; }

private:
    QTemporaryDir m_dir;
    ManualClock m_clock;
    std::unique_ptr<Server> m_server;
    QString m_error;
};

} // namespace heartline::test
