#pragma once

#include <optional>

#include <QWidget>

#include "readiness/ReadinessResult.h"

class QLabel;

namespace heartline {

/// The server's view of the agent, always in sight: the readiness score, whether calls can reach
/// them, and when they cannot, why, in the server's plain words.
class ReadinessView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReadinessView)

public:
    explicit ReadinessView(QWidget *parent = nullptr);

    void showReadiness(const ReadinessResult &readiness);
    /// Nothing known (not connected yet, or the connection is lost): says so instead of a stale score.
    void showUnknown(const QString &headline, const QString &why);
    /// Whether this app's voice line can ring (registered). Without it the card never says "Ready
    /// for calls", whatever the score: the server does not gate routing on it yet.
    void setCallsCanRing(bool canRing);

private:
    void render();

    std::optional<ReadinessResult> m_readiness; ///< the last one shown; empty while unknown
    bool m_callsCanRing = false;
    QLabel *m_score = nullptr;
    QLabel *m_headline = nullptr;
    QLabel *m_reasons = nullptr;
};

} // namespace heartline
