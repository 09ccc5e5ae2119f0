#include "ReconnectBackoff.h"

#include <algorithm>

#include <QRandomGenerator>

namespace heartline {

ReconnectBackoff::ReconnectBackoff(Options options, std::function<double()> random)
    : m_options(options), m_random(std::move(random))
{
    if (!m_random)
        m_random = [] {
            return QRandomGenerator::global()->generateDouble();
        };
}

qint64 ReconnectBackoff::nextDelayMs()
{
    // 2^16 already exceeds any sensible cap; stop doubling there so the shift cannot overflow.
    const int exponent = std::min(m_attempts, 16);
    ++m_attempts;
    const qint64 ceiling = std::min(m_options.maximumMs, m_options.initialMs << exponent);
    const double random = std::clamp(m_random(), 0.0, 1.0);
    return ceiling / 2 + qint64(double(ceiling - ceiling / 2) * random);
}

} // namespace heartline
