#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "twilio/FormParams.h"

namespace heartline {

/// Why a webhook request was accepted or refused, so that the server can log it and the tests can
/// tell the cases apart.
struct SignatureOutcome
{
    enum class Verdict {
        Valid,
        MissingSignature, ///< no (or an empty) X-Twilio-Signature header
        Mismatch,         ///< the signature matches none of the accepted URL forms
        BodyHashMismatch, ///< JSON body: the signature is right but the body does not hash to bodySHA256
        BodyHashMissing,  ///< JSON body without a bodySHA256 query parameter
        MalformedBody,    ///< a form body that cannot be decoded, or a body of another content type
    };

    Verdict verdict = Verdict::Mismatch;
    QString matchedUrl; ///< when valid: the URL form the signature was computed over
    QString detail;     ///< when invalid: plain words for the log (never the token or the signature)

    [[nodiscard]] bool ok() const { return verdict == Verdict::Valid; }
    /// "valid", "missing_signature", "signature_mismatch", "body_hash_mismatch", "body_hash_missing",
    /// "malformed_body": stable names for logs and metrics.
    [[nodiscard]] QString code() const;
};

/// X-Twilio-Signature: computing it (the stand-in signs its webhooks) and validating it (the server),
/// exactly as spec/twilio-voice-wire.md §1 describes.
///
/// URLs are handled as the strings Twilio requested, never re-encoded through QUrl: only the port
/// inside the authority is edited, with string operations.
class TwilioSignature
{
public:
    explicit TwilioSignature(QByteArray authToken) : m_authToken(std::move(authToken)) { }

    /// The UTF-8 text that is signed: the URL, then for each parameter name in code-point order,
    /// each of its values in code-point order, `name` + `value` with no separator.
    [[nodiscard]] static QByteArray stringToSign(QStringView url, const FormParams &params);

    /// base64 (standard alphabet, padded) of HMAC-SHA1(auth token, stringToSign(url, params)).
    [[nodiscard]] QByteArray compute(QStringView url, const FormParams &params = {}) const;

    /// A form POST (its decoded body parameters) or a GET (empty params: they are in the URL).
    /// Accepts the signature over the URL as given, with its explicit port removed, or with the
    /// scheme's default port added when it had none (§1.4). Any explicit port may be removed, not
    /// only :443 / :80, as Twilio's SDKs do: Twilio signs some https requests to a non-default port
    /// without the port. A port is never added other than the default, nor swapped for another.
    [[nodiscard]] SignatureOutcome validate(QStringView url, const FormParams &params, QByteArrayView signature) const;

    /// A JSON body (§1.5): the URL must carry bodySHA256 = lowercase hex SHA-256 of the raw body and
    /// the signature is over the URL alone.
    [[nodiscard]] SignatureOutcome validateJsonBody(QStringView url, QByteArrayView body,
                                                    QByteArrayView signature) const;

    /// Picks the rule from the Content-Type: JSON → validateJsonBody, form → parse the body then
    /// validate, no body (GET) → validate with no params. Any other body is MalformedBody.
    [[nodiscard]] SignatureOutcome validateRequest(QStringView url, QByteArrayView contentType, QByteArrayView body,
                                                   QByteArrayView signature) const;

    /// The URL forms a signature is accepted over: the URL as given first, then the other port form
    /// when it differs (explicit port removed; or :443 / :80 added for https / http).
    [[nodiscard]] static QStringList acceptedUrls(QStringView url);

    /// Lowercase hex SHA-256, the form Twilio puts in bodySHA256.
    [[nodiscard]] static QByteArray bodySha256(QByteArrayView body);

private:
    [[nodiscard]] SignatureOutcome matchAny(QStringView url, const FormParams &params, QByteArrayView signature) const;

    QByteArray m_authToken;
};

} // namespace heartline
