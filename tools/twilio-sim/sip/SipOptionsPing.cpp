#include "SipOptionsPing.h"

#include <QNetworkDatagram>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace heartline {

SipOptionsPing::SipOptionsPing(QObject *parent) : QObject(parent)
{
    connect(&m_timer, &QTimer::timeout, this, &SipOptionsPing::send);
    connect(&m_socket, &QUdpSocket::readyRead, this, &SipOptionsPing::readAnswers);
}

void SipOptionsPing::start(const QHostAddress &address, quint16 port, int intervalMs)
{
    stop();
    m_address = address;
    m_port = port;
    m_callId = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    m_sequence = 0;
    m_socket.bind(address.protocol() == QAbstractSocket::IPv6Protocol ? QHostAddress::AnyIPv6 : QHostAddress::AnyIPv4,
                  0);
    m_timer.start(intervalMs);
    send();
}

void SipOptionsPing::stop()
{
    m_timer.stop();
    m_socket.close();
}

void SipOptionsPing::send()
{
    const QByteArray host = m_address.toString().toLatin1();
    const QByteArray target = m_address.protocol() == QAbstractSocket::IPv6Protocol ? '[' + host + ']' : host;
    // The answer goes back to where the request came from (rport), whatever the Via host says.
    const QByteArray local = target + ':' + QByteArray::number(m_socket.localPort());
    ++m_sequence;
    const QByteArray request = "OPTIONS sip:" + target + ':' + QByteArray::number(m_port) + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK" + m_callId.left(8) + QByteArray::number(m_sequence)
        + ";rport\r\n" + "Max-Forwards: 70\r\n" + "From: <sip:ping@" + target + ">;tag=" + m_callId.left(8) + "\r\n"
        + "To: <sip:" + target + ">\r\n" + "Call-ID: " + m_callId + "\r\n" + "CSeq: " + QByteArray::number(m_sequence)
        + " OPTIONS\r\n" + "Content-Length: 0\r\n\r\n";
    m_socket.writeDatagram(request, m_address, m_port);
}

void SipOptionsPing::readAnswers()
{
    while (m_socket.hasPendingDatagrams()) {
        const QByteArray answer = m_socket.receiveDatagram().data();
        if (answer.startsWith("SIP/2.0 200") && answer.contains(m_callId)) {
            stop();
            Q_EMIT answered();
            return;
        }
    }
}

} // namespace heartline
