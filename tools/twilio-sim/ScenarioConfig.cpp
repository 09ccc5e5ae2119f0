#include "ScenarioConfig.h"

#include <algorithm>
#include <vector>

#include "ScenarioRandom.h"

using namespace Qt::StringLiterals;

namespace heartline {

QString toString(FaultKind kind)
{
    switch (kind) {
    case FaultKind::AppCrash:
        return u"app crash"_s;
    case FaultKind::NetworkCut:
        return u"network cut"_s;
    case FaultKind::HeadsetUnplugged:
        return u"headset unplugged"_s;
    case FaultKind::Sleep:
        return u"sleep"_s;
    case FaultKind::WalkAway:
        return u"walk-away"_s;
    case FaultKind::StaleStatus:
        return u"stale status"_s;
    case FaultKind::VoiceUnregistered:
        return u"voice unregistered"_s;
    case FaultKind::DegradedNetwork:
        return u"degraded network"_s;
    case FaultKind::SleepOnCall:
        return u"sleep on a call"_s;
    }
    return {};
}

ScenarioConfig ScenarioConfig::small(int agents, qint64 durationMs)
{
    ScenarioConfig config;
    config.agents = agents;
    config.durationMs = durationMs;
    config.loginSpreadMs = 10'000;
    config.callsStartMs = 20'000;
    config.measureFromMs = 20'000;
    // The same occupancy as the large fleet: calls scale with agents.
    config.callsPerMinute = 120.0 * agents / 1000.0;
    config.faultsFromMs = 30'000;
    config.faultsEndMarginMs = 30'000;
    config.restartAtMs = durationMs / 2;
    config.crashAtMs = durationMs * 3 / 4;
    config.crashBurstCalls = std::max(3, agents / 10);
    config.drainMs = 3 * 60'000;
    // A small fleet needs more of each fault to see every kind; durations shrink to fit.
    config.faults = {{
        {0.06, 30'000, 120'000, 0.2},
        {0.06, 5'000, 60'000, 0.0},
        {0.06, 20'000, 90'000, 0.0},
        {0.04, 40'000, 120'000, 0.0},
        {0.06, 60'000, 150'000, 0.0},
        {0.04, 0, 0, 1.0},
        {0.04, 20'000, 60'000, 0.0},
        {0.04, 30'000, 90'000, 0.0},
        {0.06, 30'000, 90'000, 0.0},
    }};
    return config;
}

ScenarioConfig ScenarioConfig::demo(int agents)
{
    ScenarioConfig config;
    config.agents = agents;
    config.durationMs = 8 * 3600'000;
    config.loginSpreadMs = 5'000;
    config.callsStartMs = 6'000;
    config.openingCalls = 3;
    config.measureFromMs = 0;
    config.callsPerMinute = 8;
    config.patienceMinMs = 40'000;
    config.patienceMaxMs = 150'000;
    config.burstEveryMs = 180'000;
    config.burstCalls = std::max(1, agents); // more callers than ready agents: the queue fills
    config.restartAtMs = 0;
    config.crashAtMs = 0;
    // Calls short enough that something happens every few seconds.
    config.behaviour.talkMeanMs = 40'000;
    config.behaviour.talkMinMs = 10'000;
    config.behaviour.talkMaxMs = 120'000;
    config.faults = {{
        {0.20, 30'000, 90'000, 0.0},
        {0.20, 20'000, 90'000, 0.0},
        {0.20, 20'000, 60'000, 0.0},
        {0.10, 40'000, 120'000, 0.0},
        {0.30, 60'000, 150'000, 0.0},
        {0.0, 0, 0, 0.0},
        {0.0, 0, 0, 0.0},
        {0.0, 0, 0, 0.0},
        {0.0, 0, 0, 0.0},
    }};
    return config;
}

QList<Fault> planRollingFaults(const ScenarioConfig &config, qint64 horizonMs, qint64 meanGapMs, qint64 firstByMs)
{
    ScenarioRandom random(config.seed, 0x5011ULL);
    double total = 0;
    for (int k = 0; k < FaultKindCount; ++k) {
        if (static_cast<FaultKind>(k) != FaultKind::StaleStatus)
            total += config.faults.at(size_t(k)).agentShare;
    }
    QList<Fault> faults;
    if (total <= 0 || config.agents <= 0 || meanGapMs <= 0)
        return faults;
    std::vector<qint64> freeFrom(size_t(config.agents), 0);
    // The first fault at a uniform instant of its own window, not one random gap after faultsFromMs: an
    // exponential gap has no upper bound, and whoever watches was promised a fault by firstByMs.
    const qint64 first = random.between(
        config.faultsFromMs, std::max(config.faultsFromMs, std::min(firstByMs, config.faultsFromMs + meanGapMs)));
    for (qint64 at = first; at < horizonMs; at += qint64(random.exponential(double(meanGapMs)))) {
        // The kind, weighted by the shares.
        const double draw = random.unit() * total;
        double cumulative = 0;
        FaultKind kind = FaultKind::WalkAway;
        for (int k = 0; k < FaultKindCount; ++k) {
            if (static_cast<FaultKind>(k) == FaultKind::StaleStatus)
                continue;
            cumulative += config.faults.at(size_t(k)).agentShare;
            if (draw < cumulative) {
                kind = static_cast<FaultKind>(k);
                break;
            }
        }
        const FaultRule &rule = config.faults.at(size_t(indexOf(kind)));
        const qint64 duration = random.between(rule.minDurationMs, rule.maxDurationMs);
        const int agent = int(random.bounded(quint64(config.agents)));
        if (freeFrom.at(size_t(agent)) > at)
            continue; // that agent is still in its last fault: this one does not happen
        // A fault that waits for a call to end starts later than planned: keep a margin.
        freeFrom[size_t(agent)] = at + duration + 5 * 60'000;
        faults.append(Fault {kind, agent, at, at + duration});
    }
    return faults;
}

QList<Fault> planFaults(const ScenarioConfig &config)
{
    // A stream of its own: changing the call rate or the agents' behaviour leaves the faults as they were.
    ScenarioRandom random(config.seed, 0xFA017ULL);
    QList<Fault> faults;
    const qint64 latest = std::max(config.faultsFromMs, config.durationMs - config.faultsEndMarginMs);
    const auto make = [&](FaultKind kind, int agent) {
        const FaultRule &rule = config.faults.at(size_t(indexOf(kind)));
        Fault fault;
        fault.kind = kind;
        fault.agent = agent;
        fault.startMs
            = kind == FaultKind::StaleStatus ? config.restartAtMs : random.between(config.faultsFromMs, latest);
        if (!random.chance(rule.permanentShare))
            fault.endMs = fault.startMs + random.between(rule.minDurationMs, rule.maxDurationMs);
        return fault;
    };
    const auto happens = [&](FaultKind kind) {
        return config.faults.at(size_t(indexOf(kind))).agentShare > 0
            && (kind != FaultKind::StaleStatus || config.restartAtMs > 0);
    };
    std::vector<bool> faulty(size_t(std::max(0, config.agents)), false);
    std::array<int, FaultKindCount> counts {};
    for (int agent = 0; agent < config.agents; ++agent) {
        // One draw decides which fault (if any) this agent gets: the shares add up along the kinds.
        const double draw = random.unit();
        double cumulative = 0;
        for (int k = 0; k < FaultKindCount; ++k) {
            const FaultKind kind = static_cast<FaultKind>(k);
            cumulative += config.faults.at(size_t(k)).agentShare;
            if (draw >= cumulative)
                continue;
            if (happens(kind)) {
                faults.append(make(kind, agent));
                faulty[size_t(agent)] = true;
                ++counts[size_t(k)];
            }
            break;
        }
    }
    // A small fleet may draw none of a kind: every kind that has a share happens at least once,
    // to an agent without a fault, so that every kind is measured.
    for (int k = 0; k < FaultKindCount; ++k) {
        const FaultKind kind = static_cast<FaultKind>(k);
        if (counts.at(size_t(k)) > 0 || !happens(kind))
            continue;
        for (int tries = 0; tries < config.agents; ++tries) {
            const int agent = int(random.bounded(quint64(config.agents)));
            if (faulty.at(size_t(agent)))
                continue;
            faults.append(make(kind, agent));
            faulty[size_t(agent)] = true;
            break;
        }
    }
    std::stable_sort(faults.begin(), faults.end(),
                     [](const Fault &a, const Fault &b) { return a.startMs < b.startMs; });
    return faults;
}

} // namespace heartline
