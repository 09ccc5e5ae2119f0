#pragma once

// Shared by the connectivity, readiness-route and /metrics tests: an in-process server with
// agents, a supervisor and an admin, agent state driven through AgentService's own API (the
// heartbeat and WebSocket routes call the same functions), and a look at connectivity_issues.

#include <memory>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "agents/AgentService.h"
#include "connectivity/ConnectivityMonitor.h"
#include "users/UserStore.h"

namespace heartline::test {

/// Devices as an agent app reports them; every field given.
inline DeviceReport devices(bool input, bool output, bool voice, std::optional<double> rttMs = std::nullopt)
{
    DeviceReport report;
    report.audioInput = input;
    report.audioOutput = output;
    report.voiceRegistered = voice;
    report.networkRttMs = rttMs;
    return report;
}

inline DeviceReport healthyDevices()
{
    return devices(true, true, true, 40);
}

class ConnectivityFixture
{
public:
    /// Starts the server (settings as environment names) and adds agents alice, bob, carol,
    /// dave, erin, frank, supervisor sam and admin ada; passwords are "<id>-password".
    bool start(const QHash<QString, QString> &settings = {})
    {
        using namespace Qt::StringLiterals;
        m_server = std::make_unique<InProcessServer>();
        if (!m_server->start(settings)) {
            qWarning() << "server did not start:" << m_server->error();
            return false;
        }
        UserStore &users = *server().users();
        for (const QString &agent : {u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s, u"erin"_s, u"frank"_s}) {
            if (!users.add(agent, agent.toUpper(), Role::Agent, agent + u"-password"_s))
                return false;
        }
        return users.add(u"sam"_s, u"Sam"_s, Role::Supervisor, u"sam-password"_s)
            && users.add(u"ada"_s, u"Ada"_s, Role::Admin, u"ada-password"_s);
    }
    /// Stops and starts again on the same database and clock.
    bool restart(const QHash<QString, QString> &settings = {})
    {
        m_server->stop();
        if (!m_server->start(settings)) {
            qWarning() << "server did not restart:" << m_server->error();
            return false;
        }
        return true;
    }
    void stop() { m_server.reset(); }

    [[nodiscard]] InProcessServer &fixture() { return *m_server; }
    [[nodiscard]] Server &server() { return m_server->server(); }
    [[nodiscard]] AgentService &agents() { return *server().agents(); }
    [[nodiscard]] ConnectivityMonitor &monitor() { return *server().connectivity(); }
    [[nodiscard]] ManualClock &clock() { return m_server->clock(); }

    /// A heartbeat over HTTP (the seed's), optionally with a device report.
    bool heartbeat(const QString &agentId, bool deviceConnected = true,
                   std::optional<DeviceReport> report = std::nullopt, AgentStatus status = AgentStatus::Available,
                   const QString &awayReason = {}, HeartbeatTransport transport = HeartbeatTransport::Http)
    {
        HeartbeatInput input;
        input.status = status;
        input.deviceConnected = deviceConnected;
        input.awayReason = awayReason;
        input.devices = report;
        const auto result = agents().heartbeat(agentId, input, transport);
        if (!result)
            qWarning() << "heartbeat of" << agentId << "refused:" << result.error().message;
        return bool(result);
    }
    bool reportDevices(const QString &agentId, const DeviceReport &report)
    {
        return bool(agents().updateDevices(agentId, report, DeviceDetails {}, std::nullopt));
    }

    /// Logs in over HTTP and returns the bearer token.
    QByteArray token(const QString &userId) { return loginToken(m_server->baseUrl(), userId); }
    /// Requests as userId (empty: without a token).
    HttpReply get(const QString &userId, const QString &path)
    {
        HttpTestClient http(m_server->baseUrl());
        if (!userId.isEmpty())
            http.setBearerToken(token(userId));
        return http.get(path);
    }
    HttpReply post(const QString &userId, const QString &path, const QByteArray &body,
                   const QByteArray &contentType = "application/json")
    {
        HttpTestClient http(m_server->baseUrl());
        if (!userId.isEmpty())
            http.setBearerToken(token(userId));
        return http.post(path, body, contentType);
    }
    HttpReply postJson(const QString &userId, const QString &path, const QJsonObject &body)
    {
        return post(userId, path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    /// The kinds of the agent's open issues, by name (what the monitor keeps in memory).
    QStringList openKinds(const QString &agentId)
    {
        QStringList names;
        for (ConnectivityIssueKind kind : monitor().openKinds(agentId))
            names.append(toString(kind));
        return names;
    }

    /// connectivity_issues as "agent|kind|opened_at|closed_at|detail" rows, in id order.
    QStringList issueRows()
    {
        using namespace Qt::StringLiterals;
        QStringList rows;
        for (const QString &row : TableReader(m_server->databasePath()).dump(u"connectivity_issues"_s))
            rows.append(row.section(u'|', 1)); // drop the id
        return rows;
    }
    [[nodiscard]] QStringList issueTable()
    {
        return TableReader(m_server->databasePath()).dump(QStringLiteral("connectivity_issues"));
    }
    [[nodiscard]] int openIssueCount()
    {
        using namespace Qt::StringLiterals;
        return TableReader(m_server->databasePath())
            .scalar(u"SELECT count(*) FROM connectivity_issues WHERE closed_at IS NULL"_s)
            .toInt();
    }

    /// Milliseconds of the fixture's clock as the text stored in the table.
    [[nodiscard]] QString nowText() { return QString::number(clock().nowMs()); }

private:
    std::unique_ptr<InProcessServer> m_server;
};

} // namespace heartline::test
