#pragma once

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include "client/ReconnectBackoff.h"
#include "client/ServerTrust.h"
#include "models/QueueStatus.h"
#include "models/SnapshotPages.h"
#include "protocol/SupervisorProtocol.h"

class QWebSocket;

namespace heartline {

class Clock;

/// The dashboard's /ws/supervisor connection (docs/api.md, "WebSocket /ws/supervisor"): the token
/// goes as `Authorization: Bearer` on the upgrade request; the server answers welcome, the snapshot
/// in pages, then agentsChanged / agentsRemoved deltas, connectivityIssues, queues and stats. The
/// pages are gathered (SnapshotPages, which says why) with the deltas that come between them, and
/// snapshotReceived() gives the whole floor once the last is in. A lost connection is retried with
/// exponential backoff and jitter; while it is down the data the dashboard shows is stale
/// (isStale()), and the next snapshot replaces it. A refused token (unauthenticated, forbidden)
/// ends the connection for good: the user has to log in again.
///
/// A connection that delivers nothing for `silenceTimeoutMs` (the server sends stats every 5 s) is
/// taken as dead (a half-open TCP connection) and reopened.
class SupervisorConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupervisorConnection)

public:
    enum class State {
        Closed,       ///< not started, or stopped by close()
        Connecting,   ///< upgrade sent, waiting for welcome and every page of the snapshot
        Live,         ///< the whole snapshot received: the data shown follows the server
        WaitingRetry, ///< lost; the next attempt is scheduled
        Refused,      ///< the server refused the token: log in again
    };
    Q_ENUM(State)

    struct Options
    {
        ReconnectBackoff::Options backoff {1000, 30'000}; ///< 1 s doubling to 30 s, ±20 %
        int silenceTimeoutMs = 20'000;
    };

    explicit SupervisorConnection(QObject *parent = nullptr);
    SupervisorConnection(Options options, std::function<double()> random, QObject *parent = nullptr);
    ~SupervisorConnection() override;

    /// What a wss:// server's certificate is checked against, from the next connection on.
    void setTrust(const ServerTrust &trust) { m_trust = trust; }
    /// Connects to `url` (ws://host:port/ws/supervisor) with the session token, and keeps it connected.
    void open(const QUrl &url, const QByteArray &token);
    /// Closes for good (no retry).
    void close();
    /// Drops the socket as a network failure would, then retries (tests; "reconnect now" in the UI).
    void reconnectNow();

    /// Sends a command; false when not live (nothing is sent). Success is not answered: the change
    /// arrives as agentsChanged. A refusal arrives as commandRefused().
    bool setAgentStatus(const QString &agentId, AgentStatus status, const QString &reason);
    bool logoutAgent(const QString &agentId, const QString &reason);

    [[nodiscard]] State state() const { return m_state; }
    /// True when the data received earlier no longer follows the server (not live after a snapshot).
    [[nodiscard]] bool isStale() const { return m_hadSnapshot && m_state != State::Live; }
    /// Milliseconds until the next attempt while WaitingRetry.
    [[nodiscard]] qint64 retryDelayMs() const { return m_retryDelayMs; }
    [[nodiscard]] int failedAttempts() const { return m_backoff.attempts(); }
    [[nodiscard]] const SupervisorWelcome &welcome() const { return m_welcome; }
    /// Why the server's certificate was refused at the last attempt (a sentence for the
    /// supervisor); empty when that is not why it is not live.
    [[nodiscard]] QString certificateProblem() const { return m_certificateProblem; }
    /// The snapshot being received: pages in and pages in all (both 0 when none is).
    [[nodiscard]] int snapshotPagesReceived() const { return m_pages.receivedPages(); }
    [[nodiscard]] int snapshotPages() const { return m_pages.pages(); }

Q_SIGNALS:
    void stateChanged(heartline::SupervisorConnection::State state);
    void staleChanged(bool stale);
    /// The first page of a snapshot came: what was pushed before it (connectivity issues) may have
    /// been missed while disconnected.
    void snapshotStarted();
    /// A page came that is not the last (snapshotPagesReceived() of snapshotPages()).
    void snapshotProgress();
    /// Every page came: the whole floor, with the deltas that arrived between pages applied.
    void snapshotReceived(const heartline::SupervisorSnapshot &snapshot);
    void agentsChanged(const heartline::SupervisorAgentsChanged &changed);
    void agentsRemoved(const QStringList &agentIds);
    void statsReceived(const QJsonObject &stats, qint64 serverTimeMs);
    void queuesReceived(const heartline::QueuesUpdate &queues);
    /// Connectivity issues that opened or closed since the previous push.
    void connectivityIssuesReceived(const heartline::SupervisorConnectivityIssues &issues);
    /// An admin changed a user, a profile or the routing plan (one audit log row).
    void adminChangeReceived(const heartline::SupervisorAdminChange &change);
    /// The server refused a command or could not read one (code and message as the server sent them).
    void commandRefused(const QString &code, const QString &message);
    /// The token was refused (at connect, or later when the session ended): no more retries.
    void sessionRefused(const QString &code, const QString &message);

private:
    void connectSocket();
    void onText(const QString &text);
    void onDisconnected();
    void handle(const SupervisorServerMessage &message);
    void scheduleRetry();
    void setState(State state);
    void send(const SupervisorClientMessage &message);

    Options m_options;
    ReconnectBackoff m_backoff;
    QWebSocket *m_socket = nullptr;
    ServerTrust m_trust;
    QString m_certificateProblem;
    QUrl m_url;
    QByteArray m_token;
    State m_state = State::Closed;
    bool m_hadSnapshot = false;
    qint64 m_retryDelayMs = 0;
    SupervisorWelcome m_welcome;
    SnapshotPages m_pages;
    QTimer m_retryTimer;
    QTimer m_silenceTimer;
};

} // namespace heartline
