#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QVarLengthArray>

namespace heartline {

/// Writes compact JSON straight into a byte array, for the messages sent most often (the heartbeat's
/// reply and ack, the supervisors' agent views), where building a QJsonObject and serialising it cost
/// more than the rest of the work. Keys are written in the order given: write them sorted, as
/// QJsonDocument does, and the bytes are the same as QJsonDocument::toJson(Compact) would give.
class JsonWriter final
{
public:
    explicit JsonWriter(QByteArray &out) : m_out(out) { }

    JsonWriter &beginObject() { return open('{'); }
    JsonWriter &endObject() { return close('}'); }
    JsonWriter &beginArray() { return open('['); }
    JsonWriter &endArray() { return close(']'); }
    /// A key of the object being written (plain ASCII, written as it is).
    JsonWriter &key(const char *name);
    JsonWriter &value(qint64 number);
    JsonWriter &value(int number) { return value(qint64(number)); }
    JsonWriter &value(bool flag);
    /// As QJsonDocument writes a double: the shortest text that reads back the same ("12.5", "38",
    /// "1e+21"), and null for infinities and NaN, which JSON cannot hold.
    JsonWriter &value(double number);
    JsonWriter &value(const QString &text);
    JsonWriter &null();
    /// A value already written as compact JSON (an object serialized elsewhere), copied as it is.
    JsonWriter &raw(QByteArrayView json);

    /// The key and its value when there is one, nothing otherwise (QJsonObject's "only if set").
    template <typename T> JsonWriter &optional(const char *name, const std::optional<T> &given)
    {
        if (given)
            key(name).value(*given);
        return *this;
    }
    /// The key and its value, or null when there is none.
    template <typename T> JsonWriter &nullable(const char *name, const std::optional<T> &given)
    {
        key(name);
        return given ? value(*given) : null();
    }

private:
    JsonWriter &open(char bracket);
    JsonWriter &close(char bracket);
    /// The comma before a value or key that is not the first of its object or array.
    void separate();

    QByteArray &m_out;
    QVarLengthArray<bool, 8> m_first; ///< per open object or array: nothing written in it yet
    bool m_afterKey = false;
};

} // namespace heartline
