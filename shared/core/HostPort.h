#pragma once

#include <optional>

#include <QHostAddress>
#include <QStringView>

namespace heartline {

/// "127.0.0.1:8080", "[::1]:8080", "localhost:0", "0.0.0.0:443". Port 0 asks the OS for a free one.
struct HostPort
{
    QHostAddress address;
    quint16 port = 0;
};

/// nullopt when the text is not ADDRESS:PORT with a literal address (or "localhost") and a port 0–65535.
[[nodiscard]] std::optional<HostPort> parseHostPort(QStringView text);

} // namespace heartline
