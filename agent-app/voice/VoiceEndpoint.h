#pragma once

#include <optional>

#include <QObject>
#include <QString>
#include <QVariantMap>

#include "protocol/ProtocolTypes.h"

namespace heartline {

/// Whether calls can ring in this app.
enum class VoiceRegistration {
    NotConfigured, ///< no voice server set up: calls cannot ring here
    Connecting,    ///< registering (or registering again after the connection dropped)
    Registered,    ///< incoming calls ring here
    Failed,        ///< the voice server refused the registration; lastError() says why
};

/// A call the voice server offers to this client.
struct IncomingCall
{
    QString callSid;       ///< the leg to this client; accept/decline/hangup name it
    QString parentCallSid; ///< the caller's call, which the server's callOffered names
    QString from;
    QString to;
    QVariantMap params; ///< custom parameters passed along with the call

    friend bool operator==(const IncomingCall &, const IncomingCall &) = default;
};

/// The seam between the app and whatever carries the voice: a SIP softphone registered at the
/// Twilio SIP Domain (SipVoiceEndpoint), or the Twilio stand-in's voice-client signaling for
/// simulated agents (SimVoiceEndpoint). The app registers an identity, hears about incoming calls
/// and answers them; it never sees the transport.
///
/// Implementations call setRegistration() and emit the call signals; the app only uses this class.
class VoiceEndpoint : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    /// Registers `identity` for incoming calls and keeps it registered (re-registering after
    /// network trouble) until stop().
    virtual void start(const QString &identity) = 0;
    virtual void stop() = 0;

    virtual void accept(const QString &callSid) = 0;
    /// Refuses a ringing call (the caller is offered to someone else).
    virtual void decline(const QString &callSid) = 0;
    /// Ends a connected call.
    virtual void hangup(const QString &callSid) = 0;
    /// Stops (or resumes) sending the microphone on a connected call, where canMute().
    virtual void setMuted(const QString &callSid, bool muted)
    {
        Q_UNUSED(callSid);
        Q_UNUSED(muted);
    }
    [[nodiscard]] virtual bool canMute() const { return false; }
    /// The endpoint plays the ring tone itself (on the ringer device the agent chose), so the app
    /// must not ring as well.
    [[nodiscard]] virtual bool ringsItself() const { return false; }
    /// What the server is told about how calls reach this app (none: no voice line at all).
    [[nodiscard]] virtual std::optional<VoiceLine> voiceLine() const { return std::nullopt; }
    /// The audio quality of the connected call, while there is one and it is measured.
    [[nodiscard]] virtual std::optional<CallQuality> callQuality() const { return std::nullopt; }

    [[nodiscard]] VoiceRegistration registration() const { return m_registration; }
    [[nodiscard]] QString identity() const { return m_identity; }
    /// Why the last registration failed, in words; empty when it did not.
    [[nodiscard]] QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void registrationChanged(heartline::VoiceRegistration registration);
    void incoming(const heartline::IncomingCall &call);
    /// The caller hung up (or another client answered) before this one did.
    void canceled(const QString &callSid);
    /// Audio is flowing: the call is answered here.
    void connected(const QString &callSid);
    /// A connected call ended (either side hung up).
    void disconnected(const QString &callSid);
    /// Something the voice server refused; for the log and the device check.
    void errorReported(const QString &message);
    /// callQuality() changed (a new measurement, or the call ended).
    void callQualityChanged();

protected:
    void setRegistration(VoiceRegistration registration, const QString &identity = {}, const QString &error = {})
    {
        const bool changed = registration != m_registration || identity != m_identity;
        m_registration = registration;
        m_identity = identity;
        m_lastError = error;
        if (changed)
            Q_EMIT registrationChanged(registration);
    }

private:
    VoiceRegistration m_registration = VoiceRegistration::NotConfigured;
    QString m_identity;
    QString m_lastError;
};

/// The endpoint when no voice server is configured: never registered, so the device check and
/// the server both say that calls cannot ring here.
class NoVoiceEndpoint final : public VoiceEndpoint
{
    Q_OBJECT

public:
    using VoiceEndpoint::VoiceEndpoint;
    void start(const QString &) override { }
    void stop() override { }
    void accept(const QString &) override { }
    void decline(const QString &) override { }
    void hangup(const QString &) override { }
};

} // namespace heartline
