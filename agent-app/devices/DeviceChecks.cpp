#include "devices/DeviceChecks.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

CheckItem microphone(const DeviceState &audio)
{
    if (audio.audioInput.value_or(false))
        return {u"microphone"_s,
                CheckState::Pass,
                DeviceChecks::tr("Microphone"),
                audio.audioInputName.value_or(QString()),
                {}};
    return {u"microphone"_s, CheckState::Fail, DeviceChecks::tr("Microphone"), DeviceChecks::tr("No microphone found."),
            DeviceChecks::tr("Plug in a headset.")};
}

CheckItem speaker(const DeviceState &audio)
{
    if (audio.audioOutput.value_or(false))
        return {u"speaker"_s,
                CheckState::Pass,
                DeviceChecks::tr("Headset or speakers"),
                audio.audioOutputName.value_or(QString()),
                {}};
    return {u"speaker"_s, CheckState::Fail, DeviceChecks::tr("Headset or speakers"),
            DeviceChecks::tr("No headset or speakers found."), DeviceChecks::tr("Plug in a headset.")};
}

CheckItem server(const CheckInputs &inputs)
{
    const QString title = DeviceChecks::tr("Server connection");
    switch (inputs.connection) {
    case ConnectionState::Live:
        return {u"server"_s, CheckState::Pass, title, DeviceChecks::tr("Connected."), {}};
    case ConnectionState::HttpOnly:
        return {u"server"_s, CheckState::Warn, title,
                DeviceChecks::tr("Connected in basic mode: your network blocks live updates, so changes reach you "
                                 "late."),
                DeviceChecks::tr("Ask your IT team to allow WebSocket connections to the Heartline server.")};
    case ConnectionState::Reconnecting:
        return {u"server"_s, CheckState::Fail, title,
                DeviceChecks::tr("Not connected. Trying again in %n s.", nullptr, inputs.reconnectInSeconds),
                DeviceChecks::tr("Check your network cable or Wi-Fi. The app reconnects by itself.")};
    case ConnectionState::Connecting:
    case ConnectionState::SigningIn:
        return {u"server"_s, CheckState::Unknown, title, DeviceChecks::tr("Connecting…"), {}};
    case ConnectionState::SignedOut:
        break;
    }
    return {u"server"_s, CheckState::Fail, title, DeviceChecks::tr("Not signed in."), DeviceChecks::tr("Sign in.")};
}

CheckItem voice(const CheckInputs &inputs)
{
    const QString title = DeviceChecks::tr("Voice line");
    switch (inputs.voice) {
    case VoiceRegistration::Registered:
        return {u"voice"_s, CheckState::Pass, title, DeviceChecks::tr("Ready: calls ring here."), {}};
    case VoiceRegistration::Connecting:
        return {u"voice"_s, CheckState::Fail, title,
                inputs.voiceError.isEmpty() ? DeviceChecks::tr("Connecting to the voice server…") : inputs.voiceError,
                DeviceChecks::tr("Calls cannot ring here until this connects. Check your network; if it stays red, "
                                 "check the voice server address in Settings.")};
    case VoiceRegistration::Failed:
        return {u"voice"_s, CheckState::Fail, title,
                DeviceChecks::tr("The voice server refused this app: %1").arg(inputs.voiceError),
                DeviceChecks::tr("Check the voice server address in Settings, or ask your supervisor.")};
    case VoiceRegistration::NotConfigured:
        break;
    }
    return {u"voice"_s, CheckState::Fail, title, DeviceChecks::tr("Not set up: calls cannot ring here."),
            DeviceChecks::tr("Enter the voice server address in Settings.")};
}

CheckItem network(const CheckInputs &inputs)
{
    const QString title = DeviceChecks::tr("Network");
    if (!inputs.roundTripMs)
        return {u"network"_s, CheckState::Unknown, title, DeviceChecks::tr("Not measured yet."), {}};
    const int ms = int(std::lround(*inputs.roundTripMs));
    if (*inputs.roundTripMs <= DeviceChecks::GoodRoundTripMs)
        return {u"network"_s, CheckState::Pass, title, DeviceChecks::tr("Round trip %1 ms.").arg(ms), {}};
    if (*inputs.roundTripMs < DeviceChecks::BadRoundTripMs)
        return {u"network"_s, CheckState::Warn, title, DeviceChecks::tr("Round trip %1 ms: a little slow.").arg(ms),
                DeviceChecks::tr("Use a cable instead of Wi-Fi if you can, and pause large downloads or videos.")};
    return {u"network"_s, CheckState::Fail, title, DeviceChecks::tr("Round trip %1 ms: too slow for calls.").arg(ms),
            DeviceChecks::tr("Use a cable instead of Wi-Fi, pause large downloads or videos, or tell your IT team.")};
}

} // namespace

QList<CheckItem> DeviceChecks::evaluate(const CheckInputs &inputs)
{
    return {microphone(inputs.audio), speaker(inputs.audio), voice(inputs), server(inputs), network(inputs)};
}

bool DeviceChecks::allPass(const QList<CheckItem> &items)
{
    return std::all_of(items.begin(), items.end(),
                       [](const CheckItem &item) { return item.state == CheckState::Pass; });
}

} // namespace heartline
