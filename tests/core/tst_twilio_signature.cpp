#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QTest>

#include "twilio/TwilioSignature.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

const QByteArray authToken = "12345"_ba;

FormParams fromFlat(const QStringList &flat)
{
    FormParams params;
    for (qsizetype i = 0; i + 1 < flat.size(); i += 2)
        params.append(flat[i], flat[i + 1]);
    return params;
}

/// The signature computed independently of TwilioSignature: HMAC-SHA1 over a string the test
/// assembles itself.
QByteArray hmacSha1Base64(const QByteArray &token, const QString &signedText)
{
    return QMessageAuthenticationCode::hash(signedText.toUtf8(), token, QCryptographicHash::Sha1).toBase64();
}

QByteArray sha256Hex(const QByteArray &body)
{
    return QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
}

const QStringList sdkParams {
    u"CallSid"_s, u"CA1234567890ABCDE"_s, u"Caller"_s, u"+14158675309"_s, u"Digits"_s, u"1234"_s,
    u"From"_s,    u"+14158675309"_s,      u"To"_s,     u"+18005551212"_s};
const QString sdkUrl = u"https://mycompany.com/myapp.php?foo=1&bar=2"_s;

} // namespace

class TestTwilioSignature final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // spec §1: the vector from Twilio's SDK test suites.
    void sdkVector()
    {
        const FormParams params = fromFlat(sdkParams);
        QCOMPARE(TwilioSignature::stringToSign(sdkUrl, params),
                 "https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675309Digits1234"
                 "From+14158675309To+18005551212"_ba);
        const TwilioSignature signer(authToken);
        QCOMPARE(signer.compute(sdkUrl, params), "RSOYDt4T1cUTdK1PDd93/VVr8B8="_ba);
        const SignatureOutcome outcome = signer.validate(sdkUrl, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="_ba);
        QVERIFY(outcome.ok());
        QCOMPARE(outcome.code(), u"valid"_s);
        QCOMPARE(outcome.matchedUrl, sdkUrl);
    }

    void sdkVectorOrderIndependent()
    {
        // Twilio posts parameters in any order; the signature does not depend on it.
        QStringList reversed;
        for (qsizetype i = sdkParams.size() - 2; i >= 0; i -= 2)
            reversed << sdkParams[i] << sdkParams[i + 1];
        QCOMPARE(TwilioSignature(authToken).compute(sdkUrl, fromFlat(reversed)), "RSOYDt4T1cUTdK1PDd93/VVr8B8="_ba);
    }

    void stringToSign_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QStringList>("params");
        QTest::addColumn<QString>("expected");
        QTest::newRow("GET: the query stays as sent, nothing appended")
            << u"https://h.example/voice?b=2&a=1&c=%20x+y"_s << QStringList()
            << u"https://h.example/voice?b=2&a=1&c=%20x+y"_s;
        QTest::newRow("repeated name: values sorted")
            << u"https://h.example/v"_s << QStringList {u"b"_s, u"2"_s, u"a"_s, u"z"_s, u"a"_s, u"y"_s, u"a"_s, u"10"_s}
            << u"https://h.example/va10ayazb2"_s;
        QTest::newRow("names case-sensitive: B before a")
            << u"https://h.example/v"_s << QStringList {u"a"_s, u"1"_s, u"B"_s, u"2"_s} << u"https://h.example/vB2a1"_s;
        QTest::newRow("code point order, not UTF-16 order")
            << u"https://h.example/v"_s << QStringList {u"\U0001F600"_s, u"2"_s, u"\uFF21"_s, u"1"_s}
            << u"https://h.example/v\uFF211\U0001F6002"_s;
        QTest::newRow("unicode values") << u"https://h.example/v"_s
                                        << QStringList {u"CallerName"_s, u"Zoë Ünal 日本 \U0001F4DE"_s}
                                        << u"https://h.example/vCallerNameZoë Ünal 日本 \U0001F4DE"_s;
        QTest::newRow("empty value") << u"https://h.example/v"_s << QStringList {u"Digits"_s, QString()}
                                     << u"https://h.example/vDigits"_s;
        QTest::newRow("duplicate pairs both kept")
            << u"https://h.example/v"_s << QStringList {u"a"_s, u"1"_s, u"a"_s, u"1"_s} << u"https://h.example/va1a1"_s;
        QTest::newRow("prefix names: a before ab")
            << u"https://h.example/v"_s << QStringList {u"ab"_s, u"1"_s, u"a"_s, u"2"_s}
            << u"https://h.example/va2ab1"_s;
    }
    void stringToSign()
    {
        QFETCH(QString, url);
        QFETCH(QStringList, params);
        QFETCH(QString, expected);
        QCOMPARE(TwilioSignature::stringToSign(url, fromFlat(params)), expected.toUtf8());
        for (const QByteArray &token : {"12345"_ba, "0123456789abcdef0123456789abcdef"_ba}) {
            const TwilioSignature signer(token);
            const QByteArray signature = signer.compute(url, fromFlat(params));
            QCOMPARE(signature, hmacSha1Base64(token, expected));
            QVERIFY(signer.validate(url, fromFlat(params), signature).ok());
        }
    }

    void acceptedUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QStringList>("accepted");
        QTest::newRow("https, no port") << u"https://h.example/v?x=1"_s
                                        << QStringList {u"https://h.example/v?x=1"_s, u"https://h.example:443/v?x=1"_s};
        QTest::newRow("https :443") << u"https://h.example:443/v"_s
                                    << QStringList {u"https://h.example:443/v"_s, u"https://h.example/v"_s};
        QTest::newRow("http, no port") << u"http://h.example/v"_s
                                       << QStringList {u"http://h.example/v"_s, u"http://h.example:80/v"_s};
        QTest::newRow("http :80") << u"http://h.example:80/v"_s
                                  << QStringList {u"http://h.example:80/v"_s, u"http://h.example/v"_s};
        QTest::newRow("https :8443") << u"https://h.example:8443/v"_s
                                     << QStringList {u"https://h.example:8443/v"_s, u"https://h.example/v"_s};
        QTest::newRow("no path") << u"https://h.example"_s
                                 << QStringList {u"https://h.example"_s, u"https://h.example:443"_s};
        QTest::newRow("query right after host")
            << u"https://h.example?a=1:2"_s
            << QStringList {u"https://h.example?a=1:2"_s, u"https://h.example:443?a=1:2"_s};
        QTest::newRow("user:pass@ is not a port")
            << u"https://user:pa:ss@h.example/v"_s
            << QStringList {u"https://user:pa:ss@h.example/v"_s, u"https://user:pa:ss@h.example:443/v"_s};
        QTest::newRow("user:pass@ with port")
            << u"https://user:pass@h.example:8443/v"_s
            << QStringList {u"https://user:pass@h.example:8443/v"_s, u"https://user:pass@h.example/v"_s};
        QTest::newRow("ipv6 literal") << u"http://[::1]:8080/v"_s
                                      << QStringList {u"http://[::1]:8080/v"_s, u"http://[::1]/v"_s};
        QTest::newRow("ipv6 literal, no port")
            << u"https://[::1]/v"_s << QStringList {u"https://[::1]/v"_s, u"https://[::1]:443/v"_s};
        QTest::newRow("scheme in capitals")
            << u"HTTPS://h.example/v"_s << QStringList {u"HTTPS://h.example/v"_s, u"HTTPS://h.example:443/v"_s};
        QTest::newRow("colon in path is not a port")
            << u"https://h.example/a:b"_s << QStringList {u"https://h.example/a:b"_s, u"https://h.example:443/a:b"_s};
        QTest::newRow("other scheme: as given") << u"wss://h.example/v"_s << QStringList {u"wss://h.example/v"_s};
        QTest::newRow("port not numeric: as given")
            << u"https://h.example:x/v"_s << QStringList {u"https://h.example:x/v"_s};
        QTest::newRow("not a URL: as given") << u"/voice/inbound"_s << QStringList {u"/voice/inbound"_s};
    }
    void acceptedUrls()
    {
        QFETCH(QString, url);
        QFETCH(QStringList, accepted);
        QCOMPARE(TwilioSignature::acceptedUrls(url), accepted);
    }

    void validate_data()
    {
        QTest::addColumn<QString>("requestUrl");
        QTest::addColumn<QStringList>("requestParams");
        QTest::addColumn<QString>("signedUrl");
        QTest::addColumn<QStringList>("signedParams");
        QTest::addColumn<QByteArray>("signingToken");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("matchedUrl");

        const QStringList p {u"CallSid"_s, u"CA1"_s, u"From"_s, u"+15551230000"_s};
        const QByteArray t = authToken;
        QTest::newRow("exact") << u"https://h.example/v"_s << p << u"https://h.example/v"_s << p << t << u"valid"_s
                               << u"https://h.example/v"_s;
        QTest::newRow("https without port, signed with :443")
            << u"https://h.example/v"_s << p << u"https://h.example:443/v"_s << p << t << u"valid"_s
            << u"https://h.example:443/v"_s;
        QTest::newRow("https :443, signed without port")
            << u"https://h.example:443/v"_s << p << u"https://h.example/v"_s << p << t << u"valid"_s
            << u"https://h.example/v"_s;
        QTest::newRow("http without port, signed with :80")
            << u"http://h.example/v?a=1"_s << p << u"http://h.example:80/v?a=1"_s << p << t << u"valid"_s
            << u"http://h.example:80/v?a=1"_s;
        QTest::newRow("http :80, signed without port") << u"http://h.example:80/v"_s << p << u"http://h.example/v"_s
                                                       << p << t << u"valid"_s << u"http://h.example/v"_s;
        QTest::newRow("https without port, signed with :80")
            << u"https://h.example/v"_s << p << u"https://h.example:80/v"_s << p << t << u"signature_mismatch"_s
            << QString();
        QTest::newRow("http without port, signed with :443")
            << u"http://h.example/v"_s << p << u"http://h.example:443/v"_s << p << t << u"signature_mismatch"_s
            << QString();
        QTest::newRow("no port given, signed with :8443: a port is never invented")
            << u"https://h.example/v"_s << p << u"https://h.example:8443/v"_s << p << t << u"signature_mismatch"_s
            << QString();
        QTest::newRow(":8443, signed with :443: a port is never swapped")
            << u"https://h.example:8443/v"_s << p << u"https://h.example:443/v"_s << p << t << u"signature_mismatch"_s
            << QString();
        QTest::newRow(":8443, signed with :8443") << u"https://h.example:8443/v"_s << p << u"https://h.example:8443/v"_s
                                                  << p << t << u"valid"_s << u"https://h.example:8443/v"_s;
        // spec §1.4 and Twilio's SDKs: any explicit port may be removed (Twilio signs some https
        // requests to non-default ports without the port).
        QTest::newRow(":8443, signed without port") << u"https://h.example:8443/v"_s << p << u"https://h.example/v"_s
                                                    << p << t << u"valid"_s << u"https://h.example/v"_s;
        QTest::newRow(":8443, signed with :8444") << u"https://h.example:8443/v"_s << p << u"https://h.example:8444/v"_s
                                                  << p << t << u"signature_mismatch"_s << QString();
        QTest::newRow("raw query: not decoded")
            << u"https://h.example/v?name=a%20b"_s << p << u"https://h.example/v?name=a b"_s << p << t
            << u"signature_mismatch"_s << QString();
        QTest::newRow("raw query: not re-ordered")
            << u"https://h.example/v?b=1&a=2"_s << p << u"https://h.example/v?a=2&b=1"_s << p << t
            << u"signature_mismatch"_s << QString();
        QTest::newRow("host case as configured") << u"https://h.example/v"_s << p << u"https://H.example/v"_s << p << t
                                                 << u"signature_mismatch"_s << QString();
        QTest::newRow("tampered parameter")
            << u"https://h.example/v"_s << QStringList {u"CallSid"_s, u"CA1"_s, u"From"_s, u"+15551230001"_s}
            << u"https://h.example/v"_s << p << t << u"signature_mismatch"_s << QString();
        QTest::newRow("parameter added") << u"https://h.example/v"_s << (p + QStringList {u"Digits"_s, u"1"_s})
                                         << u"https://h.example/v"_s << p << t << u"signature_mismatch"_s << QString();
        QTest::newRow("parameter dropped") << u"https://h.example/v"_s << p.mid(0, 2) << u"https://h.example/v"_s << p
                                           << t << u"signature_mismatch"_s << QString();
        QTest::newRow("name case changed")
            << u"https://h.example/v"_s << QStringList {u"callSid"_s, u"CA1"_s, u"From"_s, u"+15551230000"_s}
            << u"https://h.example/v"_s << p << t << u"signature_mismatch"_s << QString();
        QTest::newRow("wrong token") << u"https://h.example/v"_s << p << u"https://h.example/v"_s << p << "54321"_ba
                                     << u"signature_mismatch"_s << QString();
        QTest::newRow("repeated names, other order")
            << u"https://h.example/v"_s << QStringList {u"a"_s, u"2"_s, u"b"_s, u"x"_s, u"a"_s, u"1"_s}
            << u"https://h.example/v"_s << QStringList {u"a"_s, u"1"_s, u"a"_s, u"2"_s, u"b"_s, u"x"_s} << t
            << u"valid"_s << u"https://h.example/v"_s;
        QTest::newRow("repeated names, one value changed")
            << u"https://h.example/v"_s << QStringList {u"a"_s, u"2"_s, u"a"_s, u"3"_s} << u"https://h.example/v"_s
            << QStringList {u"a"_s, u"1"_s, u"a"_s, u"2"_s} << t << u"signature_mismatch"_s << QString();
        QTest::newRow("GET: params in the query") << u"https://h.example/v?CallSid=CA1&From=%2B1"_s << QStringList()
                                                  << u"https://h.example/v?CallSid=CA1&From=%2B1"_s << QStringList()
                                                  << t << u"valid"_s << u"https://h.example/v?CallSid=CA1&From=%2B1"_s;
        QTest::newRow("GET: query params are not appended again")
            << u"https://h.example/v?CallSid=CA1"_s << QStringList() << u"https://h.example/v?CallSid=CA1"_s
            << QStringList {u"CallSid"_s, u"CA1"_s} << t << u"signature_mismatch"_s << QString();
        QTest::newRow("unicode values") << u"https://h.example/v"_s
                                        << QStringList {u"CallerName"_s, u"Zoë \U0001F4DE"_s}
                                        << u"https://h.example/v"_s
                                        << QStringList {u"CallerName"_s, u"Zoë \U0001F4DE"_s} << t << u"valid"_s
                                        << u"https://h.example/v"_s;
        QTest::newRow("unicode values: normalisation matters")
            << u"https://h.example/v"_s << QStringList {u"CallerName"_s, u"Zoe\u0308"_s} << u"https://h.example/v"_s
            << QStringList {u"CallerName"_s, u"Zoë"_s} << t << u"signature_mismatch"_s << QString();
    }
    void validate()
    {
        QFETCH(QString, requestUrl);
        QFETCH(QStringList, requestParams);
        QFETCH(QString, signedUrl);
        QFETCH(QStringList, signedParams);
        QFETCH(QByteArray, signingToken);
        QFETCH(QString, code);
        QFETCH(QString, matchedUrl);

        const QByteArray signature = TwilioSignature(signingToken).compute(signedUrl, fromFlat(signedParams));
        const SignatureOutcome outcome
            = TwilioSignature(authToken).validate(requestUrl, fromFlat(requestParams), signature);
        QCOMPARE(outcome.code(), code);
        QCOMPARE(outcome.ok(), code == u"valid");
        QCOMPARE(outcome.matchedUrl, matchedUrl);
        if (!outcome.ok())
            QVERIFY(!outcome.detail.isEmpty());
    }

    void badSignatureHeader_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("code");
        const QByteArray good = TwilioSignature(authToken).compute(sdkUrl, fromFlat(sdkParams));
        QTest::newRow("missing") << QByteArray() << u"missing_signature"_s;
        QTest::newRow("truncated") << good.chopped(1) << u"signature_mismatch"_s;
        QTest::newRow("one character off") << QByteArray(good).replace(0, 1, "S") << u"signature_mismatch"_s;
        QTest::newRow("hex instead of base64") << QByteArray::fromBase64(good).toHex() << u"signature_mismatch"_s;
        QTest::newRow("trailing space") << good + ' ' << u"signature_mismatch"_s;
    }
    void badSignatureHeader()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, code);
        QCOMPARE(TwilioSignature(authToken).validate(sdkUrl, fromFlat(sdkParams), header).code(), code);
    }

    void jsonBody_data()
    {
        QTest::addColumn<QString>("requestUrl");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("signedUrl");
        QTest::addColumn<bool>("sendSignature");
        QTest::addColumn<QString>("code");

        const QByteArray body = R"({"CallSid":"CA1","Status":"ringing"})"_ba;
        const QString base = u"https://h.example/v?x=1&bodySHA256="_s;
        const QString url = base + QString::fromLatin1(sha256Hex(body));
        QTest::newRow("valid") << url << body << url << true << u"valid"_s;
        QTest::newRow("valid, signed with :443")
            << url << body << QString(url).replace(u"h.example/"_s, u"h.example:443/"_s) << true << u"valid"_s;
        QTest::newRow("body tampered") << url << R"({"CallSid":"CA2","Status":"ringing"})"_ba << url << true
                                       << u"body_hash_mismatch"_s;
        QTest::newRow("body with extra whitespace")
            << url << R"({"CallSid":"CA1", "Status":"ringing"})"_ba << url << true << u"body_hash_mismatch"_s;
        // Signed as sent, but Twilio sends lowercase hex: the hash itself does not match.
        const QString upper = base + QString::fromLatin1(sha256Hex(body).toUpper());
        QTest::newRow("hash in uppercase") << upper << body << upper << true << u"body_hash_mismatch"_s;
        QTest::newRow("bodySHA256 missing")
            << u"https://h.example/v?x=1"_s << body << u"https://h.example/v?x=1"_s << true << u"body_hash_missing"_s;
        QTest::newRow("bodySHA256 empty") << base << body << base << true << u"body_hash_missing"_s;
        QTest::newRow("signature header missing") << url << body << url << false << u"missing_signature"_s;
        const QString otherHash = base + QString::fromLatin1(sha256Hex("{}"_ba));
        QTest::newRow("hash swapped in the URL") << url << body << otherHash << true << u"signature_mismatch"_s;
        QTest::newRow("empty body") << base + QString::fromLatin1(sha256Hex({})) << QByteArray()
                                    << base + QString::fromLatin1(sha256Hex({})) << true << u"valid"_s;
    }
    void jsonBody()
    {
        QFETCH(QString, requestUrl);
        QFETCH(QByteArray, body);
        QFETCH(QString, signedUrl);
        QFETCH(bool, sendSignature);
        QFETCH(QString, code);

        const QByteArray signature = sendSignature ? hmacSha1Base64(authToken, signedUrl) : QByteArray();
        const TwilioSignature validator(authToken);
        QCOMPARE(validator.validateJsonBody(requestUrl, body, signature).code(), code);
        // The same request through the content-type dispatcher.
        QCOMPARE(validator.validateRequest(requestUrl, "application/json; charset=utf-8", body, signature).code(),
                 code);
    }

    void jsonBodySignatureIgnoresBodyParams()
    {
        // The JSON rule signs the URL alone: a signature over URL + parameters is not accepted.
        const QByteArray body = R"({"a":"1"})"_ba;
        const QString url = u"https://h.example/v?bodySHA256="_s + QString::fromLatin1(sha256Hex(body));
        const QByteArray withParams = hmacSha1Base64(authToken, url + u"a1"_s);
        QCOMPARE(TwilioSignature(authToken).validateJsonBody(url, body, withParams).code(), u"signature_mismatch"_s);
    }

    void validateRequest_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("signedParams");
        QTest::addColumn<QString>("code");
        QTest::newRow("form") << "application/x-www-form-urlencoded"_ba
                              << "To=%2B18005551212&CallSid=CA1&Caller=Ada+L"_ba
                              << QStringList {u"CallSid"_s, u"CA1"_s, u"Caller"_s,
                                              u"Ada L"_s,   u"To"_s,  u"+18005551212"_s}
                              << u"valid"_s;
        QTest::newRow("form, charset and capitals") << "Application/X-WWW-Form-Urlencoded; charset=UTF-8"_ba
                                                    << "a=1"_ba << QStringList {u"a"_s, u"1"_s} << u"valid"_s;
        QTest::newRow("form, tampered") << "application/x-www-form-urlencoded"_ba
                                        << "a=2"_ba << QStringList {u"a"_s, u"1"_s} << u"signature_mismatch"_s;
        QTest::newRow("GET, no body") << QByteArray() << QByteArray() << QStringList() << u"valid"_s;
        QTest::newRow("form, bad escape") << "application/x-www-form-urlencoded"_ba
                                          << "a=%zz"_ba << QStringList {u"a"_s, u"%zz"_s} << u"malformed_body"_s;
        QTest::newRow("other content type") << "text/plain"_ba
                                            << "a=1"_ba << QStringList {u"a"_s, u"1"_s} << u"malformed_body"_s;
    }
    void validateRequest()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, signedParams);
        QFETCH(QString, code);
        const QString url = u"https://h.example/twilio/voice/inbound"_s;
        const TwilioSignature twilio(authToken);
        const QByteArray signature = twilio.compute(url, fromFlat(signedParams));
        QCOMPARE(twilio.validateRequest(url, contentType, body, signature).code(), code);
        QCOMPARE(twilio.validateRequest(url, contentType, body, {}).code(), u"missing_signature"_s);
    }

    void bodySha256()
    {
        QCOMPARE(TwilioSignature::bodySha256("abc"_ba),
                 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_ba);
    }
};

QTEST_APPLESS_MAIN(TestTwilioSignature)
#include "tst_twilio_signature.moc"
