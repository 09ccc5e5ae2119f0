#include "SimAgent.h"

#include <algorithm>

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QWebSocket>

#include "TcpRelay.h"
#include "protocol/AgentProtocol.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// What the app measures of its network: a healthy office line, and the degraded one of the fault
/// (beyond the server's bounds of 600 ms and 5 %).
constexpr double HealthyRttMs = 30;
constexpr double HealthyLossPercent = 0;
constexpr double DegradedRttMs = 800;
constexpr double DegradedLossPercent = 20;

} // namespace

QString toString(Inability inability)
{
    switch (inability) {
    case Inability::None:
        return u"able"_s;
    case Inability::AppDown:
        return u"app down"_s;
    case Inability::NetworkDown:
        return u"network down"_s;
    case Inability::PoorNetwork:
        return u"network too poor for voice"_s;
    case Inability::Asleep:
        return u"asleep"_s;
    case Inability::NotRegistered:
        return u"voice not registered"_s;
    case Inability::NoHeadset:
        return u"no headset"_s;
    case Inability::AwayFromDesk:
        return u"away from the desk"_s;
    case Inability::StatusUnavailable:
        return u"status not available"_s;
    case Inability::Ringing:
        return u"ringing"_s;
    case Inability::OnCall:
        return u"on a call"_s;
    case Inability::AfterCallWork:
        return u"after-call work"_s;
    }
    return {};
}

SimAgent::SimAgent(Setup setup, SimScheduler &scheduler, QNetworkAccessManager &network, SimAgentObserver *observer,
                   QObject *parent)
    : QObject(parent), m_setup(std::move(setup)), m_scheduler(scheduler), m_network(network), m_observer(observer),
      m_random(m_setup.seed, quint64(m_setup.index) + 1)
{ }

SimAgent::~SimAgent()
{
    for (SimScheduler::TimerId *timer : {&m_reconnectTimer, &m_chooseTimer, &m_ringTimer, &m_hangupTimer,
                                         &m_promptTimer, &m_touchTimer, &m_quietTimer})
        cancel(*timer);
    cancelHeartbeat();
    ++m_appGeneration;
    ++m_voiceGeneration;
    if (m_app)
        m_app->disconnect(this);
    if (m_voice)
        m_voice->disconnect(this);
}

void SimAgent::cancel(SimScheduler::TimerId &timer)
{
    m_scheduler.cancel(timer);
    timer = 0;
}

void SimAgent::setPending(int &slot, int value)
{
    if (m_setup.counters)
        m_setup.counters->pending += value - slot;
    slot = value;
}

void SimAgent::countReceived()
{
    ++m_received;
    if (m_setup.counters)
        ++m_setup.counters->traffic;
}

void SimAgent::cancelHeartbeat()
{
    (m_setup.routine ? *m_setup.routine : m_scheduler).cancel(m_heartbeatTimer);
    m_heartbeatTimer = 0;
}

void SimAgent::notify(SimAgentObserver::Event event, const QString &callSid)
{
    if (m_observer)
        m_observer->agentEvent(m_setup.index, event, callSid);
}

Inability SimAgent::inability() const
{
    if (!m_running)
        return Inability::AppDown;
    if (m_asleep)
        return Inability::Asleep;
    if (m_cut)
        return Inability::NetworkDown;
    if (m_degraded)
        return Inability::PoorNetwork;
    if (!m_registered)
        return Inability::NotRegistered;
    if (!m_headsetIn)
        return Inability::NoHeadset;
    if (!m_atDesk)
        return Inability::AwayFromDesk;
    if (m_wanted != AgentStatus::Available || m_forcedAway)
        return Inability::StatusUnavailable;
    if (!m_callLeg.isEmpty())
        return Inability::OnCall;
    if (!m_ringingLeg.isEmpty())
        return Inability::Ringing;
    if (now() < m_wrapUpUntilMs)
        return Inability::AfterCallWork;
    return Inability::None;
}

bool SimAgent::lineBusy() const
{
    return !m_callLeg.isEmpty() || !m_ringingLeg.isEmpty();
}

// --- the shift and the faults ---

void SimAgent::start()
{
    // The shift starts: the agent signs in meaning to take calls (the welcome is answered with it).
    m_running = true;
    m_wanted = AgentStatus::Available;
    m_lastInputMs = now(); // signing in is input
    logIn();
    openVoice();
}

void SimAgent::crash()
{
    if (!m_running)
        return;
    m_running = false;
    for (SimScheduler::TimerId *timer : {&m_reconnectTimer, &m_chooseTimer, &m_ringTimer, &m_hangupTimer,
                                         &m_promptTimer, &m_touchTimer, &m_quietTimer})
        cancel(*timer);
    m_prompt = Prompt::None;
    m_quiet = false; // the next app starts with nothing said about the desk
    cancelHeartbeat();
    ++m_loginGeneration;
    closeApp();
    closeVoice();
    m_appState = AppState::Down;
    m_wanted = AgentStatus::Offline;
    m_forcedAway = false;
    setPending(m_httpPending, 0);
}

void SimAgent::restart()
{
    if (m_running)
        return;
    // A fresh app: signed in again, and the agent picks available once it is back at work.
    m_running = true;
    m_wanted = AgentStatus::Offline;
    m_lastInputMs = now(); // starting the app is input
    logIn();
    openVoice();
    scheduleChooseAvailable();
}

void SimAgent::cutNetwork()
{
    if (!m_setup.relay || m_cut)
        return;
    m_cut = true;
    m_setup.relay->setCut(true);
    setPending(m_appPending, 0); // nothing sent from now on can be answered
}

void SimAgent::restoreNetwork()
{
    if (!m_cut)
        return;
    m_cut = false;
    // A connection the server closed meanwhile is closed here too: the app reconnects.
    m_setup.relay->setCut(false);
    if (m_forcedAway)
        scheduleChooseAvailable();
}

void SimAgent::unplugHeadset()
{
    m_headsetIn = false;
    sendDevices();
}

void SimAgent::plugHeadset()
{
    m_headsetIn = true;
    sendDevices();
    if (m_forcedAway)
        scheduleChooseAvailable();
}

void SimAgent::sleep()
{
    if (!m_setup.relay || m_asleep || !m_running)
        return;
    m_asleep = true;
    m_setup.relay->setCut(true);
    for (SimScheduler::TimerId *timer : {&m_reconnectTimer, &m_chooseTimer, &m_ringTimer, &m_hangupTimer,
                                         &m_promptTimer, &m_touchTimer, &m_quietTimer})
        cancel(*timer);
    m_prompt = Prompt::None; // nothing runs: the question starts over after waking
    cancelHeartbeat();
    setPending(m_appPending, 0);
    setPending(m_voicePending, 0);
}

void SimAgent::wake()
{
    if (!m_asleep)
        return;
    m_asleep = false;
    m_setup.relay->setCut(false);
    // The app sees that time jumped and starts both connections afresh.
    closeApp();
    closeVoice();
    clearRinging();
    if (!m_callLeg.isEmpty())
        callOver();
    input(); // opening the lid
    openApp();
    openVoice();
}

void SimAgent::walkAway()
{
    // Nothing is said: the input stops, and the app's idle question will go unanswered.
    m_atDesk = false;
    cancel(m_touchTimer);
}

void SimAgent::comeBack()
{
    m_atDesk = true;
    input();
    if (m_forcedAway)
        scheduleChooseAvailable();
}

void SimAgent::unregisterVoice()
{
    if (m_voiceDropped || !m_running)
        return;
    m_voiceDropped = true;
    closeVoice(); // the stand-in forgets the registration: offers to this identity fail at once
    sendDevices();
}

void SimAgent::registerVoice()
{
    if (!m_voiceDropped)
        return;
    m_voiceDropped = false;
    openVoice(); // "registered" sends the device report
}

void SimAgent::degradeNetwork()
{
    m_degraded = true;
    sendDevices();
}

void SimAgent::restoreNetworkQuality()
{
    m_degraded = false;
    sendDevices();
}

// --- keyboard and mouse ---

void SimAgent::input()
{
    m_lastInputMs = now();
    const bool wasIdle = m_prompt == Prompt::Idle;
    const bool wasQuiet = m_quiet;
    const bool missedCall = m_missedCallUnseen;
    m_prompt = Prompt::None;
    m_quiet = false;
    m_missedCallUnseen = false;
    cancel(m_promptTimer);
    // Presence active at once; after a missed call the server waits for input after it (rang_out),
    // so the first input is reported at once too rather than with the next heartbeat.
    if (wasIdle || wasQuiet || missedCall)
        sendDevices();
    armIdlePrompt();
    armQuiet();
}

void SimAgent::armQuiet()
{
    // As the agent app's IdleWatch: quiet once the input stayed away m_inputQuietMs, counted from the
    // later of the last input and the end of the last call, never while a call rings or is on.
    cancel(m_quietTimer);
    if (m_quiet || m_inputQuietMs <= 0 || !m_running || m_asleep || lineBusy())
        return;
    m_quietTimer = m_scheduler.schedule(std::max(now(), idleSinceMs() + m_inputQuietMs), [this] {
        m_quietTimer = 0;
        if (lineBusy() || m_asleep || m_appState != AppState::Live)
            return;
        m_quiet = true;
        sendDevices();
    });
}

void SimAgent::endQuiet()
{
    cancel(m_quietTimer);
    if (!m_quiet)
        return;
    m_quiet = false;
    sendDevices();
}

void SimAgent::armIdlePrompt()
{
    // Idle time counts from the later of the last input and the end of the last call; no question
    // while a call rings or is connected (the end of the call arms it again).
    if (m_prompt != Prompt::None || m_idlePromptMs <= 0 || !m_running || m_asleep)
        return;
    cancel(m_promptTimer);
    m_promptTimer = m_scheduler.schedule(std::max(now(), idleSinceMs() + m_idlePromptMs), [this] {
        m_promptTimer = 0;
        onIdlePromptDue();
    });
}

void SimAgent::onIdlePromptDue()
{
    if (lineBusy())
        return; // asked once the line is free again
    m_prompt = Prompt::Asked;
    const qint64 graceOverMs = now() + m_idleGraceMs;
    const auto unanswered = [this, graceOverMs] {
        m_promptTimer = m_scheduler.schedule(std::max(now(), graceOverMs), [this] {
            m_promptTimer = 0;
            onIdleGraceOver();
        });
    };
    if (!m_atDesk) {
        unanswered();
        return;
    }
    const AgentBehaviour &b = m_setup.behaviour;
    m_promptTimer
        = m_scheduler.scheduleIn(m_random.between(b.promptAnswerMinMs, b.promptAnswerMaxMs), [this, unanswered] {
              m_promptTimer = 0;
              if (m_atDesk)
                  input();
              else
                  unanswered(); // walked away before answering
          });
}

void SimAgent::onIdleGraceOver()
{
    m_prompt = Prompt::Idle;
    sendDevices();
}

void SimAgent::touchAppSoon()
{
    if (m_touchTimer != 0)
        return;
    const AgentBehaviour &b = m_setup.behaviour;
    m_touchTimer = m_scheduler.scheduleIn(m_random.between(b.touchAfterRingOutMinMs, b.touchAfterRingOutMaxMs), [this] {
        m_touchTimer = 0;
        if (m_atDesk && m_running && !m_asleep)
            input();
    });
}

// --- /ws/agent ---

void SimAgent::logIn()
{
    m_appState = AppState::LoggingIn;
    const quint64 generation = ++m_loginGeneration;
    QUrl url = m_setup.serverUrl;
    url.setPath(u"/api/auth/login"_s);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    const QByteArray body = QJsonDocument(QJsonObject {{u"userId"_s, m_setup.id}, {u"password"_s, m_setup.password}})
                                .toJson(QJsonDocument::Compact);
    QNetworkReply *reply = m_network.post(request, body);
    setPending(m_httpPending, m_httpPending + 1);
    connect(reply, &QNetworkReply::finished, this, [this, reply, generation] {
        reply->deleteLater();
        if (generation != m_loginGeneration)
            return; // crashed meanwhile
        setPending(m_httpPending, std::max(0, m_httpPending - 1));
        countReceived();
        const QString token = QJsonDocument::fromJson(reply->readAll()).object().value(u"token"_s).toString();
        if (token.isEmpty()) {
            // The server is not there (restarting) or refused: try again as the app would.
            m_reconnectTimer = m_scheduler.scheduleIn(nextReconnectDelayMs(), [this] {
                m_reconnectTimer = 0;
                logIn();
            });
            return;
        }
        m_token = token;
        openApp();
    });
}

void SimAgent::openApp()
{
    if (!m_running || m_asleep)
        return;
    cancel(m_reconnectTimer);
    closeApp();
    const quint64 generation = ++m_appGeneration;
    m_app = std::make_unique<QWebSocket>();
    QWebSocket *socket = m_app.get();
    connect(socket, &QWebSocket::textMessageReceived, this, [this, generation](const QString &text) {
        if (generation == m_appGeneration)
            onAppMessage(text);
    });
    connect(socket, &QWebSocket::disconnected, this, [this, generation] {
        if (generation == m_appGeneration)
            onAppClosed();
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, generation, socket](QAbstractSocket::SocketError) {
                if (generation == m_appGeneration && socket->state() != QAbstractSocket::ConnectedState)
                    onAppClosed();
            });
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(m_setup.relay ? u"127.0.0.1"_s : m_setup.serverUrl.host());
    url.setPort(m_setup.relay ? m_setup.relay->port() : m_setup.serverUrl.port());
    url.setPath(u"/ws/agent"_s);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_appState = AppState::Connecting;
    setPending(m_appPending, m_cut ? 0 : 1); // the welcome
    socket->open(request);
}

void SimAgent::closeApp()
{
    cancelHeartbeat();
    setPending(m_appPending, 0);
    if (!m_app)
        return;
    ++m_appGeneration;
    QWebSocket *socket = m_app.release();
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void SimAgent::onAppClosed()
{
    ++m_appGeneration; // one close per connection, whichever signal comes first
    cancelHeartbeat();
    setPending(m_appPending, 0);
    if (m_app)
        m_app.release()->deleteLater();
    if (!m_running)
        return;
    m_appState = AppState::Waiting;
    notify(SimAgentObserver::Event::Disconnected);
    if (!m_asleep)
        scheduleReconnect();
}

qint64 SimAgent::nextReconnectDelayMs()
{
    // heartline-agent's ReconnectBackoff: with the server's spread, the first attempt comes within it
    // and the later ones follow the schedule from its start.
    const AgentBehaviour &b = m_setup.behaviour;
    const double draw = m_random.unit();
    int attempt = m_reconnectAttempts++;
    if (m_reconnectSpreadMs > 0) {
        if (attempt == 0)
            return qint64(double(m_reconnectSpreadMs) * draw);
        --attempt;
    }
    const int doublings = std::min(attempt, 30);
    const double nominal
        = std::min(double(b.appReconnectMaxMs), double(b.appReconnectInitialMs) * double(1LL << doublings));
    const double spread = 1.0 - b.appReconnectJitter + 2.0 * b.appReconnectJitter * draw;
    return qint64(nominal * spread);
}

void SimAgent::scheduleReconnect()
{
    cancel(m_reconnectTimer);
    const qint64 backoff = nextReconnectDelayMs();
    m_reconnectTimer = m_scheduler.scheduleIn(backoff, [this] {
        m_reconnectTimer = 0;
        if (m_token.isEmpty())
            logIn();
        else
            openApp();
    });
}

void SimAgent::sendApp(const QByteArray &message, bool expectsReply)
{
    if (!m_app || m_appState != AppState::Live)
        return;
    m_app->sendTextMessage(QString::fromUtf8(message));
    if (expectsReply && !m_cut)
        setPending(m_appPending, m_appPending + 1);
}

void SimAgent::onAppMessage(const QString &text)
{
    countReceived();
    const auto parsed = parseAgentServerMessage(text.toUtf8());
    if (!parsed)
        return;
    std::visit(
        [this](const auto &message) {
            using T = std::decay_t<decltype(message)>;
            if constexpr (std::is_same_v<T, AgentWelcome>) {
                setPending(m_appPending, std::max(0, m_appPending - 1));
                m_appState = AppState::Live;
                m_reconnectAttempts = 0;
                m_heartbeatIntervalMs = message.heartbeatIntervalSeconds * 1000;
                m_idlePromptMs = qint64(message.idlePromptSeconds.value_or(0)) * 1000;
                m_idleGraceMs = qint64(message.idleGraceSeconds.value_or(30)) * 1000;
                m_inputQuietMs = qint64(message.inputQuietSeconds.value_or(0)) * 1000;
                m_reconnectSpreadMs = message.reconnectSpreadMs.value_or(0);
                armIdlePrompt();
                armQuiet();
                notify(SimAgentObserver::Event::Welcomed);
                if (message.status == AgentStatus::Away && message.awayReason == u"no-answer"_s && !m_forcedAway) {
                    m_forcedAway = true;
                    scheduleChooseAvailable();
                }
                sendHeartbeat();
                if (m_wanted == AgentStatus::Available && !m_forcedAway && message.status != AgentStatus::Available)
                    sendApp(serialize(AgentClientMessage {AgentSetStatus {AgentStatus::Available, {}}}), true);
            } else if constexpr (std::is_same_v<T, AgentAck> || std::is_same_v<T, ServerError>) {
                setPending(m_appPending, std::max(0, m_appPending - 1));
            } else if constexpr (std::is_same_v<T, AgentCallEnded>) {
                // An offer rang out here: someone at the desk sees the missed call and touches the app.
                if (message.outcome == u"no-answer"_s) {
                    m_missedCallUnseen = true;
                    if (m_atDesk)
                        touchAppSoon();
                }
            } else if constexpr (std::is_same_v<T, AgentStatusChanged>) {
                if (message.status == AgentStatus::Away && message.cause == u"no-answer"_s) {
                    m_forcedAway = true;
                    notify(SimAgentObserver::Event::StatusForced);
                    scheduleChooseAvailable();
                }
            }
        },
        parsed.value());
}

void SimAgent::sendHeartbeat()
{
    cancelHeartbeat();
    if (!m_running || m_asleep || m_appState != AppState::Live)
        return;
    AgentHeartbeat heartbeat;
    heartbeat.currentStatus = m_wanted;
    heartbeat.deviceConnected = m_headsetIn;
    heartbeat.seq = ++m_seq;
    heartbeat.devices = deviceState();
    sendApp(serialize(AgentClientMessage {heartbeat}), true);
    const auto next = [this] {
        m_heartbeatTimer = 0;
        sendHeartbeat();
    };
    if (m_setup.routine) {
        const qint64 due = (now() + m_heartbeatIntervalMs) / 1000 * 1000; // on a whole second, never late
        m_heartbeatTimer = m_setup.routine->schedule(due, next);
    } else {
        m_heartbeatTimer = m_scheduler.scheduleIn(m_heartbeatIntervalMs, next);
    }
}

void SimAgent::sendDevices()
{
    // As heartline-agent: deviceConnected means a headset with microphone and speakers.
    AgentDeviceState state;
    state.devices = deviceState();
    state.deviceConnected = m_headsetIn;
    sendApp(serialize(AgentClientMessage {state}), true);
}

DeviceState SimAgent::deviceState() const
{
    DeviceState devices;
    devices.audioInput = m_headsetIn;
    devices.audioOutput = true;
    devices.voiceRegistered = m_registered;
    devices.networkRttMs = m_degraded ? DegradedRttMs : HealthyRttMs;
    devices.packetLossPercent = m_degraded ? DegradedLossPercent : HealthyLossPercent;
    devices.voiceLine = VoiceLine::Client;
    devices.presence = m_prompt == Prompt::Idle ? Presence::Idle : m_quiet ? Presence::Quiet : Presence::Active;
    // A call in progress is activity: idle time counts from its end.
    devices.idleSeconds = onCall() ? 0.0 : double(now() - idleSinceMs()) / 1000.0;
    return devices;
}

void SimAgent::scheduleChooseAvailable()
{
    if (m_chooseTimer != 0)
        return;
    const qint64 delay = m_random.between(m_setup.behaviour.reactMinMs, m_setup.behaviour.reactMaxMs);
    m_chooseTimer = m_scheduler.scheduleIn(delay, [this] {
        m_chooseTimer = 0;
        // Only someone at a working desk picks available; recovery from a fault schedules it again.
        if (m_running && !m_asleep && !m_cut && m_atDesk && m_headsetIn)
            chooseAvailable();
    });
}

void SimAgent::chooseAvailable()
{
    input(); // picking a status in the app
    m_wanted = AgentStatus::Available;
    m_forcedAway = false;
    notify(SimAgentObserver::Event::StatusChosen);
    // Not live: the welcome of the next connection carries it (see onAppMessage).
    sendApp(serialize(AgentClientMessage {AgentSetStatus {AgentStatus::Available, {}}}), true);
}

// --- /voice ---

void SimAgent::openVoice()
{
    if (!m_running || m_asleep || m_voiceDropped)
        return;
    closeVoice();
    const quint64 generation = ++m_voiceGeneration;
    m_voice = std::make_unique<QWebSocket>();
    QWebSocket *socket = m_voice.get();
    connect(socket, &QWebSocket::connected, this, [this, generation, socket] {
        if (generation != m_voiceGeneration)
            return;
        socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(QJsonObject {{u"type"_s, u"register"_s}, {u"identity"_s, m_setup.id}})
                                  .toJson(QJsonDocument::Compact)));
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, generation](const QString &text) {
        if (generation == m_voiceGeneration)
            onVoiceMessage(text);
    });
    const auto closed = [this, generation, socket] {
        if (generation != m_voiceGeneration || (socket->state() == QAbstractSocket::ConnectedState))
            return;
        ++m_voiceGeneration;
        m_registered = false;
        setPending(m_voicePending, 0);
        // The stand-in hangs up a call whose client went away, and stops ringing it.
        clearRinging();
        if (!m_callLeg.isEmpty())
            callOver();
        if (m_voice)
            m_voice.release()->deleteLater();
        if (m_running && !m_asleep) {
            m_scheduler.scheduleIn(m_random.between(m_setup.behaviour.reconnectMinMs, m_setup.behaviour.reconnectMaxMs),
                                   [this, generation = m_voiceGeneration] {
                                       if (generation == m_voiceGeneration && !m_voice)
                                           openVoice();
                                   });
        }
    };
    connect(socket, &QWebSocket::disconnected, this, closed);
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, closed);
    QUrl url = m_setup.simUrl;
    url.setScheme(u"ws"_s);
    url.setPath(u"/voice"_s);
    setPending(m_voicePending, 1); // registered
    socket->open(url);
}

void SimAgent::closeVoice()
{
    m_registered = false;
    setPending(m_voicePending, 0);
    if (!m_voice)
        return;
    ++m_voiceGeneration;
    QWebSocket *socket = m_voice.release();
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    clearRinging();
    if (!m_callLeg.isEmpty())
        callOver();
}

void SimAgent::sendVoice(const QString &type, const QString &callSid)
{
    if (!m_voice || deaf())
        return;
    m_voice->sendTextMessage(QString::fromUtf8(
        QJsonDocument(QJsonObject {{u"type"_s, type}, {u"callSid"_s, callSid}}).toJson(QJsonDocument::Compact)));
}

void SimAgent::onVoiceMessage(const QString &text)
{
    countReceived();
    if (deaf())
        return; // the packet never arrives
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = message.value(u"type"_s).toString();
    const QString callSid = message.value(u"callSid"_s).toString();
    if (type == u"registered"_s) {
        setPending(m_voicePending, std::max(0, m_voicePending - 1));
        m_registered = true;
        notify(SimAgentObserver::Event::Registered);
        sendDevices();
    } else if (type == u"incoming"_s) {
        onIncoming(callSid, message.value(u"parentCallSid"_s).toString());
    } else if (type == u"connected"_s) {
        if (callSid != m_ringingLeg)
            return;
        if (m_acceptSent)
            setPending(m_voicePending, std::max(0, m_voicePending - 1));
        m_callLeg = m_ringingLeg;
        m_callParent = m_ringingParent;
        m_ringingLeg.clear();
        m_ringingParent.clear();
        m_acceptSent = false;
        const AgentBehaviour &b = m_setup.behaviour;
        const qint64 talk = std::clamp(qint64(m_random.exponential(b.talkMeanMs)), b.talkMinMs, b.talkMaxMs);
        m_hangupTimer = m_scheduler.scheduleIn(talk, [this] {
            m_hangupTimer = 0;
            hangUp();
        });
        notify(SimAgentObserver::Event::Answered, m_callParent);
    } else if (type == u"canceled"_s || type == u"error"_s) {
        if (type == u"canceled"_s && callSid != m_ringingLeg)
            return;
        if (m_acceptSent)
            setPending(m_voicePending, std::max(0, m_voicePending - 1));
        if (!m_ringingLeg.isEmpty() && (type == u"canceled"_s || m_acceptSent))
            clearRinging();
    } else if (type == u"disconnected"_s) {
        if (callSid == m_callLeg)
            callOver();
    }
}

void SimAgent::onIncoming(const QString &legSid, const QString &parentSid)
{
    notify(SimAgentObserver::Event::Offered, parentSid);
    if (lineBusy()) {
        // The Voice SDK rejects a second call while one is ringing or connected.
        sendVoice(u"reject"_s, legSid);
        notify(SimAgentObserver::Event::Declined, parentSid);
        return;
    }
    m_ringingLeg = legSid;
    m_ringingParent = parentSid;
    endQuiet(); // the app: a call on the line is not a quiet desk
    const AgentBehaviour &b = m_setup.behaviour;
    if (!m_headsetIn || !m_atDesk) {
        notify(SimAgentObserver::Event::Ignored, parentSid); // rings until the Dial times out
        return;
    }
    const bool declines = now() < m_wrapUpUntilMs || m_wanted != AgentStatus::Available || m_forcedAway;
    if (declines) {
        m_ringTimer = m_scheduler.scheduleIn(m_random.between(b.declineDelayMinMs, b.declineDelayMaxMs), [this] {
            m_ringTimer = 0;
            const QString parent = m_ringingParent;
            sendVoice(u"reject"_s, m_ringingLeg);
            clearRinging();
            notify(SimAgentObserver::Event::Declined, parent);
        });
        return;
    }
    m_ringTimer = m_scheduler.scheduleIn(m_random.between(b.answerDelayMinMs, b.answerDelayMaxMs), [this] {
        m_ringTimer = 0;
        accept();
    });
}

void SimAgent::accept()
{
    if (m_ringingLeg.isEmpty() || deaf() || !m_voice)
        return;
    input(); // the answer button
    sendVoice(u"accept"_s, m_ringingLeg);
    m_acceptSent = true;
    setPending(m_voicePending, m_voicePending + 1); // connected, canceled or error
}

void SimAgent::hangUp()
{
    if (m_callLeg.isEmpty())
        return;
    input(); // the hang-up button
    sendVoice(u"hangup"_s, m_callLeg);
    callOver();
}

void SimAgent::callOver()
{
    cancel(m_hangupTimer);
    const QString parent = m_callParent;
    m_callLeg.clear();
    m_callParent.clear();
    m_wrapUpUntilMs = now() + m_setup.behaviour.wrapUpMs;
    m_lastCallEndMs = now();
    notify(SimAgentObserver::Event::CallEnded, parent);
    armIdlePrompt();
    armQuiet();
}

void SimAgent::clearRinging()
{
    cancel(m_ringTimer);
    const bool wasRinging = !m_ringingLeg.isEmpty();
    m_ringingLeg.clear();
    m_ringingParent.clear();
    m_acceptSent = false;
    if (wasRinging && m_promptTimer == 0)
        armIdlePrompt(); // a question held back while it rang
    if (wasRinging)
        armQuiet();
}

} // namespace heartline
