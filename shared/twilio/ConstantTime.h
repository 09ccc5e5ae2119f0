#pragma once

#include <QByteArrayView>

namespace heartline {

/// Compares two secrets-derived byte strings (signatures, MACs) in time that depends only on their
/// lengths, so that an attacker timing the comparison learns nothing about where they first differ.
/// Lengths are not secret (a signature's length is fixed by its algorithm), so unequal lengths
/// return at once.
[[nodiscard]] inline bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace heartline
