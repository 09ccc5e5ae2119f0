#pragma once

#include <memory>

#include <QObject>

class QSoundEffect;

namespace heartline {

/// The ring tone of an offered call, looped until answered, declined or canceled. The sound is
/// loaded on the first ring only, so a session that never rings never opens an audio device.
class Ringer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Ringer)

public:
    explicit Ringer(QObject *parent = nullptr);
    ~Ringer() override;

    /// With the sound off, ringing is silent (the window and the notification still show it).
    void setSoundEnabled(bool enabled);
    [[nodiscard]] bool soundEnabled() const { return m_soundEnabled; }

    void start();
    void stop();
    [[nodiscard]] bool isRinging() const { return m_ringing; }

Q_SIGNALS:
    void ringingChanged(bool ringing);

private:
    std::unique_ptr<QSoundEffect> m_sound;
    bool m_soundEnabled = true;
    bool m_ringing = false;
};

} // namespace heartline
