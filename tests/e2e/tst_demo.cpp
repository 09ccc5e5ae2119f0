// heartline-demo against the real heartline-server and heartline-twilio-sim processes, for a few
// seconds of real time: agents sign in, calls reach them, the summary says so, and the demo stops
// by itself with a last line. Then the pieces that need no time to pass: the summary's not-ready
// line, the fault plan's first fault, who takes a fault whose agent is on a call; and ./run demo
// (scripts/demo.sh) when one of its ports is taken.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include "AgentFleet.h"
#include "AgentTally.h"
#include "DemoDriver.h"
#include "protocol/SupervisorProtocol.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

const QString AccountSid = u"AC0000000000000000000000000000de00"_s;
const QString AuthToken = u"demo0auth0token0demo0auth0token0"_s;
constexpr int Agents = 6;

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

/// A loopback port bound and not listening, without SO_REUSEADDR: a connection attempt is refused (it
/// looks free from outside), yet no server can bind it. The way a port is taken between a check and a start.
class HeldPort
{
public:
    HeldPort()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), length) == 0
            && ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
            m_port = ntohs(address.sin_port);
    }
    ~HeldPort()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(HeldPort)

    [[nodiscard]] quint16 port() const { return m_port; }

private:
    int m_fd = -1;
    quint16 m_port = 0;
};

struct ScriptRun
{
    int exitCode = -1;
    QString output; ///< stdout and stderr
};

/// scripts/demo.sh on what is built already, in `dir`, with two agents, stopping by itself after a few seconds.
ScriptRun runDemoScript(const QString &dir, const QString &serverListen, const QString &simListen)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HEARTLINE_BUILD_DIR"_s, QStringLiteral(HEARTLINE_BUILD_DIR));
    env.insert(u"DEMO_BUILD"_s, u"0"_s);
    env.insert(u"DEMO_DIR"_s, dir);
    env.insert(u"DEMO_AGENTS"_s, u"2"_s);
    env.insert(u"DEMO_DURATION"_s, u"5"_s);
    env.insert(u"DEMO_SERVER_LISTEN"_s, serverListen);
    env.insert(u"DEMO_SIM_LISTEN"_s, simListen);
    env.remove(u"DISPLAY"_s); // no supervisor window from a test
    QProcess script;
    script.setProcessEnvironment(env);
    script.setProcessChannelMode(QProcess::MergedChannels);
    script.start(u"bash"_s, {QStringLiteral(HEARTLINE_SOURCE_DIR) + u"/scripts/demo.sh"_s});
    ScriptRun run;
    if (!script.waitForFinished(40'000)) {
        script.terminate(); // its trap stops what it started
        if (!script.waitForFinished(15'000))
            script.kill();
        script.waitForFinished();
        run.output = u"still running after 40 s: "_s;
    } else if (script.exitStatus() == QProcess::NormalExit) {
        run.exitCode = script.exitCode();
    }
    run.output += QString::fromUtf8(script.readAll());
    return run;
}

/// One agent as GET /api/agents shows it, through the protocol's own serialisation.
QJsonObject agentJson(const QString &id, AgentActivity activity, bool ready, QList<ReadinessGate> failedGates,
                      QList<ReadinessFactor> factors = {})
{
    AgentView view;
    view.agentId = id;
    view.activity = activity;
    view.readiness.ready = ready;
    view.readiness.failedGates = std::move(failedGates);
    view.readiness.factors = std::move(factors);
    return toJson(view);
}

FaultRecord planned(FaultKind kind, int agent, qint64 startMs, qint64 endMs)
{
    return FaultRecord {Fault {kind, agent, startMs, endMs}, -1, -1};
}

} // namespace

class TestDemo final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcess m_server;
    QProcess m_sim;
    QString m_serverUrl;
    QString m_simUrl;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TWILIO_ACCOUNT_SID"_s, AccountSid);
        env.insert(u"TWILIO_AUTH_TOKEN"_s, AuthToken);
        env.insert(u"TWILIO_API_BASE_URL"_s, m_simUrl);
        env.insert(u"PUBLIC_BASE_URL"_s, m_serverUrl);
        env.insert(u"PASSWORD_ITERATIONS"_s, u"1000"_s);
        env.insert(u"HEARTLINE_DEMO_SUPERVISOR_PASSWORD"_s, u"sup-password"_s);
        return env;
    }

    bool addUser(const QString &id, const QString &role, const QString &password)
    {
        QProcess cli;
        cli.setProcessEnvironment(environment());
        cli.start(QStringLiteral(HEARTLINE_SERVER_BINARY),
                  {u"--db"_s, m_dir.filePath(u"demo.db"_s), u"user"_s, u"add"_s, id, u"--role"_s, role});
        cli.write((password + u'\n').toUtf8());
        cli.closeWriteChannel();
        return cli.waitForFinished(10'000) && cli.exitCode() == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const quint16 serverPort = freePort();
        const quint16 simPort = freePort();
        m_serverUrl = u"http://127.0.0.1:%1"_s.arg(serverPort);
        m_simUrl = u"http://127.0.0.1:%1"_s.arg(simPort);
        for (int i = 1; i <= Agents; ++i) {
            const QString id = u"agent-%1"_s.arg(i, 4, 10, QChar(u'0'));
            QVERIFY2(addUser(id, u"agent"_s, AgentFleet::password(i - 1)), qPrintable(id));
        }
        QVERIFY(addUser(u"demo-supervisor"_s, u"supervisor"_s, u"sup-password"_s));

        m_server.setProcessEnvironment(environment());
        m_server.setProcessChannelMode(QProcess::MergedChannels);
        m_server.start(QStringLiteral(HEARTLINE_SERVER_BINARY),
                       {u"--listen"_s, u"127.0.0.1:%1"_s.arg(serverPort), u"--db"_s, m_dir.filePath(u"demo.db"_s)});
        m_sim.setProcessEnvironment(environment());
        m_sim.setProcessChannelMode(QProcess::MergedChannels);
        m_sim.start(QStringLiteral(HEARTLINE_TWILIO_SIM_BINARY),
                    {u"--listen"_s, u"127.0.0.1:%1"_s.arg(simPort), u"--account-sid"_s, AccountSid, u"--auth-token"_s,
                     AuthToken, u"--voice-url"_s, m_serverUrl + u"/twilio/voice/inbound"_s, u"--status-callback"_s,
                     m_serverUrl + u"/twilio/voice/status"_s});
        QVERIFY(m_server.waitForStarted());
        QVERIFY(m_sim.waitForStarted());
    }

    void cleanupTestCase()
    {
        for (QProcess *process : {&m_sim, &m_server}) {
            process->terminate();
            if (!process->waitForFinished(10'000))
                process->kill();
        }
    }

    void callsReachAgentsAndTheSummarySaysSo()
    {
        QProcess demo;
        demo.setProcessEnvironment(environment());
        demo.start(QStringLiteral(HEARTLINE_DEMO_BINARY),
                   {u"--server"_s, m_serverUrl, u"--sim"_s, m_simUrl, u"--agents"_s, QString::number(Agents),
                    u"--calls-per-minute"_s, u"30"_s, u"--burst-every"_s, u"0"_s, u"--fault-every"_s, u"4"_s,
                    u"--summary-every"_s, u"3"_s, u"--duration"_s, u"14"_s});
        QVERIFY(demo.waitForFinished(30'000));
        const QString output = QString::fromUtf8(demo.readAllStandardOutput());
        QVERIFY2(demo.exitStatus() == QProcess::NormalExit && demo.exitCode() == 0,
                 qPrintable(output + QString::fromUtf8(demo.readAllStandardError())));

        // The summary: what the server sees of the agents, and the calls.
        QVERIFY2(output.contains(u"agents   %1 (server's view)"_s.arg(Agents)), qPrintable(output));
        QVERIFY2(output.contains(u"routing  "_s), qPrintable(output));
        // Whenever the server holds agents back, the next line names them with its reason.
        static const QRegularExpression agentsLine(u"(\\d+) not ready\n(.*)\n"_s);
        for (auto it = agentsLine.globalMatch(output); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            if (match.captured(1).toInt() > 0)
                QVERIFY2(match.captured(2).startsWith(u"         not ready: agent-"_s), qPrintable(output));
        }
        // The last line: calls were placed and agents answered some of them.
        const QRegularExpressionMatch last
            = QRegularExpression(u"stopped after \\S+: calls placed (\\d+), bridged (\\d+)"_s).match(output);
        QVERIFY2(last.hasMatch(), qPrintable(output));
        QVERIFY(last.captured(1).toInt() >= 3);
        QVERIFY2(last.captured(2).toInt() >= 1, qPrintable(output));
    }

    void theSummaryNamesAgentsNotReadyWithTheServersReason()
    {
        const QJsonArray agents {
            agentJson(u"agent-0001"_s, AgentActivity::Idle, true, {}),
            agentJson(u"agent-0002"_s, AgentActivity::OnCall, false,
                      {{u"at_capacity"_s, u"already on 1 call (limit 1)"_s}}),
            // No gate failed: the score is what holds it back, and its lost points say why.
            agentJson(u"agent-0003"_s, AgentActivity::Idle, false, {},
                      {{u"heartbeat"_s, 40, 40, u"last heartbeat 2 s ago"_s},
                       {u"device"_s, 0, 30, u"no audio input device"_s}}),
            agentJson(u"agent-0004"_s, AgentActivity::Disconnected, false,
                      {{u"disconnected"_s, u"not connected to the server"_s},
                       {u"heartbeat_expired"_s, u"last heartbeat 95 s ago"_s}}),
            agentJson(u"agent-0005"_s, AgentActivity::WrapUp, false, {{u"wrap_up"_s, u"wrapping up"_s}}),
            agentJson(u"agent-0006"_s, AgentActivity::Ringing, false, {{u"reserved"_s, u"a call is ringing"_s}}),
        };
        const AgentTally tally = AgentTally::fromServer(agents);
        QCOMPARE(tally.total, 6);
        QCOMPARE(tally.ready, 1);
        QCOMPARE(tally.onCall, 1);
        QCOMPARE(tally.wrapUp, 1);
        QCOMPARE(tally.ringing, 1);
        QCOMPARE(tally.notReady.size(), 2);
        QCOMPARE(tally.notReadyText(91),
                 u"not ready: agent-0003 no audio input device, agent-0004 not connected to the server"_s);
        QCOMPARE(AgentTally::fromServer(QJsonArray {agents.at(0), agents.at(1)}).notReadyText(91), QString());
    }

    void aLongNotReadyListFitsOnOneLine()
    {
        QJsonArray agents;
        for (int i = 1; i <= 30; ++i) {
            agents.append(agentJson(
                u"agent-%1"_s.arg(i, 4, 10, QChar(u'0')), AgentActivity::Disconnected, false,
                {{u"no_session"_s, i == 1 ? u"status is away (%1)"_s.arg(QString(60, u'x')) : u"not logged in"_s}}));
        }
        const QString text = AgentTally::fromServer(agents).notReadyText(91);
        QVERIFY2(text.size() <= 91, qPrintable(text));
        // A wordy reason is cut short rather than crowding out everyone else.
        QVERIFY2(text.startsWith(u"not ready: agent-0001 status is away (xxx"_s), qPrintable(text));
        QVERIFY2(text.contains(u"…, agent-0002 not logged in"_s), qPrintable(text));
        // Those named and those counted are all 30.
        const QRegularExpressionMatch more = QRegularExpression(u", \\+(\\d+) more$"_s).match(text);
        QVERIFY2(more.hasMatch(), qPrintable(text));
        QCOMPARE(text.count(u"agent-"_s) + more.captured(1).toInt(), 30);
        // However narrow the line, the first agent is named.
        QVERIFY(AgentTally::fromServer(agents).notReadyText(10).startsWith(u"not ready: agent-0001 "_s));
    }

    void theFirstFaultComesWithinTwentySecondsWhateverTheSeed_data()
    {
        QTest::addColumn<int>("gapSeconds");
        QTest::newRow("default, a fault every 20 s") << 20;
        QTest::newRow("a fault every 5 min") << 300;
        QTest::newRow("a fault every 4 s") << 4;
    }
    void theFirstFaultComesWithinTwentySecondsWhateverTheSeed()
    {
        QFETCH(int, gapSeconds);
        DemoOptions options;
        options.faultGapMs = gapSeconds * 1000;
        const qint64 from = DemoDriver::scenario(options).faultsFromMs;
        const qint64 by = std::min(DemoDriver::FirstFaultByMs, from + options.faultGapMs);
        QVERIFY(by <= 20'000);
        qint64 earliest = by;
        qint64 latest = from;
        for (quint64 seed = 1; seed <= 200; ++seed) {
            options.seed = seed;
            const QList<Fault> faults = DemoDriver::plannedFaults(options);
            QVERIFY(!faults.isEmpty());
            const qint64 first = faults.first().startMs;
            QVERIFY2(first >= from && first <= by, qPrintable(u"seed %1: first fault at %2 ms"_s.arg(seed).arg(first)));
            earliest = std::min(earliest, first);
            latest = std::max(latest, first);
        }
        // Spread over its window, not one instant that happens to fit.
        QVERIFY2(latest - earliest > (by - from) / 2, qPrintable(u"%1 to %2 ms"_s.arg(earliest).arg(latest)));
    }

    void aFaultWhoseAgentIsOnACallGoesToAFreeAgent()
    {
        // Fault 0 is due now (t = 20 s) for agent 0, whose line is busy; it lasts 60 s.
        const QList<FaultRecord> faults {
            planned(FaultKind::WalkAway, 0, 20'000, 80'000),
            planned(FaultKind::HeadsetUnplugged, 2, 50'000, 90'000),     // agent 2: due before the walk-away would end
            planned(FaultKind::NetworkCut, 3, 200'000, 260'000),         // agent 3: due long after
            {Fault {FaultKind::AppCrash, 4, 5'000, 300'000}, 5'000, -1}, // agent 4: under way
        };
        const auto allBut = [](QList<int> busy) {
            return [busy](int agent) {
                return !busy.contains(agent);
            };
        };
        QCOMPARE(AgentFleet::standIn(faults, 0, 20'000, 6, allBut({1})), 3);
        QCOMPARE(AgentFleet::standIn(faults, 0, 20'000, 6, allBut({1, 3})), 5);
        QCOMPARE(AgentFleet::standIn(faults, 0, 20'000, 6, allBut({1, 3, 5})), -1);
        // Agent 3's fault is due 180 s after now: a fault of 200 s would still be going.
        QList<FaultRecord> longer = faults;
        longer[0].fault.endMs = 220'000;
        QCOMPARE(AgentFleet::standIn(longer, 0, 20'000, 6, allBut({1})), 5);
        // Round the fleet: agent 5's fault may go to agent 0.
        const QList<FaultRecord> last {planned(FaultKind::Sleep, 5, 20'000, 80'000)};
        QCOMPARE(AgentFleet::standIn(last, 0, 20'000, 6, allBut({})), 0);
    }

    void aPortInUseStopsTheDemoBeforeItStarts_data()
    {
        QTest::addColumn<bool>("serverPortTaken");
        QTest::newRow("server port") << true;
        QTest::newRow("stand-in port") << false;
    }
    void aPortInUseStopsTheDemoBeforeItStarts()
    {
        // Another ./run on the port would answer the demo's /healthz and refuse its supervisor: the
        // demo must say the port is taken rather than talk to it.
        QFETCH(bool, serverPortTaken);
        QTemporaryDir dir;
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        const QString taken = u"127.0.0.1:%1"_s.arg(occupant.serverPort());
        const QString free = u"127.0.0.1:%1"_s.arg(freePort());
        const ScriptRun run
            = serverPortTaken ? runDemoScript(dir.path(), taken, free) : runDemoScript(dir.path(), free, taken);
        QVERIFY2(run.exitCode == 1, qPrintable(run.output));
        QVERIFY2(run.output.contains(taken + u" is already in use"_s), qPrintable(run.output));
        QVERIFY2(run.output.contains(serverPortTaken ? u"DEMO_SERVER_LISTEN="_s : u"DEMO_SIM_LISTEN="_s),
                 qPrintable(run.output));
        QVERIFY2(!run.output.contains(u"cannot sign in"_s), qPrintable(run.output));
        QVERIFY2(!QFile::exists(dir.filePath(u"heartline.db"_s)), "nothing is started");
    }

    void aServerThatCannotListenStopsTheDemoWithItsReason()
    {
        // The port looks free to the script's check, then the server cannot bind it: the demo notices
        // that its server ended and shows the server's own last words.
        QTemporaryDir dir;
        const HeldPort held;
        QVERIFY(held.port() != 0);
        const QString taken = u"127.0.0.1:%1"_s.arg(held.port());
        const ScriptRun run = runDemoScript(dir.path(), taken, u"127.0.0.1:%1"_s.arg(freePort()));
        QVERIFY2(run.exitCode == 1, qPrintable(run.output));
        QVERIFY2(run.output.contains(u"heartline-server (%1) stopped before it listened"_s.arg(taken)),
                 qPrintable(run.output));
        QVERIFY2(run.output.contains(u"cannot listen on %1: the port is already in use"_s.arg(taken)),
                 qPrintable(run.output));
        QVERIFY2(run.output.contains(u"DEMO_SERVER_LISTEN="_s), qPrintable(run.output));
        QVERIFY2(!run.output.contains(u"heartline-demo:"_s), qPrintable(run.output));
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
