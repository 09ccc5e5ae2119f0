#pragma once

#include <QByteArrayView>

namespace heartline {

/// The value of one hexadecimal digit (either case), or -1 for any other character.
[[nodiscard]] constexpr int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// The UTF-16 unit written as four hex digits at `at` (a JSON \\u escape's), or -1.
[[nodiscard]] inline int hexUnitAt(QByteArrayView text, qsizetype at)
{
    if (at < 0 || at + 4 > text.size())
        return -1;
    int unit = 0;
    for (qsizetype i = at; i < at + 4; ++i) {
        const int digit = hexDigitValue(text[i]);
        if (digit < 0)
            return -1;
        unit = unit * 16 + digit;
    }
    return unit;
}

} // namespace heartline
