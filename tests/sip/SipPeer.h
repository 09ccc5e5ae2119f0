#pragma once

#include <functional>
#include <optional>

#include <QElapsedTimer>
#include <QHash>
#include <QTemporaryDir>
#include <QTest>

#include "SipDomainFixture.h"
#include "sip/SipCore.h"
#include "sip/WavAudio.h"

namespace heartline::test {

/// One SIP user agent for a test: a SipCore in a temporary folder of its own, sending a WAV file
/// and recording what it receives, with everything it reports kept for the test to look at.
/// The wait functions return as soon as the awaited report is there (SipWaitMs at most).
class SipPeer final
{
    // First, so that they go last: the core must stop before its folder (its databases, its
    // recording) is removed underneath it.
    QString m_name;
    QTemporaryDir m_folder;

public:
    explicit SipPeer(const QString &name) : m_name(name)
    {
        QObject::connect(&core, &SipCore::registrationChanged, &core,
                         [this](const SipRegistration &registration) { registrations.append(registration); });
        QObject::connect(&core, &SipCore::incomingCall, &core,
                         [this](const SipCallInfo &call) { incoming.append(call); });
        QObject::connect(&core, &SipCore::outgoingCall, &core,
                         [this](const SipCallInfo &call) { outgoing.insert(call.callId, call); });
        QObject::connect(&core, &SipCore::callStateChanged, &core,
                         [this](const QString &callId, SipCallState state) { states[callId].append(state); });
        QObject::connect(&core, &SipCore::callEnded, &core,
                         [this](const QString &callId, const SipCallEnd &end) { ends.insert(callId, end); });
        QObject::connect(
            &core, &SipCore::callStats, &core,
            [this](const QString &callId, const SipCallStats &callStats) { stats.insert(callId, callStats); });
        QObject::connect(&core, &SipCore::audioDevicesChanged, &core,
                         [this](const QList<SipAudioDevice> &devices, const SipAudioDeviceSelection &selection) {
                             deviceLists.append(devices);
                             selections.append(selection);
                         });
        QObject::connect(&core, &SipCore::errorOccurred, &core,
                         [this](const QString &message) { errors.append(message); });
        QObject::connect(&core, &SipCore::startFailed, &core, [this](const QString &reason) { errors.append(reason); });
    }

    /// Audio from `playFile` to recordFile(), UDP and TCP on free ports.
    [[nodiscard]] SipCoreConfig config(const QString &playFile) const
    {
        SipCoreConfig config;
        config.folder = m_folder.filePath(QStringLiteral("core"));
        config.userAgent = QStringLiteral("heartline-test-") + m_name;
        config.useAudioFiles = true;
        config.playFile = playFile;
        config.recordFile = recordFile();
        return config;
    }

    bool start(const SipCoreConfig &config)
    {
        core.start(config);
        return QTest::qWaitFor([this] { return core.isStarted() || !errors.isEmpty(); }, SipWaitMs) && core.isStarted();
    }

    [[nodiscard]] QString recordFile() const { return m_folder.filePath(QStringLiteral("received.wav")); }
    [[nodiscard]] QString folder() const { return m_folder.path(); }

    /// An account at `domain`'s proxy over `transport` (TLS: by the certificate's host name).
    [[nodiscard]] static SipAccount account(const KamailioProcess &domain, const QString &username,
                                            const QString &password, SipTransport transport = SipTransport::Tcp)
    {
        SipAccount account;
        account.username = username;
        account.password = password;
        account.domain = domain.options().sipDomain;
        account.proxy = domain.proxyUri(transport == SipTransport::Tls);
        account.transport = transport;
        account.expirySeconds = 300;
        return account;
    }

    /// Registers and waits for the outcome (Registered, Failed or Cleared); None when none came.
    SipRegistration registerAccount(const SipAccount &account)
    {
        const qsizetype before = registrations.size();
        core.registerAccount(account);
        return waitRegistration(before);
    }

    SipRegistration unregisterAccount()
    {
        const qsizetype before = registrations.size();
        core.unregisterAccount();
        return waitRegistration(before);
    }

    /// The first call offered after `count` earlier ones.
    std::optional<SipCallInfo> waitIncoming(qsizetype count = 0)
    {
        if (!QTest::qWaitFor([&] { return incoming.size() > count; }, SipWaitMs))
            return std::nullopt;
        return incoming.at(count);
    }

    bool waitState(const QString &callId, SipCallState state)
    {
        return QTest::qWaitFor([&] { return states.value(callId).contains(state); }, SipWaitMs);
    }

    std::optional<SipCallEnd> waitEnd(const QString &callId)
    {
        if (!QTest::qWaitFor([&] { return ends.contains(callId); }, SipWaitMs))
            return std::nullopt;
        return ends.value(callId);
    }

    /// Asks for the call's statistics (every 100 ms) until `enough` holds for them; the last
    /// figures received, or nullopt when none came.
    std::optional<SipCallStats> waitStats(const QString &callId,
                                          const std::function<bool(const SipCallStats &)> &enough)
    {
        std::optional<SipCallStats> last;
        bool asked = false;
        QElapsedTimer sinceAsked;
        const bool done = QTest::qWaitFor(
            [&] {
                if (stats.contains(callId)) {
                    last = stats.take(callId);
                    asked = false;
                    if (enough(*last))
                        return true;
                }
                if (!asked && (!sinceAsked.isValid() || sinceAsked.elapsed() >= 100)) {
                    core.requestCallStats(callId);
                    asked = true;
                    sinceAsked.start();
                }
                return ends.contains(callId);
            },
            SipWaitMs);
        Q_UNUSED(done); // the caller checks the figures it got
        return last;
    }

    SipCore core;
    QList<SipRegistration> registrations;
    QList<SipCallInfo> incoming;
    QHash<QString, SipCallInfo> outgoing;
    QHash<QString, QList<SipCallState>> states;
    QHash<QString, SipCallEnd> ends;
    QHash<QString, SipCallStats> stats;
    QList<QList<SipAudioDevice>> deviceLists;
    QList<SipAudioDeviceSelection> selections;
    QStringList errors;

private:
    SipRegistration waitRegistration(qsizetype before)
    {
        const auto settled = [&] {
            for (qsizetype i = before; i < registrations.size(); ++i) {
                if (registrations.at(i).state != SipRegistrationState::Progress)
                    return true;
            }
            return false;
        };
        if (!QTest::qWaitFor(settled, SipWaitMs))
            return {};
        for (qsizetype i = before; i < registrations.size(); ++i) {
            if (registrations.at(i).state != SipRegistrationState::Progress)
                return registrations.at(i);
        }
        return {};
    }
};

/// The speech a side sends: the sentence espeak-ng spoke at build time, or (espeak-ng unusable
/// on the build machine) a tone written into `folder`.
inline QString voiceFile(const QString &builtFile, const QString &folder, double toneHz)
{
    if (!builtFile.isEmpty())
        return builtFile;
    const QString path = folder + QStringLiteral("/tone-") + QString::number(int(toneHz)) + QStringLiteral(".wav");
    WavAudio::tone(toneHz, 4000, 16000).write(path);
    return path;
}

} // namespace heartline::test
