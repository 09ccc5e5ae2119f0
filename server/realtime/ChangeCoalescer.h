#pragma once

#include <functional>

#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

namespace heartline {

/// Collects the ids marked during one turn of the event loop and hands them over once, when the
/// loop gets back to its posted events. A burst of changes to one agent (reserved, then answered,
/// in the same callback) becomes one notice carrying only where the burst ended.
class ChangeCoalescer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChangeCoalescer)

public:
    using Flush = std::function<void(const QStringList &ids)>;

    explicit ChangeCoalescer(Flush flush, QObject *parent = nullptr);

    /// The id changed: it is handed to the flush at the end of this turn, however often it is marked.
    void mark(const QString &id);
    /// The id was dealt with already this turn (an answer carried the same news): nothing to hand over.
    void forget(const QString &id) { m_pending.remove(id); }
    [[nodiscard]] qsizetype pendingCount() const { return m_pending.size(); }

private:
    void flush();

    Flush m_flush;
    QSet<QString> m_pending;
    bool m_flushPosted = false;
};

} // namespace heartline
