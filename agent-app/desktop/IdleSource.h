#pragma once

#include <memory>
#include <optional>

#include <QString>

#include "core/Clock.h"

namespace heartline {

/// How long the desktop has gone without keyboard or mouse input. One implementation per way of
/// asking the desktop (GNOME's compositor, the freedesktop screensaver, the X server, the app's own
/// windows); IdleWatch reads only this, so tests drive it with ManualIdleSource.
class IdleSource
{
public:
    virtual ~IdleSource() = default;

    /// Milliseconds since the last keyboard or mouse input; empty when the source cannot tell right now.
    [[nodiscard]] virtual std::optional<qint64> idleMs() = 0;
    /// For the log and the device check: "GNOME (Mutter IdleMonitor)", "this app's windows only".
    [[nodiscard]] virtual QString name() const = 0;
    /// False when only input to the app's own windows is seen (the last resort): the agent may be
    /// typing elsewhere and still look idle.
    [[nodiscard]] virtual bool seesWholeDesktop() const { return true; }

    /// The first source that answers on this desktop: GNOME's Mutter IdleMonitor, the freedesktop
    /// screensaver's GetSessionIdleTime, the X server's MIT-SCREEN-SAVER extension (X11 sessions
    /// only), and last the app's own windows. See docs/agent-app.md for why in this order.
    [[nodiscard]] static std::unique_ptr<IdleSource> forDesktop(const Clock &clock);
};

/// Input set by hand: tests and screenshots. Idle time runs on the given clock from the last input().
class ManualIdleSource final : public IdleSource
{
public:
    explicit ManualIdleSource(const Clock &clock) : m_clock(clock), m_lastInputMs(clock.nowMs()) { }

    [[nodiscard]] std::optional<qint64> idleMs() override
    {
        if (!m_known)
            return std::nullopt;
        return m_clock.nowMs() - m_lastInputMs;
    }
    [[nodiscard]] QString name() const override { return QStringLiteral("manual"); }

    /// A key press or a mouse move, now.
    void input() { m_lastInputMs = m_clock.nowMs(); }
    /// The desktop stops (or starts again) answering.
    void setKnown(bool known) { m_known = known; }

private:
    const Clock &m_clock;
    qint64 m_lastInputMs = 0;
    bool m_known = true;
};

} // namespace heartline
