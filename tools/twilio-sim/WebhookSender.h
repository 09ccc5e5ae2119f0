#pragma once

#include <functional>

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSet>
#include <QString>

#include "client/ServerTrust.h"
#include "twilio/FormParams.h"
#include "twilio/TwimlWriter.h"

namespace heartline {

class SimScheduler;

/// One webhook as Twilio sends it: a URL, a method and the form parameters.
struct WebhookRequest
{
    QString url; ///< absolute, used for the signature exactly as written
    HttpMethod method = HttpMethod::Post;
    FormParams params;
};

struct WebhookResult
{
    QString url;    ///< as requested (for GET with the parameters in the query)
    int status = 0; ///< 0 when no HTTP answer arrived
    QByteArray body;
    QByteArray contentType;
    QString failure; ///< why no HTTP answer arrived (refused, timed out, certificate refused); empty otherwise

    [[nodiscard]] bool ok() const { return failure.isEmpty() && status >= 200 && status < 300; }
    /// "HTTP 200", "HTTP 500", "no answer: connection refused" for event logs.
    [[nodiscard]] QString describe() const;
};

/// Sends Twilio's webhooks: form-encoded POST (or GET with the parameters in the query), signed with
/// X-Twilio-Signature over the exact URL (spec §1) using heartline_core's TwilioSignature. The time
/// limit on each answer is simulated time: it is an entry of the SimScheduler.
class WebhookSender final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookSender)

public:
    using Done = std::function<void(const WebhookResult &)>;

    WebhookSender(QByteArray authToken, SimScheduler &scheduler, qint64 timeoutMs, QObject *parent = nullptr);
    /// What an https:// webhook URL's certificate is checked against.
    void setTrust(const ServerTrust &trust) { m_trust = trust; }
    /// Abandons requests in flight without calling their Done.
    ~WebhookSender() override;

    /// Starts the request and returns at once; `done` runs later from the event loop, never from
    /// inside send(), and not at all once `context` is destroyed.
    void send(const WebhookRequest &request, QObject *context, Done done);

    /// The URL a request goes to: for GET the parameters are appended to the query.
    [[nodiscard]] static QString requestUrl(const WebhookRequest &request);

    /// Requests sent and not yet answered or given up.
    [[nodiscard]] int inFlight() const { return m_inFlight; }

private:
    QByteArray m_authToken;
    SimScheduler &m_scheduler;
    qint64 m_timeoutMs;
    QNetworkAccessManager m_network;
    ServerTrust m_trust;
    int m_inFlight = 0;
    QSet<quint64> m_timers; ///< the time limits of requests in flight, cancelled with them
};

} // namespace heartline
