#pragma once

namespace heartline {

class Config;

// The weights, device deductions and network bounds below are the only place these numbers are
// defined. They are not configuration keys yet: change them here, and docs/readiness.md with them
// (tst_readiness checks the documented example against the code).

/// Points each factor is worth. They must add up to 100 so a perfect agent scores exactly 100.
struct ReadinessWeights
{
    int heartbeat = 30;
    int device = 35;
    int network = 20;
    int reliability = 15;

    [[nodiscard]] constexpr int total() const { return heartbeat + device + network + reliability; }
};
static_assert(ReadinessWeights {}.total() == 100, "readiness weights must add up to 100");

/// Points the device factor loses for each problem the agent app reports (never below 0).
struct DeviceDeductions
{
    int noAudioInput = 15;
    int noAudioOutput = 10;
    // A voice line that is not registered is a gate (voice_not_registered), not a deduction.
};

/// Round trip and packet loss: at or below "good" earns full points, at or above "bad" earns none,
/// linear in between. The network factor uses the worse of the two.
struct NetworkBounds
{
    double rttGoodMs = 150;
    double rttBadMs = 600;
    double lossGoodPercent = 1;
    double lossBadPercent = 5;
};

/// Everything scoring needs besides the agent. Cheap to copy; build it once per configuration load.
struct ReadinessConfig
{
    int threshold = 70; ///< READINESS_THRESHOLD: lowest score at which an agent that passes every gate is ready
    int heartbeatIntervalSeconds = 30;      ///< AGENT_HEARTBEAT_INTERVAL
    double heartbeatThresholdSeconds = 75;  ///< HEARTBEAT_THRESHOLD: older heartbeats fail the gate
    double heartbeatFullPointsFactor = 1.2; ///< heartbeats up to this many intervals old earn full points
    bool heartbeatEnabled = true;           ///< FEATURE_AGENT_HEARTBEAT
    bool deviceConnectivityEnabled = true;  ///< FEATURE_DEVICE_CONNECTIVITY: device and network factors

    ReadinessWeights weights;
    DeviceDeductions deductions;
    NetworkBounds network;

    /// Reads READINESS_THRESHOLD, AGENT_HEARTBEAT_INTERVAL, HEARTBEAT_THRESHOLD (already derived as
    /// 2.5 x interval by Config when not set), FEATURE_AGENT_HEARTBEAT and FEATURE_DEVICE_CONNECTIVITY.
    [[nodiscard]] static ReadinessConfig fromConfig(const Config &config);
};

} // namespace heartline
