#pragma once

#include <memory>
#include <optional>

#include <QHash>
#include <QTimer>

#include "devices/AudioDeviceSource.h"
#include "protocol/SipCredentials.h"
#include "sip/SipTypes.h"
#include "voice/VoiceEndpoint.h"

namespace heartline {

class SipCore;

/// The sound devices liblinphone can use, for the device check: what a call would record from and
/// play to is the "default". Filled by SipVoiceEndpoint from the Core's reports.
class SipAudioDeviceSource final : public AudioDeviceSource
{
    Q_OBJECT

public:
    using AudioDeviceSource::AudioDeviceSource;

    [[nodiscard]] QList<AudioDevice> inputs() const override { return m_inputs; }
    [[nodiscard]] QList<AudioDevice> outputs() const override { return m_outputs; }
    /// False until the Core reported its devices once (never when calls use audio files).
    [[nodiscard]] bool hasReported() const { return m_reported; }

    void update(const QList<SipAudioDevice> &devices, const SipAudioDeviceSelection &selection);

private:
    QList<AudioDevice> m_inputs;
    QList<AudioDevice> m_outputs;
    bool m_reported = false;
};

/// The agent's softphone: a SIP user agent (SipCore, liblinphone on its own thread) registered at
/// the Twilio SIP Domain with the account the server handed out at login (SipCredentials).
///
/// - Registration follows SipCore: Registered is the only state in which calls ring here. A
///   registrar that refuses the password (401/403) emits credentialsRefused(): the app asks the
///   server for a new one. Any other failure (registrar unreachable, network gone) is retried after
///   Options::retryDelayMs, for as long as the endpoint is started.
/// - An incoming INVITE becomes an IncomingCall named by Twilio's `X-Twilio-CallSid` header (the
///   agent's leg), with the caller's call from `X-Heartline-Parent-CallSid`, which the server puts
///   in the SIP URI it dials so that the call matches its screen pop. Without them (a SIP client
///   calling directly) the SIP Call-ID names the call.
/// - During a connected call the audio figures are read every Options::statsIntervalMs.
class SipVoiceEndpoint final : public VoiceEndpoint
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SipVoiceEndpoint)

public:
    struct Options
    {
        QString folder;    ///< the Core's own folder (its configuration and databases)
        QString ringFile;  ///< WAV played on the ringer device; empty: silent ringing
        QString tlsCaFile; ///< certificate authorities for a TLS registrar; empty: the system's
        bool tlsVerifyServer = true;
        /// Audio from and to WAV files instead of sound devices (tests).
        bool useAudioFiles = false;
        QString playFile;
        QString recordFile;
        SipAudioDeviceSelection devices; ///< empty ids: liblinphone's defaults
        /// A headset plugged or unplugged is seen this quickly (within 2 s, and each scan costs a
        /// sound-card enumeration, so not much more often).
        int deviceScanIntervalMs = 1500;
        int statsIntervalMs = 2000;
        int registrationExpirySeconds = 600;
        int retryDelayMs = 5000;
        QString userAgent = QStringLiteral("Heartline agent");
    };

    explicit SipVoiceEndpoint(Options options, QObject *parent = nullptr);
    ~SipVoiceEndpoint() override;

    /// The account to register with (from the login answer); registers again at once when started.
    void setCredentials(const SipCredentials &credentials);
    [[nodiscard]] const std::optional<SipCredentials> &credentials() const { return m_credentials; }

    void start(const QString &identity) override;
    void stop() override;
    void accept(const QString &callSid) override;
    void decline(const QString &callSid) override;
    void hangup(const QString &callSid) override;
    void setMuted(const QString &callSid, bool muted) override;
    [[nodiscard]] bool canMute() const override { return true; }
    [[nodiscard]] bool ringsItself() const override { return true; }
    [[nodiscard]] std::optional<VoiceLine> voiceLine() const override { return VoiceLine::Sip; }
    [[nodiscard]] std::optional<CallQuality> callQuality() const override { return m_quality; }

    /// Microphone, speaker and ringer; refused ids come back as errorReported().
    void selectDevices(const SipAudioDeviceSelection &selection);
    void setRingFile(const QString &ringFile);
    [[nodiscard]] QList<SipAudioDevice> audioDevices() const { return m_devices; }
    [[nodiscard]] SipAudioDeviceSelection deviceSelection() const { return m_selection; }
    /// The devices as the device check reads them.
    [[nodiscard]] SipAudioDeviceSource &deviceSource() { return m_deviceSource; }

    /// The SIP registration as the Core last reported it (status code and reason included).
    [[nodiscard]] SipRegistration sipRegistration() const { return m_sipRegistration; }

Q_SIGNALS:
    /// The registrar refused the password: ask the server for a new one (setCredentials()).
    void credentialsRefused();
    /// After stop(): the registrar took the unregistration (or refused it; either way it is over).
    void unregistered();
    void audioDevicesChanged();

private:
    struct Call
    {
        QString handle; ///< SipCore's name for it
        IncomingCall call;
        bool connected = false;
    };

    void ensureCore();
    [[nodiscard]] bool coreStarted() const;
    void registerNow();
    void onStarted();
    void onRegistration(const SipRegistration &registration);
    void onIncoming(const SipCallInfo &info);
    void onCallState(const QString &handle, SipCallState state);
    void onCallEnded(const QString &handle, const SipCallEnd &end);
    void onStats(const QString &handle, const SipCallStats &stats);
    void requestStats();
    [[nodiscard]] Call *callBySid(const QString &callSid);
    [[nodiscard]] Call *callByHandle(const QString &handle);

    Options m_options;
    std::unique_ptr<SipCore> m_core;
    bool m_coreSecureMedia = false; ///< the SRTP policy the running Core was started with
    std::optional<SipCredentials> m_credentials;
    QString m_wanted; ///< the identity to keep registered; empty when stopped
    SipRegistration m_sipRegistration;
    QTimer m_retryTimer;
    QTimer m_statsTimer;
    QList<Call> m_calls;
    std::optional<CallQuality> m_quality;
    QList<SipAudioDevice> m_devices;
    SipAudioDeviceSelection m_selection;
    SipAudioDeviceSource m_deviceSource;
};

/// liblinphone's figures as the wire carries them: unknown values (< 0) left out, the 0–5 rating
/// clamped to a MOS of 1–5.
[[nodiscard]] CallQuality callQualityFrom(const SipCallStats &stats);

} // namespace heartline
