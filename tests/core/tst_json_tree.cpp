// Every message and body is read from its bytes by JsonTree instead of QJsonDocument. What a client
// notices must not change: the same texts accepted, the same values read, the same problem and
// message for every text refused. Checked on hand-picked edge cases and on thousands of seeded
// mutations of a real heartbeat, against QJsonDocument (parseJsonObject) as the reference.

#include <cmath>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include "protocol/HeartbeatProtocol.h"
#include "protocol/JsonText.h"
#include "protocol/JsonTree.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

const QByteArray Heartbeat = R"({"agentId":"agent-0042","deviceConnected":true,"currentStatus":"available",)"
                             R"("awayReason":null,"devices":{"audioInput":true,"audioOutput":true,)"
                             R"("audioInputName":"Jabra Evolve2 65 \u00e9","audioOutputName":"Jabra",)"
                             R"("voiceRegistered":true,"networkRttMs":23.5,"packetLossPercent":0,)"
                             R"("networkType":"wifi","presence":"active","idleSeconds":4},"v":1})";

/// Equal as a reader sees them: same types (numbers as doubles, -0.0 apart from 0), same keys.
bool same(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Double:
        return a.toDouble() == b.toDouble() && std::signbit(a.toDouble()) == std::signbit(b.toDouble());
    case QJsonValue::Array: {
        const QJsonArray x = a.toArray();
        const QJsonArray y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!same(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject x = a.toObject();
        const QJsonObject y = b.toObject();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.constBegin(); it != x.constEnd(); ++it) {
            if (!same(it.value(), y.value(it.key())))
                return false;
        }
        return true;
    }
    default:
        return a == b;
    }
}

/// The values of a tree, read through its own accessors (not toJsonValue, which the messages use).
QJsonValue read(const JsonTree &tree, JsonTree::Index at)
{
    switch (tree.type(at)) {
    case JsonTree::Type::Null:
        return QJsonValue(QJsonValue::Null);
    case JsonTree::Type::False:
        return false;
    case JsonTree::Type::True:
        return true;
    case JsonTree::Type::Number:
        return tree.number(at);
    case JsonTree::Type::String:
        return tree.string(at);
    case JsonTree::Type::Array: {
        QJsonArray array;
        for (JsonTree::Index e = tree.first(at); e != JsonTree::None; e = tree.next(at, e))
            array.append(read(tree, e));
        return array;
    }
    case JsonTree::Type::Object: {
        // Keys are found through find(), as readers find them, from the reference's key list.
        QJsonObject object;
        qsizetype members = 0;
        for (JsonTree::Index m = tree.first(at); m != JsonTree::None; m = tree.next(at, m))
            ++members;
        object.insert(u"#members"_s, double(members));
        return object;
    }
    }
    return {};
}

/// Compares what a reader of `tree` finds with the reference object, key by key.
bool sameObject(const JsonTree &tree, JsonTree::Index at, const QJsonObject &reference, QString *where)
{
    qsizetype members = 0;
    for (JsonTree::Index m = tree.first(at); m != JsonTree::None; m = tree.next(at, m))
        ++members;
    if (members != reference.size()) {
        *where = u"member count %1 vs %2"_s.arg(members).arg(reference.size());
        return false;
    }
    for (auto it = reference.constBegin(); it != reference.constEnd(); ++it) {
        const JsonTree::Index found = tree.find(at, it.key());
        if (found == JsonTree::None) {
            *where = u"key "_s + it.key() + u" not found"_s;
            return false;
        }
        if (it.value().isObject()) {
            if (tree.type(found) != JsonTree::Type::Object || !sameObject(tree, found, it.value().toObject(), where))
                return false;
            continue;
        }
        if (it.value().isArray()) {
            if (!same(tree.toJsonValue(found), it.value())) {
                *where = u"array "_s + it.key();
                return false;
            }
            continue;
        }
        if (!same(read(tree, found), it.value())) {
            *where = u"value of "_s + it.key();
            return false;
        }
    }
    return true;
}

/// Fails the test where JsonTree and QJsonDocument disagree about `text`.
void expectSameAsQJsonDocument(const QByteArray &text)
{
    const Result<QJsonObject> reference = parseJsonObject(text);
    const Result<JsonTree> tree = parseJsonTree(text);
    QVERIFY2(bool(reference) == bool(tree),
             qPrintable(u"accepted by one only: "_s + QString::fromUtf8(text.toPercentEncoding(" {}[]:,\"'"))
                        + (reference ? QString() : u" (reference: "_s + reference.error().message + u')')));
    if (!reference) {
        QCOMPARE(tree.error(), reference.error());
        return;
    }
    QString where;
    QVERIFY2(sameObject(tree.value(), JsonTree::Root, reference.value(), &where),
             qPrintable(where + u" in "_s + QString::fromUtf8(text.toPercentEncoding(" {}[]:,\"'"))));
    QVERIFY(same(tree->toJsonValue(JsonTree::Root), reference.value()));
}

// Defined after the class: moc's tokenizer does not follow every escape in these texts.
QList<std::pair<const char *, QByteArray>> edgeCases();
QByteArray mutationBytes();

QByteArray nested(int depth)
{
    return "{\"a\":" + QByteArray(depth - 1, '[') + QByteArray(depth - 1, ']') + "}";
}

} // namespace

class TestJsonTree final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void agreesWithQJsonDocument_data()
    {
        QTest::addColumn<QByteArray>("text");
        const QList<std::pair<const char *, QByteArray>> cases = edgeCases();
        for (const auto &[name, text] : cases)
            QTest::newRow(name) << text;
    }

    void agreesWithQJsonDocument()
    {
        QFETCH(QByteArray, text);
        expectSameAsQJsonDocument(text);
    }

    void agreesOnMutatedHeartbeats()
    {
        // Seeded, so a disagreement found here is found again: the text is in the failure message.
        for (const quint32 seed : {1u, 2u, 3u, 4u}) {
            QRandomGenerator random(seed);
            const QByteArray interesting = mutationBytes();
            for (int i = 0; i < 2500; ++i) {
                QByteArray text = Heartbeat;
                const int edits = 1 + int(random.bounded(4));
                for (int e = 0; e < edits; ++e) {
                    const auto at = qsizetype(random.bounded(int(text.size())));
                    const char byte = interesting.at(qsizetype(random.bounded(int(interesting.size()))));
                    switch (random.bounded(3)) {
                    case 0:
                        text[at] = byte;
                        break;
                    case 1:
                        text.insert(at, byte);
                        break;
                    default:
                        text.remove(at, 1 + qsizetype(random.bounded(3)));
                        break;
                    }
                }
                expectSameAsQJsonDocument(text);
                if (QTest::currentTestFailed())
                    return;
            }
        }
    }

    void aHeartbeatIsReadTheSameThroughEitherReader()
    {
        // The parsed message, and the same object read through the QJsonObject constructor.
        const auto parsed = parseHttpHeartbeat(Heartbeat);
        QVERIFY(parsed);
        QCOMPARE(parsed->agentId, u"agent-0042"_s);
        QVERIFY(parsed->devices);
        QCOMPARE(parsed->devices->audioInputName, std::optional<QString>(u"Jabra Evolve2 65 \u00e9"_s));
        QCOMPARE(parsed->devices->networkRttMs, std::optional<double>(23.5));
        const auto again = parseHttpHeartbeat(serialize(toJson(parsed.value())));
        QVERIFY(again);
        QCOMPARE(toJson(again.value()), toJson(parsed.value()));
    }
};

QTEST_GUILESS_MAIN(TestJsonTree)
#include "tst_json_tree.moc"

namespace {

QList<std::pair<const char *, QByteArray>> edgeCases()
{
    return {
        {"a heartbeat", Heartbeat},
        {"empty object", "{}"},
        {"whitespace around", " \t\r\n{ \"a\" : [ 1 , 2 ] }\n "},
        {"every escape", R"({"s":"\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20ac \ud83d\ude00"})"},
        {"raw UTF-8", "{\"caf\xc3\xa9\":\"\xe2\x82\xac \xf0\x9f\x98\x80\"}"},
        {"escaped key", R"({"agent\u0049d":"a"})"},
        {"NUL escape", R"({"s":"a\u0000b"})"},
        {"lone high surrogate", R"({"s":"\ud800"})"},
        {"lone low surrogate", R"({"s":"\udc00x"})"},
        {"high surrogate then a letter", R"({"s":"\ud800\u0041"})"},
        {"invalid UTF-8 byte", "{\"s\":\"\xff\"}"},
        {"overlong UTF-8", "{\"s\":\"\xc0\xaf\"}"},
        {"UTF-8 surrogate", "{\"s\":\"\xed\xa0\x80\"}"},
        {"truncated UTF-8", "{\"s\":\"\xe2\x82\"}"},
        {"raw control character", "{\"s\":\"a\x01\"}"},
        {"raw tab in a string", "{\"s\":\"a\tb\"}"},
        {"raw NUL", QByteArray("{\"s\":\"a\0b\"}", 11)},
        {"bad escape", R"({"s":"\x41"})"},
        {"short unicode escape", R"({"s":"\u00e"})"},
        {"zero", R"({"n":0})"},
        {"minus zero", R"({"n":-0})"},
        {"minus zero point zero", R"({"n":-0.0})"},
        {"exponents", R"({"a":1e3,"b":1E+3,"c":-2.5e-3,"d":0.1})"},
        {"above 2^53", R"({"n":9007199254740993})"},
        {"above int64", R"({"n":123456789012345678901234567890})"},
        {"int64 max", R"({"n":9223372036854775807})"},
        {"int64 min", R"({"n":-9223372036854775808})"},
        {"huge", R"({"n":1e400})"},
        {"tiny", R"({"n":1e-400})"},
        {"subnormal", R"({"n":4.9e-324})"},
        {"leading zero", R"({"n":01})"},
        {"trailing dot", R"({"n":1.})"},
        {"leading dot", R"({"n":.5})"},
        {"plus sign", R"({"n":+1})"},
        {"minus alone", R"({"n":-})"},
        {"bare exponent", R"({"n":1e})"},
        {"hex", R"({"n":0x10})"},
        {"NaN", R"({"n":NaN})"},
        {"literals", R"({"t":true,"f":false,"n":null})"},
        {"misspelt literal", R"({"t":tru})"},
        {"capital literal", R"({"t":True})"},
        {"trailing comma in object", R"({"a":1,})"},
        {"trailing comma in array", R"({"a":[1,]})"},
        {"missing colon", R"({"a" 1})"},
        {"missing comma", R"({"a":1 "b":2})"},
        {"single quotes", R"({'a':1})"},
        {"unquoted key", R"({a:1})"},
        {"unterminated string", R"({"a":"b)"},
        {"unterminated object", R"({"a":1)"},
        {"text after the object", R"({"a":1} x)"},
        {"two objects", R"({"a":1}{"b":2})"},
        {"empty", ""},
        {"spaces only", "   "},
        {"an array", "[1,2]"},
        {"a string", R"("text")"},
        {"a number", "42"},
        {"null", "null"},
        {"duplicate key", R"({"a":1,"a":2})"},
        {"duplicate key after escape", R"({"a":1,"\u0061":2})"},
        {"duplicate in a malformed text", R"({"a":1,"a":2)"},
        {"nested 100", nested(100)},
        {"nested 1023", nested(1023)},
        {"nested 1024", nested(1024)},
        {"nested 1025", nested(1025)},
        {"nested 2000", nested(2000)},
        {"objects in arrays", R"({"a":[{"b":[{"c":{}}]},[],{}],"d":{"e":[null,true,"x",1.5]}})"},
    };
}

QByteArray mutationBytes()
{
    return QByteArray("{}[]:,\"\\u0123456789.eE+-tfnlrsa \x01\x7f\x80\xc3\xa9\xed\xf0\xff");
}

} // namespace
