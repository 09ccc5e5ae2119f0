#pragma once

#include <deque>
#include <functional>
#include <optional>

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QString>

#include "routing/Discovery.h"
#include "sip/SipSettings.h"
#include "twilio/FormParams.h"

namespace heartline {

class AgentService;
class CallStore;
class Clock;
class Counter;
class Histogram;
class MetricsRegistry;
class RoutingPlan;
class TwilioRestClient;
struct AgentCallOffered;
struct StoredAgentCall;
struct TwilioCall;
struct CallStatusCallback;
struct DialAction;
struct QueuePlan;

/// Turns Twilio's voice webhooks into routing: the inbound call runs discovery and gets TwiML that
/// dials the chosen agent (reserved until the offer ends); the Dial action settles the offer
/// (answered → on a call, then wrap-up; not answered → cooldown and the next agent); status
/// callbacks keep calls and agent activity true in any order. Every decision is recorded.
class CallRouter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallRouter)

public:
    struct Options
    {
        QString publicBaseUrl;          ///< PUBLIC_BASE_URL, without a trailing slash
        int dialTimeoutSeconds = 20;    ///< DIAL_TIMEOUT_SECONDS
        bool debugLog = false;          ///< INBOUND_CALL_DEBUG
        std::optional<SipSettings> sip; ///< set: agents are dialed with <Dial><Sip>, else <Dial><Client>
    };
    /// What to answer when nobody can take the call, and which path that was (queued, or none when
    /// the caller could not be queued).
    struct NoAgentAnswer
    {
        QByteArray twiml;
        DiscoveryPath path = DiscoveryPath::None;
    };
    using NoAgentHandler = std::function<NoAgentAnswer(const QString &callSid, const QueuePlan &queue,
                                                       const QString &from, const QString &to)>;
    /// The screen pop: the chosen agent's app is told about the call it is being offered.
    using OfferNotifier = std::function<void(const QString &agentId, const AgentCallOffered &offer)>;

    CallRouter(const RoutingPlan &plan, const Discovery &discovery, AgentService &agents, CallStore &store,
               MetricsRegistry &metrics, const Clock &clock, Options options, QObject *parent = nullptr);
    ~CallRouter() override;

    void setNoAgentHandler(NoAgentHandler handler) { m_noAgent = std::move(handler); }
    /// Twilio's REST API, to look up calls routing does not know; none: the webhook's own words are used.
    void setTwilio(TwilioRestClient *twilio) { m_twilio = twilio; }

    /// Start-up: the calls the store says agents were ringing for, talking on or wrapping up after
    /// are theirs again, and routing knows the callers, so their Dial actions carry on.
    void restore(const QList<StoredAgentCall> &calls);
    /// Inbound calls wait (at most `maxWaitMs`) until releaseInbound(): the start-up reconciliation
    /// with Twilio first, then routing.
    void holdInbound(int maxWaitMs);
    void releaseInbound();
    [[nodiscard]] bool holdsInbound() const { return m_holdingInbound; }
    [[nodiscard]] qsizetype heldInboundCount() const { return m_heldInbound.size(); }

    using TwimlDone = std::function<void(const Result<QByteArray> &twiml)>;
    /// inbound(), once inbound calls are no longer held.
    void inboundWhenReleased(const FormParams &params, TwimlDone done);
    /// dialAction(); for a call routing does not know whose offer was not answered, the caller's
    /// call is looked up first (REST, bounded), so a caller who is still there gets the next agent
    /// or the queue instead of a hang-up.
    void dialActionLookingUp(const QString &agentId, const DialAction &action, TwimlDone done);
    void setOfferNotifier(OfferNotifier notifier) { m_notifyOffer = std::move(notifier); }

    /// POST /twilio/voice/inbound (signature already checked, CallSid present). Returns TwiML, or
    /// a problem when the decision could not be recorded (nothing is routed then).
    Result<QByteArray> inbound(const FormParams &params);
    /// POST /twilio/voice/dial-action?agent=ID: the outcome of offering the call to that agent.
    Result<QByteArray> dialAction(const QString &agentId, const DialAction &action);
    /// POST /twilio/voice/status[?agent=ID]: call progress of the caller's leg, or of an agent's leg.
    void callStatus(const QString &agentId, const CallStatusCallback &callback);
    /// A queued caller is being handed to an agent that just became ready: records the decision,
    /// reserves the agent and tells its app, as for an inbound call. False when the agent cannot be
    /// reserved or the decision cannot be recorded.
    bool assignWaitingCall(const QString &callSid, const QueuePlan &queue, const QString &agentId, const QString &from,
                           const QString &to, qint64 waitedSeconds);
    /// The dequeue did not happen: the reservation is released without blame.
    void releaseWaitingCall(const QString &callSid, const QString &agentId);
    /// Twilio fetched the dequeue URL for this call: TwiML that dials the agent, or nothing when the
    /// agent is not reserved for this caller. A reservation never moves to another caller: the agent
    /// may already be ringing for the one it was reserved for.
    [[nodiscard]] std::optional<QByteArray> bridgeDequeued(const QString &agentId, const QString &callSid) const;
    /// <Sip> with SIP_DOMAIN set, unless the agent's app said it is a Voice SDK client.
    [[nodiscard]] bool dialsOverSip(const QString &agentId) const;
    /// TwiML that dials the agent chosen for the caller's call `callSid`.
    [[nodiscard]] QByteArray dialTwiml(const QString &agentId, const QString &callSid) const;

    /// Most recent decisions first; only those involving agentId when it is not empty.
    [[nodiscard]] QList<RoutingDecision> recentDecisions(const QString &agentId, int limit) const;

Q_SIGNALS:
    void decisionMade(const heartline::RoutingDecision &decision);

private:
    struct LiveCall
    {
        QString from;
        QString to;
        QString queue;
        qint64 startedAtMs = 0;
        QSet<QString> tried;   ///< agents this call was offered to
        QString ringingAgent;  ///< offered, not answered yet
        QString answeredAgent; ///< talking to the caller
    };

    Result<QByteArray> route(const QString &callSid, LiveCall &call, qint64 waitedSeconds);
    Result<RoutingDecision> decideAndReserve(const QString &callSid, LiveCall &call, const QueuePlan &queue,
                                             qint64 waitedSeconds, QByteArray *noAgentTwiml);
    void notifyOffer(const QString &agentId, const QString &callSid, const LiveCall &call, const QString &queue,
                     qint64 waitedSeconds, qint64 offeredAtMs);
    void remember(const RoutingDecision &decision);
    void countPath(DiscoveryPath path);
    [[nodiscard]] NoAgentAnswer noAgentAnswer(const QString &callSid, const QueuePlan &queue,
                                              const LiveCall &call) const;
    [[nodiscard]] QString url(const QString &path, const QString &agentId) const;
    /// False when this callback is older than one already handled for the same call leg.
    bool isNewest(const CallStatusCallback &callback);
    /// Who called which number (so which queue serves it) and since when.
    void describeCaller(LiveCall &call, const QString &from, const QString &to, qint64 startedAtMs) const;
    /// Routing learns a caller's call it did not know, from Twilio's REST answer or the webhook; the
    /// offer to `agentId` is counted as tried either way.
    LiveCall &adopt(const QString &callSid, const QString &from, const QString &to, qint64 startedAtMs,
                    const QString &agentId);
    /// An answered leg whose caller routing does not know: its caller is looked up and remembered.
    void adoptAnswered(const QString &agentId, const QString &callSid);
    /// The agent's part of a call is over: its wrap-up is made durable.
    void recordCallEnd(const QString &agentId, const QString &callSid, const QString &outcome);

    const RoutingPlan &m_plan;
    const Discovery &m_discovery;
    AgentService &m_agents;
    CallStore &m_store;
    const Clock &m_clock;
    Options m_options;
    NoAgentHandler m_noAgent;
    OfferNotifier m_notifyOffer;
    TwilioRestClient *m_twilio = nullptr;
    bool m_holdingInbound = false;
    QList<std::function<void()>> m_heldInbound;
    QHash<QString, LiveCall> m_calls;
    QHash<QString, int> m_lastSequence; ///< per call leg: the highest SequenceNumber handled
    QQueue<QString> m_sequenceOrder;    ///< legs in m_lastSequence, oldest first
    std::deque<RoutingDecision> m_recent;
    Histogram &m_discoveryTime;
    MetricsRegistry &m_metrics;
};

} // namespace heartline
