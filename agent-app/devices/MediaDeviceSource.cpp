#include "devices/MediaDeviceSource.h"

#include <QAudioDevice>

namespace heartline {

namespace {

QList<AudioDevice> convert(const QList<QAudioDevice> &devices)
{
    QList<AudioDevice> out;
    out.reserve(devices.size());
    for (const QAudioDevice &device : devices)
        out.append(AudioDevice {device.id(), device.description(), device.isDefault()});
    return out;
}

} // namespace

MediaDeviceSource::MediaDeviceSource(QObject *parent) : AudioDeviceSource(parent)
{
    connect(&m_devices, &QMediaDevices::audioInputsChanged, this, &AudioDeviceSource::changed);
    connect(&m_devices, &QMediaDevices::audioOutputsChanged, this, &AudioDeviceSource::changed);
}

QList<AudioDevice> MediaDeviceSource::inputs() const
{
    return convert(QMediaDevices::audioInputs());
}

QList<AudioDevice> MediaDeviceSource::outputs() const
{
    return convert(QMediaDevices::audioOutputs());
}

} // namespace heartline
