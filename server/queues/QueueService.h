#pragma once

#include <vector>

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QString>

#include "protocol/SupervisorProtocol.h"
#include "queues/WaitingLine.h"
#include "routing/CallRouter.h"
#include "twilio/TwilioError.h"
#include "twilio/TwilioResources.h"

namespace heartline {

class AgentRegistry;
struct AgentRecord;
class AgentService;
class CandidateIndex;
class Clock;
class MetricsRegistry;
class QueueStore;
class RoutingPlan;
class TwilioRestClient;
struct QueuePlan;
struct TwilioWebhook;

/// Callers waiting for an agent (the seed's Phase 2). When discovery finds nobody, the caller is
/// enqueued (`<Enqueue>`, recorded first); the waitUrl loop says the caller's position and expected
/// wait and plays hold music; and the moment an agent who serves the queue becomes ready, the
/// longest-waiting caller is dequeued through Twilio's REST API into TwiML dialing that agent:
/// automatic recovery, driven by agent changes, not a poll. The server's order (first enqueue time)
/// decides who is next, and that very caller is dequeued by CallSid; an agent has at most one
/// hand-off in flight, from the dequeue until the offer ends.
class QueueService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueService)

public:
    struct Options
    {
        QString publicBaseUrl;
        int serviceLevelSeconds = 20;  ///< answered within this many seconds counts toward the service level
        int rebuildTimeoutMs = 10'000; ///< how long hand-offs wait for Twilio's Members lists at start
        int retryAfterErrorMs = 1'000; ///< an agent whose dequeue Twilio refused is offered a caller again after this
        /// How long agents wait for Twilio to have a caller the server just enqueued (its first
        /// waitUrl request) before the callers behind it are offered instead.
        int confirmWithinMs = 5'000;
    };

    /// Figures of one queue, for supervisors and /metrics.
    struct Statistics
    {
        int waiting = 0;
        qint64 longestWaitSeconds = 0;
        double averageWaitSeconds = 0;    ///< callers handed to an agent today
        int served = 0;                   ///< today
        int abandoned = 0;                ///< hung up while waiting, today
        int timedOut = 0;                 ///< reached the maximum wait, today
        int rejected = 0;                 ///< the queue was full, today
        double serviceLevelPercent = 100; ///< served within the service level, of served + abandoned
    };

    QueueService(const RoutingPlan &plan, AgentService &agents, AgentRegistry &registry,
                 const CandidateIndex &candidates, CallRouter &calls, QueueStore &store, TwilioRestClient *twilio,
                 MetricsRegistry &metrics, const Clock &clock, Options options, QObject *parent = nullptr);
    ~QueueService() override;

    /// Rebuilds the queues from the store after a restart and, with Twilio configured, checks them
    /// against Twilio's Queue Members (callers who left while the server was down are closed; the
    /// earliest of the stored and Twilio's enqueue time wins). No caller is handed over from a queue
    /// before its rebuild ends: Twilio answered, failed, or `rebuildTimeoutMs` passed.
    [[nodiscard]] std::optional<Problem> load();
    void reconcileWithTwilio();
    /// True once every queue's order has been rebuilt (or its rebuild gave up on Twilio).
    [[nodiscard]] bool isRebuilt() const;

    /// CallRouter's answer when no agent is ready: enqueue (recorded before it returns) or, when the
    /// queue is full, a polite message.
    CallRouter::NoAgentAnswer enqueue(const QString &callSid, const QueuePlan &queue, const QString &from,
                                      const QString &to);
    /// POST /twilio/queue/wait?queue=: what the caller hears while waiting.
    QByteArray waitTwiml(const TwilioWebhook &webhook);
    /// POST /twilio/queue/action?queue=: how the caller left the queue (QueueResult).
    QByteArray actionTwiml(const TwilioWebhook &webhook);
    /// POST /twilio/queue/voicemail?queue=: the caller's message was recorded.
    QByteArray voicemailTwiml(const TwilioWebhook &webhook);
    /// POST /twilio/queue/bridge?agent=: Twilio fetched the dequeue URL: dial the agent.
    QByteArray bridgeTwiml(const TwilioWebhook &webhook);

    /// Tries to hand the longest-waiting caller the agent serves to that agent (it just changed).
    void offerWaitingCallerTo(const QString &agentId);

    [[nodiscard]] Statistics statistics(const QString &queue) const;
    /// Every queue with its figures and waiting callers (GET /api/queues, /ws/supervisor).
    [[nodiscard]] QList<QueueView> views() const;
    [[nodiscard]] int waitingCount() const { return m_totalWaiting; }

    /// The routing plan took new settings for the same queues (RoutingPlan::replaceSettings, then
    /// CandidateIndex::rebuild): agents who now serve a queue are offered its waiting callers.
    void planReloaded();

Q_SIGNALS:
    /// A caller joined or left a queue.
    void queuesChanged();
    /// Every queue's order has been rebuilt after the start; hand-offs may begin.
    void rebuilt();
    /// A caller left a message.
    void voicemailRecorded(const QString &queue, const QString &callSid);

private:
    /// The one caller being handed to an agent, from the dequeue until the offer ends.
    struct Handoff
    {
        QString queue;
        QString callSid;
    };
    struct Queue
    {
        const QueuePlan *plan = nullptr;
        QString twilioSid;
        WaitingLine callers;
        bool rebuilt = false;           ///< its order is checked against Twilio's since the start
        bool offerAgainPending = false; ///< offerAgainLater() is due
        qint64 statsDay = 0;
        int served = 0;
        int servedWithinLevel = 0;
        qint64 servedWaitMs = 0;
        int abandoned = 0;
        int timedOut = 0;
        int rejected = 0;
    };

    Queue *queueNamed(const QString &name);
    const Queue *queueNamed(const QString &name) const;
    void removeCaller(Queue &queue, const QString &callSid, const QString &state, const QString &result,
                      const QString &agentId);
    void rollStats(Queue &queue);
    [[nodiscard]] qint64 expectedWaitSeconds(const Queue &queue, int position) const;
    [[nodiscard]] QString holdMusicUrl(const QueuePlan &plan) const;
    [[nodiscard]] QString url(const QString &path, const QString &key, const QString &value) const;
    void dequeue(Queue &queue, WaitingCaller &caller, const QString &agentId);
    /// True while the agent's hand-off is in flight; forgets a hand-off whose offer has ended.
    bool handoffInFlight(const QString &agentId);
    void finishRebuild(Queue &queue);
    void offerToReadyAgents(qsizetype queueIndex);
    /// Offers the queue's callers to ready agents again once a caller not yet confirmed by Twilio
    /// no longer holds the line.
    void offerAgainLater(Queue &queue);
    void onDequeued(const QString &queueName, const QString &callSid, const QString &agentId,
                    const TwilioResult<TwilioQueueMember> &member);
    void reconcileMembers(const QString &name, const QList<TwilioQueueMember> &members);
    void learnTwilioSid(Queue &queue, const QString &sid);
    void updateGauges();

    const RoutingPlan &m_plan;
    AgentService &m_agents;
    AgentRegistry &m_registry;
    const CandidateIndex &m_candidates;
    CallRouter &m_calls;
    QueueStore &m_store;
    TwilioRestClient *m_twilio = nullptr;
    MetricsRegistry &m_metrics;
    const Clock &m_clock;
    Options m_options;
    std::vector<Queue> m_queues;
    int m_totalWaiting = 0;
    QHash<QString, Handoff> m_handoffs; ///< by agent
    bool m_offering = false;            ///< guards against re-entry while an offer reserves an agent
};

} // namespace heartline
