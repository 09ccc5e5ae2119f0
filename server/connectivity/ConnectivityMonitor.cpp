#include "connectivity/ConnectivityMonitor.h"

#include <algorithm>
#include <cmath>

#include <QLoggingCategory>

#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"
#include "core/Clock.h"
#include "readiness/ReadinessConfig.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcConnectivity, "heartline.connectivity")

namespace heartline {

namespace {

using State = IssueCondition::State;

qsizetype indexOf(ConnectivityIssueKind kind)
{
    return qsizetype(kind);
}

IssueCondition present(QString detail)
{
    return IssueCondition {State::Present, std::move(detail)};
}

IssueCondition clear()
{
    return IssueCondition {State::Clear, {}};
}

IssueCondition unknown()
{
    return IssueCondition {State::Unknown, {}};
}

/// The same reading of client measurements as readiness: negative, infinite or NaN is "not reported".
std::optional<double> usable(std::optional<double> value)
{
    if (value && std::isfinite(*value) && *value >= 0)
        return value;
    return std::nullopt;
}

IssueCondition headsetCondition(const DeviceReport &devices)
{
    QStringList missing;
    if (devices.audioInput == false)
        missing.append(u"headset or microphone not found"_s);
    if (devices.audioOutput == false)
        missing.append(u"headset or speakers not found"_s);
    if (!missing.isEmpty())
        return present(missing.join(u"; "_s));
    return devices.audioInput.has_value() || devices.audioOutput.has_value() ? clear() : unknown();
}

IssueCondition voiceCondition(const AgentSnapshot &snapshot)
{
    // Twilio's verdict (a SIP 404/480 for a call) counts even while the app believes it registered.
    if (!snapshot.voiceUnreachable.isEmpty())
        return present(snapshot.voiceUnreachable);
    const DeviceReport &devices = snapshot.devices;
    if (!devices.voiceRegistered)
        return unknown();
    return *devices.voiceRegistered ? clear() : present(u"voice line not registered, calls cannot ring"_s);
}

IssueCondition rttCondition(const AgentSnapshot &snapshot, const ReadinessConfig &config)
{
    const auto client = usable(snapshot.devices.networkRttMs);
    const auto ping = usable(snapshot.wsPingRttMs);
    if (!client && !ping)
        return unknown();
    const bool pingWorse = ping && (!client || *ping > *client);
    const double rtt = pingWorse ? *ping : *client;
    if (rtt < config.network.rttBadMs)
        return clear();
    return present(u"round trip %1 ms measured by %2 (bad from %3 ms)"_s.arg(
        QString::number(rtt), pingWorse ? u"WebSocket ping"_s : u"the agent app"_s,
        QString::number(config.network.rttBadMs)));
}

} // namespace

ConnectivityMonitor::ConnectivityMonitor(const AgentRegistry &registry, AgentService &agents, Database &database,
                                         const Clock &clock, QObject *parent)
    : QObject(parent), m_registry(registry), m_agents(agents), m_clock(clock), m_store(database)
{ }

ConnectivityMonitor::~ConnectivityMonitor() = default;

IssueConditions ConnectivityMonitor::conditionsOf(const AgentRecord &record, const ReadinessConfig &config,
                                                  qint64 nowMs)
{
    IssueConditions conditions;
    const AgentSnapshot &s = record.snapshot;
    if (record.sessionId == 0 || !s.sessionActive) {
        conditions.fill(clear());
        return conditions;
    }

    const bool droppedSocket = record.activity == AgentActivity::Disconnected && record.disconnectedAtMs != 0;
    conditions[indexOf(ConnectivityIssueKind::Disconnected)]
        = droppedSocket ? present(u"connection to the server dropped"_s) : clear();

    // Reports kept from an earlier session (or none at all) say nothing about this one.
    const bool reportedThisSession = s.lastHeartbeatMs && *s.lastHeartbeatMs >= record.loginAtMs;
    if (!reportedThisSession) {
        for (ConnectivityIssueKind kind :
             {ConnectivityIssueKind::StaleHeartbeat, ConnectivityIssueKind::HeadsetUnplugged,
              ConnectivityIssueKind::DeviceDisconnected, ConnectivityIssueKind::VoiceUnregistered,
              ConnectivityIssueKind::HighRtt})
            conditions[indexOf(kind)] = unknown();
        return conditions;
    }

    conditions[indexOf(ConnectivityIssueKind::StaleHeartbeat)] = record.activity == AgentActivity::Stale
        ? present(u"last heartbeat %1 s ago (limit %2 s)"_s.arg((nowMs - *s.lastHeartbeatMs + 999) / 1000)
                      .arg(QString::number(config.heartbeatThresholdSeconds)))
        : clear();

    if (!config.deviceConnectivityEnabled) {
        for (ConnectivityIssueKind kind :
             {ConnectivityIssueKind::HeadsetUnplugged, ConnectivityIssueKind::DeviceDisconnected,
              ConnectivityIssueKind::VoiceUnregistered, ConnectivityIssueKind::HighRtt})
            conditions[indexOf(kind)] = clear();
        return conditions;
    }
    conditions[indexOf(ConnectivityIssueKind::DeviceDisconnected)]
        = s.deviceConnected ? clear() : present(u"device not connected"_s);
    conditions[indexOf(ConnectivityIssueKind::HeadsetUnplugged)] = headsetCondition(s.devices);
    conditions[indexOf(ConnectivityIssueKind::VoiceUnregistered)] = voiceCondition(s);
    conditions[indexOf(ConnectivityIssueKind::HighRtt)] = rttCondition(s, config);
    return conditions;
}

std::optional<Problem> ConnectivityMonitor::start()
{
    auto loaded = m_store.openIssues();
    if (!loaded)
        return loaded.error();
    const qint64 now = m_clock.nowMs();
    for (const ConnectivityIssue &issue : loaded.value()) {
        std::optional<OpenIssue> &slot = m_open[issue.agentId][indexOf(issue.kind)];
        if (slot) {
            // Two open rows for one problem (never written by this class): keep the older one.
            if (auto problem = m_store.close(issue.id, now))
                return problem;
            continue;
        }
        slot = OpenIssue {issue.id, issue.openedAtMs, issue.detail};
        ++m_openCounts[indexOf(issue.kind)];
    }

    // Settle everything once against the state the agents were loaded with; from then on only the
    // agent that changed is looked at.
    QStringList agentIds = m_open.keys();
    m_registry.forEach([&agentIds, this](const AgentRecord &record) {
        if (!m_open.contains(record.profile.agentId))
            agentIds.append(record.profile.agentId);
    });
    for (const QString &agentId : std::as_const(agentIds))
        evaluate(agentId);
    connect(&m_agents, &AgentService::agentChanged, this, &ConnectivityMonitor::evaluate);
    return std::nullopt;
}

int ConnectivityMonitor::openCount(ConnectivityIssueKind kind) const
{
    return m_openCounts[indexOf(kind)];
}

QList<ConnectivityIssueKind> ConnectivityMonitor::openKinds(const QString &agentId) const
{
    QList<ConnectivityIssueKind> kinds;
    const auto found = m_open.constFind(agentId);
    if (found == m_open.constEnd())
        return kinds;
    for (ConnectivityIssueKind kind : allConnectivityIssueKinds) {
        if ((*found)[indexOf(kind)])
            kinds.append(kind);
    }
    return kinds;
}

void ConnectivityMonitor::evaluate(const QString &agentId)
{
    const qint64 now = m_clock.nowMs();
    const AgentRecord *record = m_registry.find(agentId);
    IssueConditions conditions;
    if (record)
        conditions = conditionsOf(*record, m_agents.readinessConfig(), now);
    else
        conditions.fill(IssueCondition {State::Clear, {}}); // removed agents have no issues

    auto found = m_open.find(agentId);
    if (found == m_open.end()) {
        // The usual heartbeat: nothing open, nothing wrong, nothing to do.
        const bool anyPresent = std::any_of(conditions.begin(), conditions.end(),
                                            [](const IssueCondition &c) { return c.state == State::Present; });
        if (!anyPresent)
            return;
        found = m_open.insert(agentId, AgentIssues {});
    }
    AgentIssues &issues = *found;
    QList<ConnectivityIssue> opened;
    QList<ConnectivityIssue> closed;
    for (ConnectivityIssueKind kind : allConnectivityIssueKinds) {
        const IssueCondition &condition = conditions[indexOf(kind)];
        const bool isOpen = issues[indexOf(kind)].has_value();
        if (condition.state == State::Present && !isOpen) {
            if (auto issue = openIssue(agentId, issues, kind, condition.detail, now))
                opened.append(std::move(*issue));
        } else if (condition.state == State::Clear && isOpen) {
            if (auto issue = closeIssue(agentId, issues, kind, now))
                closed.append(std::move(*issue));
        }
    }
    if (std::none_of(issues.begin(), issues.end(), [](const auto &issue) { return issue.has_value(); }))
        m_open.erase(found);

    // Signalled once the bookkeeping is consistent, so a listener may look at this monitor again.
    for (const ConnectivityIssue &issue : std::as_const(closed))
        Q_EMIT issueClosed(issue);
    for (const ConnectivityIssue &issue : std::as_const(opened))
        Q_EMIT issueOpened(issue);
}

std::optional<ConnectivityIssue> ConnectivityMonitor::openIssue(const QString &agentId, AgentIssues &issues,
                                                                ConnectivityIssueKind kind, const QString &detail,
                                                                qint64 nowMs)
{
    auto id = m_store.open(agentId, kind, nowMs, detail);
    if (!id)
        return std::nullopt; // logged by the store; the agent's next change tries again
    issues[indexOf(kind)] = OpenIssue {id.value(), nowMs, detail};
    ++m_openCounts[indexOf(kind)];
    qCInfo(lcConnectivity).noquote() << agentId << "issue opened:" << toString(kind) << detail;
    return ConnectivityIssue {id.value(), agentId, kind, nowMs, std::nullopt, detail};
}

std::optional<ConnectivityIssue> ConnectivityMonitor::closeIssue(const QString &agentId, AgentIssues &issues,
                                                                 ConnectivityIssueKind kind, qint64 nowMs)
{
    const OpenIssue open = *issues[indexOf(kind)];
    if (m_store.close(open.id, nowMs))
        return std::nullopt; // still open in memory: the next change tries again
    issues[indexOf(kind)].reset();
    --m_openCounts[indexOf(kind)];
    qCInfo(lcConnectivity).noquote() << agentId << "issue closed:" << toString(kind);
    return ConnectivityIssue {open.id, agentId, kind, open.openedAtMs, nowMs, open.detail};
}

} // namespace heartline
