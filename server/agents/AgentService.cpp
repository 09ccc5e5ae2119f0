#include "agents/AgentService.h"

#include <bit>

#include <QLoggingCategory>

#include "agents/AgentRegistry.h"
#include "agents/AgentStore.h"
#include "config/Config.h"
#include "core/Clock.h"
#include "readiness/ReadinessScorer.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcAgents, "heartline.agents")

namespace heartline {

namespace {

Problem unknownAgent(const QString &agentId)
{
    return Problem {u"unknown_agent"_s, u"agentId"_s, u"no agent with id \"%1\""_s.arg(agentId)};
}

/// A status the server or a supervisor imposed that the agent app's routine heartbeats must not
/// undo: only an explicit status change by the agent clears it. Cleanup and disconnect changes
/// are not sticky, so an agent that comes back is restored by its next heartbeat.
bool isStickyCause(const QString &cause)
{
    return cause == u"no-answer" || cause == u"supervisor";
}

} // namespace

AgentService::AgentService(AgentRegistry &registry, AgentStore &store, const Config &config, const Clock &clock,
                           QObject *parent)
    : QObject(parent), m_registry(registry), m_store(store), m_clock(clock),
      m_readinessConfig(ReadinessConfig::fromConfig(config)),
      m_reconnectGraceMs(qint64(config.intValue(ConfigKey::ReconnectGraceSeconds)) * 1000),
      m_idleWatch {config.intValue(ConfigKey::IdlePromptSeconds), config.intValue(ConfigKey::IdleGraceSeconds),
                   config.intValue(ConfigKey::InputQuietSeconds)}
{ }

AgentService::~AgentService() = default;

int AgentService::heartbeatIntervalSeconds() const
{
    return m_readinessConfig.heartbeatIntervalSeconds;
}

std::optional<Problem> AgentService::loadFromStore()
{
    auto loaded = m_store.loadAgents();
    if (!loaded)
        return loaded.error();
    for (const StoredAgent &stored : loaded.value()) {
        AgentRecord &record = m_registry.upsert(stored.profile);
        if (stored.session) {
            record.sessionId = stored.session->id;
            record.loginAtMs = stored.session->loginAtMs;
            record.snapshot.sessionActive = true;
            record.snapshot.status = stored.session->status;
            record.snapshot.awayReason = stored.session->awayReason;
            record.snapshot.lastHeartbeatMs = stored.session->lastHeartbeatMs;
            record.snapshot.deviceConnected = stored.session->deviceConnected;
            record.statusChangedAtMs = stored.session->statusChangedAtMs;
            record.idleSinceMs = stored.session->loginAtMs;
            record.statusSticky = stored.session->statusSticky;
            // Sockets did not survive the restart, and perhaps the app did not either: the stored
            // status is not taken at its word until the app is heard from (a heartbeat, a hello).
            record.snapshot.connection = ConnectionKind::HttpOnly;
            record.snapshot.unconfirmed = true;
        }
        refresh(record);
    }
    return std::nullopt;
}

void AgentService::reloadProfiles()
{
    auto loaded = m_store.loadAgents();
    if (!loaded)
        return;
    for (const StoredAgent &stored : loaded.value()) {
        AgentRecord *record = m_registry.find(stored.profile.agentId);
        if (!record)
            continue; // learned on first use
        const AgentProfile &before = record->profile;
        const AgentProfile &after = stored.profile;
        if (before.maxConcurrentCalls == after.maxConcurrentCalls && before.skills == after.skills
            && before.priority == after.priority && before.wrapUpSeconds == after.wrapUpSeconds
            && before.maxNoAnswer == after.maxNoAnswer && before.displayName == after.displayName)
            continue;
        refresh(m_registry.upsert(after));
    }
}

void AgentService::applyProfile(const AgentProfile &profile)
{
    if (m_registry.find(profile.agentId))
        refresh(m_registry.upsert(profile));
    // else: learned on first use, from the store
}

AgentRecord *AgentService::knownAgent(const QString &agentId)
{
    if (AgentRecord *record = m_registry.find(agentId))
        return record;
    // An agent created by the admin CLI while the server runs: read its profile once.
    auto profile = m_store.agentProfile(agentId);
    if (!profile)
        return nullptr;
    AgentRecord &record = m_registry.upsert(*profile);
    refresh(record);
    return &record;
}

std::optional<Problem> AgentService::ensureSession(const QString &agentId)
{
    AgentRecord *record = knownAgent(agentId);
    if (!record)
        return unknownAgent(agentId);
    if (record->sessionId != 0)
        return std::nullopt;
    const qint64 now = m_clock.nowMs();
    auto session = m_store.openSession(record->profile, now);
    if (!session)
        return session.error();
    record->sessionId = session.value();
    record->loginAtMs = now;
    record->snapshot.sessionActive = true;
    record->snapshot.status = AgentStatus::Offline;
    record->snapshot.awayReason.clear();
    record->snapshot.voiceUnreachable.clear(); // a new session registers its voice line afresh
    record->snapshot.unconfirmed = false;
    record->snapshot.presenceIdle = false;
    record->snapshot.rangOutAtMs = 0;
    record->watchesInput = false;
    record->inputQuiet = false;
    record->statusChangedAtMs = now;
    record->idleSinceMs = now;
    record->statusSticky = false;
    qCInfo(lcAgents) << "session opened for" << agentId;
    refresh(*record);
    return std::nullopt;
}

std::optional<Problem> AgentService::closeSession(const QString &agentId, StatusChangeSource by, const QString &cause)
{
    AgentRecord *record = knownAgent(agentId);
    if (!record)
        return unknownAgent(agentId);
    if (record->sessionId == 0)
        return std::nullopt;
    const AgentStatus from = record->snapshot.status;
    if (auto problem = m_store.closeSession(record->sessionId, agentId, from, toString(by), cause, m_clock.nowMs()))
        return problem;
    record->sessionId = 0;
    record->snapshot.sessionActive = false;
    record->snapshot.status = AgentStatus::Offline;
    record->snapshot.awayReason.clear();
    record->snapshot.voiceUnreachable.clear();
    record->snapshot.unconfirmed = false;
    record->snapshot.presenceIdle = false;
    record->snapshot.rangOutAtMs = 0;
    record->watchesInput = false;
    record->inputQuiet = false;
    record->statusSticky = false;
    refresh(*record);
    if (by != StatusChangeSource::Agent && from != AgentStatus::Offline)
        Q_EMIT statusForced(StatusChange {agentId, from, AgentStatus::Offline, {}, by, cause});
    Q_EMIT sessionClosed(agentId);
    return std::nullopt;
}

std::optional<Problem> AgentService::changeStatus(AgentRecord &record, AgentStatus status, const QString &awayReason,
                                                  StatusChangeSource by, const QString &cause)
{
    const QString reason = status == AgentStatus::Away ? awayReason : QString();
    if (record.snapshot.status == status && record.snapshot.awayReason == reason)
        return std::nullopt;
    const qint64 now = m_clock.nowMs();
    const bool sticky = by != StatusChangeSource::Agent && isStickyCause(cause);
    const StatusChange change {record.profile.agentId, record.snapshot.status, status, reason, by, cause};
    if (auto problem = m_store.recordStatusChange(record.sessionId, change, sticky, now))
        return problem;
    record.snapshot.status = status;
    record.snapshot.awayReason = reason;
    record.statusChangedAtMs = now;
    record.statusSticky = sticky;
    if (status == AgentStatus::Available) {
        record.idleSinceMs = now;
        record.noAnswerStreak = 0;
    }
    qCInfo(lcAgents).noquote() << record.profile.agentId << toString(change.from) << "->" << toString(status) << "by"
                               << toString(by) << "cause" << cause;
    if (by != StatusChangeSource::Agent)
        Q_EMIT statusForced(change);
    return std::nullopt;
}

Result<const AgentRecord *> AgentService::heartbeat(const QString &agentId, const HeartbeatInput &input,
                                                    HeartbeatTransport transport)
{
    if (auto problem = ensureSession(agentId))
        return *problem;
    AgentRecord &record = *m_registry.find(agentId);
    const qint64 now = m_clock.nowMs();

    record.snapshot.lastHeartbeatMs = now;
    record.snapshot.deviceConnected = input.deviceConnected;
    heardFrom(record);
    if (input.devices)
        takeDeviceReport(record, *input.devices);
    takePresence(record, input.presence);
    if (input.deviceDetails)
        record.deviceDetails = *input.deviceDetails;
    if (transport == HeartbeatTransport::Http && record.snapshot.connection != ConnectionKind::WebSocket)
        record.snapshot.connection = ConnectionKind::HttpOnly;

    // The app's routine status report applies unless the server or a supervisor imposed a status
    // the agent has not overridden explicitly (see isStickyCause).
    if (!record.statusSticky) {
        if (auto problem
            = changeStatus(record, input.status, input.awayReason, StatusChangeSource::Agent, u"heartbeat"_s))
            return *problem;
    }
    m_store.queueHeartbeat(record.sessionId, now, input.deviceConnected);
    refresh(record);
    return &record;
}

Result<const AgentRecord *> AgentService::setStatus(const QString &agentId, AgentStatus status,
                                                    const QString &awayReason, StatusChangeSource by,
                                                    const QString &cause)
{
    if (auto problem = ensureSession(agentId))
        return *problem;
    AgentRecord &record = *m_registry.find(agentId);
    if (auto problem = changeStatus(record, status, awayReason, by, cause))
        return *problem;
    if (by == StatusChangeSource::Agent) {
        // The agent chose a status in the app: someone is there.
        heardFrom(record);
        record.snapshot.rangOutAtMs = 0;
    }
    if (by == StatusChangeSource::Agent && record.statusSticky) {
        // The agent chose explicitly: the imposed status no longer binds routine heartbeats.
        record.statusSticky = false;
        m_store.clearStickyStatus(record.sessionId);
    }
    refresh(record);
    return &record;
}

Result<const AgentRecord *> AgentService::updateDevices(const QString &agentId, const DeviceReport &devices,
                                                        const DeviceDetails &details,
                                                        std::optional<bool> deviceConnected,
                                                        const PresenceReport &presence)
{
    AgentRecord *record = knownAgent(agentId);
    if (!record)
        return unknownAgent(agentId);
    heardFrom(*record);
    takeDeviceReport(*record, devices);
    takePresence(*record, presence);
    record->deviceDetails = details;
    if (deviceConnected) {
        record->snapshot.deviceConnected = *deviceConnected;
        if (record->sessionId != 0 && record->snapshot.lastHeartbeatMs)
            m_store.queueHeartbeat(record->sessionId, *record->snapshot.lastHeartbeatMs, *deviceConnected);
    }
    refresh(*record);
    return record;
}

bool AgentService::connectionOpened(const QString &agentId)
{
    AgentRecord *record = knownAgent(agentId);
    if (!record)
        return false;
    const qint64 now = m_clock.nowMs();
    const bool resumed = record->disconnectedAtMs != 0 && now - record->disconnectedAtMs <= m_reconnectGraceMs;
    record->snapshot.connection = ConnectionKind::WebSocket;
    record->disconnectedAtMs = 0;
    heardFrom(*record);
    refresh(*record);
    return resumed;
}

void AgentService::connectionLost(const QString &agentId, const QString &why)
{
    AgentRecord *record = m_registry.find(agentId);
    if (!record || record->snapshot.connection != ConnectionKind::WebSocket)
        return;
    record->snapshot.connection = ConnectionKind::None;
    record->snapshot.wsPingRttMs.reset();
    record->disconnectedAtMs = m_clock.nowMs();
    qCInfo(lcAgents).noquote() << agentId << "disconnected:" << why;
    refresh(*record);
}

void AgentService::pingMeasured(const QString &agentId, double rttMs)
{
    if (AgentRecord *record = m_registry.find(agentId)) {
        record->snapshot.wsPingRttMs = rttMs;
        refresh(*record);
    }
}

bool AgentService::reserve(const QString &agentId, const QString &callSid)
{
    AgentRecord *record = m_registry.find(agentId);
    if (!record || record->snapshot.reserved)
        return false;
    record->snapshot.reserved = true;
    record->reservedCallSid = callSid;
    record->lastOfferedAtMs = m_clock.nowMs();
    refresh(*record);
    return true;
}

void AgentService::offerAnswered(const QString &agentId, const QString &callSid)
{
    AgentRecord *record = m_registry.find(agentId);
    if (!record || record->activeCallSids.contains(callSid))
        return;
    if (record->reservedCallSid == callSid) {
        record->snapshot.reserved = false;
        record->reservedCallSid.clear();
    }
    rollCountersToToday(*record);
    record->activeCallSids.append(callSid);
    record->snapshot.activeCalls = int(record->activeCallSids.size());
    record->currentCallStartedMs = m_clock.nowMs();
    record->noAnswerStreak = 0;
    record->snapshot.rangOutAtMs = 0; // someone picked up
    ++record->callsToday;
    recordOffer(*record, true);
    refresh(*record);
}

QString offerOutcomeName(OfferOutcome outcome)
{
    switch (outcome) {
    case OfferOutcome::NoAnswer:
        return u"no-answer"_s;
    case OfferOutcome::Busy:
        return u"busy"_s;
    case OfferOutcome::Failed:
        return u"failed"_s;
    case OfferOutcome::Canceled:
        return u"canceled"_s;
    case OfferOutcome::Unreachable:
        return u"unreachable"_s;
    }
    return u"failed"_s;
}

bool AgentService::offerUnanswered(const QString &agentId, const QString &callSid, OfferOutcome outcome)
{
    AgentRecord *record = m_registry.find(agentId);
    if (!record || record->reservedCallSid != callSid)
        return false; // not (or no longer) ringing there: a repeated callback
    record->snapshot.reserved = false;
    record->reservedCallSid.clear();
    bool putAway = false;
    // Only what the agent did (or failed to do) counts against it: not a caller who hung up, not a
    // voice line Twilio could not find.
    if (outcome != OfferOutcome::Canceled && outcome != OfferOutcome::Unreachable) {
        record->snapshot.cooldownUntilMs = m_clock.nowMs() + m_cooldownMs;
        // Nobody picked up: if the app can tell us someone is back, the agent waits for that, so
        // a walk-away costs one caller one ring-out, not one per offer until maxNoAnswer.
        if (outcome == OfferOutcome::NoAnswer && record->watchesInput)
            record->snapshot.rangOutAtMs = m_clock.nowMs();
        ++record->noAnswerStreak;
        recordOffer(*record, false);
        const int limit = record->profile.maxNoAnswer;
        if (limit > 0 && record->noAnswerStreak >= limit && record->snapshot.status == AgentStatus::Available) {
            // As FreeSWITCH mod_callcenter does: an agent who keeps not answering has probably
            // walked away; stop offering calls until they say they are back.
            putAway
                = !changeStatus(*record, AgentStatus::Away, u"no-answer"_s, StatusChangeSource::Server, u"no-answer"_s);
        }
    }
    refresh(*record);
    Q_EMIT callFinished(agentId, callSid, offerOutcomeName(outcome));
    return putAway;
}

void AgentService::markVoiceUnreachable(const QString &agentId, const QString &reason)
{
    AgentRecord *record = m_registry.find(agentId);
    if (!record || record->snapshot.voiceUnreachable == reason)
        return;
    record->snapshot.voiceUnreachable = reason;
    qCInfo(lcAgents).noquote() << agentId << "is not offerable:" << reason;
    refresh(*record);
}

void AgentService::takeDeviceReport(AgentRecord &record, const DeviceReport &devices)
{
    // Twilio's verdict stands until the app says its line registered again: a report that turns
    // voiceRegistered true, not the same "true" repeated by every routine heartbeat (an app whose
    // registration Twilio lost may still believe it holds one).
    const bool registeredAgain = devices.voiceRegistered == true && record.snapshot.devices.voiceRegistered != true;
    if (registeredAgain && !record.snapshot.voiceUnreachable.isEmpty()) {
        qCInfo(lcAgents).noquote() << record.profile.agentId << "reports its voice line registered again";
        record.snapshot.voiceUnreachable.clear();
    }
    record.snapshot.devices = devices;
}

void AgentService::takePresence(AgentRecord &record, const PresenceReport &presence)
{
    if (!presence.idleSeconds && !presence.presence)
        return;
    record.watchesInput = true;
    if (presence.presence) {
        record.snapshot.presenceIdle = *presence.presence == Presence::Idle;
        record.inputQuiet = *presence.presence == Presence::Quiet;
    }
    // Both instants are server time: the report's arrival less the idle time it carries. The
    // network's delay only makes the input look older, never newer than it was.
    if (record.snapshot.rangOutAtMs != 0 && presence.idleSeconds) {
        const qint64 lastInputMs = m_clock.nowMs() - qint64(*presence.idleSeconds * 1000.0);
        if (lastInputMs > record.snapshot.rangOutAtMs) {
            qCInfo(lcAgents).noquote() << record.profile.agentId << "is back at the app after a call rang out";
            record.snapshot.rangOutAtMs = 0;
        }
    }
}

void AgentService::heardFrom(AgentRecord &record)
{
    if (record.snapshot.unconfirmed) {
        qCInfo(lcAgents).noquote() << record.profile.agentId << "was heard from since the restart";
        record.snapshot.unconfirmed = false;
    }
}

void AgentService::callEnded(const QString &agentId, const QString &callSid, qint64 durationSeconds)
{
    AgentRecord *record = m_registry.find(agentId);
    if (!record)
        return;
    const bool wasReserved = record->reservedCallSid == callSid;
    if (wasReserved) {
        record->snapshot.reserved = false;
        record->reservedCallSid.clear();
    }
    const bool wasActive = record->activeCallSids.removeOne(callSid);
    // Callbacks may arrive out of order: a call that ended with talk time while Heartline still
    // thought it was ringing was answered; count it as such.
    const bool answeredUnseen = !wasActive && wasReserved && durationSeconds > 0;
    if (!wasActive && !answeredUnseen) {
        refresh(*record);
        if (wasReserved)
            Q_EMIT callFinished(agentId, callSid, u"completed"_s);
        return; // unknown, or already ended: callbacks repeat
    }
    const qint64 now = m_clock.nowMs();
    rollCountersToToday(*record);
    if (answeredUnseen) {
        ++record->callsToday;
        record->noAnswerStreak = 0;
        recordOffer(*record, true);
    }
    record->talkSecondsToday += qMax<qint64>(0, durationSeconds);
    record->snapshot.activeCalls = int(record->activeCallSids.size());
    if (record->activeCallSids.isEmpty()) {
        record->currentCallStartedMs = 0;
        record->snapshot.wrapUpUntilMs = now + qint64(record->profile.wrapUpSeconds) * 1000;
        record->idleSinceMs = record->snapshot.wrapUpUntilMs;
    }
    refresh(*record);
    Q_EMIT callFinished(agentId, callSid, u"completed"_s);
}

void AgentService::restoreReservation(const QString &agentId, const QString &callSid, qint64 offeredAtMs)
{
    AgentRecord *record = knownAgent(agentId);
    if (!record)
        return;
    record->snapshot.reserved = true;
    record->reservedCallSid = callSid;
    record->lastOfferedAtMs = offeredAtMs;
    refresh(*record);
}

void AgentService::restoreActiveCall(const QString &agentId, const QString &callSid, qint64 answeredAtMs)
{
    AgentRecord *record = knownAgent(agentId);
    if (!record || record->activeCallSids.contains(callSid))
        return;
    if (record->reservedCallSid == callSid) {
        record->snapshot.reserved = false;
        record->reservedCallSid.clear();
    }
    record->activeCallSids.append(callSid);
    record->snapshot.activeCalls = int(record->activeCallSids.size());
    record->currentCallStartedMs = answeredAtMs;
    refresh(*record);
}

void AgentService::restoreWrapUp(const QString &agentId, qint64 untilMs)
{
    AgentRecord *record = knownAgent(agentId);
    if (!record || untilMs <= record->snapshot.wrapUpUntilMs)
        return;
    record->snapshot.wrapUpUntilMs = untilMs;
    record->idleSinceMs = untilMs;
    refresh(*record);
}

QList<AgentService::CallRepair> AgentService::reconcileCalls(const QString &agentId,
                                                             const QStringList &inProgressCallSids,
                                                             const std::optional<QStringList> &ringingCallSids,
                                                             const QString &staleReservation)
{
    QList<CallRepair> repairs;
    AgentRecord *record = m_registry.find(agentId);
    if (!record)
        return repairs;
    if (ringingCallSids) {
        const QString reserved = record->reservedCallSid;
        if (!reserved.isEmpty() && reserved == staleReservation && !inProgressCallSids.contains(reserved)
            && !ringingCallSids->contains(reserved)) {
            // Rings nowhere and was not answered: the offer ended while nobody listened.
            offerUnanswered(agentId, reserved, OfferOutcome::Canceled);
            repairs.append({reserved, u"ended"_s, true});
        }
        if (record->reservedCallSid.isEmpty() && record->activeCallSids.size() < record->profile.maxConcurrentCalls) {
            for (const QString &callSid : *ringingCallSids) {
                if (!record->activeCallSids.contains(callSid) && !inProgressCallSids.contains(callSid)
                    && reserve(agentId, callSid)) {
                    repairs.append({callSid, u"adopted"_s, true});
                    break;
                }
            }
        }
    }
    const QStringList believed = record->activeCallSids;
    for (const QString &callSid : believed) {
        if (!inProgressCallSids.contains(callSid)) {
            callEnded(agentId, callSid, (m_clock.nowMs() - record->currentCallStartedMs) / 1000);
            repairs.append({callSid, u"ended"_s});
        }
    }
    for (const QString &callSid : inProgressCallSids) {
        if (!record->activeCallSids.contains(callSid)) {
            offerAnswered(agentId, callSid);
            repairs.append({callSid, u"adopted"_s});
        }
    }
    return repairs;
}

void AgentService::recordOffer(AgentRecord &record, bool answered)
{
    constexpr quint32 windowMask = (1u << AgentRecord::RecentOfferWindow) - 1;
    record.recentOutcomes = ((record.recentOutcomes << 1) | (answered ? 1u : 0u)) & windowMask;
    record.recentOfferCount = qMin(record.recentOfferCount + 1, AgentRecord::RecentOfferWindow);
    record.snapshot.recentOffers = record.recentOfferCount;
    record.snapshot.recentAnswers = std::popcount(record.recentOutcomes);
}

void AgentService::rollCountersToToday(AgentRecord &record)
{
    const qint64 today = m_clock.nowMs() / 86'400'000;
    if (record.countersDay != today) {
        record.countersDay = today;
        record.callsToday = 0;
        record.talkSecondsToday = 0;
    }
}

QList<StatusChange> AgentService::runDueWork()
{
    QList<StatusChange> changes;
    const qint64 now = m_clock.nowMs();
    const qint64 thresholdMs = qint64(m_readinessConfig.heartbeatThresholdSeconds * 1000);
    for (const QString &agentId : m_registry.expiredAt(now)) {
        AgentRecord *record = m_registry.find(agentId);
        if (!record)
            continue;
        const AgentStatus before = record->snapshot.status;
        const bool heartbeatExpired = m_readinessConfig.heartbeatEnabled && record->snapshot.lastHeartbeatMs
            && now - *record->snapshot.lastHeartbeatMs > thresholdMs;
        const bool graceOver = record->disconnectedAtMs != 0 && now - record->disconnectedAtMs > m_reconnectGraceMs;
        if ((heartbeatExpired || graceOver) && record->sessionId != 0 && before != AgentStatus::Offline) {
            const QString cause = heartbeatExpired ? u"cleanup"_s : u"disconnected"_s;
            if (!changeStatus(*record, AgentStatus::Offline, {}, StatusChangeSource::Server, cause))
                changes.append(
                    StatusChange {agentId, before, AgentStatus::Offline, {}, StatusChangeSource::Server, cause});
        }
        refresh(*record);
    }
    return changes;
}

const AgentRecord *AgentService::agent(const QString &agentId)
{
    AgentRecord *record = knownAgent(agentId);
    if (record)
        recompute(*record);
    return record;
}

void AgentService::revalidate(const QString &agentId)
{
    if (AgentRecord *record = m_registry.find(agentId))
        refresh(*record);
}

void AgentService::flushHeartbeats()
{
    m_store.flushHeartbeats();
}

void AgentService::refresh(AgentRecord &record)
{
    recompute(record);
    ++record.revision;
    rescheduleExpiry(record);
    Q_EMIT agentChanged(record.profile.agentId);
}

void AgentService::recompute(AgentRecord &record)
{
    const qint64 now = m_clock.nowMs();
    AgentSnapshot &s = record.snapshot;
    record.readiness = scoreReadiness(s, m_readinessConfig, now);
    record.readinessAtMs = now;

    const qint64 thresholdMs = qint64(m_readinessConfig.heartbeatThresholdSeconds * 1000);
    const bool heartbeatExpired
        = m_readinessConfig.heartbeatEnabled && (!s.lastHeartbeatMs || now - *s.lastHeartbeatMs > thresholdMs);
    if (!s.sessionActive || s.connection == ConnectionKind::None)
        record.activity = AgentActivity::Disconnected;
    else if (heartbeatExpired)
        record.activity = AgentActivity::Stale;
    else if (s.reserved)
        record.activity = AgentActivity::Ringing;
    else if (s.activeCalls > 0)
        record.activity = AgentActivity::OnCall;
    else if (now < s.wrapUpUntilMs)
        record.activity = AgentActivity::WrapUp;
    else if (now < s.cooldownUntilMs)
        record.activity = AgentActivity::Cooldown;
    else
        record.activity = AgentActivity::Idle;
}

void AgentService::rescheduleExpiry(AgentRecord &record)
{
    // The next instant at which this agent changes by itself, with no message from anyone.
    const qint64 now = m_clock.nowMs();
    const AgentSnapshot &s = record.snapshot;
    qint64 next = 0;
    auto consider = [&](qint64 at) {
        if (at > now && (next == 0 || at < next))
            next = at;
    };
    if (s.sessionActive) {
        if (m_readinessConfig.heartbeatEnabled && s.lastHeartbeatMs && s.status != AgentStatus::Offline) {
            consider(*s.lastHeartbeatMs + qint64(m_readinessConfig.heartbeatThresholdSeconds * 1000) + 1);
        }
        if (record.disconnectedAtMs != 0 && s.status != AgentStatus::Offline)
            consider(record.disconnectedAtMs + m_reconnectGraceMs + 1);
        consider(s.wrapUpUntilMs);
        consider(s.cooldownUntilMs);
    }
    m_registry.setExpiryDeadline(record, next);
}

} // namespace heartline
