#include <functional>
#include <limits>

#include <QFile>
#include <QTest>

#include "config/Config.h"
#include "core/Clock.h"
#include "readiness/ReadinessScorer.h"

using namespace heartline;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(heartline::AgentSnapshot)
Q_DECLARE_METATYPE(heartline::ReadinessConfig)

namespace {

constexpr qint64 Now = ManualClock::DefaultStartMs;
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

/// Exactly what the seed's heartbeat clients send, with a fresh heartbeat: the contract says ready at 100.
AgentSnapshot seedAgent()
{
    AgentSnapshot agent;
    agent.sessionActive = true;
    agent.status = AgentStatus::Available;
    agent.deviceConnected = true;
    agent.lastHeartbeatMs = Now - 10'000;
    agent.connection = ConnectionKind::HttpOnly;
    return agent;
}

AgentSnapshot seedAgent(const std::function<void(AgentSnapshot &)> &change)
{
    AgentSnapshot agent = seedAgent();
    change(agent);
    return agent;
}

AgentSnapshot heartbeatAgo(qint64 ageMs)
{
    return seedAgent([ageMs](AgentSnapshot &a) { a.lastHeartbeatMs = Now - ageMs; });
}

/// docs/readiness.md, first example: ready at 72 after losing points on every factor.
AgentSnapshot documentedReadyAgent()
{
    return seedAgent([](AgentSnapshot &a) {
        a.connection = ConnectionKind::WebSocket;
        a.lastHeartbeatMs = Now - 48'000;
        a.devices.audioInput = true;
        a.devices.audioOutput = false;
        a.devices.voiceRegistered = true;
        a.devices.networkRttMs = 240;
        a.wsPingRttMs = 180;
        a.devices.packetLossPercent = 2;
        a.recentOffers = 10;
        a.recentAnswers = 8;
    });
}

/// docs/readiness.md, second example: a perfect score, but still in wrap-up.
AgentSnapshot documentedWrapUpAgent()
{
    return seedAgent([](AgentSnapshot &a) {
        a.connection = ConnectionKind::WebSocket;
        a.lastHeartbeatMs = Now - 5'000;
        a.devices = DeviceReport {true, true, true, 40.0, 0.0};
        a.recentOffers = 3;
        a.recentAnswers = 3;
        a.wrapUpUntilMs = Now + 11'500;
    });
}

QStringList gateCodes(const ReadinessResult &result)
{
    QStringList codes;
    for (const ReadinessGate &gate : result.failedGates)
        codes.append(gate.gate);
    return codes;
}

ReadinessFactor factorOf(const ReadinessResult &result, QStringView name)
{
    for (const ReadinessFactor &factor : result.factors) {
        if (factor.name == name)
            return factor;
    }
    return {};
}

/// The result as docs/readiness.md prints it between its example markers.
QString markdownOf(const ReadinessResult &result, int threshold)
{
    QString out = u"| factor | points | reason |\n| --- | --- | --- |\n"_s;
    for (const ReadinessFactor &factor : result.factors) {
        out += u"| "_s + factor.name + u" | "_s + QString::number(factor.points) + u" of "_s
            + QString::number(factor.maxPoints) + u" | "_s + factor.reason + u" |\n"_s;
    }
    out += u'\n';
    if (!result.failedGates.isEmpty()) {
        out += u"| failed gate | reason |\n| --- | --- |\n"_s;
        for (const ReadinessGate &gate : result.failedGates)
            out += u"| `"_s + gate.gate + u"` | "_s + gate.reason + u" |\n"_s;
        out += u'\n';
    }
    out += u"**Score "_s + QString::number(result.score) + u" of 100, threshold "_s + QString::number(threshold)
        + u": "_s + (result.ready ? u"ready"_s : u"not ready"_s) + u".**\n"_s;
    return out;
}

QString documentedBlock(const QString &doc, const QString &marker)
{
    const QString begin = u"<!-- "_s + marker + u"-begin -->\n"_s;
    const QString end = u"<!-- "_s + marker + u"-end -->"_s;
    const qsizetype from = doc.indexOf(begin);
    const qsizetype to = doc.indexOf(end);
    if (from < 0 || to < from)
        return {};
    return doc.mid(from + begin.size(), to - from - begin.size());
}

} // namespace

class TestReadiness final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedOnlyAgentIsReadyAt100_data()
    {
        QTest::addColumn<AgentSnapshot>("agent");
        QTest::newRow("http heartbeat 10 s ago") << seedAgent();
        QTest::newRow("websocket") << seedAgent([](AgentSnapshot &a) { a.connection = ConnectionKind::WebSocket; });
        QTest::newRow("heartbeat this instant") << heartbeatAgo(0);
        QTest::newRow("heartbeat 1.2 x interval old") << heartbeatAgo(36'000);
        QTest::newRow("wrap-up and cooldown just ended") << seedAgent([](AgentSnapshot &a) {
            a.wrapUpUntilMs = Now;
            a.cooldownUntilMs = Now - 1;
        });
    }

    void seedOnlyAgentIsReadyAt100()
    {
        QFETCH(AgentSnapshot, agent);
        const ReadinessResult result = scoreReadiness(agent, ReadinessConfig {}, Now);
        QCOMPARE(gateCodes(result), QStringList {});
        QCOMPARE(result.score, 100);
        QVERIFY(result.ready);
        QCOMPARE(result.reasons(), QStringList {});
        QCOMPARE(factorOf(result, readinessfactor::Device).reason, u"device connected"_s);
        QCOMPARE(factorOf(result, readinessfactor::Network).reason, u"not reported"_s);
        QCOMPARE(factorOf(result, readinessfactor::Reliability).reason, u"no recent offers"_s);
    }

    void gates_data()
    {
        QTest::addColumn<AgentSnapshot>("agent");
        QTest::addColumn<QString>("gate"); // empty: every gate passes
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("score");
        QTest::addColumn<bool>("ready");

        QTest::newRow("logged out") << seedAgent([](AgentSnapshot &a) { a.sessionActive = false; }) << u"no_session"_s
                                    << u"not logged in"_s << 100 << false;

        QTest::newRow("away for lunch") << seedAgent([](AgentSnapshot &a) {
            a.status = AgentStatus::Away;
            a.awayReason = u"lunch"_s;
        }) << u"status_not_available"_s << u"status is away (lunch)"_s
                                        << 100 << false;
        QTest::newRow("away, no reason given") << seedAgent([](AgentSnapshot &a) { a.status = AgentStatus::Away; })
                                               << u"status_not_available"_s << u"status is away"_s << 100 << false;
        QTest::newRow("offline") << seedAgent([](AgentSnapshot &a) { a.status = AgentStatus::Offline; })
                                 << u"status_not_available"_s << u"status is offline"_s << 100 << false;

        // 75 s is the default limit (2.5 x 30 s); at the limit the heartbeat factor is already 0.
        QTest::newRow("heartbeat exactly at the limit") << heartbeatAgo(75'000) << QString() << QString() << 70 << true;
        QTest::newRow("heartbeat 1 ms over the limit") << heartbeatAgo(75'001) << u"heartbeat_expired"_s
                                                       << u"last heartbeat 76 s ago (limit 75 s)"_s << 70 << false;
        QTest::newRow("heartbeat 80 s old") << heartbeatAgo(80'000) << u"heartbeat_expired"_s
                                            << u"last heartbeat 80 s ago (limit 75 s)"_s << 70 << false;
        QTest::newRow("never sent a heartbeat")
            << seedAgent([](AgentSnapshot &a) { a.lastHeartbeatMs.reset(); }) << u"heartbeat_expired"_s
            << u"no heartbeat received yet"_s << 70 << false;

        QTest::newRow("socket closed") << seedAgent([](AgentSnapshot &a) { a.connection = ConnectionKind::None; })
                                       << u"disconnected"_s << u"not connected to the server"_s << 100 << false;
        QTest::newRow("live websocket") << seedAgent([](AgentSnapshot &a) { a.connection = ConnectionKind::WebSocket; })
                                        << QString() << QString() << 100 << true;

        auto onCalls = [](int active, int max) {
            return seedAgent([=](AgentSnapshot &a) {
                a.activeCalls = active;
                a.maxConcurrentCalls = max;
            });
        };
        QTest::newRow("max 1, on 0 calls") << onCalls(0, 1) << QString() << QString() << 100 << true;
        QTest::newRow("max 1, on 1 call")
            << onCalls(1, 1) << u"at_capacity"_s << u"already on 1 call (limit 1)"_s << 100 << false;
        QTest::newRow("max 3, on 2 calls") << onCalls(2, 3) << QString() << QString() << 100 << true;
        QTest::newRow("max 3, on 3 calls")
            << onCalls(3, 3) << u"at_capacity"_s << u"already on 3 calls (limit 3)"_s << 100 << false;
        QTest::newRow("max 3, on 4 calls")
            << onCalls(4, 3) << u"at_capacity"_s << u"already on 4 calls (limit 3)"_s << 100 << false;
        QTest::newRow("max 0 counts as 1, on 0 calls") << onCalls(0, 0) << QString() << QString() << 100 << true;
        QTest::newRow("max 0 counts as 1, on 1 call")
            << onCalls(1, 0) << u"at_capacity"_s << u"already on 1 call (limit 1)"_s << 100 << false;

        QTest::newRow("ringing") << seedAgent([](AgentSnapshot &a) { a.reserved = true; }) << u"reserved"_s
                                 << u"a call is ringing and not answered yet"_s << 100 << false;

        auto wrapUpUntil = [](qint64 until) {
            return seedAgent([=](AgentSnapshot &a) { a.wrapUpUntilMs = until; });
        };
        QTest::newRow("wrap-up 12 s left")
            << wrapUpUntil(Now + 12'000) << u"wrap_up"_s << u"wrapping up the last call, 12 s left"_s << 100 << false;
        QTest::newRow("wrap-up 1 ms left")
            << wrapUpUntil(Now + 1) << u"wrap_up"_s << u"wrapping up the last call, 1 s left"_s << 100 << false;
        QTest::newRow("wrap-up ends now") << wrapUpUntil(Now) << QString() << QString() << 100 << true;
        QTest::newRow("wrap-up ended") << wrapUpUntil(Now - 1) << QString() << QString() << 100 << true;

        auto cooldownUntil = [](qint64 until) {
            return seedAgent([=](AgentSnapshot &a) { a.cooldownUntilMs = until; });
        };
        QTest::newRow("cooldown 5 s left")
            << cooldownUntil(Now + 4'500) << u"cooldown"_s << u"paused after a missed call, 5 s left"_s << 100 << false;
        QTest::newRow("cooldown 1 ms left")
            << cooldownUntil(Now + 1) << u"cooldown"_s << u"paused after a missed call, 1 s left"_s << 100 << false;
        QTest::newRow("cooldown ends now") << cooldownUntil(Now) << QString() << QString() << 100 << true;

        QTest::newRow("voice line not registered")
            << seedAgent([](AgentSnapshot &a) { a.devices.voiceRegistered = false; }) << u"voice_not_registered"_s
            << u"voice line not registered, calls cannot ring"_s << 100 << false;
        QTest::newRow("voice line not reported") << seedAgent([](AgentSnapshot &a) { a.devices.voiceRegistered = {}; })
                                                 << QString() << QString() << 100 << true;
        QTest::newRow("Twilio cannot reach the voice line") << seedAgent([](AgentSnapshot &a) {
            a.voiceUnreachable = u"voice line not registered at Twilio (SIP 480)"_s;
        }) << u"voice_unreachable"_s << u"voice line not registered at Twilio (SIP 480)"_s
                                                            << 100 << false;

        auto network = [](std::optional<double> rtt, std::optional<double> loss) {
            return seedAgent([=](AgentSnapshot &a) {
                a.devices.networkRttMs = rtt;
                a.devices.packetLossPercent = loss;
            });
        };
        QTest::newRow("degraded network: 800 ms and 20 % loss")
            << network(800, 20) << u"network_unusable"_s
            << u"network too poor for calls: round trip 800 ms (limit 600 ms), packet loss 20 % (limit 5 %)"_s << 80
            << false;
        QTest::newRow("round trip at the bad bound")
            << network(600, {}) << u"network_unusable"_s
            << u"network too poor for calls: round trip 600 ms (limit 600 ms)"_s << 80 << false;
        QTest::newRow("loss at the bad bound")
            << network({}, 5) << u"network_unusable"_s << u"network too poor for calls: packet loss 5 % (limit 5 %)"_s
            << 80 << false;
        QTest::newRow("just under both bounds") << network(599, 4.9) << QString() << QString() << 80 << true;
        QTest::newRow("server ping past the bound is a deduction only")
            << seedAgent([](AgentSnapshot &a) { a.wsPingRttMs = 900; }) << QString() << QString() << 80 << true;

        QTest::newRow("loaded at start-up, not heard from")
            << seedAgent([](AgentSnapshot &a) { a.unconfirmed = true; }) << u"unconfirmed"_s
            << u"not heard from since restart"_s << 100 << false;
        QTest::newRow("Still there? unanswered")
            << seedAgent([](AgentSnapshot &a) { a.presenceIdle = true; }) << u"idle"_s
            << u"away from the desk: \"Still there?\" not answered"_s << 100 << false;
        QTest::newRow("a call rang out") << seedAgent([](AgentSnapshot &a) { a.rangOutAtMs = Now - 5'000; })
                                         << u"rang_out"_s
                                         << u"a call rang out here: waiting for the agent to touch the app"_s << 100
                                         << false;
    }

    void gates()
    {
        QFETCH(AgentSnapshot, agent);
        QFETCH(QString, gate);
        QFETCH(QString, reason);
        QFETCH(int, score);
        QFETCH(bool, ready);

        const ReadinessResult result = scoreReadiness(agent, ReadinessConfig {}, Now);
        QCOMPARE(gateCodes(result), gate.isEmpty() ? QStringList {} : QStringList {gate});
        if (!gate.isEmpty()) {
            QCOMPARE(result.failedGates.first().reason, reason);
            QCOMPARE(result.reasons().value(0), reason);
        }
        QCOMPARE(result.score, score);
        QCOMPARE(result.ready, ready);
    }

    void everyFailedGateIsReportedInOrder()
    {
        AgentSnapshot agent;
        agent.status = AgentStatus::Away;
        agent.awayReason = u"break"_s;
        agent.activeCalls = 2;
        agent.reserved = true;
        agent.wrapUpUntilMs = Now + 5'000;
        agent.cooldownUntilMs = Now + 3'000;
        agent.devices.voiceRegistered = false;
        agent.voiceUnreachable = u"voice line not registered at Twilio (SIP 404)"_s;
        agent.devices.packetLossPercent = 30;
        agent.unconfirmed = true; // only for a session: no gate without one
        agent.presenceIdle = true;
        agent.rangOutAtMs = Now - 1;

        const ReadinessResult result = scoreReadiness(agent, ReadinessConfig {}, Now);
        const QStringList expected {u"no_session"_s,
                                    u"status_not_available"_s,
                                    u"heartbeat_expired"_s,
                                    u"disconnected"_s,
                                    u"at_capacity"_s,
                                    u"reserved"_s,
                                    u"wrap_up"_s,
                                    u"cooldown"_s,
                                    u"voice_not_registered"_s,
                                    u"voice_unreachable"_s,
                                    u"network_unusable"_s,
                                    u"idle"_s,
                                    u"rang_out"_s};
        QCOMPARE(gateCodes(result), expected);
        QVERIFY(!result.ready);
        const QStringList reasons = result.reasons();
        for (qsizetype i = 0; i < result.failedGates.size(); ++i) {
            QVERIFY2(!result.failedGates.at(i).reason.isEmpty(), qPrintable(result.failedGates.at(i).gate));
            QCOMPARE(reasons.at(i), result.failedGates.at(i).reason);
        }
        QCOMPARE(reasons.at(1), u"status is away (break)"_s);
        // Lost points follow the gates: no heartbeat and no device cost 65 points.
        QCOMPARE(reasons.mid(expected.size()),
                 QStringList({u"no heartbeat received yet"_s, u"device not connected"_s,
                              u"packet loss 30 % (good up to 1 %)"_s}));
        QCOMPARE(result.score, 15);
    }

    void gateCodesAreStable()
    {
        QCOMPARE(readinessgate::NoSession, u"no_session");
        QCOMPARE(readinessgate::StatusNotAvailable, u"status_not_available");
        QCOMPARE(readinessgate::HeartbeatExpired, u"heartbeat_expired");
        QCOMPARE(readinessgate::Disconnected, u"disconnected");
        QCOMPARE(readinessgate::AtCapacity, u"at_capacity");
        QCOMPARE(readinessgate::Reserved, u"reserved");
        QCOMPARE(readinessgate::WrapUp, u"wrap_up");
        QCOMPARE(readinessgate::Cooldown, u"cooldown");
        QCOMPARE(readinessgate::VoiceNotRegistered, u"voice_not_registered");
        QCOMPARE(readinessgate::VoiceUnreachable, u"voice_unreachable");
        QCOMPARE(readinessgate::NetworkUnusable, u"network_unusable");
        QCOMPARE(readinessgate::Unconfirmed, u"unconfirmed");
        QCOMPARE(readinessgate::Idle, u"idle");
        QCOMPARE(readinessgate::RangOut, u"rang_out");
    }

    void factorsComeInOrderAndAddUpToTheScore_data()
    {
        QTest::addColumn<AgentSnapshot>("agent");
        QTest::newRow("seed agent") << seedAgent();
        QTest::newRow("documented example") << documentedReadyAgent();
        QTest::newRow("empty snapshot") << AgentSnapshot {};
    }

    void factorsComeInOrderAndAddUpToTheScore()
    {
        QFETCH(AgentSnapshot, agent);
        const ReadinessResult result = scoreReadiness(agent, ReadinessConfig {}, Now);
        QCOMPARE(result.factors.size(), 4);
        const QStringList names {u"heartbeat"_s, u"device"_s, u"network"_s, u"reliability"_s};
        const QList<int> weights {30, 35, 20, 15};
        int sum = 0;
        for (qsizetype i = 0; i < 4; ++i) {
            const ReadinessFactor &factor = result.factors.at(i);
            QCOMPARE(factor.name, names.at(i));
            QCOMPARE(factor.maxPoints, weights.at(i));
            QVERIFY(factor.points >= 0 && factor.points <= factor.maxPoints);
            QVERIFY(!factor.reason.isEmpty());
            sum += factor.points;
        }
        QCOMPARE(result.score, sum);
    }

    void heartbeatFactor_data()
    {
        QTest::addColumn<ReadinessConfig>("config");
        QTest::addColumn<AgentSnapshot>("agent");
        QTest::addColumn<int>("points");
        QTest::addColumn<QString>("reason");

        const ReadinessConfig defaults;
        // Defaults: full up to 36 s (1.2 x 30 s), then 30 x (75 s - age) / 39 s, rounded down.
        QTest::newRow("just now") << defaults << heartbeatAgo(0) << 30 << u"last heartbeat 0 s ago"_s;
        QTest::newRow("1.2 x interval") << defaults << heartbeatAgo(36'000) << 30 << u"last heartbeat 36 s ago"_s;
        QTest::newRow("1 ms past 1.2 x interval")
            << defaults << heartbeatAgo(36'001) << 29 << u"last heartbeat 37 s ago (limit 75 s)"_s;
        QTest::newRow("half way") << defaults << heartbeatAgo(55'500) << 15
                                  << u"last heartbeat 56 s ago (limit 75 s)"_s;
        QTest::newRow("1 ms before the limit")
            << defaults << heartbeatAgo(74'999) << 0 << u"last heartbeat 75 s ago (limit 75 s)"_s;
        QTest::newRow("at the limit") << defaults << heartbeatAgo(75'000) << 0
                                      << u"last heartbeat 75 s ago (limit 75 s)"_s;
        QTest::newRow("expired") << defaults << heartbeatAgo(600'000) << 0
                                 << u"last heartbeat 600 s ago (limit 75 s)"_s;
        QTest::newRow("stamped after now counts as fresh")
            << defaults << heartbeatAgo(-5'000) << 30 << u"last heartbeat 0 s ago"_s;
        QTest::newRow("never") << defaults << seedAgent([](AgentSnapshot &a) { a.lastHeartbeatMs.reset(); }) << 0
                               << u"no heartbeat received yet"_s;

        ReadinessConfig fast;
        fast.heartbeatIntervalSeconds = 10;
        fast.heartbeatThresholdSeconds = 25;
        QTest::newRow("interval 10 s: 12 s old") << fast << heartbeatAgo(12'000) << 30 << u"last heartbeat 12 s ago"_s;
        QTest::newRow("interval 10 s: half way")
            << fast << heartbeatAgo(18'500) << 15 << u"last heartbeat 19 s ago (limit 25 s)"_s;

        ReadinessConfig tight; // limit inside the 1.2 x interval grace: full points right up to the limit
        tight.heartbeatThresholdSeconds = 33;
        QTest::newRow("limit below grace: at the limit")
            << tight << heartbeatAgo(33'000) << 30 << u"last heartbeat 33 s ago"_s;
        QTest::newRow("limit below grace: past the limit")
            << tight << heartbeatAgo(33'001) << 0 << u"last heartbeat 34 s ago (limit 33 s)"_s;

        ReadinessConfig fractional;
        fractional.heartbeatIntervalSeconds = 25;
        fractional.heartbeatThresholdSeconds = 62.5;
        QTest::newRow("fractional limit")
            << fractional << heartbeatAgo(50'000) << 11 << u"last heartbeat 50 s ago (limit 62.5 s)"_s;
    }

    void heartbeatFactor()
    {
        QFETCH(ReadinessConfig, config);
        QFETCH(AgentSnapshot, agent);
        QFETCH(int, points);
        QFETCH(QString, reason);

        const ReadinessFactor factor = factorOf(scoreReadiness(agent, config, Now), readinessfactor::Heartbeat);
        QCOMPARE(factor.points, points);
        QCOMPARE(factor.maxPoints, 30);
        QCOMPARE(factor.reason, reason);
    }

    void deviceFactor_data()
    {
        QTest::addColumn<AgentSnapshot>("agent");
        QTest::addColumn<int>("points");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("ready");

        auto reporting = [](std::optional<bool> input, std::optional<bool> output, std::optional<bool> voice) {
            return seedAgent([=](AgentSnapshot &a) { a.devices = DeviceReport {input, output, voice, {}, {}}; });
        };
        QTest::newRow("only deviceConnected") << seedAgent() << 35 << u"device connected"_s << true;
        QTest::newRow("everything works") << reporting(true, true, true) << 35 << u"device connected"_s << true;
        QTest::newRow("no audio input") << reporting(false, true, true) << 20 << u"headset or microphone not found"_s
                                        << true;
        QTest::newRow("no audio output") << reporting(true, false, true) << 25 << u"headset or speakers not found"_s
                                         << true;
        // Not a deduction: a gate (see gates()), so the factor keeps its points and the agent is not ready.
        QTest::newRow("voice not registered") << reporting(true, true, false) << 35 << u"device connected"_s << false;
        QTest::newRow("no audio at all") << reporting(false, false, {}) << 10
                                         << u"headset or microphone not found; headset or speakers not found"_s << true;
        QTest::newRow("every problem") << reporting(false, false, false) << 10
                                       << u"headset or microphone not found; headset or speakers not found"_s << false;
        QTest::newRow("not connected, rest fine") << seedAgent([](AgentSnapshot &a) {
            a.deviceConnected = false;
            a.devices = DeviceReport {true, true, true, {}, {}};
        }) << 0 << u"device not connected"_s << false;
    }

    void deviceFactor()
    {
        QFETCH(AgentSnapshot, agent);
        QFETCH(int, points);
        QFETCH(QString, reason);
        QFETCH(bool, ready);

        const ReadinessResult result = scoreReadiness(agent, ReadinessConfig {}, Now);
        const ReadinessFactor factor = factorOf(result, readinessfactor::Device);
        QCOMPARE(factor.points, points);
        QCOMPARE(factor.reason, reason);
        QCOMPARE(result.score, 65 + points);
        QCOMPARE(result.ready, ready);
        QCOMPARE(result.reasons().contains(reason), points < 35);
    }

    void networkFactor_data()
    {
        QTest::addColumn<AgentSnapshot>("agent");
        QTest::addColumn<int>("points");
        QTest::addColumn<QString>("reason");

        auto network = [](std::optional<double> clientRtt, std::optional<double> pingRtt, std::optional<double> loss) {
            return seedAgent([=](AgentSnapshot &a) {
                a.devices.networkRttMs = clientRtt;
                a.wsPingRttMs = pingRtt;
                a.devices.packetLossPercent = loss;
            });
        };
        QTest::newRow("nothing reported") << network({}, {}, {}) << 20 << u"not reported"_s;
        QTest::newRow("rtt 150") << network(150, {}, {}) << 20 << u"round trip 150 ms"_s;
        QTest::newRow("rtt 151") << network(151, {}, {}) << 19 << u"round trip 151 ms (good up to 150 ms)"_s;
        QTest::newRow("rtt 375") << network(375, {}, {}) << 10 << u"round trip 375 ms (good up to 150 ms)"_s;
        QTest::newRow("rtt 599") << network(599, {}, {}) << 0 << u"round trip 599 ms (good up to 150 ms)"_s;
        QTest::newRow("rtt 600") << network(600, {}, {}) << 0 << u"round trip 600 ms (good up to 150 ms)"_s;
        QTest::newRow("rtt 2000") << network(2000, {}, {}) << 0 << u"round trip 2000 ms (good up to 150 ms)"_s;
        QTest::newRow("ping rtt only, 151") << network({}, 151, {}) << 19 << u"round trip 151 ms (good up to 150 ms)"_s;
        QTest::newRow("ping worse than client")
            << network(100, 375, {}) << 10 << u"round trip 375 ms (good up to 150 ms)"_s;
        QTest::newRow("client worse than ping")
            << network(375, 100, {}) << 10 << u"round trip 375 ms (good up to 150 ms)"_s;
        QTest::newRow("loss 0") << network({}, {}, 0) << 20 << u"packet loss 0 %"_s;
        QTest::newRow("loss 1") << network({}, {}, 1) << 20 << u"packet loss 1 %"_s;
        QTest::newRow("loss 1.4") << network({}, {}, 1.4) << 18 << u"packet loss 1.4 % (good up to 1 %)"_s;
        QTest::newRow("loss 3") << network({}, {}, 3) << 10 << u"packet loss 3 % (good up to 1 %)"_s;
        QTest::newRow("loss 5") << network({}, {}, 5) << 0 << u"packet loss 5 % (good up to 1 %)"_s;
        QTest::newRow("loss is the worse part")
            << network(240, 180, 2) << 15
            << u"round trip 240 ms (good up to 150 ms), packet loss 2 % (good up to 1 %)"_s;
        QTest::newRow("rtt is the worse part")
            << network(420, {}, 2) << 8 << u"round trip 420 ms (good up to 150 ms), packet loss 2 % (good up to 1 %)"_s;
        QTest::newRow("both good") << network(40, 35, 0.5) << 20 << u"round trip 40 ms, packet loss 0.5 %"_s;
        QTest::newRow("NaN rtt is not reported") << network(NaN, {}, {}) << 20 << u"not reported"_s;
        QTest::newRow("negative rtt is not reported") << network(-1, {}, {}) << 20 << u"not reported"_s;
        QTest::newRow("infinite loss is not reported")
            << network({}, 90, std::numeric_limits<double>::infinity()) << 20 << u"round trip 90 ms"_s;
    }

    void networkFactor()
    {
        QFETCH(AgentSnapshot, agent);
        QFETCH(int, points);
        QFETCH(QString, reason);

        const ReadinessResult result = scoreReadiness(agent, ReadinessConfig {}, Now);
        const ReadinessFactor factor = factorOf(result, readinessfactor::Network);
        QCOMPARE(factor.points, points);
        QCOMPARE(factor.maxPoints, 20);
        QCOMPARE(factor.reason, reason);
        QCOMPARE(result.score, 80 + points);
        // At the bad bounds the app's own figures are also the gate network_unusable.
        auto pastBound = [](std::optional<double> value, double bound) {
            return value && std::isfinite(*value) && *value >= bound;
        };
        const bool unusable
            = pastBound(agent.devices.networkRttMs, 600) || pastBound(agent.devices.packetLossPercent, 5);
        QCOMPARE(gateCodes(result).contains(u"network_unusable"_s), unusable);
    }

    void reliabilityFactor_data()
    {
        QTest::addColumn<int>("offers");
        QTest::addColumn<int>("answers");
        QTest::addColumn<int>("points");
        QTest::addColumn<QString>("reason");

        QTest::newRow("no offers") << 0 << 0 << 15 << u"no recent offers"_s;
        QTest::newRow("1 of 1") << 1 << 1 << 15 << u"answered 1 of 1 recent call"_s;
        QTest::newRow("0 of 1") << 1 << 0 << 0 << u"answered 0 of 1 recent call"_s;
        QTest::newRow("10 of 10") << 10 << 10 << 15 << u"answered 10 of 10 recent calls"_s;
        QTest::newRow("9 of 10") << 10 << 9 << 13 << u"answered 9 of 10 recent calls"_s;
        QTest::newRow("2 of 3") << 3 << 2 << 10 << u"answered 2 of 3 recent calls"_s;
        QTest::newRow("1 of 2") << 2 << 1 << 7 << u"answered 1 of 2 recent calls"_s;
        QTest::newRow("0 of 10") << 10 << 0 << 0 << u"answered 0 of 10 recent calls"_s;
        QTest::newRow("more answers than offers") << 5 << 7 << 15 << u"answered 5 of 5 recent calls"_s;
        QTest::newRow("negative offers") << -3 << 0 << 15 << u"no recent offers"_s;
    }

    void reliabilityFactor()
    {
        QFETCH(int, offers);
        QFETCH(int, answers);
        QFETCH(int, points);
        QFETCH(QString, reason);

        const AgentSnapshot agent = seedAgent([=](AgentSnapshot &a) {
            a.recentOffers = offers;
            a.recentAnswers = answers;
        });
        const ReadinessFactor factor
            = factorOf(scoreReadiness(agent, ReadinessConfig {}, Now), readinessfactor::Reliability);
        QCOMPARE(factor.points, points);
        QCOMPARE(factor.maxPoints, 15);
        QCOMPARE(factor.reason, reason);
    }

    void thresholdEdge_data()
    {
        QTest::addColumn<AgentSnapshot>("agent");
        QTest::addColumn<int>("threshold");
        QTest::addColumn<int>("score");
        QTest::addColumn<bool>("ready");

        // Heartbeat at the 75 s limit earns 0 but passes the gate: 70 from the other factors.
        const AgentSnapshot at70 = heartbeatAgo(75'000);
        const AgentSnapshot at71 = heartbeatAgo(73'700); // 30 x 1.3 / 39 = 1 point
        AgentSnapshot at69 = at70;
        at69.recentOffers = 20; // 19 of 20 answered: 14.25 -> 14 points
        at69.recentAnswers = 19;

        QTest::newRow("69, threshold 70") << at69 << 70 << 69 << false;
        QTest::newRow("70, threshold 70") << at70 << 70 << 70 << true;
        QTest::newRow("71, threshold 70") << at71 << 70 << 71 << true;
        QTest::newRow("71, threshold 72") << at71 << 72 << 71 << false;
        QTest::newRow("100, threshold 100") << seedAgent() << 100 << 100 << true;
        QTest::newRow("99, threshold 100") << heartbeatAgo(36'100) << 100 << 99 << false;

        AgentSnapshot zero = at70; // every factor at 0, every gate passing
        zero.deviceConnected = false;
        zero.wsPingRttMs = 600; // the server's ping: no network_unusable gate, unlike the app's own figure
        zero.recentOffers = 4;
        QTest::newRow("0, threshold 0") << zero << 0 << 0 << true;
        QTest::newRow("0, threshold 1") << zero << 1 << 0 << false;
    }

    void thresholdEdge()
    {
        QFETCH(AgentSnapshot, agent);
        QFETCH(int, threshold);
        QFETCH(int, score);
        QFETCH(bool, ready);

        ReadinessConfig config;
        config.threshold = threshold;
        const ReadinessResult result = scoreReadiness(agent, config, Now);
        QCOMPARE(gateCodes(result), QStringList {});
        QCOMPARE(result.score, score);
        QCOMPARE(result.ready, ready);
    }

    void scoreIsClampedTo100()
    {
        ReadinessConfig config;
        config.weights.heartbeat = 60; // a misweighted build must still report at most 100
        const ReadinessResult result = scoreReadiness(seedAgent(), config, Now);
        QCOMPARE(result.score, 100);
        QVERIFY(result.ready);
    }

    void heartbeatSwitchOff_data()
    {
        QTest::addColumn<AgentSnapshot>("agent");
        QTest::newRow("never sent a heartbeat") << seedAgent([](AgentSnapshot &a) { a.lastHeartbeatMs.reset(); });
        QTest::newRow("last heartbeat an hour ago") << heartbeatAgo(3'600'000);
    }

    void heartbeatSwitchOff()
    {
        QFETCH(AgentSnapshot, agent);

        ReadinessConfig config;
        const ReadinessResult on = scoreReadiness(agent, config, Now);
        QCOMPARE(gateCodes(on), QStringList {u"heartbeat_expired"_s});
        QVERIFY(!on.ready);

        config.heartbeatEnabled = false;
        const ReadinessResult off = scoreReadiness(agent, config, Now);
        QCOMPARE(gateCodes(off), QStringList {});
        const ReadinessFactor factor = factorOf(off, readinessfactor::Heartbeat);
        QCOMPARE(factor.points, 30);
        QCOMPARE(factor.reason, u"heartbeat checks off"_s);
        QCOMPARE(off.score, 100);
        QVERIFY(off.ready);
    }

    void deviceSwitchOff()
    {
        const AgentSnapshot agent = seedAgent([](AgentSnapshot &a) {
            a.deviceConnected = false;
            a.devices = DeviceReport {false, false, false, 900.0, 12.0};
            a.wsPingRttMs = 800;
        });

        ReadinessConfig config;
        const ReadinessResult on = scoreReadiness(agent, config, Now);
        QCOMPARE(on.score, 45);
        QVERIFY(!on.ready);

        config.deviceConnectivityEnabled = false;
        const ReadinessResult off = scoreReadiness(agent, config, Now);
        QCOMPARE(factorOf(off, readinessfactor::Device),
                 (ReadinessFactor {u"device"_s, 35, 35, u"device checks off"_s}));
        QCOMPARE(factorOf(off, readinessfactor::Network),
                 (ReadinessFactor {u"network"_s, 20, 20, u"network checks off"_s}));
        QCOMPARE(off.score, 100);
        QVERIFY(off.ready);
    }

    void fromConfig_data()
    {
        QTest::addColumn<QStringList>("environment"); // KEY=VALUE
        QTest::addColumn<int>("threshold");
        QTest::addColumn<int>("interval");
        QTest::addColumn<double>("heartbeatThreshold");
        QTest::addColumn<bool>("heartbeatEnabled");
        QTest::addColumn<bool>("deviceEnabled");

        QTest::newRow("defaults") << QStringList {} << 70 << 30 << 75.0 << true << true;
        QTest::newRow("readiness threshold")
            << QStringList {u"READINESS_THRESHOLD=85"_s} << 85 << 30 << 75.0 << true << true;
        QTest::newRow("interval derives the heartbeat limit")
            << QStringList {u"AGENT_HEARTBEAT_INTERVAL=20"_s} << 70 << 20 << 50.0 << true << true;
        QTest::newRow("interval 25 derives 62.5")
            << QStringList {u"AGENT_HEARTBEAT_INTERVAL=25"_s} << 70 << 25 << 62.5 << true << true;
        QTest::newRow("explicit heartbeat limit")
            << QStringList {u"AGENT_HEARTBEAT_INTERVAL=20"_s, u"HEARTBEAT_THRESHOLD=45"_s} << 70 << 20 << 45.0 << true
            << true;
        QTest::newRow("heartbeat off") << QStringList {u"FEATURE_AGENT_HEARTBEAT=false"_s} << 70 << 30 << 75.0 << false
                                       << true;
        QTest::newRow("device connectivity off")
            << QStringList {u"FEATURE_DEVICE_CONNECTIVITY=off"_s} << 70 << 30 << 75.0 << true << false;
    }

    void fromConfig()
    {
        QFETCH(QStringList, environment);
        QFETCH(int, threshold);
        QFETCH(int, interval);
        QFETCH(double, heartbeatThreshold);
        QFETCH(bool, heartbeatEnabled);
        QFETCH(bool, deviceEnabled);

        ConfigSources sources;
        for (const QString &pair : std::as_const(environment))
            sources.environment.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
        const auto config = Config::load(sources);
        QVERIFY(config.ok());

        const ReadinessConfig readiness = ReadinessConfig::fromConfig(config.value());
        QCOMPARE(readiness.threshold, threshold);
        QCOMPARE(readiness.heartbeatIntervalSeconds, interval);
        QCOMPARE(readiness.heartbeatThresholdSeconds, heartbeatThreshold);
        QCOMPARE(readiness.heartbeatEnabled, heartbeatEnabled);
        QCOMPARE(readiness.deviceConnectivityEnabled, deviceEnabled);
        // Weights are not configuration yet: always the documented defaults.
        QCOMPARE(readiness.weights.heartbeat, 30);
        QCOMPARE(readiness.weights.device, 35);
        QCOMPARE(readiness.weights.network, 20);
        QCOMPARE(readiness.weights.reliability, 15);
    }

    void configurationChangesTheVerdict()
    {
        auto load = [](const QString &key, const QString &value) {
            ConfigSources sources;
            sources.environment.insert(key, value);
            return ReadinessConfig::fromConfig(Config::load(sources).value());
        };

        QVERIFY(scoreReadiness(documentedReadyAgent(), ReadinessConfig::fromConfig(Config {}), Now).ready);
        QVERIFY(!scoreReadiness(documentedReadyAgent(), load(u"READINESS_THRESHOLD"_s, u"75"_s), Now).ready);

        const ReadinessResult shortLimit
            = scoreReadiness(heartbeatAgo(60'000), load(u"HEARTBEAT_THRESHOLD"_s, u"50"_s), Now);
        QCOMPARE(gateCodes(shortLimit), QStringList {u"heartbeat_expired"_s});
        QCOMPARE(shortLimit.failedGates.first().reason, u"last heartbeat 60 s ago (limit 50 s)"_s);

        const AgentSnapshot silent = seedAgent([](AgentSnapshot &a) { a.lastHeartbeatMs.reset(); });
        QVERIFY(scoreReadiness(silent, load(u"FEATURE_AGENT_HEARTBEAT"_s, u"false"_s), Now).ready);
    }

    void documentedExamples_data()
    {
        QTest::addColumn<AgentSnapshot>("agent");
        QTest::addColumn<QString>("marker");
        QTest::addColumn<int>("score");
        QTest::addColumn<bool>("ready");

        QTest::newRow("ready agent that lost points") << documentedReadyAgent() << u"example-ready"_s << 72 << true;
        QTest::newRow("perfect score in wrap-up") << documentedWrapUpAgent() << u"example-gate"_s << 100 << false;
    }

    void documentedExamples()
    {
        QFETCH(AgentSnapshot, agent);
        QFETCH(QString, marker);
        QFETCH(int, score);
        QFETCH(bool, ready);

        const ReadinessConfig config;
        const ReadinessResult result = scoreReadiness(agent, config, Now);
        QCOMPARE(result.score, score);
        QCOMPARE(result.ready, ready);

        QFile file(QStringLiteral(HEARTLINE_DOCS_DIR "/readiness.md"));
        QVERIFY2(file.open(QIODevice::ReadOnly | QIODevice::Text), qPrintable(file.fileName()));
        const QString documented = documentedBlock(QString::fromUtf8(file.readAll()), marker);
        QVERIFY2(!documented.isEmpty(), qPrintable(u"no %1 block in docs/readiness.md"_s.arg(marker)));
        QCOMPARE(documented, markdownOf(result, config.threshold));
    }
};

QTEST_APPLESS_MAIN(TestReadiness)
#include "tst_readiness.moc"
