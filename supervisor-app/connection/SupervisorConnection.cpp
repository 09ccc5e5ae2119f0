#include "connection/SupervisorConnection.h"

#include <QNetworkRequest>
#include <QWebSocket>

#include "SupervisorLogging.h"
#include "connection/IncomingMessage.h"

using namespace Qt::StringLiterals;

namespace heartline {

SupervisorConnection::SupervisorConnection(QObject *parent) : SupervisorConnection(Options {}, {}, parent) { }

SupervisorConnection::SupervisorConnection(Options options, std::function<double()> random, QObject *parent)
    : QObject(parent), m_options(options), m_backoff(options.backoff, std::move(random))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &SupervisorConnection::connectSocket);
    m_silenceTimer.setSingleShot(true);
    m_silenceTimer.setInterval(m_options.silenceTimeoutMs);
    connect(&m_silenceTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcSupervisorConnection)
            << "nothing from the server for" << m_options.silenceTimeoutMs << "ms; reconnecting";
        reconnectNow();
    });
}

SupervisorConnection::~SupervisorConnection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void SupervisorConnection::open(const QUrl &url, const QByteArray &token)
{
    m_url = url;
    m_token = token;
    m_backoff.reset();
    connectSocket();
}

void SupervisorConnection::close()
{
    m_retryTimer.stop();
    m_silenceTimer.stop();
    if (m_socket) {
        QWebSocket *socket = std::exchange(m_socket, nullptr);
        socket->disconnect(this);
        socket->close();
        socket->deleteLater();
    }
    setState(State::Closed);
}

void SupervisorConnection::reconnectNow()
{
    if (m_state == State::Closed || m_state == State::Refused)
        return;
    if (m_socket) {
        QWebSocket *socket = std::exchange(m_socket, nullptr);
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_retryTimer.stop();
    connectSocket();
}

void SupervisorConnection::connectSocket()
{
    // Pages of the last socket's snapshot are of no use: the new one sends its own from page 1.
    m_pages.clear();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_trust.applyTo(*m_socket);
    noteCertificateErrors(m_socket);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &SupervisorConnection::onText);
    connect(m_socket, &QWebSocket::disconnected, this, &SupervisorConnection::onDisconnected);
    // A refused TCP connection may end in an error without a disconnected signal.
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (m_socket && m_socket->state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
    QNetworkRequest request(m_url);
    request.setRawHeader("Authorization", "Bearer " + m_token);
    qCInfo(lcSupervisorConnection).noquote() << "connecting to" << m_url.toDisplayString();
    setState(State::Connecting);
    m_silenceTimer.start();
    m_socket->open(request);
}

void SupervisorConnection::onDisconnected()
{
    if (!m_socket)
        return;
    m_certificateProblem = failedCertificateCheck(m_socket) ? socketErrorText(m_socket, m_trust) : QString();
    qCInfo(lcSupervisorConnection).noquote()
        << "disconnected:" << m_socket->closeCode() << m_socket->closeReason() << socketErrorText(m_socket, m_trust);
    m_silenceTimer.stop();
    // Only a connection that was (being) used is retried; one retry is scheduled per loss.
    if (m_state != State::Connecting && m_state != State::Live)
        return;
    scheduleRetry();
}

void SupervisorConnection::scheduleRetry()
{
    m_retryDelayMs = m_backoff.nextDelayMs();
    qCInfo(lcSupervisorConnection) << "next attempt in" << m_retryDelayMs << "ms";
    m_retryTimer.start(int(m_retryDelayMs));
    setState(State::WaitingRetry);
}

void SupervisorConnection::onText(const QString &text)
{
    m_silenceTimer.start();
    const auto message = readIncomingMessage(text.toUtf8());
    if (!message) {
        // One unreadable message is logged and skipped; the next snapshot or delta corrects the view.
        qCWarning(lcSupervisorConnection).noquote()
            << "unreadable message:" << message.error().code << message.error().field << message.error().message;
        return;
    }
    if (const auto *queues = std::get_if<QueuesUpdate>(&message.value())) {
        Q_EMIT queuesReceived(*queues);
        return;
    }
    handle(std::get<SupervisorServerMessage>(message.value()));
}

void SupervisorConnection::handle(const SupervisorServerMessage &message)
{
    if (const auto *welcome = std::get_if<SupervisorWelcome>(&message)) {
        qCInfo(lcSupervisorConnection).noquote() << "welcome" << welcome->userId << welcome->role;
        m_welcome = *welcome;
        m_certificateProblem.clear();
        m_backoff.reset();
        return;
    }
    if (const auto *page = std::get_if<SupervisorSnapshot>(&message)) {
        if (page->page == 1)
            Q_EMIT snapshotStarted();
        const std::optional<SupervisorSnapshot> whole = m_pages.add(*page);
        if (!whole) {
            if (m_pages.isGathering())
                Q_EMIT snapshotProgress();
            return;
        }
        qCInfo(lcSupervisorConnection) << "snapshot of" << whole->agents.size() << "agents in" << whole->pages
                                       << "pages";
        Q_EMIT snapshotReceived(*whole);
        setState(State::Live);
        m_hadSnapshot = true;
        return;
    }
    // Between the pages of a snapshot, deltas go into the floor being gathered.
    if (const auto *changed = std::get_if<SupervisorAgentsChanged>(&message)) {
        if (!m_pages.applyChanges(changed->agents))
            Q_EMIT agentsChanged(*changed);
        return;
    }
    if (const auto *removed = std::get_if<SupervisorAgentsRemoved>(&message)) {
        if (!m_pages.applyRemovals(removed->agentIds))
            Q_EMIT agentsRemoved(removed->agentIds);
        return;
    }
    if (const auto *issues = std::get_if<SupervisorConnectivityIssues>(&message)) {
        Q_EMIT connectivityIssuesReceived(*issues);
        return;
    }
    if (const auto *change = std::get_if<SupervisorAdminChange>(&message)) {
        Q_EMIT adminChangeReceived(*change);
        return;
    }
    if (const auto *stats = std::get_if<SupervisorStats>(&message)) {
        m_pages.applyStats(stats->stats);
        Q_EMIT statsReceived(stats->stats, stats->serverTimeMs);
        return;
    }
    const auto &error = std::get<ServerError>(message);
    qCWarning(lcSupervisorConnection).noquote() << "server error:" << error.code << error.message;
    if (error.code == u"unauthenticated"_s || error.code == u"forbidden"_s) {
        // The server closes the socket next; retrying with the same token would be refused again.
        m_retryTimer.stop();
        m_silenceTimer.stop();
        setState(State::Refused);
        Q_EMIT sessionRefused(error.code, error.message);
        return;
    }
    Q_EMIT commandRefused(error.code, error.message);
}

bool SupervisorConnection::setAgentStatus(const QString &agentId, AgentStatus status, const QString &reason)
{
    if (m_state != State::Live)
        return false;
    SupervisorSetAgentStatus command {agentId, status, {}};
    if (!reason.isEmpty())
        command.reason = reason;
    send(command);
    return true;
}

bool SupervisorConnection::logoutAgent(const QString &agentId, const QString &reason)
{
    if (m_state != State::Live)
        return false;
    SupervisorLogoutAgent command {agentId, {}};
    if (!reason.isEmpty())
        command.reason = reason;
    send(command);
    return true;
}

void SupervisorConnection::send(const SupervisorClientMessage &message)
{
    qCInfo(lcSupervisorConnection).noquote() << "sending" << messageType(message);
    m_socket->sendTextMessage(QString::fromUtf8(serialize(message)));
}

void SupervisorConnection::setState(State state)
{
    if (state == m_state)
        return;
    const bool wasStale = isStale();
    m_state = state;
    Q_EMIT stateChanged(state);
    if (isStale() != wasStale)
        Q_EMIT staleChanged(isStale());
}

} // namespace heartline
