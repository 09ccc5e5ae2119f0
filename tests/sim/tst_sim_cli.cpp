// The heartline-twilio-sim executable: its start-up line, refused options, and the subcommands
// that control a running stand-in. Real processes over real loopback sockets; the test's webhook
// server answers while the test waits, so every wait spins the event loop.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "SimFixture.h"

using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int WaitLimitMs = 15'000;

QString binary()
{
    return QStringLiteral(HEARTLINE_TWILIO_SIM_BINARY);
}

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

/// Runs a short command to completion while the event loop keeps turning.
Run runCommand(const QStringList &arguments)
{
    QProcess process;
    process.start(binary(), arguments);
    Run run;
    if (!process.waitForStarted(WaitLimitMs))
        return run;
    if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, WaitLimitMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

/// The stand-in as a separate process on a free port.
class SimProcess
{
public:
    ~SimProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
            m_process.waitForFinished();
        }
    }

    bool start(const QStringList &arguments)
    {
        m_process.start(binary(), arguments);
        if (!m_process.waitForStarted(WaitLimitMs))
            return false;
        static const QRegularExpression line(u"heartline-twilio-sim listening on (http://\\S+)"_s);
        const bool found = QTest::qWaitFor(
            [&] {
                m_output += QString::fromUtf8(m_process.readAllStandardOutput());
                const QRegularExpressionMatch match = line.match(m_output);
                if (match.hasMatch())
                    m_url = match.captured(1);
                return !m_url.isEmpty() || m_process.state() == QProcess::NotRunning;
            },
            WaitLimitMs);
        return found && !m_url.isEmpty();
    }
    [[nodiscard]] QString url() const { return m_url; }
    [[nodiscard]] QString output() const { return m_output; }
    /// The output so far, including what arrived since the last look.
    QString readOutput()
    {
        m_output += QString::fromUtf8(m_process.readAllStandardOutput());
        return m_output;
    }

private:
    QProcess m_process;
    QString m_output;
    QString m_url;
};

QStringList simArguments(const WebhookServer &hooks)
{
    return {u"--listen"_s, u"127.0.0.1:0"_s, u"--account-sid"_s,     SimAccountSid,          u"--auth-token"_s,
            SimAuthToken,  u"--voice-url"_s, hooks.url(u"/voice"_s), u"--status-callback"_s, hooks.url(u"/status"_s)};
}

bool acceptsTcp(quint16 port)
{
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, port);
    return probe.waitForConnected(1000);
}

QJsonObject json(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

} // namespace

class TestSimCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
            qunsetenv(name);
    }

    void placesListsAndHangsUpCallsFromTheCommandLine()
    {
        WebhookServer hooks;
        QVERIFY(hooks.start());
        hooks.twiml.insert(u"/voice"_s, response("<Say>Please hold</Say><Pause length=\"600\"/>"));
        SimProcess sim;
        QVERIFY2(sim.start(simArguments(hooks)), qPrintable(sim.output()));
        QVERIFY(sim.url().startsWith(u"http://127.0.0.1:"_s));

        const Run placed = runCommand({u"call"_s, u"--sim"_s, sim.url(), u"--to"_s, u"+15558675310"_s, u"--from"_s,
                                       u"+15017122661"_s, u"--count"_s, u"2"_s});
        QCOMPARE(placed.exitCode, 0);
        const QJsonArray sids = json(placed.out).value(u"callSids"_s).toArray();
        QCOMPARE(sids.size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(hooks.count(u"/voice"_s), 2, WaitLimitMs);
        QCOMPARE(hooks.at(u"/voice"_s).first().param(u"From"_s), u"+15017122661"_s);
        QVERIFY(hooks.allSignaturesValid());

        const QString sid = sids.at(0).toString();
        QTRY_VERIFY_WITH_TIMEOUT(
            json(runCommand({u"calls"_s, u"--sim"_s, sim.url()}).out).value(u"calls"_s).toArray().size() == 2,
            WaitLimitMs);
        QTRY_VERIFY_WITH_TIMEOUT(runCommand({u"events"_s, u"--sim"_s, sim.url(), sid}).out.contains(u"Please hold"_s),
                                 WaitLimitMs);

        const Run hungUp = runCommand({u"hangup"_s, u"--sim"_s, sim.url(), sid});
        QCOMPARE(hungUp.exitCode, 0);
        QCOMPARE(json(hungUp.out).value(u"status"_s).toString(), u"completed"_s);
        // initiated, ringing, answered of both calls, and completed of this one.
        QTRY_COMPARE_WITH_TIMEOUT(hooks.count(u"/status"_s), 7, WaitLimitMs);
        QCOMPARE(hooks.at(u"/status"_s).last().param(u"CallSid"_s), sid);
        QCOMPARE(hooks.at(u"/status"_s).last().param(u"CallStatus"_s), u"completed"_s);

        const Run again = runCommand({u"hangup"_s, u"--sim"_s, sim.url(), sid});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains(u"HTTP 409"_s));
        const QJsonArray live = json(runCommand({u"calls"_s, u"--sim"_s, sim.url()}).out).value(u"calls"_s).toArray();
        QCOMPARE(live.size(), 1);
        const QJsonArray all
            = json(runCommand({u"calls"_s, u"--sim"_s, sim.url(), u"--all"_s}).out).value(u"calls"_s).toArray();
        QCOMPARE(all.size(), 2);
        QCOMPARE(runCommand({u"queues"_s, u"--sim"_s, sim.url()}).exitCode, 0);
    }

    void refusesBadCommandLines_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QStringList good {u"--listen"_s,     u"127.0.0.1:0"_s, u"--account-sid"_s, SimAccountSid,
                                u"--auth-token"_s, u"t"_s,           u"--voice-url"_s,   u"http://127.0.0.1:9/voice"_s};
        QTest::newRow("no account") << QStringList {u"--auth-token"_s, u"t"_s, u"--voice-url"_s, u"http://x/v"_s} << 2
                                    << u"--account-sid"_s;
        QStringList badSid = good;
        badSid[3] = u"AC123"_s;
        QTest::newRow("short account SID") << badSid << 2 << u"--account-sid"_s;
        QStringList badUrl = good;
        badUrl[7] = u"voice.example.com"_s;
        QTest::newRow("voice URL without scheme") << badUrl << 2 << u"--voice-url"_s;
        QStringList badListen = good;
        badListen[1] = u"nowhere"_s;
        QTest::newRow("bad listen") << badListen << 2 << u"--listen"_s;
        QTest::newRow("key without secret")
            << QStringList(good) + QStringList {u"--api-key-sid"_s, u"SK1"_s} << 2 << u"--api-key-secret"_s;
        QTest::newRow("call without --sim") << QStringList {u"call"_s, u"--to"_s, u"+1555"_s} << 2 << u"--sim"_s;
        QTest::newRow("call without --to")
            << QStringList {u"call"_s, u"--sim"_s, u"http://127.0.0.1:9"_s} << 2 << u"--to"_s;
        QTest::newRow("hangup without SID")
            << QStringList {u"hangup"_s, u"--sim"_s, u"http://127.0.0.1:9"_s} << 2 << u"CallSid"_s;
        QTest::newRow("TLS certificate without its key") << QStringList(good)
                + QStringList {u"--sip-domain"_s, u"d.sip.twilio.com"_s, u"--sip-tls-cert"_s, u"c.pem"_s}
                                                         << 2 << u"--sip-tls-key"_s;
        QTest::newRow("bad SIP listen") << QStringList(good)
                + QStringList {u"--sip-domain"_s, u"d.sip.twilio.com"_s, u"--sip-listen"_s, u"x"_s}
                                        << 2 << u"--sip-listen"_s;
        QTest::newRow("no stand-in there")
            << QStringList {u"calls"_s, u"--sim"_s, u"http://127.0.0.1:1"_s} << 1 << u"refused"_s;
    }

    void refusesBadCommandLines()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run run = runCommand(arguments);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message, Qt::CaseInsensitive), qPrintable(run.err));
    }

    void runsItsSipDomainUntilItStops()
    {
        // With --sip-domain the stand-in starts Kamailio on a free port and prints where, as it
        // prints its HTTP address; Kamailio goes when the stand-in does.
        WebhookServer hooks;
        QVERIFY(hooks.start());
        quint16 sipPort = 0;
        {
            SimProcess sim;
            QVERIFY(sim.start(simArguments(hooks) + QStringList {u"--sip-domain"_s, u"cli.sip.twilio.com"_s}));
            static const QRegularExpression line(
                u"heartline-twilio-sim SIP domain cli.sip.twilio.com on sip:127.0.0.1:(\\d+)"_s);
            QTRY_VERIFY_WITH_TIMEOUT(line.match(sim.readOutput()).hasMatch(), WaitLimitMs);
            sipPort = quint16(line.match(sim.output()).captured(1).toUInt());
            QVERIFY(sipPort != 0);
            QVERIFY(acceptsTcp(sipPort));
        } // SIGTERM
        QTRY_VERIFY_WITH_TIMEOUT(!acceptsTcp(sipPort), WaitLimitMs);
    }

    void saysWhenItsPortIsTaken()
    {
        // Another program on the port: the stand-in exits at once and says so, rather than a bare
        // "cannot listen" that leaves the operator guessing.
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        const QString taken = u"127.0.0.1:%1"_s.arg(occupant.serverPort());
        const Run run = runCommand({u"--listen"_s, taken, u"--account-sid"_s, SimAccountSid, u"--auth-token"_s, u"t"_s,
                                    u"--voice-url"_s, u"http://127.0.0.1:9/voice"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(taken + u": the port is already in use"_s), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestSimCli)
#include "tst_sim_cli.moc"
