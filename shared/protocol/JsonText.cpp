#include "protocol/JsonText.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <QJsonDocument>
#include <QJsonParseError>
#include <QVarLengthArray>

#include "core/HexDigit.h"
#include "protocol/JsonReader.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

void appendUtf8(QByteArray &out, char32_t codePoint)
{
    // Lone surrogates get their three-byte form, so two different ones never compare equal.
    if (codePoint < 0x80) {
        out.append(char(codePoint));
    } else if (codePoint < 0x800) {
        out.append(char(0xC0 | (codePoint >> 6)));
        out.append(char(0x80 | (codePoint & 0x3F)));
    } else if (codePoint < 0x10000) {
        out.append(char(0xE0 | (codePoint >> 12)));
        out.append(char(0x80 | ((codePoint >> 6) & 0x3F)));
        out.append(char(0x80 | (codePoint & 0x3F)));
    } else {
        out.append(char(0xF0 | (codePoint >> 18)));
        out.append(char(0x80 | ((codePoint >> 12) & 0x3F)));
        out.append(char(0x80 | ((codePoint >> 6) & 0x3F)));
        out.append(char(0x80 | (codePoint & 0x3F)));
    }
}

/// The UTF-8 of a string's content with its escapes resolved: what QJsonDocument makes of it.
QByteArray unescape(QByteArrayView content)
{
    QByteArray out;
    out.reserve(content.size());
    for (qsizetype i = 0; i < content.size(); ++i) {
        const char c = content[i];
        if (c != '\\' || i + 1 >= content.size()) {
            out.append(c);
            continue;
        }
        const char escaped = content[++i];
        switch (escaped) {
        case 'b':
            out.append('\b');
            break;
        case 'f':
            out.append('\f');
            break;
        case 'n':
            out.append('\n');
            break;
        case 'r':
            out.append('\r');
            break;
        case 't':
            out.append('\t');
            break;
        case 'u': {
            const int unit = hexUnitAt(content, i + 1);
            if (unit < 0) {
                out.append("\\u");
                break;
            }
            i += 4;
            char32_t codePoint = char32_t(unit);
            if (QChar::isHighSurrogate(codePoint) && i + 2 < content.size() && content[i + 1] == '\\'
                && content[i + 2] == 'u') {
                const int low = hexUnitAt(content, i + 3);
                if (low >= 0 && QChar::isLowSurrogate(char32_t(low))) {
                    codePoint = QChar::surrogateToUcs4(char16_t(unit), char16_t(low));
                    i += 6;
                }
            }
            appendUtf8(out, codePoint);
            break;
        }
        default: // '"', '\\' and '/' stand for themselves
            out.append(escaped);
            break;
        }
    }
    return out;
}

/// One walk over JSON text that keeps, for every object still open, the keys read so far, and
/// checks each object's keys when it closes.
class DuplicateKeyWalk final
{
public:
    explicit DuplicateKeyWalk(QByteArrayView text) : m_text(text) { }

    std::optional<QString> run()
    {
        for (qsizetype i = 0; i < m_text.size(); ++i) {
            switch (m_text[i]) {
            case '{':
                open(true);
                break;
            case '[':
                open(false);
                break;
            case '}':
                if (std::optional<QString> path = closeObject())
                    return path;
                break;
            case ']':
                closeArray();
                break;
            case ',':
                if (!m_frames.isEmpty()) {
                    Frame &top = m_frames.last();
                    ++top.index;
                    m_expectKey = top.isObject;
                }
                break;
            case '"':
                i = readString(i);
                break;
            default:
                break; // whitespace, ':', numbers, true, false, null
            }
        }
        return std::nullopt;
    }

private:
    struct Frame
    {
        bool isObject = false;
        qsizetype firstKey = 0;    ///< this object's keys start here in m_keys
        qsizetype index = 0;       ///< arrays: the element being read
        QByteArrayView currentKey; ///< objects: the key whose value is being read
    };
    struct Key
    {
        QByteArrayView text; ///< unescaped UTF-8
        qsizetype position = 0;
    };
    static constexpr qsizetype SmallObject = 16;

    void open(bool isObject)
    {
        m_frames.append(Frame {isObject, m_keys.size(), 0, {}});
        m_expectKey = isObject;
    }

    void closeArray()
    {
        if (!m_frames.isEmpty())
            m_frames.removeLast();
        m_expectKey = false;
    }

    std::optional<QString> closeObject()
    {
        m_expectKey = false;
        if (m_frames.isEmpty())
            return std::nullopt;
        const qsizetype first = m_frames.last().firstKey;
        if (const Key *repeat = firstRepeat(m_keys.begin() + first, m_keys.end()))
            return pathTo(repeat->text);
        m_keys.resize(first);
        m_frames.removeLast();
        return std::nullopt;
    }

    /// Equal keys are equal in size first: most pairs differ there, without a memcmp.
    static bool sameText(const Key &a, const Key &b)
    {
        return a.text.size() == b.text.size() && std::memcmp(a.text.data(), b.text.data(), a.text.size()) == 0;
    }

    /// Of the keys of one object, the repeat met first in the text, or null.
    static const Key *firstRepeat(Key *begin, Key *end)
    {
        const Key *repeat = nullptr;
        if (end - begin <= SmallObject) {
            // Each key against those before it: fewer steps than sorting for the objects messages have.
            for (const Key *later = begin + 1; later < end && !repeat; ++later) {
                for (const Key *earlier = begin; earlier < later; ++earlier) {
                    if (sameText(*earlier, *later)) {
                        repeat = later;
                        break;
                    }
                }
            }
            return repeat;
        }
        // Sorted by size, then bytes, then position, so n log n however many keys an object has.
        std::sort(begin, end, [](const Key &a, const Key &b) {
            if (a.text.size() != b.text.size())
                return a.text.size() < b.text.size();
            const int bytes = std::memcmp(a.text.data(), b.text.data(), a.text.size());
            return bytes != 0 ? bytes < 0 : a.position < b.position;
        });
        for (const Key *it = begin + 1; it < end; ++it) {
            if (sameText(*(it - 1), *it) && (!repeat || it->position < repeat->position))
                repeat = it;
        }
        return repeat;
    }

    /// Reads the string starting at the quote at `quote`; returns the index of its closing quote.
    qsizetype readString(qsizetype quote)
    {
        bool escaped = false;
        qsizetype i = quote + 1;
        while (i < m_text.size() && m_text[i] != '"') {
            if (m_text[i] == '\\') {
                escaped = true;
                ++i; // the escaped character, which may be a quote
            }
            ++i;
        }
        i = std::min(i, m_text.size());
        if (m_expectKey && !m_frames.isEmpty()) {
            QByteArrayView key = m_text.sliced(quote + 1, i - quote - 1);
            if (escaped) {
                // Views into earlier entries stay valid as the list grows: moving a QByteArray keeps its data.
                m_unescaped.push_back(unescape(key));
                key = m_unescaped.back();
            }
            m_keys.append(Key {key, quote});
            m_frames.last().currentKey = key;
            m_expectKey = false;
        }
        return i;
    }

    /// "devices.audioInput", "agents[2].status": the path JsonReader reports, for `key` of the innermost object.
    QString pathTo(QByteArrayView key) const
    {
        QString path;
        auto appendName = [&path](QByteArrayView name) {
            if (!path.isEmpty())
                path += u'.';
            path += QString::fromUtf8(name);
        };
        for (qsizetype i = 0; i + 1 < m_frames.size(); ++i) {
            const Frame &frame = m_frames.at(i);
            if (frame.isObject)
                appendName(frame.currentKey);
            else
                path += u'[' + QString::number(frame.index) + u']';
        }
        appendName(key);
        return path;
    }

    QByteArrayView m_text;
    QVarLengthArray<Frame, 16> m_frames;
    QVarLengthArray<Key, 64> m_keys;
    std::vector<QByteArray> m_unescaped; ///< keys that had escapes, unescaped (rare; empty allocates nothing)
    bool m_expectKey = false;
};

} // namespace

std::optional<QString> findDuplicateKey(QByteArrayView json)
{
    return DuplicateKeyWalk(json).run();
}

Result<QJsonObject> parseJsonObject(QByteArrayView text)
{
    if (text.trimmed().isEmpty())
        return Problem {JsonProblem::MalformedJson.toString(), QString(), u"The text is empty: send a JSON object."_s};
    QJsonParseError error;
    // fromRawData: the view outlives the parse, so no copy is needed.
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), text.size()), &error);
    if (error.error != QJsonParseError::NoError) {
        return Problem {JsonProblem::MalformedJson.toString(), QString(),
                        u"The text is not valid JSON: %1 at byte %2."_s.arg(error.errorString()).arg(error.offset)};
    }
    if (!document.isObject()) {
        return Problem {JsonProblem::MalformedJson.toString(), QString(),
                        document.isArray() ? u"The text must be a JSON object, not an array."_s
                                           : u"The text must be a JSON object."_s};
    }
    if (std::optional<QString> path = findDuplicateKey(text)) {
        return Problem {JsonProblem::DuplicateKey.toString(), *path,
                        u"%1 appears more than once in the same object; send each key once."_s.arg(*path)};
    }
    return document.object();
}

} // namespace heartline
