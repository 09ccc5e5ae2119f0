#pragma once

#include <QCoreApplication>
#include <QString>

#include "calls/CallSession.h"
#include "connection/ServerSession.h"
#include "core/AgentState.h"

namespace heartline {

/// The words the app shows for statuses, away reasons and the connection, in one place so the
/// window, the tray and the device check say the same thing.
class StatusText final
{
    Q_DECLARE_TR_FUNCTIONS(StatusText)

public:
    /// The away reasons offered in the status menus, as wire words ("break", "lunch", ...).
    [[nodiscard]] static QStringList awayReasons();
    /// "Break", "Lunch", "Missed calls", or the reason itself when it is not a known word.
    [[nodiscard]] static QString reason(const QString &reason);
    /// "Available", "Away", "Offline".
    [[nodiscard]] static QString status(AgentStatus status);
    /// "Away · Lunch" (or just the status).
    [[nodiscard]] static QString statusWithReason(AgentStatus status, const QString &reason);
    /// "Connected", "Reconnecting in 4 s…", "Connected in basic mode", ...
    [[nodiscard]] static QString connection(ConnectionState state, int reconnectInSeconds);
    /// "mm:ss", or "h:mm:ss" past an hour.
    [[nodiscard]] static QString duration(qint64 seconds);
    /// A server reason ("status is away (lunch)") as a sentence: first letter up.
    [[nodiscard]] static QString sentence(const QString &text);
};

} // namespace heartline
