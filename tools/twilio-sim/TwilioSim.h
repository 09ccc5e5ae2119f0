#pragma once

#include <memory>
#include <optional>

#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include "SimModel.h"
#include "core/Result.h"

namespace heartline {

class CallEngine;
class ControlApi;
class RestApi;
class SimHttpServer;
class SimScheduler;
class SimSipSide;
class SipCredentialStore;
struct SipDomainOptions;
class VoiceSignaling;
class WebhookSender;

/// heartline-twilio-sim as a library: the call engine, the REST subset, the /voice signaling and
/// the /control/ endpoints on one port. Tests run it in-process with a ManualClock scheduler.
class TwilioSim final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TwilioSim)

public:
    TwilioSim(SimOptions options, SimScheduler &scheduler, QObject *parent = nullptr);
    ~TwilioSim() override;

    /// Refuses options the stand-in cannot run with: the Account SID (AC + 32 hex), a missing auth
    /// token, a voice URL that is not http(s), an API key without its secret.
    [[nodiscard]] static std::optional<Problem> validate(const SimOptions &options);

    bool listen(const QHostAddress &address, quint16 port, QString *errorText);
    /// http://ADDR:PORT
    [[nodiscard]] QUrl baseUrl() const;

    [[nodiscard]] CallEngine &engine() { return *m_engine; }
    [[nodiscard]] VoiceSignaling &signaling() { return *m_signaling; }
    /// The SIP Credential Lists and Credentials the REST API keeps; its signals feed a SIP registrar.
    [[nodiscard]] SipCredentialStore &sipCredentials() { return *m_sipCredentials; }
    [[nodiscard]] SimScheduler &scheduler() { return m_scheduler; }
    [[nodiscard]] const SimOptions &options() const { return m_options; }

    /// Webhooks sent and not answered yet: tests let them settle before moving the clock.
    [[nodiscard]] int webhooksInFlight() const;
    /// REST answers are held back this long (simulated time): a slow Twilio for timeout tests.
    void setRestDelayMs(qint64 ms) { m_restDelayMs = ms; }
    [[nodiscard]] int heldRestAnswers() const;
    /// The next `count` REST requests fail with this HTTP status and Twilio's error body, without
    /// being carried out: a Twilio that errs, for the tests of what the server does then.
    void failRestRequests(int count, int httpStatus = 500)
    {
        m_restFailuresLeft = count;
        m_restFailureStatus = httpStatus;
    }
    /// Starts Twilio's SIP side: the SIP domain (Kamailio) fed with the Credential Lists' credentials,
    /// and INVITEs for <Dial><Sip> legs. sipDomainStarted() or sipDomainFailed() follows. Until
    /// then (and without it) a <Sip> leg fails at once.
    ///
    /// Defined in the library heartline_twilio_sim_sip (sip/TwilioSimSip.cpp), which links
    /// liblinphone: only programs that play the SIP side link it, and everything else that uses
    /// the stand-in stays free of liblinphone (and of its GPL).
    void startSipDomain(const SipDomainOptions &options);
    /// Null until startSipDomain() was called.
    [[nodiscard]] SimSipSide *sipSide() const { return m_sipSideView; }

    /// Grows with every HTTP request served and every call event logged: a driver that waits for
    /// the system to fall quiet compares it between rounds of the event loop.
    [[nodiscard]] quint64 activityCount() const { return m_activity; }

Q_SIGNALS:
    /// The SIP domain answers; `address` is sip:ADDR:PORT (UDP and TCP).
    void sipDomainStarted(const QString &address);
    void sipDomainFailed(const QString &reason);

private:
    SimOptions m_options;
    SimScheduler &m_scheduler;
    QHostAddress m_address;
    qint64 m_restDelayMs = 0;
    int m_restFailuresLeft = 0;
    int m_restFailureStatus = 500;
    quint64 m_activity = 0;
    // Declared in dependency order: destroyed in reverse, the HTTP server first.
    std::unique_ptr<WebhookSender> m_webhooks;
    std::unique_ptr<CallEngine> m_engine;
    std::unique_ptr<VoiceSignaling> m_signaling;
    std::unique_ptr<SipCredentialStore> m_sipCredentials;
    // Held as a QObject so that this file needs no liblinphone-linked code to destroy it.
    std::unique_ptr<QObject> m_sipSide;
    SimSipSide *m_sipSideView = nullptr;
    std::unique_ptr<RestApi> m_rest;
    std::unique_ptr<ControlApi> m_control;
    std::unique_ptr<SimHttpServer> m_http;
};

} // namespace heartline
