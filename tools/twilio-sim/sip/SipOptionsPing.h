#pragma once

#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QUdpSocket>

namespace heartline {

/// Asks a SIP server "are you there?" over UDP (OPTIONS, RFC 3261 §11) until it answers 200.
/// KamailioProcess uses it to report the domain started only once requests are really handled:
/// Kamailio binds its sockets early, but answers only when its worker processes run.
class SipOptionsPing final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SipOptionsPing)

public:
    explicit SipOptionsPing(QObject *parent = nullptr);

    /// Sends an OPTIONS now and every `intervalMs` until answered or stop().
    void start(const QHostAddress &address, quint16 port, int intervalMs = 100);
    void stop();

Q_SIGNALS:
    /// A 200 answer to one of our OPTIONS arrived.
    void answered();

private:
    void send();
    void readAnswers();

    QUdpSocket m_socket;
    QTimer m_timer;
    QHostAddress m_address;
    quint16 m_port = 0;
    QByteArray m_callId;
    int m_sequence = 0;
};

} // namespace heartline
