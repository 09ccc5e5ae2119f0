#include "settings/AgentSettings.h"

#include <algorithm>

#include <QSettings>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {
const QString ServerUrlKey = u"server/url"_s;
const QString AgentIdKey = u"server/agentId"_s;
const QString ServerCaFileKey = u"server/caFile"_s;
const QString VoiceUrlKey = u"voice/url"_s;
const QString RingSoundKey = u"calls/ringSound"_s;
const QString CloseToTrayKey = u"window/closeToTray"_s;
const QString AutoAwayKey = u"status/autoAway"_s;
const QString MicrophoneKey = u"audio/microphone"_s;
const QString SpeakerKey = u"audio/speaker"_s;
const QString RingerKey = u"audio/ringer"_s;
const QString AutoAnswerKey = u"calls/autoAnswerSeconds"_s;
const QString SipCaFileKey = u"voice/tlsCaFile"_s;
} // namespace

AgentSettings::AgentSettings(const QString &iniFile)
    : m_settings(iniFile.isEmpty() ? std::make_unique<QSettings>(u"Heartline"_s, u"heartline-agent"_s)
                                   : std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{ }

AgentSettings::~AgentSettings() = default;

QUrl AgentSettings::serverUrl() const
{
    return QUrl(m_settings->value(ServerUrlKey).toString());
}

void AgentSettings::setServerUrl(const QUrl &url)
{
    m_settings->setValue(ServerUrlKey, url.toString());
}

QString AgentSettings::serverCaFile() const
{
    return m_settings->value(ServerCaFileKey).toString();
}

void AgentSettings::setServerCaFile(const QString &file)
{
    m_settings->setValue(ServerCaFileKey, file);
}

QString AgentSettings::agentId() const
{
    return m_settings->value(AgentIdKey).toString();
}

void AgentSettings::setAgentId(const QString &agentId)
{
    m_settings->setValue(AgentIdKey, agentId);
}

QUrl AgentSettings::voiceUrl() const
{
    return QUrl(m_settings->value(VoiceUrlKey).toString());
}

void AgentSettings::setVoiceUrl(const QUrl &url)
{
    m_settings->setValue(VoiceUrlKey, url.toString());
}

bool AgentSettings::ringSound() const
{
    return m_settings->value(RingSoundKey, true).toBool();
}

void AgentSettings::setRingSound(bool on)
{
    m_settings->setValue(RingSoundKey, on);
}

bool AgentSettings::closeToTray() const
{
    return m_settings->value(CloseToTrayKey, true).toBool();
}

void AgentSettings::setCloseToTray(bool on)
{
    m_settings->setValue(CloseToTrayKey, on);
}

bool AgentSettings::autoAway() const
{
    return m_settings->value(AutoAwayKey, true).toBool();
}

void AgentSettings::setAutoAway(bool on)
{
    m_settings->setValue(AutoAwayKey, on);
}

SipAudioDeviceSelection AgentSettings::audioDevices() const
{
    return {m_settings->value(MicrophoneKey).toString(), m_settings->value(SpeakerKey).toString(),
            m_settings->value(RingerKey).toString()};
}

void AgentSettings::setAudioDevices(const SipAudioDeviceSelection &devices)
{
    m_settings->setValue(MicrophoneKey, devices.capture);
    m_settings->setValue(SpeakerKey, devices.playback);
    m_settings->setValue(RingerKey, devices.ringer);
}

int AgentSettings::autoAnswerSeconds() const
{
    return std::clamp(m_settings->value(AutoAnswerKey, 0).toInt(), 0, MaxAutoAnswerSeconds);
}

void AgentSettings::setAutoAnswerSeconds(int seconds)
{
    m_settings->setValue(AutoAnswerKey, std::clamp(seconds, 0, MaxAutoAnswerSeconds));
}

QString AgentSettings::voiceCaFile() const
{
    return m_settings->value(SipCaFileKey).toString();
}

QString AgentSettings::location() const
{
    return m_settings->fileName();
}

void AgentSettings::sync()
{
    m_settings->sync();
}

} // namespace heartline
