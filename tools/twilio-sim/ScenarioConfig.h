#pragma once

#include <array>
#include <optional>

#include <QList>
#include <QString>

namespace heartline {

/// The faults a simulated agent can suffer, each with a known truth: while it lasts the agent
/// cannot answer a call (docs/fleet.md explains how each is produced).
enum class FaultKind {
    AppCrash,          ///< both sockets closed at once; the app may restart later
    NetworkCut,        ///< half-open: the relay to the server drops everything, the voice line hears nothing
    HeadsetUnplugged,  ///< deviceState audioInput=false: the agent cannot talk
    Sleep,             ///< laptop asleep: network cut, voice client silent, no heartbeats; reconnects on wake
    WalkAway,          ///< app fine, status available, nobody answers
    StaleStatus,       ///< the app died while the server was restarting: the stored status says available
    VoiceUnregistered, ///< the voice client drops its registration while the app stays up; offers fail
    DegradedNetwork,   ///< 20 % loss, 800 ms round trip: calls ring, but no intelligible voice gets through
    SleepOnCall,       ///< the laptop sleeps during a call in progress: its media stops, then as Sleep
};
inline constexpr int FaultKindCount = 9;
[[nodiscard]] QString toString(FaultKind kind);
[[nodiscard]] inline int indexOf(FaultKind kind)
{
    return static_cast<int>(kind);
}

/// How often a fault happens and how long it lasts.
struct FaultRule
{
    double agentShare = 0;     ///< share of agents that suffer it once during the scenario
    qint64 minDurationMs = 0;  ///< uniform between min and max
    qint64 maxDurationMs = 0;  ///<
    double permanentShare = 0; ///< of those, the share that never recovers
};

/// One fault of one agent. The truth: from startMs to endMs (or the end) the agent cannot answer.
struct Fault
{
    FaultKind kind = FaultKind::AppCrash;
    int agent = 0; ///< index in the fleet
    qint64 startMs = 0;
    std::optional<qint64> endMs; ///< none: it lasts to the end of the scenario
};

/// What the simulated agents do: all durations are simulated milliseconds.
struct AgentBehaviour
{
    qint64 answerDelayMinMs = 1'500; ///< a ready agent answers an offer after a short random delay
    qint64 answerDelayMaxMs = 6'000;
    double talkMeanMs = 180'000; ///< exponential, clamped
    qint64 talkMinMs = 20'000;
    qint64 talkMaxMs = 900'000;
    qint64 wrapUpMs = 15'000;         ///< after-call work: matches the server profile's wrapUpSeconds default
    qint64 declineDelayMinMs = 1'000; ///< an agent in after-call work declines an offer after this
    qint64 declineDelayMaxMs = 3'000;
    // The app's reconnect backoff, as heartline-agent's ReconnectBackoff: the first attempt after
    // initial ± jitter, each failed one doubling the delay up to the cap; a welcome starts it over.
    qint64 appReconnectInitialMs = 1'000;
    qint64 appReconnectMaxMs = 60'000;
    double appReconnectJitter = 0.2;
    qint64 reconnectMinMs = 1'000; ///< the voice client's reconnect delay after its connection closed
    qint64 reconnectMaxMs = 5'000;
    qint64 reactMinMs = 3'000; ///< noticing a forced away, choosing available after a restart
    qint64 reactMaxMs = 20'000;
    qint64 promptAnswerMinMs = 2'000; ///< an agent at the desk answers the app's "Still there?" after this
    qint64 promptAnswerMaxMs = 20'000;
    qint64 touchAfterRingOutMinMs = 2'000; ///< an agent at the desk touches the app after an offer rang out
    qint64 touchAfterRingOutMaxMs = 10'000;
    qint64 silencePatienceMinMs = 5'000; ///< a caller who hears only silence hangs up after this
    qint64 silencePatienceMaxMs = 30'000;
};

/// A fleet scenario: agents, calls, faults, all from one seed.
struct ScenarioConfig
{
    quint64 seed = 1;
    int agents = 1000;
    qint64 durationMs = 30 * 60'000;
    qint64 loginSpreadMs = 60'000; ///< agents log in at random instants of the first minute
    qint64 callsStartMs = 90'000;  ///< the call stream starts after everyone had time to log in
    qint64 measureFromMs = 90'000; ///< accuracy is sampled from here to the end
    double callsPerMinute = 120;   ///< Poisson; about 40 % occupancy for 1,000 agents with the times below
    qint64 patienceMinMs = 45'000; ///< a caller not connected by then hangs up (uniform)
    qint64 patienceMaxMs = 240'000;
    qint64 drainMs = 5 * 60'000; ///< after the end: no new calls, the calls in progress finish
    qint64 burstEveryMs = 0;     ///< besides the Poisson stream, this many calls at once now and then (0: none)
    int burstCalls = 0;
    int openingCalls = 0; ///< calls placed at once when the stream starts (the demo shows something at once)
    AgentBehaviour behaviour;

    qint64 faultsFromMs = 150'000; ///< faults start between here and durationMs - faultsEndMarginMs
    qint64 faultsEndMarginMs = 60'000;
    qint64 restartAtMs = 15 * 60'000; ///< the graceful server restart that leaves stale statuses behind (0: none)
    /// The abrupt server restart, as a crash or kill -9 leaves it: heartbeats written behind are lost,
    /// connections drop; just before it a burst of calls, so that many offers ring when it happens (0: none).
    qint64 crashAtMs = 24 * 60'000;
    int crashBurstCalls = 60;
    qint64 crashBurstLeadMs = 2'000; ///< offers are answered after 1.5 to 6 s: most still ring at the crash
    /// A fault due while its agent's line is busy goes to another agent, free at the time, instead of
    /// waiting for the call to end: the demo promises faults on time; measured runs keep each on its agent.
    bool busyFaultsMove = false;
    std::array<FaultRule, FaultKindCount> faults {{
        {0.015, 60'000, 360'000, 0.2},  // app crash: restarts after 1 to 6 min, one in five never
        {0.020, 5'000, 180'000, 0.0},   // network cut: 5 s to 3 min
        {0.020, 20'000, 300'000, 0.0},  // headset unplugged: 20 s to 5 min
        {0.010, 120'000, 600'000, 0.0}, // sleep: 2 to 10 min
        {0.015, 120'000, 720'000, 0.0}, // walk-away: 2 to 12 min
        {0.010, 0, 0, 1.0},             // stale status: gone for good at the restart
        {0.010, 60'000, 300'000, 0.0},  // voice unregistered: 1 to 5 min
        {0.010, 120'000, 480'000, 0.0}, // degraded network: 2 to 8 min
        {0.005, 60'000, 300'000, 0.0},  // sleep on a call: 1 to 5 min
    }};

    /// A small scenario for tests: every kind of fault, more of them per agent.
    [[nodiscard]] static ScenarioConfig small(int agents, qint64 durationMs);
    /// The live demo: a few dozen agents in real time, short calls, bursts that fill the queue.
    [[nodiscard]] static ScenarioConfig demo(int agents);
};

/// Draws every agent's fault from the seed: at most one fault per agent, so each fault's effect
/// is its own. Sorted by start time.
[[nodiscard]] QList<Fault> planFaults(const ScenarioConfig &config);

/// Faults one after another for a run without an end (the demo): the first at a uniform instant from
/// faultsFromMs to the earlier of firstByMs and faultsFromMs + meanGapMs (never later than faultsFromMs
/// + meanGapMs, whatever the seed), then Poisson with this mean gap; the kinds weighted by their shares
/// (no stale status: it needs a server restart), each to an agent without a fault at the time, every one
/// of them recovering. Sorted by start time.
[[nodiscard]] QList<Fault> planRollingFaults(const ScenarioConfig &config, qint64 horizonMs, qint64 meanGapMs,
                                             qint64 firstByMs);

} // namespace heartline
