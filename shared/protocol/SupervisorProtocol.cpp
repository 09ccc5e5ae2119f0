#include "protocol/SupervisorProtocol.h"

#include <type_traits>

#include <QJsonArray>

#include "protocol/MessageCodec.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QString AcceptedConnections = u"websocket, http or none"_s;

constexpr qint64 MaxCount = std::numeric_limits<int>::max();

} // namespace

void readFields(JsonReader &reader, AgentView &agent)
{
    agent.agentId = reader.string(u"agentId", IdText);
    agent.displayName = reader.string(u"displayName", NameText);
    agent.status = reader.status(u"status");
    agent.awayReason = reader.optionalString(u"awayReason", ReasonText);
    agent.activity = reader.activity(u"activity");
    agent.loggedIn = reader.boolean(u"loggedIn");
    agent.connection = reader.word(u"connection", connectionKindFromString, AcceptedConnections);
    agent.readiness = reader.object<ReadinessResult>(u"readiness");
    agent.lastHeartbeatMs = reader.optionalInteger(u"lastHeartbeatMs", 0, MaxSafeInteger);
    agent.devices = reader.object<DeviceState>(u"devices");
    agent.deviceConnected = reader.boolean(u"deviceConnected");
    agent.activeCalls = int(reader.integer(u"activeCalls", 0, MaxCount));
    agent.maxConcurrentCalls = int(reader.integer(u"maxConcurrentCalls", 0, MaxCount));
    agent.callsToday = int(reader.integer(u"callsToday", 0, MaxCount));
    agent.currentCallStartedMs = reader.optionalInteger(u"currentCallStartedMs", 0, MaxSafeInteger);
    agent.wsRttMs = reader.optionalNumber(u"wsRttMs", 0, MaxRttMs);
    agent.queues = reader.stringList(u"queues", IdText);
}

QJsonObject toJson(const AgentView &agent)
{
    QJsonObject object;
    object.insert(u"agentId", agent.agentId);
    object.insert(u"displayName", agent.displayName);
    object.insert(u"status", toString(agent.status));
    codec::putOptional(object, u"awayReason", agent.awayReason);
    object.insert(u"activity", toString(agent.activity));
    object.insert(u"loggedIn", agent.loggedIn);
    object.insert(u"connection", toString(agent.connection));
    object.insert(u"readiness", toJson(agent.readiness));
    codec::putNullable(object, u"lastHeartbeatMs", agent.lastHeartbeatMs);
    object.insert(u"devices", toJson(agent.devices));
    object.insert(u"deviceConnected", agent.deviceConnected);
    object.insert(u"activeCalls", agent.activeCalls);
    object.insert(u"maxConcurrentCalls", agent.maxConcurrentCalls);
    object.insert(u"callsToday", agent.callsToday);
    codec::putNullable(object, u"currentCallStartedMs", agent.currentCallStartedMs);
    codec::putNullable(object, u"wsRttMs", agent.wsRttMs);
    object.insert(u"queues", QJsonArray::fromStringList(agent.queues));
    return object;
}

void write(JsonWriter &json, const AgentView &agent)
{
    json.beginObject();
    json.key("activeCalls").value(agent.activeCalls);
    json.key("activity").value(toString(agent.activity));
    json.key("agentId").value(agent.agentId);
    json.optional("awayReason", agent.awayReason);
    json.key("callsToday").value(agent.callsToday);
    json.key("connection").value(toString(agent.connection));
    json.nullable("currentCallStartedMs", agent.currentCallStartedMs);
    json.key("deviceConnected").value(agent.deviceConnected);
    json.key("devices");
    write(json, agent.devices);
    json.key("displayName").value(agent.displayName);
    json.nullable("lastHeartbeatMs", agent.lastHeartbeatMs);
    json.key("loggedIn").value(agent.loggedIn);
    json.key("maxConcurrentCalls").value(agent.maxConcurrentCalls);
    json.key("queues").beginArray();
    for (const QString &queue : agent.queues)
        json.value(queue);
    json.endArray();
    json.key("readiness");
    write(json, agent.readiness);
    json.key("status").value(toString(agent.status));
    json.nullable("wsRttMs", agent.wsRttMs);
    json.endObject();
}

void readFields(JsonReader &reader, WaitingCallerView &caller)
{
    caller.callSid = reader.string(u"callSid", IdText);
    caller.from = reader.string(u"from", NameText);
    caller.position = int(reader.integer(u"position", 1, MaxCount));
    caller.waitSeconds = reader.integer(u"waitSeconds", 0, MaxSafeInteger);
    caller.beingConnected = reader.boolean(u"beingConnected");
}

void readFields(JsonReader &reader, QueueView &queue)
{
    queue.name = reader.string(u"name", IdText);
    queue.waiting = reader.objectList<WaitingCallerView>(u"waiting");
    queue.longestWaitSeconds = reader.integer(u"longestWaitSeconds", 0, MaxSafeInteger);
    queue.averageWaitSeconds = reader.number(u"averageWaitSeconds", 0, double(MaxSafeInteger));
    queue.servedToday = int(reader.integer(u"servedToday", 0, MaxCount));
    queue.abandonedToday = int(reader.integer(u"abandonedToday", 0, MaxCount));
    queue.timedOutToday = int(reader.integer(u"timedOutToday", 0, MaxCount));
    queue.rejectedToday = int(reader.integer(u"rejectedToday", 0, MaxCount));
    queue.serviceLevelPercent = reader.number(u"serviceLevelPercent", 0, 100);
    queue.serviceLevelSeconds = int(reader.integer(u"serviceLevelSeconds", 1, MaxCount));
    queue.agentsReady = int(reader.integer(u"agentsReady", 0, MaxCount));
}

QJsonObject toJson(const QueueView &queue)
{
    QJsonArray waiting;
    for (const WaitingCallerView &caller : queue.waiting) {
        waiting.append(QJsonObject {{u"callSid"_s, caller.callSid},
                                    {u"from"_s, caller.from},
                                    {u"position"_s, caller.position},
                                    {u"waitSeconds"_s, caller.waitSeconds},
                                    {u"beingConnected"_s, caller.beingConnected}});
    }
    QJsonObject object;
    object.insert(u"name", queue.name);
    object.insert(u"waiting", waiting);
    object.insert(u"longestWaitSeconds", queue.longestWaitSeconds);
    object.insert(u"averageWaitSeconds", queue.averageWaitSeconds);
    object.insert(u"servedToday", queue.servedToday);
    object.insert(u"abandonedToday", queue.abandonedToday);
    object.insert(u"timedOutToday", queue.timedOutToday);
    object.insert(u"rejectedToday", queue.rejectedToday);
    object.insert(u"serviceLevelPercent", queue.serviceLevelPercent);
    object.insert(u"serviceLevelSeconds", queue.serviceLevelSeconds);
    object.insert(u"agentsReady", queue.agentsReady);
    return object;
}

void readFields(JsonReader &reader, ConnectivityIssueView &issue)
{
    issue.id = reader.integer(u"id", 0, MaxSafeInteger);
    issue.agentId = reader.string(u"agentId", IdText);
    issue.kind = reader.string(u"kind", IdText);
    issue.openedAtMs = reader.integer(u"openedAtMs", 0, MaxSafeInteger);
    issue.closedAtMs = reader.optionalInteger(u"closedAtMs", 0, MaxSafeInteger);
    issue.detail = reader.optionalString(u"detail", MessageText).value_or(QString());
}

QJsonObject toJson(const ConnectivityIssueView &issue)
{
    QJsonObject object;
    object.insert(u"id", issue.id);
    object.insert(u"agentId", issue.agentId);
    object.insert(u"kind", issue.kind);
    object.insert(u"openedAtMs", issue.openedAtMs);
    codec::putNullable(object, u"closedAtMs", issue.closedAtMs);
    object.insert(u"detail", issue.detail);
    return object;
}

// Static but in namespace heartline, so that codec::parseMessage finds them by argument-dependent lookup.

static void readFields(JsonReader &reader, SupervisorHello &message)
{
    message.token = reader.optionalString(u"token", TokenText);
}

static void readFields(JsonReader &reader, SupervisorSetAgentStatus &message)
{
    message.agentId = reader.string(u"agentId", IdText);
    message.status = reader.status(u"status");
    message.reason = reader.optionalString(u"reason", ReasonText);
}

static void readFields(JsonReader &reader, SupervisorLogoutAgent &message)
{
    message.agentId = reader.string(u"agentId", IdText);
    message.reason = reader.optionalString(u"reason", ReasonText);
}

static void readFields(JsonReader &reader, SupervisorWelcome &message)
{
    message.userId = reader.string(u"userId", IdText);
    message.role = reader.string(u"role", IdText);
    message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
}

static void readFields(JsonReader &reader, SupervisorSnapshot &message)
{
    message.agents = reader.objectList<AgentView>(u"agents");
    // Neither field (a server from before paging): the snapshot is whole, page 1 of 1.
    message.pages = int(reader.optionalInteger(u"pages", 1, MaxCount).value_or(1));
    message.page = int(reader.optionalInteger(u"page", 1, message.pages).value_or(1));
    // The statistics come with the first page only.
    if (message.page == 1)
        message.stats = reader.rawObject(u"stats");
    else
        message.stats = reader.optionalRawObject(u"stats").value_or(QJsonObject());
    message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
}

static void readFields(JsonReader &reader, SupervisorAgentsChanged &message)
{
    message.agents = reader.objectList<AgentView>(u"agents");
    message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
}

static void readFields(JsonReader &reader, SupervisorAgentsRemoved &message)
{
    message.agentIds = reader.stringList(u"agentIds", IdText);
}

static void readFields(JsonReader &reader, SupervisorStats &message)
{
    message.stats = reader.rawObject(u"stats");
    message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
}

static void readFields(JsonReader &reader, SupervisorQueues &message)
{
    message.queues = reader.objectList<QueueView>(u"queues");
    message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
}

static void readFields(JsonReader &reader, SupervisorConnectivityIssues &message)
{
    message.issues = reader.objectList<ConnectivityIssueView>(u"issues");
    message.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
}

static void readFields(JsonReader &reader, SupervisorAdminChange &message)
{
    message.id = reader.integer(u"id", 0, MaxSafeInteger);
    message.atMs = reader.integer(u"atMs", 0, MaxSafeInteger);
    message.actor = reader.string(u"actor", IdText);
    message.action = reader.string(u"action", IdText);
    message.target = reader.string(u"target", TextRule {MaxIdLength, true});
    message.detail = reader.rawObject(u"detail");
}

Result<SupervisorClientMessage> parseSupervisorClientMessage(QByteArrayView raw)
{
    return codec::parseMessage<SupervisorHello, SupervisorSetAgentStatus, SupervisorLogoutAgent>(
        raw, u"/ws/supervisor from a supervisor app");
}

Result<SupervisorServerMessage> parseSupervisorServerMessage(QByteArrayView raw)
{
    return codec::parseMessage<SupervisorWelcome, SupervisorSnapshot, SupervisorAgentsChanged, SupervisorAgentsRemoved,
                               SupervisorStats, SupervisorQueues, SupervisorConnectivityIssues, SupervisorAdminChange,
                               ServerError>(raw, u"/ws/supervisor from the server", MaxServerMessageBytes);
}

QJsonObject toJson(const SupervisorHello &message)
{
    QJsonObject object = codec::envelope(SupervisorHello::Type);
    codec::putOptional(object, u"token", message.token);
    return object;
}

QJsonObject toJson(const SupervisorSetAgentStatus &message)
{
    QJsonObject object = codec::envelope(SupervisorSetAgentStatus::Type);
    object.insert(u"agentId", message.agentId);
    object.insert(u"status", toString(message.status));
    codec::putOptional(object, u"reason", message.reason);
    return object;
}

QJsonObject toJson(const SupervisorLogoutAgent &message)
{
    QJsonObject object = codec::envelope(SupervisorLogoutAgent::Type);
    object.insert(u"agentId", message.agentId);
    codec::putOptional(object, u"reason", message.reason);
    return object;
}

QJsonObject toJson(const SupervisorWelcome &message)
{
    QJsonObject object = codec::envelope(SupervisorWelcome::Type);
    object.insert(u"userId", message.userId);
    object.insert(u"role", message.role);
    object.insert(u"serverTimeMs", message.serverTimeMs);
    return object;
}

QJsonObject toJson(const SupervisorSnapshot &message)
{
    QJsonObject object = codec::envelope(SupervisorSnapshot::Type);
    object.insert(u"agents", codec::toJsonArray(message.agents));
    if (message.page == 1 || !message.stats.isEmpty())
        object.insert(u"stats", message.stats);
    object.insert(u"serverTimeMs", message.serverTimeMs);
    object.insert(u"page", message.page);
    object.insert(u"pages", message.pages);
    return object;
}

QJsonObject toJson(const SupervisorAgentsChanged &message)
{
    QJsonObject object = codec::envelope(SupervisorAgentsChanged::Type);
    object.insert(u"agents", codec::toJsonArray(message.agents));
    object.insert(u"serverTimeMs", message.serverTimeMs);
    return object;
}

QJsonObject toJson(const SupervisorAgentsRemoved &message)
{
    QJsonObject object = codec::envelope(SupervisorAgentsRemoved::Type);
    object.insert(u"agentIds", QJsonArray::fromStringList(message.agentIds));
    return object;
}

QJsonObject toJson(const SupervisorStats &message)
{
    QJsonObject object = codec::envelope(SupervisorStats::Type);
    object.insert(u"stats", message.stats);
    object.insert(u"serverTimeMs", message.serverTimeMs);
    return object;
}

QJsonObject toJson(const SupervisorQueues &message)
{
    QJsonObject object = codec::envelope(SupervisorQueues::Type);
    QJsonArray queues;
    for (const QueueView &queue : message.queues)
        queues.append(toJson(queue));
    object.insert(u"queues", queues);
    object.insert(u"serverTimeMs", message.serverTimeMs);
    return object;
}

QJsonObject toJson(const SupervisorConnectivityIssues &message)
{
    QJsonObject object = codec::envelope(SupervisorConnectivityIssues::Type);
    object.insert(u"issues", codec::toJsonArray(message.issues));
    object.insert(u"serverTimeMs", message.serverTimeMs);
    return object;
}

QJsonObject toJson(const SupervisorAdminChange &message)
{
    QJsonObject object = codec::envelope(SupervisorAdminChange::Type);
    object.insert(u"id", message.id);
    object.insert(u"atMs", message.atMs);
    object.insert(u"actor", message.actor);
    object.insert(u"action", message.action);
    object.insert(u"target", message.target);
    object.insert(u"detail", message.detail);
    return object;
}

QByteArray serialize(const SupervisorClientMessage &message)
{
    return codec::serializeMessage(message);
}

QByteArray serialize(const SupervisorServerMessage &message)
{
    return std::visit(
        [](const auto &m) {
            using Message = std::decay_t<decltype(m)>;
            constexpr bool carriesViews
                = std::is_same_v<Message, SupervisorAgentsChanged> || std::is_same_v<Message, SupervisorSnapshot>;
            if constexpr (carriesViews)
                return serialize(m);
            else
                return serialize(toJson(m));
        },
        message);
}

namespace {

/// About what one agent view takes (a view with devices and readiness reasons is 1-1.2 KB): one
/// allocation for most messages.
constexpr qsizetype ViewBytes = 1280;

void writeAgents(JsonWriter &json, const QList<AgentView> &agents)
{
    json.key("agents").beginArray();
    for (const AgentView &agent : agents)
        write(json, agent);
    json.endArray();
}

} // namespace

QByteArray serialize(const SupervisorAgentsChanged &message)
{
    QByteArray out;
    out.reserve(128 + message.agents.size() * ViewBytes);
    JsonWriter json(out);
    json.beginObject();
    writeAgents(json, message.agents);
    json.key("serverTimeMs").value(message.serverTimeMs);
    json.key("type").value(SupervisorAgentsChanged::Type.toString());
    json.key("v").value(ProtocolVersion);
    json.endObject();
    return out;
}

QByteArray serialize(const SupervisorSnapshot &message)
{
    QByteArray out;
    out.reserve(1024 + message.agents.size() * ViewBytes);
    JsonWriter json(out);
    json.beginObject();
    writeAgents(json, message.agents);
    json.key("page").value(message.page);
    json.key("pages").value(message.pages);
    json.key("serverTimeMs").value(message.serverTimeMs);
    // Passed through as the server built them: a few dozen figures, once a snapshot.
    if (message.page == 1 || !message.stats.isEmpty())
        json.key("stats").raw(serialize(message.stats));
    json.key("type").value(SupervisorSnapshot::Type.toString());
    json.key("v").value(ProtocolVersion);
    json.endObject();
    return out;
}

} // namespace heartline
