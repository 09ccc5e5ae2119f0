#include "FleetRun.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <tuple>
#include <vector>

#include <QChildEvent>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

#include "AgentFleet.h"
#include "CallEngine.h"
#include "CallerStream.h"
#include "HeartbeatCheckpoint.h"
#include "ScenarioRandom.h"
#include "Server.h"
#include "SimScheduler.h"
#include "TwilioSim.h"
#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"
#include "config/Config.h"
#include "core/Clock.h"
#include "core/EpollEventDispatcher.h"
#include "readiness/ReadinessScorer.h"
#include "realtime/AgentSocketServer.h"
#include "routing/CallReconciler.h"
#include "users/UserStore.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QString AccountSid = u"AC"_s + QString(32, u'f');
const QString AuthToken = u"f1ee7f1ee7f1ee7f1ee7f1ee7f1ee700"_s;
/// RECONCILE_INTERVAL_SECONDS' default: the harness runs the passes on simulated time.
constexpr qint64 ReconcileIntervalMs = 60'000;
constexpr quint64 RestartStream = 0x5E57A27ULL; ///< the restarts' instants within their second

bool isTerminal(const QString &status)
{
    return status == u"completed"_s || status == u"busy"_s || status == u"failed"_s || status == u"no-answer"_s
        || status == u"canceled"_s;
}

int statusCode(const QString &status)
{
    static const QStringList known {u"queued"_s, u"ringing"_s, u"in-progress"_s, u"completed"_s,
                                    u"busy"_s,   u"failed"_s,  u"no-answer"_s,   u"canceled"_s};
    return int(known.indexOf(status));
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

/// Switches Nagle's algorithm off on every TCP socket of this process's event-loop thread, the
/// server's and the stand-in's included. With Nagle on, a small frame written while an earlier one
/// is unacknowledged waits for the peer's delayed ACK, up to 40 ms of wall time; simulated time
/// never waits for wall time, so a ping could sit there for simulated minutes. New sockets are
/// seen as children being added (QTcpServer and QWebSocket parent theirs) and switched once connected.
class LowDelaySockets final : public QObject
{
public:
    LowDelaySockets() { QCoreApplication::instance()->installEventFilter(this); }
    ~LowDelaySockets() override { QCoreApplication::instance()->removeEventFilter(this); }
    Q_DISABLE_COPY_MOVE(LowDelaySockets)

    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::ChildAdded)
            m_pending.append(static_cast<QChildEvent *>(event)->child());
        return false;
    }

    void apply()
    {
        for (qsizetype i = 0; i < m_pending.size();) {
            // Not a socket (known only now that it is fully constructed) or gone: dropped; a
            // socket waits in the list until it is connected.
            auto *socket = qobject_cast<QAbstractSocket *>(m_pending.at(i).data());
            if (socket && socket->state() != QAbstractSocket::ConnectedState) {
                ++i;
                continue;
            }
            if (socket)
                socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            m_pending.removeAt(i);
        }
    }

private:
    QList<QPointer<QObject>> m_pending;
};

/// Calls placed on the stand-in in this process.
class EngineCallPlacer final : public CallPlacer
{
public:
    explicit EngineCallPlacer(CallEngine &engine) : m_engine(engine) { }
    void place(const QString &from, const QString &to, std::function<void(const QString &)> placed) override
    {
        placed(m_engine.placeInboundCall(from, to));
    }
    void hangUp(const QString &sid) override { (void)m_engine.hangup(sid); }

private:
    CallEngine &m_engine;
};

enum class EventKind : int {
    FaultBegun = 1,
    FaultEnded,
    Detected,
    Offer,
    Bridged,
    LegEnded,
    CallEnded,
    GaveUp,
    Agent,
    Sample,
    Restart,
    Crash,
};

/// Which came first for a walk-away: the server noticing it, or an offer reaching the agent.
enum class WalkAwayRace { Neither, NoticedFirst, OfferedFirst };

} // namespace

qint64 DetectionStats::percentile(double p) const
{
    return FleetReport::percentile(latenciesMs, p);
}

qint64 FleetReport::percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    // Nearest rank: the smallest value with at least p of the values at or below it.
    const qsizetype rank = std::clamp<qsizetype>(qsizetype(std::ceil(p * double(values.size()))), 1, values.size());
    return values.at(rank - 1);
}

class FleetRun::Impl final : public SimAgentObserver
{
public:
    explicit Impl(const FleetRunOptions &options) : m_options(options), m_config(options.scenario) { }
    ~Impl() override
    {
        if (m_eventLog)
            std::fclose(m_eventLog);
        // The stand-in ends its calls as it goes: nobody is listening any more.
        if (m_sim)
            QObject::disconnect(&m_sim->engine(), &CallEngine::callStatusChanged, nullptr, nullptr);
        m_stream.reset();
        m_fleet.reset();
        m_server.reset();
        m_sim.reset();
        m_routine.reset();
        m_scheduler.reset();
    }

    bool run(FleetReport &report, QString *error);

    // SimAgentObserver
    void agentEvent(int agent, Event event, const QString &callSid) override
    {
        if (event == Event::Answered)
            m_stream->connected(callSid);
        if (event == Event::StatusForced && m_fleet && m_fleet->agent(agent).atWork())
            ++m_report.putAwayAtWork;
        note(EventKind::Agent, agent, m_stream ? m_stream->indexOf(callSid) : -1, int(event));
    }

private:
    struct CallTrack
    {
        qint64 placedMs = 0;
        qint64 bridgedMs = -1;
        QString firstQueueSid;        ///< the queue the caller first joined; empty: never queued
        qint64 firstQueuedMs = -1;    ///< when, the first time (a caller sent back keeps it)
        qint64 stoppedWaitingMs = -1; ///< hung up or ended without an agent
        qint64 lastOfferMs = -1;      ///< when the latest agent leg started ringing
        qint64 answeredOfferMs = -1;  ///< when the offer the caller was bridged through started ringing
        bool ended = false;
        bool gaveUp = false;
        bool gaveUpQueued = false;
        bool falseOffer = false;
    };

    bool startServer(QString *error);
    void settle(int quietRounds);
    void serverTick();
    void restartServer();
    void prepareCrash();
    void crashServer();
    void reconcileIfDue();
    void onCallStatus(const QString &sid, const QString &status);
    void onGivingUp(int index, const QString &sid);
    void sample();
    void checkDetections();
    [[nodiscard]] bool viewReady(const AgentRecord *record, const ReadinessResult &readiness) const;
    [[nodiscard]] bool noticed(const AgentRecord *record, const ReadinessResult &readiness) const;
    void note(EventKind kind, int a, int b, qint64 c);
    void flushInstant();
    void progress();
    void finish(FleetReport &report);

    FleetRunOptions m_options;
    ScenarioConfig m_config;
    LowDelaySockets m_lowDelay;
    QTemporaryDir m_dir;
    ManualClock m_clock;
    std::unique_ptr<SimScheduler> m_scheduler;
    std::unique_ptr<SimScheduler> m_routine; ///< the agents' periodic heartbeats, run together per instant
    std::unique_ptr<TwilioSim> m_sim;
    std::unique_ptr<EngineCallPlacer> m_placer;
    quint16 m_serverPort = 0;
    Config m_serverConfig;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<AgentFleet> m_fleet;
    std::unique_ptr<CallerStream> m_stream;
    QList<Fault> m_plan;

    qint64 m_t0 = 0;
    qint64 m_nextReconcileMs = 0;
    std::vector<CallTrack> m_calls;
    QList<int> m_watching;                    ///< faults begun and not noticed yet
    std::vector<WalkAwayRace> m_walkAwayRace; ///< by fault index
    QList<qint64> m_restartsAt;
    HeartbeatCheckpoint m_heartbeatsOnDisk; ///< what the abrupt restart leaves of them
    FleetReport m_report;
    EventChecksum m_checksum;
    std::vector<std::tuple<int, int, int, qint64>> m_instant; ///< events of the current instant
    qint64 m_instantAt = 0;
    int m_unsettled = 0;
    FILE *m_eventLog = nullptr;
    EpollEventDispatcher *m_epoll = nullptr; ///< when the application runs on it
};

FleetRun::FleetRun(FleetRunOptions options) : m_options(std::move(options)) { }

FleetRun::~FleetRun() = default;

bool FleetRun::run(FleetReport &report, QString *error)
{
    Impl impl(m_options);
    return impl.run(report, error);
}

void FleetRun::Impl::note(EventKind kind, int a, int b, qint64 c)
{
    const qint64 at = m_clock.nowMs() - m_t0;
    if (at != m_instantAt)
        flushInstant();
    m_instantAt = at;
    m_instant.push_back({int(kind), a, b, c});
}

void FleetRun::Impl::flushInstant()
{
    // Events of one instant are hashed in a canonical order: two answers that arrive at the same
    // simulated millisecond may be read in either order, and that order means nothing.
    std::sort(m_instant.begin(), m_instant.end());
    for (const auto &[kind, a, b, c] : m_instant) {
        m_checksum.add(m_instantAt);
        m_checksum.add(kind);
        m_checksum.add(a);
        m_checksum.add(b);
        m_checksum.add(c);
        if (m_eventLog)
            std::fprintf(m_eventLog, "%lld %d %d %d %lld\n", static_cast<long long>(m_instantAt), kind, a, b,
                         static_cast<long long>(c));
    }
    m_instant.clear();
}

bool FleetRun::Impl::startServer(QString *error)
{
    m_server = std::make_unique<Server>(m_serverConfig, m_clock);
    if (const auto problem = m_server->start()) {
        if (error)
            *error = u"heartline-server: "_s + problem->message;
        m_server.reset();
        return false;
    }
    m_nextReconcileMs = m_clock.nowMs() + ReconcileIntervalMs;
    return true;
}

void FleetRun::Impl::settle(int quietRounds)
{
    // The network of this process falls quiet: nothing moved for a few rounds of the event loop,
    // no webhook unanswered, no agent waiting for an answer. Simulated time does not pass meanwhile.
    const auto activity = [this] {
        return m_sim->activityCount() + m_fleet->activity();
    };
    quint64 last = activity();
    int quiet = 0;
    bool blocked = false; ///< the last round saw nothing move while answers were due
    ++m_report.settles;
    for (int round = 0; round < 100'000; ++round) {
        ++m_report.rounds;
        // Waiting for another thread (webhooks and logins go through QNetworkAccessManager's):
        // sleep until something arrives rather than spin, when the dispatcher allows a bounded wait.
        QCoreApplication::processEvents(blocked && m_epoll ? QEventLoop::WaitForMoreEvents : QEventLoop::AllEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        m_lowDelay.apply();
        const quint64 now = activity();
        const bool waiting = m_sim->webhooksInFlight() > 0 || m_sim->heldRestAnswers() > 0
            || m_fleet->pendingReplies() > 0
            || (m_server && m_server->reconciler() && m_server->reconciler()->isRunning());
        if (now == last && !waiting) {
            if (++quiet >= quietRounds)
                return;
        } else {
            quiet = 0;
        }
        blocked = now == last && waiting;
        last = now;
    }
    ++m_unsettled;
}

void FleetRun::Impl::serverTick()
{
    // What the server's own timers do (expiry, wrap-up and cooldown ends; pings and half-open
    // detection), at every instant the simulation stops at, so that they never run at an instant
    // chosen by the wall clock.
    if (!m_server)
        return;
    m_server->agents()->runDueWork();
    m_server->agentSockets()->checkLiveness();
}

void FleetRun::Impl::restartServer()
{
    // Graceful: the server writes what it holds (the heartbeats written behind) and closes its
    // connections; the same heartline::Server starts again on the same database.
    note(EventKind::Restart, 0, 0, 0);
    m_restartsAt.append(m_clock.nowMs());
    ++m_report.restarts;
    m_server->shutdown();
    m_server.reset();
    settle(m_options.quietRounds);
    // The agents whose app dies while the server is down: their stored status says available.
    for (int i = 0; i < m_fleet->faults().size(); ++i) {
        if (m_fleet->faults().at(i).fault.kind == FaultKind::StaleStatus)
            m_fleet->beginFault(i);
    }
    QString error;
    if (!startServer(&error))
        qWarning("fleet: the server did not restart: %s", qPrintable(error));
    settle(m_options.quietRounds * 4);
}

void FleetRun::Impl::prepareCrash()
{
    // One simulated second before the crash: the write-behind flush of that second, and what it
    // left on disk (HeartbeatCheckpoint explains why the harness does this itself).
    if (!m_server)
        return;
    m_server->agents()->flushHeartbeats();
    QString error;
    if (!m_heartbeatsOnDisk.remember(m_serverConfig.stringValue(ConfigKey::DatabasePath), &error))
        qWarning("fleet: cannot read the stored heartbeats: %s", qPrintable(error));
}

void FleetRun::Impl::crashServer()
{
    // Abrupt, as a crash or kill -9: connections drop, and the heartbeats received since the last
    // write-behind flush are lost; everything committed survives. Started again at once on the same
    // database (the seconds a real restart takes are not modelled: calls arriving then would be lost
    // whatever the server does).
    for (int i = 0; i < m_fleet->size(); ++i)
        m_report.ringingAtCrash += m_fleet->agent(i).ringing() ? 1 : 0;
    note(EventKind::Crash, m_report.ringingAtCrash, 0, 0);
    m_restartsAt.append(m_clock.nowMs());
    ++m_report.restarts;
    m_server->shutdown();
    m_server.reset();
    QString error;
    if (!m_heartbeatsOnDisk.rollBack(m_serverConfig.stringValue(ConfigKey::DatabasePath), &error))
        qWarning("fleet: cannot roll the stored heartbeats back: %s", qPrintable(error));
    settle(m_options.quietRounds);
    if (!startServer(&error))
        qWarning("fleet: the server did not start again after the crash: %s", qPrintable(error));
    settle(m_options.quietRounds * 4);
}

void FleetRun::Impl::reconcileIfDue()
{
    // The server's reconciliation timer, on simulated time: a pass every interval from start.
    if (!m_server || !m_server->reconciler() || m_clock.nowMs() < m_nextReconcileMs)
        return;
    m_nextReconcileMs = m_clock.nowMs() + ReconcileIntervalMs;
    m_server->reconciler()->runNow();
    settle(m_options.quietRounds);
}

void FleetRun::Impl::onCallStatus(const QString &sid, const QString &status)
{
    const SimCall *call = m_sim->engine().findCall(sid);
    if (!call)
        return;
    if (call->parentSid.isEmpty()) {
        const int index = m_stream->indexOf(sid);
        if (index < 0 || !isTerminal(status))
            return;
        m_calls.at(size_t(index)).ended = true;
        if (m_calls.at(size_t(index)).stoppedWaitingMs < 0)
            m_calls.at(size_t(index)).stoppedWaitingMs = m_clock.nowMs();
        note(EventKind::CallEnded, index, 0, statusCode(status));
        return;
    }
    if (call->clientIdentity.isEmpty())
        return;
    const int index = m_stream->indexOf(call->parentSid);
    const int agentIndex = AgentFleet::indexOf(call->clientIdentity);
    if (index < 0 || agentIndex < 0 || agentIndex >= m_fleet->size())
        return;
    CallTrack &track = m_calls.at(size_t(index));
    if (status == u"ringing"_s) {
        track.lastOfferMs = m_clock.nowMs();
        if (const int fault = m_fleet->activeFault(agentIndex); fault >= 0
            && m_fleet->faults().at(fault).fault.kind == FaultKind::WalkAway
            && m_walkAwayRace.at(size_t(fault)) == WalkAwayRace::Neither)
            m_walkAwayRace[size_t(fault)] = WalkAwayRace::OfferedFirst;
        // The offer, judged at the instant it is made: could this agent answer it?
        ++m_report.offers;
        const Inability inability = m_fleet->agent(agentIndex).inability();
        if (inability != Inability::None) {
            ++m_report.falseOffers;
            ++m_report.falseOffersByInability[size_t(inability)];
            if (const int fault = m_fleet->activeFault(agentIndex); fault >= 0)
                ++m_report.falseOffersByFault[size_t(indexOf(m_fleet->faults().at(fault).fault.kind))];
            track.falseOffer = true;
            if (m_options.traceFalseOffers) {
                const AgentRecord *r = std::as_const(*m_server->agentRegistry()).find(call->clientIdentity);
                qWarning() << "false offer" << (m_clock.nowMs() - m_t0) << call->clientIdentity << toString(inability)
                           << "server activity" << (r ? toString(r->activity) : QString()) << "calls"
                           << (r ? r->activeCallSids : QStringList()) << "parent" << call->parentSid;
            }
        }
        note(EventKind::Offer, index, agentIndex, int(inability));
    } else if (status == u"in-progress"_s) {
        if (track.bridgedMs < 0) {
            track.bridgedMs = m_clock.nowMs();
            track.answeredOfferMs = track.lastOfferMs;
        }
        note(EventKind::Bridged, index, agentIndex, 0);
    } else if (isTerminal(status)) {
        note(EventKind::LegEnded, index, agentIndex, statusCode(status));
    }
}

void FleetRun::Impl::onGivingUp(int index, const QString &sid)
{
    const SimCall *call = m_sim->engine().findCall(sid);
    if (!call || !call->isLive())
        return;
    CallTrack &track = m_calls.at(size_t(index));
    track.gaveUp = true;
    track.gaveUpQueued = call->queued.has_value();
    track.stoppedWaitingMs = m_clock.nowMs();
    note(EventKind::GaveUp, index, track.gaveUpQueued ? 1 : 0, 0);
}

bool FleetRun::Impl::viewReady(const AgentRecord *record, const ReadinessResult &readiness) const
{
    if (!record)
        return false;
    if (m_options.enhanced)
        return readiness.ready;
    // Legacy discovery takes the first agent whose status is available and who is not ringing.
    const AgentSnapshot &s = record->snapshot;
    return s.sessionActive && s.status == AgentStatus::Available && !s.reserved;
}

bool FleetRun::Impl::noticed(const AgentRecord *record, const ReadinessResult &readiness) const
{
    if (!record)
        return true;
    if (!m_options.enhanced)
        return !(record->snapshot.sessionActive && record->snapshot.status == AgentStatus::Available);
    if (readiness.ready)
        return false;
    for (const ReadinessGate &gate : readiness.failedGates) {
        if (!readinessgate::isCallGate(gate.gate))
            return true;
    }
    return readiness.score < m_server->agents()->readinessConfig().threshold;
}

void FleetRun::Impl::sample()
{
    const qint64 now = m_clock.nowMs();
    const AgentRegistry &registry = *m_server->agentRegistry();
    const ReadinessConfig &readinessConfig = m_server->agents()->readinessConfig();
    int mismatches = 0;
    int ready = 0;
    for (int i = 0; i < m_fleet->size(); ++i) {
        const SimAgent &agent = m_fleet->agent(i);
        const Inability inability = agent.inability();
        const bool truth = inability == Inability::None;
        const AgentRecord *record = std::as_const(registry).find(agent.id());
        const ReadinessResult readiness
            = record ? scoreReadiness(record->snapshot, readinessConfig, now) : ReadinessResult {};
        const bool view = viewReady(record, readiness);
        const bool readinessView = record && readiness.ready;
        ++m_report.agentSamples;
        ready += view ? 1 : 0;
        if (view == truth) {
            ++m_report.matchingSamples;
        } else {
            ++mismatches;
            if (view) {
                ++m_report.falseReadySamples;
                ++m_report.falseReadyByInability[size_t(inability)];
            } else {
                ++m_report.falseUnreadySamples;
                // The first gate that is not a call's, else a call's (the server thought the agent
                // busy), else the score.
                QString why = readiness.failedGates.isEmpty() ? u"score below the threshold"_s
                                                              : readiness.failedGates.first().gate;
                for (const ReadinessGate &gate : readiness.failedGates) {
                    if (!readinessgate::isCallGate(gate.gate)) {
                        why = gate.gate;
                        break;
                    }
                }
                ++m_report.falseUnreadyByGate[record ? why : u"unknown to the server"_s];
            }
        }
        if (readinessView == truth)
            ++m_report.readinessMatchingSamples;
    }
    note(EventKind::Sample, ready, mismatches, 0);
}

void FleetRun::Impl::checkDetections()
{
    if (m_watching.isEmpty() || !m_server)
        return;
    const qint64 now = m_clock.nowMs();
    const AgentRegistry &registry = *m_server->agentRegistry();
    const ReadinessConfig &readinessConfig = m_server->agents()->readinessConfig();
    for (qsizetype i = 0; i < m_watching.size();) {
        const int faultIndex = m_watching.at(i);
        const FaultRecord &fault = m_fleet->faults().at(faultIndex);
        DetectionStats &stats = m_report.detection[size_t(indexOf(fault.fault.kind))];
        if (fault.endedMs >= 0) {
            ++stats.recovered;
            m_watching.removeAt(i);
            continue;
        }
        const AgentRecord *record = std::as_const(registry).find(AgentFleet::agentId(fault.fault.agent));
        const ReadinessResult readiness
            = record ? scoreReadiness(record->snapshot, readinessConfig, now) : ReadinessResult {};
        if (noticed(record, readiness)) {
            if (fault.fault.kind == FaultKind::WalkAway
                && m_walkAwayRace.at(size_t(faultIndex)) == WalkAwayRace::Neither)
                m_walkAwayRace[size_t(faultIndex)] = WalkAwayRace::NoticedFirst;
            ++stats.detected;
            stats.latenciesMs.append(now - fault.begunMs);
            note(EventKind::Detected, faultIndex, 0, now - fault.begunMs);
            m_watching.removeAt(i);
            continue;
        }
        ++i;
    }
}

void FleetRun::Impl::progress()
{
    if (!m_options.progress)
        return;
    const qint64 minute = (m_clock.nowMs() - m_t0) / 60'000;
    std::fprintf(stderr, "  [%s] minute %lld: %d calls, %d offers (%d false), %lld agent-s sampled\n",
                 m_options.enhanced ? "enhanced" : "legacy", static_cast<long long>(minute), m_stream->placedCount(),
                 m_report.offers, m_report.falseOffers,
                 static_cast<long long>(FleetReport::agentSecondsOf(m_report.agentSamples)));
}

bool FleetRun::Impl::run(FleetReport &report, QString *error)
{
    // Hash tables iterate in the same order in every process: nothing left to chance.
    QHashSeed::setDeterministicGlobalSeed();
    if (!m_options.eventLogPath.isEmpty())
        m_eventLog = std::fopen(qPrintable(m_options.eventLogPath), "w");
    QElapsedTimer wall;
    wall.start();
    m_epoll = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
    if (m_epoll)
        m_epoll->setMaxWaitMs(2);
    m_scheduler = std::make_unique<SimScheduler>(m_clock);
    m_routine = std::make_unique<SimScheduler>(m_clock);
    m_serverPort = freePort();
    const QString serverUrl = u"http://127.0.0.1:%1"_s.arg(m_serverPort);

    SimOptions simOptions;
    simOptions.accountSid = AccountSid;
    simOptions.authToken = AuthToken;
    simOptions.voiceUrl = serverUrl + u"/twilio/voice/inbound"_s;
    simOptions.statusCallbackUrl = serverUrl + u"/twilio/voice/status"_s;
    m_sim = std::make_unique<TwilioSim>(simOptions, *m_scheduler);
    QString listenError;
    if (!m_sim->listen(QHostAddress::LocalHost, 0, &listenError)) {
        if (error)
            *error = u"stand-in: "_s + listenError;
        return false;
    }

    ConfigSources sources;
    sources.commandLine = {
        {u"LISTEN_ADDRESS"_s, u"127.0.0.1:%1"_s.arg(m_serverPort)},
        {u"DATABASE_PATH"_s, m_dir.filePath(u"fleet.db"_s)},
        {u"PASSWORD_ITERATIONS"_s, u"1000"_s},
        {u"TWILIO_ACCOUNT_SID"_s, AccountSid},
        {u"TWILIO_AUTH_TOKEN"_s, AuthToken},
        {u"TWILIO_API_BASE_URL"_s, m_sim->baseUrl().toString()},
        {u"FEATURE_ENHANCED_DISCOVERY"_s, m_options.enhanced ? u"true"_s : u"false"_s},
        // Reconciliation passes are run by the harness on simulated time (reconcileIfDue), not by
        // the server's wall-clock timer.
        {u"RECONCILE_INTERVAL_SECONDS"_s, u"0"_s},
    };
    for (const auto &[key, value] : m_options.serverSettings)
        sources.commandLine.insert(key, value);
    auto config = Config::load(sources);
    if (!config) {
        if (error)
            *error = config.error().first().message;
        return false;
    }
    m_serverConfig = std::move(config).value();
    if (!startServer(error))
        return false;
    for (int i = 0; i < m_config.agents; ++i) {
        const QString id = AgentFleet::agentId(i);
        if (!m_server->users()->add(id, u"Agent %1"_s.arg(i + 1), Role::Agent, AgentFleet::password(i))) {
            if (error)
                *error = u"cannot create user "_s + id;
            return false;
        }
    }

    m_t0 = m_clock.nowMs();
    m_plan = planFaults(m_config);
    m_fleet = std::make_unique<AgentFleet>(m_config, AgentFleet::Endpoints {QUrl(serverUrl), m_sim->baseUrl()}, m_plan,
                                           *m_scheduler, this, m_routine.get());
    m_walkAwayRace.assign(size_t(m_plan.size()), WalkAwayRace::Neither);
    QObject::connect(m_fleet.get(), &AgentFleet::faultBegun, [this](int faultIndex) {
        const FaultRecord &fault = m_fleet->faults().at(faultIndex);
        ++m_report.detection[size_t(indexOf(fault.fault.kind))].faults;
        m_watching.append(faultIndex);
        note(EventKind::FaultBegun, faultIndex, fault.fault.agent, int(fault.fault.kind));
    });
    QObject::connect(m_fleet.get(), &AgentFleet::faultEnded,
                     [this](int faultIndex) { note(EventKind::FaultEnded, faultIndex, 0, 0); });
    QObject::connect(m_fleet.get(), &AgentFleet::callerHearsSilence,
                     [this](const QString &sid, qint64 patienceMs) { m_stream->hearsSilence(sid, patienceMs); });
    m_placer = std::make_unique<EngineCallPlacer>(m_sim->engine());
    m_stream = std::make_unique<CallerStream>(m_config, *m_scheduler, *m_placer);
    QObject::connect(m_stream.get(), &CallerStream::callPlaced, [this](int index, const QString &) {
        if (size_t(index) >= m_calls.size())
            m_calls.resize(size_t(index) + 1);
        m_calls.at(size_t(index)).placedMs = m_clock.nowMs();
    });
    QObject::connect(m_stream.get(), &CallerStream::callerGivingUp,
                     [this](int index, const QString &sid) { onGivingUp(index, sid); });
    QObject::connect(&m_sim->engine(), &CallEngine::callStatusChanged,
                     [this](const QString &sid, const QString &status) { onCallStatus(sid, status); });
    QObject::connect(&m_sim->engine(), &CallEngine::callEnqueued, [this](const QString &sid, const QString &queue) {
        const int index = m_stream->indexOf(sid);
        if (index < 0 || m_calls.at(size_t(index)).firstQueuedMs >= 0)
            return;
        m_calls.at(size_t(index)).firstQueuedMs = m_clock.nowMs();
        m_calls.at(size_t(index)).firstQueueSid = queue;
    });

    m_fleet->start();
    m_stream->start(m_t0 + m_config.callsStartMs, m_t0 + m_config.durationMs);
    // Each restart falls at a point within its second drawn from the seed (a stream of its own, so no
    // other draw moves), not on the instant of a tick, where every agent would be sampled in the
    // instant before its app can be back.
    ScenarioRandom restartDraws(m_config.seed, RestartStream);
    const qint64 restartOffsetMs = restartDraws.between(1, 999);
    const qint64 crashOffsetMs = restartDraws.between(1, 999);
    const qint64 crashAt = m_config.crashAtMs > 0 ? m_t0 + m_config.crashAtMs / 1000 * 1000 + crashOffsetMs : -1;
    if (crashAt >= 0 && m_config.crashBurstCalls > 0)
        m_stream->burstAt(crashAt - m_config.crashBurstLeadMs, m_config.crashBurstCalls);

    const qint64 end = m_t0 + m_config.durationMs + m_config.drainMs;
    const qint64 sampleFrom = m_t0 + m_config.measureFromMs;
    const qint64 sampleUntil = m_t0 + m_config.durationMs;
    const qint64 restartAt
        = m_config.restartAtMs > 0 ? m_t0 + m_config.restartAtMs / 1000 * 1000 + restartOffsetMs : -1;
    qint64 nextTick = m_t0;
    // Accuracy is sampled on a grid finer than the ticks: a restart leaves every agent unconfirmed for
    // a fraction of a second, and whole seconds alone would count that as nothing or as a whole second.
    constexpr qint64 SampleStepMs = 1000 / FleetReport::SamplesPerSecond;
    qint64 nextSampleMs = sampleFrom;
    const auto sampleDue = [&](qint64 at) {
        if (at >= sampleFrom && at < sampleUntil)
            sample();
        nextSampleMs += SampleStepMs;
    };
    bool restarted = false;
    bool crashPrepared = false;
    bool crashed = false;
    while (true) {
        qint64 due = std::min(m_scheduler->nextDueMs().value_or(nextTick), m_routine->nextDueMs().value_or(nextTick));
        if (restartAt >= 0 && !restarted)
            due = std::min(due, restartAt);
        if (crashAt >= 0 && !crashed)
            due = std::min(due, crashAt);
        const qint64 instant = std::min(due, nextTick);
        if (instant > end)
            break;
        // Nothing changes between two instants but the clock: the samples before this one see the
        // system as the last instant left it.
        while (nextSampleMs < instant) {
            m_clock.setNowMs(std::max(m_clock.nowMs(), nextSampleMs));
            sampleDue(nextSampleMs);
        }
        m_clock.setNowMs(std::max(m_clock.nowMs(), instant));
        ++m_report.instants;
        const bool tick = m_clock.nowMs() >= nextTick;
        if (restartAt >= 0 && !restarted && m_clock.nowMs() >= restartAt) {
            restarted = true;
            restartServer();
        }
        if (tick && crashAt >= 0 && !crashPrepared && m_clock.nowMs() >= crashAt - 1000) {
            crashPrepared = true;
            prepareCrash();
        }
        if (crashAt >= 0 && !crashed && m_clock.nowMs() >= crashAt) {
            crashed = true;
            crashServer();
        }
        serverTick();
        settle(m_options.quietRounds);
        if (tick)
            reconcileIfDue();
        while (m_scheduler->runNextDue())
            settle(m_options.quietRounds);
        if (m_routine->runDue() > 0)
            settle(m_options.quietRounds);
        checkDetections();
        if (nextSampleMs == m_clock.nowMs())
            sampleDue(nextSampleMs); // an instant on the grid (every tick is): sampled after what it did
        if (tick) {
            if ((m_clock.nowMs() - m_t0) % 60'000 == 0)
                progress();
            nextTick += 1000;
        }
    }
    m_report.wallSeconds = double(wall.elapsed()) / 1000.0;
    finish(report);
    return true;
}

void FleetRun::Impl::finish(FleetReport &report)
{
    m_report.enhanced = m_options.enhanced;
    m_report.agents = m_config.agents;
    m_report.durationMs = m_config.durationMs;
    m_report.seed = m_config.seed;
    m_report.calls = m_stream->placedCount();
    QList<QueuedCaller> queued;
    for (const CallTrack &call : m_calls) {
        if (call.firstQueuedMs >= 0) {
            // Served when the offer that was answered started ringing: how long an agent took to pick
            // up is not the queue's order.
            queued.append(QueuedCaller {call.firstQueueSid, call.firstQueuedMs, call.answeredOfferMs,
                                        call.bridgedMs >= 0 ? -1 : call.stoppedWaitingMs});
        }
        if (call.falseOffer)
            ++m_report.callsWithFalseOffer;
        if (call.bridgedMs >= 0) {
            ++m_report.connected;
            m_report.answerMs.append(call.bridgedMs - call.placedMs);
        } else if (call.gaveUp && call.gaveUpQueued) {
            ++m_report.abandoned;
        } else if (call.gaveUp) {
            ++m_report.missedGaveUp;
        } else if (call.ended) {
            ++m_report.missedSystem;
            const bool liveAtRestart = std::any_of(m_restartsAt.cbegin(), m_restartsAt.cend(), [&](qint64 at) {
                return call.placedMs <= at && call.stoppedWaitingMs >= at;
            });
            if (liveAtRestart)
                ++m_report.callersLostToRestart;
        } else {
            ++m_report.unresolved;
        }
    }
    m_report.queueFairness = QueueFairness::measure(std::move(queued));
    for (const WalkAwayRace race : m_walkAwayRace) {
        if (race != WalkAwayRace::Neither)
            ++m_report.walkAwaysOfferedOrNoticed;
        if (race == WalkAwayRace::NoticedFirst)
            ++m_report.walkAwaysNoticedFirst;
    }
    for (const int faultIndex : std::as_const(m_watching))
        ++m_report.detection[size_t(indexOf(m_fleet->faults().at(faultIndex).fault.kind))].unnoticed;
    flushInstant();
    m_report.checksum = m_checksum.value();
    m_report.events = m_checksum.count();
    if (m_unsettled > 0)
        qWarning("fleet: %d steps did not settle within the round limit", m_unsettled);
    report = m_report;
}

QString FleetReport::text() const
{
    const auto pct = [](double part, double whole) {
        return whole > 0 ? QString::number(100.0 * part / whole, 'f', 3) + u" %"_s : u"-"_s;
    };
    const auto seconds = [](qint64 ms) {
        return ms < 0 ? u"-"_s : QString::number(double(ms) / 1000.0, 'f', 1);
    };
    QString out;
    out += u"%1 discovery: %2 agents, %3 simulated minutes, seed %4, %5 s of wall time\n"_s
               .arg(enhanced ? u"enhanced"_s : u"legacy"_s)
               .arg(agents)
               .arg(durationMs / 60'000)
               .arg(seed)
               .arg(wallSeconds, 0, 'f', 1);
    out += u"  calls %1, offers %2\n"_s.arg(calls).arg(offers);
    out += u"  false-available offers %1 (%2 of offers, %3 of calls; %4 calls met one)\n"_s.arg(falseOffers)
               .arg(pct(falseOffers, offers), pct(falseOffers, calls))
               .arg(callsWithFalseOffer);
    for (int i = 1; i < InabilityCount; ++i) {
        if (falseOffersByInability.at(size_t(i)) > 0)
            out += u"    %1: %2\n"_s.arg(toString(static_cast<Inability>(i))).arg(falseOffersByInability.at(size_t(i)));
    }
    out += u"  connected %1 (%2), abandoned in queue %3, missed %4 (caller hung up %5, ended by the system %6), "
           "unresolved %7\n"_s.arg(connected)
               .arg(pct(connected, calls))
               .arg(abandoned)
               .arg(missedGaveUp + missedSystem)
               .arg(missedGaveUp)
               .arg(missedSystem)
               .arg(unresolved);
    out += u"  agents put away (no-answer) while at work: %1\n"_s.arg(putAwayAtWork);
    out += u"  server restarts %1 (offers ringing at the abrupt one: %2), callers lost to a restart %3\n"_s
               .arg(restarts)
               .arg(ringingAtCrash)
               .arg(callersLostToRestart);
    out += u"  walk-aways noticed before the next offer reached them: %1 of %2 (%3)\n"_s.arg(walkAwaysNoticedFirst)
               .arg(walkAwaysOfferedOrNoticed)
               .arg(pct(walkAwaysNoticedFirst, walkAwaysOfferedOrNoticed));
    out += u"  time to answer p50 %1 s, p99 %2 s\n"_s.arg(seconds(percentile(answerMs, 0.5)),
                                                          seconds(percentile(answerMs, 0.99)));
    out += u"  queue order: %1 of %2 queued callers answered out of first-in-first-out order, %3 overtaken, "
           "longest extra wait %4 s\n"_s.arg(queueFairness.answeredOutOfOrder)
               .arg(queueFairness.queued)
               .arg(queueFairness.overtaken)
               .arg(seconds(queueFairness.longestExtraWaitMs));
    const auto agentSeconds = [](qint64 samples) {
        const double value = agentSecondsOf(samples);
        return QString::number(value, 'f', samples % SamplesPerSecond == 0 ? 0 : 2);
    };
    out += u"  availability accuracy %1 of %2 agent-seconds (readiness.ready: %3); view ready but unable %4, "
           "view not ready but able %5\n"_s.arg(pct(matchingSamples, agentSamples))
               .arg(agentSeconds(agentSamples))
               .arg(pct(readinessMatchingSamples, agentSamples))
               .arg(agentSeconds(falseReadySamples))
               .arg(agentSeconds(falseUnreadySamples));
    for (int i = 1; i < InabilityCount; ++i) {
        if (falseReadyByInability.at(size_t(i)) > 0)
            out += u"    ready but %1: %2 agent-s\n"_s.arg(toString(static_cast<Inability>(i)))
                       .arg(agentSeconds(falseReadyByInability.at(size_t(i))));
    }
    for (auto it = falseUnreadyByGate.constBegin(); it != falseUnreadyByGate.constEnd(); ++it)
        out += u"    not ready (%1) but able: %2 agent-s\n"_s.arg(it.key(), agentSeconds(it.value()));
    out += u"  detection (fault start → view not ready): kind, faults, noticed, p50 s, p99 s, recovered first, "
           "never\n"_s;
    for (int k = 0; k < FaultKindCount; ++k) {
        const DetectionStats &d = detection.at(size_t(k));
        out += u"    %1: %2, %3, %4, %5, %6, %7\n"_s.arg(toString(static_cast<FaultKind>(k)))
                   .arg(d.faults)
                   .arg(d.detected)
                   .arg(seconds(d.percentile(0.5)), seconds(d.percentile(0.99)))
                   .arg(d.recovered)
                   .arg(d.unnoticed);
    }
    out += u"  checksum %1 over %2 events; %3 instants, %4 settles, %5 event-loop rounds\n"_s
               .arg(checksum, 16, 16, QChar(u'0'))
               .arg(events)
               .arg(instants)
               .arg(settles)
               .arg(rounds);
    return out;
}

} // namespace heartline
