#pragma once

#include <QString>

namespace heartline {

/// Why a Qt Widgets app could not open its windows in this environment, in words for the person
/// who started it; empty when it can. Qt aborts (SIGABRT) when it finds no display, so the desktop
/// apps ask first and exit with this message instead. Only environment variables are read.
[[nodiscard]] QString missingDisplayReason();

} // namespace heartline
