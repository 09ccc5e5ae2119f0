#include "models/SupervisorSession.h"

#include <QSet>

#include "SupervisorLogging.h"
#include "core/Clock.h"

using namespace Qt::StringLiterals;

namespace heartline {

SupervisorSession::SupervisorSession(const Clock &clock, QObject *parent) : SupervisorSession(clock, Options {}, parent)
{ }

SupervisorSession::SupervisorSession(const Clock &clock, Options options, QObject *parent)
    : QObject(parent), m_clock(clock), m_options(options), m_serverClock(clock), m_connection(options.connection, {}),
      m_agents(m_serverClock)
{
    m_routingTimer.setInterval(m_options.routingPollMs);
    connect(&m_routingTimer, &QTimer::timeout, this, &SupervisorSession::refreshRouting);
    m_sampleTimer.setInterval(m_options.sampleCheckMs);
    connect(&m_sampleTimer, &QTimer::timeout, this, [this] { (void)sampleIfDue(); });
    wire();
}

SupervisorSession::~SupervisorSession() = default;

void SupervisorSession::wire()
{
    // Issues that closed while the connection was down were never pushed: read them again, from the
    // first page on, so that pushes between the pages are kept.
    connect(&m_connection, &SupervisorConnection::snapshotStarted, &m_issues, &ConnectivityIssueLog::clear);
    connect(&m_connection, &SupervisorConnection::snapshotReceived, this, [this](const SupervisorSnapshot &snapshot) {
        received(snapshot.serverTimeMs);
        m_hadSnapshot = true;
        m_agents.resetAgents(snapshot.agents);
        m_stats = snapshot.stats;
        Q_EMIT figuresChanged();
    });
    connect(&m_connection, &SupervisorConnection::agentsChanged, this, [this](const SupervisorAgentsChanged &changed) {
        received(changed.serverTimeMs);
        m_agents.queueChanges(changed.agents);
    });
    connect(&m_connection, &SupervisorConnection::agentsRemoved, this, [this](const QStringList &agentIds) {
        m_lastUpdateMs = m_clock.nowMs();
        m_agents.queueRemovals(agentIds);
    });
    connect(&m_connection, &SupervisorConnection::statsReceived, this,
            [this](const QJsonObject &stats, qint64 serverTimeMs) {
                received(serverTimeMs);
                m_stats = stats;
                Q_EMIT figuresChanged();
            });
    connect(&m_connection, &SupervisorConnection::queuesReceived, this, [this](const QueuesUpdate &update) {
        received(update.serverTimeMs);
        m_queuesReported = true;
        m_queues.setQueues(update.queues);
        Q_EMIT queuesChanged();
    });
    // The header counts the table's agents: it follows every applied push.
    connect(&m_agents, &AgentTableModel::flushed, this, &SupervisorSession::figuresChanged);
    connect(&m_connection, &SupervisorConnection::adminChangeReceived, this, &SupervisorSession::adminChanged);
    connect(&m_connection, &SupervisorConnection::connectivityIssuesReceived, this,
            [this](const SupervisorConnectivityIssues &issues) {
                received(issues.serverTimeMs);
                m_issues.merge(issues.issues);
            });
    connect(&m_connection, &SupervisorConnection::staleChanged, this, [this](bool stale) {
        m_agents.setStale(stale);
        Q_EMIT staleChanged(stale);
    });
    connect(&m_connection, &SupervisorConnection::commandRefused, this, &SupervisorSession::actionRefused);
    connect(&m_connection, &SupervisorConnection::sessionRefused, this, &SupervisorSession::sessionEnded);
}

void SupervisorSession::received(qint64 serverTimeMs)
{
    m_lastUpdateMs = m_clock.nowMs();
    if (serverTimeMs > 0)
        m_serverClock.sync(serverTimeMs);
}

void SupervisorSession::start(const SupervisorCredentials &credentials)
{
    m_credentials = credentials;
    m_api.setBaseUrl(credentials.serverUrl);
    m_api.setToken(credentials.token);
    m_connection.open(m_api.supervisorSocketUrl(), credentials.token);
    m_agents.setTickIntervalMs(m_options.tickMs);
    m_routingTimer.start();
    m_sampleTimer.start();
    refreshRouting();
    Q_EMIT started();
}

void SupervisorSession::signOut()
{
    m_routingTimer.stop();
    m_sampleTimer.stop();
    m_agents.setTickIntervalMs(0);
    m_connection.close();
    m_api.logout();
}

QStringList SupervisorSession::agentQueues() const
{
    QSet<QString> names;
    for (const AgentView &agent : m_agents.agents()) {
        for (const QString &queue : agent.queues)
            names.insert(queue);
    }
    QStringList sorted(names.cbegin(), names.cend());
    sorted.sort();
    return sorted;
}

bool SupervisorSession::sampleIfDue()
{
    const qint64 now = m_clock.nowMs();
    if (!m_history.due(now) || m_connection.state() != SupervisorConnection::State::Live)
        return false;
    int ready = 0;
    for (const AgentView &agent : m_agents.agents()) {
        if (agent.loggedIn && agent.readiness.ready)
            ++ready;
    }
    m_history.add(ChartSample {now, ready, m_queues.totalWaiting()});
    Q_EMIT historyChanged();
    return true;
}

void SupervisorSession::refreshRouting()
{
    m_api.routingDecisions({}, m_options.routingDecisions, this,
                           [this](const Result<QList<RoutingDecisionView>> &decisions) {
                               if (!decisions) {
                                   qCWarning(lcSupervisorApi).noquote()
                                       << "routing decisions:" << decisions.error().code << decisions.error().message;
                                   return;
                               }
                               const RoutingSummary summary = RoutingSummary::from(decisions.value());
                               if (summary == m_routing)
                                   return;
                               m_routing = summary;
                               Q_EMIT figuresChanged();
                           });
}

bool SupervisorSession::setAgentAway(const QString &agentId, const QString &reason)
{
    qCInfo(lcSupervisorUi).noquote() << "set away" << agentId << reason;
    return m_connection.setAgentStatus(agentId, AgentStatus::Away, reason);
}

bool SupervisorSession::setAgentAvailable(const QString &agentId)
{
    qCInfo(lcSupervisorUi).noquote() << "set available" << agentId;
    return m_connection.setAgentStatus(agentId, AgentStatus::Available, {});
}

bool SupervisorSession::logoutAgent(const QString &agentId, const QString &reason)
{
    qCInfo(lcSupervisorUi).noquote() << "log out" << agentId << reason;
    return m_connection.logoutAgent(agentId, reason);
}

} // namespace heartline
