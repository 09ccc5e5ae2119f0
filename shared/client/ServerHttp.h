#pragma once

#include <utility>

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QString>
#include <QUrl>

#include "client/ServerTrust.h"

class QNetworkReply;
class QNetworkRequest;

namespace heartline {

/// What heartline-server answered to one request, read the way both apps read it.
struct ServerAnswer
{
    int httpStatus = 0; ///< 0: no HTTP answer (unreachable, timed out, certificate refused)
    QByteArray body;    ///< the body of whatever answer came
    /// Empty for a 2xx answer. Else the server's error code ("invalid_credentials"), "http_<status>"
    /// for an error without the standard body, or "network_error" / "certificate_error".
    QString errorCode;
    QString errorField;   ///< the field the server names as at fault, if any
    QString errorMessage; ///< the server's sentence, or why no answer came (the certificate sentence included)

    [[nodiscard]] bool ok() const { return errorCode.isEmpty(); }
};

/// The HTTP side of heartline-server for both desktop apps: where the server is, the session token,
/// the certificate check (ServerTrust), the request timeout, and reading the answers, including the
/// standard error body `{"error":{"code","message","field"}}` of docs/api.md.
class ServerHttp final
{
    Q_DISABLE_COPY_MOVE(ServerHttp)

public:
    using Query = QList<std::pair<QString, QString>>;

    ServerHttp() = default;

    /// http(s)://host:port, perhaps with a path when the server sits behind a proxy under one.
    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    [[nodiscard]] QUrl baseUrl() const { return m_baseUrl; }
    /// Sent as `Authorization: Bearer` on requests made withToken.
    void setToken(const QByteArray &token) { m_token = token; }
    [[nodiscard]] QByteArray token() const { return m_token; }
    /// Also forgets open connections: Qt keeps them (and their TLS settings) by host and port, so a
    /// CA file chosen after a refused certificate would otherwise not count until the app restarts.
    void setTrust(const ServerTrust &trust);
    [[nodiscard]] const ServerTrust &trust() const { return m_trust; }
    /// Requests that get no answer within this time fail as network errors.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    /// The request for `path` on the server: JSON content type, timeout, certificate check, token.
    [[nodiscard]] QNetworkRequest request(const QString &path, const Query &query = {}, bool withToken = true) const;
    /// Sends `verb` with `body` (none when empty); certificate errors are kept for read().
    QNetworkReply *send(const QByteArray &verb, const QString &path, const Query &query = {},
                        const QByteArray &body = {}, bool withToken = true);
    /// Reads a finished reply (from its finished signal).
    [[nodiscard]] ServerAnswer read(QNetworkReply *reply) const;
    /// ws:// or wss:// for a path on the same server.
    [[nodiscard]] QUrl webSocketUrl(const QString &path) const;

private:
    [[nodiscard]] QUrl urlOf(const QString &path) const;

    QNetworkAccessManager m_network;
    QUrl m_baseUrl;
    QByteArray m_token;
    ServerTrust m_trust;
    int m_timeoutMs = 10'000;
};

/// Reads a finished reply: what ServerHttp::read() does, for a callback that keeps a copy of the trust.
[[nodiscard]] ServerAnswer readAnswer(QNetworkReply *reply, const ServerTrust &trust);

/// The error of an answer with `httpStatus` and `body`: the standard error body's code, field and
/// message, else "http_<status>" and a sentence naming the status.
[[nodiscard]] ServerAnswer errorAnswer(int httpStatus, const QByteArray &body);

} // namespace heartline
