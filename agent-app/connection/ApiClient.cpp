#include "connection/ApiClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

#include "protocol/ProtocolTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

ApiClient::ApiClient(QObject *parent) : QObject(parent) { }

Result<QByteArray, ApiError> ApiClient::outcome(QNetworkReply *reply) const
{
    ServerAnswer answer = m_http.read(reply);
    if (answer.ok())
        return std::move(answer.body);
    return ApiError {answer.httpStatus, answer.errorCode, answer.errorMessage};
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
        // A 503 that explains itself carries `sip` too: it is read like a success.
        const ServerAnswer answer = m_http.read(reply);
        const QJsonObject json = QJsonDocument::fromJson(answer.body).object();
        if (answer.httpStatus == 0 || !json.contains(u"sip"_s)) {
            done(ApiError {answer.httpStatus, answer.ok() ? u"malformed_reply"_s : answer.errorCode,
                           answer.ok() ? u"the answer carries no SIP account"_s : answer.errorMessage});
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
