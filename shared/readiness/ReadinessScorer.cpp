#include "readiness/ReadinessScorer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Wraps one of the static code literals without copying it: scoring runs for thousands of agents.
QString staticText(QStringView literal)
{
    return QString::fromRawData(literal.data(), literal.size());
}

/// Points earned for a fraction (0..1) of a weight, rounded down: a factor shows its full weight only
/// when it lost nothing, so ReadinessResult::reasons() lists every factor that cost the agent points.
/// The epsilon keeps exact fractions such as 0.7 x 20 from landing on 13.999...
int pointsOf(int weight, double fraction)
{
    return int(std::floor(weight * std::clamp(fraction, 0.0, 1.0) + 1e-9));
}

/// 1 at or below `good`, 0 at or above `bad`, linear in between.
double linearPart(double value, double good, double bad)
{
    if (value <= good)
        return 1;
    if (value >= bad)
        return 0;
    return (bad - value) / (bad - good);
}

/// A client-reported measurement we can use: NaN, infinite or negative values count as not reported.
std::optional<double> usable(std::optional<double> value)
{
    if (value && std::isfinite(*value) && *value >= 0)
        return value;
    return std::nullopt;
}

std::optional<double> worse(std::optional<double> a, std::optional<double> b)
{
    if (a && b)
        return std::max(*a, *b);
    return a ? a : b;
}

bool reportedFalse(std::optional<bool> value)
{
    return value.has_value() && !*value;
}

/// Whole seconds, rounded up: "1 s left" until the very end, and an expired age never reads as the limit.
qint64 ceilSeconds(qint64 ms)
{
    return ms <= 0 ? 0 : (ms + 999) / 1000;
}

/// Up to one decimal, no trailing ".0": 150, 62.5, 0.3. Formatted from integer tenths because general
/// double formatting dominated the cost of scoring.
QString number(double value)
{
    if (!(std::abs(value) < 1e12)) // nonsense values from a client: no need to be pretty, only safe
        return QString::number(value, 'g', 6);
    const qint64 tenths = std::llround(value * 10);
    const qint64 whole = tenths / 10;
    const qint64 fraction = std::abs(tenths % 10);
    QString text = (tenths < 0 && whole == 0 ? u"-"_s : QString()) + QString::number(whole);
    if (fraction != 0)
        text += u'.' + QString::number(fraction);
    return text;
}

QString calls(int count)
{
    return QString::number(count) + (count == 1 ? u" call"_s : u" calls"_s);
}

QString heartbeatAge(qint64 ageMs, const ReadinessConfig &config)
{
    return u"last heartbeat "_s + QString::number(ceilSeconds(ageMs)) + u" s ago (limit "_s
        + number(config.heartbeatThresholdSeconds) + u" s)"_s;
}

ReadinessFactor factor(QStringView name, int points, int maxPoints, QString reason)
{
    return ReadinessFactor {staticText(name), std::clamp(points, 0, std::max(maxPoints, 0)), maxPoints,
                            std::move(reason)};
}

ReadinessFactor heartbeatFactor(const ReadinessConfig &config, std::optional<qint64> ageMs, qint64 thresholdMs)
{
    const int weight = config.weights.heartbeat;
    if (!config.heartbeatEnabled)
        return factor(readinessfactor::Heartbeat, weight, weight, u"heartbeat checks off"_s);
    if (!ageMs)
        return factor(readinessfactor::Heartbeat, 0, weight, u"no heartbeat received yet"_s);

    // A heartbeat a little late (network jitter, a busy client) costs nothing; past that the points
    // fall in a straight line and reach 0 exactly where the heartbeat_expired gate starts.
    const qint64 fullUntilMs = std::min(
        qint64(std::llround(config.heartbeatFullPointsFactor * config.heartbeatIntervalSeconds * 1000.0)), thresholdMs);
    if (*ageMs <= fullUntilMs) {
        return factor(readinessfactor::Heartbeat, weight, weight,
                      u"last heartbeat "_s + QString::number(ceilSeconds(*ageMs)) + u" s ago"_s);
    }
    const int points = *ageMs >= thresholdMs
        ? 0
        : pointsOf(weight, double(thresholdMs - *ageMs) / double(thresholdMs - fullUntilMs));
    return factor(readinessfactor::Heartbeat, points, weight, heartbeatAge(*ageMs, config));
}

ReadinessFactor deviceFactor(const AgentSnapshot &agent, const ReadinessConfig &config)
{
    const int weight = config.weights.device;
    if (!config.deviceConnectivityEnabled)
        return factor(readinessfactor::Device, weight, weight, u"device checks off"_s);
    if (!agent.deviceConnected)
        return factor(readinessfactor::Device, 0, weight, u"device not connected"_s);

    int points = weight;
    QString problems;
    auto deduct = [&](std::optional<bool> reported, int deduction, const QString &problem) {
        if (!reportedFalse(reported))
            return;
        points -= deduction;
        if (!problems.isEmpty())
            problems += u"; "_s;
        problems += problem;
    };
    deduct(agent.devices.audioInput, config.deductions.noAudioInput, u"headset or microphone not found"_s);
    deduct(agent.devices.audioOutput, config.deductions.noAudioOutput, u"headset or speakers not found"_s);
    return factor(readinessfactor::Device, points, weight, problems.isEmpty() ? u"device connected"_s : problems);
}

ReadinessFactor networkFactor(const AgentSnapshot &agent, const ReadinessConfig &config)
{
    const int weight = config.weights.network;
    if (!config.deviceConnectivityEnabled)
        return factor(readinessfactor::Network, weight, weight, u"network checks off"_s);

    const NetworkBounds &bounds = config.network;
    const std::optional<double> rtt = worse(usable(agent.devices.networkRttMs), usable(agent.wsPingRttMs));
    const std::optional<double> loss = usable(agent.devices.packetLossPercent);
    if (!rtt && !loss)
        return factor(readinessfactor::Network, weight, weight, u"not reported"_s);

    QString reason;
    double part = 1;
    if (rtt) {
        part = std::min(part, linearPart(*rtt, bounds.rttGoodMs, bounds.rttBadMs));
        reason = u"round trip "_s + number(*rtt) + u" ms"_s;
        if (*rtt > bounds.rttGoodMs)
            reason += u" (good up to "_s + number(bounds.rttGoodMs) + u" ms)"_s;
    }
    if (loss) {
        part = std::min(part, linearPart(*loss, bounds.lossGoodPercent, bounds.lossBadPercent));
        if (!reason.isEmpty())
            reason += u", "_s;
        reason += u"packet loss "_s + number(*loss) + u" %"_s;
        if (*loss > bounds.lossGoodPercent)
            reason += u" (good up to "_s + number(bounds.lossGoodPercent) + u" %)"_s;
    }
    return factor(readinessfactor::Network, pointsOf(weight, part), weight, reason);
}

ReadinessFactor reliabilityFactor(const AgentSnapshot &agent, const ReadinessConfig &config)
{
    const int weight = config.weights.reliability;
    if (agent.recentOffers <= 0)
        return factor(readinessfactor::Reliability, weight, weight, u"no recent offers"_s);
    const int answers = std::clamp(agent.recentAnswers, 0, agent.recentOffers);
    return factor(readinessfactor::Reliability, pointsOf(weight, double(answers) / agent.recentOffers), weight,
                  u"answered "_s + QString::number(answers) + u" of "_s + QString::number(agent.recentOffers)
                      + (agent.recentOffers == 1 ? u" recent call"_s : u" recent calls"_s));
}

void checkGates(ReadinessResult &result, const AgentSnapshot &agent, const ReadinessConfig &config, qint64 nowMs,
                std::optional<qint64> ageMs, qint64 thresholdMs)
{
    auto fail = [&result](QStringView gate, QString reason) {
        result.failedGates.append(ReadinessGate {staticText(gate), std::move(reason)});
    };

    if (!agent.sessionActive)
        fail(readinessgate::NoSession, u"not logged in"_s);

    if (agent.status != AgentStatus::Available) {
        QString reason = u"status is "_s + toString(agent.status);
        if (!agent.awayReason.isEmpty())
            reason += u" ("_s + agent.awayReason + u')';
        fail(readinessgate::StatusNotAvailable, reason);
    }

    if (config.heartbeatEnabled) {
        if (!ageMs)
            fail(readinessgate::HeartbeatExpired, u"no heartbeat received yet"_s);
        else if (*ageMs > thresholdMs)
            fail(readinessgate::HeartbeatExpired, heartbeatAge(*ageMs, config));
    }

    if (agent.connection == ConnectionKind::None)
        fail(readinessgate::Disconnected, u"not connected to the server"_s);

    const int maxCalls = std::max(agent.maxConcurrentCalls, 1);
    if (agent.activeCalls >= maxCalls) {
        fail(readinessgate::AtCapacity,
             u"already on "_s + calls(agent.activeCalls) + u" (limit "_s + QString::number(maxCalls) + u')');
    }

    if (agent.reserved)
        fail(readinessgate::Reserved, u"a call is ringing and not answered yet"_s);

    if (nowMs < agent.wrapUpUntilMs) {
        fail(readinessgate::WrapUp,
             u"wrapping up the last call, "_s + QString::number(ceilSeconds(agent.wrapUpUntilMs - nowMs))
                 + u" s left"_s);
    }

    if (nowMs < agent.cooldownUntilMs) {
        fail(readinessgate::Cooldown,
             u"paused after a missed call, "_s + QString::number(ceilSeconds(agent.cooldownUntilMs - nowMs))
                 + u" s left"_s);
    }

    // The app's word: its voice line is not registered, so a call to it cannot ring, whatever the
    // score. Part of the device checks, like the rest of what the app reports about its devices.
    if (config.deviceConnectivityEnabled && reportedFalse(agent.devices.voiceRegistered))
        fail(readinessgate::VoiceNotRegistered, u"voice line not registered, calls cannot ring"_s);

    // Twilio's word beats the app's: a call to this agent would fail at once, so it is offered none.
    if (!agent.voiceUnreachable.isEmpty())
        fail(readinessgate::VoiceUnreachable, agent.voiceUnreachable);

    // A network the app measures at or past the bad bounds carries no intelligible voice: the
    // network factor is 0 there, and losing 20 points alone would leave an otherwise perfect agent
    // ready. Only the app's own figures: the server's ping round trip also measures the server.
    if (config.deviceConnectivityEnabled) {
        const std::optional<double> rtt = usable(agent.devices.networkRttMs);
        const std::optional<double> loss = usable(agent.devices.packetLossPercent);
        if ((rtt && *rtt >= config.network.rttBadMs) || (loss && *loss >= config.network.lossBadPercent)) {
            QStringList problems;
            if (rtt && *rtt >= config.network.rttBadMs)
                problems.append(u"round trip "_s + number(*rtt) + u" ms (limit "_s + number(config.network.rttBadMs)
                                + u" ms)"_s);
            if (loss && *loss >= config.network.lossBadPercent)
                problems.append(u"packet loss "_s + number(*loss) + u" % (limit "_s
                                + number(config.network.lossBadPercent) + u" %)"_s);
            const QString reason = u"network too poor for calls: "_s + problems.join(u", "_s);
            fail(readinessgate::NetworkUnusable, reason);
        }
    }

    if (agent.sessionActive && agent.unconfirmed)
        fail(readinessgate::Unconfirmed, u"not heard from since restart"_s);

    // Someone must be at the desk to answer: the app's idle watch, and an offer that just rang out
    // there (nobody picked up; whoever is back touches the app and the gate lifts).
    if (agent.presenceIdle)
        fail(readinessgate::Idle, u"away from the desk: \"Still there?\" not answered"_s);
    if (agent.rangOutAtMs != 0)
        fail(readinessgate::RangOut, u"a call rang out here: waiting for the agent to touch the app"_s);
}

} // namespace

ReadinessResult scoreReadiness(const AgentSnapshot &agent, const ReadinessConfig &config, qint64 nowMs)
{
    // A heartbeat stamped after "now" (the snapshot raced the clock read) is as fresh as it gets.
    std::optional<qint64> ageMs;
    if (agent.lastHeartbeatMs)
        ageMs = std::max<qint64>(0, nowMs - *agent.lastHeartbeatMs);
    const qint64 thresholdMs = std::llround(config.heartbeatThresholdSeconds * 1000.0);

    ReadinessResult result;
    checkGates(result, agent, config, nowMs, ageMs, thresholdMs);
    result.factors = {
        heartbeatFactor(config, ageMs, thresholdMs),
        deviceFactor(agent, config),
        networkFactor(agent, config),
        reliabilityFactor(agent, config),
    };

    int score = 0;
    for (const ReadinessFactor &f : std::as_const(result.factors))
        score += f.points;
    result.score = std::clamp(score, 0, 100);
    result.ready = result.failedGates.isEmpty() && result.score >= config.threshold;
    return result;
}

} // namespace heartline
