#include "auth/PasswordHasher.h"

#include <QPasswordDigestor>

#include "auth/Crypto.h"

namespace heartline {

namespace {

QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), salt, iterations,
                                              PasswordHasher::HashBytes);
}

} // namespace

PasswordHash PasswordHasher::hash(const QString &password, int iterations)
{
    PasswordHash result;
    result.salt = secureRandomBytes(SaltBytes);
    result.iterations = iterations;
    result.hash = derive(password, result.salt, iterations);
    return result;
}

bool PasswordHasher::verify(const QString &password, const PasswordHash &stored)
{
    if (stored.iterations <= 0 || stored.salt.isEmpty() || stored.hash.isEmpty())
        return false;
    return constantTimeEquals(derive(password, stored.salt, stored.iterations), stored.hash);
}

} // namespace heartline
