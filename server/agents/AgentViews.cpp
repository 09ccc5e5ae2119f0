#include "agents/AgentViews.h"

#include "readiness/ReadinessScorer.h"

namespace heartline {

namespace {

std::optional<QString> nameIfAny(const QString &name)
{
    return name.isEmpty() ? std::nullopt : std::optional<QString>(name);
}

} // namespace

DeviceState deviceState(const DeviceReport &report, const DeviceDetails &details)
{
    DeviceState state;
    state.audioInput = report.audioInput;
    state.audioOutput = report.audioOutput;
    state.audioInputName = nameIfAny(details.audioInputName);
    state.audioOutputName = nameIfAny(details.audioOutputName);
    state.voiceRegistered = report.voiceRegistered;
    state.networkRttMs = report.networkRttMs;
    state.packetLossPercent = report.packetLossPercent;
    state.networkType = nameIfAny(details.networkType);
    state.callQuality = details.callQuality;
    state.voiceLine = details.voiceLine;
    return state;
}

AgentView agentView(const AgentRecord &record, const ReadinessConfig &config, qint64 nowMs)
{
    const AgentSnapshot &snapshot = record.snapshot;
    AgentView view;
    view.agentId = record.profile.agentId;
    view.displayName = record.profile.displayName;
    view.status = snapshot.status;
    if (snapshot.status == AgentStatus::Away && !snapshot.awayReason.isEmpty())
        view.awayReason = snapshot.awayReason;
    view.activity = record.activity;
    view.loggedIn = snapshot.sessionActive;
    view.connection = snapshot.connection;
    view.readiness = scoreReadiness(snapshot, config, nowMs);
    view.lastHeartbeatMs = snapshot.lastHeartbeatMs;
    view.devices = deviceState(snapshot.devices, record.deviceDetails);
    view.deviceConnected = snapshot.deviceConnected;
    view.activeCalls = snapshot.activeCalls;
    view.maxConcurrentCalls = record.profile.maxConcurrentCalls;
    view.callsToday = record.callsToday;
    if (snapshot.activeCalls > 0 && record.currentCallStartedMs != 0)
        view.currentCallStartedMs = record.currentCallStartedMs;
    view.wsRttMs = snapshot.wsPingRttMs;
    view.queues = record.profile.skills;
    return view;
}

} // namespace heartline
