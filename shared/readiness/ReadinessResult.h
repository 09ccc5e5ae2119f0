#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace heartline {

/// One weighted factor of the readiness score, with why it scored what it did.
struct ReadinessFactor
{
    QString name;      ///< "heartbeat", "device", "network", "reliability"
    int points = 0;    ///< what the agent earned, 0..maxPoints
    int maxPoints = 0; ///< the factor's weight
    QString reason;    ///< plain words: "last heartbeat 12 s ago", "no audio input device"

    friend bool operator==(const ReadinessFactor &, const ReadinessFactor &) = default;
};

/// A hard gate the agent failed: whatever the score, the agent is not ready.
struct ReadinessGate
{
    QString gate;   ///< "no_session", "status_not_available", "heartbeat_expired", "disconnected", ...
    QString reason; ///< plain words: "status is away (lunch)"

    friend bool operator==(const ReadinessGate &, const ReadinessGate &) = default;
};

/// The outcome of scoring one agent at one instant.
struct ReadinessResult
{
    int score = 0;      ///< 0..100
    bool ready = false; ///< every gate passed and score >= the threshold
    QList<ReadinessFactor> factors;
    QList<ReadinessGate> failedGates;

    /// Why the agent is not ready (or where it lost points), failed gates first, in plain words.
    [[nodiscard]] QStringList reasons() const
    {
        QStringList out;
        for (const ReadinessGate &gate : failedGates)
            out.append(gate.reason);
        for (const ReadinessFactor &factor : factors) {
            if (factor.points < factor.maxPoints)
                out.append(factor.reason);
        }
        return out;
    }

    friend bool operator==(const ReadinessResult &, const ReadinessResult &) = default;
};

} // namespace heartline
