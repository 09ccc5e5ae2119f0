#pragma once

#include <algorithm>
#include <functional>

#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace heartline {

/// Which agents the supervisors' `agentsChanged` carries, and when, a slice at a time (docs/protocol.md,
/// "agentsChanged"). The heartbeat path only marks an agent; each push tick takes the agents marked
/// since the previous push and hands them to `sendSlice` at most `sliceSize` at a time, one slice now
/// and each of the others on a later turn of the event loop, so heartbeats are served between slices.
/// In one message, a floor sending 10,000 heartbeats/s had 2,500 views built in one turn at every push:
/// tens of milliseconds for every heartbeat waiting behind it.
///
/// A push is the agents marked before its tick. An agent marked again while the push is under way goes
/// once: in this push if its slice is still to come (the slice is built when it is sent, so it shows
/// the change), else in the next. A tick that finds a push still going starts the next one as soon as
/// the last slice is out. The slice's ids are sorted; slices follow no order between them.
class SupervisorAgentPush final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupervisorAgentPush)

public:
    /// Builds and sends one slice: the current view of each agent (ids sorted).
    using SendSlice = std::function<void(const QStringList &agentIds)>;

    /// About 100 KB of JSON, built and written in about half a millisecond on a shared two-core machine
    /// (bench/bench_supervisor_snapshot): the same bound as a snapshot page.
    static constexpr qsizetype SliceSize = 100;

    SupervisorAgentPush(qsizetype sliceSize, SendSlice sendSlice, QObject *parent = nullptr);
    ~SupervisorAgentPush() override;

    /// The agent changed: it goes out with the push under way if its slice is still to come, else with
    /// the next. Called for every heartbeat: two set look-ups at most.
    void mark(const QString &agentId)
    {
        if (!m_sending.contains(agentId))
            m_marked.insert(agentId);
    }
    /// A push tick: what was marked goes out, the first slice now.
    void push();
    /// Nobody watches any more: forgets every mark and the push under way.
    void clear();
    /// For pushes started from now on (tests: a few agents in several slices).
    void setSliceSize(qsizetype agents) { m_sliceSize = std::max<qsizetype>(agents, 1); }

    /// Agents marked and not sent yet, in the push under way or waiting for the next.
    [[nodiscard]] qsizetype pendingCount() const { return m_marked.size() + m_sending.size(); }
    [[nodiscard]] bool isSending() const { return !m_sending.isEmpty(); }

private:
    void sendSlice();

    qsizetype m_sliceSize;
    SendSlice m_sendSlice;
    QSet<QString> m_marked;  ///< for the next push
    QSet<QString> m_sending; ///< the push under way: agents whose slice is still to come
    bool m_pushDue = false;  ///< a tick came while a push was under way
    QTimer m_next;           ///< zero interval: the next slice on a later turn
};

} // namespace heartline
