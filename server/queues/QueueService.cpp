#include "queues/QueueService.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QScopedValueRollback>
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

QueueService::Caller *QueueService::findCaller(Queue &queue, const QString &callSid)
{
    for (Caller &caller : queue.callers) {
        if (caller.callSid == callSid)
            return &caller;
    }
    return nullptr;
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
        queue->callers.push_back(
            Caller {member.id, member.callSid, member.from, member.to, member.enqueuedAtMs, 0, {}});
        ++m_totalWaiting;
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

void QueueService::reconcileWithTwilio()
{
    if (!m_twilio)
        return;
    m_twilio->listQueues(this, [this](const TwilioResult<QList<TwilioQueue>> &queues) {
        if (!queues) {
            qCWarning(lcQueues).noquote() << "cannot list Twilio's queues:" << queues.error().message;
            return;
        }
        for (const TwilioQueue &found : queues.value()) {
            if (Queue *queue = queueNamed(found.friendlyName))
                learnTwilioSid(*queue, found.sid);
        }
        for (Queue &queue : m_queues) {
            if (queue.twilioSid.isEmpty())
                continue;
            const QString name = queue.plan->name;
            m_twilio->listQueueMembers(queue.twilioSid, this,
                                       [this, name](const TwilioResult<QList<TwilioQueueMember>> &members) {
                                           if (members)
                                               reconcileMembers(name, members.value());
                                       });
        }
    });
}

void QueueService::reconcileMembers(const QString &name, const QList<TwilioQueueMember> &members)
{
    Queue *queue = queueNamed(name);
    if (!queue)
        return;
    QStringList atTwilio;
    for (const TwilioQueueMember &member : members)
        atTwilio.append(member.callSid);
    // Callers who hung up while the server was down are no longer waiting.
    QStringList gone;
    for (const Caller &caller : queue->callers) {
        if (!atTwilio.contains(caller.callSid) && caller.dequeuingTo.isEmpty())
            gone.append(caller.callSid);
    }
    for (const QString &callSid : gone)
        removeCaller(*queue, callSid, u"gone"_s, {}, {});
    // Callers Twilio holds that the store never recorded are adopted, in their waiting order.
    for (const TwilioQueueMember &member : members) {
        if (findCaller(*queue, member.callSid))
            continue;
        const qint64 enqueuedAt = m_clock.nowMs() - qint64(member.waitTime) * 1000;
        auto id = m_store.addMember(name, member.callSid, {}, {}, member.position, enqueuedAt);
        const Caller adopted {id ? id.value() : 0, member.callSid, {}, {}, enqueuedAt, 0, {}};
        auto at = std::find_if(queue->callers.begin(), queue->callers.end(),
                               [&](const Caller &c) { return c.enqueuedAtMs > enqueuedAt; });
        queue->callers.insert(at, adopted);
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
    if (Caller *already = findCaller(*queue, callSid)) {
        Q_UNUSED(already); // a retried webhook or a second round: the caller keeps its place
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
        // Durable before the TwiML that puts the caller in the queue is returned.
        auto id = m_store.addMember(plan.name, callSid, from, to, int(queue->callers.size()) + 1, now);
        if (!id) {
            qCWarning(lcQueues).noquote() << "cannot queue" << callSid << ':' << id.error().message;
            return {sayAndHangUp(u"Sorry, we cannot take your call right now. Please call again later."_s),
                    DiscoveryPath::None};
        }
        queue->callers.push_back(Caller {id.value(), callSid, from, to, now, 0, {}});
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
    Caller *caller = findCaller(*queue, callSid);
    if (!caller) {
        // Twilio knows a caller the store does not (lost before a restart): adopt it.
        const qint64 enqueuedAt = now - queueTime * 1000;
        auto id = m_store.addMember(queue->plan->name, callSid, webhook.params.value(u"From"_s),
                                    webhook.params.value(u"To"_s), 1, enqueuedAt);
        queue->callers.push_back(Caller {id ? id.value() : 0,
                                         callSid,
                                         webhook.params.value(u"From"_s),
                                         webhook.params.value(u"To"_s),
                                         enqueuedAt,
                                         0,
                                         {}});
        ++m_totalWaiting;
        caller = &queue->callers.back();
        updateGauges();
        Q_EMIT queuesChanged();
    }

    TwimlWriter writer;
    const qint64 waited = (now - caller->enqueuedAtMs) / 1000;
    if (waited >= queue->plan->maxWaitSeconds) {
        // <Leave> ends the wait; the Enqueue action (QueueResult=leave) says goodbye.
        writer.say({.text = u"We are sorry, all of our agents are still busy."_s}).leave();
        return writer.toXml().value();
    }
    const bool announce
        = caller->lastAnnouncedMs == 0 || now - caller->lastAnnouncedMs >= qint64(queue->plan->announceSeconds) * 1000;
    if (announce) {
        bool positionOk = false;
        int position = webhook.params.value(u"QueuePosition"_s).toInt(&positionOk);
        if (!positionOk || position < 1) {
            position = 1;
            for (const Caller &other : queue->callers) {
                if (other.callSid == callSid)
                    break;
                ++position;
            }
        }
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
    const bool waiting = findCaller(*queue, callSid) != nullptr;

    if (result == u"redirected" || result == u"bridged" || result == u"bridging-in-process"
        || result == u"redirected-from-bridged") {
        // Handed to an agent (the dequeue's own answer usually got here first); what the caller
        // hears next comes from the dequeue URL, not from here. When this webhook wins the race, the
        // agent is the one the dequeue was for.
        if (const Caller *caller = findCaller(*queue, callSid))
            removeCaller(*queue, callSid, u"dequeued"_s, result, caller->dequeuingTo);
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
    return m_calls.bridgeDequeued(webhook.agentId, webhook.params.value(u"CallSid"_s));
}

void QueueService::removeCaller(Queue &queue, const QString &callSid, const QString &state, const QString &result,
                                const QString &agentId)
{
    const auto it = std::find_if(queue.callers.begin(), queue.callers.end(),
                                 [&](const Caller &caller) { return caller.callSid == callSid; });
    if (it == queue.callers.end())
        return;
    const qint64 now = m_clock.nowMs();
    const qint64 waitMs = now - it->enqueuedAtMs;
    m_store.endMember(it->memberId, state, result, agentId, now, waitMs);
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
    queue.callers.erase(it);
    --m_totalWaiting;
    updateGauges();
    Q_EMIT queuesChanged();
}

void QueueService::offerWaitingCallerTo(const QString &agentId)
{
    if (m_offering || m_totalWaiting == 0)
        return;
    const AgentRecord *record = m_registry.find(agentId);
    if (!record || !record->readiness.ready || record->snapshot.reserved)
        return;
    // The longest-waiting caller among the queues this agent serves (the front of each queue is
    // its longest waiter; callers already being handed over are skipped).
    Queue *best = nullptr;
    Caller *bestCaller = nullptr;
    for (Queue &queue : m_queues) {
        if (!queue.plan->servedBy(record->profile))
            continue;
        for (Caller &caller : queue.callers) {
            if (!caller.dequeuingTo.isEmpty())
                continue;
            if (!bestCaller || caller.enqueuedAtMs < bestCaller->enqueuedAtMs) {
                best = &queue;
                bestCaller = &caller;
            }
            break;
        }
    }
    if (!bestCaller)
        return;
    const QScopedValueRollback guard(m_offering, true);
    dequeue(*best, *bestCaller, agentId);
}

void QueueService::dequeue(Queue &queue, Caller &caller, const QString &agentId)
{
    if (!m_twilio) {
        qCWarning(lcQueues) << "a caller waits but Twilio's REST API is not configured: set TWILIO_ACCOUNT_SID";
        return;
    }
    if (queue.twilioSid.isEmpty()) {
        qCInfo(lcQueues).noquote() << "queue" << queue.plan->name << "has no Twilio SID yet; waiting for it";
        return;
    }
    const qint64 waited = (m_clock.nowMs() - caller.enqueuedAtMs) / 1000;
    if (!m_calls.assignWaitingCall(caller.callSid, *queue.plan, agentId, caller.from, caller.to, waited))
        return;
    caller.dequeuingTo = agentId;
    const QString callSid = caller.callSid;
    const QString queueName = queue.plan->name;
    qCInfo(lcQueues).noquote() << "dequeuing" << callSid << "from" << queueName << "to" << agentId << "after" << waited
                               << "s";
    m_twilio->dequeueMember(queue.twilioSid, TwilioRestClient::frontOfQueue(),
                            QUrl(url(u"/twilio/queue/bridge"_s, u"agent"_s, agentId)), u"POST"_s, this,
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
        // Twilio says who left the queue; normally the caller chosen here.
        const QString left = member->callSid.isEmpty() ? callSid : member->callSid;
        removeCaller(*queue, left, u"dequeued"_s, u"redirected"_s, agentId);
        if (left != callSid) {
            if (Caller *chosen = findCaller(*queue, callSid))
                chosen->dequeuingTo.clear();
        }
        return;
    }
    qCWarning(lcQueues).noquote() << "dequeue of" << callSid << "failed:" << member.error().message;
    m_calls.releaseWaitingCall(callSid, agentId);
    if (Caller *chosen = findCaller(*queue, callSid))
        chosen->dequeuingTo.clear();
    if (member.error().httpStatus == 404) {
        // The caller is no longer in Twilio's queue (hung up): the next one gets the agent.
        removeCaller(*queue, callSid, u"gone"_s, {}, {});
        QTimer::singleShot(0, this, [this, agentId] { offerWaitingCallerTo(agentId); });
    }
}

QueueService::Statistics QueueService::statistics(const QString &name) const
{
    Statistics stats;
    const Queue *queue = queueNamed(name);
    if (!queue)
        return stats;
    const bool today = queue->statsDay == m_clock.nowMs() / DayMs;
    stats.waiting = int(queue->callers.size());
    if (!queue->callers.empty())
        stats.longestWaitSeconds = (m_clock.nowMs() - queue->callers.front().enqueuedAtMs) / 1000;
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
        for (const Caller &caller : queue.callers) {
            view.waiting.append(WaitingCallerView {caller.callSid, caller.from, ++position,
                                                   (now - caller.enqueuedAtMs) / 1000, !caller.dequeuingTo.isEmpty()});
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
