#pragma once

#include <array>
#include <optional>

#include <QString>
#include <QStringView>
#include <QtGlobal>

#include "protocol/SupervisorProtocol.h"

namespace heartline {

/// The kinds of connectivity problem the server tracks per logged-in agent. The wire and database
/// names (see toString) are stable: supervisors, stored rows and metrics labels key on them.
enum class ConnectivityIssueKind {
    HeadsetUnplugged,   ///< "headset_unplugged": the app reports no audio input or no audio output
    DeviceDisconnected, ///< "device_disconnected": the seed's deviceConnected is false
    VoiceUnregistered,  ///< "voice_unregistered": the voice endpoint is not registered, calls cannot ring
    StaleHeartbeat,     ///< "stale_heartbeat": the heartbeat expired (activity stale)
    HighRtt,            ///< "high_rtt": the worse of client and WebSocket ping round trip >= the bad bound
    Disconnected,       ///< "disconnected": the agent's WebSocket dropped while logged in
};

inline constexpr int ConnectivityIssueKindCount = 6;

/// Every kind, in the order above (for tables that list each kind, zero or not).
inline constexpr std::array<ConnectivityIssueKind, ConnectivityIssueKindCount> allConnectivityIssueKinds {
    ConnectivityIssueKind::HeadsetUnplugged,  ConnectivityIssueKind::DeviceDisconnected,
    ConnectivityIssueKind::VoiceUnregistered, ConnectivityIssueKind::StaleHeartbeat,
    ConnectivityIssueKind::HighRtt,           ConnectivityIssueKind::Disconnected,
};

[[nodiscard]] QString toString(ConnectivityIssueKind kind);
[[nodiscard]] std::optional<ConnectivityIssueKind> connectivityIssueKindFromString(QStringView text);

/// One row of connectivity_issues: a problem from when it started until it ended (open while
/// closedAtMs is empty).
struct ConnectivityIssue
{
    qint64 id = 0;
    QString agentId;
    ConnectivityIssueKind kind = ConnectivityIssueKind::Disconnected;
    qint64 openedAtMs = 0;
    std::optional<qint64> closedAtMs;
    QString detail; ///< plain words, as of the start: "headset or microphone not found"

    friend bool operator==(const ConnectivityIssue &, const ConnectivityIssue &) = default;
};

/// The issue as supervisors receive it in `connectivityIssues`.
[[nodiscard]] ConnectivityIssueView toView(const ConnectivityIssue &issue);

} // namespace heartline
