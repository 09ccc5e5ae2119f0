#include "realtime/SupervisorSnapshotPager.h"

#include <QWebSocket>

#include "agents/AgentOverview.h"
#include "protocol/SupervisorProtocol.h"

namespace heartline {

SupervisorSnapshotPager::SupervisorSnapshotPager(QWebSocket &socket, const AgentOverview &overview, qsizetype pageSize,
                                                 QObject *parent)
    : QObject(parent), m_socket(socket), m_overview(overview), m_pageSize(std::max<qsizetype>(pageSize, 1))
{
    m_next.setSingleShot(true);
    m_next.setInterval(0);
    connect(&m_next, &QTimer::timeout, this, [this] { sendPage({}); });
    // Emitted as the socket writes to the kernel, for deltas as well as pages: what counts is that
    // nothing is left in its buffer.
    connect(&m_socket, &QWebSocket::bytesWritten, this, [this] {
        if (m_waitingForDrain && m_socket.bytesToWrite() == 0) {
            m_waitingForDrain = false;
            m_next.start();
        }
    });
}

SupervisorSnapshotPager::~SupervisorSnapshotPager() = default;

void SupervisorSnapshotPager::start(const QJsonObject &stats)
{
    const qsizetype agents = m_overview.agentCount();
    m_pages = int(std::max<qsizetype>(1, (agents + m_pageSize - 1) / m_pageSize));
    sendPage(stats);
}

void SupervisorSnapshotPager::sendPage(const QJsonObject &stats)
{
    if (isFinished())
        return;
    SupervisorSnapshot page;
    page.agents = m_overview.viewsAfter(m_cursor, m_pageSize);
    page.stats = stats;
    page.serverTimeMs = m_overview.nowMs();
    page.page = ++m_sent;
    page.pages = m_pages;
    if (!page.agents.isEmpty())
        m_cursor = page.agents.last().agentId;
    m_socket.sendTextMessage(QString::fromUtf8(serialize(SupervisorServerMessage {std::move(page)})));
    if (!isFinished())
        nextWhenDrained();
}

void SupervisorSnapshotPager::nextWhenDrained()
{
    // The page just sent is written on a later turn; bytesWritten says when it is gone.
    if (m_socket.bytesToWrite() > 0)
        m_waitingForDrain = true;
    else
        m_next.start();
}

} // namespace heartline
