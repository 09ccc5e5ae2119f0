#include "twilio/AccessToken.h"

#include <cmath>

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMessageAuthenticationCode>

#include "twilio/ConstantTime.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray encodePart(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toBase64(Base64Url);
}

QByteArray sign(QByteArrayView signingInput, QByteArrayView secret)
{
    return QMessageAuthenticationCode::hash(signingInput.toByteArray(), secret.toByteArray(),
                                            QCryptographicHash::Sha256)
        .toBase64(Base64Url);
}

Problem problem(QString code, QString field, QString message)
{
    return Problem {std::move(code), std::move(field), std::move(message)};
}

/// base64url without padding, strictly: re-encoding must give the same text back, which rules out
/// padding, stray characters and non-zero trailing bits.
Result<QJsonObject> decodePart(QByteArrayView part, const QString &name)
{
    const auto decoded
        = QByteArray::fromBase64Encoding(part.toByteArray(), Base64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64(Base64Url) != part)
        return problem(u"token_bad_encoding"_s, name, u"the token's %1 is not base64url"_s.arg(name));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(decoded.decoded, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return problem(u"token_bad_encoding"_s, name, u"the token's %1 is not a JSON object"_s.arg(name));
    return document.object();
}

Result<QString> requireString(const QJsonObject &object, const QString &key, const QString &field)
{
    const QJsonValue value = object.value(key);
    if (!value.isString() || value.toString().isEmpty())
        return problem(u"token_invalid_claims"_s, field, u"%1 must be a non-empty string"_s.arg(field));
    return value.toString();
}

Result<qint64> requireSeconds(const QJsonObject &object, const QString &key)
{
    const QJsonValue value = object.value(key);
    const double number = value.toDouble();
    if (!value.isDouble() || std::floor(number) != number)
        return problem(u"token_invalid_claims"_s, key, u"%1 must be a whole number of seconds"_s.arg(key));
    return value.toInteger();
}

Result<VoiceGrant> readVoiceGrant(const QJsonValue &value)
{
    const QString field = u"grants.voice"_s;
    if (!value.isObject())
        return problem(u"token_invalid_claims"_s, field, u"grants.voice must be an object"_s);
    const QJsonObject voice = value.toObject();
    VoiceGrant grant;
    if (voice.contains(u"incoming"_s)) {
        const QJsonValue allow = voice.value(u"incoming"_s).toObject().value(u"allow"_s);
        if (!allow.isBool())
            return problem(u"token_invalid_claims"_s, field + u".incoming.allow"_s,
                           u"grants.voice.incoming.allow must be true or false"_s);
        grant.incomingAllow = allow.toBool();
    }
    if (voice.contains(u"outgoing"_s)) {
        const QJsonObject outgoing = voice.value(u"outgoing"_s).toObject();
        Result<QString> sid = requireString(outgoing, u"application_sid"_s, field + u".outgoing.application_sid"_s);
        if (!sid)
            return sid.error();
        grant.outgoingApplicationSid = sid.value();
        const QJsonObject params = outgoing.value(u"params"_s).toObject();
        for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
            const QJsonValue param = it.value();
            if (param.isObject() || param.isArray() || param.isNull())
                return problem(u"token_invalid_claims"_s, field + u".outgoing.params."_s + it.key(),
                               u"outgoing parameters must be strings, numbers or booleans"_s);
            grant.outgoingParams.insert(it.key(), param.isString() ? param.toString() : param.toVariant().toString());
        }
    }
    return grant;
}

Result<AccessTokenClaims> readClaims(const QJsonObject &payload)
{
    AccessTokenClaims claims;
    Result<QString> jti = requireString(payload, u"jti"_s, u"jti"_s);
    if (!jti)
        return jti.error();
    Result<QString> iss = requireString(payload, u"iss"_s, u"iss"_s);
    if (!iss)
        return iss.error();
    Result<QString> sub = requireString(payload, u"sub"_s, u"sub"_s);
    if (!sub)
        return sub.error();
    Result<qint64> nbf = requireSeconds(payload, u"nbf"_s);
    if (!nbf)
        return nbf.error();
    Result<qint64> exp = requireSeconds(payload, u"exp"_s);
    if (!exp)
        return exp.error();
    const QJsonValue grantsValue = payload.value(u"grants"_s);
    if (!grantsValue.isObject())
        return problem(u"token_invalid_claims"_s, u"grants"_s, u"grants must be an object"_s);
    const QJsonObject grants = grantsValue.toObject();
    if (grants.contains(u"identity"_s)) {
        Result<QString> identity = requireString(grants, u"identity"_s, u"grants.identity"_s);
        if (!identity)
            return identity.error();
        claims.identity = identity.value();
    }
    if (grants.contains(u"voice"_s)) {
        Result<VoiceGrant> voice = readVoiceGrant(grants.value(u"voice"_s));
        if (!voice)
            return voice.error();
        claims.voice = voice.value();
    }
    claims.tokenId = jti.value();
    claims.apiKeySid = iss.value();
    claims.accountSid = sub.value();
    claims.notBefore = nbf.value();
    claims.expiresAt = exp.value();
    return claims;
}

} // namespace

QByteArray AccessToken::toJwt(QByteArrayView apiKeySecret, qint64 nowSeconds) const
{
    const QJsonObject header {
        {u"alg"_s, u"HS256"_s},
        {u"cty"_s, u"twilio-fpa;v=1"_s},
        {u"typ"_s, u"JWT"_s},
    };

    QJsonObject grants;
    if (!identity.isEmpty())
        grants.insert(u"identity"_s, identity);
    if (voice) {
        QJsonObject voiceObject;
        if (voice->incomingAllow)
            voiceObject.insert(u"incoming"_s, QJsonObject {{u"allow"_s, true}});
        if (!voice->outgoingApplicationSid.isEmpty()) {
            QJsonObject outgoing {{u"application_sid"_s, voice->outgoingApplicationSid}};
            if (!voice->outgoingParams.isEmpty()) {
                QJsonObject params;
                for (auto it = voice->outgoingParams.cbegin(); it != voice->outgoingParams.cend(); ++it)
                    params.insert(it.key(), it.value());
                outgoing.insert(u"params"_s, params);
            }
            voiceObject.insert(u"outgoing"_s, outgoing);
        }
        grants.insert(u"voice"_s, voiceObject);
    }

    const QJsonObject payload {
        {u"jti"_s, QString(apiKeySid + u'-' + QString::number(nowSeconds))},
        {u"iss"_s, apiKeySid},
        {u"sub"_s, accountSid},
        {u"nbf"_s, nowSeconds},
        {u"exp"_s, nowSeconds + ttlSeconds},
        {u"grants"_s, grants},
    };

    const QByteArray signingInput = encodePart(header) + '.' + encodePart(payload);
    return signingInput + '.' + sign(signingInput, apiKeySecret);
}

Result<AccessTokenClaims> verifyAccessToken(QByteArrayView token, QByteArrayView apiKeySecret, qint64 nowSeconds)
{
    const QList<QByteArrayView> parts = [&] {
        QList<QByteArrayView> out;
        qsizetype start = 0;
        for (qsizetype dot = token.indexOf('.'); dot >= 0; dot = token.indexOf('.', start)) {
            out.append(token.sliced(start, dot - start));
            start = dot + 1;
        }
        out.append(token.sliced(start));
        return out;
    }();
    // An empty signature is left to the signature check, so that "alg":"none" is reported as such.
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty())
        return problem(u"token_malformed"_s, QString(), u"a token is three dot-separated parts"_s);

    Result<QJsonObject> header = decodePart(parts[0], u"header"_s);
    if (!header)
        return header.error();
    const QJsonValue alg = header->value(u"alg"_s);
    if (alg != QJsonValue(u"HS256"_s))
        return problem(u"token_unsupported_alg"_s, u"alg"_s,
                       u"only HS256 tokens are accepted, not \"%1\""_s.arg(alg.toVariant().toString()));
    if (header->value(u"typ"_s) != QJsonValue(u"JWT"_s))
        return problem(u"token_unsupported_type"_s, u"typ"_s, u"typ must be JWT"_s);
    if (header->value(u"cty"_s) != QJsonValue(u"twilio-fpa;v=1"_s))
        return problem(u"token_unsupported_type"_s, u"cty"_s, u"cty must be twilio-fpa;v=1"_s);

    // The payload is not looked at before its signature is known to be good.
    const QByteArrayView signingInput = token.first(parts[0].size() + 1 + parts[1].size());
    if (!constantTimeEquals(sign(signingInput, apiKeySecret), parts[2]))
        return problem(u"token_bad_signature"_s, QString(), u"the token's signature does not match"_s);

    Result<QJsonObject> payload = decodePart(parts[1], u"payload"_s);
    if (!payload)
        return payload.error();
    Result<AccessTokenClaims> claims = readClaims(payload.value());
    if (!claims)
        return claims;
    if (nowSeconds < claims->notBefore)
        return problem(u"token_not_yet_valid"_s, u"nbf"_s,
                       u"the token is not valid before %1"_s.arg(claims->notBefore));
    if (nowSeconds >= claims->expiresAt)
        return problem(u"token_expired"_s, u"exp"_s, u"the token expired at %1"_s.arg(claims->expiresAt));
    return claims;
}

} // namespace heartline
