#pragma once

#include <QObject>
#include <QThread>

#include "sip/SipTypes.h"

namespace heartline {

class SipEngine;

/// One SIP user agent (liblinphone) for an agent softphone or for the stand-in's caller side.
///
/// liblinphone must be driven from a single thread and iterated every 20 ms, so the Core lives
/// on a thread of its own, owned by this object; every method here only queues the request to
/// that thread and returns at once, and every outcome comes back as a signal in the thread this
/// object lives in. No liblinphone type appears in this header.
///
/// A call is named by the handle call() returns or incomingCall() carries. Requests that cannot
/// be carried out (no such call, not started, a device that does not exist) emit errorOccurred().
class SipCore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SipCore)

public:
    explicit SipCore(QObject *parent = nullptr);
    /// Stops the Core (calls in progress end) and joins its thread.
    ~SipCore() override;

    /// Creates and starts the liblinphone Core: started() once its SIP transports listen, or
    /// startFailed() with the reason.
    void start(const SipCoreConfig &config);

    /// Sets the one account of this core (replacing the previous one, credentials included) and
    /// registers it unless `registerEnabled` is false; registrationChanged() follows its state.
    void registerAccount(const SipAccount &account);
    /// REGISTER with expires=0: registrationChanged() reports Cleared.
    void unregisterAccount();

    /// Places a call to a SIP URI through the account's proxy (directly when there is no account).
    /// Returns the call's handle; callStateChanged() and callEnded() follow.
    QString call(const QString &sipUri, const SipHeaders &headers = {});
    void accept(const QString &callId);
    /// Refuses a ringing incoming call with 486 Busy Here.
    void decline(const QString &callId);
    /// Ends a call: BYE when connected, CANCEL while our INVITE rings, 603 for one ringing here.
    void hangup(const QString &callId);
    /// Mutes the microphone of one call. With SipCoreConfig::useAudioFiles the played file is
    /// mixed in after the microphone (liblinphone's "remote play"), so it is not muted.
    void setMuted(const QString &callId, bool muted);

    /// callStats() answers with the call's present figures.
    void requestCallStats(const QString &callId);
    /// Looks for sound devices again; audioDevicesChanged() answers.
    void requestAudioDevices();
    void selectAudioDevices(const SipAudioDeviceSelection &selection);
    /// The WAV played on the ringer device while a call rings here; empty: none (silent ringing).
    void setRingFile(const QString &ringFile);

    /// As last reported by the signals.
    [[nodiscard]] bool isStarted() const { return m_started; }
    [[nodiscard]] SipRegistration registration() const { return m_registration; }
    [[nodiscard]] quint16 udpPort() const { return m_udpPort; }
    [[nodiscard]] quint16 tcpPort() const { return m_tcpPort; }
    [[nodiscard]] quint16 tlsPort() const { return m_tlsPort; }

Q_SIGNALS:
    /// The Core is on; the local ports its transports took (0: that transport is off).
    void started(quint16 udpPort, quint16 tcpPort, quint16 tlsPort);
    void startFailed(const QString &reason);
    void registrationChanged(const heartline::SipRegistration &registration);
    void incomingCall(const heartline::SipCallInfo &call);
    /// A call placed with call() is on its way (its SIP Call-ID is known from here on).
    void outgoingCall(const heartline::SipCallInfo &call);
    void callStateChanged(const QString &callId, heartline::SipCallState state);
    /// Final for that handle; callStateChanged(callId, Ended) comes just before.
    void callEnded(const QString &callId, const heartline::SipCallEnd &end);
    void callStats(const QString &callId, const heartline::SipCallStats &stats);
    /// At start, when asked, and when the devices or the selection change.
    void audioDevicesChanged(const QList<heartline::SipAudioDevice> &devices,
                             const heartline::SipAudioDeviceSelection &selection);
    void errorOccurred(const QString &message);

private:
    QThread m_thread;
    SipEngine *m_engine = nullptr; ///< lives on m_thread, deleted there when it finishes
    bool m_started = false;
    SipRegistration m_registration;
    quint16 m_udpPort = 0;
    quint16 m_tcpPort = 0;
    quint16 m_tlsPort = 0;
};

} // namespace heartline
