#include "AgentFleet.h"

#include <limits>

#include <QNetworkProxy>

#include "ScenarioRandom.h"
#include "SimScheduler.h"
#include "TcpRelay.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Faults that change what the agent does on the line begin once the line is free: a call in
/// progress is finished first (a crash does not wait).
constexpr qint64 BusyRetryMs = 5'000;

bool cutsNetwork(FaultKind kind)
{
    return kind == FaultKind::NetworkCut || kind == FaultKind::Sleep || kind == FaultKind::SleepOnCall;
}

} // namespace

AgentFleet::AgentFleet(const ScenarioConfig &config, Endpoints endpoints, QList<Fault> faults, SimScheduler &scheduler,
                       SimAgentObserver *observer, SimScheduler *routine, QObject *parent)
    : QObject(parent), m_config(config), m_endpoints(std::move(endpoints)), m_scheduler(scheduler),
      m_silence(config.seed, 0x51CE7ULL)
{
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_relays.resize(size_t(config.agents));
    for (const Fault &fault : faults) {
        m_faults.append(FaultRecord {fault, -1, -1});
        if (cutsNetwork(fault.kind) && !m_relays.at(size_t(fault.agent))) {
            auto relay = std::make_unique<TcpRelay>(QHostAddress(m_endpoints.serverUrl.host()),
                                                    quint16(m_endpoints.serverUrl.port()), &m_counters.traffic);
            if (!relay->listen())
                qWarning("fleet: a relay cannot listen on the loopback");
            m_relays[size_t(fault.agent)] = std::move(relay);
        }
    }
    m_activeFault.assign(size_t(config.agents), -1);
    for (int i = 0; i < config.agents; ++i) {
        SimAgent::Setup setup;
        setup.index = i;
        setup.id = agentId(i);
        setup.password = password(i);
        setup.serverUrl = m_endpoints.serverUrl;
        setup.simUrl = m_endpoints.simUrl;
        setup.relay = m_relays.at(size_t(i)).get();
        setup.seed = config.seed;
        setup.behaviour = config.behaviour;
        setup.routine = routine;
        setup.counters = &m_counters;
        m_agents.push_back(std::make_unique<SimAgent>(setup, scheduler, m_network, observer));
    }
}

AgentFleet::~AgentFleet()
{
    // Agents first: their sockets go before the relays they run through.
    m_agents.clear();
    m_relays.clear();
}

QString AgentFleet::agentId(int index)
{
    return u"agent-%1"_s.arg(index + 1, 4, 10, QChar(u'0'));
}

QString AgentFleet::password(int index)
{
    return agentId(index) + u"-pw"_s;
}

int AgentFleet::indexOf(const QString &agentId)
{
    if (!agentId.startsWith(u"agent-"_s))
        return -1;
    bool ok = false;
    const int number = agentId.mid(6).toInt(&ok);
    return ok ? number - 1 : -1;
}

void AgentFleet::start()
{
    m_startMs = m_scheduler.nowMs();
    ScenarioRandom random(m_config.seed, 0x10C1ULL);
    for (auto &agent : m_agents) {
        SimAgent *raw = agent.get();
        m_scheduler.schedule(m_startMs + random.between(0, m_config.loginSpreadMs), [raw] { raw->start(); });
    }
    for (int i = 0; i < m_faults.size(); ++i) {
        if (m_faults.at(i).fault.kind == FaultKind::StaleStatus)
            continue;
        m_scheduler.schedule(m_startMs + m_faults.at(i).fault.startMs, [this, i] { beginFault(i); });
    }
}

void AgentFleet::beginFault(int faultIndex)
{
    const FaultRecord &record = m_faults.at(faultIndex);
    SimAgent &agent = *m_agents.at(size_t(record.fault.agent));
    const FaultKind kind = record.fault.kind;
    if (kind == FaultKind::SleepOnCall) {
        beginOnCall(faultIndex);
        return;
    }
    const bool waitsForLine = kind != FaultKind::AppCrash && kind != FaultKind::StaleStatus;
    if (waitsForLine && agent.lineBusy()) {
        if (m_config.busyFaultsMove) {
            const int other
                = standIn(m_faults, faultIndex, m_scheduler.nowMs() - m_startMs, size(), [this, kind](int candidate) {
                      const SimAgent &taker = *m_agents.at(size_t(candidate));
                      return taker.atWork() && !taker.lineBusy()
                          && (!cutsNetwork(kind) || m_relays.at(size_t(candidate)) != nullptr);
                  });
            if (other >= 0) {
                m_faults[faultIndex].fault.agent = other;
                begin(faultIndex);
                return;
            }
        }
        m_scheduler.scheduleIn(BusyRetryMs, [this, faultIndex] { beginFault(faultIndex); });
        return;
    }
    begin(faultIndex);
}

void AgentFleet::beginOnCall(int faultIndex)
{
    // The opposite of the other faults: this one needs a call in progress. Its own agent when it is
    // on one; else another agent on a call now (one that can sleep: it has a relay) that has no other
    // fault under way or due meanwhile; else it waits.
    const SimAgent &own = *m_agents.at(size_t(m_faults.at(faultIndex).fault.agent));
    if (own.onCall() && own.atWork()) {
        begin(faultIndex);
        return;
    }
    const int other = standIn(m_faults, faultIndex, m_scheduler.nowMs() - m_startMs, size(), [this](int candidate) {
        const SimAgent &taker = *m_agents.at(size_t(candidate));
        return taker.onCall() && taker.atWork() && taker.hasRelay();
    });
    if (other >= 0) {
        m_faults[faultIndex].fault.agent = other;
        begin(faultIndex);
        return;
    }
    m_scheduler.scheduleIn(BusyRetryMs, [this, faultIndex] { beginFault(faultIndex); });
}

int AgentFleet::standIn(const QList<FaultRecord> &faults, int faultIndex, qint64 nowMs, int agents,
                        const std::function<bool(int)> &canTake)
{
    const Fault &fault = faults.at(faultIndex).fault;
    // Begun now, it ends at this instant (or never).
    const qint64 endsMs = fault.endMs ? nowMs + *fault.endMs - fault.startMs : std::numeric_limits<qint64>::max();
    const auto clashes = [&](int candidate) {
        for (const FaultRecord &other : faults) {
            if (other.fault.agent != candidate || other.fault.kind == FaultKind::StaleStatus)
                continue;
            const bool underWay = other.begunMs >= 0 && other.endedMs < 0;
            const bool dueBeforeTheEnd = other.begunMs < 0 && other.fault.startMs < endsMs;
            if (underWay || dueBeforeTheEnd)
                return true;
        }
        return false;
    };
    for (int step = 1; step < agents; ++step) {
        const int candidate = (fault.agent + step) % agents;
        if (canTake(candidate) && !clashes(candidate))
            return candidate;
    }
    return -1;
}

void AgentFleet::begin(int faultIndex)
{
    FaultRecord &record = m_faults[faultIndex];
    SimAgent &agent = *m_agents.at(size_t(record.fault.agent));
    record.begunMs = m_scheduler.nowMs();
    m_activeFault[size_t(record.fault.agent)] = faultIndex;
    switch (record.fault.kind) {
    case FaultKind::AppCrash:
    case FaultKind::StaleStatus:
        agent.crash();
        break;
    case FaultKind::NetworkCut:
        agent.cutNetwork();
        break;
    case FaultKind::HeadsetUnplugged:
        agent.unplugHeadset();
        break;
    case FaultKind::Sleep:
        agent.sleep();
        break;
    case FaultKind::WalkAway:
        agent.walkAway();
        break;
    case FaultKind::VoiceUnregistered:
        agent.unregisterVoice();
        break;
    case FaultKind::DegradedNetwork:
        agent.degradeNetwork();
        break;
    case FaultKind::SleepOnCall: {
        // The call's media stops both ways: the caller hears silence and hangs up after a while.
        const QString caller = agent.callParent();
        agent.sleep();
        const AgentBehaviour &b = m_config.behaviour;
        Q_EMIT callerHearsSilence(caller, m_silence.between(b.silencePatienceMinMs, b.silencePatienceMaxMs));
        break;
    }
    }
    Q_EMIT faultBegun(faultIndex);
    if (record.fault.endMs) {
        const qint64 duration = *record.fault.endMs - record.fault.startMs;
        m_scheduler.scheduleIn(duration, [this, faultIndex] { end(faultIndex); });
    }
}

void AgentFleet::end(int faultIndex)
{
    FaultRecord &record = m_faults[faultIndex];
    SimAgent &agent = *m_agents.at(size_t(record.fault.agent));
    record.endedMs = m_scheduler.nowMs();
    m_activeFault[size_t(record.fault.agent)] = -1;
    switch (record.fault.kind) {
    case FaultKind::AppCrash:
    case FaultKind::StaleStatus:
        agent.restart();
        break;
    case FaultKind::NetworkCut:
        agent.restoreNetwork();
        break;
    case FaultKind::HeadsetUnplugged:
        agent.plugHeadset();
        break;
    case FaultKind::Sleep:
    case FaultKind::SleepOnCall:
        agent.wake();
        break;
    case FaultKind::WalkAway:
        agent.comeBack();
        break;
    case FaultKind::VoiceUnregistered:
        agent.registerVoice();
        break;
    case FaultKind::DegradedNetwork:
        agent.restoreNetworkQuality();
        break;
    }
    Q_EMIT faultEnded(faultIndex);
}

int AgentFleet::pendingReplies() const
{
    return m_counters.pending;
}

quint64 AgentFleet::activity() const
{
    return m_counters.traffic;
}

} // namespace heartline
