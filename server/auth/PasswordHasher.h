#pragma once

#include <QByteArray>
#include <QString>

namespace heartline {

/// A stored password: PBKDF2-SHA256 of the UTF-8 password with a per-user random salt and the
/// iteration count it was made with.
struct PasswordHash
{
    QByteArray hash;
    QByteArray salt;
    int iterations = 0;
};

/// PBKDF2-SHA256 through QPasswordDigestor.
class PasswordHasher final
{
public:
    static constexpr qsizetype SaltBytes = 16;
    static constexpr qsizetype HashBytes = 32;

    /// A fresh random salt every time, so equal passwords never share a hash.
    [[nodiscard]] static PasswordHash hash(const QString &password, int iterations);
    /// Recomputes with the stored salt and iterations; compares in constant time.
    [[nodiscard]] static bool verify(const QString &password, const PasswordHash &stored);
};

} // namespace heartline
