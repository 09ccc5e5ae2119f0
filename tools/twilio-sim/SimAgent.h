#pragma once

#include <algorithm>
#include <memory>

#include <QObject>
#include <QString>
#include <QUrl>

#include "ScenarioConfig.h"
#include "ScenarioRandom.h"
#include "SimScheduler.h"
#include "core/AgentState.h"
#include "protocol/ProtocolTypes.h"

class QNetworkAccessManager;
class QWebSocket;

namespace heartline {

class TcpRelay;

/// Totals over a fleet, kept as they change, so that a driver can read them every round of the
/// event loop without visiting every agent.
struct FleetCounters
{
    quint64 traffic = 0; ///< messages received by agents, bytes through relays
    int pending = 0;     ///< answers the agents wait for
};

/// Why a simulated agent cannot answer a call right now (None: it can).
enum class Inability {
    None,
    AppDown,           ///< not started, crashed, or gone for good
    NetworkDown,       ///< network cut
    PoorNetwork,       ///< so much loss and delay that no intelligible voice gets through
    Asleep,            ///< laptop asleep
    NotRegistered,     ///< the voice client is (re)registering
    NoHeadset,         ///< headset unplugged
    AwayFromDesk,      ///< walked away
    StatusUnavailable, ///< the agent has not chosen available, or the server put it away and it has not come back
    Ringing,           ///< an offer is ringing there
    OnCall,
    AfterCallWork, ///< wrap-up after a call: the agent declines offers
};
[[nodiscard]] QString toString(Inability inability);

/// What a simulated agent tells whoever runs the fleet.
class SimAgentObserver
{
public:
    virtual ~SimAgentObserver() = default;
    enum class Event {
        Welcomed,     ///< /ws/agent is up
        Disconnected, ///< /ws/agent closed (not by the agent)
        Registered,   ///< the voice client is registered
        Offered,      ///< an offer reached the voice client
        Answered,     ///< the agent accepted and the sim connected it
        Declined,     ///< rejected (busy, or after-call work)
        Ignored,      ///< let it ring: no headset, or nobody at the desk
        CallEnded,    ///< the call ended (either side)
        StatusForced, ///< the server put the agent away (no-answer)
        StatusChosen, ///< the agent chose available
    };
    virtual void agentEvent(int agent, Event event, const QString &callSid) = 0;
};

/// One simulated agent, as heartline-agent and the Twilio Voice SDK behave: it logs in over HTTP,
/// keeps /ws/agent open (hello by bearer token, heartbeats at the interval the welcome gives,
/// deviceState, setStatus, reconnect with backoff), registers at the stand-in's /voice and
/// answers offers after a short random delay, talks, hangs up, wraps up. Faults change what it
/// does; canAnswer() is the truth of the moment. All its timing goes through the SimScheduler, so
/// it runs on simulated time (ManualClock) or in real time (SystemClock) alike.
class SimAgent final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimAgent)

public:
    struct Setup
    {
        int index = 0;
        QString id;
        QString password;
        QUrl serverUrl;            ///< http://host:port of heartline-server
        QUrl simUrl;               ///< http://host:port of the stand-in
        TcpRelay *relay = nullptr; ///< when set, /ws/agent goes through it (network faults)
        quint64 seed = 1;
        AgentBehaviour behaviour;
        /// When set, periodic heartbeats run on this scheduler, on whole seconds: a driver of
        /// simulated time runs all of an instant's routine heartbeats together (they change nothing
        /// another agent depends on), everything else one entry at a time.
        SimScheduler *routine = nullptr;
        FleetCounters *counters = nullptr; ///< optional totals to keep up to date
    };

    SimAgent(Setup setup, SimScheduler &scheduler, QNetworkAccessManager &network, SimAgentObserver *observer,
             QObject *parent = nullptr);
    ~SimAgent() override;

    /// The shift starts: log in, connect, register, choose available.
    void start();

    // Faults, each with its recovery.
    void crash();   ///< both sockets closed, nothing runs
    void restart(); ///< the app starts again: log in, connect, the agent chooses available shortly after
    void cutNetwork();
    void restoreNetwork();
    void unplugHeadset();
    void plugHeadset();
    void sleep();
    void wake();
    void walkAway();        ///< input stops and nobody answers offers
    void comeBack();        ///< input again: presence active, and available if the server had put the agent away
    void unregisterVoice(); ///< the voice client's registration drops; the app stays up and says so
    void registerVoice();
    void degradeNetwork(); ///< the app measures 20 % loss and 800 ms round trip, and reports it
    void restoreNetworkQuality();

    /// The truth: can this agent answer a call offered now, and if not, why.
    [[nodiscard]] Inability inability() const;
    [[nodiscard]] bool canAnswer() const { return inability() == Inability::None; }
    /// App, network, voice line, headset and person all there: could take calls if it wanted to.
    [[nodiscard]] bool atWork() const
    {
        return m_running && !m_asleep && !m_cut && m_registered && m_headsetIn && m_atDesk;
    }
    /// Busy with a call (ringing, talking): faults other than a crash wait for the line to be free.
    [[nodiscard]] bool lineBusy() const;
    [[nodiscard]] bool onCall() const { return !m_callLeg.isEmpty(); }
    [[nodiscard]] bool ringing() const { return !m_ringingLeg.isEmpty(); }
    /// The caller's CallSid of the call in progress (empty: none).
    [[nodiscard]] const QString &callParent() const { return m_callParent; }
    [[nodiscard]] bool hasRelay() const { return m_setup.relay != nullptr; }

    [[nodiscard]] int index() const { return m_setup.index; }
    [[nodiscard]] const QString &id() const { return m_setup.id; }
    /// Answers the agent waits for (ack, welcome, registered, login): a driver waits until none are left.
    [[nodiscard]] int pendingReplies() const { return m_appPending + m_voicePending + m_httpPending; }
    /// Messages received of any kind: grows with traffic.
    [[nodiscard]] quint64 received() const { return m_received; }

private:
    enum class AppState { Down, LoggingIn, Connecting, Live, Waiting };

    void logIn();
    void openApp();
    void closeApp();
    void scheduleReconnect();
    /// The app's next reconnect delay (ReconnectBackoff's schedule); counts one more attempt.
    qint64 nextReconnectDelayMs();
    void onAppMessage(const QString &text);
    void onAppClosed();
    void sendApp(const QByteArray &message, bool expectsReply);
    void sendHeartbeat();
    void sendDevices();
    [[nodiscard]] DeviceState deviceState() const;

    // The desktop's input, as the agent app watches it (docs/fleet.md, "The agents").
    void input(); ///< a keyboard or mouse input now
    [[nodiscard]] qint64 idleSinceMs() const { return std::max(m_lastInputMs, m_lastCallEndMs); }
    void armIdlePrompt();
    void armQuiet(); ///< presence quiet when the input stays away long enough
    void endQuiet(); ///< input or a call: active again, said at once
    void onIdlePromptDue();
    void onIdleGraceOver();
    void touchAppSoon(); ///< an agent at the desk reacts to something the app shows
    void chooseAvailable();
    void scheduleChooseAvailable();

    void openVoice();
    void closeVoice();
    void onVoiceMessage(const QString &text);
    void sendVoice(const QString &type, const QString &callSid);
    void onIncoming(const QString &legSid, const QString &parentSid);
    void accept();
    void hangUp();
    void callOver();
    void clearRinging();

    void cancel(SimScheduler::TimerId &timer);
    void setPending(int &slot, int value);
    void countReceived();
    void cancelHeartbeat();
    [[nodiscard]] qint64 now() const { return m_scheduler.nowMs(); }
    [[nodiscard]] bool deaf() const { return m_cut || m_asleep; } ///< the voice line hears nothing
    void notify(SimAgentObserver::Event event, const QString &callSid = {});

    Setup m_setup;
    SimScheduler &m_scheduler;
    QNetworkAccessManager &m_network;
    SimAgentObserver *m_observer = nullptr;
    ScenarioRandom m_random;

    // The person and the machine.
    bool m_running = false;
    bool m_asleep = false;
    bool m_cut = false;
    bool m_headsetIn = true;
    bool m_atDesk = true;
    AgentStatus m_wanted = AgentStatus::Offline;
    bool m_forcedAway = false;   ///< the server put the agent away and it has not chosen available since
    bool m_voiceDropped = false; ///< the voice client lost its registration and does not try again yet
    bool m_degraded = false;     ///< the network loses 20 % and takes 800 ms

    // Keyboard and mouse input, the "Still there?" question.
    enum class Prompt { None, Asked, Idle };
    qint64 m_lastInputMs = 0;
    qint64 m_lastCallEndMs = 0;
    qint64 m_idlePromptMs = 0; ///< from the welcome; 0: the server does not watch idle time
    qint64 m_idleGraceMs = 30'000;
    qint64 m_inputQuietMs = 0; ///< from the welcome; 0: the app does not report quiet
    bool m_quiet = false;      ///< reported quiet: no input for m_inputQuietMs, line free
    SimScheduler::TimerId m_quietTimer = 0;
    Prompt m_prompt = Prompt::None;
    SimScheduler::TimerId m_promptTimer = 0; ///< the question, its answer or its grace period
    SimScheduler::TimerId m_touchTimer = 0;
    bool m_missedCallUnseen = false; ///< an offer rang out here and nobody touched the app since

    // /ws/agent
    QString m_token;
    AppState m_appState = AppState::Down;
    std::unique_ptr<QWebSocket> m_app;
    quint64 m_appGeneration = 0;
    int m_heartbeatIntervalMs = 30'000;
    qint64 m_seq = 0;
    SimScheduler::TimerId m_heartbeatTimer = 0;
    SimScheduler::TimerId m_reconnectTimer = 0;
    int m_reconnectAttempts = 0; ///< failed attempts since the last welcome, for the app's backoff
    int m_reconnectSpreadMs = 0; ///< the welcome's reconnectSpreadMs: the first attempt within it
    SimScheduler::TimerId m_chooseTimer = 0;

    // /voice
    std::unique_ptr<QWebSocket> m_voice;
    quint64 m_voiceGeneration = 0;
    bool m_registered = false;
    QString m_ringingLeg;
    QString m_ringingParent;
    bool m_acceptSent = false;
    SimScheduler::TimerId m_ringTimer = 0;
    QString m_callLeg;
    QString m_callParent;
    SimScheduler::TimerId m_hangupTimer = 0;
    qint64 m_wrapUpUntilMs = 0;

    int m_appPending = 0;
    int m_voicePending = 0;
    int m_httpPending = 0;
    quint64 m_received = 0;
    quint64 m_loginGeneration = 0;
};

} // namespace heartline
