#include "WebhookSender.h"

#include <memory>

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

#include "SimScheduler.h"
#include "twilio/TwilioSignature.h"

using namespace Qt::StringLiterals;

namespace heartline {

QString WebhookResult::describe() const
{
    if (!failure.isEmpty())
        return u"no answer: "_s + failure;
    return u"HTTP %1"_s.arg(status);
}

WebhookSender::WebhookSender(QByteArray authToken, SimScheduler &scheduler, qint64 timeoutMs, QObject *parent)
    : QObject(parent), m_authToken(std::move(authToken)), m_scheduler(scheduler), m_timeoutMs(timeoutMs)
{
    // Webhooks go exactly where they are configured: a proxy from the environment has no say.
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

WebhookSender::~WebhookSender()
{
    for (const quint64 timer : std::as_const(m_timers))
        m_scheduler.cancel(timer);
}

QString WebhookSender::requestUrl(const WebhookRequest &request)
{
    if (request.method == HttpMethod::Post || request.params.isEmpty())
        return request.url;
    const QChar separator = request.url.contains(u'?') ? u'&' : u'?';
    return request.url + separator + QString::fromLatin1(request.params.encode());
}

void WebhookSender::send(const WebhookRequest &request, QObject *context, Done done)
{
    const QString url = requestUrl(request);
    const bool post = request.method == HttpMethod::Post;
    // A GET is signed over its full URL with no parameters appended (spec §1.2).
    const QByteArray signature = TwilioSignature(m_authToken).compute(url, post ? request.params : FormParams {});

    QNetworkRequest http {QUrl(url)};
    http.setRawHeader("X-Twilio-Signature", signature);
    http.setRawHeader("User-Agent", "TwilioProxy/1.1");
    http.setRawHeader("Accept", "*/*");
    m_trust.applyTo(http);
    QNetworkReply *reply = nullptr;
    if (post) {
        http.setHeader(QNetworkRequest::ContentTypeHeader,
                       QByteArray("application/x-www-form-urlencoded; charset=utf-8"));
        reply = m_network.post(http, request.params.encode());
    } else {
        reply = m_network.get(http);
    }
    noteCertificateErrors(reply);
    ++m_inFlight;

    auto timedOut = std::make_shared<bool>(false);
    const SimScheduler::TimerId timer = m_scheduler.scheduleIn(m_timeoutMs, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    m_timers.insert(timer);
    // Bookkeeping with this object as context, the answer with the caller's: a caller destroyed
    // first simply never hears back.
    connect(reply, &QNetworkReply::finished, this, [this, reply, timer] {
        m_scheduler.cancel(timer);
        m_timers.remove(timer);
        --m_inFlight;
        reply->deleteLater();
    });
    connect(reply, &QNetworkReply::finished, context ? context : this,
            [this, reply, timedOut, url, done = std::move(done)] {
                WebhookResult result;
                result.url = url;
                result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (*timedOut) {
                    result.status = 0;
                    result.failure = u"timed out after %1 ms"_s.arg(m_timeoutMs);
                } else if (result.status == 0) {
                    result.failure = networkErrorText(reply, m_trust);
                } else {
                    result.body = reply->readAll();
                    result.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
                }
                if (done)
                    done(result);
            });
}

} // namespace heartline
