#pragma once

#include <QString>

namespace heartline {

struct FleetReport;

/// Paints legacy against enhanced discovery (error of the availability view, false-available
/// offers, call outcomes, detection latency per fault kind) into a PNG. Needs a QGuiApplication.
bool renderFleetChart(const FleetReport &legacy, const FleetReport &enhanced, const QString &path);

} // namespace heartline
