#pragma once

// The little of HTTP/1.1 the load generators need: requests built as bytes once, answers read back
// from a keep-alive byte stream. Only what heartline-server and QHttpServer send is understood
// (Content-Length bodies); anything else is reported as an error rather than guessed at.

#include <optional>
#include <utility>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace heartline::bench {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

/// A complete request for a keep-alive connection to 127.0.0.1.
[[nodiscard]] QByteArray httpRequest(QByteArrayView method, QByteArrayView path, const HeaderList &headers = {},
                                     QByteArrayView body = {}, QByteArrayView contentType = "application/json");

/// One answer read from a connection.
struct HttpAnswer
{
    int status = 0;
    QByteArray body;
};

/// Cuts a byte stream into answers. feed() what recv() returned, then take answers with next()
/// until it returns nothing.
class HttpAnswerReader final
{
public:
    void feed(const char *data, qsizetype size) { m_buffer.append(data, size); }
    /// The next complete answer, or nullopt when more bytes are needed (or the stream is broken:
    /// error() then says why).
    [[nodiscard]] std::optional<HttpAnswer> next();
    [[nodiscard]] const QString &error() const { return m_error; }
    void clear()
    {
        m_buffer.clear();
        m_error.clear();
    }

private:
    QByteArray m_buffer;
    QString m_error;
};

} // namespace heartline::bench
