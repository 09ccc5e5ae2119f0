#pragma once

#include <QString>

namespace heartline {

/// The app's look: light, low contrast outside what needs attention, one accent per meaning
/// (green ready, amber away or degraded, red not reachable). An agent looks at it all day.
[[nodiscard]] QString agentStyleSheet();

} // namespace heartline
