#include "client/ReconnectBackoff.h"

#include <algorithm>
#include <cmath>

#include <QRandomGenerator>

namespace heartline {

ReconnectBackoff::ReconnectBackoff(Options options, JitterSource jitter)
    : m_options(options), m_jitter(std::move(jitter))
{
    if (!m_jitter)
        m_jitter = [] {
            return QRandomGenerator::global()->generateDouble();
        };
}

int ReconnectBackoff::nextDelayMs()
{
    const double draw = m_jitter();
    int delay = 0;
    if (m_firstSpreadMs == 0)
        delay = delayMs(m_attempt, draw);
    else if (m_attempt == 0)
        delay = int(std::lround(double(m_firstSpreadMs) * (std::isfinite(draw) ? std::clamp(draw, 0.0, 1.0) : 0.5)));
    else
        delay = delayMs(m_attempt - 1, draw);
    if (m_attempt < 1000) // past the cap the count no longer matters; keep it from overflowing
        ++m_attempt;
    return delay;
}

int ReconnectBackoff::delayMs(int attempt, double unit) const
{
    const double initial = std::max(1, m_options.initialMs);
    const double cap = std::max(m_options.initialMs, m_options.maxMs);
    // pow() of a large attempt overflows to inf, which min() then caps: no special case needed.
    const double nominal = std::min(cap, initial * std::pow(std::max(1.0, m_options.multiplier), std::max(0, attempt)));
    const double jitter = std::clamp(m_options.jitter, 0.0, 1.0);
    const double draw = std::isfinite(unit) ? std::clamp(unit, 0.0, 1.0) : 0.5;
    const double spread = nominal * (1.0 - jitter + 2.0 * jitter * draw);
    return int(std::lround(std::clamp(spread, 0.0, cap)));
}

} // namespace heartline
