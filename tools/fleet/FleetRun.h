#pragma once

#include <array>

#include <QList>
#include <QMap>
#include <QString>

#include "QueueFairness.h"
#include "ScenarioConfig.h"
#include "SimAgent.h"

namespace heartline {

inline constexpr int InabilityCount = static_cast<int>(Inability::AfterCallWork) + 1;

/// How long the server took to notice faults of one kind.
struct DetectionStats
{
    int faults = 0;    ///< begun during the scenario
    int detected = 0;  ///< the server's view turned not-ready while the fault lasted
    int recovered = 0; ///< the fault ended before the server noticed (short cuts, quick returns)
    int unnoticed = 0; ///< still going at the end and never noticed
    QList<qint64> latenciesMs;

    [[nodiscard]] qint64 percentile(double p) const;
};

/// The figures of one run (legacy or enhanced discovery) of a fleet scenario.
struct FleetReport
{
    bool enhanced = true;
    int agents = 0;
    qint64 durationMs = 0;
    double wallSeconds = 0;
    quint64 seed = 0;

    int calls = 0;
    int offers = 0;
    int falseOffers = 0;         ///< offers to agents who could not answer at that instant
    int callsWithFalseOffer = 0; ///< calls that met at least one
    std::array<int, InabilityCount> falseOffersByInability {};
    std::array<int, FaultKindCount> falseOffersByFault {}; ///< of those, the agent's fault at the time
    int connected = 0;                                     ///< bridged to an agent
    int abandoned = 0;                                     ///< the caller hung up while waiting in the queue
    int missedGaveUp = 0;        ///< the caller hung up before any agent answered, not while queued
    int missedSystem = 0;        ///< ended without an agent by the system: turned away, timed out, failed
    int unresolved = 0;          ///< still going when the run stopped
    QList<qint64> answerMs;      ///< call placed → bridged
    QueueFairness queueFairness; ///< first-in-first-out within each queue
    int putAwayAtWork = 0;       ///< the server put an agent away (no-answer) who was at work and could answer
    int restarts = 0;            ///< server restarts (graceful and abrupt)
    int ringingAtCrash = 0;      ///< offers ringing at agents when the abrupt restart happened
    /// Calls live at a restart that then ended without an agent and without their caller giving up:
    /// hung up by the system, turned away, or a Dial action answered with a hang-up.
    int callersLostToRestart = 0;
    /// Walk-aways an offer reached or the server noticed while they lasted, and of those, the ones the
    /// server noticed before the first offer after the walk-away began.
    int walkAwaysOfferedOrNoticed = 0;
    int walkAwaysNoticedFirst = 0;

    /// Every agent is sampled SamplesPerSecond times a simulated second; a sample stands for that
    /// fraction of an agent-second (agentSecondsOf).
    static constexpr int SamplesPerSecond = 4;
    [[nodiscard]] static double agentSecondsOf(qint64 samples) { return double(samples) / SamplesPerSecond; }
    qint64 agentSamples = 0;
    qint64 matchingSamples = 0;          ///< the view discovery acts on equals the truth
    qint64 falseReadySamples = 0;        ///< that view says ready, the agent cannot answer
    qint64 falseUnreadySamples = 0;      ///< that view says not ready, the agent could answer
    qint64 readinessMatchingSamples = 0; ///< readiness.ready equals the truth (both runs)
    std::array<qint64, InabilityCount> falseReadyByInability {};
    /// Where the view said not ready while the agent could answer: the first failed gate that is not a
    /// call's, or "score below the threshold".
    QMap<QString, qint64> falseUnreadyByGate;

    std::array<DetectionStats, FaultKindCount> detection {};

    quint64 checksum = 0;
    quint64 events = 0;
    qint64 instants = 0; ///< simulated instants the run stopped at
    qint64 settles = 0;  ///< waits for the network to fall quiet
    qint64 rounds = 0;   ///< event-loop rounds in those waits

    [[nodiscard]] double accuracy() const { return agentSamples ? double(matchingSamples) / double(agentSamples) : 0; }
    [[nodiscard]] double readinessAccuracy() const
    {
        return agentSamples ? double(readinessMatchingSamples) / double(agentSamples) : 0;
    }
    [[nodiscard]] static qint64 percentile(QList<qint64> values, double p);
    /// A plain-text block of every figure.
    [[nodiscard]] QString text() const;
};

/// Options of one run.
struct FleetRunOptions
{
    ScenarioConfig scenario;
    bool enhanced = true;
    bool progress = false;         ///< a line on stderr every simulated minute
    int quietRounds = 3;           ///< rounds of the event loop with no traffic before the system counts as settled
    bool traceFalseOffers = false; ///< a warning line for each offer to an agent who could not answer
    QString eventLogPath;          ///< when set, every event of the checksum as a line of text (comparing runs)
    /// Server settings besides the harness's own (KEY → value, as on heartline-server's command line):
    /// to measure another deployment, e.g. IDLE_PROMPT_SECONDS=180.
    QList<std::pair<QString, QString>> serverSettings;
};

/// Runs a fleet scenario against heartline-server and the Twilio stand-in, both in this process
/// on one ManualClock: simulated time moves from one due instant to the next and the network
/// settles in between, so 30 simulated minutes take seconds to minutes and the same seed gives
/// the same events. Needs a QCoreApplication. docs/fleet.md explains the method.
class FleetRun final
{
public:
    explicit FleetRun(FleetRunOptions options);
    ~FleetRun();
    Q_DISABLE_COPY_MOVE(FleetRun)

    /// Runs to the end; an error text when the server or the stand-in could not start.
    [[nodiscard]] bool run(FleetReport &report, QString *error);

private:
    class Impl;
    FleetRunOptions m_options;
};

} // namespace heartline
