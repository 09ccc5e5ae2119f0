#pragma once

#include <map>
#include <optional>
#include <tuple>

#include <QHash>
#include <QString>

namespace heartline {

/// A caller waiting in one queue, as the server keeps it.
struct WaitingCaller
{
    qint64 memberId = 0; ///< the queue_members row of this stay
    QString callSid;
    QString from;
    QString to;
    qint64 firstEnqueuedAtMs = 0; ///< when the call first joined this queue (kept across failed hand-offs)
    qint64 arrival = 0;           ///< its first stay's row id: callers enqueued in the same ms keep their arrival order
    qint64 lastAnnouncedMs = 0;
    QString handingOffTo; ///< the agent a dequeue is under way for
};

/// The waiting callers of one queue in the server's own order: by first enqueue time, then arrival.
/// This order, not Twilio's QueuePosition, decides who is handed to an agent next, so a caller whose
/// hand-off failed and who was enqueued again (at the end of Twilio's queue) keeps its place.
/// Insert, remove, find and next() cost O(log n); position() walks the callers ahead of one.
class WaitingLine final
{
public:
    using Key = std::tuple<qint64, qint64, QString>;
    using Callers = std::map<Key, WaitingCaller>;

    /// Adds a caller at the place its first enqueue time gives it; a caller already waiting is left as it is.
    WaitingCaller &insert(WaitingCaller caller);
    /// Moves a waiting caller to an earlier first enqueue time (a later one is ignored: the earliest wins).
    /// True when it moved.
    bool moveEarlier(const QString &callSid, qint64 firstEnqueuedAtMs);
    std::optional<WaitingCaller> take(const QString &callSid);

    [[nodiscard]] WaitingCaller *find(const QString &callSid);
    [[nodiscard]] const WaitingCaller *find(const QString &callSid) const;
    /// The longest-waiting caller not being handed to an agent already. The callers it steps over are
    /// those in a hand-off, at most one per agent.
    [[nodiscard]] WaitingCaller *next();
    /// 1 for the longest-waiting caller; 0 when the caller is not waiting here.
    [[nodiscard]] int position(const QString &callSid) const;

    [[nodiscard]] const WaitingCaller *front() const;
    [[nodiscard]] qsizetype size() const { return qsizetype(m_callers.size()); }
    [[nodiscard]] bool isEmpty() const { return m_callers.empty(); }
    [[nodiscard]] const Callers &callers() const { return m_callers; }

private:
    Callers m_callers;
    QHash<QString, Key> m_keys; ///< to find a caller by CallSid
};

} // namespace heartline
