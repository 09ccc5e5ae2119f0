#pragma once

#include <optional>

#include <QString>
#include <QStringList>
#include <QStringView>

namespace heartline {

/// Enum ↔ wire word for the small fixed vocabularies of the protocol and configuration (statuses,
/// activities, strategies…), from one constexpr table of {value, u"word"} pairs:
///     constexpr std::array names{std::pair{Kind::A, u"a"}, std::pair{Kind::B, u"b"}};
///     wordOf(names, Kind::A) == u"a";  valueOfWord(names, u"b") == Kind::B
template <typename Table, typename Enum> [[nodiscard]] QString wordOf(const Table &table, Enum value)
{
    for (const auto &[candidate, word] : table) {
        if (candidate == value)
            return QString::fromUtf16(word);
    }
    return {};
}

template <typename Table>
[[nodiscard]] auto valueOfWord(const Table &table, QStringView text)
    -> std::optional<typename Table::value_type::first_type>
{
    for (const auto &[value, word] : table) {
        if (text == QStringView(word))
            return value;
    }
    return std::nullopt;
}

/// "a, b or c": the words of a table, for error messages.
template <typename Table>
[[nodiscard]] QString wordsOf(const Table &table, const QString &lastSeparator = QStringLiteral(" or "))
{
    QStringList words;
    for (const auto &[value, word] : table)
        words.append(QString::fromUtf16(word));
    if (words.size() < 2)
        return words.join(QString());
    const QString last = words.takeLast();
    return words.join(QStringLiteral(", ")) + lastSeparator + last;
}

} // namespace heartline
