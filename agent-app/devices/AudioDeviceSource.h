#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

namespace heartline {

/// One audio device as the app shows it.
struct AudioDevice
{
    QByteArray id;
    QString name;
    bool isDefault = false;

    friend bool operator==(const AudioDevice &, const AudioDevice &) = default;
};

/// Where the audio devices come from: Qt Multimedia on a desktop (MediaDeviceSource), a list the
/// caller sets in tests and screenshots (StaticAudioDeviceSource). DeviceMonitor reads only this.
class AudioDeviceSource : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    [[nodiscard]] virtual QList<AudioDevice> inputs() const = 0;
    [[nodiscard]] virtual QList<AudioDevice> outputs() const = 0;

Q_SIGNALS:
    /// A device appeared or went away (a headset plugged or unplugged).
    void changed();
};

/// Devices set by hand: tests, screenshots, and machines where Qt Multimedia has no backend.
class StaticAudioDeviceSource final : public AudioDeviceSource
{
    Q_OBJECT

public:
    using AudioDeviceSource::AudioDeviceSource;

    [[nodiscard]] QList<AudioDevice> inputs() const override { return m_inputs; }
    [[nodiscard]] QList<AudioDevice> outputs() const override { return m_outputs; }

    void setInputs(const QList<AudioDevice> &devices)
    {
        m_inputs = devices;
        Q_EMIT changed();
    }
    void setOutputs(const QList<AudioDevice> &devices)
    {
        m_outputs = devices;
        Q_EMIT changed();
    }

private:
    QList<AudioDevice> m_inputs;
    QList<AudioDevice> m_outputs;
};

} // namespace heartline
