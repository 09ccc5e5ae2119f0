#include "connection/RttMeter.h"

#include <algorithm>
#include <cmath>

#include "protocol/ProtocolTypes.h"

namespace heartline {

void RttMeter::addSample(double ms)
{
    if (!std::isfinite(ms) || ms < 0)
        return;
    const double sample = std::min(ms, MaxRttMs); // the protocol refuses larger values
    m_last = sample;
    m_smoothed = m_smoothed ? (*m_smoothed * 7.0 + sample) / 8.0 : sample;
}

} // namespace heartline
