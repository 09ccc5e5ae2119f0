#include "protocol/JsonWriter.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <QLocale>

namespace heartline {

namespace {

/// What QJsonDocument writes as it is inside a string: printable ASCII but the quote and the backslash.
constexpr bool isPlainAscii(char16_t c)
{
    return c >= 0x20 && c < 0x7f && c != u'"' && c != u'\\';
}

} // namespace

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first.isEmpty()) {
        if (!m_first.last())
            m_out.append(',');
        m_first.last() = false;
    }
}

JsonWriter &JsonWriter::open(char bracket)
{
    separate();
    m_out.append(bracket);
    m_first.append(true);
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    m_out.append(bracket);
    m_first.removeLast();
    return *this;
}

JsonWriter &JsonWriter::key(const char *name)
{
    separate();
    m_out.append('"').append(name).append("\":");
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::value(qint64 number)
{
    separate();
    char digits[24];
    const auto written = std::to_chars(digits, digits + sizeof digits, number);
    m_out.append(digits, written.ptr - digits);
    return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
    separate();
    m_out.append(flag ? "true" : "false");
    return *this;
}

JsonWriter &JsonWriter::value(double number)
{
    if (!std::isfinite(number))
        return null();
    separate();
    // The very call QJsonDocument makes for a double, so the digits are the same.
    m_out.append(QByteArray::number(number, 'g', QLocale::FloatingPointShortest));
    return *this;
}

JsonWriter &JsonWriter::null()
{
    separate();
    m_out.append("null");
    return *this;
}

JsonWriter &JsonWriter::raw(QByteArrayView json)
{
    separate();
    m_out.append(json);
    return *this;
}

JsonWriter &JsonWriter::value(const QString &text)
{
    separate();
    m_out.append('"');
    // Almost every string written here (ids, readiness reasons, status words) is plain ASCII:
    // copied as it is, without a UTF-8 conversion or a byte-by-byte escape pass.
    if (std::all_of(text.cbegin(), text.cend(), [](QChar c) { return isPlainAscii(c.unicode()); })) {
        const qsizetype at = m_out.size();
        m_out.resize(at + text.size());
        char *to = m_out.data() + at;
        for (const QChar c : text)
            *to++ = char(c.unicode());
        m_out.append('"');
        return *this;
    }
    static constexpr char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            m_out.append("\\\"");
            break;
        case '\\':
            m_out.append("\\\\");
            break;
        case '\b':
            m_out.append("\\b");
            break;
        case '\f':
            m_out.append("\\f");
            break;
        case '\n':
            m_out.append("\\n");
            break;
        case '\r':
            m_out.append("\\r");
            break;
        case '\t':
            m_out.append("\\t");
            break;
        default:
            if (byte < 0x20) {
                const char escaped[] = {'\\', 'u', '0', '0', hex[byte >> 4], hex[byte & 0xf]};
                m_out.append(escaped, sizeof escaped);
            } else {
                m_out.append(c);
            }
        }
    }
    m_out.append('"');
    return *this;
}

} // namespace heartline
