#include "devices/DeviceMonitor.h"

#include "AgentLogging.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// The device calls would use: the default one, else the first.
QString chosenName(const QList<AudioDevice> &devices)
{
    for (const AudioDevice &device : devices) {
        if (device.isDefault)
            return device.name.left(MaxNameLength);
    }
    return devices.isEmpty() ? QString() : devices.first().name.left(MaxNameLength);
}

} // namespace

DeviceMonitor::DeviceMonitor(AudioDeviceSource &source, QObject *parent) : QObject(parent), m_source(&source)
{
    m_state = read();
    connect(m_source, &AudioDeviceSource::changed, this, &DeviceMonitor::refresh);
}

void DeviceMonitor::setSource(AudioDeviceSource &source)
{
    if (m_source == &source)
        return;
    disconnect(m_source, &AudioDeviceSource::changed, this, &DeviceMonitor::refresh);
    m_source = &source;
    connect(m_source, &AudioDeviceSource::changed, this, &DeviceMonitor::refresh);
    refresh();
}

DeviceState DeviceMonitor::read() const
{
    const QList<AudioDevice> inputs = m_source->inputs();
    const QList<AudioDevice> outputs = m_source->outputs();
    DeviceState state;
    state.audioInput = !inputs.isEmpty();
    state.audioOutput = !outputs.isEmpty();
    state.audioInputName = chosenName(inputs);
    state.audioOutputName = chosenName(outputs);
    return state;
}

void DeviceMonitor::refresh()
{
    const DeviceState now = read();
    if (now == m_state)
        return;
    m_state = now;
    qCInfo(lcAgentDevices).noquote() << "audio devices: input" << (*now.audioInput ? *now.audioInputName : u"none"_s)
                                     << "output" << (*now.audioOutput ? *now.audioOutputName : u"none"_s);
    Q_EMIT changed(m_state);
}

} // namespace heartline
