#include "SipEngine.h"

#include <exception>
#include <mutex>

#include <QDir>
#include <QFileInfo>
#include <QUuid>

#include "SipLogging.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr int IterateIntervalMs = 20; // what liblinphone asks of its host loop while a call is up
// With no call, only SIP signaling waits on iterate(): its timers are hundreds of milliseconds and
// more, so a slower beat costs an incoming INVITE a few tens of milliseconds and saves most of an
// idle softphone's wake-ups (the agent app sits idle most of the day).
constexpr int IdleIterateIntervalMs = 50;
constexpr int StartTimeoutMs = 10'000;

std::string toStd(const QString &text)
{
    return text.toStdString();
}

QString fromStd(const std::string &text)
{
    return QString::fromStdString(text);
}

// liblinphone keeps process-wide state that is not thread-safe: the Factory (its folders are read
// while a Core is created) and a cache of parsed SIP addresses that every Core fills and clones
// from. Two Cores on their own threads (the stand-in's caller lines, a test's agent and caller)
// corrupted it: a crash in sal_address_clone() from Core::createAddress(). So every entry into
// liblinphone, from any SipEngine, holds this one lock. An app with one Core never waits on it.
std::recursive_mutex &liblinphoneLock()
{
    static std::recursive_mutex mutex;
    return mutex;
}

linphone::TransportType toLinphone(SipTransport transport)
{
    switch (transport) {
    case SipTransport::Udp:
        return linphone::TransportType::Udp;
    case SipTransport::Tcp:
        return linphone::TransportType::Tcp;
    case SipTransport::Tls:
        return linphone::TransportType::Tls;
    }
    return linphone::TransportType::Tls;
}

// liblinphone's port values: -1 any free port, 0 off.
int toLinphonePort(const std::optional<quint16> &port)
{
    if (!port)
        return 0;
    return *port == 0 ? -1 : int(*port);
}

quint16 usedPort(int port)
{
    return port > 0 ? quint16(port) : 0;
}

SipRegistrationState toState(linphone::RegistrationState state)
{
    switch (state) {
    case linphone::RegistrationState::None:
        return SipRegistrationState::None;
    case linphone::RegistrationState::Progress:
        return SipRegistrationState::Progress;
    case linphone::RegistrationState::Ok:
        return SipRegistrationState::Registered;
    case linphone::RegistrationState::Cleared:
        return SipRegistrationState::Cleared;
    case linphone::RegistrationState::Failed:
        return SipRegistrationState::Failed;
    }
    return SipRegistrationState::None;
}

QString addressText(const std::shared_ptr<const linphone::Address> &address)
{
    return address ? fromStd(address->asStringUriOnly()) : QString();
}

} // namespace

/// Hands liblinphone's Core callbacks to the engine. They arrive from inside Core::iterate(), so
/// on the engine's thread; the engine outlives the listener's registration with the Core.
class SipEngineListener final : public linphone::CoreListener
{
public:
    explicit SipEngineListener(SipEngine &engine) : m_engine(engine) { }

    void onGlobalStateChanged(const std::shared_ptr<linphone::Core> &, linphone::GlobalState state,
                              const std::string &) override
    {
        m_engine.onGlobalState(state);
    }
    void onAccountRegistrationStateChanged(const std::shared_ptr<linphone::Core> &,
                                           const std::shared_ptr<linphone::Account> &account,
                                           linphone::RegistrationState state, const std::string &message) override
    {
        m_engine.onRegistrationState(account, state, message);
    }
    void onCallStateChanged(const std::shared_ptr<linphone::Core> &, const std::shared_ptr<linphone::Call> &call,
                            linphone::Call::State state, const std::string &message) override
    {
        m_engine.onCallState(call, state, message);
    }
    void onAudioDevicesListUpdated(const std::shared_ptr<linphone::Core> &) override
    {
        m_engine.onAudioDevicesUpdated();
    }

private:
    SipEngine &m_engine;
};

SipEngine::SipEngine(QObject *parent) : QObject(parent)
{
    m_iterateTimer.setInterval(IterateIntervalMs);
    connect(&m_iterateTimer, &QTimer::timeout, this, [this] {
        if (!m_core)
            return;
        const std::lock_guard lock(liblinphoneLock());
        try {
            m_core->iterate();
        } catch (const std::exception &error) {
            // liblinphone++ reports some races of its own as exceptions from inside iterate() (a
            // callback for an object whose C++ wrapper is going away: std::bad_weak_ptr). Out of a Qt
            // event handler an exception ends the process; here it costs that one callback.
            qCWarning(lcSip).noquote() << "liblinphone threw from iterate():" << error.what();
        }
        const int interval = m_core && m_core->getCallsNb() > 0 ? IterateIntervalMs : IdleIterateIntervalMs;
        if (m_iterateTimer.interval() != interval)
            m_iterateTimer.setInterval(interval);
    });
    m_startTimeout.setSingleShot(true);
    m_startTimeout.setInterval(StartTimeoutMs);
    connect(&m_startTimeout, &QTimer::timeout, this, [this] {
        const std::lock_guard lock(liblinphoneLock());
        // liblinphone 5.1 stays in its Startup state, with no SIP transport, when it cannot open
        // its database; it says so only in its log.
        failStart(u"liblinphone did not finish starting within %1 s (its database in %2 could not be opened?)"_s
                      .arg(StartTimeoutMs / 1000)
                      .arg(m_config.folder));
    });
    connect(&m_deviceScan, &QTimer::timeout, this, &SipEngine::scanDevices);
}

SipEngine::~SipEngine()
{
    const std::lock_guard lock(liblinphoneLock());
    shutdown();
}

bool SipEngine::event(QEvent *event)
{
    const std::lock_guard lock(liblinphoneLock());
    try {
        return QObject::event(event);
    } catch (const std::exception &error) {
        qCWarning(lcSip).noquote() << "liblinphone threw while carrying out a request:" << error.what();
        return true;
    }
}

void SipEngine::start(const SipCoreConfig &config)
{
    if (m_core) {
        Q_EMIT errorOccurred(u"the SIP core is already started"_s);
        return;
    }
    m_config = config;
    if (config.folder.isEmpty()) {
        Q_EMIT startFailed(u"no folder given for the SIP core's configuration and databases"_s);
        return;
    }
    const QString folder = QDir(config.folder).absolutePath() + u'/';
    // An empty plugin folder: Debian's mediastreamer plugin libmsqogl links Qt 5, which must not
    // be loaded into this Qt 6 process (and it only renders video).
    const QString pluginFolder = folder + u"msplugins/"_s;
    if (!QDir().mkpath(pluginFolder)) {
        Q_EMIT startFailed(u"cannot create the SIP core's folder %1"_s.arg(folder));
        return;
    }
    if (!config.tlsCaFile.isEmpty() && !QFileInfo(config.tlsCaFile).isReadable()) {
        Q_EMIT startFailed(u"cannot read the TLS CA file %1"_s.arg(config.tlsCaFile));
        return;
    }
    if (!config.ringFile.isEmpty() && !QFileInfo(config.ringFile).isReadable()) {
        Q_EMIT startFailed(u"cannot read the ring file %1"_s.arg(config.ringFile));
        return;
    }
    if (config.useAudioFiles && !config.playFile.isEmpty() && !QFileInfo(config.playFile).isReadable()) {
        Q_EMIT startFailed(u"cannot read the audio file to play, %1"_s.arg(config.playFile));
        return;
    }
    if (!config.udpPort && !config.tcpPort && !config.tlsPort) {
        Q_EMIT startFailed(u"no SIP transport is on (UDP, TCP and TLS are all off)"_s);
        return;
    }

    installSipLogging();
    m_listener = std::make_shared<SipEngineListener>(*this);
    {
        const std::lock_guard lock(liblinphoneLock());
        const auto factory = linphone::Factory::get();
        factory->setMspluginsDir(toStd(pluginFolder));
        // The Factory joins these folders and file names without a separator: the '/' matters.
        factory->setDataDir(toStd(folder));
        factory->setConfigDir(toStd(folder));
        const auto linphoneConfig = factory->createConfig(toStd(folder + u"linphonerc"_s));
        // Every database in this core's own folder, whatever the Factory says later: by default
        // they go under $HOME/.local/share/linphone/, and when that folder is missing the Core
        // never finishes starting.
        linphoneConfig->setString("storage", "uri", toStd(folder + u"linphone.db"_s));
        linphoneConfig->setString("storage", "call_logs_db_uri", toStd(folder + u"call-history.db"_s));
        linphoneConfig->setString("storage", "zrtp_secrets_db_uri", toStd(folder + u"zrtp-secrets.db"_s));
        linphoneConfig->setString("lime", "x3dh_db_path", toStd(folder + u"x3dh.db"_s));
        m_core = factory->createCoreWithConfig(linphoneConfig, nullptr);
        if (!m_core) {
            Q_EMIT startFailed(u"liblinphone could not create its Core in %1"_s.arg(folder));
            return;
        }
        m_core->addListener(m_listener);
        configureCore();
        if (m_core->start() != 0) {
            m_core->removeListener(m_listener);
            m_core.reset();
            Q_EMIT startFailed(u"liblinphone's Core did not start (see the heartline.sip log)"_s);
            return;
        }
    }
    m_iterateTimer.start();
    if (m_core->getGlobalState() == linphone::GlobalState::On)
        onGlobalState(linphone::GlobalState::On);
    else
        m_startTimeout.start();
}

void SipEngine::configureCore()
{
    m_core->setUserAgent(toStd(m_config.userAgent), HEARTLINE_VERSION);
    // IPv4 only: with IPv6 on, liblinphone listens on [::] and may advertise an IPv6 Contact that
    // a registrar reached over IPv4 loopback cannot use.
    m_core->enableIpv6(false);

    const auto transports = linphone::Factory::get()->createTransports();
    transports->setUdpPort(toLinphonePort(m_config.udpPort));
    transports->setTcpPort(toLinphonePort(m_config.tcpPort));
    transports->setTlsPort(toLinphonePort(m_config.tlsPort));
    transports->setDtlsPort(0);
    m_core->setTransports(transports);
    // Several cores in one process or on one machine: never the fixed default RTP port 7078.
    m_core->setAudioPort(-1);
    m_core->setVideoPort(-1);
    m_core->enableVideoCapture(false);
    m_core->enableVideoDisplay(false);

    if (!m_config.tlsCaFile.isEmpty())
        m_core->setRootCa(toStd(QFileInfo(m_config.tlsCaFile).absoluteFilePath()));
    m_core->verifyServerCertificates(m_config.tlsVerifyServer);
    m_core->verifyServerCn(m_config.tlsVerifyServer);

    m_core->setMediaEncryption(m_config.srtp ? linphone::MediaEncryption::SRTP : linphone::MediaEncryption::None);
    m_core->setMediaEncryptionMandatory(m_config.srtp && m_config.srtpMandatory);

    if (m_config.useAudioFiles) {
        m_core->setUseFiles(true);
        // The echo canceller would shape the test audio; there is no echo between two files.
        m_core->enableEchoCancellation(false);
        if (!m_config.playFile.isEmpty())
            m_core->setPlayFile(toStd(QFileInfo(m_config.playFile).absoluteFilePath()));
        if (!m_config.recordFile.isEmpty())
            m_core->setRecordFile(toStd(QFileInfo(m_config.recordFile).absoluteFilePath()));
    }
    applyRingFile();
}

void SipEngine::applyRingFile()
{
    // An empty ring makes liblinphone ring silently instead of falling back to its own ring file.
    m_core->setRing(m_config.ringFile.isEmpty() ? std::string()
                                                : toStd(QFileInfo(m_config.ringFile).absoluteFilePath()));
}

void SipEngine::setRingFile(const QString &ringFile)
{
    if (!ringFile.isEmpty() && !QFileInfo(ringFile).isReadable()) {
        Q_EMIT errorOccurred(u"cannot read the ring file %1"_s.arg(ringFile));
        return;
    }
    m_config.ringFile = ringFile;
    if (m_core)
        applyRingFile();
}

void SipEngine::shutdown()
{
    m_iterateTimer.stop();
    m_startTimeout.stop();
    m_deviceScan.stop();
    if (!m_core)
        return;
    // Stopping ends the calls, whose callbacks must not reach SipCore while it is being destroyed.
    m_core->removeListener(m_listener);
    m_core->stop();
    m_calls.clear();
    m_account.reset();
    m_core.reset();
    m_listener.reset();
}

void SipEngine::failStart(const QString &reason)
{
    m_iterateTimer.stop();
    m_startTimeout.stop();
    if (m_core) {
        m_core->removeListener(m_listener);
        m_core->stop();
        m_core.reset();
    }
    m_listener.reset();
    Q_EMIT startFailed(reason);
}

void SipEngine::onGlobalState(linphone::GlobalState state)
{
    if (state != linphone::GlobalState::On || m_startReported)
        return;
    m_startReported = true;
    m_startTimeout.stop();
    const auto used = m_core->getTransportsUsed();
    qCInfo(lcSip) << "SIP core started in" << m_config.folder << "UDP" << used->getUdpPort() << "TCP"
                  << used->getTcpPort() << "TLS" << used->getTlsPort();
    Q_EMIT started(usedPort(used->getUdpPort()), usedPort(used->getTcpPort()), usedPort(used->getTlsPort()));
    reportDevices(false);
    if (m_config.deviceScanIntervalMs > 0) {
        m_deviceScan.setInterval(m_config.deviceScanIntervalMs);
        m_deviceScan.start();
    }
}

// liblinphone takes accounts and calls as soon as its Core exists (Core::start() turns it on at
// once when its database opens).
bool SipEngine::requireCore(const QString &action)
{
    if (m_core)
        return true;
    Q_EMIT errorOccurred(u"cannot %1: the SIP core is not started"_s.arg(action));
    return false;
}

SipCallTable::Entry *SipEngine::requireCall(const QString &handle, const QString &action)
{
    if (!requireCore(action))
        return nullptr;
    SipCallTable::Entry *entry = m_calls.find(handle);
    if (!entry || entry->endReported) {
        Q_EMIT errorOccurred(u"cannot %1: there is no call %2"_s.arg(action, handle));
        return nullptr;
    }
    return entry;
}

// --- registration ---

void SipEngine::registerAccount(const SipAccount &account)
{
    if (!requireCore(u"register"_s))
        return;
    if (account.username.isEmpty() || account.domain.isEmpty() || account.proxy.isEmpty()) {
        Q_EMIT errorOccurred(u"cannot register: the account needs a username, a domain and a proxy"_s);
        return;
    }
    const auto identity = m_core->createAddress(toStd(u"sip:%1@%2"_s.arg(account.username, account.domain)));
    const auto proxy = m_core->createAddress(toStd(account.proxy));
    if (!identity || !proxy) {
        Q_EMIT errorOccurred(u"cannot register: not a SIP address: %1"_s.arg(
            identity ? account.proxy : account.username + u'@' + account.domain));
        return;
    }
    if (!account.displayName.isEmpty())
        identity->setDisplayName(toStd(account.displayName));
    proxy->setTransport(toLinphone(account.transport));

    // liblinphone keeps a hash of the password: a changed password (rotated at each login) is
    // only used once the old credentials are gone.
    m_core->clearAllAuthInfo();
    if (!account.password.isEmpty()) {
        m_core->addAuthInfo(linphone::Factory::get()->createAuthInfo(
            toStd(account.username), "", toStd(account.password), "", "", toStd(account.domain)));
    }

    const auto params = m_account ? m_account->getParams()->clone() : m_core->createAccountParams();
    params->setIdentityAddress(identity);
    params->setServerAddress(proxy);
    // Every request goes through the proxy: the SIP domain's name need not resolve here.
    params->enableOutboundProxy(true);
    params->setExpires(account.expirySeconds);
    params->enableRegister(account.registerEnabled);
    params->enablePublish(false);
    if (m_account) {
        m_account->setParams(params);
        if (account.registerEnabled)
            m_account->refreshRegister();
    } else {
        m_account = m_core->createAccount(params);
        m_core->addAccount(m_account);
        m_core->setDefaultAccount(m_account);
    }
}

void SipEngine::unregisterAccount()
{
    if (!requireCore(u"unregister"_s))
        return;
    if (!m_account) {
        Q_EMIT errorOccurred(u"cannot unregister: no account is set"_s);
        return;
    }
    const auto params = m_account->getParams()->clone();
    params->enableRegister(false);
    m_account->setParams(params);
}

void SipEngine::onRegistrationState(const std::shared_ptr<linphone::Account> &account,
                                    linphone::RegistrationState state, const std::string &message)
{
    if (account != m_account)
        return;
    SipRegistration registration;
    registration.state = toState(state);
    registration.reason = fromStd(message);
    if (const auto error = account->getErrorInfo()) {
        registration.statusCode = error->getProtocolCode();
        if (!error->getPhrase().empty())
            registration.reason = fromStd(error->getPhrase());
    }
    if (state == linphone::RegistrationState::Ok)
        registration.statusCode = 200;
    qCInfo(lcSip) << "registration" << int(registration.state) << registration.statusCode << registration.reason;
    Q_EMIT registrationChanged(registration);
}

// --- calls ---

void SipEngine::placeCall(const QString &handle, const QString &uri, const SipHeaders &headers)
{
    const auto refuse = [&](const QString &why) {
        Q_EMIT errorOccurred(why);
        Q_EMIT callEnded(handle, SipCallEnd {SipCallEnd::By::Error, 0, why, false, 0});
    };
    if (!m_core) {
        refuse(u"cannot call %1: the SIP core is not started"_s.arg(uri));
        return;
    }
    const auto address
        = uri.startsWith(u"sip:"_s) || uri.startsWith(u"sips:"_s) ? m_core->createAddress(toStd(uri)) : nullptr;
    if (!address) {
        refuse(u"cannot call %1: not a SIP address"_s.arg(uri));
        return;
    }
    const auto params = m_core->createCallParams(nullptr);
    params->enableVideo(false);
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        params->addCustomHeader(toStd(it.key()), toStd(it.value()));

    m_placingHandle = handle;
    const auto call = m_core->inviteAddressWithParams(address, params);
    m_placingHandle.clear();
    if (!call) {
        refuse(u"cannot call %1: liblinphone refused to place the call (see the heartline.sip log)"_s.arg(uri));
        return;
    }
    if (!m_calls.find(call.get()))
        m_calls.add(handle, call);
    Q_EMIT outgoingCall(callInfo(handle, call));
}

void SipEngine::accept(const QString &handle)
{
    if (SipCallTable::Entry *entry = requireCall(handle, u"answer"_s)) {
        const auto params = m_core->createCallParams(entry->call);
        params->enableVideo(false);
        if (entry->call->acceptWithParams(params) != 0)
            Q_EMIT errorOccurred(u"cannot answer call %1 in its present state"_s.arg(handle));
    }
}

void SipEngine::decline(const QString &handle)
{
    if (SipCallTable::Entry *entry = requireCall(handle, u"decline"_s)) {
        entry->endedLocally = true;
        // 486 Busy Here: Twilio reports it as DialCallStatus=busy and the caller goes on to
        // another agent.
        if (entry->call->decline(linphone::Reason::Busy) != 0) {
            entry->endedLocally = false;
            Q_EMIT errorOccurred(u"cannot decline call %1: it is no longer ringing"_s.arg(handle));
        }
    }
}

void SipEngine::hangup(const QString &handle)
{
    if (SipCallTable::Entry *entry = requireCall(handle, u"hang up"_s)) {
        entry->endedLocally = true;
        if (entry->call->terminate() != 0) {
            entry->endedLocally = false;
            Q_EMIT errorOccurred(u"cannot hang up call %1"_s.arg(handle));
        }
    }
}

void SipEngine::setMuted(const QString &handle, bool muted)
{
    if (SipCallTable::Entry *entry = requireCall(handle, muted ? u"mute"_s : u"unmute"_s))
        entry->call->setMicrophoneMuted(muted);
}

void SipEngine::onCallState(const std::shared_ptr<linphone::Call> &call, linphone::Call::State state,
                            const std::string &message)
{
    SipCallTable::Entry *entry = m_calls.find(call.get());
    if (!entry) {
        if (state == linphone::Call::State::IncomingReceived)
            entry = &m_calls.add(QUuid::createUuid().toString(QUuid::WithoutBraces), call);
        else if (!m_placingHandle.isEmpty() && call->getDir() == linphone::Call::Dir::Outgoing)
            entry = &m_calls.add(m_placingHandle, call);
        else
            return;
    }
    using State = linphone::Call::State;
    switch (state) {
    case State::IncomingReceived: {
        SipCallInfo info = callInfo(entry->handle, call);
        if (const auto remote = call->getRemoteParams()) {
            for (const QString &name : std::as_const(m_config.incomingHeaderNames)) {
                const std::string value = remote->getCustomHeader(toStd(name));
                if (!value.empty())
                    info.headers.insert(name, fromStd(value));
            }
        }
        qCInfo(lcSip) << "incoming call" << info.callId << "from" << info.remoteUri;
        Q_EMIT incomingCall(info);
        reportState(*entry, SipCallState::Incoming);
        break;
    }
    case State::OutgoingInit:
    case State::OutgoingProgress:
        reportState(*entry, SipCallState::Calling);
        break;
    case State::OutgoingRinging:
    case State::OutgoingEarlyMedia:
        reportState(*entry, SipCallState::Ringing);
        break;
    case State::Connected:
    case State::StreamsRunning:
        entry->connected = true;
        reportState(*entry, SipCallState::Connected);
        break;
    case State::Error:
    case State::End:
        reportEnd(*entry, state, message);
        break;
    case State::Released:
        if (!entry->endReported)
            reportEnd(*entry, state, message);
        m_calls.remove(call.get());
        break;
    default:
        break;
    }
}

SipCallInfo SipEngine::callInfo(const QString &handle, const std::shared_ptr<linphone::Call> &call) const
{
    SipCallInfo info;
    info.callId = handle;
    info.sipCallId = fromStd(call->getCallLog()->getCallId());
    const auto remote = call->getRemoteAddress();
    info.remoteUri = addressText(remote);
    info.remoteDisplayName = remote ? fromStd(remote->getDisplayName()) : QString();
    info.localUri = addressText(call->getDir() == linphone::Call::Dir::Incoming ? call->getToAddress()
                                                                                : call->getCallLog()->getFromAddress());
    return info;
}

void SipEngine::reportState(SipCallTable::Entry &entry, SipCallState state)
{
    if (entry.endReported || entry.reported == state)
        return;
    entry.reported = state;
    Q_EMIT callStateChanged(entry.handle, state);
}

void SipEngine::reportEnd(SipCallTable::Entry &entry, linphone::Call::State state, const std::string &message)
{
    if (entry.endReported)
        return;
    entry.endReported = true;
    SipCallEnd end;
    end.wasConnected = entry.connected;
    end.durationSeconds = entry.call->getDuration();
    end.reason = fromStd(message);
    if (const auto error = entry.call->getErrorInfo()) {
        end.statusCode = error->getProtocolCode();
        if (!error->getPhrase().empty())
            end.reason = fromStd(error->getPhrase());
    }
    if (entry.connected)
        end.statusCode = 200;
    if (entry.endedLocally)
        end.by = SipCallEnd::By::Local;
    else if (state == linphone::Call::State::Error && end.statusCode == 0)
        end.by = SipCallEnd::By::Error;
    else
        end.by = SipCallEnd::By::Remote;
    qCInfo(lcSip) << "call" << entry.handle << "ended" << end.statusCode << end.reason << "by" << int(end.by);
    entry.reported = SipCallState::Ended;
    Q_EMIT callStateChanged(entry.handle, SipCallState::Ended);
    Q_EMIT callEnded(entry.handle, end);
}

void SipEngine::requestCallStats(const QString &handle)
{
    SipCallTable::Entry *entry = requireCall(handle, u"read call statistics"_s);
    if (!entry)
        return;
    SipCallStats stats;
    const auto &call = entry->call;
    if (const auto audio = call->getAudioStats()) {
        // The "sender" figures are from the reports we send about what we receive; the
        // "receiver" ones from the other side's reports about what we send.
        stats.jitterMs = audio->getSenderInterarrivalJitter() * 1000.0f;
        stats.receiveLossPercent = audio->getSenderLossRate();
        stats.sendLossPercent = audio->getReceiverLossRate();
        const float roundTrip = audio->getRoundTripDelay();
        stats.roundTripMs = roundTrip > 0 ? roundTrip * 1000.0f : -1.0f;
        stats.downloadKbps = audio->getDownloadBandwidth();
        stats.uploadKbps = audio->getUploadBandwidth();
    }
    stats.quality = call->getAverageQuality();
    if (const auto params = call->getCurrentParams()) {
        if (const auto payload = params->getUsedAudioPayloadType())
            stats.codec = fromStd(payload->getMimeType()) + u'/' + QString::number(payload->getClockRate());
        stats.srtp = params->getMediaEncryption() == linphone::MediaEncryption::SRTP;
    }
    Q_EMIT callStats(handle, stats);
}

// --- audio devices ---

void SipEngine::requestAudioDevices()
{
    if (!requireCore(u"list audio devices"_s))
        return;
    m_core->reloadSoundDevices();
    reportDevices(false);
}

void SipEngine::scanDevices()
{
    const std::lock_guard lock(liblinphoneLock());
    // Reloading the sound cards restarts the audio graph of a call in progress.
    if (!m_core || !m_calls.isEmpty())
        return;
    m_core->reloadSoundDevices();
    reportDevices(true);
}

void SipEngine::onAudioDevicesUpdated()
{
    reportDevices(true);
}

void SipEngine::reportDevices(bool onlyIfChanged)
{
    QList<SipAudioDevice> devices;
    for (const auto &device : m_core->getExtendedAudioDevices()) {
        SipAudioDevice entry;
        entry.id = fromStd(device->getId());
        entry.name = fromStd(device->getDeviceName());
        entry.driver = fromStd(device->getDriverName());
        entry.canCapture = device->hasCapability(linphone::AudioDevice::Capabilities::CapabilityRecord);
        entry.canPlay = device->hasCapability(linphone::AudioDevice::Capabilities::CapabilityPlay);
        devices.append(entry);
    }
    const SipAudioDeviceSelection selection {fromStd(m_core->getCaptureDevice()), fromStd(m_core->getPlaybackDevice()),
                                             fromStd(m_core->getRingerDevice())};
    if (onlyIfChanged && devices == m_devices && selection == m_selection)
        return;
    m_devices = devices;
    m_selection = selection;
    Q_EMIT audioDevicesChanged(devices, selection);
}

void SipEngine::selectAudioDevices(const SipAudioDeviceSelection &selection)
{
    if (!requireCore(u"choose audio devices"_s))
        return;
    const auto find = [this](const QString &id) -> std::shared_ptr<linphone::AudioDevice> {
        for (const auto &device : m_core->getExtendedAudioDevices()) {
            if (fromStd(device->getId()) == id)
                return device;
        }
        return nullptr;
    };
    using Capability = linphone::AudioDevice::Capabilities;
    const struct
    {
        const QString &id;
        Capability capability;
        QString role;
        QString cannot;
    } wanted[] = {{selection.capture, Capability::CapabilityRecord, u"microphone"_s, u"it cannot record"_s},
                  {selection.playback, Capability::CapabilityPlay, u"speaker"_s, u"it cannot play"_s},
                  {selection.ringer, Capability::CapabilityPlay, u"ringer"_s, u"it cannot play"_s}};
    for (const auto &want : wanted) {
        if (want.id.isEmpty())
            continue;
        const auto device = find(want.id);
        if (!device || !device->hasCapability(want.capability)) {
            Q_EMIT errorOccurred(u"cannot use \"%1\" as the %2: %3"_s.arg(want.id, want.role,
                                                                          device ? want.cannot : u"no such device"_s));
            return;
        }
    }
    if (!selection.capture.isEmpty()) {
        m_core->setCaptureDevice(toStd(selection.capture));
        m_core->setInputAudioDevice(find(selection.capture)); // the call in progress too
    }
    if (!selection.playback.isEmpty()) {
        m_core->setPlaybackDevice(toStd(selection.playback));
        m_core->setOutputAudioDevice(find(selection.playback));
    }
    if (!selection.ringer.isEmpty())
        m_core->setRingerDevice(toStd(selection.ringer));
    reportDevices(false);
}

} // namespace heartline
