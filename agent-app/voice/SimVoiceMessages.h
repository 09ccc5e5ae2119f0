#pragma once

#include <optional>
#include <variant>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "core/Result.h"
#include "voice/VoiceEndpoint.h"

// The Twilio stand-in's voice-client signaling (heartline-twilio-sim, WebSocket /voice), one JSON
// object per text frame:
//   client → sim: register {token} or {identity}; accept, reject, hangup {callSid}
//   sim → client: registered {identity}; incoming {callSid, parentCallSid, from, to, params};
//                 canceled, connected, disconnected {callSid}; error {message}

namespace heartline::simvoice {

struct Registered
{
    QString identity;
};
struct Incoming
{
    IncomingCall call;
};
/// canceled, connected or disconnected.
struct CallEvent
{
    enum Kind { Canceled, Connected, Disconnected } kind = Canceled;
    QString callSid;
};
struct Error
{
    QString message;
};

using SimMessage = std::variant<Registered, Incoming, CallEvent, Error>;

/// Reads a message from the sim. A message of a type this build does not know is a problem with
/// code "unknown_type" (the caller logs and ignores it).
[[nodiscard]] Result<SimMessage> parse(QByteArrayView raw);

/// {"type":"register","identity":...}; with a token, {"type":"register","token":...} instead.
[[nodiscard]] QByteArray registerIdentity(const QString &identity);
[[nodiscard]] QByteArray registerToken(const QString &accessToken);
/// `type` is "accept", "reject" or "hangup".
[[nodiscard]] QByteArray callCommand(QStringView type, const QString &callSid);

} // namespace heartline::simvoice
