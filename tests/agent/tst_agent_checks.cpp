// The device check's verdicts and words: each measurement turns into green, amber or red with
// the fix an agent can act on; and the status and time words the window shows.

#include <QTest>

#include "devices/DeviceChecks.h"
#include "ui/StatusText.h"

using namespace heartline;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(heartline::CheckState)

namespace {

CheckInputs healthy()
{
    CheckInputs inputs;
    inputs.audio.audioInput = true;
    inputs.audio.audioInputName = u"Headset mic"_s;
    inputs.audio.audioOutput = true;
    inputs.audio.audioOutputName = u"Headset"_s;
    inputs.connection = ConnectionState::Live;
    inputs.voice = VoiceRegistration::Registered;
    inputs.roundTripMs = 40;
    return inputs;
}

CheckItem item(const QList<CheckItem> &items, const QString &id)
{
    for (const CheckItem &i : items) {
        if (i.id == id)
            return i;
    }
    return {};
}

} // namespace

class TestAgentChecks final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allGreen()
    {
        const QList<CheckItem> items = DeviceChecks::evaluate(healthy());
        QCOMPARE(items.size(), 5);
        QVERIFY(DeviceChecks::allPass(items));
        QCOMPARE(item(items, u"microphone"_s).detail, u"Headset mic"_s);
        for (const CheckItem &i : items)
            QVERIFY2(i.fix.isEmpty(), qPrintable(i.id));
    }

    void verdicts_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("id");
        QTest::addColumn<CheckState>("state");
        QTest::addColumn<QString>("fix");
        QTest::newRow("no microphone") << u"no-input"_s << u"microphone"_s << CheckState::Fail
                                       << u"Plug in a headset."_s;
        QTest::newRow("no speakers") << u"no-output"_s << u"speaker"_s << CheckState::Fail << u"Plug in a headset."_s;
        QTest::newRow("voice not set up")
            << u"voice-none"_s << u"voice"_s << CheckState::Fail << u"Enter the voice server address in Settings."_s;
        QTest::newRow("voice refused") << u"voice-failed"_s << u"voice"_s << CheckState::Fail
                                       << u"Check the voice server address in Settings, or ask your supervisor."_s;
        QTest::newRow("server lost") << u"reconnecting"_s << u"server"_s << CheckState::Fail
                                     << u"Check your network cable or Wi-Fi. The app reconnects by itself."_s;
        QTest::newRow("basic mode") << u"http"_s << u"server"_s << CheckState::Warn
                                    << u"Ask your IT team to allow WebSocket connections to the Heartline server."_s;
        QTest::newRow("good round trip edge") << u"rtt-150"_s << u"network"_s << CheckState::Pass << QString();
        QTest::newRow("slowish round trip") << u"rtt-151"_s << u"network"_s << CheckState::Warn
                                            << u"Use a cable instead of Wi-Fi if you can, and pause large downloads "
                                               "or videos."_s;
        QTest::newRow("bad round trip") << u"rtt-600"_s << u"network"_s << CheckState::Fail
                                        << u"Use a cable instead of Wi-Fi, pause large downloads or videos, or tell "
                                           "your IT team."_s;
        QTest::newRow("round trip unknown") << u"rtt-none"_s << u"network"_s << CheckState::Unknown << QString();
    }
    void verdicts()
    {
        QFETCH(QString, change);
        QFETCH(QString, id);
        QFETCH(CheckState, state);
        QFETCH(QString, fix);
        CheckInputs inputs = healthy();
        if (change == u"no-input"_s)
            inputs.audio.audioInput = false;
        else if (change == u"no-output"_s)
            inputs.audio.audioOutput = false;
        else if (change == u"voice-none"_s)
            inputs.voice = VoiceRegistration::NotConfigured;
        else if (change == u"voice-failed"_s) {
            inputs.voice = VoiceRegistration::Failed;
            inputs.voiceError = u"no token"_s;
        } else if (change == u"reconnecting"_s) {
            inputs.connection = ConnectionState::Reconnecting;
            inputs.reconnectInSeconds = 4;
        } else if (change == u"http"_s)
            inputs.connection = ConnectionState::HttpOnly;
        else if (change == u"rtt-none"_s)
            inputs.roundTripMs.reset();
        else if (change.startsWith(u"rtt-"_s))
            inputs.roundTripMs = change.mid(4).toDouble();

        const QList<CheckItem> items = DeviceChecks::evaluate(inputs);
        const CheckItem checked = item(items, id);
        QCOMPARE(checked.state, state);
        QCOMPARE(checked.fix, fix);
        QVERIFY(!DeviceChecks::allPass(items) || state == CheckState::Pass);
        // Only the changed check moves.
        for (const CheckItem &other : items) {
            if (other.id != id)
                QCOMPARE(other.state, CheckState::Pass);
        }
    }

    void reconnectCountdownIsInTheDetail()
    {
        CheckInputs inputs = healthy();
        inputs.connection = ConnectionState::Reconnecting;
        inputs.reconnectInSeconds = 4;
        QCOMPARE(item(DeviceChecks::evaluate(inputs), u"server"_s).detail, u"Not connected. Trying again in 4 s."_s);
    }

    void words_data()
    {
        QTest::addColumn<QString>("actual");
        QTest::addColumn<QString>("expected");
        QTest::newRow("reconnecting") << StatusText::connection(ConnectionState::Reconnecting, 4)
                                      << u"Reconnecting in 4 s…"_s;
        QTest::newRow("reconnecting now")
            << StatusText::connection(ConnectionState::Reconnecting, 0) << u"Reconnecting…"_s;
        QTest::newRow("basic mode") << StatusText::connection(ConnectionState::HttpOnly, 0)
                                    << u"Connected in basic mode"_s;
        QTest::newRow("away lunch") << StatusText::statusWithReason(AgentStatus::Away, u"lunch"_s) << u"Away · Lunch"_s;
        QTest::newRow("away no-answer") << StatusText::statusWithReason(AgentStatus::Away, u"no-answer"_s)
                                        << u"Away · Missed calls"_s;
        QTest::newRow("away other") << StatusText::statusWithReason(AgentStatus::Away, u"coaching"_s)
                                    << u"Away · Coaching"_s;
        QTest::newRow("away without reason") << StatusText::statusWithReason(AgentStatus::Away, {}) << u"Away"_s;
        QTest::newRow("available ignores reason")
            << StatusText::statusWithReason(AgentStatus::Available, u"lunch"_s) << u"Available"_s;
        QTest::newRow("zero") << StatusText::duration(0) << u"00:00"_s;
        QTest::newRow("minute") << StatusText::duration(65) << u"01:05"_s;
        QTest::newRow("hour") << StatusText::duration(3725) << u"1:02:05"_s;
        QTest::newRow("negative") << StatusText::duration(-5) << u"00:00"_s;
    }
    void words()
    {
        QFETCH(QString, actual);
        QFETCH(QString, expected);
        QCOMPARE(actual, expected);
    }
};

QTEST_APPLESS_MAIN(TestAgentChecks)
#include "tst_agent_checks.moc"
