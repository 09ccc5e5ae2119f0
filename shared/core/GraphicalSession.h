#pragma once

#include <QString>

namespace heartline {

/// Why a Qt Widgets app could not open its windows in this environment, in words for the person
/// who started it; empty when it can. Qt aborts (SIGABRT) when it finds no display, so the desktop
/// apps ask first and exit with this message instead. Only environment variables are read.
[[nodiscard]] QString missingDisplayReason();

/// QCommandLineParser::helpText() for `program`: read before any QCoreApplication exists (so that
/// --help prints without a display), the parser does not know the program's name and writes
/// "<executable_name>" in the usage line.
[[nodiscard]] QString helpTextOf(const QString &helpText, const QString &program);

} // namespace heartline
