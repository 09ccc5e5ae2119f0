#include "auth/Crypto.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace heartline {

QByteArray secureRandomBytes(qsizetype count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator *generator = QRandomGenerator::system();
    for (qsizetype i = 0; i < count; ++i)
        bytes[i] = char(generator->bounded(256));
    return bytes;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

QByteArray sha256(QByteArrayView data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

} // namespace heartline
