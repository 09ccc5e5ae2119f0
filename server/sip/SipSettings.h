#pragma once

#include <optional>

#include <QString>

namespace heartline {

class Config;

/// How agents' softphones reach Twilio, from the SIP_* keys: where they register, how they are
/// dialed and where their credentials live. Absent (nullopt) when SIP_DOMAIN is empty: agents are
/// then dialed as Voice SDK clients.
struct SipSettings
{
    QString domain;              ///< SIP_DOMAIN: the global domain TwiML dials, NAME.sip.twilio.com
    QString registrar;           ///< SIP_EDGE_HOST: HOST or HOST:PORT the apps register to
    QString transport;           ///< SIP_TRANSPORT: tls, tcp or udp
    bool secureMedia = true;     ///< SIP_SECURE_MEDIA: SRTP, ;secure=true in the dialed URI
    QString credentialListName;  ///< SIP_CREDENTIAL_LIST: the Credential List's FriendlyName
    int credentialTimeoutMs = 0; ///< SIP_CREDENTIAL_TIMEOUT_MS: how long a login waits for Twilio

    /// Config has already checked the keys together (Config::load); nothing is re-validated here.
    [[nodiscard]] static std::optional<SipSettings> fromConfig(const Config &config);

    /// sip:AGENT@DOMAIN;transport=…[;secure=true]?x-heartline-parent-callsid=CA…: the URI TwiML
    /// dials to ring the agent for the caller's call `parentCallSid`. Twilio copies the header
    /// into the INVITE, where the agent app matches the call to the server's offer (which names
    /// the caller's CallSid, not the new leg's).
    [[nodiscard]] QString dialUri(const QString &agentId, const QString &parentCallSid) const;
};

} // namespace heartline
