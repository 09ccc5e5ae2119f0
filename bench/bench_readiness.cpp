// Scores 10,000 agent snapshots many times and prints the median cost of one evaluation, next to a
// baseline measured in the same run that only copies each snapshot. The ratio is what to compare
// between machines and commits; the absolute numbers depend on the host.
//
// Usage: bench_readiness [runs]   (default 31)

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <QElapsedTimer>
#include <QRandomGenerator>

#include "readiness/ReadinessScorer.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

constexpr int AgentCount = 10'000;
constexpr qint64 Now = 1'767'225'600'000; // 2026-01-01T00:00:00Z

/// Keeps the compiler from dropping work whose result is otherwise unused.
template <typename T> void keep(const T &value)
{
#if defined(__GNUC__) || defined(__clang__)
    asm volatile("" : : "g"(&value) : "memory");
#else
    static volatile const void *sink;
    sink = &value;
#endif
}

/// A floor of agents as the server sees it: most ready, some late, some with device or network
/// trouble, some on a call or away. Fixed seed, so every run scores the same population.
std::vector<AgentSnapshot> population()
{
    QRandomGenerator random(20260101);
    std::vector<AgentSnapshot> agents(AgentCount);
    for (AgentSnapshot &agent : agents) {
        agent.sessionActive = random.bounded(100) < 95;
        agent.status = random.bounded(100) < 85 ? AgentStatus::Available : AgentStatus::Away;
        if (agent.status == AgentStatus::Away)
            agent.awayReason = u"lunch"_s;
        agent.deviceConnected = random.bounded(100) < 97;
        agent.lastHeartbeatMs = Now - random.bounded(90'000);
        agent.connection = random.bounded(100) < 70 ? ConnectionKind::WebSocket : ConnectionKind::HttpOnly;
        if (agent.connection == ConnectionKind::WebSocket) {
            agent.wsPingRttMs = 20 + random.bounded(400.0);
            agent.devices = DeviceReport {random.bounded(100) < 95, random.bounded(100) < 97, random.bounded(100) < 98,
                                          20 + random.bounded(500.0), random.bounded(4.0)};
        }
        agent.maxConcurrentCalls = random.bounded(100) < 90 ? 1 : 3;
        agent.activeCalls = random.bounded(100) < 30 ? 1 : 0;
        agent.reserved = random.bounded(100) < 3;
        if (random.bounded(100) < 10)
            agent.wrapUpUntilMs = Now + random.bounded(30'000);
        agent.recentOffers = random.bounded(20);
        agent.recentAnswers = agent.recentOffers ? random.bounded(agent.recentOffers + 1) : 0;
    }
    return agents;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

template <typename Work> double nsPerAgent(const std::vector<AgentSnapshot> &agents, Work work)
{
    QElapsedTimer timer;
    timer.start();
    for (const AgentSnapshot &agent : agents)
        work(agent);
    return double(timer.nsecsElapsed()) / double(agents.size());
}

} // namespace

int main(int argc, char **argv)
{
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 31;
    const std::vector<AgentSnapshot> agents = population();
    const ReadinessConfig config;

    auto copyOnly = [](const AgentSnapshot &agent) {
        const AgentSnapshot copy = agent;
        keep(copy);
    };
    int ready = 0;
    auto score = [&](const AgentSnapshot &agent) {
        const ReadinessResult result = scoreReadiness(agent, config, Now);
        ready += result.ready;
        keep(result);
    };

    // One untimed pass each so both loops start with warm caches.
    nsPerAgent(agents, copyOnly);
    nsPerAgent(agents, score);

    std::vector<double> baseline;
    std::vector<double> scoring;
    for (int run = 0; run < runs; ++run) {
        baseline.push_back(nsPerAgent(agents, copyOnly));
        scoring.push_back(nsPerAgent(agents, score));
    }

    const double baselineNs = median(baseline);
    const double scoringNs = median(scoring);
    std::printf("readiness: %d snapshots x %d runs, %d of %d ready\n", AgentCount, runs, ready / (runs + 1),
                AgentCount);
    std::printf("  baseline (copy the snapshot): median %8.1f ns per agent\n", baselineNs);
    std::printf("  scoreReadiness:               median %8.1f ns per evaluation\n", scoringNs);
    std::printf("  ratio scoring / baseline:     %8.1f\n", scoringNs / baselineNs);
    std::printf("  a full sweep of %d agents:    %8.2f ms\n", AgentCount, scoringNs * AgentCount / 1e6);
    return 0;
}
