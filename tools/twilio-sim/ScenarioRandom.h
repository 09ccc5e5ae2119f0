#pragma once

#include <cmath>
#include <cstdint>

#include <QtGlobal>

namespace heartline {

/// The random numbers of a scenario: the same seed gives the same sequence on every machine and
/// compiler (std::uniform_*_distribution may differ between standard libraries, so the
/// distributions are written out here). xoshiro256** seeded through splitmix64; `stream` gives
/// each agent its own sequence, so one agent's draws never shift another's.
class ScenarioRandom final
{
public:
    explicit ScenarioRandom(quint64 seed, quint64 stream = 0)
    {
        quint64 x = seed ^ (stream * 0x9E3779B97F4A7C15ULL) ^ 0xD1B54A32D192ED03ULL;
        for (quint64 &word : m_state)
            word = splitmix(x);
    }

    quint64 next()
    {
        const quint64 result = rotl(m_state[1] * 5, 7) * 9;
        const quint64 t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    /// In [0, 1), 53 bits.
    double unit() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    /// In [0, n); n > 0.
    quint64 bounded(quint64 n) { return quint64(unit() * double(n)); }
    /// In [low, high], whole milliseconds or counts.
    qint64 between(qint64 low, qint64 high)
    {
        return high <= low ? low : low + qint64(bounded(quint64(high - low + 1)));
    }
    bool chance(double probability) { return unit() < probability; }
    /// Exponentially distributed with this mean (Poisson arrivals, talk times).
    double exponential(double mean) { return -mean * std::log(1.0 - unit()); }

private:
    static quint64 rotl(quint64 x, int k) { return (x << k) | (x >> (64 - k)); }
    static quint64 splitmix(quint64 &x)
    {
        quint64 z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    quint64 m_state[4] {};
};

/// FNV-1a over the scenario's events: two runs with the same seed must print the same value.
class EventChecksum final
{
public:
    void add(quint64 value)
    {
        for (int i = 0; i < 8; ++i) {
            m_hash ^= (value >> (8 * i)) & 0xFF;
            m_hash *= 0x100000001B3ULL;
        }
        ++m_count;
    }
    void add(qint64 value) { add(quint64(value)); }
    void add(int value) { add(quint64(qint64(value))); }

    [[nodiscard]] quint64 value() const { return m_hash; }
    [[nodiscard]] quint64 count() const { return m_count; }

private:
    quint64 m_hash = 0xCBF29CE484222325ULL;
    quint64 m_count = 0;
};

} // namespace heartline
