#include "client/ServerHttp.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace heartline {

ServerAnswer errorAnswer(int httpStatus, const QByteArray &body)
{
    ServerAnswer answer;
    answer.httpStatus = httpStatus;
    answer.body = body;
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(u"error"_s).toObject();
    answer.errorCode = error.value(u"code"_s).toString();
    if (answer.errorCode.isEmpty()) {
        answer.errorCode = u"http_%1"_s.arg(httpStatus);
        answer.errorMessage = u"The server answered HTTP %1."_s.arg(httpStatus);
        return answer;
    }
    answer.errorField = error.value(u"field"_s).toString();
    answer.errorMessage = error.value(u"message"_s).toString();
    return answer;
}

void ServerHttp::setTrust(const ServerTrust &trust)
{
    m_trust = trust;
    m_network.clearConnectionCache();
}

QUrl ServerHttp::urlOf(const QString &path) const
{
    QUrl url = m_baseUrl;
    // Under the base URL's own path, so a server behind a proxy at https://host/heartline works.
    QString base = url.path();
    if (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    return url;
}

QNetworkRequest ServerHttp::request(const QString &path, const Query &query, bool withToken) const
{
    QUrl url = urlOf(path);
    if (!query.isEmpty()) {
        QUrlQuery items;
        for (const auto &[name, value] : query)
            items.addQueryItem(name, value);
        url.setQuery(items);
    }
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_timeoutMs);
    if (withToken && !m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    m_trust.applyTo(request);
    return request;
}

QNetworkReply *ServerHttp::send(const QByteArray &verb, const QString &path, const Query &query, const QByteArray &body,
                                bool withToken)
{
    const QNetworkRequest built = request(path, query, withToken);
    QNetworkReply *reply = verb == "GET" ? m_network.get(built)
        : verb == "POST"                 ? m_network.post(built, body)
                                         : m_network.sendCustomRequest(built, verb, body);
    noteCertificateErrors(reply);
    return reply;
}

ServerAnswer ServerHttp::read(QNetworkReply *reply) const
{
    return readAnswer(reply, m_trust);
}

ServerAnswer readAnswer(QNetworkReply *reply, const ServerTrust &trust)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status == 0) {
        ServerAnswer answer;
        answer.errorCode = failedCertificateCheck(reply) ? u"certificate_error"_s : u"network_error"_s;
        answer.errorMessage = networkErrorText(reply, trust);
        return answer;
    }
    if (status < 200 || status > 299)
        return errorAnswer(status, body);
    return ServerAnswer {status, body, {}, {}, {}};
}

QUrl ServerHttp::webSocketUrl(const QString &path) const
{
    QUrl url = urlOf(path);
    url.setScheme(m_baseUrl.scheme() == u"https"_s ? u"wss"_s : u"ws"_s);
    return url;
}

} // namespace heartline
