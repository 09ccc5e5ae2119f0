#include "HttpTestClient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace heartline::test {

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[headerName, value] : headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString HttpReply::errorCode() const
{
    return json().value(u"error"_s).toObject().value(u"code"_s).toString();
}

QUrl HttpTestClient::resolve(const QString &path) const
{
    return m_baseUrl.resolved(QUrl(path));
}

HttpReply HttpTestClient::get(const QString &path, const Headers &headers)
{
    return send("GET", path, {}, {}, headers);
}

HttpReply HttpTestClient::post(const QString &path, const QByteArray &body, const QByteArray &contentType,
                               const Headers &headers)
{
    return send("POST", path, body, contentType, headers);
}

HttpReply HttpTestClient::postJson(const QString &path, const QJsonObject &body, const Headers &headers)
{
    return post(path, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json", headers);
}

HttpReply HttpTestClient::send(const QByteArray &verb, const QString &path, const QByteArray &body,
                               const QByteArray &contentType, const Headers &headers)
{
    QNetworkRequest request(resolve(path));
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (m_ssl)
        request.setSslConfiguration(*m_ssl);

    QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(30'000); // a safety net against a hung server, not a timing assertion
    if (!reply->isFinished())
        loop.exec();

    HttpReply result;
    if (!reply->isFinished()) {
        reply->abort();
        result.networkError = u"no answer within 30 s"_s;
    } else {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        result.headers = reply->rawHeaderPairs();
        if (result.status == 0)
            result.networkError = reply->errorString();
    }
    reply->deleteLater();
    return result;
}

QByteArray loginToken(const QUrl &serverUrl, const QString &userId, const std::optional<QSslConfiguration> &ssl)
{
    HttpTestClient client(serverUrl);
    if (ssl)
        client.setSslConfiguration(*ssl);
    const HttpReply reply
        = client.postJson(QStringLiteral("/api/auth/login"),
                          QJsonObject {{QStringLiteral("userId"), userId},
                                       {QStringLiteral("password"), QString(userId + QStringLiteral("-password"))}});
    if (reply.status != 200)
        qWarning() << "login of" << userId << "answered" << reply.status << reply.body;
    return reply.json().value(QStringLiteral("token")).toString().toLatin1();
}

} // namespace heartline::test
