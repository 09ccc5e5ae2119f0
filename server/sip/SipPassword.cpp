#include "sip/SipPassword.h"

#include <algorithm>

#include "auth/Crypto.h"

namespace heartline {

namespace {

constexpr qsizetype Length = 24;
constexpr char Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr int AlphabetSize = sizeof(Alphabet) - 1; // 62
/// Bytes at or above this would make some characters likelier than others.
constexpr int Unbiased = 256 - 256 % AlphabetSize;

} // namespace

bool meetsTwilioPasswordRules(const QString &password)
{
    const auto has = [&](auto test) {
        return std::any_of(password.cbegin(), password.cend(), test);
    };
    return password.size() >= 12 && has([](QChar c) { return c.isDigit(); }) && has([](QChar c) { return c.isUpper(); })
        && has([](QChar c) { return c.isLower(); });
}

QString generateSipPassword()
{
    // A random draw misses a class now and then (about 1 time in 80); drawing again keeps every
    // password uniformly random among the valid ones.
    for (;;) {
        QString password;
        password.reserve(Length);
        while (password.size() < Length) {
            for (const char byte : secureRandomBytes(Length * 2)) {
                const int value = static_cast<unsigned char>(byte);
                if (value >= Unbiased)
                    continue;
                password += QLatin1Char(Alphabet[value % AlphabetSize]);
                if (password.size() == Length)
                    break;
            }
        }
        if (meetsTwilioPasswordRules(password))
            return password;
    }
}

} // namespace heartline
