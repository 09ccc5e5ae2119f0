#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>
#include <QString>

#include "connection/ServerSession.h"
#include "protocol/ProtocolTypes.h"
#include "voice/VoiceEndpoint.h"

namespace heartline {

enum class CheckState {
    Pass,    ///< green
    Warn,    ///< works, but not as it should (amber)
    Fail,    ///< red: calls are affected; `fix` says what to do
    Unknown, ///< not measured yet
};

/// One line of the device check: what was checked, what was found, and the fix in plain words.
struct CheckItem
{
    QString id; ///< "microphone", "speaker", "server", "voice", "network"
    CheckState state = CheckState::Unknown;
    QString title;
    QString detail;
    QString fix; ///< empty when nothing needs doing
};

/// What the checks look at.
struct CheckInputs
{
    DeviceState audio; ///< from DeviceMonitor
    ConnectionState connection = ConnectionState::SignedOut;
    int reconnectInSeconds = 0;
    VoiceRegistration voice = VoiceRegistration::NotConfigured;
    QString voiceError;
    std::optional<double> roundTripMs;
};

/// Turns measurements into the device-check list (pure: the panel draws it, tests read it).
class DeviceChecks final
{
    Q_DECLARE_TR_FUNCTIONS(DeviceChecks)

public:
    /// Round trips up to this are good (the readiness network factor's full-points bound).
    static constexpr double GoodRoundTripMs = 150;
    /// From this on calls suffer (the readiness "bad" bound, where a high_rtt issue opens).
    static constexpr double BadRoundTripMs = 600;

    [[nodiscard]] static QList<CheckItem> evaluate(const CheckInputs &inputs);
    /// True when every check passes (nothing amber or red).
    [[nodiscard]] static bool allPass(const QList<CheckItem> &items);
};

} // namespace heartline
