#pragma once

#include <QObject>

#include "desktop/IdleSource.h"

namespace heartline {

/// The last resort: input to this app's own windows only, seen through an application-wide event
/// filter. Where the desktop tells nobody its idle time (a Wayland compositor other than GNOME's),
/// an agent who works in another window all the time looks idle here: the "Still there?" prompt
/// then asks them to click the app now and then, which is better than not noticing a walk-away.
class AppInputIdleSource final : public QObject, public IdleSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppInputIdleSource)

public:
    /// Watches every event of the application from now on (QCoreApplication must exist).
    explicit AppInputIdleSource(const Clock &clock, QObject *parent = nullptr);
    ~AppInputIdleSource() override;

    [[nodiscard]] std::optional<qint64> idleMs() override { return m_clock.nowMs() - m_lastInputMs; }
    [[nodiscard]] QString name() const override;
    [[nodiscard]] bool seesWholeDesktop() const override { return false; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    const Clock &m_clock;
    qint64 m_lastInputMs = 0;
};

} // namespace heartline
