#include "protocol/MessageCodec.h"

#include <cmath>

#include "protocol/JsonTree.h"

using namespace Qt::StringLiterals;

namespace heartline::codec {

namespace {

/// "v" is optional; when given it must be the integer ProtocolVersion.
std::optional<Problem> checkVersion(const JsonTree &tree)
{
    const JsonTree::Index version = tree.find(JsonTree::Root, u"v");
    if (version == JsonTree::None || tree.type(version) == JsonTree::Type::Null)
        return std::nullopt;
    const QString expected = u"v must be %1 (the protocol version this build speaks), got "_s.arg(ProtocolVersion);
    const double number = tree.number(version);
    if (tree.type(version) != JsonTree::Type::Number || std::trunc(number) != number) {
        return Problem {JsonProblem::WrongType.toString(), u"v"_s,
                        expected + JsonReader::describe(tree.toJsonValue(version)) + u'.'};
    }
    if (number != ProtocolVersion) {
        return Problem {JsonProblem::UnsupportedVersion.toString(), u"v"_s,
                        expected + QString::number(number, 'g', 17) + u'.'};
    }
    return std::nullopt;
}

} // namespace

Result<JsonTree> parseEnvelope(QByteArrayView raw, qsizetype maxBytes)
{
    if (raw.size() > maxBytes) {
        return Problem {JsonProblem::TooLarge.toString(), QString(),
                        u"The message is %1 bytes; at most %2 bytes are accepted."_s.arg(raw.size()).arg(maxBytes)};
    }
    Result<JsonTree> parsed = parseJsonTree(raw);
    if (!parsed)
        return parsed;
    if (std::optional<Problem> problem = checkVersion(parsed.value()))
        return *problem;
    return parsed;
}

QJsonObject envelope(QStringView type)
{
    return QJsonObject {{u"type"_s, type.toString()}, {u"v"_s, ProtocolVersion}};
}

QString joinWords(const QStringList &words)
{
    if (words.size() <= 1)
        return words.join(QString());
    return words.first(words.size() - 1).join(u", "_s) + u" or " + words.last();
}

Problem unknownType(const QString &type, const QStringList &accepted, QStringView channel)
{
    return Problem {JsonProblem::UnknownType.toString(), u"type"_s,
                    u"type must be one of "_s + joinWords(accepted) + u" on " + channel + u", got "
                        + JsonReader::quoted(type) + u'.'};
}

} // namespace heartline::codec
