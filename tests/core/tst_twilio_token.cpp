#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QTest>

#include "core/Clock.h"
#include "twilio/AccessToken.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

const QString accountSid = u"AC00000000000000000000000000000001"_s;
const QString keySid = u"SK00000000000000000000000000000002"_s;
const QByteArray secret = "the-api-key-secret"_ba;
const qint64 now = ManualClock::DefaultStartMs / 1000;

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

/// The test's own JWT reader: split, base64url-decode, parse JSON.
struct DecodedJwt
{
    QJsonObject header;
    QJsonObject payload;
    QByteArray signature;
};

DecodedJwt decode(const QByteArray &token)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return {};
    return {QJsonDocument::fromJson(QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding)).object(),
            QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding)).object(),
            QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding)};
}

QByteArray part(const QByteArray &json)
{
    return json.toBase64(Base64Url);
}

/// A token signed by the test itself, for payloads AccessToken would never write.
QByteArray signedToken(const QByteArray &headerJson, const QByteArray &payloadJson, const QByteArray &key = secret)
{
    const QByteArray input = part(headerJson) + '.' + part(payloadJson);
    return input + '.' + QMessageAuthenticationCode::hash(input, key, QCryptographicHash::Sha256).toBase64(Base64Url);
}

const QByteArray twilioHeader = R"({"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"})"_ba;

QByteArray payloadJson(const QJsonObject &payload)
{
    return QJsonDocument(payload).toJson(QJsonDocument::Compact);
}

QJsonObject basePayload()
{
    return QJsonObject {
        {u"jti"_s, QString(keySid + u"-1"_s)},
        {u"iss"_s, keySid},
        {u"sub"_s, accountSid},
        {u"nbf"_s, now},
        {u"exp"_s, now + 60},
        {u"grants"_s, QJsonObject {{u"identity"_s, u"alice"_s}}},
    };
}

AccessToken aliceToken()
{
    AccessToken token;
    token.accountSid = accountSid;
    token.apiKeySid = keySid;
    token.identity = u"alice"_s;
    token.voice = VoiceGrant {true, u"AP00000000000000000000000000000003"_s, {{u"queue"_s, u"support"_s}}};
    return token;
}

} // namespace

class TestTwilioToken final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shape()
    {
        const QByteArray jwt = aliceToken().toJwt(secret, now);
        const QList<QByteArray> parts = jwt.split('.');
        QCOMPARE(parts.size(), 3);
        static const QRegularExpression base64url(u"^[A-Za-z0-9_-]+$"_s);
        for (const QByteArray &p : parts)
            QVERIFY2(base64url.match(QString::fromLatin1(p)).hasMatch(), p.constData()); // no padding, url alphabet

        // HS256: the third part is HMAC-SHA256 over "header.payload", computed here independently.
        const QByteArray input = parts[0] + '.' + parts[1];
        QCOMPARE(decode(jwt).signature, QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
    }

    void header()
    {
        const QJsonObject header = decode(aliceToken().toJwt(secret, now)).header;
        QCOMPARE(header, (QJsonObject {{u"alg"_s, u"HS256"_s}, {u"cty"_s, u"twilio-fpa;v=1"_s}, {u"typ"_s, u"JWT"_s}}));
    }

    void claims_data()
    {
        QTest::addColumn<qint64>("ttl");
        QTest::addColumn<bool>("incoming");
        QTest::addColumn<QString>("applicationSid");
        QTest::addColumn<QVariantMap>("params");
        QTest::newRow("default ttl, incoming only")
            << AccessToken::DefaultTtlSeconds << true << QString() << QVariantMap();
        QTest::newRow("short ttl, outgoing only") << qint64(600) << false << u"AP01"_s << QVariantMap();
        QTest::newRow("both, with params") << qint64(3600) << true << u"AP02"_s
                                           << QVariantMap {{u"queue"_s, u"support"_s}, {u"note"_s, u"a & b \"c\""_s}};
    }
    void claims()
    {
        QFETCH(qint64, ttl);
        QFETCH(bool, incoming);
        QFETCH(QString, applicationSid);
        QFETCH(QVariantMap, params);

        AccessToken token;
        token.accountSid = accountSid;
        token.apiKeySid = keySid;
        token.identity = u"agent-7"_s;
        token.ttlSeconds = ttl;
        VoiceGrant voice;
        voice.incomingAllow = incoming;
        voice.outgoingApplicationSid = applicationSid;
        for (auto it = params.cbegin(); it != params.cend(); ++it)
            voice.outgoingParams.insert(it.key(), it->toString());
        token.voice = voice;

        const QJsonObject payload = decode(token.toJwt(secret, now)).payload;
        QCOMPARE(payload.value(u"iss"_s).toString(), keySid);
        QCOMPARE(payload.value(u"sub"_s).toString(), accountSid);
        QCOMPARE(payload.value(u"jti"_s).toString(), keySid + u'-' + QString::number(now));
        QCOMPARE(payload.value(u"nbf"_s).toInteger(), now);
        QCOMPARE(payload.value(u"exp"_s).toInteger(), now + ttl);
        const QJsonObject grants = payload.value(u"grants"_s).toObject();
        QCOMPARE(grants.value(u"identity"_s).toString(), u"agent-7"_s);
        const QJsonObject voiceJson = grants.value(u"voice"_s).toObject();
        QCOMPARE(voiceJson.contains(u"incoming"_s), incoming);
        if (incoming)
            QCOMPARE(voiceJson.value(u"incoming"_s).toObject(), (QJsonObject {{u"allow"_s, true}}));
        QCOMPARE(voiceJson.contains(u"outgoing"_s), !applicationSid.isEmpty());
        if (!applicationSid.isEmpty()) {
            const QJsonObject outgoing = voiceJson.value(u"outgoing"_s).toObject();
            QCOMPARE(outgoing.value(u"application_sid"_s).toString(), applicationSid);
            QCOMPARE(outgoing.contains(u"params"_s), !params.isEmpty());
            QCOMPARE(outgoing.value(u"params"_s).toObject().toVariantMap(), params);
        }
    }

    void noVoiceGrant()
    {
        AccessToken token = aliceToken();
        token.voice.reset();
        const QJsonObject grants = decode(token.toJwt(secret, now)).payload.value(u"grants"_s).toObject();
        QCOMPARE(grants, (QJsonObject {{u"identity"_s, u"alice"_s}}));
    }

    void verifyFresh()
    {
        const QByteArray jwt = aliceToken().toJwt(secret, now);
        const Result<AccessTokenClaims> claims = verifyAccessToken(jwt, secret, now);
        QVERIFY2(claims.ok(), qPrintable(claims.ok() ? QString() : claims.error().code));
        const AccessTokenClaims expected {
            keySid + u'-' + QString::number(now),
            keySid,
            accountSid,
            u"alice"_s,
            now,
            now + 3600,
            VoiceGrant {true, u"AP00000000000000000000000000000003"_s, {{u"queue"_s, u"support"_s}}}};
        QCOMPARE(claims.value(), expected);
    }

    void validityWindow_data()
    {
        QTest::addColumn<qint64>("at");
        QTest::addColumn<QString>("code");
        QTest::newRow("at nbf") << now << QString();
        QTest::newRow("last second") << now + 3599 << QString();
        QTest::newRow("at exp") << now + 3600 << u"token_expired"_s;
        QTest::newRow("a day later") << now + 86400 << u"token_expired"_s;
        QTest::newRow("one second early") << now - 1 << u"token_not_yet_valid"_s;
    }
    void validityWindow()
    {
        QFETCH(qint64, at);
        QFETCH(QString, code);
        const Result<AccessTokenClaims> claims = verifyAccessToken(aliceToken().toJwt(secret, now), secret, at);
        QCOMPARE(claims.ok() ? QString() : claims.error().code, code);
    }

    void rejected_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");

        const QByteArray good = aliceToken().toJwt(secret, now);
        const QList<QByteArray> parts = good.split('.');

        QTest::newRow("expired") << aliceToken().toJwt(secret, now - 3600) << u"token_expired"_s << u"exp"_s;
        QTest::newRow("not yet valid") << aliceToken().toJwt(secret, now + 10) << u"token_not_yet_valid"_s << u"nbf"_s;

        QJsonObject tampered = decode(good).payload;
        QJsonObject grants = tampered.value(u"grants"_s).toObject();
        grants.insert(u"identity"_s, u"mallory"_s);
        tampered.insert(u"grants"_s, grants);
        QTest::newRow("tampered payload")
            << parts[0] + '.' + part(payloadJson(tampered)) + '.' + parts[2] << u"token_bad_signature"_s << QString();
        QTest::newRow("tampered signature") << parts[0] + '.' + parts[1] + '.'
                + QByteArray(parts[2]).replace(0, 1, parts[2].startsWith('A') ? "B" : "A")
                                            << u"token_bad_signature"_s << QString();
        QTest::newRow("wrong secret") << aliceToken().toJwt("another-secret"_ba, now) << u"token_bad_signature"_s
                                      << QString();
        QTest::newRow("alg none, no signature")
            << part(R"({"alg":"none","cty":"twilio-fpa;v=1","typ":"JWT"})"_ba) + '.' + parts[1] + '.'
            << u"token_unsupported_alg"_s << u"alg"_s;
        QTest::newRow("alg HS512") << signedToken(R"({"alg":"HS512","cty":"twilio-fpa;v=1","typ":"JWT"})"_ba,
                                                  payloadJson(basePayload()))
                                   << u"token_unsupported_alg"_s << u"alg"_s;
        QTest::newRow("alg missing") << signedToken(R"({"cty":"twilio-fpa;v=1","typ":"JWT"})"_ba,
                                                    payloadJson(basePayload()))
                                     << u"token_unsupported_alg"_s << u"alg"_s;
        QTest::newRow("wrong cty") << signedToken(R"({"alg":"HS256","cty":"JWT","typ":"JWT"})"_ba,
                                                  payloadJson(basePayload()))
                                   << u"token_unsupported_type"_s << u"cty"_s;
        QTest::newRow("two parts") << parts[0] + '.' + parts[1] << u"token_malformed"_s << QString();
        QTest::newRow("four parts") << good + ".x" << u"token_malformed"_s << QString();
        QTest::newRow("empty") << QByteArray() << u"token_malformed"_s << QString();
        QTest::newRow("garbage") << "not a token at all"_ba << u"token_malformed"_s << QString();
        QTest::newRow("garbage in three parts") << "!!!.###.$$$"_ba << u"token_bad_encoding"_s << u"header"_s;
        QTest::newRow("header not JSON") << part("hello") + '.' + parts[1] + '.' + parts[2] << u"token_bad_encoding"_s
                                         << u"header"_s;
        QTest::newRow("padded base64") << parts[0] + "==." + parts[1] + '.' + parts[2] << u"token_bad_encoding"_s
                                       << u"header"_s;
        QTest::newRow("padded signature") << good + '=' << u"token_bad_signature"_s << QString();
        QTest::newRow("payload not JSON, signed")
            << signedToken(twilioHeader, "[1,2"_ba) << u"token_bad_encoding"_s << u"payload"_s;

        QJsonObject noIss = basePayload();
        noIss.remove(u"iss"_s);
        QTest::newRow("iss missing") << signedToken(twilioHeader, payloadJson(noIss)) << u"token_invalid_claims"_s
                                     << u"iss"_s;
        QJsonObject textExp = basePayload();
        textExp.insert(u"exp"_s, u"soon"_s);
        QTest::newRow("exp not a number")
            << signedToken(twilioHeader, payloadJson(textExp)) << u"token_invalid_claims"_s << u"exp"_s;
        QJsonObject noGrants = basePayload();
        noGrants.remove(u"grants"_s);
        QTest::newRow("grants missing") << signedToken(twilioHeader, payloadJson(noGrants)) << u"token_invalid_claims"_s
                                        << u"grants"_s;
        QJsonObject badParams = basePayload();
        badParams.insert(
            u"grants"_s,
            QJsonObject {{u"identity"_s, u"alice"_s},
                         {u"voice"_s,
                          QJsonObject {{u"outgoing"_s,
                                        QJsonObject {{u"application_sid"_s, u"AP1"_s},
                                                     {u"params"_s, QJsonObject {{u"x"_s, QJsonArray {1}}}}}}}}});
        QTest::newRow("outgoing param not a scalar")
            << signedToken(twilioHeader, payloadJson(badParams)) << u"token_invalid_claims"_s
            << u"grants.voice.outgoing.params.x"_s;
    }
    void rejected()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const Result<AccessTokenClaims> claims = verifyAccessToken(token, secret, now);
        QVERIFY(!claims.ok());
        QCOMPARE(claims.error().code, code);
        QCOMPARE(claims.error().field, field);
        QVERIFY(!claims.error().message.isEmpty());
    }

    void acceptsTokensNotWrittenByAccessToken()
    {
        // What the stand-in must take from any HS256 writer: key order, numbers as strings in params.
        QJsonObject payload = basePayload();
        payload.insert(u"grants"_s,
                       QJsonObject {{u"identity"_s, u"bob"_s},
                                    {u"voice"_s,
                                     QJsonObject {{u"incoming"_s, QJsonObject {{u"allow"_s, false}}},
                                                  {u"outgoing"_s,
                                                   QJsonObject {{u"application_sid"_s, u"AP9"_s},
                                                                {u"params"_s, QJsonObject {{u"n"_s, 5}}}}}}}});
        const Result<AccessTokenClaims> claims
            = verifyAccessToken(signedToken(twilioHeader, payloadJson(payload)), secret, now);
        QVERIFY(claims.ok());
        QCOMPARE(claims->identity, u"bob"_s);
        QVERIFY(claims->voice.has_value());
        QCOMPARE(claims->voice->incomingAllow, false);
        QCOMPARE(claims->voice->outgoingApplicationSid, u"AP9"_s);
        QCOMPARE(claims->voice->outgoingParams.value(u"n"_s), u"5"_s);
    }
};

QTEST_APPLESS_MAIN(TestTwilioToken)
#include "tst_twilio_token.moc"
