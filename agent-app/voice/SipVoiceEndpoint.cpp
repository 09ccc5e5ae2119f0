#include "voice/SipVoiceEndpoint.h"

#include <algorithm>

#include "AgentLogging.h"
#include "sip/SipCore.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

// Twilio names the agent's leg in every INVITE it sends; the server adds the caller's call to the
// SIP URI it dials (`?x-heartline-parent-callsid=`), which Twilio passes on as a header.
const QString CallSidHeader = u"X-Twilio-CallSid"_s;
const QString ParentCallSidHeader = u"X-Heartline-Parent-CallSid"_s;

std::optional<SipTransport> transportFrom(const QString &name)
{
    if (name.compare(u"tls"_s, Qt::CaseInsensitive) == 0)
        return SipTransport::Tls;
    if (name.compare(u"tcp"_s, Qt::CaseInsensitive) == 0)
        return SipTransport::Tcp;
    if (name.compare(u"udp"_s, Qt::CaseInsensitive) == 0)
        return SipTransport::Udp;
    return std::nullopt;
}

/// Header lookup that ignores case, as SIP header names do.
QString headerValue(const SipHeaders &headers, const QString &name)
{
    for (auto it = headers.cbegin(); it != headers.cend(); ++it) {
        if (it.key().compare(name, Qt::CaseInsensitive) == 0)
            return it.value();
    }
    return {};
}

/// "sip:+15550100@example.sip.twilio.com" → "+15550100": what the call panel shows as the caller.
QString userPart(const QString &uri)
{
    QString text = uri;
    if (const qsizetype colon = text.indexOf(u':'); colon >= 0 && text.startsWith(u"sip"_s, Qt::CaseInsensitive))
        text = text.mid(colon + 1);
    if (const qsizetype at = text.indexOf(u'@'); at > 0)
        text = text.left(at);
    return text;
}

QString registrationError(const SipRegistration &registration, const QString &registrar)
{
    if (registration.statusCode == 401 || registration.statusCode == 403)
        return QObject::tr("The SIP registrar refused the password (%1 %2)")
            .arg(registration.statusCode)
            .arg(registration.reason);
    if (registration.statusCode > 0)
        return QObject::tr("The SIP registrar %1 answered %2 %3")
            .arg(registrar)
            .arg(registration.statusCode)
            .arg(registration.reason);
    return QObject::tr("The SIP registrar %1 cannot be reached: %2").arg(registrar, registration.reason);
}

} // namespace

void SipAudioDeviceSource::update(const QList<SipAudioDevice> &devices, const SipAudioDeviceSelection &selection)
{
    QList<AudioDevice> inputs;
    QList<AudioDevice> outputs;
    for (const SipAudioDevice &device : devices) {
        if (device.canCapture)
            inputs.append(AudioDevice {device.id.toUtf8(), device.name, device.id == selection.capture});
        if (device.canPlay)
            outputs.append(AudioDevice {device.id.toUtf8(), device.name, device.id == selection.playback});
    }
    if (m_reported && inputs == m_inputs && outputs == m_outputs)
        return;
    m_reported = true;
    m_inputs = inputs;
    m_outputs = outputs;
    Q_EMIT changed();
}

CallQuality callQualityFrom(const SipCallStats &stats)
{
    const auto known = [](float value) {
        return value >= 0 ? std::optional<double>(value) : std::nullopt;
    };
    CallQuality quality;
    quality.jitterMs = known(stats.jitterMs);
    quality.lossPercent = known(std::min(stats.receiveLossPercent, 100.0F));
    quality.roundTripMs = known(stats.roundTripMs);
    if (stats.quality >= 0)
        quality.mos = std::clamp<double>(stats.quality, 1, 5);
    return quality;
}

SipVoiceEndpoint::SipVoiceEndpoint(Options options, QObject *parent)
    : VoiceEndpoint(parent), m_options(std::move(options))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &SipVoiceEndpoint::registerNow);
    connect(&m_statsTimer, &QTimer::timeout, this, &SipVoiceEndpoint::requestStats);
}

SipVoiceEndpoint::~SipVoiceEndpoint() = default;

void SipVoiceEndpoint::ensureCore()
{
    const bool secureMedia = m_credentials ? m_credentials->secureMedia : true;
    if (m_core && m_coreSecureMedia == secureMedia)
        return;
    // SRTP is a Core-wide policy in liblinphone: a changed policy needs a new Core.
    m_calls.clear();
    m_core = std::make_unique<SipCore>();
    m_coreSecureMedia = secureMedia;
    connect(m_core.get(), &SipCore::started, this, &SipVoiceEndpoint::onStarted);
    connect(m_core.get(), &SipCore::startFailed, this, [this](const QString &reason) {
        qCWarning(lcAgentVoice).noquote() << "the SIP softphone did not start:" << reason;
        setRegistration(VoiceRegistration::Failed, m_wanted, tr("The softphone did not start: %1").arg(reason));
        Q_EMIT errorReported(reason);
    });
    connect(m_core.get(), &SipCore::registrationChanged, this, &SipVoiceEndpoint::onRegistration);
    connect(m_core.get(), &SipCore::incomingCall, this, &SipVoiceEndpoint::onIncoming);
    connect(m_core.get(), &SipCore::callStateChanged, this, &SipVoiceEndpoint::onCallState);
    connect(m_core.get(), &SipCore::callEnded, this, &SipVoiceEndpoint::onCallEnded);
    connect(m_core.get(), &SipCore::callStats, this, &SipVoiceEndpoint::onStats);
    connect(m_core.get(), &SipCore::audioDevicesChanged, this,
            [this](const QList<SipAudioDevice> &devices, const SipAudioDeviceSelection &selection) {
                m_devices = devices;
                m_selection = selection;
                // Calls that play and record files use no sound device: the device check keeps
                // reading the system's list then.
                if (!m_options.useAudioFiles)
                    m_deviceSource.update(devices, selection);
                Q_EMIT audioDevicesChanged();
            });
    connect(m_core.get(), &SipCore::errorOccurred, this, [this](const QString &message) {
        qCWarning(lcAgentVoice).noquote() << "softphone:" << message;
        Q_EMIT errorReported(message);
    });

    SipCoreConfig config;
    config.folder = m_options.folder;
    config.userAgent = m_options.userAgent;
    // Every transport on a free port: the account's transport decides which one REGISTER uses.
    config.udpPort = 0;
    config.tcpPort = 0;
    config.tlsPort = 0;
    config.tlsCaFile = m_options.tlsCaFile;
    config.tlsVerifyServer = m_options.tlsVerifyServer;
    config.srtp = secureMedia;
    config.srtpMandatory = secureMedia;
    config.useAudioFiles = m_options.useAudioFiles;
    config.playFile = m_options.playFile;
    config.recordFile = m_options.recordFile;
    config.ringFile = m_options.ringFile;
    config.incomingHeaderNames = {CallSidHeader, ParentCallSidHeader};
    config.deviceScanIntervalMs = m_options.deviceScanIntervalMs;
    m_core->start(config);
}

bool SipVoiceEndpoint::coreStarted() const
{
    return m_core && m_core->isStarted();
}

void SipVoiceEndpoint::onStarted()
{
    const SipAudioDeviceSelection &wanted = m_options.devices;
    if (!wanted.capture.isEmpty() || !wanted.playback.isEmpty() || !wanted.ringer.isEmpty())
        m_core->selectAudioDevices(wanted);
    registerNow();
}

void SipVoiceEndpoint::setCredentials(const SipCredentials &credentials)
{
    m_credentials = credentials;
    if (!m_wanted.isEmpty())
        start(m_wanted);
}

void SipVoiceEndpoint::start(const QString &identity)
{
    m_wanted = identity;
    m_retryTimer.stop();
    if (!m_credentials) {
        setRegistration(VoiceRegistration::NotConfigured, identity);
        return;
    }
    if (m_credentials->status != SipCredentials::Status::Ready) {
        setRegistration(VoiceRegistration::Failed, identity,
                        tr("The server has no SIP account for this app yet: %1").arg(m_credentials->reason));
        return;
    }
    if (!transportFrom(m_credentials->transport)) {
        setRegistration(VoiceRegistration::Failed, identity,
                        tr("The server asked for SIP transport \"%1\", which this app does not know")
                            .arg(m_credentials->transport));
        return;
    }
    setRegistration(VoiceRegistration::Connecting, identity);
    ensureCore();
    if (coreStarted())
        registerNow();
}

void SipVoiceEndpoint::registerNow()
{
    if (m_wanted.isEmpty() || !m_credentials || m_credentials->status != SipCredentials::Status::Ready
        || !coreStarted())
        return;
    SipAccount account;
    account.username = m_credentials->username;
    account.password = m_credentials->password;
    account.domain = m_credentials->domain;
    account.proxy = u"sip:"_s + m_credentials->registrar;
    account.transport = transportFrom(m_credentials->transport).value_or(SipTransport::Tls);
    account.expirySeconds = m_options.registrationExpirySeconds;
    account.displayName = m_wanted;
    qCInfo(lcAgentVoice).noquote() << "registering" << account.username << "at" << account.proxy << "over"
                                   << m_credentials->transport;
    m_core->registerAccount(account);
}

void SipVoiceEndpoint::stop()
{
    m_wanted.clear();
    m_retryTimer.stop();
    if (coreStarted())
        m_core->unregisterAccount();
    setRegistration(VoiceRegistration::NotConfigured);
}

void SipVoiceEndpoint::onRegistration(const SipRegistration &registration)
{
    m_sipRegistration = registration;
    if (m_wanted.isEmpty()) {
        // Stopping: only the end of the unregistration matters.
        if (registration.state == SipRegistrationState::Cleared || registration.state == SipRegistrationState::Failed)
            Q_EMIT unregistered();
        return;
    }
    switch (registration.state) {
    case SipRegistrationState::Registered:
        qCInfo(lcAgentVoice).noquote() << "registered at" << m_credentials->registrar;
        setRegistration(VoiceRegistration::Registered, m_wanted);
        return;
    case SipRegistrationState::None:
    case SipRegistrationState::Progress:
    case SipRegistrationState::Cleared:
        setRegistration(VoiceRegistration::Connecting, m_wanted);
        return;
    case SipRegistrationState::Failed: {
        const QString why = registrationError(registration, m_credentials ? m_credentials->registrar : QString());
        qCWarning(lcAgentVoice).noquote() << why;
        setRegistration(VoiceRegistration::Failed, m_wanted, why);
        Q_EMIT errorReported(why);
        if (registration.statusCode == 401 || registration.statusCode == 403)
            Q_EMIT credentialsRefused(); // only a new password helps
        else
            m_retryTimer.start(m_options.retryDelayMs);
        return;
    }
    }
}

SipVoiceEndpoint::Call *SipVoiceEndpoint::callBySid(const QString &callSid)
{
    const auto it
        = std::find_if(m_calls.begin(), m_calls.end(), [&](const Call &call) { return call.call.callSid == callSid; });
    return it == m_calls.end() ? nullptr : &*it;
}

SipVoiceEndpoint::Call *SipVoiceEndpoint::callByHandle(const QString &handle)
{
    const auto it
        = std::find_if(m_calls.begin(), m_calls.end(), [&](const Call &call) { return call.handle == handle; });
    return it == m_calls.end() ? nullptr : &*it;
}

void SipVoiceEndpoint::onIncoming(const SipCallInfo &info)
{
    if (m_wanted.isEmpty()) {
        // Signed out: a registration that outlived the session (the unregistration was refused or
        // never arrived) must not ring an agent who is gone.
        qCInfo(lcAgentVoice).noquote() << "declining a SIP call while signed out, from" << info.remoteUri;
        m_core->decline(info.callId);
        return;
    }
    IncomingCall call;
    call.callSid = headerValue(info.headers, CallSidHeader);
    if (call.callSid.isEmpty())
        call.callSid = info.sipCallId;
    call.parentCallSid = headerValue(info.headers, ParentCallSidHeader);
    if (call.parentCallSid.isEmpty())
        call.parentCallSid = call.callSid;
    call.from = info.remoteDisplayName.isEmpty() ? userPart(info.remoteUri) : info.remoteDisplayName;
    call.to = info.localUri;
    call.params.insert(u"sipCallId"_s, info.sipCallId);
    m_calls.append(Call {info.callId, call, false});
    qCInfo(lcAgentVoice).noquote() << "incoming SIP call" << call.callSid << "for" << call.parentCallSid << "from"
                                   << info.remoteUri;
    Q_EMIT incoming(call);
}

void SipVoiceEndpoint::accept(const QString &callSid)
{
    if (Call *call = callBySid(callSid))
        m_core->accept(call->handle);
}

void SipVoiceEndpoint::decline(const QString &callSid)
{
    if (Call *call = callBySid(callSid))
        m_core->decline(call->handle);
}

void SipVoiceEndpoint::hangup(const QString &callSid)
{
    if (Call *call = callBySid(callSid))
        m_core->hangup(call->handle);
}

void SipVoiceEndpoint::setMuted(const QString &callSid, bool muted)
{
    if (Call *call = callBySid(callSid))
        m_core->setMuted(call->handle, muted);
}

void SipVoiceEndpoint::onCallState(const QString &handle, SipCallState state)
{
    Call *call = callByHandle(handle);
    if (!call || state != SipCallState::Connected || call->connected)
        return;
    call->connected = true;
    if (m_options.statsIntervalMs > 0)
        m_statsTimer.start(m_options.statsIntervalMs);
    Q_EMIT connected(call->call.callSid);
}

void SipVoiceEndpoint::onCallEnded(const QString &handle, const SipCallEnd &end)
{
    Call *call = callByHandle(handle);
    if (!call)
        return;
    const QString callSid = call->call.callSid;
    const bool wasConnected = call->connected;
    m_calls.removeIf([&](const Call &c) { return c.handle == handle; });
    qCInfo(lcAgentVoice).noquote() << "SIP call" << callSid << "ended:" << end.statusCode << end.reason;
    if (std::none_of(m_calls.cbegin(), m_calls.cend(), [](const Call &c) { return c.connected; })) {
        m_statsTimer.stop();
        if (m_quality) {
            m_quality.reset();
            Q_EMIT callQualityChanged();
        }
    }
    if (wasConnected)
        Q_EMIT disconnected(callSid);
    else
        Q_EMIT canceled(callSid);
}

void SipVoiceEndpoint::requestStats()
{
    for (const Call &call : std::as_const(m_calls)) {
        if (call.connected)
            m_core->requestCallStats(call.handle);
    }
}

void SipVoiceEndpoint::onStats(const QString &handle, const SipCallStats &stats)
{
    const Call *call = callByHandle(handle);
    if (!call || !call->connected)
        return;
    const CallQuality quality = callQualityFrom(stats);
    if (m_quality == quality)
        return;
    m_quality = quality;
    Q_EMIT callQualityChanged();
}

void SipVoiceEndpoint::selectDevices(const SipAudioDeviceSelection &selection)
{
    m_options.devices = selection;
    if (coreStarted())
        m_core->selectAudioDevices(selection);
}

void SipVoiceEndpoint::setRingFile(const QString &ringFile)
{
    m_options.ringFile = ringFile;
    if (m_core)
        m_core->setRingFile(ringFile);
}

} // namespace heartline
