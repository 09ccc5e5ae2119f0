#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QTimer>

class QWebSocket;

namespace heartline {

class AgentOverview;

/// Sends one supervisor's `snapshot` page by page (docs/protocol.md, "snapshot"): at most `pageSize`
/// agents a page, in agent-id order, each page built from the registry when it is sent, starting after
/// the last id of the page before. The whole floor in one message was about 1 KB an agent, built and
/// written in one event-loop turn: at 100,000 agents a stall of seconds for every heartbeat waiting
/// behind it, and more than a client reads in one message.
///
/// The next page waits until the socket has handed the previous one to the kernel, then for a later
/// turn of the event loop, so heartbeats are served between pages, a slow supervisor is not buffered
/// whole, and the server holds about one page of JSON per supervisor whatever the floor's size.
///
/// The number of pages is fixed at the first. Deltas keep flowing to the supervisor between pages,
/// and a page is never older than a delta sent before it (it is built when sent), so applying both in
/// arrival order ends current. An agent added meanwhile is announced by agentsChanged (every change is,
/// to every supervisor) and, when its id sorts after the cursor, is in a later page too; one removed
/// before its page is simply not in it. So a page may hold fewer agents than `pageSize`, the last ones
/// even none, and agents added ahead of the cursor beyond the last page's room come by their delta only.
///
/// Owned with the socket's connection: destroying it (the supervisor left, or was refused) stops the
/// paging; it never outlives the socket it writes to.
class SupervisorSnapshotPager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupervisorSnapshotPager)

public:
    /// About 110 KB of JSON, built in about 4 ms (bench/bench_supervisor_snapshot): a page of 500 took
    /// 15-25 ms, longer than a heartbeat should wait behind it.
    static constexpr qsizetype PageSize = 100;

    SupervisorSnapshotPager(QWebSocket &socket, const AgentOverview &overview, qsizetype pageSize,
                            QObject *parent = nullptr);
    ~SupervisorSnapshotPager() override;

    /// Sends page 1 now, with the statistics; the other pages follow on later turns.
    void start(const QJsonObject &stats);

    [[nodiscard]] int pages() const { return m_pages; }
    [[nodiscard]] int sentPages() const { return m_sent; }
    [[nodiscard]] bool isFinished() const { return m_sent > 0 && m_sent == m_pages; }

private:
    void sendPage(const QJsonObject &stats);
    void nextWhenDrained();

    QWebSocket &m_socket;
    const AgentOverview &m_overview;
    const qsizetype m_pageSize;
    int m_pages = 0;
    int m_sent = 0;
    QString m_cursor; ///< the last agent id sent; the next page starts after it
    bool m_waitingForDrain = false;
    QTimer m_next; ///< zero interval: the next page on a later turn of the event loop
};

} // namespace heartline
