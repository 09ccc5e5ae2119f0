#pragma once

#include <QObject>

#include "devices/AudioDeviceSource.h"
#include "protocol/ProtocolTypes.h"

namespace heartline {

/// What the agent's audio looks like, as the server wants it (DeviceState's audio fields):
/// whether an input and an output device are present and which ones would be used. Reports each
/// change at once, so the server hears of an unplugged headset within the second.
class DeviceMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceMonitor)

public:
    explicit DeviceMonitor(AudioDeviceSource &source, QObject *parent = nullptr);

    /// audioInput, audioOutput and their names; the other DeviceState fields stay empty.
    [[nodiscard]] DeviceState state() const { return m_state; }
    [[nodiscard]] QList<AudioDevice> inputs() const { return m_source->inputs(); }
    [[nodiscard]] QList<AudioDevice> outputs() const { return m_source->outputs(); }
    /// Reads another source from now on (the softphone's own device list once it runs), and
    /// reports at once if it sees something else.
    void setSource(AudioDeviceSource &source);

    /// Reads the source again; emits changed when the result differs.
    void refresh();

Q_SIGNALS:
    void changed(const heartline::DeviceState &state);

private:
    [[nodiscard]] DeviceState read() const;

    AudioDeviceSource *m_source;
    DeviceState m_state;
};

} // namespace heartline
