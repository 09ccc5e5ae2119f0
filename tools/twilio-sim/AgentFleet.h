#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include "ScenarioConfig.h"
#include "ScenarioRandom.h"
#include "SimAgent.h"

namespace heartline {

class SimScheduler;
class TcpRelay;

/// A fault as it happened: faults that change what the agent does on the line (all but a crash)
/// wait for a call in progress to end, so the actual start may be later than planned; with
/// ScenarioConfig::busyFaultsMove another agent takes it instead, and fault.agent is that agent.
/// A sleep on a call needs a call in progress: its own agent's, else another agent's that is on a
/// call at the time (fault.agent is then that agent), else it waits.
struct FaultRecord
{
    Fault fault;
    qint64 begunMs = -1; ///< -1: not begun yet
    qint64 endedMs = -1; ///< -1: not ended (yet, or ever)
};

/// The simulated agents of a scenario and their faults. Agents are "agent-0001", … with password
/// "<id>-pw"; the users must exist on the server before start(). Agents whose planned faults cut
/// the network reach the server through their own TcpRelay. All timing is the scheduler's.
class AgentFleet final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentFleet)

public:
    struct Endpoints
    {
        QUrl serverUrl; ///< http://host:port
        QUrl simUrl;    ///< http://host:port
    };

    /// `routine`: see SimAgent::Setup::routine (null: everything on `scheduler`).
    AgentFleet(const ScenarioConfig &config, Endpoints endpoints, QList<Fault> faults, SimScheduler &scheduler,
               SimAgentObserver *observer, SimScheduler *routine = nullptr, QObject *parent = nullptr);
    ~AgentFleet() override;

    [[nodiscard]] static QString agentId(int index);
    [[nodiscard]] static QString password(int index);
    /// The index of "agent-0042" (41), or -1.
    [[nodiscard]] static int indexOf(const QString &agentId);

    /// Agents log in at random instants of the next loginSpreadMs; faults are scheduled relative
    /// to now. Stale-status faults are not scheduled: whoever restarts the server begins them.
    void start();
    /// Begins fault `faultIndex` now (see FaultRecord for the wait on a busy line).
    void beginFault(int faultIndex);

    /// Who takes fault `faultIndex` at `nowMs` (scenario time) when its own agent's line is busy and
    /// ScenarioConfig::busyFaultsMove is set: the first agent after it (in index order, round) that
    /// `canTake` accepts and that has no other fault under way or due before this one would end, so
    /// that an agent still suffers one fault at a time. -1: nobody.
    [[nodiscard]] static int standIn(const QList<FaultRecord> &faults, int faultIndex, qint64 nowMs, int agents,
                                     const std::function<bool(int agent)> &canTake);

    [[nodiscard]] int size() const { return int(m_agents.size()); }
    [[nodiscard]] SimAgent &agent(int index) { return *m_agents.at(size_t(index)); }
    [[nodiscard]] const SimAgent &agent(int index) const { return *m_agents.at(size_t(index)); }
    [[nodiscard]] const QList<FaultRecord> &faults() const { return m_faults; }
    /// The fault the agent suffers now, or -1.
    [[nodiscard]] int activeFault(int agent) const { return m_activeFault.at(size_t(agent)); }

    /// Answers the agents still wait for, and a count that grows with any traffic they see.
    [[nodiscard]] int pendingReplies() const;
    [[nodiscard]] quint64 activity() const;

Q_SIGNALS:
    void faultBegun(int faultIndex);
    void faultEnded(int faultIndex);
    /// The caller of this call hears only silence from now on (the agent's laptop went to sleep on
    /// the call) and hangs up after `patienceMs`.
    void callerHearsSilence(const QString &callSid, qint64 patienceMs);

private:
    void beginOnCall(int faultIndex);
    void begin(int faultIndex);
    void end(int faultIndex);

    ScenarioConfig m_config;
    Endpoints m_endpoints;
    SimScheduler &m_scheduler;
    QNetworkAccessManager m_network;
    std::vector<std::unique_ptr<TcpRelay>> m_relays;
    std::vector<std::unique_ptr<SimAgent>> m_agents;
    QList<FaultRecord> m_faults;
    std::vector<int> m_activeFault;
    qint64 m_startMs = 0;
    FleetCounters m_counters;
    ScenarioRandom m_silence; ///< how long callers bear silence: a stream of its own
};

} // namespace heartline
