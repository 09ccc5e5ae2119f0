#pragma once

#include <functional>
#include <optional>

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <QUrl>

#include "client/ServerHttp.h"
#include "core/AgentState.h"
#include "core/Result.h"
#include "protocol/HeartbeatProtocol.h"
#include "protocol/SipCredentials.h"

class QNetworkReply;

namespace heartline {

/// Why a request to heartline-server did not succeed.
struct ApiError
{
    int httpStatus = 0; ///< 0: no HTTP answer (server unreachable, timeout, TLS failure)
    QString code;       ///< the server's error code ("invalid_credentials"), "network_error" or "certificate_error"
    QString message;    ///< the server's message or Qt's network error text, for logs

    [[nodiscard]] bool isNetworkError() const { return httpStatus == 0; }
    /// The server's certificate failed the check: `message` is a sentence for the agent saying why.
    [[nodiscard]] bool isCertificateError() const { return code == u"certificate_error"; }
    [[nodiscard]] bool isUnauthenticated() const { return httpStatus == 401; }
};

struct LoginReply
{
    QByteArray token;
    QString role; ///< "agent", "supervisor" or "admin"
    /// The agent's SIP account when the server dials agents over SIP (SIP_DOMAIN set); absent
    /// otherwise. An answer that cannot be read is Unavailable with the reason.
    std::optional<SipCredentials> sip;
};

/// The agent app's HTTP requests to heartline-server (docs/api.md): login, logout, the seed's
/// heartbeat (the fallback when WebSockets are blocked) and an explicit status change.
/// Answers arrive through the callbacks, on this object's thread, never after it is destroyed.
class ApiClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiClient)

public:
    template <typename T> using Callback = std::function<void(Result<T, ApiError>)>;
    using Done = std::function<void(std::optional<ApiError>)>;

    explicit ApiClient(QObject *parent = nullptr);

    void setBaseUrl(const QUrl &url) { m_http.setBaseUrl(url); }
    [[nodiscard]] QUrl baseUrl() const { return m_http.baseUrl(); }
    /// Sent as Authorization: Bearer on every request but login.
    void setToken(const QByteArray &token) { m_http.setToken(token); }
    [[nodiscard]] QByteArray token() const { return m_http.token(); }
    /// What an https:// server's certificate is checked against.
    void setTrust(const ServerTrust &trust) { m_http.setTrust(trust); }
    /// Requests that get no answer within this time fail as network errors.
    void setTimeoutMs(int ms) { m_http.setTimeoutMs(ms); }

    void login(const QString &userId, const QString &password, Callback<LoginReply> done);
    void logout(Done done);
    void heartbeat(const HttpHeartbeat &body, Callback<HttpHeartbeatReply> done);
    void setStatus(const QString &agentId, AgentStatus status, const QString &reason, Done done);
    /// POST /api/voice/sip-credentials: a new SIP password. A refusal the server explains (503 with
    /// `sip`) arrives as an Unavailable account, not as an error.
    void requestSipCredentials(Callback<SipCredentials> done);

private:
    QNetworkReply *post(const QString &path, const QByteArray &body, bool withToken)
    {
        return m_http.send("POST", path, {}, body, withToken);
    }
    /// Reads the reply: the body on 2xx, the error otherwise.
    [[nodiscard]] Result<QByteArray, ApiError> outcome(QNetworkReply *reply) const;

    ServerHttp m_http; ///< shared with the supervisor app: address, token, certificate check, answers
};

} // namespace heartline
