#pragma once

#include <memory>

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

namespace heartline {

/// A small in-process TCP relay between one simulated agent and the server, to cut the agent's
/// network the way a dead Wi-Fi or a pulled cable does: setCut(true) silently drops everything in
/// both directions and keeps both sockets open (a half-open connection neither end is told about).
/// Closes seen during the cut are not passed on either; when the cut ends, a pair with one side
/// closed meanwhile is closed on the other side too, as the next packet would find out.
///
/// Each connection the agent opens gets its own upstream connection, one pair at a time.
class TcpRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TcpRelay)

public:
    /// `traffic`, when set, grows with traffic() (a fleet's total).
    TcpRelay(QHostAddress upstreamAddress, quint16 upstreamPort, quint64 *traffic = nullptr, QObject *parent = nullptr);
    ~TcpRelay() override;

    /// Listens on 127.0.0.1 and a free port.
    bool listen();
    [[nodiscard]] quint16 port() const { return m_listener.serverPort(); }

    void setCut(bool cut);
    [[nodiscard]] bool isCut() const { return m_cut; }
    /// Bytes passed on plus bytes dropped: grows with any traffic (a driver waits for it to stop).
    [[nodiscard]] quint64 traffic() const { return m_traffic; }

private:
    struct Pair;
    void onNewConnection();
    void forward(QTcpSocket *from, QTcpSocket *to, QByteArray *pending);
    void onClosed(bool downstream);
    void closePair();
    void count(quint64 amount);

    QHostAddress m_upstreamAddress;
    quint16 m_upstreamPort = 0;
    QTcpServer m_listener;
    std::unique_ptr<Pair> m_pair;
    bool m_cut = false;
    quint64 m_traffic = 0;
    quint64 *m_totalTraffic = nullptr;
};

} // namespace heartline
