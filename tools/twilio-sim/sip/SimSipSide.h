#pragma once

#include <memory>

#include <QHostAddress>
#include <QObject>
#include <QTemporaryDir>
#include <QTimer>

#include "ControlApi.h"
#include "sip/KamailioProcess.h"
#include "sip/SipDialer.h"

namespace heartline {

class CallEngine;
class SipCredentialStore;

/// How the stand-in's SIP side is started (heartline-twilio-sim --sip-domain …).
struct SipDomainOptions
{
    QString domain; ///< e.g. example.sip.twilio.com: what <Sip> URIs and registrations name
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; ///< UDP and TCP; 0: a free port
    /// TLS is on when both are given (PEM); on tlsPort (0: a free one), reached by tlsHostName.
    QString tlsCertificateFile;
    QString tlsPrivateKeyFile;
    quint16 tlsPort = 0;
    QString tlsHostName = QStringLiteral("localhost");
    /// What the stand-in's callers say (16-bit WAV); empty: a tone written at start.
    QString callerAudioFile;
    QString kamailioProgram = QStringLiteral("kamailio");
};

/// Twilio's SIP side, played by the stand-in: the SIP domain (Kamailio) whose credentials are
/// the Credential Lists of the REST API, changed there and effective at once, and the SipDialer
/// that turns <Dial><Sip> legs into INVITEs through that domain. Everything lives in a
/// temporary folder of its own (Kamailio's files, the caller lines, the recordings), removed
/// with this object.
class SimSipSide final : public QObject, public RecordingSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimSipSide)

public:
    SimSipSide(CallEngine &engine, SipCredentialStore &credentials, QObject *parent = nullptr);
    /// Detaches the dialer from the engine and stops Kamailio.
    ~SimSipSide() override;

    /// started() or failed() follows.
    void start(const SipDomainOptions &options);

    [[nodiscard]] bool isRunning() const { return m_dialer != nullptr; }
    [[nodiscard]] const SipDomainOptions &options() const { return m_options; }
    /// sip:ADDRESS:PORT (UDP and TCP), once started.
    [[nodiscard]] QString address() const;
    /// sip:NAME:PORT, once started with TLS; empty otherwise.
    [[nodiscard]] QString tlsAddress() const;
    [[nodiscard]] KamailioProcess &domain() { return m_domain; }
    /// Null until started.
    [[nodiscard]] SipDialer *dialer() const { return m_dialer.get(); }

    [[nodiscard]] QString recordingFile(const QString &legSid) const override;
    [[nodiscard]] std::optional<QJsonObject> describe(const QString &file) const override;

Q_SIGNALS:
    void started();
    void failed(const QString &reason);

private:
    void onDomainStarted();
    void startDomain();
    bool feedCredentials(QString *error);

    CallEngine &m_engine;
    SipCredentialStore &m_credentials;
    SipDomainOptions m_options;
    QTemporaryDir m_folder;
    KamailioProcess m_domain;
    std::unique_ptr<SipDialer> m_dialer;
    /// The ports Kamailio ran on (0: it never started); a Kamailio that dies is started again there.
    quint16 m_runningPort = 0;
    quint16 m_runningTlsPort = 0;
    QTimer m_restartTimer;
    static constexpr int RestartDelayMs = 1000;
};

} // namespace heartline
