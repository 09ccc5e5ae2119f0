#include "routing/CallRouter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>
#include <QUrl>

#include "agents/AgentService.h"
#include "core/Clock.h"
#include "metrics/Metrics.h"
#include "protocol/AgentProtocol.h"
#include "routing/CallStatusCallback.h"
#include "routing/CallStore.h"
#include "routing/DialAction.h"
#include "routing/RoutingPlan.h"
#include "twilio/TwilioRestClient.h"
#include "twilio/TwimlWriter.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcRouting, "heartline.routing")

namespace heartline {

namespace {

constexpr qsizetype RecentDecisions = 500;
constexpr qsizetype RememberedLegs = 20'000;
/// How long a Dial action for an unknown call waits for Twilio's REST answer: well within the 15 s
/// Twilio waits for the TwiML.
constexpr int LookupWaitMs = 4000;

std::optional<OfferOutcome> offerOutcome(const QString &dialCallStatus)
{
    if (dialCallStatus == u"no-answer")
        return OfferOutcome::NoAnswer;
    if (dialCallStatus == u"busy")
        return OfferOutcome::Busy;
    if (dialCallStatus == u"failed")
        return OfferOutcome::Failed;
    if (dialCallStatus == u"canceled")
        return OfferOutcome::Canceled;
    return std::nullopt;
}

bool isFinalCallStatus(const QString &status)
{
    return status == u"completed" || status == u"busy" || status == u"failed" || status == u"no-answer"
        || status == u"canceled";
}

QByteArray hangupTwiml()
{
    return TwimlWriter().hangup().toXml().value();
}

QString decisionLog(const RoutingDecision &decision)
{
    QJsonArray candidates;
    for (const CandidateReport &candidate : decision.candidates)
        candidates.append(toJson(candidate));
    return QString::fromUtf8(QJsonDocument(QJsonObject {{u"call"_s, decision.callSid},
                                                        {u"queue"_s, decision.queue},
                                                        {u"attempt"_s, decision.attempt},
                                                        {u"path"_s, toString(decision.path)},
                                                        {u"chosen"_s, decision.chosenAgentId},
                                                        {u"durationUs"_s, decision.durationUs},
                                                        {u"candidates"_s, candidates}})
                                 .toJson(QJsonDocument::Compact));
}

} // namespace

CallRouter::CallRouter(const RoutingPlan &plan, const Discovery &discovery, AgentService &agents, CallStore &store,
                       MetricsRegistry &metrics, const Clock &clock, Options options, QObject *parent)
    : QObject(parent), m_plan(plan), m_discovery(discovery), m_agents(agents), m_store(store), m_clock(clock),
      m_options(std::move(options)),
      m_discoveryTime(metrics.histogram(u"heartline_discovery_seconds"_s,
                                        u"Time to choose an agent for a call (discovery alone)."_s,
                                        MetricsRegistry::latencyBuckets())),
      m_metrics(metrics)
{
    for (const QString &path : {u"enhanced"_s, u"fallback"_s, u"legacy"_s, u"queued"_s, u"none"_s})
        m_metrics.counter(u"heartline_routing_decisions_total"_s, u"Routing decisions by discovery path."_s,
                          {u"path"_s}, {path});
    connect(&m_agents, &AgentService::callFinished, this, &CallRouter::recordCallEnd);
}

void CallRouter::recordCallEnd(const QString &agentId, const QString &callSid, const QString &outcome)
{
    if (outcome != u"completed")
        return; // an offer that ended unanswered: its call goes on elsewhere, or its status callback says so
    const AgentRecord *record = m_agents.agent(agentId);
    const qint64 wrapUpUntil = record ? record->snapshot.wrapUpUntilMs : 0;
    if (auto problem = m_store.recordCallEnd(callSid, agentId, wrapUpUntil, m_clock.nowMs()))
        qCWarning(lcRouting).noquote() << problem->message;
}

void CallRouter::restore(const QList<StoredAgentCall> &calls)
{
    for (const StoredAgentCall &stored : calls) {
        switch (stored.state) {
        case StoredAgentCall::State::Ringing:
            m_agents.restoreReservation(stored.agentId, stored.callSid, stored.updatedAtMs);
            break;
        case StoredAgentCall::State::InProgress:
            m_agents.restoreActiveCall(stored.agentId, stored.callSid,
                                       stored.answeredAtMs != 0 ? stored.answeredAtMs : stored.updatedAtMs);
            break;
        case StoredAgentCall::State::WrapUp:
            m_agents.restoreWrapUp(stored.agentId, stored.wrapUpUntilMs);
            continue; // the caller's call is over
        }
        LiveCall &call = m_calls[stored.callSid];
        describeCaller(call, stored.from, stored.to, stored.createdAtMs);
        call.tried.insert(stored.agentId);
        if (stored.state == StoredAgentCall::State::Ringing)
            call.ringingAgent = stored.agentId;
        else
            call.answeredAgent = stored.agentId;
    }
    if (!calls.isEmpty())
        qCInfo(lcRouting).noquote() << "restored" << calls.size() << "calls agents were ringing for, on or wrapping up";
}

void CallRouter::holdInbound(int maxWaitMs)
{
    m_holdingInbound = true;
    QTimer::singleShot(maxWaitMs, this, [this] {
        if (!m_holdingInbound)
            return;
        qCWarning(lcRouting) << "routing inbound calls without the start-up check against Twilio: it took too long";
        releaseInbound();
    });
}

void CallRouter::releaseInbound()
{
    m_holdingInbound = false;
    const QList<std::function<void()>> held = std::exchange(m_heldInbound, {});
    for (const auto &route : held)
        route();
}

void CallRouter::inboundWhenReleased(const FormParams &params, TwimlDone done)
{
    if (!m_holdingInbound)
        return done(inbound(params));
    m_heldInbound.append([this, params, done = std::move(done)] { done(inbound(params)); });
}

void CallRouter::describeCaller(LiveCall &call, const QString &from, const QString &to, qint64 startedAtMs) const
{
    call.from = from;
    call.to = to;
    call.queue = m_plan.queueForNumber(to).name;
    call.startedAtMs = startedAtMs;
}

CallRouter::LiveCall &CallRouter::adopt(const QString &callSid, const QString &from, const QString &to,
                                        qint64 startedAtMs, const QString &agentId)
{
    auto found = m_calls.find(callSid);
    if (found == m_calls.end()) {
        found = m_calls.insert(callSid, LiveCall {});
        describeCaller(*found, from, to, startedAtMs);
        qCInfo(lcRouting).noquote() << "learned" << callSid << "from" << from << "to" << to;
    }
    found->tried.insert(agentId); // it rang there: the next offer goes to someone else
    return *found;
}

void CallRouter::dialActionLookingUp(const QString &agentId, const DialAction &action, TwimlDone done)
{
    const auto outcome = offerOutcome(action.status);
    const bool callerMayWait = outcome && *outcome != OfferOutcome::Canceled;
    if (m_calls.contains(action.callSid) || !callerMayWait)
        return done(dialAction(agentId, action));

    // A caller routing does not know (a restart lost it) was being connected: never hang up on
    // them. Twilio says whether the call is still up and who it is; failing that, the webhook does.
    qCWarning(lcRouting).noquote() << "Dial action for" << action.callSid
                                   << "which routing does not know: looking it up";
    const qint64 now = m_clock.nowMs();
    auto fromWebhook = [this, agentId, action, done, now] {
        if (action.callStatus.isEmpty() || action.callStatus == u"in-progress" || action.callStatus == u"ringing")
            adopt(action.callSid, action.from, action.to, now, agentId);
        done(dialAction(agentId, action));
    };
    if (!m_twilio)
        return fromWebhook();
    auto answered = std::make_shared<bool>(false);
    QTimer::singleShot(LookupWaitMs, this, [answered, fromWebhook] {
        if (!std::exchange(*answered, true))
            fromWebhook();
    });
    m_twilio->fetchCall(action.callSid, this,
                        [this, answered, fromWebhook, agentId, action, done](const TwilioResult<TwilioCall> &call) {
                            if (std::exchange(*answered, true))
                                return;
                            if (!call) {
                                qCWarning(lcRouting).noquote()
                                    << "cannot look up" << action.callSid << ':' << call.error().message;
                                return fromWebhook();
                            }
                            const QString &status = call->status;
                            if (status == u"in-progress" || status == u"ringing" || status == u"queued") {
                                const qint64 started
                                    = call->startTime.isValid() ? call->startTime.toMSecsSinceEpoch() : m_clock.nowMs();
                                adopt(action.callSid, call->from, call->to, started, agentId);
                            }
                            done(dialAction(agentId, action));
                        });
}

void CallRouter::adoptAnswered(const QString &agentId, const QString &callSid)
{
    adopt(callSid, {}, {}, m_clock.nowMs(), agentId).answeredAgent = agentId;
    if (!m_twilio)
        return;
    m_twilio->fetchCall(callSid, this, [this, callSid](const TwilioResult<TwilioCall> &call) {
        auto found = m_calls.find(callSid);
        if (!call || found == m_calls.end())
            return;
        describeCaller(*found, call->from, call->to,
                       call->startTime.isValid() ? call->startTime.toMSecsSinceEpoch() : found->startedAtMs);
    });
}

CallRouter::~CallRouter() = default;

QString CallRouter::url(const QString &path, const QString &agentId) const
{
    QString result = m_options.publicBaseUrl + path;
    if (!agentId.isEmpty())
        result += u"?agent="_s + QString::fromLatin1(QUrl::toPercentEncoding(agentId));
    return result;
}

bool CallRouter::dialsOverSip(const QString &agentId) const
{
    if (!m_options.sip)
        return false;
    // A floor may mix SIP softphones with Voice SDK clients (the stand-in's simulated agents, an
    // office moving over): an app that says it is a client is dialed as one.
    const AgentRecord *record = m_agents.agent(agentId);
    return !(record && record->deviceDetails.voiceLine == VoiceLine::Client);
}

QByteArray CallRouter::dialTwiml(const QString &agentId, const QString &callSid) const
{
    const twiml::Dial dial {.timeout = m_options.dialTimeoutSeconds,
                            .action = url(u"/twilio/voice/dial-action"_s, agentId),
                            .method = HttpMethod::Post};
    // The agent's leg reports its progress the same way whichever noun rings it.
    const QString statusCallback = url(u"/twilio/voice/status"_s, agentId);
    const QString events = u"initiated ringing answered completed"_s;
    TwimlWriter writer;
    if (dialsOverSip(agentId)) {
        writer.dial(dial,
                    twiml::Sip {.uri = m_options.sip->dialUri(agentId, callSid),
                                .statusCallback = statusCallback,
                                .statusCallbackEvent = events,
                                .statusCallbackMethod = HttpMethod::Post});
    } else {
        writer.dial(dial,
                    twiml::Client {.identity = agentId,
                                   .statusCallback = statusCallback,
                                   .statusCallbackEvent = events,
                                   .statusCallbackMethod = HttpMethod::Post});
    }
    return writer.toXml().value();
}

CallRouter::NoAgentAnswer CallRouter::noAgentAnswer(const QString &callSid, const QueuePlan &queue,
                                                    const LiveCall &call) const
{
    if (m_noAgent)
        return m_noAgent(callSid, queue, call.from, call.to);
    TwimlWriter writer;
    writer.say({.text = u"Sorry, all of our agents are busy right now. Please call again later."_s}).hangup();
    return {writer.toXml().value(), DiscoveryPath::None};
}

Result<RoutingDecision> CallRouter::decideAndReserve(const QString &callSid, LiveCall &call, const QueuePlan &queue,
                                                     qint64 waitedSeconds, QByteArray *noAgentTwiml)
{
    RoutingDecision decision = m_discovery.discover(queue, callSid, call.tried);
    decision.decidedAtMs = m_clock.nowMs();
    if (decision.chosenAgentId.isEmpty()) {
        // Nobody to offer it to: the queue takes the caller (or says why it cannot), and the
        // decision records which.
        const NoAgentAnswer answer = noAgentAnswer(callSid, queue, call);
        decision.path = answer.path;
        if (noAgentTwiml)
            *noAgentTwiml = answer.twiml;
    }
    // Durable before anything acts on it; nothing reserved yet, so a failure leaves no trace.
    if (auto problem = m_store.recordInboundDecision(callSid, call.from, call.to, decision))
        return *problem;
    if (!decision.chosenAgentId.isEmpty()) {
        m_agents.reserve(decision.chosenAgentId, callSid);
        call.tried.insert(decision.chosenAgentId);
        call.ringingAgent = decision.chosenAgentId;
        notifyOffer(decision.chosenAgentId, callSid, call, queue.name, waitedSeconds, decision.decidedAtMs);
    }
    remember(decision);
    return decision;
}

void CallRouter::notifyOffer(const QString &agentId, const QString &callSid, const LiveCall &call, const QString &queue,
                             qint64 waitedSeconds, qint64 offeredAtMs)
{
    if (!m_notifyOffer)
        return;
    AgentCallOffered offer;
    offer.callSid = callSid;
    offer.from = call.from;
    offer.to = call.to;
    offer.queue = queue;
    offer.waitSeconds = int(waitedSeconds);
    offer.offeredAtMs = offeredAtMs;
    m_notifyOffer(agentId, offer);
}

Result<QByteArray> CallRouter::route(const QString &callSid, LiveCall &call, qint64 waitedSeconds)
{
    const QueuePlan &queue = *m_plan.queue(call.queue);
    QByteArray noAgentTwiml;
    auto decision = decideAndReserve(callSid, call, queue, waitedSeconds, &noAgentTwiml);
    if (!decision)
        return decision.error();
    if (decision->chosenAgentId.isEmpty())
        return noAgentTwiml;
    return dialTwiml(decision->chosenAgentId, callSid);
}

Result<QByteArray> CallRouter::inbound(const FormParams &params)
{
    const QString callSid = params.value(u"CallSid"_s);
    if (m_calls.contains(callSid)) {
        // Twilio retried the webhook: answer the same way without offering the call twice.
        const LiveCall &call = m_calls[callSid];
        return call.ringingAgent.isEmpty() ? noAgentAnswer(callSid, *m_plan.queue(call.queue), call).twiml
                                           : dialTwiml(call.ringingAgent, callSid);
    }
    LiveCall call;
    describeCaller(call, params.value(u"From"_s), params.value(u"To"_s), m_clock.nowMs());
    auto twiml = route(callSid, call, 0);
    if (twiml)
        m_calls.insert(callSid, call);
    return twiml;
}

Result<QByteArray> CallRouter::dialAction(const QString &agentId, const DialAction &action)
{
    const QString &callSid = action.callSid;
    const QString &status = action.status;
    const qint64 duration = action.durationSeconds.value_or(0);
    auto found = m_calls.find(callSid);

    if (status == u"completed" || status == u"answered") {
        m_agents.callEnded(agentId, callSid, duration);
        m_store.updateCall(callSid, u"completed"_s, agentId, m_clock.nowMs(), {}, duration);
        if (found != m_calls.end())
            m_calls.erase(found);
        return hangupTwiml();
    }
    auto outcome = offerOutcome(status);
    QString why = status;
    if (outcome && *outcome != OfferOutcome::Canceled && action.sipResponseCode) {
        // A <Sip> leg's final response says more than DialCallStatus does.
        const int code = *action.sipResponseCode;
        why += u", SIP %1"_s.arg(code);
        if (code == 404 || code == 480) {
            // Twilio has no registration for the agent: no point ringing it again until its app
            // registers anew. Only for the offer really ringing there: a repeated Dial action must
            // not undo a registration reported since.
            const AgentRecord *record = m_agents.agent(agentId);
            if (record && record->reservedCallSid == callSid)
                m_agents.markVoiceUnreachable(agentId, u"voice line not registered at Twilio (SIP %1)"_s.arg(code));
            outcome = OfferOutcome::Unreachable;
        } else if (code == 486 || code == 603) {
            outcome = OfferOutcome::Busy; // the agent declined, whatever DialCallStatus Twilio chose for it
        }
    }
    if (outcome) {
        m_agents.offerUnanswered(agentId, callSid, *outcome);
        qCInfo(lcRouting).noquote() << callSid << "was not answered by" << agentId << '(' << why << ')';
    }
    if (found == m_calls.end() || outcome == OfferOutcome::Canceled || !outcome) {
        if (found != m_calls.end())
            m_calls.erase(found);
        return hangupTwiml();
    }
    // The next agent, excluding everyone this call already rang.
    LiveCall &call = found.value();
    call.ringingAgent.clear();
    const qint64 waited = (m_clock.nowMs() - call.startedAtMs) / 1000;
    return route(callSid, call, waited);
}

bool CallRouter::isNewest(const CallStatusCallback &callback)
{
    if (!callback.sequenceNumber)
        return true;
    const int sequence = *callback.sequenceNumber;
    const QString &leg = callback.callSid;
    const auto last = m_lastSequence.constFind(leg);
    if (last != m_lastSequence.constEnd() && sequence <= last.value())
        return false;
    if (last == m_lastSequence.constEnd()) {
        // Late callbacks can come after a leg's final one, so legs are remembered well past their
        // end; the oldest are forgotten beyond a bound so memory stays flat.
        m_sequenceOrder.enqueue(leg);
        if (m_sequenceOrder.size() > RememberedLegs)
            m_lastSequence.remove(m_sequenceOrder.dequeue());
    }
    m_lastSequence.insert(leg, sequence);
    return true;
}

void CallRouter::callStatus(const QString &agentId, const CallStatusCallback &callback)
{
    const QString &status = callback.status;
    const qint64 now = m_clock.nowMs();
    const qint64 duration = callback.durationSeconds.value_or(0);
    if (!isNewest(callback)) {
        qCDebug(lcRouting).noquote() << "older callback ignored:" << callback.callSid << status;
        return;
    }

    if (!agentId.isEmpty()) {
        // The agent's leg (the Client noun's callbacks): the caller's call is its parent.
        const QString &callSid = callback.parentCallSid;
        if (callSid.isEmpty())
            return;
        if (status == u"in-progress") {
            m_agents.offerAnswered(agentId, callSid);
            m_store.updateCall(callSid, u"in-progress"_s, agentId, now, now);
            if (auto found = m_calls.find(callSid); found != m_calls.end()) {
                found->ringingAgent.clear();
                found->answeredAgent = agentId;
            } else {
                adoptAnswered(agentId, callSid);
            }
        } else if (status == u"completed") {
            // Answered and ended (an unanswered leg is settled by the Dial action instead).
            m_agents.callEnded(agentId, callSid, duration);
        }
        return;
    }

    // The caller's leg.
    const QString &callSid = callback.callSid;
    if (!isFinalCallStatus(status))
        return;
    m_store.updateCall(callSid, status, {}, now, {}, duration);
    const auto found = m_calls.find(callSid);
    if (found == m_calls.end())
        return;
    if (!found->ringingAgent.isEmpty())
        m_agents.offerUnanswered(found->ringingAgent, callSid, OfferOutcome::Canceled); // caller gave up
    if (!found->answeredAgent.isEmpty())
        m_agents.callEnded(found->answeredAgent, callSid, duration);
    m_calls.erase(found);
}

bool CallRouter::assignWaitingCall(const QString &callSid, const QueuePlan &queue, const QString &agentId,
                                   const QString &from, const QString &to, qint64 waitedSeconds)
{
    const AgentRecord *record = m_agents.agent(agentId);
    if (!record || !record->readiness.ready)
        return false;
    LiveCall &call = m_calls[callSid];
    call.from = from;
    call.to = to;
    call.queue = queue.name;
    call.startedAtMs = m_clock.nowMs() - waitedSeconds * 1000;
    call.tried.clear(); // a fresh round of offers for this caller

    RoutingDecision decision;
    decision.callSid = callSid;
    decision.queue = queue.name;
    decision.path = DiscoveryPath::Enhanced;
    decision.chosenAgentId = agentId;
    decision.decidedAtMs = m_clock.nowMs();
    CandidateReport report;
    report.agentId = agentId;
    report.score = record->readiness.score;
    report.ready = true;
    decision.candidates.append(report);
    if (auto problem = m_store.recordInboundDecision(callSid, from, to, decision)) {
        qCWarning(lcRouting).noquote() << "cannot record the dequeue of" << callSid << ':' << problem->message;
        return false;
    }
    if (!m_agents.reserve(agentId, callSid))
        return false;
    call.tried.insert(agentId);
    call.ringingAgent = agentId;
    notifyOffer(agentId, callSid, call, queue.name, waitedSeconds, decision.decidedAtMs);
    remember(decision);
    return true;
}

void CallRouter::releaseWaitingCall(const QString &callSid, const QString &agentId)
{
    m_agents.offerUnanswered(agentId, callSid, OfferOutcome::Canceled);
    if (auto found = m_calls.find(callSid); found != m_calls.end() && found->ringingAgent == agentId)
        found->ringingAgent.clear();
}

std::optional<QByteArray> CallRouter::bridgeDequeued(const QString &agentId, const QString &callSid) const
{
    const AgentRecord *record = m_agents.agent(agentId);
    if (!record || record->reservedCallSid != callSid) {
        qCWarning(lcRouting).noquote() << "Twilio brought" << callSid << "to" << agentId << "who is reserved for"
                                       << (record && !record->reservedCallSid.isEmpty() ? record->reservedCallSid
                                                                                        : u"nobody"_s);
        return std::nullopt;
    }
    return dialTwiml(agentId, callSid);
}

void CallRouter::countPath(DiscoveryPath path)
{
    m_metrics
        .counter(u"heartline_routing_decisions_total"_s, u"Routing decisions by discovery path."_s, {u"path"_s},
                 {toString(path)})
        .increment();
}

void CallRouter::remember(const RoutingDecision &decision)
{
    m_discoveryTime.observe(double(decision.durationUs) / 1e6);
    countPath(decision.path);
    if (m_options.debugLog)
        qCInfo(lcRouting).noquote() << "decision" << decisionLog(decision);
    m_recent.push_front(decision);
    if (qsizetype(m_recent.size()) > RecentDecisions)
        m_recent.pop_back();
    Q_EMIT decisionMade(decision);
}

QList<RoutingDecision> CallRouter::recentDecisions(const QString &agentId, int limit) const
{
    QList<RoutingDecision> out;
    for (const RoutingDecision &decision : m_recent) {
        if (out.size() >= limit)
            break;
        bool involved = agentId.isEmpty() || decision.chosenAgentId == agentId;
        for (const CandidateReport &candidate : decision.candidates)
            involved = involved || candidate.agentId == agentId;
        if (involved)
            out.append(decision);
    }
    return out;
}

} // namespace heartline
