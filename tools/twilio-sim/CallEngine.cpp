#include "CallEngine.h"

#include <algorithm>

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QUrl>

#include "SimScheduler.h"
#include "TwilioJson.h"
#include "WebhookSender.h"

Q_LOGGING_CATEGORY(lcSimCalls, "heartline.twilio-sim.calls")

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QString Completed = u"completed"_s;
const QString Canceled = u"canceled"_s;
const QString InProgress = u"in-progress"_s;
const QString Ringing = u"ringing"_s;

/// `<Say loop="2">Hello</Say>`, shortened, for event logs.
QString describeVerb(const TwimlVerb &verb)
{
    QString text = u"<"_s + verb.name();
    for (auto it = verb.attributes.cbegin(); it != verb.attributes.cend(); ++it)
        text += u" %1=\"%2\""_s.arg(it.key(), it.value());
    QString body = verb.text;
    for (const TwimlNoun &noun : verb.nouns) {
        QString nounText = noun.text;
        if (nounText.isEmpty()) {
            for (const TwimlNoun &child : noun.children) {
                if (child.name == u"Identity"_s)
                    nounText = child.text;
            }
        }
        body += u"<%1>%2</%1>"_s.arg(noun.name, nounText);
    }
    if (body.size() > 80)
        body = body.left(77) + u"..."_s;
    if (body.isEmpty())
        return text + u"/>"_s;
    return text + u">"_s + body + u"</"_s + verb.name() + u">"_s;
}

bool allowedInWait(TwimlVerb::Kind kind)
{
    switch (kind) {
    case TwimlVerb::Kind::Play:
    case TwimlVerb::Kind::Say:
    case TwimlVerb::Kind::Pause:
    case TwimlVerb::Kind::Hangup:
    case TwimlVerb::Kind::Redirect:
    case TwimlVerb::Kind::Leave:
    case TwimlVerb::Kind::Gather:
        return true;
    default:
        return false;
    }
}

bool isSipLeg(const SimCall &leg)
{
    return leg.to.startsWith(u"sip:"_s, Qt::CaseInsensitive) || leg.to.startsWith(u"sips:"_s, Qt::CaseInsensitive);
}

bool isTrue(const QString &value)
{
    return value.compare(u"true"_s, Qt::CaseInsensitive) == 0;
}

SimError notLive(const QString &sid)
{
    return SimError {400, 21220, u"Call %1 is not in-progress. Cannot redirect or end it."_s.arg(sid)};
}

SimError notFound(const QString &what)
{
    return SimError {404, 20404, u"The requested resource %1 was not found"_s.arg(what)};
}

} // namespace

QString newSid(const QString &prefix)
{
    static constexpr char16_t hex[] = u"0123456789abcdef";
    QString sid = prefix;
    sid.reserve(prefix.size() + 32);
    for (int i = 0; i < 32; ++i)
        sid += QChar(hex[QRandomGenerator::global()->bounded(16)]);
    return sid;
}

CallEngine::CallEngine(SimOptions options, SimScheduler &scheduler, WebhookSender &webhooks, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_scheduler(scheduler), m_webhooks(webhooks)
{ }

CallEngine::~CallEngine()
{
    // The scheduler outlives the engine: nothing of ours may be left in it.
    for (const auto &call : m_calls) {
        m_scheduler.cancel(call->timer);
        if (call->dial) {
            m_scheduler.cancel(call->dial->timeoutTimer);
            m_scheduler.cancel(call->dial->limitTimer);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lookups and bookkeeping

qint64 CallEngine::now() const
{
    return m_scheduler.nowMs();
}

SimCall *CallEngine::anyCall(const QString &sid)
{
    return m_callIndex.value(sid, nullptr);
}

SimCall *CallEngine::liveCall(const QString &sid)
{
    SimCall *call = anyCall(sid);
    return call && call->isLive() ? call : nullptr;
}

const SimCall *CallEngine::findCall(const QString &sid) const
{
    return m_callIndex.value(sid, nullptr);
}

QList<const SimCall *> CallEngine::calls() const
{
    QList<const SimCall *> out;
    out.reserve(static_cast<qsizetype>(m_calls.size()));
    for (auto it = m_calls.rbegin(); it != m_calls.rend(); ++it)
        out.append(it->get());
    return out;
}

SimQueue *CallEngine::queueBySid(const QString &sid)
{
    for (const auto &queue : m_queues) {
        if (queue->sid == sid)
            return queue.get();
    }
    return nullptr;
}

const SimQueue *CallEngine::findQueue(const QString &sid) const
{
    return const_cast<CallEngine *>(this)->queueBySid(sid);
}

const SimQueue *CallEngine::findQueueByName(const QString &friendlyName) const
{
    for (const auto &queue : m_queues) {
        if (queue->friendlyName == friendlyName)
            return queue.get();
    }
    return nullptr;
}

QList<const SimQueue *> CallEngine::queues() const
{
    QList<const SimQueue *> out;
    for (const auto &queue : m_queues)
        out.append(queue.get());
    return out;
}

QList<MemberSnapshot> CallEngine::members(const QString &queueSid) const
{
    QList<MemberSnapshot> out;
    const SimQueue *queue = findQueue(queueSid);
    if (!queue)
        return out;
    for (qsizetype i = 0; i < queue->members.size(); ++i) {
        const SimCall *call = findCall(queue->members.at(i));
        if (!call || !call->queued)
            continue;
        out.append(MemberSnapshot {call->sid, queue->sid, static_cast<int>(i + 1), call->queued->enqueuedAtMs});
    }
    return out;
}

std::optional<MemberSnapshot> CallEngine::member(const QString &queueSid, const QString &member) const
{
    const QList<MemberSnapshot> all = members(queueSid);
    if (member == u"Front"_s)
        return all.isEmpty() ? std::nullopt : std::optional<MemberSnapshot>(all.first());
    for (const MemberSnapshot &snapshot : all) {
        if (snapshot.callSid == member)
            return snapshot;
    }
    return std::nullopt;
}

SimCall &CallEngine::createCall(const QString &direction, const QString &from, const QString &to,
                                const QString &parentSid)
{
    auto call = std::make_unique<SimCall>();
    call->sid = newSid(u"CA"_s);
    call->direction = direction;
    call->from = from;
    call->to = to;
    call->parentSid = parentSid;
    call->createdMs = now();
    call->updatedMs = call->createdMs;
    call->sequence = m_nextSequence++;
    SimCall &ref = *call;
    m_callIndex.insert(ref.sid, &ref);
    m_calls.push_back(std::move(call));
    return ref;
}

void CallEngine::log(SimCall &call, const QString &kind, const QString &detail)
{
    const CallEvent event {now(), kind, detail};
    call.events.append(event);
    qCDebug(lcSimCalls).noquote() << call.sid << kind << detail;
    Q_EMIT eventLogged(call.sid, event);
}

void CallEngine::setStatus(SimCall &call, const QString &status)
{
    const bool changed = call.status != status;
    call.status = status;
    call.updatedMs = now();
    if (changed)
        Q_EMIT callStatusChanged(call.sid, status);
}

FormParams CallEngine::standardParams(const SimCall &call) const
{
    const QString status = call.isLive() && call.answered ? InProgress : call.status;
    FormParams params {
        {u"CallSid"_s, call.sid},         {u"AccountSid"_s, m_options.accountSid},
        {u"From"_s, call.from},           {u"To"_s, call.to},
        {u"CallStatus"_s, status},        {u"ApiVersion"_s, u"2010-04-01"_s},
        {u"Direction"_s, call.direction}, {u"Caller"_s, call.from},
        {u"Called"_s, call.to},
    };
    if (!call.parentSid.isEmpty())
        params.append(u"ParentCallSid"_s, call.parentSid);
    return params;
}

QString CallEngine::resolveUrl(const QString &base, const QString &reference)
{
    if (reference.isEmpty())
        return {};
    const QUrl url(reference);
    if (!url.isRelative() || base.isEmpty())
        return reference; // absolute URLs are requested (and signed) exactly as written
    return QUrl(base).resolved(url).toString(QUrl::FullyEncoded);
}

HttpMethod CallEngine::methodOf(const QString &attribute)
{
    return attribute.compare(u"GET"_s, Qt::CaseInsensitive) == 0 ? HttpMethod::Get : HttpMethod::Post;
}

QString CallEngine::methodName(HttpMethod method)
{
    return method == HttpMethod::Get ? u"GET"_s : u"POST"_s;
}

// ---------------------------------------------------------------------------------------------
// Status callbacks

void CallEngine::statusEvent(SimCall &call, const QString &event)
{
    const StatusCallbackTarget &target = call.callbacks;
    if (target.url.isEmpty() || !target.events.contains(event))
        return;
    FormParams params = standardParams(call);
    QString status = call.status;
    if (event == u"initiated"_s)
        status = u"initiated"_s;
    else if (event == u"ringing"_s)
        status = Ringing;
    else if (event == u"answered"_s)
        status = InProgress;
    FormParams withStatus;
    for (const auto &[name, value] : params.pairs())
        withStatus.append(name, name == u"CallStatus"_s ? status : value);
    withStatus.append(u"CallbackSource"_s, u"call-progress-events"_s);
    withStatus.append(u"SequenceNumber"_s, QString::number(call.callbackSequence++));
    withStatus.append(u"Timestamp"_s, twilioJson::rfc2822(now()));
    if (event == u"completed"_s)
        withStatus.append(u"CallDuration"_s, QString::number(call.durationSeconds()));
    m_callbackQueues[call.sid].append(PendingCallback {event, target.url, target.method, withStatus});
    pumpCallbacks(call.sid);
}

void CallEngine::pumpCallbacks(const QString &sid)
{
    // One at a time per call: Twilio may deliver them out of order, but a stand-in that does so
    // by accident would make every test that reads them flaky.
    if (m_callbackBusy.value(sid))
        return;
    QList<PendingCallback> &queue = m_callbackQueues[sid];
    SimCall *call = anyCall(sid);
    if (queue.isEmpty() || !call)
        return;
    PendingCallback next = queue.takeFirst();
    m_callbackBusy.insert(sid, true);
    log(*call, u"callback"_s,
        u"status callback %1 (SequenceNumber %2) %3 %4"_s.arg(next.event, next.params.value(u"SequenceNumber"_s),
                                                              methodName(next.method), next.url));
    m_webhooks.send(WebhookRequest {next.url, next.method, next.params}, this,
                    [this, sid, event = next.event](const WebhookResult &result) {
                        m_callbackBusy.insert(sid, false);
                        if (SimCall *target = anyCall(sid))
                            log(*target, u"callback"_s,
                                u"status callback %1 answered: %2"_s.arg(event, result.describe()));
                        pumpCallbacks(sid);
                    });
}

// ---------------------------------------------------------------------------------------------
// Webhooks

void CallEngine::fetchTwiml(SimCall &call, const WebhookRequest &request, Target target, const QString &purpose)
{
    call.activity = CallActivity::Fetching;
    log(call, u"webhook"_s, u"%1 requested: %2 %3"_s.arg(purpose, methodName(request.method), request.url));
    const QString sid = call.sid;
    const quint64 generation = call.generation;
    m_webhooks.send(request, this, [this, sid, generation, target, purpose](const WebhookResult &result) {
        SimCall *answered = anyCall(sid);
        if (!answered)
            return;
        if (!answered->isLive() || answered->generation != generation) {
            log(*answered, u"webhook"_s,
                u"%1 answered %2, ignored: the call has moved on"_s.arg(purpose, result.describe()));
            return;
        }
        onTwiml(sid, target, purpose, result);
    });
}

void CallEngine::onTwiml(const QString &sid, Target target, const QString &purpose, const WebhookResult &result)
{
    SimCall *call = liveCall(sid);
    if (!call)
        return;
    log(*call, u"webhook"_s, u"%1 answered: %2"_s.arg(purpose, result.describe()));
    if (!result.ok()) {
        applicationError(*call, target,
                         u"11200 HTTP retrieval failure: %1 %2 gave %3"_s.arg(purpose, result.url, result.describe()));
        return;
    }
    Result<TwimlDocument> document = parseTwiml(result.body);
    if (!document) {
        const Problem &problem = document.error();
        applicationError(*call, target,
                         u"%1 %2 in the %3 answer: %4"_s.arg(QString::number(twilioErrorNumber(problem)), problem.code,
                                                             purpose, problem.message));
        return;
    }
    // Relative URLs inside resolve against the document's own URL, without the GET query.
    QString documentUrl = result.url;
    const qsizetype query = documentUrl.indexOf(u'?');
    if (query >= 0)
        documentUrl.truncate(query);
    TwimlFlow flow {std::move(document).value(), documentUrl, 0};
    log(*call, u"twiml"_s, u"%1 verb(s) from %2"_s.arg(flow.document.verbs.size()).arg(purpose));
    if (target == Target::Wait) {
        if (!call->queued)
            return;
        call->wait = std::move(flow);
    } else {
        call->main = std::move(flow);
    }
    runNext(*call);
}

void CallEngine::notify(SimCall &call, const WebhookRequest &request, const QString &purpose)
{
    log(call, u"webhook"_s, u"%1 requested: %2 %3"_s.arg(purpose, methodName(request.method), request.url));
    const QString sid = call.sid;
    m_webhooks.send(request, this, [this, sid, purpose](const WebhookResult &result) {
        if (SimCall *target = anyCall(sid))
            log(*target, u"webhook"_s,
                u"%1 answered: %2 (its TwiML is not executed)"_s.arg(purpose, result.describe()));
    });
}

void CallEngine::applicationError(SimCall &call, Target target, const QString &reason)
{
    log(call, u"error"_s, reason);
    if (target == Target::Wait && call.queued) {
        leaveQueue(call, u"error"_s);
        return;
    }
    if (!call.answered) {
        // The first document failed: Twilio never answers, and the call fails.
        endCall(call, u"failed"_s, u"application error before the call was answered"_s);
        return;
    }
    log(call, u"verb"_s, u"says \"An application error has occurred. Goodbye\" and hangs up"_s);
    endCall(call, Completed, u"application error"_s);
}

// ---------------------------------------------------------------------------------------------
// The interpreter

void CallEngine::answer(SimCall &call)
{
    if (call.answered || !call.isLive())
        return;
    call.answered = true;
    call.startMs = now();
    setStatus(call, InProgress);
    log(call, u"status"_s, u"in-progress (answered)"_s);
    statusEvent(call, u"answered"_s);
}

void CallEngine::runNext(SimCall &call)
{
    if (!call.isLive())
        return;
    if (call.queued) {
        if (!call.wait) {
            call.activity = CallActivity::Queued;
            return;
        }
        TwimlFlow &flow = *call.wait;
        if (flow.next >= flow.document.verbs.size()) {
            waitVerbsRanOut(call);
            return;
        }
        const TwimlVerb verb = flow.document.verbs.at(flow.next++);
        const QString url = flow.url;
        if (!allowedInWait(verb.kind)) {
            log(call, u"error"_s, u"<%1> is not allowed in a waitUrl document"_s.arg(verb.name()));
            leaveQueue(call, u"error"_s);
            return;
        }
        startVerb(call, verb, url, true);
        return;
    }
    TwimlFlow &flow = call.main;
    if (flow.next >= flow.document.verbs.size()) {
        endCall(call, Completed, u"no more verbs"_s);
        return;
    }
    const TwimlVerb verb = flow.document.verbs.at(flow.next++);
    const QString url = flow.url;
    startVerb(call, verb, url, false);
}

qint64 CallEngine::promptDuration(const QString &name, const QMap<QString, QString> &attributes,
                                  const QString &text) const
{
    if (name == u"Pause"_s)
        return attributes.value(u"length"_s, u"1"_s).toLongLong() * 1000;
    const qint64 loop = attributes.value(u"loop"_s, u"1"_s).toLongLong();
    qint64 once = 0;
    if (name == u"Say"_s) {
        once = std::max<qint64>(1, text.size()) * m_options.sayMsPerCharacter;
    } else if (name == u"Play"_s) {
        const QString digits = attributes.value(u"digits"_s);
        once = digits.isEmpty() ? m_options.playDurationMs : digits.size() * m_options.playDigitMs;
    }
    return loop == 0 ? -1 : once * loop;
}

void CallEngine::runTimed(SimCall &call, qint64 durationMs, const QString &what, std::function<void(SimCall &)> then)
{
    if (durationMs < 0) {
        call.activity = CallActivity::Idle;
        log(call, u"verb"_s, what + u" repeats until the call leaves it"_s);
        return;
    }
    if (durationMs == 0) {
        log(call, u"verb"_s, what + u" finished"_s);
        then(call);
        return;
    }
    call.activity = CallActivity::Verb;
    const QString sid = call.sid;
    const quint64 generation = call.generation;
    call.timer = m_scheduler.scheduleIn(durationMs, [this, sid, generation, what, then = std::move(then)] {
        SimCall *current = liveCall(sid);
        if (!current || current->generation != generation)
            return;
        current->timer = 0;
        log(*current, u"verb"_s, what + u" finished"_s);
        then(*current);
    });
}

void CallEngine::startVerb(SimCall &call, const TwimlVerb &verb, const QString &documentUrl, bool inWait)
{
    const bool defersAnswer = verb.kind == TwimlVerb::Kind::Reject
        || (verb.kind == TwimlVerb::Kind::Dial && isTrue(verb.attribute(u"answerOnBridge"_s)));
    if (!defersAnswer)
        answer(call);
    log(call, u"verb"_s, describeVerb(verb) + u" started"_s);
    const auto next = [this](SimCall &current) {
        runNext(current);
    };

    switch (verb.kind) {
    case TwimlVerb::Kind::Say:
    case TwimlVerb::Kind::Play:
    case TwimlVerb::Kind::Pause:
        runTimed(call, promptDuration(verb.name(), verb.attributes, verb.text), u"<%1>"_s.arg(verb.name()), next);
        return;
    case TwimlVerb::Kind::Gather: {
        qint64 total = 0;
        bool endless = false;
        for (const TwimlNoun &prompt : verb.nouns) {
            const qint64 duration = promptDuration(prompt.name, prompt.attributes, prompt.text);
            endless = endless || duration < 0;
            total += std::max<qint64>(0, duration);
        }
        total += verb.intAttribute(u"timeout"_s).value_or(m_options.defaultGatherTimeoutSeconds) * 1000LL;
        const QString action = resolveUrl(documentUrl, verb.attribute(u"action"_s));
        const HttpMethod method = methodOf(verb.attribute(u"method"_s));
        const bool actionOnEmpty = isTrue(verb.attribute(u"actionOnEmptyResult"_s));
        runTimed(call, endless ? -1 : total, u"<Gather>"_s, [this, action, method, actionOnEmpty](SimCall &current) {
            log(current, u"verb"_s, u"<Gather> received no input (the stand-in sends no digits or speech)"_s);
            if (actionOnEmpty && !action.isEmpty() && !current.queued) {
                FormParams params = standardParams(current);
                params.append(u"Digits"_s, QString());
                fetchTwiml(current, WebhookRequest {action, method, params}, Target::Main, u"Gather action"_s);
                return;
            }
            runNext(current);
        });
        return;
    }
    case TwimlVerb::Kind::Redirect: {
        const QString url = resolveUrl(documentUrl, verb.text);
        const HttpMethod method = methodOf(verb.attribute(u"method"_s));
        if (inWait) {
            requestWaitUrl(call, url, method);
            return;
        }
        fetchTwiml(call, WebhookRequest {url, method, standardParams(call)}, Target::Main, u"Redirect"_s);
        return;
    }
    case TwimlVerb::Kind::Hangup:
        if (inWait)
            leaveQueue(call, u"hangup"_s);
        else
            endCall(call, Completed, u"<Hangup>"_s);
        return;
    case TwimlVerb::Kind::Leave:
        if (call.queued) {
            leaveQueue(call, u"leave"_s);
        } else {
            log(call, u"verb"_s, u"<Leave> outside a queue does nothing"_s);
            runNext(call);
        }
        return;
    case TwimlVerb::Kind::Reject: {
        if (call.answered) {
            endCall(call, Completed, u"<Reject> after the call was answered hangs up"_s);
            return;
        }
        // Twilio: reason="busy" ends the call busy, "rejected" (the default) no-answer.
        const bool busy = verb.attribute(u"reason"_s) == u"busy"_s;
        endCall(call, busy ? u"busy"_s : u"no-answer"_s, u"<Reject> before answering"_s);
        return;
    }
    case TwimlVerb::Kind::Dial:
        startDial(call, verb, documentUrl);
        return;
    case TwimlVerb::Kind::Record: {
        // The simulated caller speaks for recordingMs (at most maxLength), then stays silent for
        // `timeout`, which ends the recording; no audio exists, only its length.
        const qint64 maxLengthMs = qint64(verb.intAttribute(u"maxLength"_s).value_or(3600)) * 1000;
        const qint64 spokenMs = std::min(m_options.recordingMs, maxLengthMs);
        const qint64 silenceMs
            = spokenMs < maxLengthMs ? qint64(verb.intAttribute(u"timeout"_s).value_or(5)) * 1000 : 0;
        const QString action = resolveUrl(documentUrl, verb.attribute(u"action"_s));
        const HttpMethod method = methodOf(verb.attribute(u"method"_s));
        runTimed(call, spokenMs + silenceMs, u"<Record>"_s, [this, action, method, spokenMs](SimCall &current) {
            const QString recordingSid = newSid(u"RE"_s);
            log(current, u"verb"_s, u"<Record> recorded %1 s as %2"_s.arg(spokenMs / 1000).arg(recordingSid));
            if (action.isEmpty()) {
                runNext(current);
                return;
            }
            FormParams params = standardParams(current);
            params.append(u"RecordingSid"_s, recordingSid);
            params.append(u"RecordingUrl"_s,
                          u"%1/2010-04-01/Accounts/%2/Recordings/%3"_s.arg(m_recordingBaseUrl, m_options.accountSid,
                                                                           recordingSid));
            params.append(u"RecordingDuration"_s, QString::number(spokenMs / 1000));
            fetchTwiml(current, WebhookRequest {action, method, params}, Target::Main, u"Record action"_s);
        });
        return;
    }
    case TwimlVerb::Kind::Enqueue:
        startEnqueue(call, verb, documentUrl);
        return;
    }
}

// ---------------------------------------------------------------------------------------------
// Dial

void CallEngine::startDial(SimCall &call, const TwimlVerb &verb, const QString &documentUrl)
{
    DialState state;
    state.verb = verb;
    state.documentUrl = documentUrl;
    state.answerOnBridge = isTrue(verb.attribute(u"answerOnBridge"_s));
    for (const TwimlNoun &noun : verb.nouns) {
        if (noun.name == u"Queue"_s) {
            startQueueDial(call, state, noun);
            return;
        }
    }

    const int timeout = verb.intAttribute(u"timeout"_s).value_or(m_options.defaultDialTimeoutSeconds);
    const QString callerId = verb.attribute(u"callerId"_s, call.from);
    call.dial = state;
    call.activity = CallActivity::Dialing;
    const QString sid = call.sid;
    const quint64 generation = call.generation;
    call.dial->timeoutTimer = m_scheduler.scheduleIn(timeout * 1000LL, [this, sid, generation] {
        SimCall *current = liveCall(sid);
        if (!current || current->generation != generation || !current->dial)
            return;
        current->dial->timeoutTimer = 0;
        dialTimedOut(*current);
    });

    QStringList legs;
    if (!verb.text.isEmpty())
        legs.append(createChildLeg(call, verb.text, callerId, TwimlNoun {u"Number"_s, {}, verb.text, {}}).sid);
    for (const TwimlNoun &noun : verb.nouns) {
        if (noun.name == u"Client"_s) {
            QString identity = noun.text;
            for (const TwimlNoun &child : noun.children) {
                if (child.name == u"Identity"_s)
                    identity = child.text;
            }
            legs.append(createChildLeg(call, u"client:"_s + identity, callerId, noun).sid);
        } else if (noun.name == u"Number"_s || noun.name == u"Sip"_s) {
            legs.append(createChildLeg(call, noun.text, callerId, noun).sid);
        }
    }
    call.dial->childSids = legs;
    log(call, u"dial"_s, u"ringing %1 leg(s) for up to %2 s"_s.arg(legs.size()).arg(timeout));

    for (const QString &legSid : legs) {
        SimCall *leg = liveCall(legSid);
        if (!leg)
            continue;
        if (isSipLeg(*leg)) {
            if (!m_sipGateway) {
                // Without its SIP domain the stand-in reaches nobody: the leg fails at once, as
                // Twilio's does then, so the Dial action comes without waiting for the timeout.
                endChildLeg(*leg, u"failed"_s, u"no SIP domain is started: %1 not reached"_s.arg(leg->to));
                continue;
            }
            // Ringing is reported when the endpoint answers 180, as Twilio does.
            leg->activity = CallActivity::Ringing;
            log(*leg, u"sip"_s, u"INVITE to %1"_s.arg(leg->to));
            m_sipGateway->dial(SipOffer {leg->sid, call.sid, m_options.accountSid, leg->from, leg->to});
            continue;
        }
        setStatus(*leg, Ringing);
        log(*leg, u"status"_s, u"ringing"_s);
        statusEvent(*leg, u"ringing"_s);
        if (leg->clientIdentity.isEmpty()) {
            log(*leg, u"dial"_s, u"the stand-in reaches no telephone network: this leg rings until the timeout"_s);
            continue;
        }
        const ClientOffer offer {leg->sid, call.sid, leg->from, leg->to, leg->clientIdentity, leg->clientParameters};
        const int offered = m_gateway ? m_gateway->offer(offer) : 0;
        if (offered == 0)
            endChildLeg(*leg, u"no-answer"_s, u"no client is registered as %1"_s.arg(leg->clientIdentity));
        else
            log(*leg, u"client"_s, u"offered to %1 connection(s) of %2"_s.arg(offered).arg(leg->clientIdentity));
    }
    checkDialOutcome(call);
}

SimCall &CallEngine::createChildLeg(SimCall &parent, const QString &to, const QString &from, const TwimlNoun &noun)
{
    SimCall &leg = createCall(u"outbound-dial"_s, from, to, parent.sid);
    leg.status = u"queued"_s;
    if (to.startsWith(u"client:"_s)) {
        leg.clientIdentity = to.mid(7);
        for (const TwimlNoun &child : noun.children) {
            if (child.name == u"Parameter"_s)
                leg.clientParameters.append({child.attribute(u"name"_s), child.attribute(u"value"_s)});
        }
    }
    const QString callbackUrl = noun.attribute(u"statusCallback"_s);
    if (!callbackUrl.isEmpty()) {
        const QString documentUrl = parent.dial ? parent.dial->documentUrl : parent.main.url;
        leg.callbacks.url = resolveUrl(documentUrl, callbackUrl);
        leg.callbacks.method = methodOf(noun.attribute(u"statusCallbackMethod"_s));
        const QStringList events
            = noun.attribute(u"statusCallbackEvent"_s, u"completed"_s).split(u' ', Qt::SkipEmptyParts);
        leg.callbacks.events = QSet<QString>(events.cbegin(), events.cend());
    }
    log(parent, u"dial"_s, u"leg %1 to %2 created"_s.arg(leg.sid, to));
    log(leg, u"status"_s, u"queued: <Dial> leg of %1 from %2 to %3"_s.arg(parent.sid, from, to));
    statusEvent(leg, u"initiated"_s);
    return leg;
}

void CallEngine::endChildLeg(SimCall &child, const QString &status, const QString &why)
{
    if (!child.isLive())
        return;
    ++child.generation;
    m_scheduler.cancel(child.timer);
    child.timer = 0;
    setStatus(child, status);
    child.endMs = now();
    child.activity = CallActivity::Ended;
    child.bridgePeer.clear();
    log(child, u"status"_s, u"%1 (%2)"_s.arg(status, why));
    statusEvent(child, u"completed"_s);
    Q_EMIT callEnded(child.sid);
}

void CallEngine::checkDialOutcome(SimCall &parent)
{
    if (!parent.dial || !parent.dial->answeredSid.isEmpty() || parent.dial->toQueue)
        return;
    bool busy = false;
    bool noAnswer = false;
    for (const QString &sid : parent.dial->childSids) {
        const SimCall *leg = findCall(sid);
        if (!leg)
            continue;
        if (leg->isLive())
            return; // still ringing
        busy = busy || leg->status == u"busy"_s;
        noAnswer = noAnswer || leg->status == u"no-answer"_s;
    }
    const QString status = busy ? u"busy"_s : noAnswer ? u"no-answer"_s : u"failed"_s;
    const QString lastLeg = parent.dial->childSids.isEmpty() ? QString() : parent.dial->childSids.last();
    finishDial(parent, status, lastLeg, 0);
}

void CallEngine::dialTimedOut(SimCall &parent)
{
    log(parent, u"dial"_s, u"timeout: nobody answered"_s);
    const QStringList legs = parent.dial ? parent.dial->childSids : QStringList();
    for (const QString &sid : legs) {
        SimCall *leg = liveCall(sid);
        if (!leg)
            continue;
        endChildLeg(*leg, u"no-answer"_s, u"the Dial timeout passed"_s);
        withdrawLeg(*leg);
    }
    checkDialOutcome(parent);
}

void CallEngine::endBridge(SimCall &parent, const QString &why)
{
    if (!parent.dial || parent.dial->answeredSid.isEmpty())
        return;
    const DialState state = *parent.dial;
    log(parent, u"dial"_s, u"bridge ended: "_s + why);
    int duration = static_cast<int>((now() - state.bridgeStartMs) / 1000);
    if (SimCall *peer = liveCall(state.answeredSid)) {
        if (state.toQueue) {
            bridgeFromQueueEnded(*peer);
        } else {
            endChildLeg(*peer, Completed, why);
            duration = peer->durationSeconds();
            hangUpBridgedLeg(*peer);
        }
    }
    finishDial(parent, Completed, state.answeredSid, duration);
}

void CallEngine::finishDial(SimCall &parent, const QString &dialStatus, const QString &dialSid, int dialDuration)
{
    if (!parent.dial)
        return;
    const DialState state = *parent.dial;
    parent.dial.reset();
    parent.bridgePeer.clear();
    m_scheduler.cancel(state.timeoutTimer);
    m_scheduler.cancel(state.limitTimer);
    log(parent, u"dial"_s,
        u"<Dial> ended: DialCallStatus=%1 DialCallSid=%2 DialCallDuration=%3"_s.arg(dialStatus, dialSid)
            .arg(dialDuration));

    const QString action = resolveUrl(state.documentUrl, state.verb.attribute(u"action"_s));
    const HttpMethod method = methodOf(state.verb.attribute(u"method"_s));
    FormParams params = standardParams(parent);
    params.append(u"DialCallStatus"_s, dialStatus);
    if (!dialSid.isEmpty())
        params.append(u"DialCallSid"_s, dialSid);
    params.append(u"DialCallDuration"_s, QString::number(dialDuration));
    if (const SimCall *leg = findCall(dialSid); leg && isSipLeg(*leg) && !leg->sipCallId.isEmpty()) {
        // Twilio adds the SIP side of a <Sip> leg: its Call-ID and the final response code.
        params.append(u"DialSipCallId"_s, leg->sipCallId);
        if (leg->sipResponseCode > 0)
            params.append(u"DialSipResponseCode"_s, QString::number(leg->sipResponseCode));
    }
    if (!parent.isLive()) {
        if (!action.isEmpty())
            notify(parent, WebhookRequest {action, method, params}, u"Dial action"_s);
        return;
    }
    if (!action.isEmpty()) {
        fetchTwiml(parent, WebhookRequest {action, method, params}, Target::Main, u"Dial action"_s);
        return;
    }
    runNext(parent);
}

void CallEngine::stopDial(SimCall &parent, bool callerGone)
{
    if (!parent.dial)
        return;
    const DialState state = *parent.dial;
    m_scheduler.cancel(state.timeoutTimer);
    m_scheduler.cancel(state.limitTimer);
    const QString why = callerGone ? u"the caller hung up"_s : u"the call was redirected"_s;
    for (const QString &sid : state.childSids) {
        if (sid == state.answeredSid)
            continue;
        if (SimCall *leg = liveCall(sid)) {
            endChildLeg(*leg, Canceled, why);
            withdrawLeg(*leg);
        }
    }
    QString dialStatus = Canceled;
    QString dialSid = state.childSids.isEmpty() ? QString() : state.childSids.last();
    int duration = 0;
    if (!state.answeredSid.isEmpty()) {
        dialStatus = Completed;
        dialSid = state.answeredSid;
        duration = static_cast<int>((now() - state.bridgeStartMs) / 1000);
        if (SimCall *peer = liveCall(state.answeredSid)) {
            if (state.toQueue) {
                bridgeFromQueueEnded(*peer);
            } else {
                endChildLeg(*peer, Completed, why);
                duration = peer->durationSeconds();
                hangUpBridgedLeg(*peer);
            }
        }
    }
    if (callerGone) {
        finishDial(parent, dialStatus, dialSid, duration);
    } else {
        parent.dial.reset();
        parent.bridgePeer.clear();
        log(parent, u"dial"_s, u"<Dial> abandoned: "_s + why);
    }
}

void CallEngine::startQueueDial(SimCall &call, DialState state, const TwimlNoun &queueNoun)
{
    state.toQueue = true;
    const QString name = queueNoun.text;
    const SimQueue *found = findQueueByName(name);
    SimQueue *queue = found ? queueBySid(found->sid) : nullptr;
    SimCall *member = queue && !queue->members.isEmpty() ? liveCall(queue->members.first()) : nullptr;
    call.dial = state;
    if (!member) {
        answer(call);
        log(call, u"dial"_s, u"queue %1 has nobody waiting"_s.arg(name));
        finishDial(call, u"no-answer"_s, QString(), 0);
        return;
    }
    QueueStay stay = removeFromQueue(*member, u"bridged"_s);
    member->bridgedFromQueue = stay;
    member->bridgePeer = call.sid;
    member->activity = CallActivity::Bridged;
    log(*member, u"queue"_s, u"bridged to %1"_s.arg(call.sid));
    if (!queueNoun.attribute(u"url"_s).isEmpty())
        log(*member, u"verb"_s, u"the <Queue url> document is not executed by the stand-in"_s);

    call.dial->answeredSid = member->sid;
    call.dial->bridgeStartMs = now();
    call.activity = CallActivity::Bridged;
    call.bridgePeer = member->sid;
    answer(call);
    log(call, u"dial"_s, u"bridged with %1, the front of queue %2"_s.arg(member->sid, name));
    const QString sid = call.sid;
    const quint64 generation = call.generation;
    const qint64 limit = state.verb.intAttribute(u"timeLimit"_s).value_or(m_options.defaultTimeLimitSeconds);
    call.dial->limitTimer = m_scheduler.scheduleIn(limit * 1000, [this, sid, generation] {
        SimCall *current = liveCall(sid);
        if (current && current->generation == generation)
            endBridge(*current, u"the Dial timeLimit passed"_s);
    });
}

void CallEngine::bridgeFromQueueEnded(SimCall &member)
{
    if (!member.bridgedFromQueue)
        return;
    const QueueStay stay = *member.bridgedFromQueue;
    member.bridgedFromQueue.reset();
    member.bridgePeer.clear();
    log(member, u"queue"_s, u"the bridge with the dequeuing call ended"_s);
    if (!member.isLive())
        return;
    queueAction(member, stay, stay.action, stay.actionMethod, u"bridged"_s, true);
}

// ---------------------------------------------------------------------------------------------
// Enqueue

SimQueue &CallEngine::queueNamed(const QString &friendlyName)
{
    for (const auto &queue : m_queues) {
        if (queue->friendlyName == friendlyName)
            return *queue;
    }
    auto queue = std::make_unique<SimQueue>();
    queue->sid = newSid(u"QU"_s);
    queue->friendlyName = friendlyName;
    queue->maxSize = m_options.defaultQueueMaxSize;
    queue->createdMs = now();
    queue->updatedMs = queue->createdMs;
    SimQueue &ref = *queue;
    m_queues.push_back(std::move(queue));
    return ref;
}

void CallEngine::startEnqueue(SimCall &call, const TwimlVerb &verb, const QString &documentUrl)
{
    SimQueue &queue = queueNamed(verb.text);
    const QString action = resolveUrl(documentUrl, verb.attribute(u"action"_s));
    const HttpMethod actionMethod = methodOf(verb.attribute(u"method"_s));
    if (queue.members.size() >= queue.maxSize) {
        log(call, u"queue"_s, u"queue %1 is full (%2 waiting)"_s.arg(queue.friendlyName).arg(queue.members.size()));
        queueAction(call, std::nullopt, action, actionMethod, u"queue-full"_s, true);
        return;
    }
    QueueStay stay;
    stay.queueSid = queue.sid;
    stay.enqueuedAtMs = now();
    stay.action = action;
    stay.actionMethod = actionMethod;
    stay.waitUrl = resolveUrl(documentUrl, verb.attribute(u"waitUrl"_s));
    stay.waitMethod = methodOf(verb.attribute(u"waitUrlMethod"_s));
    queue.members.append(call.sid);
    queue.updatedMs = now();
    call.queued = stay;
    call.wait.reset();
    call.activity = CallActivity::Queued;
    log(call, u"queue"_s,
        u"enqueued in %1 (%2) at position %3"_s.arg(queue.friendlyName, queue.sid).arg(queue.members.size()));
    Q_EMIT callEnqueued(call.sid, queue.sid);
    if (stay.waitUrl.isEmpty()) {
        log(call, u"queue"_s, u"no waitUrl: Twilio's default hold music, simulated as silence"_s);
        return;
    }
    requestWaitUrl(call, stay.waitUrl, stay.waitMethod);
}

FormParams CallEngine::queueParams(const SimCall &call) const
{
    FormParams params = standardParams(call);
    if (!call.queued)
        return params;
    const SimQueue *queue = findQueue(call.queued->queueSid);
    if (!queue)
        return params;
    params.append(u"QueuePosition"_s, QString::number(queue->members.indexOf(call.sid) + 1));
    params.append(u"QueueSid"_s, queue->sid);
    params.append(u"QueueTime"_s, QString::number(call.queued->queueTimeSeconds(now())));
    params.append(u"AvgQueueTime"_s, QString::number(queue->averageWaitSeconds()));
    params.append(u"CurrentQueueSize"_s, QString::number(queue->members.size()));
    params.append(u"MaxQueueSize"_s, QString::number(queue->maxSize));
    return params;
}

void CallEngine::requestWaitUrl(SimCall &call, const QString &url, HttpMethod method)
{
    if (!call.queued)
        return;
    call.queued->waitLoopStartedMs = now();
    fetchTwiml(call, WebhookRequest {url, method, queueParams(call)}, Target::Wait, u"waitUrl"_s);
}

void CallEngine::waitVerbsRanOut(SimCall &call)
{
    const QueueStay &stay = *call.queued;
    // A document that plays nothing would otherwise be requested in a tight loop.
    const qint64 delay = std::max<qint64>(0, m_options.minWaitLoopMs - (now() - stay.waitLoopStartedMs));
    log(call, u"queue"_s, u"the waitUrl verbs ran out: waitUrl is requested again in %1 ms"_s.arg(delay));
    runTimed(call, delay, u"waitUrl loop"_s, [this](SimCall &current) {
        if (current.queued)
            requestWaitUrl(current, current.queued->waitUrl, current.queued->waitMethod);
    });
}

QueueStay CallEngine::removeFromQueue(SimCall &call, const QString &result)
{
    QueueStay stay = *call.queued;
    call.queued.reset();
    call.wait.reset();
    // The wait document stops here: its timers and pending answers belong to the old generation.
    ++call.generation;
    m_scheduler.cancel(call.timer);
    call.timer = 0;
    stay.leftAtMs = now();
    if (SimQueue *queue = queueBySid(stay.queueSid)) {
        queue->members.removeAll(call.sid);
        queue->totalWaitMs += stay.leftAtMs - stay.enqueuedAtMs;
        ++queue->departed;
        queue->updatedMs = now();
    }
    log(call, u"queue"_s,
        u"left queue %1 after %2 s: QueueResult=%3"_s.arg(stay.queueSid).arg(stay.queueTimeSeconds(now())).arg(result));
    return stay;
}

void CallEngine::leaveQueue(SimCall &call, const QString &result)
{
    if (!call.queued)
        return;
    if (result == u"hangup"_s) {
        endCall(call, Completed, u"<Hangup> while queued"_s);
        return;
    }
    const QueueStay stay = removeFromQueue(call, result);
    queueAction(call, stay, stay.action, stay.actionMethod, result, result != u"redirected"_s);
}

void CallEngine::queueAction(SimCall &call, const std::optional<QueueStay> &stay, const QString &action,
                             HttpMethod method, const QString &result, bool follow)
{
    if (action.isEmpty()) {
        if (follow && call.isLive())
            runNext(call);
        return;
    }
    FormParams params = standardParams(call);
    params.append(u"QueueResult"_s, result);
    if (stay) {
        params.append(u"QueueSid"_s, stay->queueSid);
        params.append(u"QueueTime"_s, QString::number(stay->queueTimeSeconds(now())));
    }
    if (follow && call.isLive())
        fetchTwiml(call, WebhookRequest {action, method, params}, Target::Main, u"Enqueue action"_s);
    else
        notify(call, WebhookRequest {action, method, params}, u"Enqueue action"_s);
}

// ---------------------------------------------------------------------------------------------
// Ending and interrupting

void CallEngine::interrupt(SimCall &call, const QString &why)
{
    ++call.generation;
    m_scheduler.cancel(call.timer);
    call.timer = 0;
    log(call, u"control"_s, why);
    if (call.queued) {
        const QueueStay stay = removeFromQueue(call, u"redirected"_s);
        queueAction(call, stay, stay.action, stay.actionMethod, u"redirected"_s, false);
    }
    stopDial(call, false);
    if (call.bridgedFromQueue) {
        const QueueStay stay = *call.bridgedFromQueue;
        call.bridgedFromQueue.reset();
        SimCall *dialer = liveCall(call.bridgePeer);
        call.bridgePeer.clear();
        queueAction(call, stay, stay.action, stay.actionMethod, u"redirected-from-bridged"_s, false);
        if (dialer && dialer->dial && dialer->dial->answeredSid == call.sid)
            finishDial(*dialer, Completed, call.sid, static_cast<int>((now() - dialer->dial->bridgeStartMs) / 1000));
    }
}

void CallEngine::endCall(SimCall &call, const QString &status, const QString &why)
{
    if (!call.isLive())
        return;
    ++call.generation;
    m_scheduler.cancel(call.timer);
    call.timer = 0;
    std::optional<QueueStay> stay;
    if (call.queued)
        stay = removeFromQueue(call, u"hangup"_s);
    setStatus(call, status);
    call.endMs = now();
    call.activity = CallActivity::Ended;
    log(call, u"status"_s, u"%1 (%2)"_s.arg(status, why));
    if (stay)
        queueAction(call, stay, stay->action, stay->actionMethod, u"hangup"_s, false);
    stopDial(call, true);
    if (call.bridgedFromQueue) {
        const QueueStay bridged = *call.bridgedFromQueue;
        call.bridgedFromQueue.reset();
        SimCall *dialer = liveCall(call.bridgePeer);
        call.bridgePeer.clear();
        queueAction(call, bridged, bridged.action, bridged.actionMethod, u"bridged"_s, false);
        if (dialer && dialer->dial && dialer->dial->answeredSid == call.sid)
            finishDial(*dialer, Completed, call.sid, static_cast<int>((now() - dialer->dial->bridgeStartMs) / 1000));
    }
    statusEvent(call, u"completed"_s);
    Q_EMIT callEnded(call.sid);
}

// ---------------------------------------------------------------------------------------------
// Public operations

QString CallEngine::placeInboundCall(const QString &from, const QString &to)
{
    SimCall &call = createCall(u"inbound"_s, from, to, QString());
    call.status = Ringing;
    if (!m_options.statusCallbackUrl.isEmpty()) {
        call.callbacks.url = m_options.statusCallbackUrl;
        call.callbacks.events = {u"initiated"_s, u"ringing"_s, u"answered"_s, u"completed"_s};
    }
    log(call, u"status"_s, u"ringing: inbound call from %1 to %2"_s.arg(from, to));
    statusEvent(call, u"initiated"_s);
    statusEvent(call, u"ringing"_s);
    fetchTwiml(call, WebhookRequest {m_options.voiceUrl, HttpMethod::Post, standardParams(call)}, Target::Main,
               u"voice webhook"_s);
    return call.sid;
}

Result<const SimCall *, SimError> CallEngine::redirectCall(const QString &sid, const QString &url, HttpMethod method)
{
    SimCall *call = liveCall(sid);
    if (!call)
        return notLive(sid);
    if (!call->parentSid.isEmpty())
        return SimError {400, 21220, u"The stand-in runs no TwiML on <Dial> legs: end %1 instead"_s.arg(sid)};
    interrupt(*call, u"redirected through the REST API to %1 %2"_s.arg(methodName(method), url));
    fetchTwiml(*call, WebhookRequest {url, method, standardParams(*call)}, Target::Main, u"REST redirect"_s);
    return call;
}

Result<const SimCall *, SimError> CallEngine::replaceTwiml(const QString &sid, const TwimlDocument &document)
{
    SimCall *call = liveCall(sid);
    if (!call)
        return notLive(sid);
    if (!call->parentSid.isEmpty())
        return SimError {400, 21220, u"The stand-in runs no TwiML on <Dial> legs: end %1 instead"_s.arg(sid)};
    interrupt(*call, u"TwiML replaced through the REST API (%1 verbs)"_s.arg(document.verbs.size()));
    call->main = TwimlFlow {document, QString(), 0};
    runNext(*call);
    return static_cast<const SimCall *>(call);
}

Result<const SimCall *, SimError> CallEngine::endCallByStatus(const QString &sid, const QString &status)
{
    SimCall *call = liveCall(sid);
    if (!call)
        return notLive(sid);
    if (status == Canceled && call->answered) {
        log(*call, u"control"_s, u"Status=canceled ignored: the call is already in progress"_s);
        return static_cast<const SimCall *>(call);
    }
    return hangup(sid);
}

Result<const SimCall *, SimError> CallEngine::setStatusCallback(const QString &sid, const QString &url,
                                                                HttpMethod method)
{
    SimCall *call = liveCall(sid);
    if (!call)
        return notLive(sid);
    call->callbacks.url = url;
    call->callbacks.method = method;
    if (call->callbacks.events.isEmpty())
        call->callbacks.events = {Completed};
    log(*call, u"control"_s, u"status callback set to %1 %2"_s.arg(methodName(method), url));
    return static_cast<const SimCall *>(call);
}

Result<const SimCall *, SimError> CallEngine::hangup(const QString &sid)
{
    SimCall *call = liveCall(sid);
    if (!call)
        return notLive(sid);
    if (!call->parentSid.isEmpty()) {
        log(*call, u"control"_s, u"hung up through the API"_s);
        if (call->answered) {
            hangUpBridgedLeg(*call);
            hangupClientLeg(sid);
        } else {
            withdrawLeg(*call);
            endChildLeg(*call, Canceled, u"hung up through the API"_s);
            if (SimCall *parent = liveCall(call->parentSid))
                checkDialOutcome(*parent);
        }
        return static_cast<const SimCall *>(call);
    }
    const bool abandon = call->queued.has_value();
    endCall(*call, call->answered ? Completed : Canceled,
            abandon ? u"the caller hung up while queued (abandoned)"_s : u"the caller hung up"_s);
    return static_cast<const SimCall *>(call);
}

Result<const SimQueue *, SimError> CallEngine::createQueue(const QString &friendlyName, std::optional<int> maxSize)
{
    if (friendlyName.isEmpty() || friendlyName.size() > 64)
        return SimError {400, 20001, u"FriendlyName must be 1 to 64 characters"_s};
    if (maxSize && (*maxSize < 1 || *maxSize > m_options.maxQueueMaxSize))
        return SimError {400, 20001, u"MaxSize must be between 1 and %1"_s.arg(m_options.maxQueueMaxSize)};
    if (findQueueByName(friendlyName))
        return SimError {400, 20001, u"A queue named %1 already exists"_s.arg(friendlyName)};
    SimQueue &queue = queueNamed(friendlyName);
    if (maxSize)
        queue.maxSize = *maxSize;
    return static_cast<const SimQueue *>(&queue);
}

Result<const SimQueue *, SimError>
CallEngine::updateQueue(const QString &sid, const std::optional<QString> &friendlyName, std::optional<int> maxSize)
{
    SimQueue *queue = queueBySid(sid);
    if (!queue)
        return notFound(u"queue "_s + sid);
    if (friendlyName && (friendlyName->isEmpty() || friendlyName->size() > 64))
        return SimError {400, 20001, u"FriendlyName must be 1 to 64 characters"_s};
    if (maxSize && (*maxSize < 1 || *maxSize > m_options.maxQueueMaxSize))
        return SimError {400, 20001, u"MaxSize must be between 1 and %1"_s.arg(m_options.maxQueueMaxSize)};
    if (friendlyName) {
        const SimQueue *other = findQueueByName(*friendlyName);
        if (other && other != queue)
            return SimError {400, 20001, u"A queue named %1 already exists"_s.arg(*friendlyName)};
        queue->friendlyName = *friendlyName;
    }
    if (maxSize)
        queue->maxSize = *maxSize;
    queue->updatedMs = now();
    return static_cast<const SimQueue *>(queue);
}

std::optional<SimError> CallEngine::deleteQueue(const QString &sid)
{
    const auto it
        = std::find_if(m_queues.begin(), m_queues.end(), [&](const auto &queue) { return queue->sid == sid; });
    if (it == m_queues.end())
        return notFound(u"queue "_s + sid);
    if (!(*it)->members.isEmpty())
        return SimError {400, 20001, u"Queue %1 still has %2 caller(s) waiting"_s.arg(sid).arg((*it)->members.size())};
    m_queues.erase(it);
    return std::nullopt;
}

Result<MemberSnapshot, SimError> CallEngine::dequeue(const QString &queueSid, const QString &memberSid,
                                                     const QString &url, HttpMethod method)
{
    if (!findQueue(queueSid))
        return notFound(u"queue "_s + queueSid);
    const std::optional<MemberSnapshot> snapshot = member(queueSid, memberSid);
    if (!snapshot)
        return notFound(u"member %1 of queue %2"_s.arg(memberSid, queueSid));
    SimCall *call = liveCall(snapshot->callSid);
    if (!call)
        return notFound(u"member %1 of queue %2"_s.arg(memberSid, queueSid));
    interrupt(*call, u"dequeued through the REST API to %1 %2"_s.arg(methodName(method), url));
    fetchTwiml(*call, WebhookRequest {url, method, standardParams(*call)}, Target::Main, u"dequeue Url"_s);
    return *snapshot;
}

bool CallEngine::acceptClientLeg(const QString &callSid)
{
    SimCall *leg = liveCall(callSid);
    if (!leg || leg->status != Ringing || leg->clientIdentity.isEmpty())
        return false;
    return bridgeAnsweredLeg(*leg, u"accepted by %1"_s.arg(leg->clientIdentity));
}

bool CallEngine::bridgeAnsweredLeg(SimCall &answeredLeg, const QString &how)
{
    SimCall *leg = &answeredLeg;
    const QString callSid = leg->sid;
    SimCall *parent = liveCall(leg->parentSid);
    if (!parent || !parent->dial || !parent->dial->answeredSid.isEmpty())
        return false;

    leg->answered = true;
    leg->startMs = now();
    setStatus(*leg, InProgress);
    leg->activity = CallActivity::Bridged;
    leg->bridgePeer = parent->sid;
    log(*leg, isSipLeg(*leg) ? u"sip"_s : u"client"_s, how);
    statusEvent(*leg, u"answered"_s);

    m_scheduler.cancel(parent->dial->timeoutTimer);
    parent->dial->timeoutTimer = 0;
    parent->dial->answeredSid = callSid;
    parent->dial->bridgeStartMs = now();
    const QStringList others = parent->dial->childSids;
    for (const QString &other : others) {
        if (other == callSid)
            continue;
        if (SimCall *otherLeg = liveCall(other)) {
            endChildLeg(*otherLeg, Canceled, u"answered on another leg"_s);
            withdrawLeg(*otherLeg);
        }
    }
    parent->activity = CallActivity::Bridged;
    parent->bridgePeer = callSid;
    answer(*parent);
    log(*parent, u"dial"_s, u"bridged with %1 (%2)"_s.arg(callSid, leg->to));

    const QString parentSid = parent->sid;
    const quint64 generation = parent->generation;
    const qint64 limit = parent->dial->verb.intAttribute(u"timeLimit"_s).value_or(m_options.defaultTimeLimitSeconds);
    parent->dial->limitTimer = m_scheduler.scheduleIn(limit * 1000, [this, parentSid, generation] {
        SimCall *current = liveCall(parentSid);
        if (current && current->generation == generation)
            endBridge(*current, u"the Dial timeLimit passed"_s);
    });
    return true;
}

bool CallEngine::rejectClientLeg(const QString &callSid)
{
    SimCall *leg = liveCall(callSid);
    if (!leg || leg->status != Ringing || leg->clientIdentity.isEmpty())
        return false;
    endChildLeg(*leg, u"busy"_s, u"rejected by the client"_s);
    if (m_gateway)
        m_gateway->cancelOffer(callSid);
    if (SimCall *parent = liveCall(leg->parentSid))
        checkDialOutcome(*parent);
    return true;
}

bool CallEngine::hangupClientLeg(const QString &callSid)
{
    SimCall *leg = liveCall(callSid);
    if (!leg)
        return false;
    if (!leg->answered)
        return rejectClientLeg(callSid);
    endAnsweredLeg(*leg, u"the client hung up"_s);
    return true;
}

void CallEngine::endAnsweredLeg(SimCall &leg, const QString &why)
{
    SimCall *parent = liveCall(leg.parentSid);
    endChildLeg(leg, Completed, why);
    if (parent && parent->dial && parent->dial->answeredSid == leg.sid)
        finishDial(*parent, Completed, leg.sid, leg.durationSeconds());
}

void CallEngine::withdrawLeg(SimCall &leg)
{
    if (m_gateway && !leg.clientIdentity.isEmpty()) {
        m_gateway->cancelOffer(leg.sid);
    } else if (m_sipGateway && isSipLeg(leg)) {
        // 487 Request Terminated is the INVITE's final answer once our CANCEL is through.
        if (!leg.sipCallId.isEmpty() && leg.sipResponseCode == 0)
            leg.sipResponseCode = 487;
        m_sipGateway->cancel(leg.sid);
    }
}

void CallEngine::hangUpBridgedLeg(const SimCall &leg)
{
    if (m_gateway && !leg.clientIdentity.isEmpty())
        m_gateway->bridgeEnded(leg.sid);
    else if (m_sipGateway && isSipLeg(leg))
        m_sipGateway->bridgeEnded(leg.sid);
}

// ---------------------------------------------------------------------------------------------
// SIP legs

bool CallEngine::sipLegCalling(const QString &callSid, const QString &sipCallId)
{
    SimCall *leg = liveCall(callSid);
    if (!leg || !isSipLeg(*leg) || sipCallId.isEmpty())
        return false;
    leg->sipCallId = sipCallId;
    log(*leg, u"sip"_s, u"INVITE sent, Call-ID %1"_s.arg(sipCallId));
    return true;
}

bool CallEngine::sipLegRinging(const QString &callSid)
{
    SimCall *leg = liveCall(callSid);
    if (!leg || !isSipLeg(*leg) || leg->answered || leg->status == Ringing)
        return false;
    setStatus(*leg, Ringing);
    log(*leg, u"status"_s, u"ringing (180 Ringing)"_s);
    statusEvent(*leg, u"ringing"_s);
    return true;
}

bool CallEngine::sipLegAnswered(const QString &callSid)
{
    SimCall *leg = liveCall(callSid);
    if (!leg || !isSipLeg(*leg) || leg->answered)
        return false;
    leg->sipResponseCode = 200;
    return bridgeAnsweredLeg(*leg, u"answered (200 OK)"_s);
}

bool CallEngine::sipLegFailed(const QString &callSid, int sipStatus, const QString &sipCallId)
{
    SimCall *leg = liveCall(callSid);
    if (!leg || !isSipLeg(*leg) || leg->answered)
        return false;
    if (!sipCallId.isEmpty())
        leg->sipCallId = sipCallId;
    leg->sipResponseCode = sipStatus;
    QString status = u"failed"_s;
    QString why = u"the INVITE was refused with %1"_s.arg(sipStatus);
    if (sipStatus == 486 || sipStatus == 600 || sipStatus == 603) {
        status = u"busy"_s;
    } else if (sipStatus == 408) {
        status = u"no-answer"_s;
    } else if (sipStatus == 404 || sipStatus == 480) {
        // Twilio logs warning 32009: the SIP user is not registered.
        why = u"%1: nobody is registered as %2 (Twilio warning 32009)"_s.arg(sipStatus).arg(leg->to);
    } else if (sipStatus == 0) {
        why = u"the INVITE got no final response"_s;
    }
    endChildLeg(*leg, status, why);
    if (SimCall *parent = liveCall(leg->parentSid))
        checkDialOutcome(*parent);
    return true;
}

bool CallEngine::sipLegHungUp(const QString &callSid)
{
    SimCall *leg = liveCall(callSid);
    if (!leg || !isSipLeg(*leg) || !leg->answered)
        return false;
    endAnsweredLeg(*leg, u"the SIP endpoint hung up (BYE)"_s);
    return true;
}

} // namespace heartline
