#include <QTest>

#include "twilio/FormParams.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

/// Pairs written flat as name, value, name, value… so that tables can hold them.
FormParams fromFlat(const QStringList &flat)
{
    FormParams params;
    for (qsizetype i = 0; i + 1 < flat.size(); i += 2)
        params.append(flat[i], flat[i + 1]);
    return params;
}

QStringList toFlat(const FormParams &params)
{
    QStringList flat;
    for (const auto &[name, value] : params.pairs())
        flat << name << value;
    return flat;
}

} // namespace

class TestTwilioForm final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("pairs");
        QTest::newRow("empty body") << QByteArray() << QStringList();
        QTest::newRow("webhook") << "CallSid=CA123&From=%2B14158675309&To=client%3Aalice"_ba
                                 << QStringList {u"CallSid"_s,      u"CA123"_s, u"From"_s,
                                                 u"+14158675309"_s, u"To"_s,    u"client:alice"_s};
        QTest::newRow("plus is space") << "CallerName=Ada+Lovelace"_ba
                                       << QStringList {u"CallerName"_s, u"Ada Lovelace"_s};
        QTest::newRow("%20 is space") << "CallerName=Ada%20Lovelace"_ba
                                      << QStringList {u"CallerName"_s, u"Ada Lovelace"_s};
        QTest::newRow("%2B is plus") << "From=%2B1"_ba << QStringList {u"From"_s, u"+1"_s};
        QTest::newRow("repeated names kept in order")
            << "a=2&b=x&a=1"_ba << QStringList {u"a"_s, u"2"_s, u"b"_s, u"x"_s, u"a"_s, u"1"_s};
        QTest::newRow("empty value") << "Digits="_ba << QStringList {u"Digits"_s, QString()};
        QTest::newRow("name without =") << "flag"_ba << QStringList {u"flag"_s, QString()};
        QTest::newRow("= inside value") << "q=a=b"_ba << QStringList {u"q"_s, u"a=b"_s};
        QTest::newRow("empty segments skipped") << "&&a=1&&"_ba << QStringList {u"a"_s, u"1"_s};
        QTest::newRow("utf-8 upper hex") << "n=Jos%C3%A9"_ba << QStringList {u"n"_s, u"José"_s};
        QTest::newRow("utf-8 lower hex") << "n=Jos%c3%a9"_ba << QStringList {u"n"_s, u"José"_s};
        QTest::newRow("raw utf-8") << "n=Jos\xc3\xa9"_ba << QStringList {u"n"_s, u"José"_s};
        QTest::newRow("encoded name") << "%41b=1"_ba << QStringList {u"Ab"_s, u"1"_s};
        QTest::newRow("encoded & and =") << "t=a%26b%3Dc"_ba << QStringList {u"t"_s, u"a&b=c"_s};
        QTest::newRow("emoji") << "m=%F0%9F%98%80"_ba << QStringList {u"m"_s, u"\U0001F600"_s};
    }
    void parse()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, pairs);
        const Result<FormParams> parsed = FormParams::parse(body);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(toFlat(parsed.value()), pairs);
    }

    void rejected_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::newRow("lone %") << "a=%"_ba << u"form_bad_escape"_s << u"a"_s;
        QTest::newRow("one hex digit") << "a=%4"_ba << u"form_bad_escape"_s << u"a"_s;
        QTest::newRow("one hex digit mid-value") << "a=%4x&b=1"_ba << u"form_bad_escape"_s << u"a"_s;
        QTest::newRow("not hex") << "b=1&a=%zz"_ba << u"form_bad_escape"_s << u"a"_s;
        QTest::newRow("bad escape in name") << "%G1=1"_ba << u"form_bad_escape"_s << u"%G1"_s;
        QTest::newRow("not utf-8") << "a=%FF"_ba << u"form_bad_utf8"_s << u"a"_s;
        QTest::newRow("truncated utf-8") << "a=%C3"_ba << u"form_bad_utf8"_s << u"a"_s;
        QTest::newRow("overlong utf-8") << "a=%C0%AF"_ba << u"form_bad_utf8"_s << u"a"_s;
    }
    void rejected()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const Result<FormParams> parsed = FormParams::parse(body);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, code);
        QCOMPARE(parsed.error().field, field);
        QVERIFY(!parsed.error().message.isEmpty());
    }

    void encode_data()
    {
        QTest::addColumn<QStringList>("pairs");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("nothing") << QStringList() << QByteArray();
        QTest::newRow("space as +") << QStringList {u"Say"_s, u"hello world"_s} << "Say=hello+world"_ba;
        QTest::newRow("plus encoded") << QStringList {u"To"_s, u"+18005551212"_s} << "To=%2B18005551212"_ba;
        QTest::newRow("unreserved kept") << QStringList {u"k"_s, u"AZaz09-._~"_s} << "k=AZaz09-._~"_ba;
        QTest::newRow("reserved encoded")
            << QStringList {u"Url"_s, u"https://h/p?a=1&b=*"_s} << "Url=https%3A%2F%2Fh%2Fp%3Fa%3D1%26b%3D%2A"_ba;
        QTest::newRow("utf-8 upper hex") << QStringList {u"n"_s, u"José"_s} << "n=Jos%C3%A9"_ba;
        QTest::newRow("order and repeats kept")
            << QStringList {u"b"_s, u"1"_s, u"a"_s, u"2"_s, u"b"_s, u"0"_s} << "b=1&a=2&b=0"_ba;
        QTest::newRow("empty value") << QStringList {u"Digits"_s, QString()} << "Digits="_ba;
        QTest::newRow("name encoded too") << QStringList {u"StartTime>"_s, u"2026"_s} << "StartTime%3E=2026"_ba;
    }
    void encode()
    {
        QFETCH(QStringList, pairs);
        QFETCH(QByteArray, encoded);
        QCOMPARE(fromFlat(pairs).encode(), encoded);
    }

    void roundTrip_data()
    {
        QTest::addColumn<QStringList>("pairs");
        QString printable;
        for (char16_t c = 0x20; c < 0x7f; ++c)
            printable.append(QChar(c));
        QTest::newRow("every printable ascii") << QStringList {printable, printable};
        QTest::newRow("control characters") << QStringList {u"t"_s, u"a\tb\r\nc"_s};
        QTest::newRow("unicode") << QStringList {u"Grüße"_s, u"日本語 \U0001F4DE"_s};
        QTest::newRow("repeats and empties")
            << QStringList {u"a"_s, QString(), u"a"_s, u"x y"_s, u"b"_s, u"%41"_s, u"a"_s, u"+"_s};
    }
    void roundTrip()
    {
        QFETCH(QStringList, pairs);
        const FormParams params = fromFlat(pairs);
        const Result<FormParams> parsed = FormParams::parse(params.encode());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.value(), params);
    }

    void accessors()
    {
        const Result<FormParams> parsed = FormParams::parse("To=client%3Aalice&Skill=fr&Skill=en&Empty="_ba);
        QVERIFY(parsed.ok());
        const FormParams &params = parsed.value();
        QCOMPARE(params.size(), 4);
        QCOMPARE(params.value(u"To"), u"client:alice"_s);
        QCOMPARE(params.value(u"Skill"), u"fr"_s);
        QCOMPARE(params.values(u"Skill"), (QStringList {u"fr"_s, u"en"_s}));
        QVERIFY(params.contains(u"Empty"));
        QCOMPARE(params.value(u"Empty", u"fallback"_s), QString());
        QVERIFY(!params.contains(u"to")); // names are case-sensitive, as Twilio's are
        QCOMPARE(params.value(u"Missing", u"fallback"_s), u"fallback"_s);
        QVERIFY(params.values(u"Missing").isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestTwilioForm)
#include "tst_twilio_form.moc"
