#include "agents/AgentInputs.h"

namespace heartline {

DeviceReport deviceReport(const DeviceState &devices)
{
    return DeviceReport {devices.audioInput, devices.audioOutput, devices.voiceRegistered, devices.networkRttMs,
                         devices.packetLossPercent};
}

DeviceDetails deviceDetails(const DeviceState &devices)
{
    return DeviceDetails {devices.audioInputName.value_or(QString()), devices.audioOutputName.value_or(QString()),
                          devices.networkType.value_or(QString()), devices.callQuality, devices.voiceLine};
}

PresenceReport presenceReport(const DeviceState &devices)
{
    return PresenceReport {devices.presence, devices.idleSeconds};
}

namespace {

template <typename Message> HeartbeatInput inputFrom(const Message &message)
{
    HeartbeatInput input;
    input.status = message.currentStatus;
    input.deviceConnected = message.deviceConnected;
    input.awayReason = message.awayReason.value_or(QString());
    if (message.devices) {
        input.devices = deviceReport(*message.devices);
        input.deviceDetails = deviceDetails(*message.devices);
        input.presence = presenceReport(*message.devices);
    }
    return input;
}

} // namespace

HeartbeatInput heartbeatInput(const HttpHeartbeat &heartbeat)
{
    return inputFrom(heartbeat);
}

HeartbeatInput heartbeatInput(const AgentHeartbeat &heartbeat)
{
    return inputFrom(heartbeat);
}

} // namespace heartline
