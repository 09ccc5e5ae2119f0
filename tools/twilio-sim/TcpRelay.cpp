#include "TcpRelay.h"

#include <QTcpSocket>

namespace heartline {

struct TcpRelay::Pair
{
    QTcpSocket *down = nullptr; ///< the agent's side
    QTcpSocket *up = nullptr;   ///< the server's side
    QByteArray toUp;            ///< what the agent sent before the upstream connection was up
    bool upConnected = false;
    bool downClosed = false; ///< seen during a cut, passed on when it ends
    bool upClosed = false;
};

TcpRelay::TcpRelay(QHostAddress upstreamAddress, quint16 upstreamPort, quint64 *traffic, QObject *parent)
    : QObject(parent), m_upstreamAddress(std::move(upstreamAddress)), m_upstreamPort(upstreamPort),
      m_totalTraffic(traffic)
{
    connect(&m_listener, &QTcpServer::newConnection, this, &TcpRelay::onNewConnection);
}

TcpRelay::~TcpRelay()
{
    closePair();
}

bool TcpRelay::listen()
{
    return m_listener.listen(QHostAddress::LocalHost, 0);
}

void TcpRelay::onNewConnection()
{
    while (QTcpSocket *down = m_listener.nextPendingConnection()) {
        // One agent, one live connection: a new one means the app gave up on the old one.
        closePair();
        m_pair = std::make_unique<Pair>();
        Pair *pair = m_pair.get();
        pair->down = down;
        pair->up = new QTcpSocket(this);
        down->setParent(this);
        connect(down, &QTcpSocket::readyRead, this, [this, pair] {
            if (m_pair.get() == pair)
                forward(pair->down, pair->upConnected ? pair->up : nullptr, &pair->toUp);
        });
        connect(down, &QTcpSocket::disconnected, this, [this, pair] {
            if (m_pair.get() == pair)
                onClosed(true);
        });
        connect(pair->up, &QTcpSocket::connected, this, [this, pair] {
            if (m_pair.get() != pair)
                return;
            pair->upConnected = true;
            if (!m_cut && !pair->toUp.isEmpty())
                pair->up->write(pair->toUp);
            pair->toUp.clear();
        });
        connect(pair->up, &QTcpSocket::readyRead, this, [this, pair] {
            if (m_pair.get() == pair)
                forward(pair->up, pair->down, nullptr);
        });
        connect(pair->up, &QTcpSocket::disconnected, this, [this, pair] {
            if (m_pair.get() == pair)
                onClosed(false);
        });
        connect(pair->up, &QTcpSocket::errorOccurred, this, [this, pair](QAbstractSocket::SocketError) {
            if (m_pair.get() == pair && !pair->upConnected)
                onClosed(false); // the server is not there (restarting): the agent sees its socket close
        });
        pair->up->connectToHost(m_upstreamAddress, m_upstreamPort);
    }
}

void TcpRelay::forward(QTcpSocket *from, QTcpSocket *to, QByteArray *pending)
{
    const QByteArray data = from->readAll();
    count(quint64(data.size()));
    if (m_cut)
        return; // dropped, as packets on a dead link
    if (to)
        to->write(data);
    else if (pending)
        pending->append(data);
}

void TcpRelay::count(quint64 amount)
{
    m_traffic += amount;
    if (m_totalTraffic)
        *m_totalTraffic += amount;
}

void TcpRelay::onClosed(bool downstream)
{
    count(1);
    if (m_cut) {
        // Nobody on the other side can learn of it while the link is down.
        (downstream ? m_pair->downClosed : m_pair->upClosed) = true;
        return;
    }
    closePair();
}

void TcpRelay::setCut(bool cut)
{
    if (m_cut == cut)
        return;
    m_cut = cut;
    count(1);
    if (!cut && m_pair && (m_pair->downClosed || m_pair->upClosed))
        closePair(); // the first packet after the cut meets a closed connection
}

void TcpRelay::closePair()
{
    if (!m_pair)
        return;
    const std::unique_ptr<Pair> pair = std::move(m_pair);
    for (QTcpSocket *socket : {pair->down, pair->up}) {
        socket->disconnect(this);
        // Gracefully when the link works (what was forwarded still arrives), else at once.
        if (socket->state() == QAbstractSocket::ConnectedState && !m_cut)
            socket->disconnectFromHost();
        else
            socket->abort();
        socket->deleteLater();
    }
}

} // namespace heartline
