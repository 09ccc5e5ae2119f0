#include "realtime/AgentSocketServer.h"

#include <algorithm>

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QWebSocket>

#include "agents/AgentInputs.h"
#include "agents/AgentService.h"
#include "auth/AuthService.h"
#include "core/Clock.h"
#include "metrics/Metrics.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcAgentSocket, "heartline.ws.agent")

namespace heartline {

namespace {

std::optional<QByteArray> bearerFromUpgrade(const QWebSocket &socket)
{
    const QByteArray header = socket.request().rawHeader("Authorization").trimmed();
    if (header.size() > 7 && header.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return header.mid(7).trimmed();
    return std::nullopt;
}

AgentAck ackFor(const AgentRecord &record, std::optional<qint64> seq, qint64 nowMs)
{
    AgentAck ack;
    ack.seq = seq;
    ack.status = record.snapshot.status;
    ack.activity = record.activity;
    ack.readiness = record.readiness;
    ack.serverTimeMs = nowMs;
    return ack;
}

AgentReadiness readinessFor(const AgentRecord &record, qint64 nowMs)
{
    AgentReadiness message;
    message.status = record.snapshot.status;
    if (!record.snapshot.awayReason.isEmpty())
        message.awayReason = record.snapshot.awayReason;
    message.activity = record.activity;
    message.readiness = record.readiness;
    message.serverTimeMs = nowMs;
    return message;
}

} // namespace

int AgentSocketServer::reconnectSpreadMs(qsizetype apps)
{
    const qint64 spread = qint64(apps) * 1000 / ReturningAppsPerSecond;
    return int(std::clamp<qint64>(spread, MinReconnectSpreadMs, MaxReconnectSpreadMs));
}

AgentWelcome AgentSocketServer::welcomeFor(const AgentRecord &record, bool resumed) const
{
    AgentWelcome welcome;
    welcome.agentId = record.profile.agentId;
    welcome.displayName = record.profile.displayName;
    welcome.heartbeatIntervalSeconds = m_agents.heartbeatIntervalSeconds();
    welcome.pingIntervalSeconds = qMax(1, m_options.pingIntervalMs / 1000);
    welcome.status = record.snapshot.status;
    if (!record.snapshot.awayReason.isEmpty())
        welcome.awayReason = record.snapshot.awayReason;
    welcome.activity = record.activity;
    welcome.readiness = record.readiness;
    welcome.serverTimeMs = m_clock.nowMs();
    welcome.resumed = resumed;
    const AgentService::IdleWatch idleWatch = m_agents.idleWatch();
    welcome.idlePromptSeconds = idleWatch.promptSeconds;
    welcome.idleGraceSeconds = idleWatch.graceSeconds;
    welcome.inputQuietSeconds = idleWatch.quietSeconds;
    welcome.reconnectSpreadMs = reconnectSpreadMs(qsizetype(m_byAgent.size()));
    return welcome;
}

AgentSocketServer::AgentSocketServer(AgentService &agents, const AuthService &auth, const Clock &clock,
                                     MetricsRegistry &metrics, Options options, QObject *parent)
    : QObject(parent), m_agents(agents), m_auth(auth), m_clock(clock), m_options(options),
      m_changed([this](const QStringList &agentIds) { pushReadiness(agentIds); }),
      m_heartbeats(metrics.counter(u"heartline_heartbeats_total"_s, u"Agent heartbeats received."_s, {u"transport"_s},
                                   {u"websocket"_s})),
      m_processing(metrics.histogram(u"heartline_heartbeat_processing_seconds"_s,
                                     u"Time to process one heartbeat, from parsed message to answer."_s,
                                     MetricsRegistry::latencyBuckets(), {u"transport"_s}, {u"websocket"_s})),
      m_openConnections(metrics.gauge(u"heartline_websocket_connections"_s, u"Open WebSocket connections."_s,
                                      {u"endpoint"_s}, {u"agent"_s}))
{
    connect(&m_agents, &AgentService::statusForced, this, &AgentSocketServer::onStatusForced);
    // The app hears at once that a call is over for the agent, whatever its voice line noticed.
    connect(&m_agents, &AgentService::callFinished, this,
            [this](const QString &agentId, const QString &callSid, const QString &outcome) {
                const auto it = m_connections.find(m_byAgent.value(agentId));
                if (it != m_connections.end())
                    sendTo(it->first, AgentCallEnded {callSid, outcome});
            });
    // Emitted for every heartbeat and ping of every agent: only note the agent, and only when an app
    // of it is here to tell; the comparison with what the app shows waits for the end of the turn.
    connect(&m_agents, &AgentService::agentChanged, this, [this](const QString &agentId) {
        if (m_byAgent.contains(agentId))
            m_changed.mark(agentId);
    });
    m_livenessTimer.setInterval(qMax(50, m_options.pingIntervalMs / LivenessChecksPerInterval));
    connect(&m_livenessTimer, &QTimer::timeout, this, &AgentSocketServer::checkLiveness);
    m_livenessTimer.start();
}

AgentSocketServer::~AgentSocketServer()
{
    for (auto &[socket, connection] : m_connections) {
        socket->disconnect(this);
        delete socket;
    }
}

void AgentSocketServer::accept(std::unique_ptr<QWebSocket> owned)
{
    QWebSocket *socket = owned.release();
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(MaxMessageBytes);
    const qint64 now = m_clock.nowMs();
    Connection &connection = m_connections[socket];
    connection.acceptedAtMs = now;
    connection.lastSeenMs = now;
    // Its first ping comes up to one interval early, by its place among the groups: apps that connect
    // together (all of them, after a restart) are pinged a group per liveness check, not all at once.
    const qint64 group = qint64(m_accepted++ % LivenessChecksPerInterval);
    connection.lastPingMs = now - group * (m_options.pingIntervalMs / LivenessChecksPerInterval);
    m_openConnections.set(double(m_connections.size()));

    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, socket](const QString &text) { onTextMessage(socket, text); });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket] {
        sendTo(socket, ServerError {u"malformed_json"_s, u"binary frames are not accepted: send JSON text"_s});
    });
    connect(socket, &QWebSocket::pong, this, [this, socket](quint64 elapsedMs) {
        const auto it = m_connections.find(socket);
        if (it == m_connections.end())
            return;
        it->second.lastSeenMs = m_clock.nowMs();
        if (!it->second.agentId.isEmpty())
            m_agents.pingMeasured(it->second.agentId, double(elapsedMs));
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { onDisconnected(socket); });

    if (const auto token = bearerFromUpgrade(*socket))
        authenticate(socket, connection, *token);
}

void AgentSocketServer::authenticate(QWebSocket *socket, Connection &connection, QByteArrayView token)
{
    const auto principal = m_auth.authenticate(token);
    if (!principal) {
        refuse(socket, u"unauthenticated"_s, u"the token is missing, expired or revoked: log in again"_s);
        return;
    }
    if (principal->role != Role::Agent) {
        refuse(socket, u"forbidden"_s, u"/ws/agent is for agent accounts"_s);
        return;
    }
    const QString agentId = principal->userId;
    if (auto problem = m_agents.ensureSession(agentId)) {
        refuse(socket, problem->code, problem->message);
        return;
    }
    if (QWebSocket *previous = m_byAgent.value(agentId); previous && previous != socket) {
        // One live app per agent: the newest login wins, the older one is told why it was closed.
        m_connections[previous].replaced = true;
        sendTo(previous, AgentSessionReplaced {u"You signed in on another device; this window was disconnected."_s});
        previous->close(QWebSocketProtocol::CloseCodeNormal, u"session replaced"_s);
    }
    connection.agentId = agentId;
    m_byAgent.insert(agentId, socket);
    const bool resumed = m_agents.connectionOpened(agentId);
    const AgentRecord *record = m_agents.agent(agentId);
    sendView(socket, connection, *record, welcomeFor(*record, resumed));
    qCInfo(lcAgentSocket).noquote() << agentId << (resumed ? "reconnected" : "connected");
    Q_EMIT agentConnected(agentId);
}

void AgentSocketServer::onTextMessage(QWebSocket *socket, const QString &text)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &connection = it->second;
    connection.lastSeenMs = m_clock.nowMs();

    const auto parsed = parseAgentClientMessage(text.toUtf8());
    if (!parsed) {
        sendTo(socket, ServerError {parsed.error().code, parsed.error().message});
        if (connection.agentId.isEmpty())
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"expected hello"_s);
        return;
    }
    if (connection.agentId.isEmpty()) {
        const auto *hello = std::get_if<AgentHello>(&parsed.value());
        if (!hello || !hello->token) {
            refuse(socket, u"unauthenticated"_s,
                   u"send {\"type\":\"hello\",\"token\":\"...\"} first, or the token as Authorization: Bearer"_s);
            return;
        }
        authenticate(socket, connection, hello->token->toUtf8());
        return;
    }
    handle(socket, connection, parsed.value());
}

void AgentSocketServer::handle(QWebSocket *socket, Connection &connection, const AgentClientMessage &message)
{
    const QString &agentId = connection.agentId;
    const qint64 now = m_clock.nowMs();
    if (std::holds_alternative<AgentHello>(message)) {
        // A repeated hello changes nothing; answer with the current state so the app can resync.
        const AgentRecord &record = *m_agents.agent(agentId);
        sendView(socket, connection, record, welcomeFor(record, false));
        return;
    }
    Result<const AgentRecord *> outcome = std::visit(
        [&](const auto &msg) -> Result<const AgentRecord *> {
            using T = std::decay_t<decltype(msg)>;
            if constexpr (std::is_same_v<T, AgentHeartbeat>) {
                QElapsedTimer timer;
                timer.start();
                auto result = m_agents.heartbeat(agentId, heartbeatInput(msg), HeartbeatTransport::WebSocket);
                m_heartbeats.increment();
                m_processing.observe(double(timer.nsecsElapsed()) / 1e9);
                return result;
            } else if constexpr (std::is_same_v<T, AgentDeviceState>) {
                return m_agents.updateDevices(agentId, deviceReport(msg.devices), deviceDetails(msg.devices),
                                              msg.deviceConnected, presenceReport(msg.devices));
            } else if constexpr (std::is_same_v<T, AgentSetStatus>) {
                return m_agents.setStatus(agentId, msg.status, msg.reason.value_or(QString()),
                                          StatusChangeSource::Agent, u"agent"_s);
            } else {
                return Problem {u"unknown_type"_s, u"type"_s, u"unexpected message"_s};
            }
        },
        message);
    if (!outcome) {
        sendTo(socket, ServerError {outcome.error().code, outcome.error().message});
        return;
    }
    std::optional<qint64> seq;
    if (const auto *heartbeat = std::get_if<AgentHeartbeat>(&message))
        seq = heartbeat->seq;
    sendView(socket, connection, *outcome.value(), ackFor(*outcome.value(), seq, now));
}

void AgentSocketServer::onDisconnected(QWebSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    const Connection connection = it->second;
    m_connections.erase(it);
    m_openConnections.set(double(m_connections.size()));
    socket->deleteLater();
    if (connection.agentId.isEmpty() || m_byAgent.value(connection.agentId) != socket)
        return; // never authenticated, or replaced by a newer connection of the same agent
    m_byAgent.remove(connection.agentId);
    m_agents.connectionLost(connection.agentId,
                            socket->closeReason().isEmpty() ? u"socket closed"_s : socket->closeReason());
    Q_EMIT agentDisconnected(connection.agentId);
}

void AgentSocketServer::checkLiveness()
{
    const qint64 now = m_clock.nowMs();
    const qint64 interval = m_options.pingIntervalMs;
    // Checked LivenessChecksPerInterval times an interval: a socket silent for 1.75 intervals is found
    // no later than 2 intervals after its last frame.
    const qint64 deadAfter = interval * 7 / 4;
    QList<QWebSocket *> dead;
    for (auto &[socket, connection] : m_connections) {
        if (connection.agentId.isEmpty()) {
            if (now - connection.acceptedAtMs >= m_options.helloTimeoutMs)
                dead.append(socket);
            continue;
        }
        if (now - connection.lastSeenMs > deadAfter) {
            dead.append(socket);
            continue;
        }
        if (now - connection.lastPingMs >= interval) {
            // Keeps its group: the next ping one interval after this one was due, not after now.
            connection.lastPingMs = qMax(connection.lastPingMs + interval, now - interval / 2);
            socket->ping();
            ++m_pingsSent;
        }
    }
    for (QWebSocket *socket : dead) {
        const QString agentId = m_connections[socket].agentId;
        if (!agentId.isEmpty()) {
            qCInfo(lcAgentSocket).noquote() << agentId << "stopped answering pings: half-open connection";
            m_agents.connectionLost(agentId, u"no answer to pings"_s);
            m_byAgent.remove(agentId);
            Q_EMIT agentDisconnected(agentId);
        }
        m_connections.erase(socket);
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    if (!dead.isEmpty())
        m_openConnections.set(double(m_connections.size()));
}

bool AgentSocketServer::send(const QString &agentId, const AgentServerMessage &message)
{
    QWebSocket *socket = m_byAgent.value(agentId);
    if (!socket)
        return false;
    sendTo(socket, message);
    return true;
}

void AgentSocketServer::sendTo(QWebSocket *socket, const AgentServerMessage &message)
{
    socket->sendTextMessage(QString::fromUtf8(serialize(message)));
}

void AgentSocketServer::sendView(QWebSocket *socket, Connection &connection, const AgentRecord &record,
                                 const AgentServerMessage &message)
{
    sendTo(socket, message);
    connection.shown = AgentAppView::of(record);
    // The answer carries the agent as it is now: a push still pending from this turn would repeat it.
    m_changed.forget(connection.agentId);
}

void AgentSocketServer::pushReadiness(const QStringList &agentIds)
{
    const qint64 now = m_clock.nowMs();
    for (const QString &agentId : agentIds) {
        const auto it = m_connections.find(m_byAgent.value(agentId));
        if (it == m_connections.end())
            continue; // the app went away since the change
        QWebSocket *socket = it->first;
        const AgentRecord *record = m_agents.agent(agentId);
        if (!record)
            continue;
        AgentAppView view = AgentAppView::of(*record);
        if (it->second.shown == view)
            continue; // a ping or a heartbeat's timestamp: nothing the app shows
        it->second.shown = std::move(view);
        sendTo(socket, readinessFor(*record, now));
    }
}

void AgentSocketServer::refuse(QWebSocket *socket, const QString &code, const QString &message)
{
    sendTo(socket, ServerError {code, message});
    socket->close(QWebSocketProtocol::CloseCodePolicyViolated, code);
}

void AgentSocketServer::onStatusForced(const StatusChange &change)
{
    const AgentRecord *record = m_agents.agent(change.agentId);
    AgentStatusChanged message;
    message.status = change.to;
    if (!change.awayReason.isEmpty())
        message.awayReason = change.awayReason;
    message.activity = record ? record->activity : AgentActivity::Disconnected;
    message.by = change.by;
    message.cause = change.cause;
    send(change.agentId, message);
}

} // namespace heartline
