#include "connection/ApiClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

#include "protocol/ProtocolTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

ApiClient::ApiClient(QObject *parent) : QObject(parent) { }

QNetworkReply *ApiClient::post(const QString &path, const QByteArray &body, bool withToken)
{
    QUrl url = m_baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_timeoutMs);
    if (withToken && !m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    m_trust.applyTo(request);
    QNetworkReply *reply = m_network.post(request, body);
    noteCertificateErrors(reply);
    return reply;
}

ApiError ApiClient::transportError(const QNetworkReply *reply) const
{
    return ApiError {0, failedCertificateCheck(reply) ? u"certificate_error"_s : u"network_error"_s,
                     networkErrorText(reply, m_trust)};
}

Result<QByteArray, ApiError> ApiClient::outcome(QNetworkReply *reply) const
{
    const QByteArray body = reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return transportError(reply);
    if (status >= 200 && status < 300)
        return body;
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(u"error"_s).toObject();
    return ApiError {status, error.value(u"code"_s).toString(u"http_%1"_s.arg(status)),
                     error.value(u"message"_s).toString(reply->errorString())};
}

namespace {

SipCredentials readSipCredentials(const QJsonValue &value)
{
    auto parsed = parseSipCredentials(value.toObject());
    if (parsed)
        return parsed.value();
    SipCredentials unreadable;
    unreadable.reason = u"the server's SIP account could not be read: %1"_s.arg(parsed.error().message);
    return unreadable;
}

} // namespace

void ApiClient::login(const QString &userId, const QString &password, Callback<LoginReply> done)
{
    const QJsonObject body {{u"userId"_s, userId}, {u"password"_s, password}};
    QNetworkReply *reply = post(u"/api/auth/login"_s, QJsonDocument(body).toJson(QJsonDocument::Compact), false);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        auto result = outcome(reply);
        if (!result) {
            done(result.error());
            return;
        }
        const QJsonObject json = QJsonDocument::fromJson(result.value()).object();
        LoginReply login {json.value(u"token"_s).toString().toLatin1(), json.value(u"role"_s).toString(), {}};
        if (json.contains(u"sip"_s))
            login.sip = readSipCredentials(json.value(u"sip"_s));
        if (login.token.isEmpty()) {
            done(ApiError {200, u"malformed_reply"_s, u"the login answer carries no token"_s});
            return;
        }
        done(std::move(login));
    });
}

void ApiClient::requestSipCredentials(Callback<SipCredentials> done)
{
    QNetworkReply *reply = post(u"/api/voice/sip-credentials"_s, {}, true);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        const QJsonObject json = QJsonDocument::fromJson(body).object();
        if (status == 0) {
            done(transportError(reply));
            return;
        }
        if (!json.contains(u"sip"_s)) {
            const QJsonObject error = json.value(u"error"_s).toObject();
            done(ApiError {status, error.value(u"code"_s).toString(u"http_%1"_s.arg(status)),
                           error.value(u"message"_s).toString(reply->errorString())});
            return;
        }
        done(readSipCredentials(json.value(u"sip"_s)));
    });
}

void ApiClient::logout(Done done)
{
    QNetworkReply *reply = post(u"/api/auth/logout"_s, {}, true);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        const auto result = outcome(reply);
        done(result ? std::nullopt : std::optional<ApiError>(result.error()));
    });
}

void ApiClient::heartbeat(const HttpHeartbeat &body, Callback<HttpHeartbeatReply> done)
{
    QNetworkReply *reply = post(u"/api/agent-heartbeat"_s, serialize(body), true);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        const auto result = outcome(reply);
        if (!result) {
            done(result.error());
            return;
        }
        auto parsed = parseHttpHeartbeatReply(result.value());
        if (!parsed) {
            done(ApiError {200, parsed.error().code, parsed.error().message});
            return;
        }
        done(std::move(parsed).value());
    });
}

void ApiClient::setStatus(const QString &agentId, AgentStatus status, const QString &reason, Done done)
{
    QJsonObject body {{u"status"_s, toString(status)}};
    if (status == AgentStatus::Away && !reason.isEmpty())
        body.insert(u"reason"_s, reason);
    const QString path = u"/api/agents/"_s + QString::fromLatin1(QUrl::toPercentEncoding(agentId)) + u"/status"_s;
    QNetworkReply *reply = post(path, QJsonDocument(body).toJson(QJsonDocument::Compact), true);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        const auto result = outcome(reply);
        done(result ? std::nullopt : std::optional<ApiError>(result.error()));
    });
}

} // namespace heartline
