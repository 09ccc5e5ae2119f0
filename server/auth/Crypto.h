#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace heartline {

/// Bytes from the operating system's cryptographic generator (QRandomGenerator::system()).
[[nodiscard]] QByteArray secureRandomBytes(qsizetype count);

/// Compares without an early exit, so the time taken does not reveal where two secrets differ.
/// Sizes are not secret (hashes have a fixed size).
[[nodiscard]] bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

[[nodiscard]] QByteArray sha256(QByteArrayView data);

} // namespace heartline
