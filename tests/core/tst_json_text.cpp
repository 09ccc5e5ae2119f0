// The one JSON reader every body and message goes through: a key named twice in one object is
// refused with its path (QJsonDocument alone would keep the last), at any depth, after unescaping,
// and nothing that merely looks like a repeat (equal keys in different objects, keys inside
// strings) is.

#include <QTest>

#include "protocol/JsonReader.h"
#include "protocol/JsonText.h"

using namespace heartline;
using namespace Qt::StringLiterals;

class TestJsonText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void repeatedKeysAreFound_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::newRow("the issue's example") << QByteArray(R"({"agentId":"bob","agentId":"alice"})") << u"agentId"_s;
        QTest::newRow("same value twice") << QByteArray(R"({"a":1,"b":2,"a":1})") << u"a"_s;
        QTest::newRow("nested object") << QByteArray(
            R"({"agentId":"a","devices":{"audioInput":true,"audioInput":false}})")
                                       << u"devices.audioInput"_s;
        QTest::newRow("object in an array")
            << QByteArray(R"({"agents":[{"id":"a"},{"id":"b"},{"id":"c","id":"d"}]})") << u"agents[2].id"_s;
        QTest::newRow("arrays in arrays") << QByteArray(R"({"x":[[1,2],[{"k":1,"k":2}]]})") << u"x[1][0].k"_s;
        QTest::newRow("escaped repeat") << QByteArray(R"({"agentId":"bob","agent\u0049d":"alice"})") << u"agentId"_s;
        QTest::newRow("escaped slash") << QByteArray(R"({"a/b":1,"a\/b":2})") << u"a/b"_s;
        QTest::newRow("non-ASCII, escaped and not")
            << QByteArray("{\"caf\xc3\xa9\":1,\"caf\\u00e9\":2}") << QString::fromUtf8("caf\xc3\xa9");
        QTest::newRow("surrogate pair") << QByteArray("{\"\xf0\x9f\x93\x9e\":1,\"\\ud83d\\udcde\":2}")
                                        << QString::fromUtf8("\xf0\x9f\x93\x9e");
        QTest::newRow("empty key") << QByteArray(R"({"":1,"":2})") << QString();
        QTest::newRow("after a nested object closes") << QByteArray(R"({"a":{"b":1},"c":[1,{"d":2}],"a":3})") << u"a"_s;
        QTest::newRow("whitespace everywhere") << QByteArray(" {\n \"a\" : 1 ,\n \"a\" : 2\n } ") << u"a"_s;
        QTest::newRow("the first repeat in the text") << QByteArray(R"({"z":1,"b":1,"z":2,"b":2})") << u"z"_s;
        QByteArray large = "{";
        for (int i = 0; i < 2000; ++i)
            large += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ',';
        QTest::newRow("large object") << large + "\"k1234\":0}" << u"k1234"_s;
        QTest::newRow("large object, two repeats") << large + "\"k1999\":0,\"k5\":0}" << u"k1999"_s;
    }
    void repeatedKeysAreFound()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QCOMPARE(findDuplicateKey(json), std::optional<QString>(path));
        const auto parsed = parseJsonObject(json);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, JsonProblem::DuplicateKey.toString());
        QCOMPARE(parsed.error().field, path);
        QVERIFY2(parsed.error().message.contains(path), qPrintable(parsed.error().message));
    }

    void distinctKeysPass_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("flat") << QByteArray(R"({"agentId":"a","deviceConnected":true,"currentStatus":"away"})");
        QTest::newRow("same key in sibling objects") << QByteArray(R"({"a":{"id":1},"b":{"id":2}})");
        QTest::newRow("same key nested in itself") << QByteArray(R"({"id":{"id":{"id":1}}})");
        QTest::newRow("same key in array elements") << QByteArray(R"({"agents":[{"id":"a"},{"id":"b"}]})");
        // Plain literals where a backslash is involved: moc misreads raw strings holding \" or \).
        QTest::newRow("key text inside values")
            << QByteArray("{\"a\":\"\\\"a\\\":1\",\"b\":[\"a\",\"a\"],\"c\":\"{\\\"a\\\":2}\"}");
        QTest::newRow("escaped quote in a key") << QByteArray("{\"a\\\"\":1,\"a\":2}");
        QTest::newRow("case differs") << QByteArray(R"({"agentId":1,"agentid":2})");
        QTest::newRow("a key that is a prefix") << QByteArray(R"({"a":1,"ab":2,"abc":3})");
        QTest::newRow("lone surrogates differ") << QByteArray(R"({"\ud800":1,"\ud801":2})");
        QTest::newRow("empty object") << QByteArray("{}");
    }
    void distinctKeysPass()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(findDuplicateKey(json), std::nullopt);
        QVERIFY(parseJsonObject(json).ok());
    }

    void malformedTextIsStillMalformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not JSON") << QByteArray("{\"a\":");
        QTest::newRow("array") << QByteArray(R"([{"a":1,"a":2}])");
        QTest::newRow("repeat after garbage") << QByteArray(R"({"a":1,"a":2} x)");
    }
    void malformedTextIsStillMalformed()
    {
        QFETCH(QByteArray, json);
        const auto parsed = parseJsonObject(json);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, JsonProblem::MalformedJson.toString());
    }

    void brokenTextNeverCrashesTheScan_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("unterminated key") << QByteArray("{\"a\":1,\"a");
        QTest::newRow("unterminated escape") << QByteArray("{\"a\\");
        QTest::newRow("short unicode escape") << QByteArray("{\"\\u12\":1,\"\\u12\":2}");
        QTest::newRow("closers only") << QByteArray("}}]]");
        QTest::newRow("openers only") << QByteArray("{[{[");
    }
    void brokenTextNeverCrashesTheScan()
    {
        QFETCH(QByteArray, json);
        (void)findDuplicateKey(json);
        QVERIFY(!parseJsonObject(json));
    }
};

QTEST_APPLESS_MAIN(TestJsonText)
#include "tst_json_text.moc"
