#pragma once

#include <QFile>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTcpServer>

namespace heartline::test {

/// A loopback port a server can bind a moment later, for a server whose port must be known before
/// it starts (the stand-in's webhook URLs name it, and a restart binds it again). Ports are drawn
/// below the range the OS hands out for port 0 and for outgoing connections: from that range, any
/// connection a parallel test opens could take the port in the meantime.
inline quint16 freeLoopbackPort()
{
    int ephemeralLow = 32768;
    QFile range(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
    if (range.open(QIODevice::ReadOnly)) {
        const int low = QString::fromLatin1(range.readAll()).split(QLatin1Char('\t')).value(0).trimmed().toInt();
        if (low > 11'024)
            ephemeralLow = low;
    }
    for (int attempt = 0; attempt < 200; ++attempt) {
        const auto port = quint16(QRandomGenerator::global()->bounded(10'000, ephemeralLow));
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, port))
            return port;
    }
    QTcpServer probe; // every draw taken: fall back to what the OS offers
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace heartline::test
