#pragma once

// Fixtures for the supervisor suites: an in-process server whose agents have known profiles, logins
// over HTTP, and a /ws/supervisor client that queues what the server sends.

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QWebSocket>

#include "Database.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "agents/AgentService.h"
#include "protocol/SupervisorProtocol.h"
#include "realtime/SupervisorSocketServer.h"
#include "users/UserStore.h"

namespace heartline::test {

struct AgentSpec
{
    QString id;
    QString displayName;
    QStringList skills;
    int maxConcurrentCalls = 1;
};

/// The agents every supervisor suite starts with (all logged out).
inline QList<AgentSpec> standardAgents()
{
    using namespace Qt::StringLiterals;
    return {
        {u"a1"_s, u"Ada Lovelace"_s, {u"support"_s, u"sales"_s}, 2},
        {u"a2"_s, u"Grace Hopper"_s, {u"support"_s}},
        {u"a3"_s, u"Alan Turing"_s, {u"sales"_s}},
        {u"a4"_s, u"Edsger Dijkstra"_s, {u"support"_s}},
        {u"a5"_s, u"Barbara Liskov"_s, {}},
        {u"a6"_s, u"Donald Knuth"_s, {u"billing"_s}},
        {u"a7"_s, u"Frances Allen"_s, {u"billing"_s}},
    };
}

/// A started server with supervisor "sam", admin "ada" and the given agents (password: id + "-password").
/// Profiles are written to the database and the server restarted, so the registry holds every agent.
class SupervisorFixture final
{
public:
    bool start(const QList<AgentSpec> &agents = standardAgents(), const QHash<QString, QString> &settings = {})
    {
        using namespace Qt::StringLiterals;
        if (!m_server.start(settings))
            return fail(m_server.error());
        UserStore &users = *m_server.server().users();
        if (!users.add(u"sam"_s, u"Sam Supervisor"_s, Role::Supervisor, u"sam-password"_s)
            || !users.add(u"ada"_s, u"Ada Admin"_s, Role::Admin, u"ada-password"_s))
            return fail(u"adding the supervisor and the admin failed"_s);
        for (const AgentSpec &agent : agents) {
            if (!users.add(agent.id, agent.displayName, Role::Agent, agent.id + u"-password"_s))
                return fail(u"adding agent %1 failed"_s.arg(agent.id));
        }
        m_server.stop();
        if (!writeProfiles(agents))
            return false;
        if (!m_server.start(settings))
            return fail(m_server.error());
        m_http.setBaseUrl(m_server.baseUrl());
        return true;
    }

    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] InProcessServer &server() { return m_server; }
    [[nodiscard]] ManualClock &clock() { return m_server.clock(); }
    [[nodiscard]] AgentService &agents() { return *m_server.server().agents(); }
    [[nodiscard]] SupervisorSocketServer &sockets() { return *m_server.server().supervisorSockets(); }
    [[nodiscard]] HttpTestClient &http() { return m_http; }

    [[nodiscard]] QUrl webSocketUrl() const
    {
        QUrl url = m_server.baseUrl();
        url.setScheme(QStringLiteral("ws"));
        url.setPath(QStringLiteral("/ws/supervisor"));
        return url;
    }

    /// Logs in over HTTP; empty when refused.
    QByteArray login(const QString &userId)
    {
        using namespace Qt::StringLiterals;
        const QJsonObject credentials {{u"userId"_s, userId}, {u"password"_s, QString(userId + u"-password"_s)}};
        const HttpReply reply = HttpTestClient(m_server.baseUrl()).postJson(u"/api/auth/login"_s, credentials);
        return reply.json().value(u"token"_s).toString().toLatin1();
    }

    HttpReply get(const QString &path, const QByteArray &token)
    {
        HttpTestClient client(m_server.baseUrl());
        client.setBearerToken(token);
        return client.get(path);
    }

    HttpReply postJson(const QString &path, const QJsonObject &body, const QByteArray &token)
    {
        HttpTestClient client(m_server.baseUrl());
        client.setBearerToken(token);
        return client.postJson(path, body);
    }

    /// The agent app's HTTP-style heartbeat, through the service (status, device flag, away reason).
    bool heartbeat(const QString &agentId, AgentStatus status, bool deviceConnected = true,
                   const QString &awayReason = {})
    {
        HeartbeatInput input;
        input.status = status;
        input.deviceConnected = deviceConnected;
        input.awayReason = awayReason;
        return bool(agents().heartbeat(agentId, input, HeartbeatTransport::Http));
    }

    /// The newest row of the status audit trail of an agent: "from|to|reason|changed_by".
    QString lastAuditRow(const QString &agentId) const
    {
        TableReader tables(m_server.databasePath());
        return tables
            .scalar(QStringLiteral("SELECT from_status || '|' || to_status || '|' || coalesce(reason, '') || '|' || "
                                   "changed_by FROM agent_status_changes WHERE agent_id = '%1' ORDER BY id DESC "
                                   "LIMIT 1")
                        .arg(agentId))
            .toString();
    }

private:
    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    bool writeProfiles(const QList<AgentSpec> &agents)
    {
        using namespace Qt::StringLiterals;
        auto database = Database::open(m_server.databasePath());
        if (!database)
            return fail(database.error().message);
        for (const AgentSpec &agent : agents) {
            QSqlQuery query(database->connection());
            query.prepare(
                u"INSERT INTO agent_profiles (agent_id, max_concurrent_calls, skills) VALUES (?, ?, coalesce(?, ''))"_s);
            query.addBindValue(agent.id);
            query.addBindValue(agent.maxConcurrentCalls);
            query.addBindValue(agent.skills.join(u','));
            if (!query.exec())
                return fail(u"writing the profile of %1 failed"_s.arg(agent.id));
        }
        return true;
    }

    InProcessServer m_server;
    HttpTestClient m_http;
    QString m_error;
};

/// A /ws/supervisor client for tests: every text message is queued; next() waits for one.
class SupervisorSocketClient final
{
    Q_DISABLE_COPY_MOVE(SupervisorSocketClient)

public:
    SupervisorSocketClient()
    {
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived,
                         [this](const QString &text) { m_messages.append(text); });
        QObject::connect(&m_socket, &QWebSocket::connected, [this] { m_connected = true; });
        QObject::connect(&m_socket, &QWebSocket::disconnected, [this] { m_disconnected = true; });
    }

    /// Opens the socket, with `Authorization: <authorization>` on the upgrade request when given.
    /// True once the handshake succeeded (the server may refuse and close right after it).
    bool open(const QUrl &url, const QByteArray &authorization = {})
    {
        QNetworkRequest request(url);
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        m_socket.open(request);
        return QTest::qWaitFor([this] { return m_connected || m_disconnected; }, 10'000) && m_connected;
    }

    void send(const SupervisorClientMessage &message) { sendText(QString::fromUtf8(serialize(message))); }
    void sendText(const QString &text) { m_socket.sendTextMessage(text); }

    /// The next message as raw JSON text; empty when none came within the safety net (10 s).
    QString nextText()
    {
        if (!QTest::qWaitFor([this] { return !m_messages.isEmpty(); }, 10'000))
            return {};
        return m_messages.takeFirst();
    }

    /// The next message, read with the protocol's own parser (so the server's output is valid too).
    std::optional<SupervisorServerMessage> next()
    {
        const QString text = nextText();
        if (text.isEmpty())
            return std::nullopt;
        auto parsed = parseSupervisorServerMessage(text.toUtf8());
        if (!parsed) {
            qWarning() << "unreadable message from the server:" << parsed.error().message << text;
            return std::nullopt;
        }
        return std::move(parsed).value();
    }

    /// The next message if it is a T; nothing otherwise (the type seen is logged).
    template <typename T> std::optional<T> nextOf()
    {
        auto message = next();
        if (!message)
            return std::nullopt;
        if (auto *typed = std::get_if<T>(&*message))
            return std::move(*typed);
        qWarning() << "expected" << T::Type << "got" << messageType(*message);
        return std::nullopt;
    }

    /// A round trip that proves the server has handled (and answered) everything sent before: an
    /// unknown message type is always answered with error unknown_type. Returns the messages that
    /// arrived before that answer.
    QList<QString> sync()
    {
        sendText(QStringLiteral(R"({"type":"syncProbe"})"));
        QList<QString> before;
        while (true) {
            const QString text = nextText();
            if (text.isEmpty() || text.contains(u"syncProbe"))
                return before;
            before.append(text);
        }
    }

    [[nodiscard]] bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    [[nodiscard]] qsizetype queued() const { return m_messages.size(); }
    [[nodiscard]] QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QString> m_messages;
    bool m_connected = false;
    bool m_disconnected = false;
};

} // namespace heartline::test
