#pragma once

#include <limits>
#include <optional>
#include <type_traits>

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "core/AgentState.h"
#include "core/Result.h"
#include "protocol/JsonTree.h"

namespace heartline {

/// The problem codes every JSON reader in Heartline reports (Problem::code).
namespace JsonProblem {
inline constexpr QStringView TooLarge = u"too_large";
inline constexpr QStringView MalformedJson = u"malformed_json";
inline constexpr QStringView DuplicateKey = u"duplicate_key";
inline constexpr QStringView MissingField = u"missing_field";
inline constexpr QStringView WrongType = u"wrong_type";
inline constexpr QStringView InvalidValue = u"invalid_value";
inline constexpr QStringView UnknownType = u"unknown_type";
inline constexpr QStringView UnsupportedVersion = u"unsupported_version";
} // namespace JsonProblem

/// How long a string field may be, and whether "" is allowed. Lengths count UTF-16 code units.
struct TextRule
{
    int maxLength = std::numeric_limits<int>::max();
    bool allowEmpty = true;
};

/// Reads typed fields out of a JSON object and keeps the first problem it meets, with the dotted
/// path of the field ("devices.networkRttMs", "agents[2].status"). After a problem every further
/// read returns a default value and records nothing, so a parser reads all its fields in a row and
/// checks ok() once at the end instead of testing each field.
///
/// Rules shared by every reader:
/// - fields the reader is not asked about are ignored (forward compatibility);
/// - a missing required field is `missing_field`; an optional field may be absent or null;
/// - a value of the wrong JSON type is `wrong_type` (numbers inside strings included, and
///   fractions where an integer is expected); a value outside its range or rule is `invalid_value`.
///
/// Nested objects are read with `object<T>()`, which calls `readFields(JsonReader &, T &)` found by
/// argument-dependent lookup: each type provides that overload next to its definition.
class JsonReader final
{
public:
    /// Reads a parsed message (parseJsonTree); its root must be an object.
    explicit JsonReader(JsonTree tree);
    /// Reads an object already built (answers read with QJsonDocument, tests).
    explicit JsonReader(const QJsonObject &object);
    Q_DISABLE_COPY_MOVE(JsonReader)

    [[nodiscard]] bool ok() const { return !m_root->m_problem.has_value(); }
    /// The first problem recorded; only meaningful when !ok().
    [[nodiscard]] const Problem &problem() const { return *m_root->m_problem; }
    /// Records a problem about `key` of this object, unless one is already recorded.
    void fail(QStringView code, QStringView key, const QString &message);
    /// The dotted path of `key` in this object, as it appears in Problem::field.
    [[nodiscard]] QString pathOf(QStringView key) const;

    [[nodiscard]] QString string(QStringView key, TextRule rule);
    [[nodiscard]] std::optional<QString> optionalString(QStringView key, TextRule rule);
    [[nodiscard]] bool boolean(QStringView key);
    [[nodiscard]] std::optional<bool> optionalBoolean(QStringView key);
    /// A whole number within [minimum, maximum]; the bounds must lie within ±2^53.
    [[nodiscard]] qint64 integer(QStringView key, qint64 minimum, qint64 maximum);
    [[nodiscard]] std::optional<qint64> optionalInteger(QStringView key, qint64 minimum, qint64 maximum);
    [[nodiscard]] double number(QStringView key, double minimum, double maximum);
    [[nodiscard]] std::optional<double> optionalNumber(QStringView key, double minimum, double maximum);
    /// A list of strings, each following `rule`.
    [[nodiscard]] QStringList stringList(QStringView key, TextRule rule);
    /// An object taken as it is, for payloads whose shape belongs to someone else.
    [[nodiscard]] QJsonObject rawObject(QStringView key);
    [[nodiscard]] std::optional<QJsonObject> optionalRawObject(QStringView key);

    [[nodiscard]] AgentStatus status(QStringView key);
    [[nodiscard]] std::optional<AgentStatus> optionalStatus(QStringView key);
    [[nodiscard]] AgentActivity activity(QStringView key);

    /// A string that must be one of a fixed set of words. `parse` maps the word to its value;
    /// `accepted` lists the words for the error message ("agent, server or supervisor").
    template <typename Enum>
    [[nodiscard]] std::optional<Enum> optionalWord(QStringView key, std::optional<Enum> (*parse)(QStringView),
                                                   const QString &accepted)
    {
        return readWord(key, Need::Optional, parse, accepted);
    }
    template <typename Enum>
    [[nodiscard]] Enum word(QStringView key, std::optional<Enum> (*parse)(QStringView), const QString &accepted)
    {
        return readWord(key, Need::Required, parse, accepted).value_or(Enum {});
    }

    /// A nested object read by `readFields(JsonReader &, T &)`.
    template <typename T> [[nodiscard]] T object(QStringView key)
    {
        return readObject<T>(key, Need::Required).value_or(T {});
    }
    template <typename T> [[nodiscard]] std::optional<T> optionalObject(QStringView key)
    {
        return readObject<T>(key, Need::Optional);
    }
    /// An array of objects, each read by `readFields(JsonReader &, T &)`; paths are "key[i].field".
    template <typename T> [[nodiscard]] QList<T> objectList(QStringView key)
    {
        QList<T> out;
        const JsonTree::Index array = readArray(key, u"an array of objects");
        if (array == JsonTree::None)
            return out;
        out.reserve(tree().count(array));
        qsizetype i = 0;
        for (JsonTree::Index element = tree().first(array); element != JsonTree::None && ok();
             element = tree().next(array, element), ++i) {
            const QString path = elementPath(key, i);
            if (tree().type(element) != JsonTree::Type::Object) {
                failWrongType(path, QStringLiteral("an object"), element);
                break;
            }
            JsonReader child(element, path, m_root);
            T value {};
            readFields(child, value);
            out.append(std::move(value));
        }
        return out;
    }

    /// "the string \"30\"", "the number 3.5", "null", "an array": how a value is named in messages.
    [[nodiscard]] static QString describe(const QJsonValue &value);
    /// A string quoted for a message, shortened when long.
    [[nodiscard]] static QString quoted(const QString &text);

private:
    enum class Need {
        Required,
        Optional,
    };

    JsonReader(JsonTree::Index object, QString path, JsonReader *root);

    [[nodiscard]] const JsonTree &tree() const { return *m_root->m_tree; }

    /// The value of `key`, or nullopt when there is nothing to read: a problem is already recorded,
    /// or the field is absent (recorded as missing when required), or it is null and optional.
    /// `expected()` words what the field must be; it is called only for a message, never on the
    /// way of a good field (every heartbeat reads a dozen).
    template <typename Expected>
    [[nodiscard]] JsonTree::Index value(QStringView key, Need need, const Expected &expected)
    {
        if (!ok())
            return JsonTree::None;
        const JsonTree::Index found = tree().find(m_object, key);
        if (found == JsonTree::None) {
            if (need == Need::Required)
                failMissing(key, expected());
            return JsonTree::None;
        }
        // null for an optional field means "not given"; for a required one it falls through to the type check.
        if (tree().type(found) == JsonTree::Type::Null && need == Need::Optional)
            return JsonTree::None;
        return found;
    }
    void failMissing(QStringView key, const QString &expected);
    [[nodiscard]] std::optional<QString> readString(QStringView key, Need need, TextRule rule);
    [[nodiscard]] std::optional<bool> readBoolean(QStringView key, Need need);
    [[nodiscard]] std::optional<qint64> readInteger(QStringView key, Need need, qint64 minimum, qint64 maximum);
    [[nodiscard]] std::optional<double> readNumber(QStringView key, Need need, double minimum, double maximum);
    [[nodiscard]] JsonTree::Index readArray(QStringView key, QStringView expected);
    [[nodiscard]] JsonTree::Index readObjectValue(QStringView key, Need need);
    [[nodiscard]] QString elementPath(QStringView key, qsizetype index) const;
    void failAt(QStringView code, const QString &path, const QString &message);
    void failWrongType(const QString &path, const QString &expected, JsonTree::Index got);
    void failInvalid(const QString &path, const QString &expected, const QString &got);
    [[nodiscard]] std::optional<QString> textAt(const QString &path, JsonTree::Index found, TextRule rule);

    template <typename Enum>
    std::optional<Enum> readWord(QStringView key, Need need, std::optional<Enum> (*parse)(QStringView),
                                 const QString &accepted)
    {
        const auto expected = [&accepted]() -> QString {
            return QStringLiteral("one of ") + accepted;
        };
        const JsonTree::Index found = value(key, need, expected);
        if (found == JsonTree::None)
            return std::nullopt;
        if (tree().type(found) != JsonTree::Type::String) {
            failWrongType(pathOf(key), expected(), found);
            return std::nullopt;
        }
        const QString text = tree().string(found);
        if (std::optional<Enum> parsed = parse(text))
            return parsed;
        failInvalid(pathOf(key), expected(), quoted(text));
        return std::nullopt;
    }

    template <typename T> std::optional<T> readObject(QStringView key, Need need)
    {
        const JsonTree::Index found = readObjectValue(key, need);
        if (found == JsonTree::None)
            return std::nullopt;
        JsonReader child(found, pathOf(key), m_root);
        T value {};
        readFields(child, value);
        if (!ok())
            return std::nullopt;
        return value;
    }

    std::optional<JsonTree> m_tree;            ///< the message's values; kept by the root reader only
    JsonTree::Index m_object = JsonTree::Root; ///< the object this reader reads
    QString m_path;                            ///< this object's own path; empty for the message itself
    JsonReader *m_root = this;                 ///< where the first problem is kept, shared with nested readers
    std::optional<Problem> m_problem;
};

} // namespace heartline
