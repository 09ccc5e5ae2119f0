#pragma once

#include <optional>

#include <QHostAddress>
#include <QString>
#include <QStringView>

class QTcpServer;

namespace heartline {

/// "127.0.0.1:8080", "[::1]:8080", "localhost:0", "0.0.0.0:443". Port 0 asks the OS for a free one.
struct HostPort
{
    QHostAddress address;
    quint16 port = 0;
};

/// nullopt when the text is not ADDRESS:PORT with a literal address (or "localhost") and a port 0–65535.
[[nodiscard]] std::optional<HostPort> parseHostPort(QStringView text);

/// Listens on address:port; false with `errorText` saying why otherwise. A port another program
/// already holds is said in so many words: Qt's own text for it ("The bound address is already in
/// use") does not tell an operator that something else is running there.
bool listenOn(QTcpServer &server, const QHostAddress &address, quint16 port, QString *errorText);

} // namespace heartline
