#include "realtime/SupervisorSocketServer.h"

#include <algorithm>
#include <utility>

#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QWebSocket>

#include "agents/AgentOverview.h"
#include "agents/AgentService.h"
#include "agents/SupervisorActions.h"
#include "metrics/Metrics.h"
#include "users/Role.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSupervisorSocket, "heartline.websocket.supervisor")

namespace heartline {

namespace {

/// The token of an `Authorization: Bearer <token>` header value (scheme case-insensitive), if any.
std::optional<QByteArray> bearerTokenOf(const QByteArray &header)
{
    constexpr QByteArrayView scheme = "bearer ";
    const QByteArray trimmed = header.trimmed();
    if (trimmed.size() <= scheme.size()
        || QByteArrayView(trimmed).first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    const QByteArray token = trimmed.mid(scheme.size()).trimmed();
    if (token.isEmpty())
        return std::nullopt;
    return token;
}

} // namespace

SupervisorSocketServer::SupervisorSocketServer(const AuthService &auth, AgentService &agents,
                                               const AgentOverview &overview, SupervisorActions &actions,
                                               MetricsRegistry &metrics, Options options, QObject *parent)
    : QObject(parent), m_auth(auth), m_overview(overview), m_actions(actions), m_options(options),
      m_openConnections(metrics.gauge(u"heartline_websocket_connections"_s, u"Open WebSocket connections."_s,
                                      {u"endpoint"_s}, {u"supervisor"_s})),
      m_agentPush(m_options.pushSliceSize, [this](const QStringList &agentIds) { sendAgentSlice(agentIds); }),
      m_statistics(overview)
{
    // The heartbeat path emits this for every heartbeat: mark the agent and nothing else.
    connect(&agents, &AgentService::agentChanged, this, [this](const QString &agentId) {
        if (m_supervisors > 0)
            m_agentPush.mark(agentId);
    });
    m_pushTimer.setInterval(m_options.pushIntervalMs);
    connect(&m_pushTimer, &QTimer::timeout, this, &SupervisorSocketServer::flushNow);
    m_statsTimer.setInterval(m_options.statsIntervalMs);
    connect(&m_statsTimer, &QTimer::timeout, this, &SupervisorSocketServer::sendStatsNow);
    connect(&m_statistics, &SupervisorStatisticsWalk::finished, this, &SupervisorSocketServer::statisticsCounted);
}

SupervisorSocketServer::~SupervisorSocketServer()
{
    for (auto &[socket, connection] : m_connections) {
        socket->disconnect(this);
        socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"server shutting down"_s);
    }
}

void SupervisorSocketServer::accept(std::unique_ptr<QWebSocket> socket)
{
    QWebSocket *raw = socket.get();
    // Larger frames are dropped by Qt before they are buffered whole; up to this size an oversized
    // message still gets a too_large answer from the parser.
    raw->setMaxAllowedIncomingMessageSize(4 * quint64(MaxMessageBytes));
    connect(raw, &QWebSocket::textMessageReceived, this, [this, raw](const QString &text) { onMessage(raw, text); });
    // Queued: a socket closed while the connections are being iterated leaves the map untouched until then.
    connect(
        raw, &QWebSocket::disconnected, this, [this, raw] { drop(raw); }, Qt::QueuedConnection);

    auto connection = std::make_unique<Connection>();
    connection->socket = std::move(socket);
    m_connections.emplace(raw, std::move(connection));
    m_openConnections.set(double(m_connections.size()));

    const QByteArray header = raw->request().rawHeader("Authorization");
    if (!header.isEmpty()) {
        // Queued: QHttpServer is still handing the socket over while this runs, and closing it
        // here would pull the TCP socket out from under it.
        QMetaObject::invokeMethod(
            this,
            [this, raw, header] {
                const auto found = m_connections.find(raw);
                if (found == m_connections.end() || found->second->closing)
                    return;
                if (const auto token = bearerTokenOf(header))
                    authenticate(*found->second, *token);
                else
                    refuse(*found->second, u"unauthenticated"_s, u"the Authorization header must be Bearer <token>"_s);
            },
            Qt::QueuedConnection);
        return;
    }
    // The timer belongs to the socket, so it goes with it whatever closes the connection.
    auto *helloTimer = new QTimer(raw);
    helloTimer->setSingleShot(true);
    const int timeoutMs = m_options.helloTimeoutMs;
    connect(helloTimer, &QTimer::timeout, this, [this, raw, timeoutMs] {
        const auto found = m_connections.find(raw);
        if (found != m_connections.end() && !found->second->principal && !found->second->closing) {
            refuse(*found->second, u"unauthenticated"_s,
                   u"no hello with a session token within %1 ms"_s.arg(timeoutMs));
        }
    });
    helloTimer->start(timeoutMs);
}

void SupervisorSocketServer::onMessage(QWebSocket *socket, const QString &text)
{
    const auto found = m_connections.find(socket);
    if (found == m_connections.end() || found->second->closing)
        return;
    Connection &connection = *found->second;
    if (!connection.principal)
        handleBeforeAuthentication(connection, text);
    else if (stillAuthenticated(connection))
        handleCommand(connection, text);
}

void SupervisorSocketServer::handleBeforeAuthentication(Connection &connection, const QString &text)
{
    const auto message = parseSupervisorClientMessage(text.toUtf8());
    if (!message) {
        refuse(connection, message.error().code, message.error().message);
        return;
    }
    const auto *hello = std::get_if<SupervisorHello>(&message.value());
    if (!hello) {
        refuse(connection, u"unauthenticated"_s,
               u"send hello with a session token before %1"_s.arg(messageType(message.value())));
        return;
    }
    if (!hello->token) {
        refuse(connection, u"unauthenticated"_s,
               u"hello needs a token (or Authorization: Bearer on the upgrade request)"_s);
        return;
    }
    authenticate(connection, hello->token->toUtf8());
}

void SupervisorSocketServer::handleCommand(Connection &connection, const QString &text)
{
    const auto message = parseSupervisorClientMessage(text.toUtf8());
    if (!message) {
        send(connection, ServerError {message.error().code, message.error().message});
        return;
    }
    const QString &supervisorId = connection.principal->userId;
    std::optional<Problem> problem;
    if (const auto *change = std::get_if<SupervisorSetAgentStatus>(&message.value())) {
        problem
            = m_actions.setStatus(supervisorId, change->agentId, change->status, change->reason.value_or(QString()));
    } else if (const auto *logout = std::get_if<SupervisorLogoutAgent>(&message.value())) {
        problem = m_actions.logout(supervisorId, logout->agentId, logout->reason.value_or(QString()));
    } else {
        problem = Problem {u"unexpected_message"_s, u"type"_s, u"this connection is already authenticated"_s};
    }
    // Success needs no answer: the change reaches every supervisor in the next agentsChanged.
    if (problem)
        send(connection, ServerError {problem->code, problem->message});
}

void SupervisorSocketServer::authenticate(Connection &connection, const QByteArray &token)
{
    const auto principal = m_auth.authenticate(token);
    if (!principal) {
        refuse(connection, u"unauthenticated"_s, u"the session token is invalid or has expired"_s);
        return;
    }
    if (!SupervisorRoles.testFlag(principal->role)) {
        refuse(connection, u"forbidden"_s,
               u"the role %1 may not watch agents: supervisors and admins only"_s.arg(toString(principal->role)));
        return;
    }
    connection.principal = principal;
    connection.token = token;
    send(connection, SupervisorWelcome {principal->userId, toString(principal->role), m_overview.nowMs()});
    qCInfo(lcSupervisorSocket).noquote() << principal->userId << "watches agents";
    // Changes are marked from here on, so whatever a page misses (it is built later) goes out as a delta.
    supervisorsChanged(+1);
    // The first page carries the statistics: of the walk under way, or of one started now, which on a
    // floor of up to a slice of agents ends before start() returns.
    connection.awaitingStatistics = true;
    m_statistics.start();
}

void SupervisorSocketServer::statisticsCounted(const QJsonObject &stats)
{
    if (std::exchange(m_statsDue, false)) {
        // Serialized once for every supervisor; those awaiting their snapshot get the figures in it.
        const QString text = QString::fromUtf8(serialize(SupervisorStats {stats, m_overview.nowMs()}));
        for (auto &[socket, connection] : m_connections) {
            if (connection->principal && !connection->closing && !connection->awaitingStatistics)
                socket->sendTextMessage(text);
        }
    }
    for (auto &[socket, connection] : m_connections) {
        if (connection->awaitingStatistics && connection->principal && !connection->closing)
            startSnapshot(*connection, stats);
    }
}

void SupervisorSocketServer::startSnapshot(Connection &connection, const QJsonObject &stats)
{
    connection.awaitingStatistics = false;
    connection.snapshot
        = std::make_unique<SupervisorSnapshotPager>(*connection.socket, m_overview, m_options.snapshotPageSize);
    connection.snapshot->start(stats);
    // After the first page: the queue panel need not wait for the whole floor.
    if (m_queueSource)
        send(connection, SupervisorQueues {m_queueSource(), m_overview.nowMs()});
}

void SupervisorSocketServer::refuse(Connection &connection, const QString &code, const QString &message)
{
    send(connection, ServerError {code, message});
    const bool wasSupervisor = connection.principal.has_value();
    connection.closing = true;
    connection.principal.reset();
    connection.awaitingStatistics = false;
    connection.snapshot.reset();
    if (wasSupervisor)
        supervisorsChanged(-1);
    qCInfo(lcSupervisorSocket).noquote() << "closing a supervisor socket:" << code << message;
    connection.socket->close(QWebSocketProtocol::CloseCodePolicyViolated, code);
}

bool SupervisorSocketServer::stillAuthenticated(Connection &connection)
{
    // Logout, expiry and a disabled user end the session while the socket stays open.
    if (m_auth.authenticate(connection.token))
        return true;
    refuse(connection, u"unauthenticated"_s, u"the session has ended"_s);
    return false;
}

void SupervisorSocketServer::drop(QWebSocket *socket)
{
    const auto found = m_connections.find(socket);
    if (found == m_connections.end())
        return;
    std::unique_ptr<Connection> connection = std::move(found->second);
    m_connections.erase(found);
    m_openConnections.set(double(m_connections.size()));
    if (connection->principal)
        supervisorsChanged(-1);
    connection->socket.release()->deleteLater();
}

void SupervisorSocketServer::send(Connection &connection, const SupervisorServerMessage &message)
{
    connection.socket->sendTextMessage(QString::fromUtf8(serialize(message)));
}

void SupervisorSocketServer::broadcast(const SupervisorServerMessage &message)
{
    broadcastText(serialize(message));
}

void SupervisorSocketServer::broadcastText(const QByteArray &json)
{
    // Serialized once for every supervisor. QWebSocket takes text as a QString only (and writes UTF-8
    // again); the conversion costs about 10 µs for a 110 KB slice, next to 0.3 ms to write it.
    const QString text = QString::fromUtf8(json);
    for (auto &[socket, connection] : m_connections) {
        if (connection->principal && !connection->closing)
            socket->sendTextMessage(text);
    }
}

void SupervisorSocketServer::supervisorsChanged(int delta)
{
    const bool wasWatched = m_supervisors > 0;
    m_supervisors += delta;
    const bool watched = m_supervisors > 0;
    if (watched == wasWatched)
        return;
    if (watched) {
        m_pushTimer.start();
        m_statsTimer.start();
    } else {
        m_pushTimer.stop();
        m_statsTimer.stop();
        m_statistics.cancel();
        m_statsDue = false;
        m_agentPush.clear();
        m_issues.clear();
    }
}

void SupervisorSocketServer::connectivityIssueChanged(const ConnectivityIssueView &issue)
{
    // A supervisor who connects later reads the issues over HTTP; only watchers need the change.
    if (m_supervisors > 0)
        m_issues.insert(issue.id, issue);
}

void SupervisorSocketServer::flushNow()
{
    if (m_queuesChanged && m_queueSource && m_supervisors > 0)
        broadcast(SupervisorQueues {m_queueSource(), m_overview.nowMs()});
    m_queuesChanged = false;
    if (m_supervisors > 0)
        m_agentPush.push();
    flushIssues();
}

void SupervisorSocketServer::flushIssues()
{
    if (m_issues.isEmpty())
        return;
    SupervisorConnectivityIssues issues {m_issues.values(), m_overview.nowMs()};
    m_issues.clear();
    std::sort(issues.issues.begin(), issues.issues.end(),
              [](const ConnectivityIssueView &a, const ConnectivityIssueView &b) { return a.id < b.id; });
    broadcast(issues);
}

void SupervisorSocketServer::sendAgentSlice(const QStringList &agentIds)
{
    // Built now, so the slice shows each agent as it is when it leaves, not as at the tick.
    SupervisorAgentsChanged changed {{}, m_overview.nowMs()};
    changed.agents.reserve(agentIds.size());
    SupervisorAgentsRemoved removed;
    for (const QString &agentId : agentIds) {
        if (auto view = m_overview.view(agentId))
            changed.agents.append(std::move(*view));
        else
            removed.agentIds.append(agentId);
    }
    if (!changed.agents.isEmpty())
        broadcastText(serialize(changed));
    if (!removed.agentIds.isEmpty())
        broadcast(removed);
}

void SupervisorSocketServer::sendStatsNow()
{
    for (auto &[socket, connection] : m_connections) {
        if (connection->principal && !connection->closing)
            (void)stillAuthenticated(*connection);
    }
    if (m_supervisors == 0)
        return;
    m_statsDue = true;
    m_statistics.start();
}

} // namespace heartline
