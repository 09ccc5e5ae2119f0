#include "sip/SimSipSide.h"

#include <QLoggingCategory>

#include "CallEngine.h"
#include "SipCredentialStore.h"
#include "sip/WavAudio.h"

using namespace Qt::StringLiterals;

namespace heartline {

SimSipSide::SimSipSide(CallEngine &engine, SipCredentialStore &credentials, QObject *parent)
    : QObject(parent), m_engine(engine), m_credentials(credentials),
      m_folder(QDir::tempPath() + u"/heartline-twilio-sim-sip-XXXXXX"_s)
{
    connect(&m_domain, &KamailioProcess::started, this, &SimSipSide::onDomainStarted);
    connect(&m_domain, &KamailioProcess::failed, this, [this](const QString &reason) {
        // Started or not, <Sip> legs cannot ring any more: they fail at once again.
        m_engine.setSipGateway(nullptr);
        m_dialer.reset();
        if (m_runningPort == 0) {
            Q_EMIT failed(u"the SIP domain (Kamailio): "_s + reason);
            return;
        }
        // It ran and went away (killed, crashed): as Twilio's edge would, the domain comes back on the
        // same addresses, and the softphones register again. Meanwhile agents cannot be reached.
        qWarning().noquote() << "the SIP domain (Kamailio) stopped:" << reason << "- starting it again in"
                             << RestartDelayMs << "ms";
        m_restartTimer.start(RestartDelayMs);
    });
    m_restartTimer.setSingleShot(true);
    connect(&m_restartTimer, &QTimer::timeout, this, &SimSipSide::startDomain);
    // A credential created, rotated or deleted over REST counts from Kamailio's next request.
    connect(&m_credentials, &SipCredentialStore::credentialChanged, this,
            [this](const QString &, const QString &username, const QString &password) {
                QString error;
                if (m_domain.credentials().isOpen() && !m_domain.credentials().setPassword(username, password, &error))
                    qWarning().noquote() << "the SIP domain cannot take the credential of" << username << ":" << error;
            });
    connect(&m_credentials, &SipCredentialStore::credentialRemoved, this,
            [this](const QString &, const QString &username) {
                if (m_domain.credentials().isOpen())
                    m_domain.credentials().remove(username);
            });
}

SimSipSide::~SimSipSide()
{
    m_engine.setSipGateway(nullptr);
    m_dialer.reset();
    m_domain.stop();
}

void SimSipSide::start(const SipDomainOptions &options)
{
    m_options = options;
    if (!m_folder.isValid()) {
        Q_EMIT failed(u"cannot create a temporary folder for the SIP side: "_s + m_folder.errorString());
        return;
    }
    startDomain();
}

void SimSipSide::startDomain()
{
    KamailioOptions kamailio;
    kamailio.sipDomain = m_options.domain;
    kamailio.address = m_options.address;
    // Once it ran, the same ports: the softphones registered there.
    kamailio.port = m_runningPort != 0 ? m_runningPort : m_options.port;
    kamailio.tlsCertificateFile = m_options.tlsCertificateFile;
    kamailio.tlsPrivateKeyFile = m_options.tlsPrivateKeyFile;
    kamailio.tlsPort = m_runningTlsPort != 0 ? m_runningTlsPort : m_options.tlsPort;
    kamailio.tlsHostName = m_options.tlsHostName;
    kamailio.program = m_options.kamailioProgram;
    m_domain.start(kamailio);
    if (m_domain.state() == KamailioProcess::State::Failed)
        return; // failed() was emitted
    QString error;
    if (!feedCredentials(&error)) {
        m_domain.stop();
        Q_EMIT failed(error);
    }
}

bool SimSipSide::feedCredentials(QString *error)
{
    // Credentials created before the domain started (the REST API is up first).
    for (const SimSipCredential &credential : m_credentials.allCredentials()) {
        if (!m_domain.credentials().setPassword(credential.username, credential.password, error))
            return false;
    }
    return true;
}

void SimSipSide::onDomainStarted()
{
    m_runningPort = m_domain.port();
    m_runningTlsPort = m_domain.tlsPort();
    QString playFile = m_options.callerAudioFile;
    if (playFile.isEmpty()) {
        // No speech was built: a steady tone still shows that audio flows.
        playFile = m_folder.filePath(u"caller-tone.wav"_s);
        WavAudio::tone(660, 4000, 16000).write(playFile);
    }
    SipDialer::Setup setup;
    setup.folder = m_folder.path();
    setup.domain = m_options.domain;
    setup.proxyUri = m_domain.proxyUri(false);
    setup.tlsProxyUri = m_domain.options().tlsEnabled() ? m_domain.proxyUri(true) : QString();
    setup.playFile = playFile;
    m_dialer = std::make_unique<SipDialer>(setup, m_engine);
    m_engine.setSipGateway(m_dialer.get());
    Q_EMIT started();
}

QString SimSipSide::recordingFile(const QString &legSid) const
{
    return m_dialer ? m_dialer->recordingFile(legSid) : QString();
}

std::optional<QJsonObject> SimSipSide::describe(const QString &file) const
{
    const Result<WavAudio> audio = WavAudio::read(file);
    if (!audio)
        return std::nullopt;
    return QJsonObject {
        {u"sampleRate"_s, audio.value().sampleRate},
        {u"channels"_s, audio.value().channels},
        {u"seconds"_s, audio.value().durationSeconds()},
        {u"rms"_s, audio.value().rms()},
    };
}

QString SimSipSide::address() const
{
    return isRunning() ? m_domain.proxyUri(false) : QString();
}

QString SimSipSide::tlsAddress() const
{
    return isRunning() && m_domain.options().tlsEnabled() ? m_domain.proxyUri(true) : QString();
}

} // namespace heartline
