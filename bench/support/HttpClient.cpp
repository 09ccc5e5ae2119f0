#include "HttpClient.h"

#include <chrono>

using namespace Qt::StringLiterals;

namespace heartline::bench {

bool HttpClient::connect()
{
    m_reader.clear();
    if (!m_socket.connectTo(m_port)) {
        m_error = m_socket.error();
        return false;
    }
    return true;
}

std::optional<HttpAnswer> HttpClient::exchange(const QByteArray &request, double *latencyUs)
{
    if (!m_socket.isOpen() && !connect())
        return std::nullopt;
    const auto start = std::chrono::steady_clock::now();
    if (!m_socket.sendAll(request)) {
        m_error = m_socket.error();
        m_socket.close();
        return std::nullopt;
    }
    char buffer[65536];
    for (;;) {
        if (auto answer = m_reader.next()) {
            if (latencyUs) {
                *latencyUs
                    = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
            }
            return answer;
        }
        if (!m_reader.error().isEmpty()) {
            m_error = m_reader.error();
            m_socket.close();
            return std::nullopt;
        }
        const qsizetype received = m_socket.receive(buffer, sizeof buffer, 30'000);
        if (received <= 0) {
            m_error = received == 0 ? u"the server closed the connection"_s : m_socket.error();
            m_socket.close();
            return std::nullopt;
        }
        m_reader.feed(buffer, received);
    }
}

} // namespace heartline::bench
