#include "AgentController.h"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include "AgentLogging.h"
#include "core/Clock.h"
#include "readiness/ReadinessScorer.h"
#include "voice/SimVoiceEndpoint.h"

using namespace Qt::StringLiterals;

namespace heartline {

AgentController::AgentController(Dependencies dependencies, QObject *parent)
    : QObject(parent), m_clock(dependencies.clock), m_jitter(dependencies.jitter),
      m_voiceFactory(std::move(dependencies.voiceFactory)), m_sipVoiceFactory(std::move(dependencies.sipVoiceFactory)),
      m_session(dependencies.clock, dependencies.jitter, dependencies.sessionOptions), m_devices(dependencies.audio),
      m_call(dependencies.clock), m_idleWatch(dependencies.clock, dependencies.idle), m_systemAudio(dependencies.audio)
{
    if (!m_voiceFactory) {
        m_voiceFactory = [this](const QUrl &url) -> std::unique_ptr<VoiceEndpoint> {
            if (url.isEmpty())
                return std::make_unique<NoVoiceEndpoint>();
            return std::make_unique<SimVoiceEndpoint>(url, m_clock, m_jitter, SimVoiceEndpoint::Options {});
        };
    }
    if (!m_sipVoiceFactory)
        m_sipVoiceFactory = [] {
            return std::make_unique<SipVoiceEndpoint>(defaultSoftphoneOptions());
        };
    installVoice(m_voiceFactory(QUrl()));
    m_sipCredentialsRetry.setSingleShot(true);
    m_signOutWait.setSingleShot(true);
    connect(&m_signOutWait, &QTimer::timeout, this, &AgentController::finishSignOut);
    connect(&m_sipCredentialsRetry, &QTimer::timeout, this, &AgentController::askForSipCredentials);
    connect(&m_session, &ServerSession::sipCredentialsChanged, this, &AgentController::applySipCredentials);

    connect(&m_devices, &DeviceMonitor::changed, this, &AgentController::reportDevices);
    connect(&m_session, &ServerSession::callOffered, &m_call, &CallSession::addOffer);
    connect(&m_session, &ServerSession::callEnded, &m_call, &CallSession::serverEnded);
    connect(&m_session, &ServerSession::signedIn, this, [this] {
        applySipCredentials();
        m_voice->start(m_session.agentId());
        reportDevices();
    });
    connect(&m_session, &ServerSession::signedOut, this, [this] {
        m_voice->stop();
        m_sipCredentialsRetry.stop();
        m_autoAwayActive = false;
    });
    connect(&m_session, &ServerSession::signedOff, this, [this] { m_voice->stop(); });
    connect(&m_session, &ServerSession::stateChanged, this, &AgentController::checksChanged);
    connect(&m_session, &ServerSession::reconnectCountdownChanged, this, &AgentController::checksChanged);
    connect(&m_session, &ServerSession::roundTripMeasured, this, &AgentController::checksChanged);
    connect(&m_session, &ServerSession::statusChanged, this, [this](const StatusInfo &status) {
        // The agent (or a supervisor) chose something else while locked: do not undo it on unlock.
        if (m_autoAwayActive && (status.status != AgentStatus::Away || status.awayReason != ScreenLockedReason))
            m_autoAwayActive = false;
    });
    watchIdleTime();
    reportDevices();
}

AgentController::~AgentController() = default;

void AgentController::watchIdleTime()
{
    if (!m_idleWatch.hasSource())
        return;
    m_session.setPresence(Presence::Active);
    m_session.setIdleSecondsReader([this] { return m_idleWatch.idleSeconds(); });
    connect(&m_session, &ServerSession::idleTimesChanged, &m_idleWatch, &IdleWatch::setTimes);
    connect(&m_session, &ServerSession::statusChanged, this, &AgentController::updateAskingAllowed);
    connect(&m_session, &ServerSession::stateChanged, this, &AgentController::updateAskingAllowed);
    connect(&m_session, &ServerSession::signedOut, this, [this] {
        m_idleWatch.reset();
        m_rangOut = false;
    });
    connect(&m_call, &CallSession::phaseChanged, this, [this] {
        const CallPhase phase = m_call.phase();
        m_idleWatch.setOnCall(phase == CallPhase::Ringing || phase == CallPhase::Answering
                                  || phase == CallPhase::Connected,
                              phase == CallPhase::Connected);
    });
    const auto reportPresence = [this] {
        if (m_idleWatch.stage() == IdleStage::Away)
            m_session.setPresence(Presence::Idle);
        else
            m_session.setPresence(m_idleWatch.isQuiet() ? Presence::Quiet : Presence::Active);
    };
    connect(&m_idleWatch, &IdleWatch::stageChanged, this, reportPresence);
    connect(&m_idleWatch, &IdleWatch::quietChanged, this, reportPresence);

    // An offer rang out: the server offers nothing more until it hears of input after it. Heartbeats
    // carry the idle time anyway, but the first input is sent at once so calls resume within the second.
    connect(&m_session, &ServerSession::callEnded, this, [this](const AgentCallEnded &ended) {
        if (ended.outcome == u"no-answer"_s)
            m_rangOut = true;
    });
    connect(&m_session, &ServerSession::readinessChanged, this, [this](const ReadinessResult &readiness) {
        m_rangOut = std::any_of(readiness.failedGates.cbegin(), readiness.failedGates.cend(),
                                [](const ReadinessGate &gate) { return gate.gate == readinessgate::RangOut; });
    });
    connect(&m_idleWatch, &IdleWatch::inputSeen, this, [this] {
        if (!m_rangOut)
            return;
        m_rangOut = false; // the server's next readiness says whether that did it
        qCInfo(lcAgentDesktop) << "input after a call rang out: telling the server at once";
        m_session.reportDevicesNow();
    });
}

void AgentController::updateAskingAllowed()
{
    const ConnectionState state = m_session.state();
    const bool signedIn = state != ConnectionState::SignedOut && state != ConnectionState::SigningIn;
    m_idleWatch.setAskingAllowed(signedIn && m_session.status().status == AgentStatus::Available);
}

void AgentController::installVoice(std::unique_ptr<VoiceEndpoint> endpoint)
{
    m_call.setEndpoint(nullptr);        // before the old endpoint goes
    m_devices.setSource(m_systemAudio); // the old endpoint's device list goes with it
    if (m_voice)
        m_voice->stop();
    m_voice = std::move(endpoint);
    m_voice->setParent(this);
    m_sipVoice = qobject_cast<SipVoiceEndpoint *>(m_voice.get());
    connect(m_voice.get(), &VoiceEndpoint::registrationChanged, this, [this] {
        reportDevices();
        Q_EMIT checksChanged();
    });
    connect(m_voice.get(), &VoiceEndpoint::callQualityChanged, this,
            [this] { m_session.setCallQuality(m_voice->callQuality()); });
    if (m_sipVoice) {
        connect(m_sipVoice, &SipVoiceEndpoint::credentialsRefused, this, [this] {
            // A password refused by the registrar: only the server can hand out another. Asked at
            // most once per retry period, so a registrar that refuses everything is not hammered.
            if (!m_sipCredentialsRetry.isActive())
                m_sipCredentialsRetry.start(SipCredentialsRetryMs);
        });
        connect(m_sipVoice, &SipVoiceEndpoint::unregistered, this, [this] {
            if (m_signOutWait.isActive())
                finishSignOut();
        });
        // The softphone's own device list is what calls use; the check reads it once it is known.
        connect(&m_sipVoice->deviceSource(), &AudioDeviceSource::changed, this,
                [this] { m_devices.setSource(m_sipVoice->deviceSource()); });
    }
    m_call.setEndpoint(m_voice.get());
    Q_EMIT voiceEndpointChanged();
}

SipVoiceEndpoint::Options AgentController::defaultSoftphoneOptions()
{
    SipVoiceEndpoint::Options options;
    options.folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/softphone"_s;
    // liblinphone plays rings from a file: the app's ring tone is copied out of its resources.
    QDir().mkpath(options.folder);
    const QString ringFile = options.folder + u"/ring.wav"_s;
    if (QFile::exists(ringFile) || QFile::copy(u":/heartline/agent/sounds/ring.wav"_s, ringFile))
        options.ringFile = ringFile;
    return options;
}

void AgentController::applySipCredentials()
{
    const std::optional<SipCredentials> &credentials = m_session.sipCredentials();
    if (!credentials) {
        // This server dials agents as Voice SDK clients: the configured voice server carries calls.
        if (m_sipVoice)
            installVoice(m_voiceFactory(m_voiceUrl));
        return;
    }
    if (!m_sipVoice) {
        qCInfo(lcAgentVoice) << "the server dials this agent over SIP: starting the softphone";
        installVoice(m_sipVoiceFactory());
    }
    m_sipVoice->setCredentials(*credentials);
    m_sipCredentialsRetry.stop();
    if (credentials->status == SipCredentials::Status::Unavailable && credentials->retryAfterSeconds)
        m_sipCredentialsRetry.start(*credentials->retryAfterSeconds * 1000);
}

void AgentController::signOut()
{
    if (!m_sipVoice || m_sipVoice->registration() != VoiceRegistration::Registered) {
        m_session.signOut();
        return;
    }
    if (m_signOutWait.isActive())
        return; // already on its way
    m_signOutWait.start(SignOutUnregisterMs);
    m_voice->stop(); // unregistered() or the timer ends the wait
}

void AgentController::finishSignOut()
{
    m_signOutWait.stop();
    m_session.signOut();
}

void AgentController::askForSipCredentials()
{
    const ConnectionState state = m_session.state();
    if (state == ConnectionState::SignedOut || state == ConnectionState::SigningIn)
        return;
    qCInfo(lcAgentVoice) << "asking the server for a new SIP password";
    m_session.requestSipCredentials();
}

void AgentController::signIn(const QUrl &serverUrl, const QString &agentId, const QString &password)
{
    // The Dial the server answers Twilio with names the agent id as the <Client> identity.
    m_session.setVoiceIdentity(agentId);
    m_session.signIn(serverUrl, agentId, password);
}

void AgentController::setVoiceUrl(const QUrl &url)
{
    if (url == m_voiceUrl && m_voice)
        return;
    m_voiceUrl = url;
    if (m_sipVoice)
        return; // the server dials this agent over SIP: the address counts when it stops doing so
    installVoice(m_voiceFactory(url));
    const ConnectionState state = m_session.state();
    if (state != ConnectionState::SignedOut && state != ConnectionState::SigningIn)
        m_voice->start(m_session.agentId());
    reportDevices();
    Q_EMIT checksChanged();
}

void AgentController::reportDevices()
{
    DeviceState state = m_devices.state();
    state.voiceRegistered = m_voice && m_voice->registration() == VoiceRegistration::Registered;
    state.voiceLine = m_voice ? m_voice->voiceLine() : std::nullopt;
    m_session.setDevices(state);
    Q_EMIT checksChanged();
}

QList<CheckItem> AgentController::checks() const
{
    CheckInputs inputs;
    inputs.audio = m_devices.state();
    inputs.connection = m_session.state();
    inputs.reconnectInSeconds = m_session.reconnectInSeconds();
    inputs.voice = m_voice->registration();
    inputs.voiceError = m_voice->lastError();
    inputs.roundTripMs = m_session.roundTripMs();
    return DeviceChecks::evaluate(inputs);
}

void AgentController::onLockedOrSleeping()
{
    if (!m_autoAwayEnabled || m_session.state() == ConnectionState::SignedOut)
        return;
    if (m_session.chosenStatus() != AgentStatus::Available)
        return;
    qCInfo(lcAgentDesktop) << "screen locked or sleeping: away";
    m_session.setStatus(AgentStatus::Away, ScreenLockedReason.toString());
    m_autoAwayActive = true;
}

void AgentController::onUnlockedOrAwake()
{
    if (!m_autoAwayActive)
        return;
    m_autoAwayActive = false;
    qCInfo(lcAgentDesktop) << "back: available again";
    m_session.setStatus(AgentStatus::Available);
}

} // namespace heartline
