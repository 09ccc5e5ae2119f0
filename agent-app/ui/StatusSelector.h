#pragma once

#include <QComboBox>

#include "core/AgentState.h"

namespace heartline {

/// The status menu: Available, Away with a reason, Offline. Only the agent's own choices are
/// reported (statusRequested); what the server says is shown with showStatus without echoing back.
class StatusSelector final : public QComboBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusSelector)

public:
    explicit StatusSelector(QWidget *parent = nullptr);

    /// Selects the entry for this status and reason, adding one for a reason not in the menu
    /// (a supervisor's "coaching", the server's "no-answer").
    void showStatus(AgentStatus status, const QString &reason);
    /// Selects the entry as if the agent had picked it (tests, the tray menu).
    void choose(AgentStatus status, const QString &reason = {});

Q_SIGNALS:
    void statusRequested(heartline::AgentStatus status, const QString &reason);

private:
    int indexOf(AgentStatus status, const QString &reason) const;
    int ensureEntry(AgentStatus status, const QString &reason);
};

} // namespace heartline
