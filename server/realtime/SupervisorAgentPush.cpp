#include "realtime/SupervisorAgentPush.h"

#include <algorithm>
#include <utility>

namespace heartline {

SupervisorAgentPush::SupervisorAgentPush(qsizetype sliceSize, SendSlice sendSlice, QObject *parent)
    : QObject(parent), m_sliceSize(std::max<qsizetype>(sliceSize, 1)), m_sendSlice(std::move(sendSlice))
{
    m_next.setSingleShot(true);
    m_next.setInterval(0);
    connect(&m_next, &QTimer::timeout, this, &SupervisorAgentPush::sendSlice);
}

SupervisorAgentPush::~SupervisorAgentPush() = default;

void SupervisorAgentPush::push()
{
    if (isSending()) {
        m_pushDue = true;
        return;
    }
    if (m_marked.isEmpty())
        return;
    // Swapped, not copied: the heartbeat path goes on marking into an empty set.
    m_sending.swap(m_marked);
    sendSlice();
}

void SupervisorAgentPush::clear()
{
    m_next.stop();
    m_marked.clear();
    m_sending.clear();
    m_pushDue = false;
}

void SupervisorAgentPush::sendSlice()
{
    if (m_sending.isEmpty())
        return;
    QStringList ids;
    ids.reserve(std::min(m_sliceSize, m_sending.size()));
    for (auto it = m_sending.begin(); it != m_sending.end() && ids.size() < m_sliceSize;) {
        ids.append(*it);
        it = m_sending.erase(it);
    }
    std::sort(ids.begin(), ids.end());
    m_sendSlice(ids);
    if (!m_sending.isEmpty()) {
        m_next.start();
    } else if (std::exchange(m_pushDue, false) && !m_marked.isEmpty()) {
        // The tick that came meanwhile: its push starts on a later turn, like any next slice.
        m_sending.swap(m_marked);
        m_next.start();
    }
}

} // namespace heartline
