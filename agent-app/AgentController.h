#pragma once

#include <functional>
#include <memory>

#include <QObject>
#include <QTimer>
#include <QUrl>

#include "calls/CallSession.h"
#include "connection/ServerSession.h"
#include "desktop/IdleWatch.h"
#include "devices/DeviceChecks.h"
#include "devices/DeviceMonitor.h"
#include "voice/SipVoiceEndpoint.h"
#include "voice/VoiceEndpoint.h"

namespace heartline {

class AudioDeviceSource;
class Clock;
class IdleSource;
class SipVoiceEndpoint;

/// The agent app without its windows: the server session, the audio devices, the voice endpoint
/// and the current call, wired together. It reports devices and voice registration to the server,
/// hands the server's screen pop to the call, keeps the device check up to date, and puts the
/// agent away while the screen is locked. The widgets and the tray only talk to this.
class AgentController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentController)

public:
    /// Makes the voice endpoint for a voice server address (an empty address: NoVoiceEndpoint).
    using VoiceFactory = std::function<std::unique_ptr<VoiceEndpoint>(const QUrl &voiceUrl)>;
    /// Makes the SIP softphone, for a server that dials agents over SIP (its login answer names a
    /// SIP account).
    using SipVoiceFactory = std::function<std::unique_ptr<SipVoiceEndpoint>()>;

    struct Dependencies
    {
        const Clock &clock;
        AudioDeviceSource &audio;
        ReconnectBackoff::JitterSource jitter;
        VoiceFactory voiceFactory;       ///< empty: SimVoiceEndpoint for ws:// addresses
        SipVoiceFactory sipVoiceFactory; ///< empty: a softphone in the user's data folder
        ServerSession::Options sessionOptions;
        /// The desktop's input idle time; null: none (neither presence nor idle time is reported).
        IdleSource *idle = nullptr;
    };

    explicit AgentController(Dependencies dependencies, QObject *parent = nullptr);
    ~AgentController() override;

    [[nodiscard]] ServerSession &session() { return m_session; }
    [[nodiscard]] DeviceMonitor &devices() { return m_devices; }
    [[nodiscard]] CallSession &call() { return m_call; }
    /// The "Still there?" question.
    [[nodiscard]] IdleWatch &idleWatch() { return m_idleWatch; }
    /// An offer rang out here and the server waits for input before offering the next one.
    [[nodiscard]] bool rangOut() const { return m_rangOut; }
    [[nodiscard]] VoiceEndpoint &voice() { return *m_voice; }
    /// The SIP softphone while the server dials this agent over SIP; null otherwise.
    [[nodiscard]] SipVoiceEndpoint *sipVoice() { return m_sipVoice; }
    [[nodiscard]] const Clock &clock() const { return m_clock; }

    /// Signs in; the voice endpoint registers the agent id as its client identity once signed in.
    void signIn(const QUrl &serverUrl, const QString &agentId, const QString &password);
    /// The softphone in the user's data folder, ringing with the app's ring tone.
    [[nodiscard]] static SipVoiceEndpoint::Options defaultSoftphoneOptions();
    /// How long after a refused SIP password the app asks the server for a new one.
    static constexpr int SipCredentialsRetryMs = 30'000;

    /// Signs out: the softphone unregisters first (at most SignOutUnregisterMs), then the session
    /// ends. The other way round, the server would already have replaced the SIP password and the
    /// registrar would refuse the unregistration, leaving a registration behind.
    void signOut();
    static constexpr int SignOutUnregisterMs = 2000;

    /// Changes the voice server (settings); registers again when signed in.
    void setVoiceUrl(const QUrl &url);
    [[nodiscard]] QUrl voiceUrl() const { return m_voiceUrl; }
    /// Away on screen lock and sleep (default on).
    void setAutoAway(bool on) { m_autoAwayEnabled = on; }

    /// The device check as it stands now.
    [[nodiscard]] QList<CheckItem> checks() const;

public Q_SLOTS:
    /// Screen locked or computer going to sleep: an available agent is set away.
    void onLockedOrSleeping();
    /// Back: an agent this app set away is available again (unless they chose otherwise meanwhile).
    void onUnlockedOrAwake();

Q_SIGNALS:
    /// Anything the device check shows changed.
    void checksChanged();
    /// The voice endpoint was replaced (settings changed): views holding it must re-read voice().
    void voiceEndpointChanged();

private:
    void reportDevices();
    void installVoice(std::unique_ptr<VoiceEndpoint> endpoint);
    /// Follows the server's SIP account: the softphone when there is one, the configured voice
    /// server otherwise.
    void applySipCredentials();
    void askForSipCredentials();
    /// The softphone unregistered (or took too long): the session ends now.
    void finishSignOut();
    /// Wires the "Still there?" question and the ring-out rule to the session and the call.
    void watchIdleTime();
    void updateAskingAllowed();

    const Clock &m_clock;
    ReconnectBackoff::JitterSource m_jitter;
    VoiceFactory m_voiceFactory;
    SipVoiceFactory m_sipVoiceFactory;
    ServerSession m_session;
    DeviceMonitor m_devices;
    CallSession m_call;
    IdleWatch m_idleWatch;
    std::unique_ptr<VoiceEndpoint> m_voice;
    SipVoiceEndpoint *m_sipVoice = nullptr; ///< m_voice when it is the SIP softphone
    AudioDeviceSource &m_systemAudio;       ///< the device check's source without the softphone
    QTimer m_sipCredentialsRetry;           ///< asks the server again for a SIP account
    QTimer m_signOutWait;                   ///< bounds the wait for the softphone to unregister
    QUrl m_voiceUrl;
    bool m_autoAwayEnabled = true;
    bool m_autoAwayActive = false; ///< this app set the agent away for the lock
    bool m_rangOut = false;        ///< the server holds the rang_out gate (or is about to)
};

/// The away reason the app uses while the screen is locked.
inline constexpr QStringView ScreenLockedReason = u"screen locked";

} // namespace heartline
