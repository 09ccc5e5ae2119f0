#pragma once

#include <optional>

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include "protocol/AgentProtocol.h"
#include "voice/VoiceEndpoint.h"

namespace heartline {

class Clock;

enum class CallPhase {
    Idle,      ///< no call
    Ringing,   ///< a call is offered here: accept or decline
    Answering, ///< accepted, waiting for the voice server to connect it
    Connected, ///< talking; the timer runs
    Ended,     ///< the last call ended; its summary stays until the next one
};

/// What the agent sees of the current (or last) call: the voice endpoint's offer, completed with
/// the server's screen pop (callOffered: queue, how long the caller waited).
struct CallDetails
{
    QString callSid;       ///< the voice leg
    QString parentCallSid; ///< the caller's call
    QString from;
    QString to;
    std::optional<QString> queue;
    std::optional<int> waitSeconds;
    qint64 ringingSinceMs = 0;
    qint64 connectedAtMs = 0; ///< 0 until connected
    qint64 endedAtMs = 0;
    QString endReason; ///< "canceled", "declined", "missed" (rang out), "completed"
};

/// One call at a time, from ring to end: follows the voice endpoint's signals, sends the agent's
/// accept / decline / hang up to it, and keeps the details the call panel shows. The call timer
/// reads the injected Clock.
class CallSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallSession)

public:
    CallSession(const Clock &clock, QObject *parent = nullptr);

    /// The endpoint whose calls this follows; may change when the voice settings change.
    void setEndpoint(VoiceEndpoint *endpoint);

    /// The server's screen pop; matched to the voice offer by the caller's call SID, in either order.
    void addOffer(const AgentCallOffered &offer);
    /// The server says the caller's call is over for this agent: the card ends it at once (and the
    /// voice leg too, should it still ring or talk), whatever the voice line noticed.
    void serverEnded(const AgentCallEnded &ended);

    void accept();
    void decline();
    void hangup();
    /// Stops (or resumes) sending the microphone during the call, where the endpoint can.
    void setMuted(bool muted);
    [[nodiscard]] bool isMuted() const { return m_muted; }
    [[nodiscard]] bool canMute() const { return m_endpoint && m_endpoint->canMute(); }
    /// The connected call's audio quality, when the endpoint measures it.
    [[nodiscard]] std::optional<CallQuality> quality() const
    {
        return m_endpoint ? m_endpoint->callQuality() : std::nullopt;
    }

    /// Answers a ringing call by itself after this long (headset users); 0: never.
    void setAutoAnswerMs(qint64 ms) { m_autoAnswerMs = ms; }
    [[nodiscard]] qint64 autoAnswerMs() const { return m_autoAnswerMs; }
    /// Whole seconds until a ringing call is answered by itself; nullopt when it will not be.
    [[nodiscard]] std::optional<int> autoAnswerInSeconds() const;
    /// Does what is due by the clock (auto-answer); a timer calls it, tests call it themselves.
    void poll();

    [[nodiscard]] CallPhase phase() const { return m_phase; }
    [[nodiscard]] const CallDetails &details() const { return m_details; }
    /// Talking time so far (or of the ended call), in whole seconds.
    [[nodiscard]] qint64 talkSeconds() const;

Q_SIGNALS:
    void phaseChanged(heartline::CallPhase phase);
    void detailsChanged();

private:
    void onIncoming(const IncomingCall &call);
    void onCanceled(const QString &callSid);
    void onConnected(const QString &callSid);
    void onDisconnected(const QString &callSid);
    void end(const QString &reason);
    void setPhase(CallPhase phase);
    void mergeOffer();

    const Clock &m_clock;
    VoiceEndpoint *m_endpoint = nullptr;
    bool m_muted = false;
    qint64 m_autoAnswerMs = 0;
    QTimer m_pollTimer; ///< calls poll() while a call rings with auto-answer on
    CallPhase m_phase = CallPhase::Idle;
    CallDetails m_details;
    QHash<QString, AgentCallOffered> m_offers; ///< screen pops by the caller's call SID, not yet matched
};

} // namespace heartline
