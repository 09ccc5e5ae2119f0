#pragma once

#include <optional>

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include "protocol/SupervisorProtocol.h"

namespace heartline {

/// The pages of a `snapshot` gathered into the whole floor (docs/protocol.md, "snapshot"), with the
/// deltas that arrive between pages applied to it in arrival order, so the floor is current when its
/// last page is in. A page is built by the server when it is sent, never older than a delta sent
/// before it, so "the latest arrival wins" holds for pages and deltas alike.
///
/// The dashboard shows the floor once every page is in rather than page by page. On a 10,000-agent
/// floor the pages take a second or two; shown as they came, the header would count a tenth of the
/// floor, then a fifth..., the sorted table would reshuffle under the supervisor's eyes, and a
/// reconnect would shrink a full table to its first page. Waiting keeps the table and its figures
/// whole: after a reconnect the old rows stay (greyed, as stale) until the new floor replaces them in
/// one reset, as the single snapshot did; the status bar shows the pages as they come.
///
/// Page 1 always starts over (a new connection's snapshot). A snapshot without page numbers, from a
/// server before paging, reads as page 1 of 1 and is complete at once.
class SnapshotPages final
{
public:
    /// Takes a page; returns the whole floor when it was the last one. A page other than the next
    /// (a page lost to an unreadable message) is taken all the same and logged: the floor completes
    /// at the last page, and the agents of the lost one appear as their deltas come.
    [[nodiscard]] std::optional<SupervisorSnapshot> add(const SupervisorSnapshot &page);
    /// While pages are being gathered, deltas go into the gathered floor (the table is about to be
    /// replaced by it) and these return true; otherwise they return false and change nothing.
    bool applyChanges(const QList<AgentView> &agents);
    bool applyRemovals(const QStringList &agentIds);
    /// Statistics pushed between pages replace page 1's, so the floor completes with the newest.
    bool applyStats(const QJsonObject &stats);
    /// Forgets a snapshot in progress (the connection was lost: the next one starts over).
    void clear();

    [[nodiscard]] bool isGathering() const { return m_pages > 0; }
    /// Pages received of the snapshot being gathered, and how many it has; 0 when none is.
    [[nodiscard]] int receivedPages() const { return m_received; }
    [[nodiscard]] int pages() const { return m_pages; }
    [[nodiscard]] qsizetype agentCount() const { return m_agents.size(); }

private:
    void put(const AgentView &agent);

    QHash<QString, AgentView> m_agents;
    QStringList m_order; ///< ids in arrival order (server pages: id order), those removed since included
    QJsonObject m_stats;
    int m_received = 0;
    int m_pages = 0;
};

} // namespace heartline
