#include "models/ChartHistory.h"

namespace heartline {

void ChartHistory::add(const ChartSample &sample)
{
    if (!m_samples.empty() && sample.atMs < m_samples.back().atMs)
        return;
    m_samples.push_back(sample);
    while (!m_samples.empty() && m_samples.front().atMs < sample.atMs - WindowMs)
        m_samples.pop_front();
}

bool ChartHistory::due(qint64 nowMs) const
{
    return m_samples.empty() || nowMs - m_samples.back().atMs >= SampleIntervalMs;
}

} // namespace heartline
