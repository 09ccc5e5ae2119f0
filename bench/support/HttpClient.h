#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

#include "HttpWire.h"
#include "LoopbackSocket.h"

namespace heartline::bench {

/// One keep-alive connection to 127.0.0.1 used one request at a time: for sequences where the next
/// request depends on the last answer (a call's webhook, then its Dial action).
class HttpClient final
{
public:
    explicit HttpClient(quint16 port) : m_port(port) { }

    bool connect();
    /// Sends the request and waits for its answer; latencyUs (if given) gets send-to-answer time.
    /// nullopt with error() set when the connection broke or the answer was unreadable.
    [[nodiscard]] std::optional<HttpAnswer> exchange(const QByteArray &request, double *latencyUs = nullptr);
    [[nodiscard]] const QString &error() const { return m_error; }

private:
    quint16 m_port = 0;
    LoopbackSocket m_socket;
    HttpAnswerReader m_reader;
    QString m_error;
};

} // namespace heartline::bench
