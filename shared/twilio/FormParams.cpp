#include "twilio/FormParams.h"

#include <algorithm>

#include <QStringDecoder>

#include "core/HexDigit.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~';
}

/// Decodes one name or value; `rawName` only serves to name the pair in a Problem.
Result<QString> decodeComponent(QByteArrayView raw, QByteArrayView rawName)
{
    QByteArray bytes;
    bytes.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '+') {
            bytes.append(' ');
        } else if (c == '%') {
            const int high = i + 1 < raw.size() ? hexDigitValue(raw[i + 1]) : -1;
            const int low = i + 2 < raw.size() ? hexDigitValue(raw[i + 2]) : -1;
            if (high < 0 || low < 0) {
                return Problem {u"form_bad_escape"_s, QString::fromUtf8(rawName),
                                u"'%' must be followed by two hex digits in \"%1\""_s.arg(
                                    QString::fromUtf8(raw.first(std::min<qsizetype>(raw.size(), 64))))};
            }
            bytes.append(static_cast<char>(high * 16 + low));
            i += 2;
        } else {
            bytes.append(c);
        }
    }
    // Strict: a value that is not UTF-8 would be altered by decoding, and its signature with it.
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return Problem {u"form_bad_utf8"_s, QString::fromUtf8(rawName), u"the decoded bytes are not UTF-8"_s};
    return text;
}

} // namespace

Result<FormParams> FormParams::parse(QByteArrayView body)
{
    FormParams params;
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf('&', start);
        if (end < 0)
            end = body.size();
        const QByteArrayView segment = body.sliced(start, end - start);
        start = end + 1;
        if (segment.isEmpty())
            continue;
        const qsizetype eq = segment.indexOf('=');
        const QByteArrayView rawName = eq < 0 ? segment : segment.first(eq);
        const QByteArrayView rawValue = eq < 0 ? QByteArrayView() : segment.sliced(eq + 1);
        Result<QString> name = decodeComponent(rawName, rawName);
        if (!name)
            return name.error();
        Result<QString> value = decodeComponent(rawValue, rawName);
        if (!value)
            return value.error();
        params.append(std::move(name).value(), std::move(value).value());
    }
    return params;
}

QByteArray FormParams::encodeComponent(QStringView text)
{
    static constexpr char hexDigits[] = "0123456789ABCDEF";
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() * 3);
    for (const char c : utf8) {
        if (isUnreserved(c)) {
            out.append(c);
        } else if (c == ' ') {
            out.append('+');
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out.append('%');
            out.append(hexDigits[byte >> 4]);
            out.append(hexDigits[byte & 0x0f]);
        }
    }
    return out;
}

QByteArray FormParams::encode() const
{
    QByteArray out;
    for (const Pair &pair : m_pairs) {
        if (!out.isEmpty())
            out.append('&');
        out.append(encodeComponent(pair.first));
        out.append('=');
        out.append(encodeComponent(pair.second));
    }
    return out;
}

bool FormParams::contains(QStringView name) const
{
    for (const Pair &pair : m_pairs) {
        if (pair.first == name)
            return true;
    }
    return false;
}

QString FormParams::value(QStringView name, const QString &fallback) const
{
    for (const Pair &pair : m_pairs) {
        if (pair.first == name)
            return pair.second;
    }
    return fallback;
}

QStringList FormParams::values(QStringView name) const
{
    QStringList out;
    for (const Pair &pair : m_pairs) {
        if (pair.first == name)
            out.append(pair.second);
    }
    return out;
}

} // namespace heartline
