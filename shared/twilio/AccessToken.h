#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QMap>
#include <QString>

#include "core/Result.h"

namespace heartline {

/// The Voice grant of an Access Token (spec §2): may the client receive calls, and which TwiML
/// application its outgoing calls start.
struct VoiceGrant
{
    bool incomingAllow = false;            ///< written as incoming.allow = true only when set
    QString outgoingApplicationSid;        ///< AP…; empty: no outgoing grant
    QMap<QString, QString> outgoingParams; ///< passed to the application; written only when not empty

    friend bool operator==(const VoiceGrant &, const VoiceGrant &) = default;
};

/// What a verified token says.
struct AccessTokenClaims
{
    QString tokenId;    ///< jti: "<API key SID>-<issued at>"
    QString apiKeySid;  ///< iss: SK…
    QString accountSid; ///< sub: AC…
    QString identity;   ///< grants.identity; empty when the token names none
    qint64 notBefore = 0;
    qint64 expiresAt = 0;
    std::optional<VoiceGrant> voice;

    friend bool operator==(const AccessTokenClaims &, const AccessTokenClaims &) = default;
};

/// A Twilio Access Token for the Voice SDK: a JWT signed with HS256 by an API key secret.
/// `toJwt` is what the server hands to agent apps; verifyAccessToken is what the Twilio stand-in
/// runs when a client registers with one.
struct AccessToken
{
    static constexpr qint64 DefaultTtlSeconds = 3600;

    QString accountSid; ///< AC…
    QString apiKeySid;  ///< SK…
    QString identity;   ///< the client name calls are dialled to (<Client>identity</Client>)
    qint64 ttlSeconds = DefaultTtlSeconds;
    std::optional<VoiceGrant> voice;

    /// header.payload.signature, each part base64url without padding. nbf = now, exp = now + ttl.
    [[nodiscard]] QByteArray toJwt(QByteArrayView apiKeySecret, qint64 nowSeconds) const;
};

/// Checks, in order: three parts (`token_malformed`), base64url and JSON of each part
/// (`token_bad_encoding`), alg = HS256 (`token_unsupported_alg`, "none" included), typ and cty
/// (`token_unsupported_type`), the HMAC in constant time (`token_bad_signature`), the claims' presence
/// and types (`token_invalid_claims`, field = the claim), nbf ≤ now (`token_not_yet_valid`) and
/// now < exp (`token_expired`). No clock leeway: the server and the stand-in share one clock.
[[nodiscard]] Result<AccessTokenClaims> verifyAccessToken(QByteArrayView token, QByteArrayView apiKeySecret,
                                                          qint64 nowSeconds);

} // namespace heartline
