#include "connection/ServerSession.h"

#include <QElapsedTimer>

#include "AgentLogging.h"
#include "core/Clock.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Causes after which the server's status is not the agent's choice but a side effect of being
/// gone: the next heartbeat restores the agent's own status, so it is not adopted as "wanted".
bool isSideEffectCause(const QString &cause)
{
    return cause == u"cleanup"_s || cause == u"disconnected"_s;
}

const char *stateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::SignedOut:
        return "signed out";
    case ConnectionState::SigningIn:
        return "signing in";
    case ConnectionState::Connecting:
        return "connecting";
    case ConnectionState::Live:
        return "live";
    case ConnectionState::HttpOnly:
        return "HTTP only";
    case ConnectionState::Reconnecting:
        break;
    }
    return "reconnecting";
}

} // namespace

ServerSession::ServerSession(const Clock &clock, ReconnectBackoff::JitterSource jitter, Options options,
                             QObject *parent)
    : QObject(parent), m_clock(clock), m_options(std::move(options)), m_backoff(m_options.backoff, std::move(jitter))
{
    connect(&m_socket, &AgentSocket::opened, this, &ServerSession::onSocketOpened);
    connect(&m_socket, &AgentSocket::failed, this, &ServerSession::onSocketFailed);
    connect(&m_socket, &AgentSocket::closed, this, &ServerSession::onSocketClosed);
    connect(&m_socket, &AgentSocket::messageReceived, this, &ServerSession::onMessage);
    connect(&m_socket, &AgentSocket::pongReceived, this, [this](double ms) {
        m_rtt.addSample(ms);
        Q_EMIT roundTripMeasured(ms);
    });
    connect(&m_pollTimer, &QTimer::timeout, this, &ServerSession::poll);
    if (m_options.pollIntervalMs > 0) {
        m_pollTimer.setInterval(m_options.pollIntervalMs);
        m_pollTimer.start();
    }
}

ServerSession::~ServerSession() = default;

void ServerSession::setState(ConnectionState state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCInfo(lcAgentSession) << "connection:" << stateName(state);
    Q_EMIT stateChanged(state);
}

// --- signing in and out ---

void ServerSession::signIn(const QUrl &serverUrl, const QString &agentId, const QString &password)
{
    ++m_generation;
    m_socket.abort();
    m_socketBusy = false;
    m_api.setBaseUrl(serverUrl);
    m_api.setToken({});
    m_agentId = agentId;
    m_sipCredentials.reset();
    m_everWelcomed = false;
    m_welcomed = false;
    m_wantedUnsent = false;
    m_hasReadiness = false;
    m_backoff.reset();
    m_rtt.reset();
    m_certificateProblem.clear();
    forgetServerStatus();
    auto trust = ServerTrust::fromCaFile(m_caFile);
    if (!trust) {
        setState(ConnectionState::SignedOut);
        Q_EMIT signInFailed(trust.error().message + u' ' + tr("Choose another in Settings."));
        return;
    }
    trust.value().setTrustAdvice(tr("Add its CA file in Settings."));
    m_api.setTrust(*trust);
    m_socket.setTrust(*trust);
    setState(ConnectionState::SigningIn);
    const quint64 generation = m_generation;
    m_api.login(agentId, password, [this, generation, serverUrl](Result<LoginReply, ApiError> reply) {
        if (generation != m_generation)
            return;
        if (!reply) {
            const ApiError &error = reply.error();
            setState(ConnectionState::SignedOut);
            qCInfo(lcAgentSession).noquote() << "sign-in refused:" << error.code << error.message;
            if (error.isCertificateError())
                Q_EMIT signInFailed(error.message);
            else if (error.isNetworkError())
                Q_EMIT signInFailed(tr("Cannot reach the server at %1. Check the address and your network.")
                                        .arg(serverUrl.toDisplayString()));
            else if (error.code == u"invalid_credentials"_s || error.httpStatus == 401)
                Q_EMIT signInFailed(tr("The agent ID or password is not right. Check them and try again."));
            else
                Q_EMIT signInFailed(tr("The server refused the sign-in: %1").arg(error.message));
            return;
        }
        if (reply->role != u"agent"_s) {
            // Signed in as a supervisor or admin: this app is for agents, so give the session back.
            m_api.setToken(reply->token);
            m_api.logout([](std::optional<ApiError>) {});
            m_api.setToken({});
            setState(ConnectionState::SignedOut);
            Q_EMIT signInFailed(tr("This account is not an agent account. Use the supervisor app instead."));
            return;
        }
        m_api.setToken(reply->token);
        m_sipCredentials = reply->sip;
        qCInfo(lcAgentSession).noquote() << m_agentId << "signed in";
        Q_EMIT signedIn();
        openSocket();
    });
}

void ServerSession::requestSipCredentials()
{
    const quint64 generation = m_generation;
    m_api.requestSipCredentials([this, generation](Result<SipCredentials, ApiError> reply) {
        if (generation != m_generation || m_state == ConnectionState::SignedOut)
            return;
        if (reply) {
            m_sipCredentials = reply.value();
        } else {
            // No answer about SIP at all (server unreachable, session gone): keep the account
            // unavailable and say why; the app asks again later.
            SipCredentials unavailable = m_sipCredentials.value_or(SipCredentials {});
            unavailable.status = SipCredentials::Status::Unavailable;
            unavailable.password.clear();
            unavailable.reason = reply.error().message;
            unavailable.retryAfterSeconds = 10;
            m_sipCredentials = unavailable;
        }
        qCInfo(lcAgentSession).noquote() << "SIP account:" << toString(m_sipCredentials->status)
                                         << m_sipCredentials->reason;
        Q_EMIT sipCredentialsChanged();
    });
}

void ServerSession::signOut()
{
    const quint64 generation = ++m_generation;
    if (!m_api.token().isEmpty() && m_state != ConnectionState::SignedOut) {
        // The socket stays open until the server has closed the session, so the agent never shows
        // "disconnected" in between.
        m_api.logout([this, generation](std::optional<ApiError> error) {
            if (error)
                qCWarning(lcAgentSession).noquote() << "logout failed:" << error->message;
            if (generation == m_generation)
                endSession(QString());
        });
        return;
    }
    endSession(QString());
}

void ServerSession::signOff()
{
    if (m_signingOff)
        return;
    ++m_generation;
    if (m_state == ConnectionState::Live && m_welcomed) {
        // The ack of this setStatus (see onAck) finishes the sign-off.
        m_socket.send(AgentSetStatus {AgentStatus::Offline, std::nullopt});
    } else if (m_state == ConnectionState::HttpOnly) {
        const quint64 generation = m_generation;
        m_api.setStatus(m_agentId, AgentStatus::Offline, {}, [this, generation](std::optional<ApiError>) {
            if (generation == m_generation)
                finishSignOff();
        });
    } else {
        // Not connected (or not yet): there is nobody to tell, and nothing to wait for.
        m_signingOff = true;
        finishSignOff();
        return;
    }
    m_signingOff = true;
    m_signOffDeadlineMs = m_clock.nowMs() + m_options.signOffTimeoutMs;
}

void ServerSession::finishSignOff()
{
    if (!m_signingOff)
        return;
    ++m_generation;
    m_socket.close(); // its closed signal finds m_signingOff set and schedules no reconnect
    m_socket.abort();
    m_signingOff = false;
    m_socketBusy = false;
    m_welcomed = false;
    m_api.setToken({});
    setState(ConnectionState::SignedOut);
    Q_EMIT signedOff();
}

void ServerSession::endSession(const QString &message)
{
    ++m_generation;
    m_socket.abort();
    m_socketBusy = false;
    m_welcomed = false;
    m_api.setToken({});
    m_httpInFlight = false;
    m_hasReadiness = false;
    forgetServerStatus();
    setState(ConnectionState::SignedOut);
    Q_EMIT signedOut(message);
}

void ServerSession::forgetServerStatus()
{
    // A new session starts from what its welcome says, never from what the last one showed.
    m_status = StatusInfo {};
    m_wanted = AgentStatus::Offline;
    m_wantedReason.clear();
    Q_EMIT statusChanged(m_status);
}

// --- the WebSocket ---

void ServerSession::openSocket()
{
    if (m_state != ConnectionState::HttpOnly)
        setState(ConnectionState::Connecting);
    m_welcomed = false;
    m_socketBusy = true;
    m_socket.open(AgentSocket::webSocketUrl(m_api.baseUrl(), m_options.webSocketPath));
}

void ServerSession::onSocketOpened()
{
    AgentHello hello;
    hello.token = QString::fromLatin1(m_api.token());
    if (!m_options.clientVersion.isEmpty())
        hello.clientVersion = m_options.clientVersion;
    if (!m_voiceIdentity.isEmpty())
        hello.voiceIdentity = m_voiceIdentity;
    m_socket.send(hello);
}

void ServerSession::onSocketFailed(const QString &reason)
{
    m_socketBusy = false;
    qCInfo(lcAgentSession).noquote() << "WebSocket could not connect:" << reason;
    if (m_state == ConnectionState::HttpOnly) {
        m_webSocketRetryAtMs = m_clock.nowMs() + m_backoff.nextDelayMs();
        return;
    }
    if (m_state != ConnectionState::Connecting)
        return;
    // Is it the server that is gone, or only WebSockets that are blocked on the way? An HTTP
    // heartbeat tells: if it gets through, the app carries on over HTTP and retries the socket.
    sendHttpHeartbeat();
}

void ServerSession::onSocketClosed(const QString &reason)
{
    m_socketBusy = false;
    const bool wasWelcomed = m_welcomed;
    m_welcomed = false;
    if (m_state == ConnectionState::SignedOut || m_signingOff)
        return;
    qCInfo(lcAgentSession).noquote() << "WebSocket closed:" << reason;
    if (m_state == ConnectionState::HttpOnly) {
        m_webSocketRetryAtMs = m_clock.nowMs() + m_backoff.nextDelayMs();
        return;
    }
    if (!wasWelcomed && m_state == ConnectionState::Connecting) {
        onSocketFailed(reason);
        return;
    }
    scheduleReconnect(reason);
}

void ServerSession::scheduleReconnect(const QString &why)
{
    m_reconnectAtMs = m_clock.nowMs() + m_backoff.nextDelayMs();
    qCInfo(lcAgentSession).noquote() << "reconnecting in" << (m_reconnectAtMs - m_clock.nowMs()) << "ms:" << why;
    m_shownCountdown = -1;
    setState(ConnectionState::Reconnecting);
    Q_EMIT reconnectCountdownChanged(reconnectInSeconds());
    m_shownCountdown = reconnectInSeconds();
}

int ServerSession::reconnectInSeconds() const
{
    if (m_state != ConnectionState::Reconnecting)
        return 0;
    const qint64 left = m_reconnectAtMs - m_clock.nowMs();
    return left <= 0 ? 0 : int((left + 999) / 1000);
}

void ServerSession::onMessage(const AgentServerMessage &message)
{
    std::visit(
        [this](const auto &m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, AgentWelcome>)
                onWelcome(m);
            else if constexpr (std::is_same_v<T, AgentAck>)
                onAck(m);
            else if constexpr (std::is_same_v<T, AgentReadiness>)
                onReadiness(m);
            else if constexpr (std::is_same_v<T, AgentStatusChanged>)
                onStatusChanged(m);
            else if constexpr (std::is_same_v<T, AgentSessionReplaced>)
                endSession(tr("You signed in on another computer, so this window was signed out."));
            else if constexpr (std::is_same_v<T, AgentCallOffered>)
                Q_EMIT callOffered(m);
            else if constexpr (std::is_same_v<T, AgentCallEnded>)
                Q_EMIT callEnded(m);
            else if constexpr (std::is_same_v<T, ServerError>)
                onServerError(m);
        },
        message);
}

void ServerSession::onWelcome(const AgentWelcome &welcome)
{
    const bool reconnect = m_everWelcomed;
    m_welcomed = true;
    m_everWelcomed = true;
    m_certificateProblem.clear();
    m_backoff.reset();
    m_backoff.setFirstAttemptSpreadMs(welcome.reconnectSpreadMs.value_or(0));
    m_agentId = welcome.agentId;
    m_displayName = welcome.displayName;
    m_heartbeatIntervalSeconds = welcome.heartbeatIntervalSeconds;
    const int prompt = welcome.idlePromptSeconds.value_or(0);
    const int grace = welcome.idleGraceSeconds.value_or(30);
    const int quiet = welcome.inputQuietSeconds.value_or(0);
    if (prompt != m_idlePromptSeconds || grace != m_idleGraceSeconds || quiet != m_inputQuietSeconds || !reconnect) {
        m_idlePromptSeconds = prompt;
        m_idleGraceSeconds = grace;
        m_inputQuietSeconds = quiet;
        Q_EMIT idleTimesChanged(prompt, grace, quiet);
    }
    qCInfo(lcAgentSession).noquote() << "welcome: status" << toString(welcome.status) << "resumed" << welcome.resumed;

    setState(ConnectionState::Live);
    applyServerStatus(welcome.status, welcome.awayReason, welcome.activity);
    applyReadiness(welcome.readiness);
    const bool serverDroppedUs
        = reconnect && welcome.status == AgentStatus::Offline && m_wanted != AgentStatus::Offline;
    if (m_wantedUnsent || serverDroppedUs) {
        // Resume: the agent chose this while the app was away from the server, or had it before the
        // server set them offline for being gone.
        sendStatusChoice();
    } else {
        m_wanted = welcome.status;
        m_wantedReason = welcome.awayReason.value_or(QString());
    }
    // The first heartbeat goes at once: the server's readiness needs one, and it carries the devices.
    sendHeartbeat();
}

void ServerSession::onAck(const AgentAck &ack)
{
    std::optional<QString> reason;
    if (ack.status == m_wanted && !m_wantedReason.isEmpty())
        reason = m_wantedReason;
    else if (ack.status == m_status.status && !m_status.awayReason.isEmpty())
        reason = m_status.awayReason;
    applyServerStatus(ack.status, reason, ack.activity);
    applyReadiness(ack.readiness);
    Q_EMIT heartbeatAcknowledged();
    if (m_signingOff && ack.status == AgentStatus::Offline)
        finishSignOff();
}

void ServerSession::onReadiness(const AgentReadiness &pushed)
{
    // The server's view moved on its own (a call rings, ends, wrap-up is over): shown at once, but it
    // answers no heartbeat, and it is no status decision either: statusChanged carries those.
    applyServerStatus(pushed.status, pushed.awayReason, pushed.activity);
    applyReadiness(pushed.readiness);
}

void ServerSession::onStatusChanged(const AgentStatusChanged &change)
{
    m_status.changedBy = change.by;
    m_status.cause = change.cause;
    if (!isSideEffectCause(change.cause)) {
        // A supervisor or the server decided (no-answer, supervisor): that is the status now, and
        // routine heartbeats keep reporting it instead of fighting it. Taken before the status is
        // shown, so the window never shows the agent's earlier choice as still on its way.
        m_wanted = change.status;
        m_wantedReason = change.awayReason.value_or(QString());
    }
    applyServerStatus(change.status, change.awayReason, change.activity);
    QString message;
    const QString reason = change.awayReason.value_or(QString());
    if (change.cause == u"no-answer"_s)
        message = tr("You were set to Away because calls went unanswered. Choose Available when you are back.");
    else if (change.by == StatusChangeSource::Supervisor)
        message = reason.isEmpty() ? tr("A supervisor changed your status.")
                                   : tr("A supervisor changed your status (%1).").arg(reason);
    else
        message = tr("The server changed your status.");
    Q_EMIT statusImposed(message);
}

void ServerSession::onServerError(const ServerError &error)
{
    qCWarning(lcAgentSession).noquote() << "server error:" << error.code << error.message;
    if (error.code == u"unauthenticated"_s || error.code == u"forbidden"_s)
        endSession(tr("Your sign-in has expired. Please sign in again."));
}

void ServerSession::applyServerStatus(AgentStatus status, const std::optional<QString> &awayReason,
                                      AgentActivity activity)
{
    const StatusInfo before = m_status;
    m_status.status = status;
    m_status.awayReason = status == AgentStatus::Away ? awayReason.value_or(QString()) : QString();
    m_status.activity = activity;
    if (before.status != m_status.status || before.awayReason != m_status.awayReason
        || before.activity != m_status.activity || before.changedBy != m_status.changedBy)
        Q_EMIT statusChanged(m_status);
}

void ServerSession::applyReadiness(const ReadinessResult &readiness)
{
    const bool changed = !m_hasReadiness || !(readiness == m_readiness);
    m_readiness = readiness;
    m_hasReadiness = true;
    if (changed)
        Q_EMIT readinessChanged(m_readiness);
}

// --- what the agent does ---

void ServerSession::setStatus(AgentStatus status, const QString &awayReason)
{
    m_wanted = status;
    m_wantedReason = status == AgentStatus::Away ? awayReason : QString();
    m_status.changedBy.reset();
    m_status.cause.clear();
    sendStatusChoice();
}

void ServerSession::sendStatusChoice()
{
    const std::optional<QString> reason
        = m_wantedReason.isEmpty() ? std::nullopt : std::optional<QString>(m_wantedReason);
    if (m_state == ConnectionState::Live && m_welcomed) {
        m_wantedUnsent = false;
        m_socket.send(AgentSetStatus {m_wanted, reason});
        return;
    }
    if (m_state == ConnectionState::HttpOnly) {
        m_wantedUnsent = false;
        const quint64 generation = m_generation;
        m_api.setStatus(m_agentId, m_wanted, m_wantedReason, [this, generation](std::optional<ApiError> error) {
            if (generation != m_generation)
                return;
            if (error)
                m_wantedUnsent = true;
            sendHttpHeartbeat(); // for the readiness that goes with the new status
        });
        return;
    }
    m_wantedUnsent = true;
}

void ServerSession::setDevices(const DeviceState &devices)
{
    if (devices == m_devices)
        return;
    m_devices = devices;
    reportDevicesNow();
}

void ServerSession::setPresence(Presence presence)
{
    if (m_presence == presence)
        return;
    m_presence = presence;
    qCInfo(lcAgentSession).noquote() << "presence:" << toString(presence);
    reportDevicesNow();
}

void ServerSession::reportDevicesNow()
{
    if (m_state == ConnectionState::Live && m_welcomed)
        m_socket.send(AgentDeviceState {outgoingDevices(), deviceConnected()});
    else if (m_state == ConnectionState::HttpOnly)
        sendHttpHeartbeat();
    // Otherwise the first heartbeat after the next welcome carries it.
}

void ServerSession::setCallQuality(const std::optional<CallQuality> &quality)
{
    // Measured every few seconds during a call: it rides on the next heartbeat instead of a
    // message of its own, so a floor of talking agents does not double its traffic.
    m_callQuality = quality;
}

DeviceState ServerSession::outgoingDevices() const
{
    DeviceState devices = m_devices;
    devices.callQuality = m_callQuality;
    if (const auto rtt = m_rtt.smoothedMs())
        devices.networkRttMs = *rtt;
    devices.presence = m_presence;
    if (m_idleSeconds)
        devices.idleSeconds = m_idleSeconds();
    return devices;
}

bool ServerSession::deviceConnected() const
{
    // The seed's single flag: a headset (input and output) is there.
    return m_devices.audioInput.value_or(false) && m_devices.audioOutput.value_or(false);
}

// --- heartbeats ---

void ServerSession::poll()
{
    const qint64 now = m_clock.nowMs();
    if (m_signingOff && now >= m_signOffDeadlineMs) {
        qCInfo(lcAgentSession) << "the server did not confirm \"offline\" in time; quitting anyway";
        finishSignOff();
        return;
    }
    switch (m_state) {
    case ConnectionState::Live:
        if (m_welcomed && now >= m_heartbeatAtMs)
            sendHeartbeat();
        break;
    case ConnectionState::HttpOnly:
        if (now >= m_heartbeatAtMs && !m_httpInFlight)
            sendHttpHeartbeat();
        if (now >= m_webSocketRetryAtMs && !m_socketBusy)
            openSocket();
        break;
    case ConnectionState::Reconnecting:
        if (now >= m_reconnectAtMs) {
            openSocket();
        } else if (const int seconds = reconnectInSeconds(); seconds != m_shownCountdown) {
            m_shownCountdown = seconds;
            Q_EMIT reconnectCountdownChanged(seconds);
        }
        break;
    case ConnectionState::SignedOut:
    case ConnectionState::SigningIn:
    case ConnectionState::Connecting:
        break;
    }
}

void ServerSession::sendHeartbeat()
{
    AgentHeartbeat heartbeat;
    heartbeat.currentStatus = m_wanted;
    heartbeat.deviceConnected = deviceConnected();
    heartbeat.seq = ++m_seq;
    if (m_wanted == AgentStatus::Away && !m_wantedReason.isEmpty())
        heartbeat.awayReason = m_wantedReason;
    heartbeat.devices = outgoingDevices();
    m_socket.send(heartbeat);
    m_socket.ping(); // the pong measures the round trip reported in the next heartbeat
    m_heartbeatAtMs = m_clock.nowMs() + qint64(m_heartbeatIntervalSeconds) * 1000;
}

void ServerSession::sendHttpHeartbeat()
{
    if (m_httpInFlight) {
        m_httpAgain = true;
        return;
    }
    HttpHeartbeat body;
    body.agentId = m_agentId;
    body.currentStatus = m_wanted;
    body.deviceConnected = deviceConnected();
    if (m_wanted == AgentStatus::Away && !m_wantedReason.isEmpty())
        body.awayReason = m_wantedReason;
    body.devices = outgoingDevices();
    m_httpInFlight = true;
    m_httpAgain = false;
    const quint64 generation = m_generation;
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_api.heartbeat(body, [this, generation, timer](Result<HttpHeartbeatReply, ApiError> reply) {
        if (generation != m_generation)
            return;
        if (reply) {
            // Over HTTP the request's own round trip is the only measure there is.
            m_rtt.addSample(double(timer->elapsed()));
            Q_EMIT roundTripMeasured(double(timer->elapsed()));
        }
        onHttpHeartbeatReply(std::move(reply));
    });
}

void ServerSession::onHttpHeartbeatReply(Result<HttpHeartbeatReply, ApiError> reply)
{
    m_httpInFlight = false;
    if (m_state == ConnectionState::Live || m_state == ConnectionState::SignedOut)
        return; // the WebSocket came back meanwhile, or the agent left
    if (!reply) {
        const ApiError &error = reply.error();
        if (error.isUnauthenticated()) {
            endSession(tr("Your sign-in has expired. Please sign in again."));
            return;
        }
        // A certificate that fails the check will not pass by waiting: the agent is told why.
        m_certificateProblem = error.isCertificateError() ? error.message : QString();
        scheduleReconnect(error.message);
        return;
    }
    const HttpHeartbeatReply &answer = reply.value();
    if (m_state != ConnectionState::HttpOnly) {
        qCInfo(lcAgentSession) << "the server answers over HTTP but not over WebSocket: heartbeats over HTTP";
        m_webSocketRetryAtMs = m_clock.nowMs() + m_backoff.nextDelayMs();
        setState(ConnectionState::HttpOnly);
    }
    m_heartbeatIntervalSeconds = answer.heartbeatIntervalSeconds;
    m_heartbeatAtMs = m_clock.nowMs() + qint64(answer.heartbeatIntervalSeconds) * 1000;
    std::optional<QString> reason;
    if (answer.status == m_wanted && !m_wantedReason.isEmpty())
        reason = m_wantedReason;
    applyServerStatus(answer.status, reason, answer.activity);
    applyReadiness(answer.readiness);
    Q_EMIT heartbeatAcknowledged();
    if (m_httpAgain)
        sendHttpHeartbeat();
}

} // namespace heartline
