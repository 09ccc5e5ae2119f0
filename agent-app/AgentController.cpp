#include "AgentController.h"

#include "AgentLogging.h"
#include "core/Clock.h"
#include "voice/SimVoiceEndpoint.h"

using namespace Qt::StringLiterals;

namespace heartline {

AgentController::AgentController(Dependencies dependencies, QObject *parent)
    : QObject(parent), m_clock(dependencies.clock), m_jitter(dependencies.jitter),
      m_voiceFactory(std::move(dependencies.voiceFactory)),
      m_session(dependencies.clock, dependencies.jitter, dependencies.sessionOptions), m_devices(dependencies.audio),
      m_call(dependencies.clock)
{
    if (!m_voiceFactory) {
        m_voiceFactory = [this](const QUrl &url) -> std::unique_ptr<VoiceEndpoint> {
            if (url.isEmpty())
                return std::make_unique<NoVoiceEndpoint>();
            return std::make_unique<SimVoiceEndpoint>(url, m_clock, m_jitter, SimVoiceEndpoint::Options {});
        };
    }
    installVoice(m_voiceFactory(QUrl()));

    connect(&m_devices, &DeviceMonitor::changed, this, &AgentController::reportDevices);
    connect(&m_session, &ServerSession::callOffered, &m_call, &CallSession::addOffer);
    connect(&m_session, &ServerSession::signedIn, this, [this] {
        m_voice->start(m_session.agentId());
        reportDevices();
    });
    connect(&m_session, &ServerSession::signedOut, this, [this] {
        m_voice->stop();
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
    reportDevices();
}

AgentController::~AgentController() = default;

void AgentController::installVoice(std::unique_ptr<VoiceEndpoint> endpoint)
{
    m_call.setEndpoint(nullptr); // before the old endpoint goes
    if (m_voice)
        m_voice->stop();
    m_voice = std::move(endpoint);
    m_voice->setParent(this);
    connect(m_voice.get(), &VoiceEndpoint::registrationChanged, this, [this] {
        reportDevices();
        Q_EMIT checksChanged();
    });
    m_call.setEndpoint(m_voice.get());
    Q_EMIT voiceEndpointChanged();
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
