// The sip object an agent app reads from its login answer (parsed strictly, as the app parses it)
// and the passwords the server draws for it (Twilio's rules, random, never repeated).

#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include "protocol/SipCredentials.h"
#include "sip/SipPassword.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

} // namespace

class TestSipAccount final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readyAccountsRoundTrip()
    {
        SipCredentials account;
        account.status = SipCredentials::Status::Ready;
        account.username = u"alice"_s;
        account.password = u"Zx81Zx81Zx81Zx81Zx81Zx81"_s;
        account.domain = u"example.sip.twilio.com"_s;
        account.registrar = u"example.sip.ashburn.twilio.com"_s;
        account.transport = u"tls"_s;
        account.secureMedia = true;
        const QJsonObject written = toJson(account);
        QCOMPARE(written.value(u"status"_s).toString(), u"ready"_s);
        QVERIFY(!written.contains(u"reason"_s));
        const auto read = parseSipCredentials(written);
        QVERIFY(read);
        QCOMPARE(read.value(), account);
    }

    void unavailableAccountsCarryTheReasonNotAPassword()
    {
        SipCredentials account;
        account.status = SipCredentials::Status::Unavailable;
        account.reason = u"Twilio did not confirm the new SIP password within 5 s"_s;
        account.retryAfterSeconds = 10;
        account.domain = u"example.sip.twilio.com"_s;
        account.registrar = u"example.sip.ashburn.twilio.com"_s;
        account.transport = u"tls"_s;
        const QJsonObject written = toJson(account);
        QVERIFY(!written.contains(u"password"_s));
        QVERIFY(!written.contains(u"username"_s));
        const auto read = parseSipCredentials(written);
        QVERIFY(read);
        QCOMPARE(read.value(), account);
    }

    void malformedAccountsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        const QByteArray rest = R"("domain":"d.example","registrar":"r.example","transport":"tls","secureMedia":true)";
        QTest::newRow("ready without password")
            << R"({"status":"ready","username":"alice",)" + rest + "}" << u"missing_field"_s << u"password"_s;
        QTest::newRow("unavailable without reason")
            << R"({"status":"unavailable",)" + rest + "}" << u"missing_field"_s << u"reason"_s;
        QTest::newRow("unknown status") << R"({"status":"maybe",)" + rest + "}" << u"invalid_value"_s << u"status"_s;
        QTest::newRow("secureMedia as text")
            << QByteArray(R"({"status":"unavailable","reason":"x","domain":"d","registrar":"r","transport":"tls",)"
                          R"("secureMedia":"true"})")
            << u"wrong_type"_s << u"secureMedia"_s;
        QTest::newRow("negative retry") << R"({"status":"unavailable","reason":"x","retryAfterSeconds":-1,)" + rest
                + "}" << u"invalid_value"_s
                                        << u"retryAfterSeconds"_s;
    }
    void malformedAccountsAreRefused()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const auto read = parseSipCredentials(json(text.constData()));
        QVERIFY(!read);
        QCOMPARE(read.error().code, code);
        QCOMPARE(read.error().field, field);
    }

    void passwordsMeetTwilioRulesAndNeverRepeat()
    {
        QSet<QString> seen;
        for (int i = 0; i < 2000; ++i) {
            const QString password = generateSipPassword();
            QCOMPARE(password.size(), 24);
            QVERIFY2(meetsTwilioPasswordRules(password), qPrintable(password));
            for (QChar c : password)
                QVERIFY2(c.isLetterOrNumber() && c.unicode() < 128, qPrintable(password));
            seen.insert(password);
        }
        QCOMPARE(seen.size(), 2000);
    }

    void twilioRules_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("Twilio's example") << u"IWasAtSignal2018"_s << true;
        QTest::newRow("11 characters") << u"IWasAtSig18"_s << false;
        QTest::newRow("no digit") << u"IWasAtSignalTwo"_s << false;
        QTest::newRow("no upper case") << u"iwasatsignal2018"_s << false;
        QTest::newRow("no lower case") << u"IWASATSIGNAL2018"_s << false;
    }
    void twilioRules()
    {
        QFETCH(QString, password);
        QFETCH(bool, accepted);
        QCOMPARE(meetsTwilioPasswordRules(password), accepted);
    }
};

QTEST_APPLESS_MAIN(TestSipAccount)
#include "tst_sip_credentials_json.moc"
