#include "twilio/TwilioSignature.h"

#include <algorithm>
#include <optional>

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include "twilio/ConstantTime.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Where the port of a URL's authority sits, found by string search so that nothing else in the
/// URL is touched. `portColon` is -1 when the URL names no port.
struct PortSpan
{
    qsizetype portColon = -1;
    qsizetype authorityEnd = -1;
    qsizetype schemeEnd = -1;
};

std::optional<PortSpan> findPort(QStringView url)
{
    PortSpan span;
    span.schemeEnd = url.indexOf(u"://");
    if (span.schemeEnd <= 0)
        return std::nullopt;
    const qsizetype authorityStart = span.schemeEnd + 3;
    span.authorityEnd = url.size();
    for (qsizetype i = authorityStart; i < url.size(); ++i) {
        const QChar c = url[i];
        if (c == u'/' || c == u'?' || c == u'#') {
            span.authorityEnd = i;
            break;
        }
    }
    const QStringView authority = url.sliced(authorityStart, span.authorityEnd - authorityStart);
    // userinfo may itself contain ':' ("user:pass@host"), so the host starts after the last '@'.
    qsizetype hostStart = authority.lastIndexOf(u'@') + 1;
    qsizetype colon = -1;
    if (hostStart < authority.size() && authority[hostStart] == u'[') {
        const qsizetype close = authority.indexOf(u']', hostStart);
        if (close < 0)
            return std::nullopt;
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != u':')
                return std::nullopt;
            colon = close + 1;
        }
    } else {
        colon = authority.indexOf(u':', hostStart);
    }
    if (colon >= 0) {
        const QStringView port = authority.sliced(colon + 1);
        if (!std::all_of(port.begin(), port.end(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
            return std::nullopt;
        span.portColon = authorityStart + colon;
    }
    return span;
}

QByteArray queryParameter(QStringView url, QStringView name)
{
    qsizetype queryStart = url.indexOf(u'?');
    if (queryStart < 0)
        return {};
    qsizetype queryEnd = url.indexOf(u'#', queryStart);
    if (queryEnd < 0)
        queryEnd = url.size();
    const QStringView query = url.sliced(queryStart + 1, queryEnd - queryStart - 1);
    for (const QStringView segment : query.tokenize(u'&')) {
        const qsizetype eq = segment.indexOf(u'=');
        if (eq >= 0 && segment.first(eq) == name)
            return segment.sliced(eq + 1).toUtf8();
    }
    return {};
}

SignatureOutcome invalid(SignatureOutcome::Verdict verdict, QString detail)
{
    return SignatureOutcome {verdict, QString(), std::move(detail)};
}

} // namespace

QString SignatureOutcome::code() const
{
    switch (verdict) {
    case Verdict::Valid:
        return u"valid"_s;
    case Verdict::MissingSignature:
        return u"missing_signature"_s;
    case Verdict::Mismatch:
        return u"signature_mismatch"_s;
    case Verdict::BodyHashMismatch:
        return u"body_hash_mismatch"_s;
    case Verdict::BodyHashMissing:
        return u"body_hash_missing"_s;
    case Verdict::MalformedBody:
        return u"malformed_body"_s;
    }
    return u"signature_mismatch"_s;
}

QByteArray TwilioSignature::stringToSign(QStringView url, const FormParams &params)
{
    // Sorting UTF-8 bytes sorts by code point; QString's operator< compares UTF-16 units, which
    // puts characters above U+FFFF before U+E000..U+FFFF.
    QList<std::pair<QByteArray, QByteArray>> pairs;
    pairs.reserve(params.size());
    for (const FormParams::Pair &pair : params.pairs())
        pairs.append({pair.first.toUtf8(), pair.second.toUtf8()});
    std::sort(pairs.begin(), pairs.end());

    QByteArray out = url.toUtf8();
    for (const auto &[name, value] : pairs) {
        out.append(name);
        out.append(value);
    }
    return out;
}

QByteArray TwilioSignature::compute(QStringView url, const FormParams &params) const
{
    return QMessageAuthenticationCode::hash(stringToSign(url, params), m_authToken, QCryptographicHash::Sha1)
        .toBase64();
}

QStringList TwilioSignature::acceptedUrls(QStringView url)
{
    QStringList urls {url.toString()};
    const std::optional<PortSpan> span = findPort(url);
    if (!span)
        return urls;
    if (span->portColon >= 0) {
        urls.append(url.first(span->portColon) + url.sliced(span->authorityEnd));
        return urls;
    }
    const QString scheme = url.first(span->schemeEnd).toString().toLower();
    QStringView defaultPort;
    if (scheme == u"https")
        defaultPort = u":443";
    else if (scheme == u"http")
        defaultPort = u":80";
    if (!defaultPort.isEmpty())
        urls.append(url.first(span->authorityEnd) + defaultPort + url.sliced(span->authorityEnd));
    return urls;
}

QByteArray TwilioSignature::bodySha256(QByteArrayView body)
{
    return QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
}

SignatureOutcome TwilioSignature::matchAny(QStringView url, const FormParams &params, QByteArrayView signature) const
{
    // Every form is computed and compared, so the time taken does not tell which form came close.
    QString matched;
    for (const QString &candidate : acceptedUrls(url)) {
        if (constantTimeEquals(compute(candidate, params), signature) && matched.isEmpty())
            matched = candidate;
    }
    if (matched.isEmpty())
        return invalid(SignatureOutcome::Verdict::Mismatch,
                       u"the signature does not match the URL with or without its port"_s);
    return SignatureOutcome {SignatureOutcome::Verdict::Valid, matched, QString()};
}

SignatureOutcome TwilioSignature::validate(QStringView url, const FormParams &params, QByteArrayView signature) const
{
    if (signature.isEmpty())
        return invalid(SignatureOutcome::Verdict::MissingSignature, u"no X-Twilio-Signature header"_s);
    return matchAny(url, params, signature);
}

SignatureOutcome TwilioSignature::validateJsonBody(QStringView url, QByteArrayView body, QByteArrayView signature) const
{
    if (signature.isEmpty())
        return invalid(SignatureOutcome::Verdict::MissingSignature, u"no X-Twilio-Signature header"_s);
    const QByteArray expectedHash = queryParameter(url, u"bodySHA256");
    if (expectedHash.isEmpty())
        return invalid(SignatureOutcome::Verdict::BodyHashMissing, u"a JSON body needs bodySHA256 in the URL"_s);
    SignatureOutcome outcome = matchAny(url, {}, signature);
    if (!outcome.ok())
        return outcome;
    // Twilio sends lowercase hex; an upper-case value is not what Twilio signed, so it fails too.
    if (!constantTimeEquals(bodySha256(body), expectedHash))
        return invalid(SignatureOutcome::Verdict::BodyHashMismatch, u"the body does not hash to bodySHA256"_s);
    return outcome;
}

SignatureOutcome TwilioSignature::validateRequest(QStringView url, QByteArrayView contentType, QByteArrayView body,
                                                  QByteArrayView signature) const
{
    if (signature.isEmpty())
        return invalid(SignatureOutcome::Verdict::MissingSignature, u"no X-Twilio-Signature header"_s);
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArray mediaType
        = (semicolon < 0 ? contentType : contentType.first(semicolon)).toByteArray().trimmed().toLower();
    if (mediaType == "application/json")
        return validateJsonBody(url, body, signature);
    if (mediaType == "application/x-www-form-urlencoded") {
        const Result<FormParams> params = FormParams::parse(body);
        if (!params)
            return invalid(SignatureOutcome::Verdict::MalformedBody, params.error().message);
        return validate(url, params.value(), signature);
    }
    if (body.isEmpty())
        return validate(url, {}, signature);
    return invalid(SignatureOutcome::Verdict::MalformedBody,
                   u"a body of type \"%1\" cannot be signed by Twilio"_s.arg(QString::fromUtf8(mediaType)));
}

} // namespace heartline
