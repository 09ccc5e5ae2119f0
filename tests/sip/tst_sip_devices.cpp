// SipCore's sound devices on a desktop's sound server: a PulseAudio of the test's own whose
// devices exist in software only (a headset, speakers plugged in and out). What is checked is
// what an agent notices: the devices listed, a device plugged or unplugged seen, the ring on the
// ringer device while the call itself goes to the headset.

#include <QTest>

#include "PulseAudioServer.h"
#include "SipPeer.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString Headset = u"PulseAudio Unknown: Headset"_s;
const QString HeadsetMic = u"PulseAudio Unknown: HeadsetMic"_s;
const QString Speakers = u"PulseAudio Unknown: Speakers"_s;

std::optional<SipAudioDevice> findDevice(const QList<SipAudioDevice> &devices, const QString &id)
{
    for (const SipAudioDevice &device : devices) {
        if (device.id == id)
            return device;
    }
    return std::nullopt;
}

} // namespace

class TestSipDevices final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        QVERIFY2(m_pulse.start(), qPrintable(m_pulse.error()));
        m_ring = m_home.filePath(u"ring.wav"_s);
        QVERIFY(WavAudio::tone(880, 1000, 16000).write(m_ring));
    }

    void listsTheHeadset()
    {
        SipPeer agent(u"agent"_s);
        QVERIFY2(agent.start(deviceConfig(agent)), qPrintable(agent.errors.join(u'\n')));
        QTRY_VERIFY_WITH_TIMEOUT(!agent.deviceLists.isEmpty(), SipWaitMs);
        const auto headset = findDevice(agent.deviceLists.last(), Headset);
        QVERIFY(headset);
        QCOMPARE(headset->name, u"Headset"_s);
        QCOMPARE(headset->driver, u"PulseAudio"_s);
        QVERIFY(headset->canPlay);
        QVERIFY(!headset->canCapture);
        const auto microphone = findDevice(agent.deviceLists.last(), HeadsetMic);
        QVERIFY(microphone);
        QVERIFY(microphone->canCapture);
        QVERIFY(!findDevice(agent.deviceLists.last(), Speakers));
    }

    void seesADevicePluggedAndUnplugged()
    {
        SipPeer agent(u"agent"_s);
        QVERIFY(agent.start(deviceConfig(agent)));
        QTRY_VERIFY_WITH_TIMEOUT(!agent.deviceLists.isEmpty(), SipWaitMs);

        const int speakers = m_pulse.plugSpeaker(u"Speakers"_s);
        QVERIFY(speakers >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(findDevice(agent.deviceLists.last(), Speakers), SipWaitMs);
        QVERIFY(findDevice(agent.deviceLists.last(), Speakers)->canPlay);

        QVERIFY(m_pulse.unplug(speakers));
        QTRY_VERIFY_WITH_TIMEOUT(!findDevice(agent.deviceLists.last(), Speakers), SipWaitMs);
        QVERIFY(findDevice(agent.deviceLists.last(), Headset)); // the rest is still there
    }

    void ringsOnTheRingerAndTalksOnTheHeadset()
    {
        KamailioProcess domain;
        QVERIFY2(startDomain(domain, domainOptions()), qPrintable(domain.errorString()));
        QVERIFY(domain.credentials().setPassword(u"alice"_s, u"device-Password-1"_s));
        const int speakers = m_pulse.plugSpeaker(u"Speakers"_s);
        QVERIFY(speakers >= 0);
        const auto unplug = qScopeGuard([&] { m_pulse.unplug(speakers); });

        SipPeer agent(u"agent"_s);
        QVERIFY(agent.start(deviceConfig(agent)));
        QTRY_VERIFY_WITH_TIMEOUT(!agent.deviceLists.isEmpty() && findDevice(agent.deviceLists.last(), Speakers),
                                 SipWaitMs);
        const SipAudioDeviceSelection chosen {HeadsetMic, Headset, Speakers};
        agent.core.selectAudioDevices(chosen);
        QTRY_COMPARE_WITH_TIMEOUT(agent.selections.last(), chosen, SipWaitMs);
        QCOMPARE(agent.registerAccount(SipPeer::account(domain, u"alice"_s, u"device-Password-1"_s)).state,
                 SipRegistrationState::Registered);

        SipPeer caller(u"caller"_s);
        QVERIFY(caller.start(caller.config(voiceFile(QStringLiteral(HEARTLINE_CALLER_WAV), caller.folder(), 660))));
        SipAccount callerAccount = SipPeer::account(domain, u"caller"_s, {});
        callerAccount.registerEnabled = false;
        caller.core.registerAccount(callerAccount);
        QVERIFY(m_pulse.sinksInUse().isEmpty());

        const QString callId = caller.core.call(u"sip:alice@example.sip.twilio.com"_s);
        const auto offered = agent.waitIncoming();
        QVERIFY(offered);
        QTRY_COMPARE_WITH_TIMEOUT(m_pulse.sinksInUse(), QStringList {u"speakers"_s}, SipWaitMs);

        agent.core.accept(offered->callId);
        QVERIFY(agent.waitState(offered->callId, SipCallState::Connected));
        QTRY_COMPARE_WITH_TIMEOUT(m_pulse.sinksInUse(), QStringList {u"headset"_s}, SipWaitMs);

        caller.core.hangup(callId);
        QVERIFY(agent.waitEnd(offered->callId));
        QTRY_VERIFY_WITH_TIMEOUT(m_pulse.sinksInUse().isEmpty(), SipWaitMs);
    }

    void refusesADeviceForWhatItCannotDo()
    {
        SipPeer agent(u"agent"_s);
        QVERIFY(agent.start(deviceConfig(agent)));
        QTRY_VERIFY_WITH_TIMEOUT(!agent.selections.isEmpty(), SipWaitMs);
        const SipAudioDeviceSelection before = agent.selections.last();

        agent.core.selectAudioDevices({Headset, {}, {}});
        QTRY_COMPARE_WITH_TIMEOUT(agent.errors.size(), 1, SipWaitMs);
        QCOMPARE(agent.errors.last(), u"cannot use \"%1\" as the microphone: it cannot record"_s.arg(Headset));
        agent.core.selectAudioDevices({{}, HeadsetMic, {}});
        QTRY_COMPARE_WITH_TIMEOUT(agent.errors.size(), 2, SipWaitMs);
        QCOMPARE(agent.errors.last(), u"cannot use \"%1\" as the speaker: it cannot play"_s.arg(HeadsetMic));

        const qsizetype reports = agent.selections.size();
        agent.core.requestAudioDevices();
        QTRY_VERIFY_WITH_TIMEOUT(agent.selections.size() > reports, SipWaitMs);
        QCOMPARE(agent.selections.last(), before); // nothing changed
    }

private:
    SipCoreConfig deviceConfig(const SipPeer &peer) const
    {
        SipCoreConfig config = peer.config({});
        config.useAudioFiles = false;
        config.recordFile.clear();
        config.ringFile = m_ring;
        config.deviceScanIntervalMs = 200;
        return config;
    }

    QTemporaryDir m_home;
    PulseAudioServer m_pulse;
    QString m_ring;
};

QTEST_GUILESS_MAIN(TestSipDevices)
#include "tst_sip_devices.moc"
