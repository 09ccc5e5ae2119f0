#pragma once

#include <memory>

#include <QString>
#include <QUrl>

#include "sip/SipTypes.h"

class QSettings;

namespace heartline {

/// What the agent app remembers between runs (QSettings): the server, the agent id, the voice
/// server and a few preferences. Never the password: the agent types it at each sign-in, and the
/// session token lives in memory only.
class AgentSettings final
{
    Q_DISABLE_COPY_MOVE(AgentSettings)

public:
    /// With a file name, an INI file there (--config); without, the user's standard location
    /// (~/.config/Heartline/heartline-agent.conf on Linux).
    explicit AgentSettings(const QString &iniFile = {});
    ~AgentSettings();

    [[nodiscard]] QUrl serverUrl() const;
    void setServerUrl(const QUrl &url);
    /// PEM file of certificate authorities heartline-server's certificate is checked against, beside
    /// the system's (`server/caFile`: a company CA, or a self-signed server's certificate); empty: the
    /// system's only.
    [[nodiscard]] QString serverCaFile() const;
    void setServerCaFile(const QString &file);
    [[nodiscard]] QString agentId() const;
    void setAgentId(const QString &agentId);
    /// The voice server's signaling address (ws://host:port/voice); empty when not set up.
    [[nodiscard]] QUrl voiceUrl() const;
    void setVoiceUrl(const QUrl &url);
    [[nodiscard]] bool ringSound() const;
    void setRingSound(bool on);
    /// Closing the window keeps the app in the tray (when there is one).
    [[nodiscard]] bool closeToTray() const;
    void setCloseToTray(bool on);
    /// Away while the screen is locked or the computer sleeps; Available again afterwards.
    [[nodiscard]] bool autoAway() const;
    void setAutoAway(bool on);

    /// Microphone, speaker and ringer of the softphone (liblinphone's device ids); empty: the
    /// system's default.
    [[nodiscard]] SipAudioDeviceSelection audioDevices() const;
    void setAudioDevices(const SipAudioDeviceSelection &devices);
    /// Answer a ringing call by itself after this many seconds (headset users); 0: never.
    [[nodiscard]] int autoAnswerSeconds() const;
    void setAutoAnswerSeconds(int seconds);
    static constexpr int MaxAutoAnswerSeconds = 30;
    /// PEM file of the certificate authorities the SIP registrar's TLS certificate is checked
    /// against (`voice/tlsCaFile`, set by IT); empty: the system's.
    [[nodiscard]] QString voiceCaFile() const;

    /// Where the settings are kept, for the settings dialog and the single-instance key.
    [[nodiscard]] QString location() const;
    void sync();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace heartline
