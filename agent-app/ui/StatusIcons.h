#pragma once

#include <QIcon>

#include "core/AgentState.h"
#include "devices/DeviceChecks.h"

namespace heartline {

/// The drawn icons (agent-app/resources/icons, made by scripts/draw-agent-resources.py).
class StatusIcons final
{
public:
    [[nodiscard]] static QIcon app();
    [[nodiscard]] static QIcon forStatus(AgentStatus status);
    /// Red: signed in but not connected to the server.
    [[nodiscard]] static QIcon disconnected();
    [[nodiscard]] static QIcon forCheck(CheckState state);
};

} // namespace heartline
