#pragma once

#include <optional>
#include <vector>

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>
#include <QStringView>

#include "core/Result.h"

namespace heartline {

/// JSON text read once into a flat list of its values, which JsonReader reads fields from. Every
/// heartbeat is read this way: straight from its bytes, without building a QJsonDocument and its
/// QJsonObjects first (that and the lookups in them were a third of a heartbeat's server time).
///
/// scan() reads strict RFC 8259 JSON and gives up (nullopt) on what it cannot be sure to read
/// exactly as QJsonDocument would: control characters or invalid UTF-8 in a string, a number
/// outside the range of a double, nesting deeper than QJsonDocument allows. parseJsonTree() hands such text to
/// QJsonDocument, which refuses it with its own message or gives it back written out in the plain form scan() reads, so
/// what is accepted and every message stay those of QJsonDocument (tst_json_tree compares the two on many inputs).
///
/// Values are numbered in document order from 0 (the root); a container's children follow it.
class JsonTree final
{
public:
    enum class Type : quint8 {
        Null,
        False,
        True,
        Number,
        String,
        Array,
        Object,
    };
    using Index = qint32;
    static constexpr Index Root = 0;
    static constexpr Index None = -1;

    /// The values of `text`, which must stay alive and unchanged as long as the tree is used.
    [[nodiscard]] static std::optional<JsonTree> scan(QByteArrayView text);
    /// The same, keeping its own copy of `text`.
    [[nodiscard]] static std::optional<JsonTree> scanOwned(QByteArray text);

    [[nodiscard]] Type type(Index value) const { return m_nodes[size_t(value)].type; }
    [[nodiscard]] double number(Index value) const { return m_nodes[size_t(value)].number; }
    /// A string value, its escapes resolved.
    [[nodiscard]] QString string(Index value) const;
    /// The member `key` of an object, or None.
    [[nodiscard]] Index find(Index object, QStringView key) const;
    /// The elements of an array or the members of an object: first(), then next() until None.
    [[nodiscard]] Index first(Index container) const;
    [[nodiscard]] Index next(Index container, Index child) const;
    [[nodiscard]] qsizetype count(Index container) const { return m_nodes[size_t(container)].count; }
    /// The value as QJsonDocument reads it (error messages, payloads passed through as objects).
    [[nodiscard]] QJsonValue toJsonValue(Index value) const;

private:
    struct Node
    {
        Type type = Type::Null;
        bool keyEncoded = false;  ///< the key has escapes or non-ASCII bytes: decoded before comparing
        bool textEncoded = false; ///< the same for a string value
        qint32 keyBegin = 0;      ///< the key's content in the text, without its quotes
        qint32 keyLength = 0;
        qint32 begin = 0; ///< a string's content without quotes; a number's or container's whole text
        qint32 length = 0;
        qint32 end = 0;   ///< the index after this value's last descendant
        qint32 count = 0; ///< the elements or members of a container
        double number = 0;
    };
    class Scanner;

    [[nodiscard]] QByteArrayView text(qint32 begin, qint32 length) const { return m_text.sliced(begin, length); }
    [[nodiscard]] bool keyEquals(const Node &node, QStringView key) const;

    QByteArray m_owned; ///< the text, when the tree keeps its own copy
    QByteArrayView m_text;
    std::vector<Node> m_nodes;
};

/// Text that must hold one JSON object, read into a JsonTree: the problems and messages are those of
/// parseJsonObject (JsonText.h) for the same text, `malformed_json` and `duplicate_key`.
[[nodiscard]] Result<JsonTree> parseJsonTree(QByteArrayView text);

} // namespace heartline
