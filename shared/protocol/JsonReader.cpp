#include "protocol/JsonReader.h"

#include <cmath>

#include <QJsonDocument>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr qsizetype QuotedLimit = 40;

QString formatNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString describeText(const TextRule &rule)
{
    if (rule.maxLength == std::numeric_limits<int>::max())
        return u"a string"_s;
    if (rule.allowEmpty)
        return u"a string of at most %1 characters"_s.arg(rule.maxLength);
    return u"a string of 1 to %1 characters"_s.arg(rule.maxLength);
}

QString describeInteger(qint64 minimum, qint64 maximum)
{
    return u"an integer from %1 to %2"_s.arg(minimum).arg(maximum);
}

QString describeNumber(double minimum, double maximum)
{
    return u"a number from "_s + formatNumber(minimum) + u" to " + formatNumber(maximum);
}

} // namespace

JsonReader::JsonReader(JsonTree tree) : m_tree(std::move(tree)) { }

JsonReader::JsonReader(const QJsonObject &object)
    : m_tree(JsonTree::scanOwned(QJsonDocument(object).toJson(QJsonDocument::Compact)))
{
    // QJsonDocument's own output is always plain enough to scan; an empty object stands in otherwise.
    if (!m_tree)
        m_tree = JsonTree::scanOwned(QByteArrayLiteral("{}"));
}

JsonReader::JsonReader(JsonTree::Index object, QString path, JsonReader *root)
    : m_object(object), m_path(std::move(path)), m_root(root)
{ }

void JsonReader::fail(QStringView code, QStringView key, const QString &message)
{
    failAt(code, pathOf(key), message);
}

void JsonReader::failAt(QStringView code, const QString &path, const QString &message)
{
    if (!ok())
        return;
    m_root->m_problem = Problem {code.toString(), path, message};
}

QString JsonReader::pathOf(QStringView key) const
{
    if (m_path.isEmpty())
        return key.toString();
    return m_path + u'.' + key;
}

QString JsonReader::elementPath(QStringView key, qsizetype index) const
{
    return pathOf(key) + u'[' + QString::number(index) + u']';
}

QString JsonReader::quoted(const QString &text)
{
    if (text.size() <= QuotedLimit)
        return u'"' + text + u'"';
    return u'"' + text.left(QuotedLimit) + u"…\" (" + QString::number(text.size()) + u" characters)";
}

QString JsonReader::describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return u"the number "_s + formatNumber(value.toDouble());
    case QJsonValue::String:
        return u"the string "_s + quoted(value.toString());
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

void JsonReader::failMissing(QStringView key, const QString &expected)
{
    fail(JsonProblem::MissingField, key, pathOf(key) + u" is missing; it must be " + expected + u'.');
}

void JsonReader::failWrongType(const QString &path, const QString &expected, JsonTree::Index got)
{
    failAt(JsonProblem::WrongType, path,
           path + u" must be " + expected + u", got " + describe(tree().toJsonValue(got)) + u'.');
}

void JsonReader::failInvalid(const QString &path, const QString &expected, const QString &got)
{
    failAt(JsonProblem::InvalidValue, path, path + u" must be " + expected + u", got " + got + u'.');
}

std::optional<QString> JsonReader::textAt(const QString &path, JsonTree::Index found, TextRule rule)
{
    if (tree().type(found) != JsonTree::Type::String) {
        failWrongType(path, describeText(rule), found);
        return std::nullopt;
    }
    QString text = tree().string(found);
    if (text.isEmpty() && !rule.allowEmpty) {
        failInvalid(path, describeText(rule), u"an empty string"_s);
        return std::nullopt;
    }
    if (text.size() > rule.maxLength) {
        failInvalid(path, describeText(rule), u"%1 characters"_s.arg(text.size()));
        return std::nullopt;
    }
    return text;
}

std::optional<QString> JsonReader::readString(QStringView key, Need need, TextRule rule)
{
    const JsonTree::Index found = value(key, need, [rule]() -> QString { return describeText(rule); });
    if (found == JsonTree::None)
        return std::nullopt;
    return textAt(pathOf(key), found, rule);
}

std::optional<bool> JsonReader::readBoolean(QStringView key, Need need)
{
    const auto expected = []() -> QString {
        return u"a boolean (true or false)"_s;
    };
    const JsonTree::Index found = value(key, need, expected);
    if (found == JsonTree::None)
        return std::nullopt;
    const JsonTree::Type type = tree().type(found);
    if (type != JsonTree::Type::True && type != JsonTree::Type::False) {
        failWrongType(pathOf(key), expected(), found);
        return std::nullopt;
    }
    return type == JsonTree::Type::True;
}

std::optional<qint64> JsonReader::readInteger(QStringView key, Need need, qint64 minimum, qint64 maximum)
{
    const auto expected = [=]() -> QString {
        return describeInteger(minimum, maximum);
    };
    const JsonTree::Index found = value(key, need, expected);
    if (found == JsonTree::None)
        return std::nullopt;
    const double number = tree().number(found);
    if (tree().type(found) != JsonTree::Type::Number || std::trunc(number) != number) {
        failWrongType(pathOf(key), expected(), found);
        return std::nullopt;
    }
    // Bounds lie within ±2^53, where doubles hold every integer exactly, so comparing as double is exact.
    if (number < double(minimum) || number > double(maximum)) {
        failInvalid(pathOf(key), expected(), formatNumber(number));
        return std::nullopt;
    }
    return qint64(number);
}

std::optional<double> JsonReader::readNumber(QStringView key, Need need, double minimum, double maximum)
{
    const auto expected = [=]() -> QString {
        return describeNumber(minimum, maximum);
    };
    const JsonTree::Index found = value(key, need, expected);
    if (found == JsonTree::None)
        return std::nullopt;
    if (tree().type(found) != JsonTree::Type::Number) {
        failWrongType(pathOf(key), expected(), found);
        return std::nullopt;
    }
    const double number = tree().number(found);
    if (number < minimum || number > maximum) {
        failInvalid(pathOf(key), expected(), formatNumber(number));
        return std::nullopt;
    }
    return number;
}

JsonTree::Index JsonReader::readArray(QStringView key, QStringView expected)
{
    const JsonTree::Index found = value(key, Need::Required, [expected]() -> QString { return expected.toString(); });
    if (found == JsonTree::None)
        return JsonTree::None;
    if (tree().type(found) != JsonTree::Type::Array) {
        failWrongType(pathOf(key), expected.toString(), found);
        return JsonTree::None;
    }
    return found;
}

JsonTree::Index JsonReader::readObjectValue(QStringView key, Need need)
{
    const auto expected = []() -> QString {
        return u"an object"_s;
    };
    const JsonTree::Index found = value(key, need, expected);
    if (found == JsonTree::None)
        return JsonTree::None;
    if (tree().type(found) != JsonTree::Type::Object) {
        failWrongType(pathOf(key), expected(), found);
        return JsonTree::None;
    }
    return found;
}

QString JsonReader::string(QStringView key, TextRule rule)
{
    return readString(key, Need::Required, rule).value_or(QString());
}

std::optional<QString> JsonReader::optionalString(QStringView key, TextRule rule)
{
    return readString(key, Need::Optional, rule);
}

bool JsonReader::boolean(QStringView key)
{
    return readBoolean(key, Need::Required).value_or(false);
}

std::optional<bool> JsonReader::optionalBoolean(QStringView key)
{
    return readBoolean(key, Need::Optional);
}

qint64 JsonReader::integer(QStringView key, qint64 minimum, qint64 maximum)
{
    return readInteger(key, Need::Required, minimum, maximum).value_or(minimum);
}

std::optional<qint64> JsonReader::optionalInteger(QStringView key, qint64 minimum, qint64 maximum)
{
    return readInteger(key, Need::Optional, minimum, maximum);
}

double JsonReader::number(QStringView key, double minimum, double maximum)
{
    return readNumber(key, Need::Required, minimum, maximum).value_or(minimum);
}

std::optional<double> JsonReader::optionalNumber(QStringView key, double minimum, double maximum)
{
    return readNumber(key, Need::Optional, minimum, maximum);
}

QStringList JsonReader::stringList(QStringView key, TextRule rule)
{
    QStringList out;
    const JsonTree::Index array = readArray(key, u"an array of strings");
    if (array == JsonTree::None)
        return out;
    out.reserve(tree().count(array));
    qsizetype i = 0;
    for (JsonTree::Index element = tree().first(array); element != JsonTree::None;
         element = tree().next(array, element), ++i) {
        std::optional<QString> text = textAt(elementPath(key, i), element, rule);
        if (!text)
            return {};
        out.append(std::move(*text));
    }
    return out;
}

QJsonObject JsonReader::rawObject(QStringView key)
{
    const JsonTree::Index found = readObjectValue(key, Need::Required);
    if (found == JsonTree::None)
        return {};
    return tree().toJsonValue(found).toObject();
}

std::optional<QJsonObject> JsonReader::optionalRawObject(QStringView key)
{
    const JsonTree::Index found = readObjectValue(key, Need::Optional);
    if (found == JsonTree::None)
        return std::nullopt;
    return tree().toJsonValue(found).toObject();
}

AgentStatus JsonReader::status(QStringView key)
{
    return readWord(key, Need::Required, agentStatusFromString, acceptedAgentStatuses()).value_or(AgentStatus::Offline);
}

std::optional<AgentStatus> JsonReader::optionalStatus(QStringView key)
{
    return readWord(key, Need::Optional, agentStatusFromString, acceptedAgentStatuses());
}

AgentActivity JsonReader::activity(QStringView key)
{
    return readWord(key, Need::Required, agentActivityFromString,
                    u"idle, ringing, on-call, wrap-up, cooldown, stale or disconnected"_s)
        .value_or(AgentActivity::Disconnected);
}

} // namespace heartline
