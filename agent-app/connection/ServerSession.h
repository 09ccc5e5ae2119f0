#pragma once

#include <functional>
#include <optional>

#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

#include "client/ReconnectBackoff.h"
#include "connection/AgentSocket.h"
#include "connection/ApiClient.h"
#include "connection/RttMeter.h"
#include "core/AgentState.h"
#include "protocol/AgentProtocol.h"
#include "readiness/ReadinessResult.h"

namespace heartline {

class Clock;

/// Where the app stands with the server.
enum class ConnectionState {
    SignedOut,    ///< no session: the sign-in screen
    SigningIn,    ///< the login request is on its way
    Connecting,   ///< signed in, opening /ws/agent
    Live,         ///< /ws/agent is up: heartbeats, pushed status, readiness and call offers
    HttpOnly,     ///< WebSockets are blocked but HTTP works: the seed's heartbeat, no pushes
    Reconnecting, ///< the server cannot be reached; the next attempt is at reconnectAtMs()
};

/// The agent's status as the server holds it, and who last changed it.
struct StatusInfo
{
    AgentStatus status = AgentStatus::Offline;
    QString awayReason;
    AgentActivity activity = AgentActivity::Idle;
    std::optional<StatusChangeSource> changedBy; ///< set when the server or a supervisor changed it
    QString cause;                               ///< the server's cause code ("no-answer", "supervisor")
};

/// The agent's session with heartline-server: signs in over HTTP, keeps /ws/agent open with
/// heartbeats at the interval the server sets, reports device changes at once, reconnects with
/// exponential backoff and jitter when the server goes away (resuming the status the agent had),
/// and falls back to the seed's HTTP heartbeat when WebSockets are blocked but HTTP is not.
///
/// Every deadline (next heartbeat, next reconnect, next WebSocket retry) is read from the injected
/// Clock by poll(), which a timer calls a few times a second; tests move a ManualClock and call
/// poll() themselves, so nothing waits on wall time.
class ServerSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerSession)

public:
    struct Options
    {
        QString webSocketPath = QStringLiteral("/ws/agent");
        int pollIntervalMs = 250; ///< how often the timer calls poll(); 0: only when called
        ReconnectBackoff::Options backoff;
        /// How long quitting waits for the server to take "offline" (by the clock, checked in poll()).
        int signOffTimeoutMs = 1500;
        QString clientVersion;
    };

    ServerSession(const Clock &clock, ReconnectBackoff::JitterSource jitter, Options options,
                  QObject *parent = nullptr);
    ~ServerSession() override;

    /// A PEM file of certificate authorities an https:// server's certificate is checked against
    /// beside the system's (AgentSettings::serverCaFile()); read at each sign-in. Empty: the system's only.
    void setCaFile(const QString &caFile) { m_caFile = caFile; }
    /// Logs in; signedIn or signInFailed follows, then the WebSocket is opened. A CA file that
    /// cannot be read, or a server certificate that fails the check, is said in signInFailed.
    void signIn(const QUrl &serverUrl, const QString &agentId, const QString &password);
    /// Ends the session on the server (the agent goes offline) and returns to the sign-in screen.
    void signOut();
    /// Quitting: tells the server "offline", waits for it (at most signOffTimeoutMs by the clock),
    /// closes, and emits signedOff. The session on the server stays open, so the next start resumes it.
    void signOff();
    [[nodiscard]] bool isSigningOff() const { return m_signingOff; }

    /// The agent's choice. Sent at once when connected; otherwise sent as soon as the app is.
    void setStatus(AgentStatus status, const QString &awayReason = {});
    /// Audio devices and voice registration, as measured. A change goes out at once; the network
    /// round trip is added here from what this session measured.
    void setDevices(const DeviceState &devices);
    /// The audio quality of the call in progress (none between calls), sent with the next heartbeat.
    void setCallQuality(const std::optional<CallQuality> &quality);
    /// Someone at the desk or not (the "Still there?" question unanswered). A change goes out at once;
    /// never set, presence is not reported.
    void setPresence(Presence presence);
    /// Reads the seconds since the last keyboard or mouse input whenever devices go out (heartbeats
    /// and device reports); empty or absent: not reported.
    using IdleSecondsReader = std::function<std::optional<double>()>;
    void setIdleSecondsReader(IdleSecondsReader reader) { m_idleSeconds = std::move(reader); }
    /// Sends the devices (with presence and idle time) now, not at the next heartbeat: input after a
    /// call rang out lifts the server's rang_out gate as soon as it is heard.
    void reportDevicesNow();
    /// The voice client identity, sent in hello (and so on the next connection).
    void setVoiceIdentity(const QString &identity) { m_voiceIdentity = identity; }

    /// Does what is due by the clock: heartbeats, reconnects, WebSocket retries, the countdown.
    void poll();

    [[nodiscard]] ConnectionState state() const { return m_state; }
    /// The status as the server last confirmed it.
    [[nodiscard]] const StatusInfo &status() const { return m_status; }
    /// What the agent chose last (or accepted from a supervisor); it may not be confirmed yet.
    [[nodiscard]] AgentStatus chosenStatus() const { return m_wanted; }
    [[nodiscard]] QString chosenAwayReason() const { return m_wantedReason; }
    [[nodiscard]] const ReadinessResult &readiness() const { return m_readiness; }
    [[nodiscard]] bool hasReadiness() const { return m_hasReadiness; }
    [[nodiscard]] QString agentId() const { return m_agentId; }
    [[nodiscard]] QString displayName() const { return m_displayName; }
    [[nodiscard]] QUrl serverUrl() const { return m_api.baseUrl(); }
    [[nodiscard]] int heartbeatIntervalSeconds() const { return m_heartbeatIntervalSeconds; }
    /// The server's IDLE_PROMPT_SECONDS (0: not watched, also from servers that predate it) and
    /// IDLE_GRACE_SECONDS, from the last welcome.
    [[nodiscard]] int idlePromptSeconds() const { return m_idlePromptSeconds; }
    [[nodiscard]] int idleGraceSeconds() const { return m_idleGraceSeconds; }
    [[nodiscard]] int inputQuietSeconds() const { return m_inputQuietSeconds; }
    [[nodiscard]] qint64 nextHeartbeatAtMs() const { return m_heartbeatAtMs; }
    [[nodiscard]] qint64 reconnectAtMs() const { return m_reconnectAtMs; }
    /// Whole seconds until the next attempt, rounded up ("Reconnecting in 4 s…"); 0 when none.
    [[nodiscard]] int reconnectInSeconds() const;
    /// While reconnecting: why the server's certificate was refused at the last attempt (a sentence
    /// for the agent); empty when that is not why.
    [[nodiscard]] QString certificateProblem() const { return m_certificateProblem; }
    [[nodiscard]] std::optional<double> roundTripMs() const { return m_rtt.smoothedMs(); }
    /// What goes to the server as `devices`: the last setDevices() plus the measured round trip.
    [[nodiscard]] DeviceState outgoingDevices() const;
    [[nodiscard]] ApiClient &api() { return m_api; }
    /// The SIP account the last login (or requestSipCredentials()) handed out; absent when the
    /// server does not dial agents over SIP.
    [[nodiscard]] const std::optional<SipCredentials> &sipCredentials() const { return m_sipCredentials; }
    /// Asks the server for a new SIP password (the last one was refused, or none came at login);
    /// sipCredentialsChanged follows.
    void requestSipCredentials();

Q_SIGNALS:
    void stateChanged(heartline::ConnectionState state);
    void signedIn();
    /// In words for the sign-in screen.
    void signInFailed(const QString &message);
    /// Back to the sign-in screen; `message` says why when the agent did not ask for it.
    void signedOut(const QString &message);
    void signedOff();
    /// The displayed countdown changed (whole seconds).
    void reconnectCountdownChanged(int seconds);
    void statusChanged(const heartline::StatusInfo &status);
    /// Someone else changed the status; `message` is a sentence for the agent.
    void statusImposed(const QString &message);
    void readinessChanged(const heartline::ReadinessResult &readiness);
    void heartbeatAcknowledged();
    void roundTripMeasured(double ms);
    void callOffered(const heartline::AgentCallOffered &offer);
    void callEnded(const heartline::AgentCallEnded &ended);
    /// A welcome named how long to wait before asking "Still there?", for its answer, and before
    /// reporting the agent quiet.
    void idleTimesChanged(int promptSeconds, int graceSeconds, int quietSeconds);
    /// A new SIP account arrived after the login (see requestSipCredentials()).
    void sipCredentialsChanged();

private:
    void setState(ConnectionState state);
    void openSocket();
    void onSocketOpened();
    void onSocketFailed(const QString &reason);
    void onSocketClosed(const QString &reason);
    void onMessage(const AgentServerMessage &message);
    void onWelcome(const AgentWelcome &welcome);
    void onAck(const AgentAck &ack);
    void onReadiness(const AgentReadiness &pushed);
    void onStatusChanged(const AgentStatusChanged &change);
    void onServerError(const ServerError &error);
    void sendHeartbeat();
    void sendHttpHeartbeat();
    void onHttpHeartbeatReply(Result<HttpHeartbeatReply, ApiError> reply);
    void sendStatusChoice();
    void scheduleReconnect(const QString &why);
    void endSession(const QString &message);
    void applyServerStatus(AgentStatus status, const std::optional<QString> &awayReason, AgentActivity activity);
    void forgetServerStatus();
    void finishSignOff();
    void applyReadiness(const ReadinessResult &readiness);
    [[nodiscard]] bool deviceConnected() const;

    const Clock &m_clock;
    Options m_options;
    ApiClient m_api;
    AgentSocket m_socket;
    ReconnectBackoff m_backoff;
    RttMeter m_rtt;
    QTimer m_pollTimer;

    ConnectionState m_state = ConnectionState::SignedOut;
    quint64 m_generation = 0; ///< bumped on sign-in and sign-out: late answers of an old session are dropped
    QString m_agentId;
    QString m_displayName;
    QString m_caFile;
    QString m_certificateProblem;
    std::optional<SipCredentials> m_sipCredentials;
    std::optional<CallQuality> m_callQuality;
    QString m_voiceIdentity;
    bool m_welcomed = false;     ///< a welcome arrived on the current socket
    bool m_everWelcomed = false; ///< in this session: later welcomes are reconnects
    bool m_socketBusy = false;   ///< a WebSocket attempt is in progress or open
    bool m_httpInFlight = false; ///< an HTTP heartbeat is on its way
    bool m_httpAgain = false;    ///< something changed while it was: send another
    bool m_signingOff = false;
    qint64 m_signOffDeadlineMs = 0; ///< a sign-off ends here even without the server's answer

    StatusInfo m_status;
    AgentStatus m_wanted = AgentStatus::Offline; ///< what the agent chose (or accepted from the server)
    QString m_wantedReason;
    bool m_wantedUnsent = false; ///< chosen while not connected: send after the next welcome
    DeviceState m_devices;
    std::optional<Presence> m_presence;
    IdleSecondsReader m_idleSeconds;
    int m_idlePromptSeconds = 0;
    int m_idleGraceSeconds = 30;
    int m_inputQuietSeconds = 0;
    ReadinessResult m_readiness;
    bool m_hasReadiness = false;

    int m_heartbeatIntervalSeconds = 30;
    qint64 m_seq = 0;
    qint64 m_heartbeatAtMs = 0;
    qint64 m_reconnectAtMs = 0;
    qint64 m_webSocketRetryAtMs = 0;
    int m_shownCountdown = -1;
};

} // namespace heartline
