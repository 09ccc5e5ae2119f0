// PBKDF2 password hashes: verify what was hashed, nothing else, with the stored salt and count.

#include <QTest>

#include "auth/Crypto.h"
#include "auth/PasswordHasher.h"

using namespace heartline;
using namespace Qt::StringLiterals;

class TestPasswordHasher final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verifiesTheRightPasswordOnly()
    {
        const PasswordHash stored = PasswordHasher::hash(u"correct horse"_s, 1000);
        QCOMPARE(stored.iterations, 1000);
        QCOMPARE(stored.salt.size(), PasswordHasher::SaltBytes);
        QCOMPARE(stored.hash.size(), PasswordHasher::HashBytes);
        QVERIFY(PasswordHasher::verify(u"correct horse"_s, stored));
        for (const auto &wrong : {u"correct horse "_s, u"Correct horse"_s, u""_s, u"correct hors"_s})
            QVERIFY2(!PasswordHasher::verify(wrong, stored), qPrintable(wrong));
    }

    void nonAsciiPasswordsRoundTrip()
    {
        const PasswordHash stored = PasswordHasher::hash(u"pässwörd ✓"_s, 1000);
        QVERIFY(PasswordHasher::verify(u"pässwörd ✓"_s, stored));
        QVERIFY(!PasswordHasher::verify(u"passwort ✓"_s, stored));
    }

    void equalPasswordsGetDifferentSaltsAndHashes()
    {
        const PasswordHash a = PasswordHasher::hash(u"same"_s, 1000);
        const PasswordHash b = PasswordHasher::hash(u"same"_s, 1000);
        QVERIFY(a.salt != b.salt);
        QVERIFY(a.hash != b.hash);
    }

    void matchesTheStandardPbkdf2()
    {
        // RFC 7914 section 11 test vector for PBKDF2-HMAC-SHA256 ("passwd", "salt", c = 1).
        PasswordHash stored;
        stored.salt = "salt";
        stored.iterations = 1;
        stored.hash = QByteArray::fromHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        QVERIFY(PasswordHasher::verify(u"passwd"_s, stored));
    }

    void theStoredIterationCountIsUsed()
    {
        PasswordHash stored = PasswordHasher::hash(u"secret"_s, 1000);
        stored.iterations = 1001;
        QVERIFY(!PasswordHasher::verify(u"secret"_s, stored));
    }

    void refusesDamagedRecords()
    {
        const PasswordHash good = PasswordHasher::hash(u"secret"_s, 1000);
        PasswordHash noSalt = good;
        noSalt.salt.clear();
        PasswordHash noIterations = good;
        noIterations.iterations = 0;
        PasswordHash flipped = good;
        flipped.hash[0] = char(flipped.hash[0] ^ 1);
        for (const PasswordHash &bad : {noSalt, noIterations, flipped})
            QVERIFY(!PasswordHasher::verify(u"secret"_s, bad));
    }

    void constantTimeEqualsComparesContentAndSize()
    {
        QVERIFY(constantTimeEquals("abc", "abc"));
        QVERIFY(!constantTimeEquals("abc", "abd"));
        QVERIFY(!constantTimeEquals("abc", "ab"));
        QVERIFY(constantTimeEquals("", ""));
    }
};

QTEST_APPLESS_MAIN(TestPasswordHasher)
#include "tst_password_hasher.moc"
