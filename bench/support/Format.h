#pragma once

// Text output of the benchmark programs: durations in the unit that reads best, and table cells
// aligned by characters (printf's widths count bytes, and "µ" is two of them).

#include <cstdio>

#include <QString>

namespace heartline::bench {

/// 131 → "131 µs", 2580 → "2.58 ms", 4.2 → "4.2 µs", 16484180 → "16.48 s".
inline QString formatDuration(double microseconds)
{
    if (microseconds >= 1'000'000)
        return QString::number(microseconds / 1'000'000, 'f', 2) + QStringLiteral(" s");
    if (microseconds >= 1000)
        return QString::number(microseconds / 1000, 'f', 2) + QStringLiteral(" ms");
    return QString::number(microseconds, 'f', microseconds < 10 ? 1 : 0) + QStringLiteral(" µs");
}

/// The text right-aligned in `width` characters (never cut).
inline QString cell(const QString &text, int width)
{
    return text.rightJustified(width);
}

inline void printLine(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
}

} // namespace heartline::bench
