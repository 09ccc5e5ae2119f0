#include "readiness/ReadinessConfig.h"

#include "config/Config.h"

namespace heartline {

ReadinessConfig ReadinessConfig::fromConfig(const Config &config)
{
    ReadinessConfig readiness;
    readiness.threshold = config.intValue(ConfigKey::ReadinessThreshold);
    readiness.heartbeatIntervalSeconds = config.intValue(ConfigKey::AgentHeartbeatInterval);
    readiness.heartbeatThresholdSeconds = config.doubleValue(ConfigKey::HeartbeatThreshold);
    readiness.heartbeatEnabled = config.boolValue(ConfigKey::FeatureAgentHeartbeat);
    readiness.deviceConnectivityEnabled = config.boolValue(ConfigKey::FeatureDeviceConnectivity);
    return readiness;
}

} // namespace heartline
