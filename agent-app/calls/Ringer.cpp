#include "calls/Ringer.h"

#include <QSoundEffect>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace heartline {

Ringer::Ringer(QObject *parent) : QObject(parent) { }

Ringer::~Ringer() = default;

void Ringer::setSoundEnabled(bool enabled)
{
    m_soundEnabled = enabled;
    if (!enabled && m_sound)
        m_sound->stop();
}

void Ringer::start()
{
    if (m_ringing)
        return;
    m_ringing = true;
    if (m_soundEnabled) {
        if (!m_sound) {
            m_sound = std::make_unique<QSoundEffect>();
            m_sound->setSource(QUrl(u"qrc:/heartline/agent/sounds/ring.wav"_s));
            m_sound->setLoopCount(QSoundEffect::Infinite);
            m_sound->setVolume(0.6f);
        }
        m_sound->play();
    }
    Q_EMIT ringingChanged(true);
}

void Ringer::stop()
{
    if (!m_ringing)
        return;
    m_ringing = false;
    if (m_sound)
        m_sound->stop();
    Q_EMIT ringingChanged(false);
}

} // namespace heartline
