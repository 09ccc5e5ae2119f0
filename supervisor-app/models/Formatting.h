#pragma once

#include <optional>

#include <QCoreApplication>
#include <QString>

#include "core/AgentState.h"

namespace heartline {

/// The words and figures the dashboard shows, translated: statuses, activities, durations, paths.
class Formatting final
{
    Q_DECLARE_TR_FUNCTIONS(Formatting)

public:
    /// "Available", "Away (lunch)", "Offline".
    [[nodiscard]] static QString status(AgentStatus status, const std::optional<QString> &awayReason = {});
    /// "Idle", "On call", "Wrap-up", ...
    [[nodiscard]] static QString activity(AgentActivity activity);
    /// "WebSocket", "HTTP only", "Not connected".
    [[nodiscard]] static QString connection(ConnectionKind kind);
    /// "4 s", "2 min 05 s", "1 h 03 min"; negative durations (clock skew) read as 0 s.
    [[nodiscard]] static QString duration(qint64 ms);
    /// The age of a timestamp at `nowMs`, or "never".
    [[nodiscard]] static QString age(std::optional<qint64> atMs, qint64 nowMs);
    /// "42 ms".
    [[nodiscard]] static QString milliseconds(double ms);
    /// "87 %" of a 0-1 rate, or "–" when there is none.
    [[nodiscard]] static QString rate(std::optional<double> rate);
    /// "Enhanced", "Fallback", "Legacy", "Queued", "No agent" for a routing path word.
    [[nodiscard]] static QString routingPath(const QString &path);
    /// "Headset unplugged", ... for a connectivity issue kind.
    [[nodiscard]] static QString issueKind(const QString &kind);
    /// "Heartbeat", "Device", ... for a readiness factor name.
    [[nodiscard]] static QString factorName(const QString &name);
    /// Local date and time of a timestamp, "14:03:07" today or "2 Jan 14:03" otherwise.
    [[nodiscard]] static QString timestamp(qint64 ms, qint64 nowMs);
    /// What the dashboard shows for a value that is not known.
    [[nodiscard]] static QString none() { return QStringLiteral("–"); }
};

} // namespace heartline
