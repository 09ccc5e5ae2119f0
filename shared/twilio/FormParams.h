#pragma once

#include <initializer_list>
#include <utility>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "core/Result.h"

namespace heartline {

/// The parameters of an `application/x-www-form-urlencoded` body (Twilio webhooks, REST POST bodies)
/// or query string: an ordered list of (name, value) pairs. Order is kept and repeated names are
/// kept, because Twilio's signature covers every value of a repeated name.
class FormParams
{
public:
    using Pair = std::pair<QString, QString>;

    FormParams() = default;
    FormParams(std::initializer_list<Pair> pairs) : m_pairs(pairs) { }

    /// Parses a form body. `+` is a space, `%XX` a UTF-8 byte; empty segments ("a=1&&b=2") are
    /// skipped and a segment without `=` is a name with an empty value, as browsers and Twilio's
    /// SDKs do. A `%` not followed by two hex digits is `form_bad_escape`; decoded bytes that are not
    /// UTF-8 are `form_bad_utf8`. The Problem's field is the (raw) name of the offending pair.
    [[nodiscard]] static Result<FormParams> parse(QByteArrayView body);

    /// Encodes the pairs in order as Twilio's SDKs (Python `urlencode`) do: RFC 3986 unreserved
    /// characters (`A-Z a-z 0-9 - . _ ~`) kept, space as `+`, every other UTF-8 byte as `%XX`
    /// with upper-case hex. `parse(encode())` gives back the same pairs.
    [[nodiscard]] QByteArray encode() const;

    /// One name or value, encoded as encode() does.
    [[nodiscard]] static QByteArray encodeComponent(QStringView text);

    void append(QString name, QString value) { m_pairs.append({std::move(name), std::move(value)}); }

    [[nodiscard]] bool contains(QStringView name) const;
    /// The first value of `name`, or `fallback` when there is none.
    [[nodiscard]] QString value(QStringView name, const QString &fallback = {}) const;
    /// Every value of `name`, in order.
    [[nodiscard]] QStringList values(QStringView name) const;

    [[nodiscard]] const QList<Pair> &pairs() const { return m_pairs; }
    [[nodiscard]] qsizetype size() const { return m_pairs.size(); }
    [[nodiscard]] bool isEmpty() const { return m_pairs.isEmpty(); }

    friend bool operator==(const FormParams &, const FormParams &) = default;

private:
    QList<Pair> m_pairs;
};

} // namespace heartline
