#pragma once

#include <optional>

#include <QObject>
#include <QTimer>

namespace heartline {

class Clock;
class IdleSource;

/// Where the "Still there?" question stands.
enum class IdleStage {
    Present, ///< input recently, or nothing to ask
    Asking,  ///< quiet for the prompt time: the app asks "Still there?" and waits the grace period
    Away,    ///< unanswered: the server hears presence "idle" and offers no calls until the next input
};

/// Notices a walk-away: reads the desktop's input idle time (an IdleSource) every second and asks
/// "Still there?" after the server's prompt time without input, then gives up on the agent after
/// its grace period. Before that, after the server's quiet time without input, it says the agent is
/// quiet (isQuiet()): routing then offers calls to agents with recent input first. Quiet time counts from the later of
/// the last input and the end of the last call: talking on the headset is not idle, so no question is asked while a
/// call rings or is on, nor right after it. Any input or confirmPresent() ends the question (or the away stage) at
/// once.
///
/// Time comes from the injected Clock and poll(), which a timer calls; tests move a ManualClock
/// and call poll() themselves.
class IdleWatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdleWatch)

public:
    /// `source` may be null (no idle time known): then nothing is ever asked or reported.
    IdleWatch(const Clock &clock, IdleSource *source, int pollIntervalMs = 1000, QObject *parent = nullptr);

    /// The server's IDLE_PROMPT_SECONDS (0: never ask), IDLE_GRACE_SECONDS and INPUT_QUIET_SECONDS
    /// (0: never quiet), from its welcome.
    void setTimes(int promptSeconds, int graceSeconds, int quietSeconds = 0);
    /// Whether asking makes sense: signed in and available (an agent on a break is not offered
    /// calls anyway). Turning it off ends a question; an away stage stays until the next input.
    void setAskingAllowed(bool allowed);
    /// A call rings or is on (true), or the line is free again (false). Quiet time starts again at
    /// the end of a call that was connected (talking on the headset is activity); an offer that rang
    /// at the desk and was not answered is not.
    void setOnCall(bool onCall, bool connected);
    /// "I'm here": as good as input, whatever the desktop saw.
    void confirmPresent();
    /// Signed out: back to present, forgetting calls and answers.
    void reset();

    /// Reads the source and moves the stage on by the clock.
    void poll();

    [[nodiscard]] bool hasSource() const { return m_source != nullptr; }
    [[nodiscard]] IdleStage stage() const { return m_stage; }
    /// No input for the quiet time, outside calls (true from then until the next input or call).
    [[nodiscard]] bool isQuiet() const { return m_quiet; }
    [[nodiscard]] int promptSeconds() const { return int(m_promptMs / 1000); }
    /// While asking: whole seconds until the app gives up (rounded up).
    [[nodiscard]] int secondsLeft() const;
    /// Seconds since the last keyboard or mouse input (or "I'm here"), as the server wants it;
    /// empty when the source cannot tell.
    [[nodiscard]] std::optional<double> idleSeconds();

    /// Input closer together than this is one stretch of activity: real sources are read a few
    /// milliseconds apart from the clock, so "now − idle" jitters a little between reads.
    static constexpr qint64 InputToleranceMs = 500;

Q_SIGNALS:
    void stageChanged(heartline::IdleStage stage);
    /// While asking, the whole seconds left changed.
    void countdownChanged(int secondsLeft);
    /// Keyboard or mouse input (or "I'm here") after a quiet moment.
    void inputSeen();
    void quietChanged(bool quiet);

private:
    void setStage(IdleStage stage);
    void setQuiet(bool quiet);
    void noticeInput();

    const Clock &m_clock;
    IdleSource *m_source = nullptr;
    QTimer m_timer;
    IdleStage m_stage = IdleStage::Present;
    qint64 m_promptMs = 0; ///< 0: do not ask
    qint64 m_graceMs = 30'000;
    qint64 m_quietMs = 0; ///< 0: never quiet
    bool m_quiet = false;
    bool m_allowed = false;
    bool m_onCall = false;
    bool m_connected = false;            ///< the call on the line was answered
    std::optional<qint64> m_lastInputMs; ///< as the source last told it (clock time)
    qint64 m_callEndedAtMs = 0;
    qint64 m_confirmedAtMs = 0;
    qint64 m_askedAtMs = 0;
    int m_shownSecondsLeft = -1;
};

} // namespace heartline
