#pragma once

#include <memory>

#include <QObject>
#include <QTimer>

#include <linphone++/linphone.hh>

#include "SipCallTable.h"
#include "sip/SipTypes.h"

namespace heartline {

class SipEngineListener;

/// The liblinphone side of SipCore (private to heartline_sip): owns the linphone::Core and lives
/// on SipCore's thread. liblinphone is not thread-safe, so every method here, every liblinphone
/// callback and the destruction of every liblinphone object happen on that one thread; SipCore
/// reaches it only through queued invocations and hears back through these signals.
class SipEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SipEngine)

public:
    explicit SipEngine(QObject *parent = nullptr);
    ~SipEngine() override;

    /// SipCore's queued requests arrive here, carried out under the process-wide liblinphone lock:
    /// an exception liblinphone++ throws while one is carried out is logged and that request
    /// dropped, instead of ending the process.
    bool event(QEvent *event) override;

    void start(const SipCoreConfig &config);
    /// Ends calls, stops the Core and lets go of every liblinphone object.
    void shutdown();

    void registerAccount(const SipAccount &account);
    void unregisterAccount();
    void placeCall(const QString &handle, const QString &uri, const SipHeaders &headers);
    void accept(const QString &handle);
    void decline(const QString &handle);
    void hangup(const QString &handle);
    void setMuted(const QString &handle, bool muted);
    void requestCallStats(const QString &handle);
    void requestAudioDevices();
    void selectAudioDevices(const SipAudioDeviceSelection &selection);
    void setRingFile(const QString &ringFile);

    // liblinphone's callbacks, forwarded by SipEngineListener from inside Core::iterate().
    void onGlobalState(linphone::GlobalState state);
    void onRegistrationState(const std::shared_ptr<linphone::Account> &account, linphone::RegistrationState state,
                             const std::string &message);
    void onCallState(const std::shared_ptr<linphone::Call> &call, linphone::Call::State state,
                     const std::string &message);
    void onAudioDevicesUpdated();

Q_SIGNALS:
    void started(quint16 udpPort, quint16 tcpPort, quint16 tlsPort);
    void startFailed(const QString &reason);
    void registrationChanged(const heartline::SipRegistration &registration);
    void incomingCall(const heartline::SipCallInfo &call);
    void outgoingCall(const heartline::SipCallInfo &call);
    void callStateChanged(const QString &callId, heartline::SipCallState state);
    void callEnded(const QString &callId, const heartline::SipCallEnd &end);
    void callStats(const QString &callId, const heartline::SipCallStats &stats);
    void audioDevicesChanged(const QList<heartline::SipAudioDevice> &devices,
                             const heartline::SipAudioDeviceSelection &selection);
    void errorOccurred(const QString &message);

private:
    void applyRingFile();
    void failStart(const QString &reason);
    void configureCore();
    [[nodiscard]] bool requireCore(const QString &action);
    [[nodiscard]] SipCallTable::Entry *requireCall(const QString &handle, const QString &action);
    [[nodiscard]] SipCallInfo callInfo(const QString &handle, const std::shared_ptr<linphone::Call> &call) const;
    void reportState(SipCallTable::Entry &entry, SipCallState state);
    void reportEnd(SipCallTable::Entry &entry, linphone::Call::State state, const std::string &message);
    void reportDevices(bool onlyIfChanged);
    void scanDevices();

    SipCoreConfig m_config;
    std::shared_ptr<linphone::Core> m_core;
    std::shared_ptr<SipEngineListener> m_listener;
    std::shared_ptr<linphone::Account> m_account;
    SipCallTable m_calls;
    /// The handle of the INVITE being placed: liblinphone reports its first states from inside
    /// inviteAddressWithParams(), before that call returns the Call.
    QString m_placingHandle;
    bool m_startReported = false;
    QList<SipAudioDevice> m_devices;
    SipAudioDeviceSelection m_selection;
    // Children, so that they move to the SIP thread with the engine.
    QTimer m_iterateTimer {this};
    QTimer m_startTimeout {this};
    QTimer m_deviceScan {this};
};

} // namespace heartline
