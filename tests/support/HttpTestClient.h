#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QSslConfiguration>
#include <QUrl>

namespace heartline::test {

struct HttpReply
{
    int status = 0; ///< 0 when no HTTP answer arrived (connection refused, timeout)
    QByteArray body;
    QByteArray contentType;
    QString networkError; ///< empty when the request reached the server
    /// Every response header, as received.
    QList<QPair<QByteArray, QByteArray>> headers;

    [[nodiscard]] QJsonObject json() const;
    /// A response header by name (case-insensitive), or empty.
    [[nodiscard]] QByteArray header(const QByteArray &name) const;
    /// `error.code` from the standard error body, or empty.
    [[nodiscard]] QString errorCode() const;
};

using Headers = QList<QPair<QByteArray, QByteArray>>;

/// Real HTTP over loopback for tests: each call runs the event loop until the reply finishes
/// (or a generous timeout passes, which is reported as a failed request, never as success).
class HttpTestClient final
{
public:
    explicit HttpTestClient(QUrl baseUrl = {}) : m_baseUrl(std::move(baseUrl)) { }

    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    void setBearerToken(const QByteArray &token) { m_token = token; }
    /// For https:// URLs: the authorities the server's certificate is checked against (by default
    /// the system's, which know no test CA).
    void setSslConfiguration(const QSslConfiguration &configuration) { m_ssl = configuration; }

    HttpReply get(const QString &path, const Headers &headers = {});
    HttpReply post(const QString &path, const QByteArray &body, const QByteArray &contentType = "application/json",
                   const Headers &headers = {});
    HttpReply postJson(const QString &path, const QJsonObject &body, const Headers &headers = {});
    HttpReply send(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                   const QByteArray &contentType = {}, const Headers &headers = {});

private:
    QUrl resolve(const QString &path) const;

    QNetworkAccessManager m_network;
    QUrl m_baseUrl;
    QByteArray m_token;
    std::optional<QSslConfiguration> m_ssl;
};

/// POST /api/auth/login for `userId` with the tests' password "<userId>-password": the session token, or
/// empty (with a warning saying what the server answered) when the login was refused.
[[nodiscard]] QByteArray loginToken(const QUrl &serverUrl, const QString &userId,
                                    const std::optional<QSslConfiguration> &ssl = std::nullopt);

} // namespace heartline::test
