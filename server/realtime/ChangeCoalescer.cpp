#include "realtime/ChangeCoalescer.h"

#include <utility>

namespace heartline {

ChangeCoalescer::ChangeCoalescer(Flush flush, QObject *parent) : QObject(parent), m_flush(std::move(flush)) { }

void ChangeCoalescer::mark(const QString &id)
{
    m_pending.insert(id);
    if (m_flushPosted)
        return;
    // A queued call, not a zero timer: it runs when the loop next handles posted events, after
    // whatever posted before it, and is dropped if this object goes first.
    m_flushPosted = true;
    QMetaObject::invokeMethod(this, &ChangeCoalescer::flush, Qt::QueuedConnection);
}

void ChangeCoalescer::flush()
{
    m_flushPosted = false;
    if (m_pending.isEmpty())
        return;
    // Taken out first: whatever the flush marks goes into the next turn, not into this loop.
    const QSet<QString> pending = std::exchange(m_pending, {});
    m_flush(QStringList(pending.cbegin(), pending.cend()));
}

} // namespace heartline
