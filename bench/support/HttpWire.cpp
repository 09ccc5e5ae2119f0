#include "HttpWire.h"

using namespace Qt::StringLiterals;

namespace heartline::bench {

namespace {

bool startsWithNoCase(QByteArrayView line, QByteArrayView prefix)
{
    return line.size() >= prefix.size() && line.first(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray httpRequest(QByteArrayView method, QByteArrayView path, const HeaderList &headers, QByteArrayView body,
                       QByteArrayView contentType)
{
    QByteArray request;
    request.reserve(256 + body.size());
    request.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (const auto &[name, value] : headers)
        request.append(name).append(": ").append(value).append("\r\n");
    if (!body.isEmpty() || method == "POST") {
        request.append("Content-Type: ").append(contentType).append("\r\n");
        request.append("Content-Length: ").append(QByteArray::number(body.size())).append("\r\n");
    }
    request.append("\r\n").append(body);
    return request;
}

std::optional<HttpAnswer> HttpAnswerReader::next()
{
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return std::nullopt;
    const QByteArrayView head = QByteArrayView(m_buffer).first(headerEnd);
    if (!head.startsWith("HTTP/1.") || head.size() < 12) {
        m_error = u"not an HTTP answer: "_s + QString::fromLatin1(head.first(qMin<qsizetype>(head.size(), 40)));
        return std::nullopt;
    }
    HttpAnswer answer;
    answer.status = head.sliced(9, 3).toInt();
    qsizetype contentLength = 0;
    qsizetype lineStart = head.indexOf("\r\n") + 2;
    while (lineStart > 1 && lineStart < head.size()) {
        qsizetype lineEnd = head.indexOf("\r\n", lineStart);
        if (lineEnd < 0)
            lineEnd = head.size();
        const QByteArrayView line = head.sliced(lineStart, lineEnd - lineStart);
        if (startsWithNoCase(line, "content-length:")) {
            contentLength = line.sliced(15).trimmed().toLongLong();
        } else if (startsWithNoCase(line, "transfer-encoding:")) {
            m_error = u"chunked answers are not supported by this reader"_s;
            return std::nullopt;
        }
        lineStart = lineEnd + 2;
    }
    const qsizetype total = headerEnd + 4 + contentLength;
    if (m_buffer.size() < total)
        return std::nullopt;
    answer.body = m_buffer.mid(headerEnd + 4, contentLength);
    m_buffer.remove(0, total);
    return answer;
}

} // namespace heartline::bench
