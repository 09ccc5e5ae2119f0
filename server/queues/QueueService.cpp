#include "queues/QueueService.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QScopedValueRollback>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"
#include "core/Clock.h"
#include "metrics/Metrics.h"
#include "queues/QueueStore.h"
#include "routing/CandidateIndex.h"
#include "routing/RoutingPlan.h"
#include "routing/TwilioWebhookRoutes.h"
#include "twilio/TwilioRestClient.h"
#include "twilio/TwimlWriter.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcQueues, "heartline.queues")

namespace heartline {

namespace {

constexpr qint64 DayMs = 86'400'000;
constexpr qint64 AssumedWaitPerCallerSeconds = 60; ///< until a queue has served someone today
constexpr qint64 HoldMusicSeconds = 30;            ///< length of the built-in hold-music.wav

QByteArray sayAndHangUp(const QString &text)
{
    TwimlWriter writer;
    writer.say({.text = text}).hangup();
    return writer.toXml().value();
}

QString minutesInWords(qint64 seconds)
{
    if (seconds < 60)
        return u"less than a minute"_s;
    const qint64 minutes = (seconds + 59) / 60;
    return minutes == 1 ? u"about 1 minute"_s : u"about %1 minutes"_s.arg(minutes);
}

/// One stay of a caller in the server's line.
WaitingCaller stay(qint64 memberId, const QString &callSid, const QString &from, const QString &to,
                   qint64 firstEnqueuedAtMs, qint64 arrival, qint64 stayStartedMs, bool atTwilio)
{
    WaitingCaller caller;
    caller.memberId = memberId;
    caller.callSid = callSid;
    caller.from = from;
    caller.to = to;
    caller.firstEnqueuedAtMs = firstEnqueuedAtMs;
    caller.arrival = arrival;
    caller.stayStartedMs = stayStartedMs;
    caller.atTwilio = atTwilio;
    return caller;
}

} // namespace

QueueService::QueueService(const RoutingPlan &plan, AgentService &agents, AgentRegistry &registry,
                           const CandidateIndex &candidates, CallRouter &calls, QueueStore &store,
                           TwilioRestClient *twilio, MetricsRegistry &metrics, const Clock &clock, Options options,
                           QObject *parent)
    : QObject(parent), m_plan(plan), m_agents(agents), m_registry(registry), m_candidates(candidates), m_calls(calls),
      m_store(store), m_twilio(twilio), m_metrics(metrics), m_clock(clock), m_options(std::move(options))
{
    for (const QueuePlan &queue : plan.queues()) {
        Queue state;
        state.plan = &queue;
        m_queues.push_back(state);
    }
    // Automatic recovery: every agent change may be an agent becoming ready.
    connect(&m_agents, &AgentService::agentChanged, this, &QueueService::offerWaitingCallerTo);
    updateGauges();
}

QueueService::~QueueService() = default;

QueueService::Queue *QueueService::queueNamed(const QString &name)
{
    for (Queue &queue : m_queues) {
        if (queue.plan->name == name)
            return &queue;
    }
    return nullptr;
}

const QueueService::Queue *QueueService::queueNamed(const QString &name) const
{
    return const_cast<QueueService *>(this)->queueNamed(name);
}

QString QueueService::url(const QString &path, const QString &key, const QString &value) const
{
    return m_options.publicBaseUrl + path + u'?' + key + u'=' + QString::fromLatin1(QUrl::toPercentEncoding(value));
}

QString QueueService::holdMusicUrl(const QueuePlan &plan) const
{
    if (plan.holdMusic.startsWith(u"http://") || plan.holdMusic.startsWith(u"https://"))
        return plan.holdMusic;
    return m_options.publicBaseUrl + u"/media/"_s + QString::fromLatin1(QUrl::toPercentEncoding(plan.holdMusic));
}

void QueueService::rollStats(Queue &queue)
{
    const qint64 today = m_clock.nowMs() / DayMs;
    if (queue.statsDay == today)
        return;
    queue.statsDay = today;
    queue.served = queue.servedWithinLevel = queue.abandoned = queue.timedOut = queue.rejected = 0;
    queue.servedWaitMs = 0;
}

std::optional<Problem> QueueService::load()
{
    const qint64 now = m_clock.nowMs();
    for (Queue &queue : m_queues) {
        auto sid = m_store.ensureQueue(queue.plan->name, queue.plan->maxSize, queue.plan->maxWaitSeconds, now);
        if (!sid)
            return sid.error();
        queue.twilioSid = sid.value();
    }
    auto waiting = m_store.waitingMembers();
    if (!waiting)
        return waiting.error();
    for (const StoredQueueMember &member : waiting.value()) {
        Queue *queue = queueNamed(member.queue);
        if (!queue) {
            // The queue is no longer configured: the caller cannot be served by it.
            m_store.endMember(member.id, u"gone"_s, {}, {}, now, now - member.enqueuedAtMs);
            continue;
        }
        // Whether Twilio still holds it is known once its Members list or a waitUrl request says so.
        queue->callers.insert(stay(member.id, member.callSid, member.from, member.to, member.firstEnqueuedAtMs,
                                   member.firstId, member.enqueuedAtMs, false));
        ++m_totalWaiting;
    }
    if (!m_twilio) {
        // Nothing to check the order against (and nobody can be dequeued without Twilio's REST API).
        for (Queue &queue : m_queues)
            queue.rebuilt = true;
    }
    if (m_totalWaiting > 0)
        qCInfo(lcQueues) << m_totalWaiting << "callers were waiting before the restart";
    updateGauges();
    return std::nullopt;
}

void QueueService::learnTwilioSid(Queue &queue, const QString &sid)
{
    if (sid.isEmpty() || queue.twilioSid == sid)
        return;
    queue.twilioSid = sid;
    m_store.setTwilioSid(queue.plan->name, sid);
}

bool QueueService::isRebuilt() const
{
    return std::all_of(m_queues.begin(), m_queues.end(), [](const Queue &queue) { return queue.rebuilt; });
}

void QueueService::reconcileWithTwilio()
{
    if (!m_twilio || isRebuilt())
        return;
    // Bounded: when Twilio's REST API does not answer in time, callers are handed over in the
    // stored order rather than not at all.
    QTimer::singleShot(m_options.rebuildTimeoutMs, this, [this] {
        for (Queue &queue : m_queues) {
            if (!queue.rebuilt) {
                qCWarning(lcQueues).noquote() << "Twilio's members of queue" << queue.plan->name << "did not come in"
                                              << m_options.rebuildTimeoutMs << "ms; serving it in the stored order";
                finishRebuild(queue);
            }
        }
    });
    m_twilio->listQueues(this, [this](const TwilioResult<QList<TwilioQueue>> &queues) {
        if (!queues) {
            qCWarning(lcQueues).noquote()
                << "cannot list Twilio's queues:" << queues.error().message << "; serving the stored order";
            for (Queue &queue : m_queues)
                finishRebuild(queue);
            return;
        }
        for (const TwilioQueue &found : queues.value()) {
            if (Queue *queue = queueNamed(found.friendlyName))
                learnTwilioSid(*queue, found.sid);
        }
        for (Queue &queue : m_queues) {
            if (queue.twilioSid.isEmpty()) {
                finishRebuild(queue); // Twilio has no such queue yet: nobody waits in it there
                continue;
            }
            const QString name = queue.plan->name;
            m_twilio->listQueueMembers(
                queue.twilioSid, this, [this, name](const TwilioResult<QList<TwilioQueueMember>> &members) {
                    Queue *listed = queueNamed(name);
                    if (!listed || listed->rebuilt)
                        return; // too late: the timeout already served the stored order
                    if (members)
                        reconcileMembers(name, members.value());
                    else
                        qCWarning(lcQueues).noquote() << "cannot list the members of queue" << name << ':'
                                                      << members.error().message << "; serving the stored order";
                    finishRebuild(*listed);
                });
        }
    });
}

void QueueService::finishRebuild(Queue &queue)
{
    if (queue.rebuilt)
        return;
    queue.rebuilt = true;
    // Whoever is still in the line is in Twilio's queue, or Twilio could not say: the stored order is served.
    queue.callers.confirmAll();
    qCInfo(lcQueues).noquote() << "queue" << queue.plan->name << "rebuilt with" << queue.callers.size()
                               << "callers waiting";
    offerToReadyAgents(&queue - m_queues.data());
    if (isRebuilt())
        Q_EMIT rebuilt();
}

void QueueService::offerToReadyAgents(qsizetype queueIndex)
{
    // Agents who became ready during the rebuild were not offered anything; offering reserves
    // agents and so changes the index, hence the copy. Bounded by the callers waiting.
    QStringList ready;
    const qsizetype callers = m_queues[size_t(queueIndex)].callers.size();
    m_candidates.walk(queueIndex, CandidateIndex::View::Ready, [&](const QString &agentId) {
        ready.append(agentId); // readiness holds back sessions loaded at start-up until heard from
        return ready.size() < callers;
    });
    for (const QString &agentId : std::as_const(ready))
        offerWaitingCallerTo(agentId);
}

void QueueService::planReloaded()
{
    for (size_t i = 0; i < m_queues.size(); ++i) {
        m_queues[i].plan = &m_plan.queues().at(qsizetype(i)); // same queue, same place
        if (m_queues[i].rebuilt)
            offerToReadyAgents(qsizetype(i));
    }
    Q_EMIT queuesChanged();
}

void QueueService::reconcileMembers(const QString &name, const QList<TwilioQueueMember> &members)
{
    Queue *queue = queueNamed(name);
    if (!queue)
        return;
    const qint64 now = m_clock.nowMs();
    QSet<QString> atTwilio;
    for (const TwilioQueueMember &member : members)
        atTwilio.insert(member.callSid);
    // Callers who hung up while the server was down are no longer waiting.
    QStringList gone;
    for (const auto &[key, caller] : queue->callers.callers()) {
        if (!atTwilio.contains(caller.callSid) && caller.handingOffTo.isEmpty())
            gone.append(caller.callSid);
    }
    for (const QString &callSid : gone)
        removeCaller(*queue, callSid, u"gone"_s, {}, {});
    for (const TwilioQueueMember &member : members) {
        // Twilio's wait_time counts from the caller's latest stay; the store's first enqueue from the
        // first. Where they disagree, the earlier time is the caller's place.
        const qint64 enqueuedAt = now - qint64(member.waitTime) * 1000;
        if (WaitingCaller *known = queue->callers.find(member.callSid)) {
            known->atTwilio = true;
            const qint64 memberId = known->memberId;
            if (queue->callers.moveEarlier(member.callSid, enqueuedAt))
                m_store.setFirstEnqueued(memberId, enqueuedAt);
            continue;
        }
        // Callers Twilio holds that the store never recorded are adopted at their place.
        auto stored = m_store.addMember(name, member.callSid, {}, {}, member.position, enqueuedAt);
        queue->callers.insert(stay(stored ? stored->id : 0, member.callSid, {}, {},
                                   stored ? stored->firstEnqueuedAtMs : enqueuedAt, stored ? stored->firstId : 0, now,
                                   true));
        ++m_totalWaiting;
    }
    updateGauges();
    Q_EMIT queuesChanged();
}

CallRouter::NoAgentAnswer QueueService::enqueue(const QString &callSid, const QueuePlan &plan, const QString &from,
                                                const QString &to)
{
    Queue *queue = queueNamed(plan.name);
    const qint64 now = m_clock.nowMs();
    if (!queue)
        return {sayAndHangUp(u"Sorry, we cannot take your call right now. Please call again later."_s),
                DiscoveryPath::None};
    rollStats(*queue);
    if (queue->callers.find(callSid)) {
        // A retried webhook: the caller keeps its place.
    } else if (qsizetype(queue->callers.size()) >= plan.maxSize) {
        ++queue->rejected;
        m_store.recordRejected(plan.name, callSid, now);
        m_metrics
            .counter(u"heartline_queue_results_total"_s, u"How callers left each queue."_s, {u"queue"_s, u"result"_s},
                     {plan.name, u"queue-full"_s})
            .increment();
        qCInfo(lcQueues).noquote() << callSid << "turned away: queue" << plan.name << "is full";
        return {sayAndHangUp(u"Sorry, all of our agents are busy and our waiting line is full. "
                             "Please call again later. Goodbye."_s),
                DiscoveryPath::None};
    } else {
        // Durable before the TwiML that puts the caller in the queue is returned. A caller back from
        // a hand-off that failed gets its first enqueue time from the store, hence its old place.
        auto stored = m_store.addMember(plan.name, callSid, from, to, int(queue->callers.size()) + 1, now);
        if (!stored) {
            qCWarning(lcQueues).noquote() << "cannot queue" << callSid << ':' << stored.error().message;
            return {sayAndHangUp(u"Sorry, we cannot take your call right now. Please call again later."_s),
                    DiscoveryPath::None};
        }
        // Not in Twilio's queue until Twilio has run the Enqueue returned below.
        queue->callers.insert(
            stay(stored->id, callSid, from, to, stored->firstEnqueuedAtMs, stored->firstId, now, false));
        ++m_totalWaiting;
        updateGauges();
        Q_EMIT queuesChanged();
    }
    TwimlWriter writer;
    writer.enqueue({.name = plan.name,
                    .action = url(u"/twilio/queue/action"_s, u"queue"_s, plan.name),
                    .method = HttpMethod::Post,
                    .waitUrl = url(u"/twilio/queue/wait"_s, u"queue"_s, plan.name),
                    .waitUrlMethod = HttpMethod::Post});
    return {writer.toXml().value(), DiscoveryPath::Queued};
}

qint64 QueueService::expectedWaitSeconds(const Queue &queue, int position) const
{
    const qint64 perCaller = queue.served > 0 ? queue.servedWaitMs / queue.served / 1000 : AssumedWaitPerCallerSeconds;
    return qMax<qint64>(1, perCaller) * qMax(1, position);
}

QByteArray QueueService::waitTwiml(const TwilioWebhook &webhook)
{
    Queue *queue = queueNamed(webhook.queue);
    if (!queue)
        return sayAndHangUp(u"Sorry, this line is not available. Goodbye."_s);
    learnTwilioSid(*queue, webhook.params.value(u"QueueSid"_s));
    const QString callSid = webhook.params.value(u"CallSid"_s);
    const qint64 now = m_clock.nowMs();
    const qint64 queueTime = webhook.params.value(u"QueueTime"_s).toLongLong();
    WaitingCaller *caller = queue->callers.find(callSid);
    if (!caller) {
        // Twilio knows a caller the server does not (lost before a restart, or back before the
        // dequeue's refusal came in): adopt it, at its first enqueue time when the store has one.
        const qint64 enqueuedAt = now - queueTime * 1000;
        const QString from = webhook.params.value(u"From"_s);
        const QString to = webhook.params.value(u"To"_s);
        auto stored = m_store.addMember(queue->plan->name, callSid, from, to, 1, enqueuedAt);
        caller = &queue->callers.insert(stay(stored ? stored->id : 0, callSid, from, to,
                                             stored ? stored->firstEnqueuedAtMs : enqueuedAt,
                                             stored ? stored->firstId : 0, now, false));
        ++m_totalWaiting;
        updateGauges();
        Q_EMIT queuesChanged();
    }
    // Twilio asks for the waitUrl once the caller is in its queue: from now on it can be dequeued,
    // and agents held back for it are offered it (after this answer is written).
    const bool confirmed = !caller->atTwilio;
    caller->atTwilio = true;
    const auto offerWhenConfirmed = qScopeGuard([this, confirmed, queue] {
        if (confirmed)
            offerToReadyAgents(queue - m_queues.data());
    });

    TwimlWriter writer;
    const qint64 waited = (now - caller->firstEnqueuedAtMs) / 1000;
    if (waited >= queue->plan->maxWaitSeconds) {
        // <Leave> ends the wait; the Enqueue action (QueueResult=leave) says goodbye.
        writer.say({.text = u"We are sorry, all of our agents are still busy."_s}).leave();
        return writer.toXml().value();
    }
    const bool announce
        = caller->lastAnnouncedMs == 0 || now - caller->lastAnnouncedMs >= qint64(queue->plan->announceSeconds) * 1000;
    if (announce) {
        // The server's order, not Twilio's QueuePosition: a caller enqueued again after a failed
        // hand-off is at the end of Twilio's queue but keeps its place here.
        const int position = queue->callers.position(callSid);
        caller->lastAnnouncedMs = now;
        writer.say({.text = u"You are caller number %1. Your expected wait is %2."_s.arg(position).arg(
                        minutesInWords(expectedWaitSeconds(*queue, position)))});
    }
    // Twilio asks for this document again when it has been played through. When the maximum wait
    // or the next announcement comes before the end of a full piece of hold music, wait just that
    // long instead, so neither is late by up to a whole piece.
    const qint64 untilMaxWait = queue->plan->maxWaitSeconds - waited;
    const qint64 untilAnnouncement = qint64(queue->plan->announceSeconds) - (now - caller->lastAnnouncedMs) / 1000;
    const qint64 untilNext = qMin(untilMaxWait, untilAnnouncement);
    if (untilNext < HoldMusicSeconds)
        writer.pause({.length = int(qMax<qint64>(1, untilNext))});
    else
        writer.play({.url = holdMusicUrl(*queue->plan)});
    return writer.toXml().value();
}

QByteArray QueueService::actionTwiml(const TwilioWebhook &webhook)
{
    const QString result = webhook.params.value(u"QueueResult"_s);
    const QString callSid = webhook.params.value(u"CallSid"_s);
    Queue *queue = queueNamed(webhook.queue);
    if (!queue)
        return TwimlWriter().hangup().toXml().value();
    learnTwilioSid(*queue, webhook.params.value(u"QueueSid"_s));
    rollStats(*queue);
    const bool waiting = queue->callers.find(callSid) != nullptr;

    if (result == u"redirected" || result == u"bridged" || result == u"bridging-in-process"
        || result == u"redirected-from-bridged") {
        // Handed to an agent (the dequeue's own answer usually got here first); what the caller
        // hears next comes from the dequeue URL, not from here. When this webhook wins the race, the
        // agent is the one the dequeue was for.
        if (const WaitingCaller *caller = queue->callers.find(callSid)) {
            // A copy: removeCaller() takes the caller out of the line, and its fields with it.
            const QString agentId = caller->handingOffTo;
            removeCaller(*queue, callSid, u"dequeued"_s, result, agentId);
        }
        return TwimlWriter().toXml().value();
    }
    if (result == u"hangup") {
        if (waiting)
            removeCaller(*queue, callSid, u"abandoned"_s, result, {});
        return TwimlWriter().hangup().toXml().value();
    }
    if (result == u"leave") {
        if (waiting)
            removeCaller(*queue, callSid, u"timed-out"_s, result, {});
        if (queue->plan->voicemail) {
            TwimlWriter writer;
            writer
                .say({.text = u"Thank you for waiting. Please leave your name, number and a short message after the "
                              "tone, then press the pound key. An agent will call you back."_s})
                .record({.action = url(u"/twilio/queue/voicemail"_s, u"queue"_s, queue->plan->name),
                         .method = HttpMethod::Post,
                         .timeout = 5,
                         .maxLength = 120,
                         .finishOnKey = u"#"_s,
                         .playBeep = true})
                .say({.text = u"We did not receive a message. Goodbye."_s})
                .hangup();
            return writer.toXml().value();
        }
        return sayAndHangUp(u"Thank you for waiting. We could not reach an agent this time. "
                            "Please call again later. Goodbye."_s);
    }
    if (result == u"queue-full") {
        if (waiting)
            removeCaller(*queue, callSid, u"rejected"_s, result, {});
        return sayAndHangUp(u"Sorry, our waiting line is full. Please call again later. Goodbye."_s);
    }
    if (waiting)
        removeCaller(*queue, callSid, u"error"_s, result, {});
    qCWarning(lcQueues).noquote() << callSid << "left queue" << webhook.queue << "with QueueResult" << result;
    return sayAndHangUp(u"Sorry, something went wrong on our side. Please call again later."_s);
}

QByteArray QueueService::voicemailTwiml(const TwilioWebhook &webhook)
{
    const TwilioWebhook &hook = webhook;
    const QString callSid = hook.params.value(u"CallSid"_s);
    const QString recordingUrl = hook.params.value(u"RecordingUrl"_s);
    const qint64 duration = hook.params.value(u"RecordingDuration"_s).toLongLong();
    if (recordingUrl.isEmpty() || duration <= 0)
        return sayAndHangUp(u"We did not receive a message. Goodbye."_s);
    if (auto problem
        = m_store.addVoicemail(hook.queue, callSid, hook.params.value(u"From"_s), hook.params.value(u"RecordingSid"_s),
                               recordingUrl, duration, m_clock.nowMs())) {
        qCWarning(lcQueues).noquote() << "cannot save the voicemail of" << callSid << ':' << problem->message;
        return sayAndHangUp(u"Sorry, we could not save your message. Please call again later."_s);
    }
    qCInfo(lcQueues).noquote() << callSid << "left a" << duration << "s voicemail in queue" << hook.queue;
    m_metrics
        .counter(u"heartline_voicemails_total"_s, u"Messages callers left after waiting too long."_s, {u"queue"_s},
                 {hook.queue})
        .increment();
    Q_EMIT voicemailRecorded(hook.queue, callSid);
    return sayAndHangUp(u"Thank you. Your message has been recorded. Goodbye."_s);
}

QByteArray QueueService::bridgeTwiml(const TwilioWebhook &webhook)
{
    const QString callSid = webhook.params.value(u"CallSid"_s);
    const auto handoff = m_handoffs.constFind(webhook.agentId);
    if (handoff != m_handoffs.constEnd() && handoff->callSid == callSid) {
        if (std::optional<QByteArray> dial = m_calls.bridgeDequeued(webhook.agentId, callSid))
            return *dial;
    }
    // Not the caller this agent is being offered (a stray or late request): the agent is left alone
    // and the caller goes back into its queue, where its first enqueue time keeps its place.
    const QueuePlan *plan
        = m_plan.queue(webhook.queue.isEmpty() && handoff != m_handoffs.constEnd() ? handoff->queue : webhook.queue);
    qCWarning(lcQueues).noquote() << callSid << "came to" << webhook.agentId << "who is not being offered it;"
                                  << "back to its queue";
    if (!plan)
        return sayAndHangUp(u"Sorry, we cannot take your call right now. Please call again later."_s);
    return enqueue(callSid, *plan, webhook.params.value(u"From"_s), webhook.params.value(u"To"_s)).twiml;
}

void QueueService::removeCaller(Queue &queue, const QString &callSid, const QString &state, const QString &result,
                                const QString &agentId)
{
    const std::optional<WaitingCaller> caller = queue.callers.take(callSid);
    if (!caller)
        return;
    const qint64 now = m_clock.nowMs();
    const qint64 waitMs = now - caller->firstEnqueuedAtMs;
    if (auto problem = m_store.endMember(caller->memberId, state, result, agentId, now, waitMs))
        qCWarning(lcQueues).noquote() << "cannot record how" << callSid << "left queue" << queue.plan->name << ':'
                                      << problem->message;
    // Today's figures, counted here only, whichever way (webhook or REST answer) the news came.
    rollStats(queue);
    if (state == u"dequeued") {
        ++queue.served;
        queue.servedWaitMs += waitMs;
        if (waitMs <= qint64(m_options.serviceLevelSeconds) * 1000)
            ++queue.servedWithinLevel;
    } else if (state == u"abandoned") {
        ++queue.abandoned;
    } else if (state == u"timed-out") {
        ++queue.timedOut;
    } else if (state == u"rejected") {
        ++queue.rejected;
    }
    m_metrics
        .histogram(u"heartline_queue_wait_seconds"_s, u"How long callers waited in each queue."_s,
                   {5, 10, 20, 30, 60, 120, 300, 600, 1200}, {u"queue"_s}, {queue.plan->name})
        .observe(double(waitMs) / 1000);
    m_metrics
        .counter(u"heartline_queue_results_total"_s, u"How callers left each queue."_s, {u"queue"_s, u"result"_s},
                 {queue.plan->name, state})
        .increment();
    qCInfo(lcQueues).noquote() << callSid << "left queue" << queue.plan->name << "as" << state << "after"
                               << waitMs / 1000 << "s";
    --m_totalWaiting;
    updateGauges();
    Q_EMIT queuesChanged();
}

bool QueueService::handoffInFlight(const QString &agentId)
{
    const auto handoff = m_handoffs.find(agentId);
    if (handoff == m_handoffs.end())
        return false;
    const AgentRecord *record = m_registry.find(agentId);
    if (record && record->reservedCallSid == handoff->callSid)
        return true;
    // The offer ended (answered, declined, not answered, failed, the caller gone, the dequeue
    // refused): the agent may be offered the next caller.
    if (Queue *queue = queueNamed(handoff->queue)) {
        if (WaitingCaller *caller = queue->callers.find(handoff->callSid); caller && caller->handingOffTo == agentId)
            caller->handingOffTo.clear();
    }
    m_handoffs.erase(handoff);
    return false;
}

void QueueService::offerWaitingCallerTo(const QString &agentId)
{
    if (m_offering)
        return;
    // Checked first so that an ended offer is forgotten even when nobody waits.
    if (handoffInFlight(agentId) || m_totalWaiting == 0)
        return;
    const AgentRecord *record = m_registry.find(agentId);
    if (!record || !record->readiness.ready || record->snapshot.reserved)
        return;
    // The longest-waiting caller among the queues this agent serves whose order is rebuilt; each
    // queue gives its own in O(log n).
    Queue *best = nullptr;
    WaitingCaller *bestCaller = nullptr;
    const qint64 now = m_clock.nowMs();
    for (Queue &queue : m_queues) {
        if (!queue.rebuilt || !queue.plan->servedBy(record->profile))
            continue;
        const WaitingLine::Offer next = queue.callers.next(now, m_options.confirmWithinMs);
        if (next.waitForTwilio)
            offerAgainLater(queue);
        if (next.caller && (!bestCaller || next.caller->firstEnqueuedAtMs < bestCaller->firstEnqueuedAtMs)) {
            best = &queue;
            bestCaller = next.caller;
        }
    }
    if (!bestCaller)
        return;
    const QScopedValueRollback guard(m_offering, true);
    dequeue(*best, *bestCaller, agentId);
}

void QueueService::offerAgainLater(Queue &queue)
{
    // Normally the caller's waitUrl request comes first and offers it; this is for a caller who
    // never reaches Twilio's queue, so the agents held back for it are not held for ever.
    if (queue.offerAgainPending)
        return;
    queue.offerAgainPending = true;
    const qsizetype index = &queue - m_queues.data();
    QTimer::singleShot(m_options.confirmWithinMs, this, [this, index] {
        m_queues[size_t(index)].offerAgainPending = false;
        offerToReadyAgents(index);
    });
}

void QueueService::dequeue(Queue &queue, WaitingCaller &caller, const QString &agentId)
{
    if (!m_twilio) {
        qCWarning(lcQueues) << "a caller waits but Twilio's REST API is not configured: set TWILIO_ACCOUNT_SID";
        return;
    }
    if (queue.twilioSid.isEmpty()) {
        qCInfo(lcQueues).noquote() << "queue" << queue.plan->name << "has no Twilio SID yet; waiting for it";
        return;
    }
    const qint64 waited = (m_clock.nowMs() - caller.firstEnqueuedAtMs) / 1000;
    if (!m_calls.assignWaitingCall(caller.callSid, *queue.plan, agentId, caller.from, caller.to, waited))
        return;
    caller.handingOffTo = agentId;
    const QString callSid = caller.callSid;
    const QString queueName = queue.plan->name;
    m_handoffs.insert(agentId, Handoff {queueName, callSid});
    qCInfo(lcQueues).noquote() << "dequeuing" << callSid << "from" << queueName << "to" << agentId << "after" << waited
                               << "s";
    // This very caller, not the front of Twilio's queue: Twilio's order may differ from the
    // server's (a caller enqueued again is at its end there), and the agent is reserved for this one.
    QString bridge = url(u"/twilio/queue/bridge"_s, u"agent"_s, agentId);
    bridge += u"&queue="_s + QString::fromLatin1(QUrl::toPercentEncoding(queueName));
    m_twilio->dequeueMember(queue.twilioSid, callSid, QUrl(bridge), u"POST"_s, this,
                            [this, callSid, queueName, agentId](const TwilioResult<TwilioQueueMember> &member) {
                                onDequeued(queueName, callSid, agentId, member);
                            });
}

void QueueService::onDequeued(const QString &queueName, const QString &callSid, const QString &agentId,
                              const TwilioResult<TwilioQueueMember> &member)
{
    Queue *queue = queueNamed(queueName);
    if (!queue)
        return;
    if (member) {
        // The caller is on its way to the bridge URL; the agent stays reserved until the offer ends.
        removeCaller(*queue, callSid, u"dequeued"_s, u"redirected"_s, agentId);
        return;
    }
    qCWarning(lcQueues).noquote() << "dequeue of" << callSid << "failed:" << member.error().message;
    const auto handoff = m_handoffs.constFind(agentId);
    if (handoff == m_handoffs.constEnd() || handoff->callSid != callSid)
        return; // that offer already ended another way
    m_handoffs.remove(agentId);
    if (WaitingCaller *chosen = queue->callers.find(callSid))
        chosen->handingOffTo.clear();
    {
        // Releasing the agent is an agent change; the next offer is decided below, not from there.
        const QScopedValueRollback guard(m_offering, true);
        m_calls.releaseWaitingCall(callSid, agentId);
    }
    if (member.error().httpStatus == 404) {
        // The caller is not in Twilio's queue (hung up, or on its way back in: then it is adopted
        // again at its first enqueue time). The next caller gets the agent at once.
        removeCaller(*queue, callSid, u"gone"_s, {}, {});
        offerWaitingCallerTo(agentId);
        return;
    }
    // Twilio erred: the caller keeps its place; the agent is offered a caller again a little later,
    // not at once, so a failing REST API is not hammered.
    QTimer::singleShot(m_options.retryAfterErrorMs, this, [this, agentId] { offerWaitingCallerTo(agentId); });
}

QueueService::Statistics QueueService::statistics(const QString &name) const
{
    Statistics stats;
    const Queue *queue = queueNamed(name);
    if (!queue)
        return stats;
    const bool today = queue->statsDay == m_clock.nowMs() / DayMs;
    stats.waiting = int(queue->callers.size());
    if (!queue->callers.isEmpty())
        stats.longestWaitSeconds = (m_clock.nowMs() - queue->callers.front()->firstEnqueuedAtMs) / 1000;
    if (today) {
        stats.served = queue->served;
        stats.abandoned = queue->abandoned;
        stats.timedOut = queue->timedOut;
        stats.rejected = queue->rejected;
        stats.averageWaitSeconds = queue->served > 0 ? double(queue->servedWaitMs) / queue->served / 1000 : 0;
        const int finished = queue->served + queue->abandoned;
        stats.serviceLevelPercent = finished > 0 ? 100.0 * queue->servedWithinLevel / finished : 100;
    }
    return stats;
}

QList<QueueView> QueueService::views() const
{
    QList<QueueView> views;
    const qint64 now = m_clock.nowMs();
    for (qsizetype i = 0; i < qsizetype(m_queues.size()); ++i) {
        const Queue &queue = m_queues[size_t(i)];
        const Statistics stats = statistics(queue.plan->name);
        QueueView view;
        view.name = queue.plan->name;
        int position = 0;
        for (const auto &[key, caller] : queue.callers.callers()) {
            view.waiting.append(WaitingCallerView {caller.callSid, caller.from, ++position,
                                                   (now - caller.firstEnqueuedAtMs) / 1000,
                                                   !caller.handingOffTo.isEmpty()});
        }
        view.longestWaitSeconds = stats.longestWaitSeconds;
        view.averageWaitSeconds = stats.averageWaitSeconds;
        view.servedToday = stats.served;
        view.abandonedToday = stats.abandoned;
        view.timedOutToday = stats.timedOut;
        view.rejectedToday = stats.rejected;
        view.serviceLevelPercent = stats.serviceLevelPercent;
        view.serviceLevelSeconds = m_options.serviceLevelSeconds;
        view.agentsReady = int(m_candidates.count(i, CandidateIndex::View::Ready));
        views.append(view);
    }
    return views;
}

void QueueService::updateGauges()
{
    for (const Queue &queue : m_queues) {
        m_metrics
            .gauge(u"heartline_queue_callers"_s, u"Callers waiting in each queue."_s, {u"queue"_s}, {queue.plan->name})
            .set(double(queue.callers.size()));
    }
}

} // namespace heartline
