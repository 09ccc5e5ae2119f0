#pragma once

#include <QByteArray>
#include <QString>
#include <QVarLengthArray>

namespace heartline {

/// Writes compact JSON straight into a byte array, for the answers sent most often (the HTTP
/// heartbeat's reply), where building a QJsonObject and serialising it cost more than the rest of
/// the request. Keys are written in the order given: write them sorted, as QJsonDocument does, and
/// the bytes are the same as QJsonDocument::toJson(Compact) would give.
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
    JsonWriter &value(const QString &text);

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
