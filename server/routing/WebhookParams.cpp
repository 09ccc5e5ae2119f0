#include "routing/WebhookParams.h"

#include <algorithm>

#include "twilio/FormParams.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

Problem invalid(const QString &name, const QString &expected, const QString &got)
{
    return Problem {u"invalid_value"_s, name, u"%1 must be %2, got \"%3\""_s.arg(name, expected, got.left(64))};
}

/// Digits only, at most ten of them, and within range.
std::optional<qint64> parseWholeNumber(const QString &text)
{
    if (text.isEmpty() || text.size() > 10)
        return std::nullopt;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    const qint64 value = text.toLongLong();
    if (value > WebhookParams::MaxWholeNumber)
        return std::nullopt;
    return value;
}

} // namespace

Result<QString> WebhookParams::single(const QString &name) const
{
    const QStringList values = m_params.values(name);
    if (values.size() > 1)
        return Problem {u"invalid_value"_s, name,
                        u"%1 must be given once, got %2 values"_s.arg(name).arg(values.size())};
    return values.value(0);
}

Result<QString> WebhookParams::oneOf(const QString &name, std::span<const QStringView> words) const
{
    auto value = single(name);
    if (!value)
        return value;
    if (std::find(words.begin(), words.end(), value.value()) == words.end())
        return invalid(name, u"one of "_s + wordList(words), value.value());
    return value;
}

Result<std::optional<qint64>> WebhookParams::wholeNumber(const QString &name) const
{
    const auto text = single(name);
    if (!text)
        return text.error();
    if (text->isEmpty())
        return std::optional<qint64>(); // absent: the webhook does not say
    const auto number = parseWholeNumber(text.value());
    if (!number)
        return invalid(name, u"a whole number from 0 to %1"_s.arg(MaxWholeNumber), text.value());
    return number;
}

QString WebhookParams::wordList(std::span<const QStringView> words)
{
    QString text;
    for (qsizetype i = 0; i < qsizetype(words.size()); ++i) {
        if (i > 0)
            text += i + 1 == qsizetype(words.size()) ? u" or "_s : u", "_s;
        text += words[i];
    }
    return text;
}

} // namespace heartline
