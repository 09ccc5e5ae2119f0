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
    QString handingOffTo;     ///< the agent a dequeue is under way for
    qint64 stayStartedMs = 0; ///< when the server answered with the Enqueue of this stay
    bool atTwilio = false;    ///< Twilio has it in its queue (a waitUrl request of this stay, or its Members list)
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
    /// What the line has for an agent who is ready now.
    struct Offer
    {
        WaitingCaller *caller = nullptr;
        bool waitForTwilio = false; ///< the caller whose turn it is is not in Twilio's queue yet
    };
    /// The longest-waiting caller not being handed to an agent already and known to be in Twilio's
    /// queue. A caller ahead of it whose Enqueue Twilio has not confirmed yet holds the line for up to
    /// `confirmWithinMs` from the start of its stay: handing over the one behind would break the
    /// order, and a dequeue of a caller not yet in Twilio's queue fails. After that it is stepped
    /// over (it hung up before Twilio queued it; its webhooks will say so). The callers stepped over
    /// are those in a hand-off, at most one per agent, and those stale ones.
    [[nodiscard]] Offer next(qint64 nowMs, qint64 confirmWithinMs);
    /// Every caller counts as in Twilio's queue (its order was rebuilt, or cannot be checked).
    void confirmAll();
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
