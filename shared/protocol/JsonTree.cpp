#include "protocol/JsonTree.h"

#include <charconv>
#include <cmath>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/HexDigit.h"
#include "protocol/JsonReader.h"
#include "protocol/JsonText.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Objects and arrays within each other: QJsonDocument refuses more, and scan() leaves such text to it.
constexpr int MaxDepth = 1024;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// The length of the well-formed UTF-8 sequence starting at `at` (its first byte >= 0x80), or 0:
/// no overlong forms, no surrogates, nothing above U+10FFFF.
qsizetype utf8SequenceLength(QByteArrayView text, qsizetype at)
{
    const auto byte = [&](qsizetype i) {
        return i < text.size() ? quint8(text[i]) : quint8(0);
    };
    const auto continuation = [&](qsizetype i) {
        return (byte(i) & 0xC0) == 0x80;
    };
    const quint8 lead = byte(at);
    if (lead >= 0xC2 && lead <= 0xDF)
        return continuation(at + 1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const quint8 second = byte(at + 1);
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F))
            return 0; // overlong, or a surrogate
        return continuation(at + 1) && continuation(at + 2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const quint8 second = byte(at + 1);
        if ((lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F))
            return 0; // overlong, or above U+10FFFF
        return continuation(at + 1) && continuation(at + 2) && continuation(at + 3) ? 4 : 0;
    }
    return 0;
}

/// A string's content (validated by the scanner) as UTF-16, its escapes resolved. Each \\u escape
/// becomes its UTF-16 unit as it is, so a pair makes its character and a lone surrogate stays one,
/// as in QJsonDocument.
QString decode(QByteArrayView content)
{
    QString out;
    out.reserve(content.size());
    for (qsizetype i = 0; i < content.size();) {
        const auto c = quint8(content[i]);
        if (c == '\\') {
            const char kind = content[i + 1];
            i += 2;
            switch (kind) {
            case 'b':
                out.append(u'\b');
                break;
            case 'f':
                out.append(u'\f');
                break;
            case 'n':
                out.append(u'\n');
                break;
            case 'r':
                out.append(u'\r');
                break;
            case 't':
                out.append(u'\t');
                break;
            case 'u':
                out.append(QChar(char16_t(hexUnitAt(content, i))));
                i += 4;
                break;
            default: // '"', '\\', '/'
                out.append(QLatin1Char(kind));
                break;
            }
            continue;
        }
        if (c < 0x80) {
            out.append(QLatin1Char(char(c)));
            ++i;
            continue;
        }
        const qsizetype length = utf8SequenceLength(content, i);
        out.append(QString::fromUtf8(content.sliced(i, length)));
        i += length;
    }
    return out;
}

} // namespace

/// One recursive descent over the text. Every method returns false where scan() gives up.
class JsonTree::Scanner final
{
public:
    Scanner(QByteArrayView text, std::vector<Node> &nodes) : m_text(text), m_nodes(nodes) { }

    bool run()
    {
        skipSpace();
        if (!value(0, 0, false, 0))
            return false;
        skipSpace();
        return m_at == m_text.size();
    }

private:
    [[nodiscard]] char peek() const { return m_at < m_text.size() ? m_text[m_at] : '\0'; }

    void skipSpace()
    {
        while (m_at < m_text.size() && isSpace(m_text[m_at]))
            ++m_at;
    }

    bool value(qint32 keyBegin, qint32 keyLength, bool keyEncoded, int depth)
    {
        const auto index = qint32(m_nodes.size());
        Node node;
        node.keyBegin = keyBegin;
        node.keyLength = keyLength;
        node.keyEncoded = keyEncoded;
        node.begin = qint32(m_at);
        m_nodes.push_back(node);
        bool read = false;
        switch (peek()) {
        case '{':
            read = container(index, '}', depth);
            break;
        case '[':
            read = container(index, ']', depth);
            break;
        case '"':
            read = string(m_nodes[size_t(index)].begin, m_nodes[size_t(index)].length,
                          m_nodes[size_t(index)].textEncoded);
            m_nodes[size_t(index)].type = Type::String;
            break;
        case 't':
            read = literal("true", index, Type::True);
            break;
        case 'f':
            read = literal("false", index, Type::False);
            break;
        case 'n':
            read = literal("null", index, Type::Null);
            break;
        default:
            read = number(index);
            break;
        }
        if (!read)
            return false;
        Node &done = m_nodes[size_t(index)];
        if (done.type != Type::String)
            done.length = qint32(m_at) - done.begin;
        done.end = qint32(m_nodes.size());
        return true;
    }

    bool container(qint32 index, char close, int depth)
    {
        if (depth + 1 > MaxDepth)
            return false;
        const bool isObject = close == '}';
        m_nodes[size_t(index)].type = isObject ? Type::Object : Type::Array;
        ++m_at;
        skipSpace();
        if (peek() == close) {
            ++m_at;
            return true;
        }
        qint32 count = 0;
        while (true) {
            qint32 keyBegin = 0;
            qint32 keyLength = 0;
            bool keyEncoded = false;
            if (isObject) {
                if (peek() != '"' || !string(keyBegin, keyLength, keyEncoded))
                    return false;
                skipSpace();
                if (peek() != ':')
                    return false;
                ++m_at;
                skipSpace();
            }
            if (!value(keyBegin, keyLength, keyEncoded, depth + 1))
                return false;
            ++count;
            skipSpace();
            if (peek() == ',') {
                ++m_at;
                skipSpace();
                continue;
            }
            if (peek() != close)
                return false;
            ++m_at;
            m_nodes[size_t(index)].count = count;
            return true;
        }
    }

    /// At the opening quote; leaves the content's place and whether it needs decoding.
    bool string(qint32 &begin, qint32 &length, bool &encoded)
    {
        ++m_at;
        begin = qint32(m_at);
        encoded = false;
        while (m_at < m_text.size()) {
            const auto c = quint8(m_text[m_at]);
            if (c == '"') {
                length = qint32(m_at) - begin;
                ++m_at;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c == '\\') {
                if (!escape())
                    return false;
                encoded = true;
                continue;
            }
            if (c >= 0x80) {
                const qsizetype sequence = utf8SequenceLength(m_text, m_at);
                if (sequence == 0)
                    return false;
                m_at += sequence;
                encoded = true;
                continue;
            }
            ++m_at;
        }
        return false;
    }

    /// At a backslash: one escape.
    bool escape()
    {
        const char kind = m_at + 1 < m_text.size() ? m_text[m_at + 1] : '\0';
        switch (kind) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            m_at += 2;
            return true;
        case 'u':
            break;
        default:
            return false;
        }
        // Any unit, paired or not: a lone surrogate is kept as QJsonDocument keeps it (decode()).
        if (hexUnitAt(m_text, m_at + 2) < 0)
            return false;
        m_at += 6;
        return true;
    }

    bool literal(const char *word, qint32 index, Type type)
    {
        const QByteArrayView expected(word);
        if (!m_text.sliced(m_at).startsWith(expected))
            return false;
        m_at += expected.size();
        m_nodes[size_t(index)].type = type;
        return true;
    }

    /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    bool number(qint32 index)
    {
        const qsizetype start = m_at;
        if (peek() == '-')
            ++m_at;
        if (peek() == '0') {
            ++m_at;
        } else if (isDigit(peek())) {
            while (isDigit(peek()))
                ++m_at;
        } else {
            return false;
        }
        bool whole = true;
        if (peek() == '.') {
            whole = false;
            ++m_at;
            if (!isDigit(peek()))
                return false;
            while (isDigit(peek()))
                ++m_at;
        }
        if (peek() == 'e' || peek() == 'E') {
            whole = false;
            ++m_at;
            if (peek() == '+' || peek() == '-')
                ++m_at;
            if (!isDigit(peek()))
                return false;
            while (isDigit(peek()))
                ++m_at;
        }
        double number = 0;
        const char *first = m_text.data() + start;
        const char *last = m_text.data() + m_at;
        const auto [end, error] = std::from_chars(first, last, number);
        if (error != std::errc() || end != last || !std::isfinite(number))
            return false;
        // QJsonDocument keeps a whole number as an integer, so "-0" is 0 there, not -0.0.
        if (whole && number == 0)
            number = 0;
        Node &node = m_nodes[size_t(index)];
        node.type = Type::Number;
        node.number = number;
        return true;
    }

    QByteArrayView m_text;
    std::vector<Node> &m_nodes;
    qsizetype m_at = 0;
};

std::optional<JsonTree> JsonTree::scan(QByteArrayView text)
{
    // Offsets are 32-bit: far beyond any message a reader is given (they are bounded well below).
    if (text.size() >= std::numeric_limits<qint32>::max())
        return std::nullopt;
    JsonTree tree;
    tree.m_text = text;
    tree.m_nodes.reserve(32);
    if (!Scanner(text, tree.m_nodes).run())
        return std::nullopt;
    return tree;
}

std::optional<JsonTree> JsonTree::scanOwned(QByteArray text)
{
    std::optional<JsonTree> tree = scan(text);
    if (tree) {
        // The same bytes: a QByteArray copy shares them, so the views stay valid.
        tree->m_owned = std::move(text);
    }
    return tree;
}

QString JsonTree::string(Index value) const
{
    const Node &node = m_nodes[size_t(value)];
    const QByteArrayView content = text(node.begin, node.length);
    if (!node.textEncoded)
        return QString::fromLatin1(content);
    return decode(content);
}

bool JsonTree::keyEquals(const Node &node, QStringView key) const
{
    if (node.keyEncoded)
        return decode(text(node.keyBegin, node.keyLength)) == key;
    if (node.keyLength != key.size())
        return false;
    const char *bytes = m_text.data() + node.keyBegin;
    for (qsizetype i = 0; i < key.size(); ++i) {
        if (char16_t(quint8(bytes[i])) != key[i].unicode())
            return false;
    }
    return true;
}

JsonTree::Index JsonTree::first(Index container) const
{
    const Node &node = m_nodes[size_t(container)];
    return node.count > 0 ? container + 1 : None;
}

JsonTree::Index JsonTree::next(Index container, Index child) const
{
    const Index after = m_nodes[size_t(child)].end;
    return after < m_nodes[size_t(container)].end ? after : None;
}

JsonTree::Index JsonTree::find(Index object, QStringView key) const
{
    for (Index member = first(object); member != None; member = next(object, member)) {
        if (keyEquals(m_nodes[size_t(member)], key))
            return member;
    }
    return None;
}

QJsonValue JsonTree::toJsonValue(Index value) const
{
    const Node &node = m_nodes[size_t(value)];
    switch (node.type) {
    case Type::Null:
        return QJsonValue(QJsonValue::Null);
    case Type::False:
        return false;
    case Type::True:
        return true;
    case Type::Number:
        return node.number;
    case Type::String:
        return string(value);
    case Type::Array:
    case Type::Object: {
        const QJsonDocument document = QJsonDocument::fromJson(text(node.begin, node.length).toByteArray());
        if (node.type == Type::Array)
            return document.array();
        return document.object();
    }
    }
    return {};
}

Result<JsonTree> parseJsonTree(QByteArrayView text)
{
    std::optional<JsonTree> tree = JsonTree::scan(text);
    if (tree && tree->type(JsonTree::Root) == JsonTree::Type::Object) {
        if (std::optional<QString> path = findDuplicateKey(text)) {
            return Problem {JsonProblem::DuplicateKey.toString(), *path,
                            u"%1 appears more than once in the same object; send each key once."_s.arg(*path)};
        }
        return std::move(*tree);
    }
    // Not plain enough to read here: QJsonDocument decides, with its own messages.
    const Result<QJsonObject> object = parseJsonObject(text);
    if (!object)
        return object.error();
    if (std::optional<JsonTree> plain
        = JsonTree::scanOwned(QJsonDocument(object.value()).toJson(QJsonDocument::Compact)))
        return std::move(*plain);
    return Problem {JsonProblem::MalformedJson.toString(), QString(), u"The text could not be read as JSON."_s};
}

} // namespace heartline
