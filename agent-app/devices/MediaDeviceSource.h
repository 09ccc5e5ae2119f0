#pragma once

#include <QMediaDevices>

#include "devices/AudioDeviceSource.h"

namespace heartline {

/// The desktop's audio devices through Qt Multimedia. QMediaDevices reports plugging and
/// unplugging as it happens (PulseAudio/PipeWire events), so a headset pulled out is known at once.
class MediaDeviceSource final : public AudioDeviceSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MediaDeviceSource)

public:
    explicit MediaDeviceSource(QObject *parent = nullptr);

    [[nodiscard]] QList<AudioDevice> inputs() const override;
    [[nodiscard]] QList<AudioDevice> outputs() const override;

private:
    QMediaDevices m_devices;
};

} // namespace heartline
