#include "voice/SimVoiceEndpoint.h"

#include "AgentLogging.h"
#include "core/Clock.h"
#include "voice/SimVoiceMessages.h"

using namespace Qt::StringLiterals;

namespace heartline {

SimVoiceEndpoint::SimVoiceEndpoint(QUrl url, const Clock &clock, ReconnectBackoff::JitterSource jitter, Options options,
                                   QObject *parent)
    : VoiceEndpoint(parent), m_url(std::move(url)), m_clock(clock), m_backoff(options.backoff, std::move(jitter))
{
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        qCInfo(lcAgentVoice).noquote() << "voice server reached; registering" << m_wantedIdentity;
        send(simvoice::registerIdentity(m_wantedIdentity));
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &SimVoiceEndpoint::onMessage);
    connect(&m_socket, &QWebSocket::disconnected, this, &SimVoiceEndpoint::onClosed);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (m_socket.state() == QAbstractSocket::UnconnectedState)
                    onClosed();
            });
    connect(&m_pollTimer, &QTimer::timeout, this, &SimVoiceEndpoint::poll);
    if (options.pollIntervalMs > 0)
        m_pollTimer.start(options.pollIntervalMs);
}

SimVoiceEndpoint::~SimVoiceEndpoint()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

void SimVoiceEndpoint::start(const QString &identity)
{
    m_wantedIdentity = identity;
    m_backoff.reset();
    connectNow();
}

void SimVoiceEndpoint::stop()
{
    // With no identity wanted, the disconnect that abort() may report schedules nothing.
    m_wantedIdentity.clear();
    m_waiting = false;
    m_socket.abort();
    setRegistration(VoiceRegistration::NotConfigured);
}

void SimVoiceEndpoint::connectNow()
{
    m_waiting = false;
    setRegistration(VoiceRegistration::Connecting, {}, lastError());
    m_socket.abort();
    m_socket.open(m_url);
}

void SimVoiceEndpoint::poll()
{
    if (m_waiting && !m_wantedIdentity.isEmpty() && m_clock.nowMs() >= m_reconnectAtMs)
        connectNow();
}

void SimVoiceEndpoint::onClosed()
{
    if (m_wantedIdentity.isEmpty() || m_waiting)
        return;
    const int delay = m_backoff.nextDelayMs();
    m_reconnectAtMs = m_clock.nowMs() + delay;
    m_waiting = true;
    qCInfo(lcAgentVoice) << "voice server connection lost; retrying in" << delay << "ms";
    if (registration() != VoiceRegistration::Failed)
        setRegistration(VoiceRegistration::Connecting, {},
                        tr("Cannot reach the voice server at %1.").arg(m_url.toDisplayString()));
}

void SimVoiceEndpoint::onMessage(const QString &text)
{
    const auto parsed = simvoice::parse(text.toUtf8());
    if (!parsed) {
        qCWarning(lcAgentVoice).noquote() << "unreadable voice message:" << parsed.error().message;
        return;
    }
    std::visit(
        [this](const auto &message) {
            using T = std::decay_t<decltype(message)>;
            if constexpr (std::is_same_v<T, simvoice::Registered>) {
                m_backoff.reset();
                qCInfo(lcAgentVoice).noquote() << "registered as" << message.identity;
                setRegistration(VoiceRegistration::Registered, message.identity);
            } else if constexpr (std::is_same_v<T, simvoice::Incoming>) {
                qCInfo(lcAgentVoice).noquote()
                    << "incoming call" << message.call.callSid << "from" << message.call.from;
                Q_EMIT incoming(message.call);
            } else if constexpr (std::is_same_v<T, simvoice::CallEvent>) {
                switch (message.kind) {
                case simvoice::CallEvent::Canceled:
                    Q_EMIT canceled(message.callSid);
                    break;
                case simvoice::CallEvent::Connected:
                    Q_EMIT connected(message.callSid);
                    break;
                case simvoice::CallEvent::Disconnected:
                    Q_EMIT disconnected(message.callSid);
                    break;
                }
            } else if constexpr (std::is_same_v<T, simvoice::Error>) {
                qCWarning(lcAgentVoice).noquote() << "voice server:" << message.message;
                if (registration() != VoiceRegistration::Registered)
                    setRegistration(VoiceRegistration::Failed, {}, message.message);
                Q_EMIT errorReported(message.message);
            }
        },
        parsed.value());
}

void SimVoiceEndpoint::send(const QByteArray &message)
{
    m_socket.sendTextMessage(QString::fromUtf8(message));
}

void SimVoiceEndpoint::accept(const QString &callSid)
{
    send(simvoice::callCommand(u"accept", callSid));
}

void SimVoiceEndpoint::decline(const QString &callSid)
{
    send(simvoice::callCommand(u"reject", callSid));
}

void SimVoiceEndpoint::hangup(const QString &callSid)
{
    send(simvoice::callCommand(u"hangup", callSid));
}

} // namespace heartline
