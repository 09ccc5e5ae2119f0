#include "TwilioSim.h"

#include <QRegularExpression>
#include <QWebSocket>

#include "CallEngine.h"
#include "ControlApi.h"
#include "RestApi.h"
#include "SimHttpServer.h"
#include "SimScheduler.h"
#include "SipCredentialStore.h"
#include "VoiceSignaling.h"
#include "WebhookSender.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

bool isHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"http"_s || url.scheme() == u"https"_s) && !url.host().isEmpty();
}

} // namespace

TwilioSim::TwilioSim(SimOptions options, SimScheduler &scheduler, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_scheduler(scheduler)
{
    m_webhooks = std::make_unique<WebhookSender>(m_options.authToken.toUtf8(), m_scheduler, m_options.webhookTimeoutMs);
    m_webhooks->setTrust(m_options.webhookTrust);
    m_engine = std::make_unique<CallEngine>(m_options, m_scheduler, *m_webhooks);
    m_signaling = std::make_unique<VoiceSignaling>(m_options, m_scheduler.clock(), *m_engine);
    m_engine->setClientGateway(m_signaling.get());
    connect(m_engine.get(), &CallEngine::eventLogged, this, [this] { ++m_activity; });
    m_sipCredentials = std::make_unique<SipCredentialStore>(m_scheduler.clock());
    m_rest = std::make_unique<RestApi>(m_options, *m_engine, *m_sipCredentials, m_scheduler);
    m_control = std::make_unique<ControlApi>(
        *m_engine, *m_signaling, m_scheduler, [this](qint64 ms) { setRestDelayMs(ms); },
        [this] { return webhooksInFlight(); });
    m_http = std::make_unique<SimHttpServer>(m_scheduler);
    m_http->setWebSocketEndpoint(
        u"/voice"_s, [this](std::unique_ptr<QWebSocket> socket) { m_signaling->addConnection(std::move(socket)); });
    m_http->setHandler([this](const SimHttpRequest &request) {
        ++m_activity;
        if (request.path.startsWith(u"/2010-04-01/"_s)) {
            if (m_restFailuresLeft > 0) {
                --m_restFailuresLeft;
                return twilioErrorResponse(m_restFailureStatus, 20500, u"Internal Server Error"_s);
            }
            SimHttpResponse response = m_rest->handle(request);
            response.delayMs = m_restDelayMs;
            return response;
        }
        if (request.path.startsWith(u"/control/"_s))
            return m_control->handle(request);
        // Twilio's answer for any path it does not serve.
        return twilioErrorResponse(404, 20404, u"The requested resource %1 was not found"_s.arg(request.path));
    });
}

TwilioSim::~TwilioSim()
{
    // The engine must not call into the signaling or the SIP side while the members are torn down.
    m_engine->setClientGateway(nullptr);
    m_control->setRecordingSource(nullptr);
    m_sipSideView = nullptr;
    m_sipSide.reset();
}

std::optional<Problem> TwilioSim::validate(const SimOptions &options)
{
    static const QRegularExpression accountSid(u"^AC[0-9a-fA-F]{32}$"_s);
    if (!accountSid.match(options.accountSid).hasMatch())
        return Problem {u"invalid_value"_s, u"account-sid"_s, u"--account-sid must be AC followed by 32 hex digits"_s};
    if (options.authToken.isEmpty())
        return Problem {u"missing_field"_s, u"auth-token"_s, u"--auth-token is required"_s};
    if (!isHttpUrl(options.voiceUrl))
        return Problem {u"invalid_value"_s, u"voice-url"_s, u"--voice-url must be an http(s) URL"_s};
    if (!options.statusCallbackUrl.isEmpty() && !isHttpUrl(options.statusCallbackUrl))
        return Problem {u"invalid_value"_s, u"status-callback"_s, u"--status-callback must be an http(s) URL"_s};
    if (!options.apiKeySid.isEmpty() && options.apiKeySecret.isEmpty())
        return Problem {u"missing_field"_s, u"api-key-secret"_s, u"--api-key-sid needs --api-key-secret"_s};
    return std::nullopt;
}

bool TwilioSim::listen(const QHostAddress &address, quint16 port, QString *errorText)
{
    m_address = address;
    if (!m_http->start(address, port, errorText))
        return false;
    m_engine->setRecordingBaseUrl(baseUrl().toString());
    return true;
}

QUrl TwilioSim::baseUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(m_address.toString());
    url.setPort(m_http->port());
    return url;
}

int TwilioSim::webhooksInFlight() const
{
    return m_webhooks->inFlight();
}

int TwilioSim::heldRestAnswers() const
{
    return m_http->heldCount();
}

} // namespace heartline
