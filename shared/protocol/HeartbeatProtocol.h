#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include "core/AgentState.h"
#include "core/Result.h"
#include "protocol/ProtocolTypes.h"
#include "readiness/ReadinessResult.h"

// The seed's HTTP heartbeat, POST /api/agent-heartbeat, for clients without a WebSocket.

namespace heartline {

/// The request body. The seed sends exactly {agentId, deviceConnected, currentStatus}; the rest is
/// optional. There is no "type": one is accepted and ignored when a client sends it anyway.
struct HttpHeartbeat
{
    QString agentId; ///< 1..128 characters
    bool deviceConnected = false;
    AgentStatus currentStatus = AgentStatus::Offline;
    std::optional<QString> awayReason;
    std::optional<DeviceState> devices;

    friend bool operator==(const HttpHeartbeat &, const HttpHeartbeat &) = default;
};

/// The response body.
struct HttpHeartbeatReply
{
    ReadinessResult readiness;
    int heartbeatIntervalSeconds = 30; ///< when to send the next heartbeat, 1..3600
    AgentStatus status = AgentStatus::Offline;
    AgentActivity activity = AgentActivity::Idle;
    qint64 serverTimeMs = 0;

    friend bool operator==(const HttpHeartbeatReply &, const HttpHeartbeatReply &) = default;
};

[[nodiscard]] Result<HttpHeartbeat> parseHttpHeartbeat(QByteArrayView raw);
[[nodiscard]] Result<HttpHeartbeatReply> parseHttpHeartbeatReply(QByteArrayView raw);

/// With "v" but without "type", as the seed's body has none.
[[nodiscard]] QJsonObject toJson(const HttpHeartbeat &body);
[[nodiscard]] QJsonObject toJson(const HttpHeartbeatReply &body);
[[nodiscard]] QByteArray serialize(const HttpHeartbeat &body);
[[nodiscard]] QByteArray serialize(const HttpHeartbeatReply &body);

} // namespace heartline
