#include "realtime/SupervisorStatisticsWalk.h"

#include "agents/AgentOverview.h"

namespace heartline {

SupervisorStatisticsWalk::SupervisorStatisticsWalk(const AgentOverview &overview, QObject *parent)
    : QObject(parent), m_overview(overview)
{
    m_next.setSingleShot(true);
    m_next.setInterval(0);
    connect(&m_next, &QTimer::timeout, this, &SupervisorStatisticsWalk::countSlice);
}

SupervisorStatisticsWalk::~SupervisorStatisticsWalk() = default;

void SupervisorStatisticsWalk::start()
{
    if (m_tally)
        return;
    m_tally.emplace(m_overview.statisticsTally());
    m_cursor.clear();
    countSlice();
}

void SupervisorStatisticsWalk::cancel()
{
    m_next.stop();
    m_tally.reset();
}

void SupervisorStatisticsWalk::countSlice()
{
    if (!m_tally)
        return;
    const int before = m_tally->agentsAdded();
    m_cursor = m_overview.countAfter(m_cursor, SliceSize, *m_tally);
    if (m_tally->agentsAdded() - before == SliceSize) {
        m_next.start();
        return;
    }
    // A short slice was the last one.
    const QJsonObject stats = m_overview.statistics(*m_tally).toJson();
    m_tally.reset();
    Q_EMIT finished(stats);
}

} // namespace heartline
