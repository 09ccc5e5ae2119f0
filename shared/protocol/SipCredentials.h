#pragma once

#include <optional>

#include <QJsonObject>
#include <QString>

#include "core/Result.h"

namespace heartline {

class JsonReader;

/// The agent app's SIP account at the Twilio SIP Domain: the `sip` object of the login answer and of
/// POST /api/voice/sip-credentials (docs/api.md). The server hands the password out once and keeps
/// no copy: the app registers with it until its next login.
struct SipCredentials
{
    enum class Status {
        Ready,       ///< username and password are set: register with them
        Unavailable, ///< no credentials this time: `reason` says why; ask again later
    };

    Status status = Status::Unavailable;
    QString username;                     ///< Ready: the digest username, the agent id
    QString password;                     ///< Ready: the new password (the previous one stopped working)
    QString domain;                       ///< the SIP Domain: the app's address is sip:username@domain
    QString registrar;                    ///< HOST or HOST:PORT the app sends REGISTER to (an edge location)
    QString transport;                    ///< tls, tcp or udp
    bool secureMedia = true;              ///< SRTP required
    QString reason;                       ///< Unavailable: why, in plain words
    std::optional<int> retryAfterSeconds; ///< Unavailable: when asking again makes sense

    friend bool operator==(const SipCredentials &, const SipCredentials &) = default;
};

[[nodiscard]] QString toString(SipCredentials::Status status);
[[nodiscard]] QJsonObject toJson(const SipCredentials &account);
/// Strict like every Heartline reader (unknown fields ignored): a Ready account needs username and
/// password, an Unavailable one a reason.
[[nodiscard]] Result<SipCredentials> parseSipCredentials(const QJsonObject &json);
void readFields(JsonReader &reader, SipCredentials &account);

} // namespace heartline
