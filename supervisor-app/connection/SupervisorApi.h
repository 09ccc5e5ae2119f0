#pragma once

#include <functional>
#include <optional>

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include "client/ServerHttp.h"
#include "core/Result.h"
#include "protocol/SupervisorProtocol.h"

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace heartline {

/// The answer to POST /api/auth/login.
struct LoginReply
{
    QByteArray token;
    QString role; ///< "agent", "supervisor" or "admin"
    qint64 expiresAtMs = 0;

    friend bool operator==(const LoginReply &, const LoginReply &) = default;
};

/// One agent examined by a routing decision.
struct DecisionCandidate
{
    QString agentId;
    int score = 0;
    bool ready = false;
    QStringList reasons;

    friend bool operator==(const DecisionCandidate &, const DecisionCandidate &) = default;
};

/// One row of GET /api/routing/decisions.
struct RoutingDecisionView
{
    QString callSid;
    QString queue;
    int attempt = 1;
    QString path; ///< "enhanced", "fallback", "legacy", "queued", "none"
    QString chosenAgentId;
    qint64 durationUs = 0;
    qint64 decidedAtMs = 0;
    QList<DecisionCandidate> candidates;

    friend bool operator==(const RoutingDecisionView &, const RoutingDecisionView &) = default;
};

/// Readers of the HTTP answers (public for tests). Timestamps are ISO-8601 UTC in the answers.
[[nodiscard]] Result<LoginReply> parseLoginReply(const QByteArray &body);
[[nodiscard]] Result<QList<ConnectivityIssueView>> parseConnectivityIssues(const QByteArray &body);
[[nodiscard]] Result<QList<RoutingDecisionView>> parseRoutingDecisions(const QByteArray &body);
/// The Problem of an error answer: the server's `{"error":{code,message,field}}`, else `http_<status>`.
[[nodiscard]] Problem problemFromErrorBody(int httpStatus, const QByteArray &body);
/// The Problem of an answer that is not a 2xx (a network or certificate failure included).
[[nodiscard]] Problem problemOf(const ServerAnswer &answer);

/// The HTTP routes the dashboard uses (docs/api.md), asynchronously. Each callback runs once on the
/// event loop, and never after `context` is destroyed. Transport failures are Problem
/// `network_error`, or `certificate_error` (the message a sentence saying why) when the server's
/// certificate failed the check; server refusals carry the server's error code (`invalid_credentials`, `forbidden`…).
class SupervisorApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupervisorApi)

public:
    template <typename T> using Callback = std::function<void(Result<T>)>;

    explicit SupervisorApi(QObject *parent = nullptr);
    ~SupervisorApi() override;

    /// http(s)://host:port of the server.
    void setBaseUrl(const QUrl &url) { m_http.setBaseUrl(url); }
    [[nodiscard]] QUrl baseUrl() const { return m_http.baseUrl(); }
    void setToken(const QByteArray &token) { m_http.setToken(token); }
    /// What an https:// server's certificate is checked against.
    void setTrust(const ServerTrust &trust) { m_http.setTrust(trust); }
    [[nodiscard]] const ServerTrust &trust() const { return m_http.trust(); }
    [[nodiscard]] QByteArray token() const { return m_http.token(); }
    /// ws(s)://…/ws/supervisor for the base URL.
    [[nodiscard]] QUrl supervisorSocketUrl() const;

    void login(const QString &userId, const QString &password, QObject *context, Callback<LoginReply> done);
    /// Ends the session of the current token (best effort: nothing is reported).
    void logout();
    /// Newest first; `agentId` empty means every agent.
    void connectivityIssues(const QString &agentId, int limit, QObject *context,
                            Callback<QList<ConnectivityIssueView>> done);
    /// Newest first; `agentId` empty means every decision.
    void routingDecisions(const QString &agentId, int limit, QObject *context,
                          Callback<QList<RoutingDecisionView>> done);

    /// Any route: `verb` on `path` with a JSON body (none when empty); `done` gets the body of a 2xx
    /// answer, or the problem (the server's error code and message, or network_error).
    void send(const QByteArray &verb, const QString &path, const QList<std::pair<QString, QString>> &query,
              const QByteArray &body, QObject *context, Callback<QByteArray> done);

private:
    /// Runs `read` over the body of a 2xx answer, or hands on the problem.
    template <typename T>
    void finish(QNetworkReply *reply, QObject *context, Callback<T> done, Result<T> (*read)(const QByteArray &body));

    ServerHttp m_http; ///< shared with the agent app: address, token, certificate check, answers
};

} // namespace heartline
