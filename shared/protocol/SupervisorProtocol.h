#pragma once

#include <optional>
#include <variant>

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/AgentState.h"
#include "core/Result.h"
#include "protocol/ProtocolTypes.h"
#include "readiness/ReadinessResult.h"

// Messages of the /ws/supervisor WebSocket between the supervisor app and the server: a snapshot
// on connect, then coalesced deltas. docs/protocol.md shows each one on the wire.

namespace heartline {

/// Everything the supervisor app shows about one agent.
struct AgentView
{
    QString agentId;
    QString displayName;
    AgentStatus status = AgentStatus::Offline;
    std::optional<QString> awayReason;
    AgentActivity activity = AgentActivity::Disconnected;
    bool loggedIn = false;
    ConnectionKind connection = ConnectionKind::None;
    ReadinessResult readiness;
    std::optional<qint64> lastHeartbeatMs; ///< null on the wire when the agent never sent one
    DeviceState devices;
    bool deviceConnected = false;
    int activeCalls = 0;
    int maxConcurrentCalls = 1;
    int callsToday = 0;
    std::optional<qint64> currentCallStartedMs; ///< null when not on a call
    std::optional<double> wsRttMs;              ///< WebSocket ping round trip; null when unknown
    QStringList queues;

    friend bool operator==(const AgentView &, const AgentView &) = default;
};

// --- supervisor app → server ---

struct SupervisorHello
{
    static constexpr QStringView Type = u"hello";
    std::optional<QString> token; ///< or "Authorization: Bearer" on the upgrade request

    friend bool operator==(const SupervisorHello &, const SupervisorHello &) = default;
};

struct SupervisorSetAgentStatus
{
    static constexpr QStringView Type = u"setAgentStatus";
    QString agentId;
    AgentStatus status = AgentStatus::Offline;
    std::optional<QString> reason;

    friend bool operator==(const SupervisorSetAgentStatus &, const SupervisorSetAgentStatus &) = default;
};

struct SupervisorLogoutAgent
{
    static constexpr QStringView Type = u"logoutAgent";
    QString agentId;
    std::optional<QString> reason;

    friend bool operator==(const SupervisorLogoutAgent &, const SupervisorLogoutAgent &) = default;
};

using SupervisorClientMessage = std::variant<SupervisorHello, SupervisorSetAgentStatus, SupervisorLogoutAgent>;

// --- server → supervisor app ---

struct SupervisorWelcome
{
    static constexpr QStringView Type = u"welcome";
    QString userId;
    QString role; ///< "supervisor" or "admin"
    qint64 serverTimeMs = 0;

    friend bool operator==(const SupervisorWelcome &, const SupervisorWelcome &) = default;
};

/// Every agent, sent once after welcome, in pages of at most a few hundred agents in agent-id order;
/// deltas follow, and flow between the pages too (docs/protocol.md, "snapshot").
struct SupervisorSnapshot
{
    static constexpr QStringView Type = u"snapshot";
    QList<AgentView> agents; ///< this page's agents
    /// Connectivity statistics, passed through as the server built them. Required on page 1; later
    /// pages leave them out (empty here).
    QJsonObject stats;
    qint64 serverTimeMs = 0;
    /// 1-based. A snapshot without `page` and `pages` (a server from before paging) is page 1 of 1.
    int page = 1;
    int pages = 1; ///< how many pages this snapshot has, fixed when it starts

    friend bool operator==(const SupervisorSnapshot &, const SupervisorSnapshot &) = default;
};

/// The full view of each agent that changed since the last push (changes are coalesced).
struct SupervisorAgentsChanged
{
    static constexpr QStringView Type = u"agentsChanged";
    QList<AgentView> agents;
    qint64 serverTimeMs = 0;

    friend bool operator==(const SupervisorAgentsChanged &, const SupervisorAgentsChanged &) = default;
};

struct SupervisorAgentsRemoved
{
    static constexpr QStringView Type = u"agentsRemoved";
    QStringList agentIds;

    friend bool operator==(const SupervisorAgentsRemoved &, const SupervisorAgentsRemoved &) = default;
};

struct SupervisorStats
{
    static constexpr QStringView Type = u"stats";
    QJsonObject stats;
    qint64 serverTimeMs = 0;

    friend bool operator==(const SupervisorStats &, const SupervisorStats &) = default;
};

/// A caller waiting in a queue, as the queue panel shows it.
struct WaitingCallerView
{
    QString callSid;
    QString from;
    int position = 1; ///< 1-based
    qint64 waitSeconds = 0;
    bool beingConnected = false; ///< an agent was found and the caller is being handed over

    friend bool operator==(const WaitingCallerView &, const WaitingCallerView &) = default;
};

/// One queue with its waiting callers and today's figures.
struct QueueView
{
    QString name;
    QList<WaitingCallerView> waiting;
    qint64 longestWaitSeconds = 0;
    double averageWaitSeconds = 0; ///< of callers handed to an agent today
    int servedToday = 0;
    int abandonedToday = 0;
    int timedOutToday = 0;
    int rejectedToday = 0;            ///< the queue was full
    double serviceLevelPercent = 100; ///< served within serviceLevelSeconds, of served + abandoned
    int serviceLevelSeconds = 20;
    int agentsReady = 0; ///< ready agents who serve the queue

    friend bool operator==(const QueueView &, const QueueView &) = default;
};

/// A connectivity issue of an agent (a headset unplugged, a stale heartbeat...), from when it opened
/// until it closed: the rows of GET /api/connectivity/issues, and what `connectivityIssues` pushes.
struct ConnectivityIssueView
{
    qint64 id = 0;
    QString agentId;
    QString kind; ///< "headset_unplugged", "stale_heartbeat", ...
    qint64 openedAtMs = 0;
    std::optional<qint64> closedAtMs; ///< none while the issue is open
    QString detail;

    friend bool operator==(const ConnectivityIssueView &, const ConnectivityIssueView &) = default;
};

/// The issues that opened or closed since the previous push, each as it is now.
struct SupervisorConnectivityIssues
{
    static constexpr QStringView Type = u"connectivityIssues";
    QList<ConnectivityIssueView> issues;
    qint64 serverTimeMs = 0;

    friend bool operator==(const SupervisorConnectivityIssues &, const SupervisorConnectivityIssues &) = default;
};

/// Every queue, sent after the snapshot and whenever a caller joins or leaves a queue.
struct SupervisorQueues
{
    static constexpr QStringView Type = u"queues";
    QList<QueueView> queues;
    qint64 serverTimeMs = 0;

    friend bool operator==(const SupervisorQueues &, const SupervisorQueues &) = default;
};

/// An admin changed a user, an agent's profile or the routing plan: one row of the audit log
/// (GET /api/admin/audit), pushed to every supervisor as it is committed.
struct SupervisorAdminChange
{
    static constexpr QStringView Type = u"adminChange";
    qint64 id = 0;
    qint64 atMs = 0;
    QString actor;  ///< who: an admin's user id, or "cli"
    QString action; ///< "user.add", "user.disable", "user.enable", "user.password", "agent.profile", "routing.reload"
    QString target; ///< the user changed; empty for a routing reload
    QJsonObject detail;

    friend bool operator==(const SupervisorAdminChange &, const SupervisorAdminChange &) = default;
};

using SupervisorServerMessage
    = std::variant<SupervisorWelcome, SupervisorSnapshot, SupervisorAgentsChanged, SupervisorAgentsRemoved,
                   SupervisorStats, SupervisorQueues, SupervisorConnectivityIssues, SupervisorAdminChange, ServerError>;

[[nodiscard]] Result<SupervisorClientMessage> parseSupervisorClientMessage(QByteArrayView raw);
[[nodiscard]] Result<SupervisorServerMessage> parseSupervisorServerMessage(QByteArrayView raw);

/// Without "type": an AgentView is a part of a message, not a message.
[[nodiscard]] QJsonObject toJson(const AgentView &agent);
/// The same object written straight into `json`, keys sorted as QJsonDocument sorts them, so the bytes
/// are those of toJson's (tst_protocol_supervisor checks): every push carries one per changed agent.
void write(JsonWriter &json, const AgentView &agent);
void readFields(JsonReader &reader, AgentView &agent);

[[nodiscard]] QJsonObject toJson(const SupervisorHello &message);
[[nodiscard]] QJsonObject toJson(const SupervisorSetAgentStatus &message);
[[nodiscard]] QJsonObject toJson(const SupervisorLogoutAgent &message);
[[nodiscard]] QJsonObject toJson(const SupervisorWelcome &message);
[[nodiscard]] QJsonObject toJson(const SupervisorSnapshot &message);
[[nodiscard]] QJsonObject toJson(const SupervisorAgentsChanged &message);
[[nodiscard]] QJsonObject toJson(const SupervisorAgentsRemoved &message);
[[nodiscard]] QJsonObject toJson(const SupervisorStats &message);
[[nodiscard]] QJsonObject toJson(const SupervisorQueues &message);
[[nodiscard]] QJsonObject toJson(const SupervisorConnectivityIssues &message);
[[nodiscard]] QJsonObject toJson(const SupervisorAdminChange &message);
[[nodiscard]] QJsonObject toJson(const ConnectivityIssueView &issue);
void readFields(JsonReader &reader, ConnectivityIssueView &issue);
[[nodiscard]] QJsonObject toJson(const QueueView &queue);
void readFields(JsonReader &reader, QueueView &queue);
void readFields(JsonReader &reader, WaitingCallerView &caller);

[[nodiscard]] QByteArray serialize(const SupervisorClientMessage &message);
/// agentsChanged and snapshot pages, the messages that carry agent views, are written straight into
/// their bytes (the same bytes as through toJson); the others through QJsonObject.
[[nodiscard]] QByteArray serialize(const SupervisorServerMessage &message);
[[nodiscard]] QByteArray serialize(const SupervisorAgentsChanged &message);
[[nodiscard]] QByteArray serialize(const SupervisorSnapshot &message);

} // namespace heartline
