// The agent app at rest: the real heartline-agent, signed in and available, with no call, measured
// from /proc for fixed windows: CPU (utime + stime of all its threads) as a percentage of one core,
// and resident memory (VmRSS, and VmHWM, its peak so far).
//
// Two runs of the same binary, one after the other, each against a server and stand-in of its own:
//   baseline  heartline-server without SIP_DOMAIN: the app keeps only its server session (WebSocket,
//             heartbeats) and runs no SIP Core;
//   sip       heartline-server with SIP_DOMAIN and heartline-twilio-sim playing Twilio's SIP domain
//             over TLS (Kamailio): the app's softphone (liblinphone's Core) is registered, as the
//             server sees it (devices.voiceRegistered, voiceLine sip).
// The difference between them is what the SIP Core costs at rest. Goals: under 1 % of a
// core and under 80 MB resident with the SIP Core running.
//
// Usage: bench_agent_idle [--windows 3] [--window-seconds 10] [--settle-seconds 5]
// Exits 1 when something does not start (or on SIGINT/SIGTERM, once every process it started is
// stopped), 3 when a goal is missed.

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include <sys/prctl.h>
#include <unistd.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include "FreePort.h"
#include "HttpTestClient.h"
#include "MachineInfo.h"
#include "ServerProcess.h"
#include "StandInProcess.h"
#include "Statistics.h"
#include "TestCertificates.h"

using namespace heartline;
using namespace heartline::bench;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int StartLimitMs = 30'000; // a process that never gets there, never a measured figure
constexpr double CpuGoalPercent = 1.0;
constexpr double RssGoalMiB = 80e6 / (1024.0 * 1024.0); // 80 MB
const QString Domain = u"heartline.test"_s;
const QString AccountSid = u"AC"_s + QString(32, u'2');
const QString AuthToken = u"bench0idle0auth0token0bench0idle"_s;

/// Set by SIGINT or SIGTERM: the run stops at the next check and every process it started is stopped.
volatile std::sig_atomic_t interrupted = 0;

void onInterrupt(int)
{
    interrupted = 1;
}

/// Runs the event loop for `ms` (the child processes' output pipes are drained meanwhile), less
/// when interrupted.
void idle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&loop] {
        if (interrupted)
            loop.quit();
    });
    check.start(100);
    loop.exec();
}

/// Runs the event loop until `done` holds, checked every 200 ms; false after `limitMs`.
template <typename Done> bool waitFor(Done done, int limitMs = StartLimitMs)
{
    QElapsedTimer limit;
    limit.start();
    while (!done()) {
        if (limit.elapsed() > limitMs || interrupted)
            return false;
        idle(200);
    }
    return true;
}

/// What /proc says about a process at one moment.
struct ProcSample
{
    qint64 cpuTicks = 0; ///< utime + stime, in clock ticks
    qint64 rssKiB = 0;   ///< VmRSS
    qint64 hwmKiB = 0;   ///< VmHWM
};

/// utime + stime from a /proc/.../stat file (a process's, all its threads, or one thread's).
std::optional<qint64> cpuTicks(const QString &statPath)
{
    QFile stat(statPath);
    if (!stat.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray statLine = stat.readAll();
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    const qsizetype close = statLine.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = statLine.mid(close + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    if (fields.size() < 13)
        return std::nullopt;
    return fields[11].toLongLong() + fields[12].toLongLong();
}

std::optional<ProcSample> sampleProcess(qint64 pid)
{
    ProcSample sample;
    const auto ticks = cpuTicks(u"/proc/%1/stat"_s.arg(pid));
    if (!ticks)
        return std::nullopt;
    sample.cpuTicks = *ticks;
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return std::nullopt;
    for (const QByteArray &line : status.readAll().split('\n')) {
        const auto kib = [&line] {
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
        };
        if (line.startsWith("VmRSS:"))
            sample.rssKiB = kib();
        else if (line.startsWith("VmHWM:"))
            sample.hwmKiB = kib();
    }
    return sample;
}

/// One run's figures, a value per window.
struct Figures
{
    std::vector<double> cpuPercent;
    std::vector<double> rssMiB;
    std::vector<double> hwmMiB;
    int threads = 0;
    QStringList perThread; ///< "name pct" over all windows, busiest first
};

/// Each thread's CPU ticks so far, by thread id, with its name.
struct ThreadTicks
{
    QString name;
    qint64 ticks = 0;
};

std::map<QString, ThreadTicks> sampleThreads(qint64 pid)
{
    std::map<QString, ThreadTicks> threads;
    const QDir tasks(u"/proc/%1/task"_s.arg(pid));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const auto ticks = cpuTicks(tasks.filePath(tid + u"/stat"_s));
        QFile comm(tasks.filePath(tid + u"/comm"_s));
        if (!ticks || !comm.open(QIODevice::ReadOnly))
            continue; // ended meanwhile
        threads[tid] = {QString::fromUtf8(comm.readAll()).trimmed(), *ticks};
    }
    return threads;
}

/// The real heartline-agent with a settings file and a home of its own, signing in at once with
/// the password on its standard input. Its output goes to a file: nothing here reads it while it is
/// measured, and a full pipe would stall it.
class AgentProcess
{
public:
    ~AgentProcess() { stop(); }

    bool start(const QString &folder, const QUrl &server, const QString &caFile)
    {
        m_folder = folder;
        QDir().mkpath(folder + u"/home"_s);
        const QString iniFile = folder + u"/agent.ini"_s;
        {
            QSettings settings(iniFile, QSettings::IniFormat);
            settings.setValue(u"server/url"_s, server.toString());
            settings.setValue(u"server/agentId"_s, u"alice"_s);
            settings.setValue(u"voice/tlsCaFile"_s, caFile);
            settings.setValue(u"calls/ringSound"_s, false);
            settings.sync();
            if (settings.status() != QSettings::NoError) {
                m_error = u"cannot write "_s + iniFile;
                return false;
            }
        }
        QFile password(folder + u"/password"_s);
        if (!password.open(QIODevice::WriteOnly) || password.write("alice-pw\n") < 0) {
            m_error = u"cannot write "_s + password.fileName();
            return false;
        }
        password.close();

        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        environment.insert(u"HOME"_s, folder + u"/home"_s);
        environment.insert(u"XDG_DATA_HOME"_s, folder + u"/home/.local/share"_s);
        environment.insert(u"XDG_CONFIG_HOME"_s, folder + u"/home/.config"_s);
        environment.insert(u"XDG_CACHE_HOME"_s, folder + u"/home/.cache"_s);
        m_process.setProcessEnvironment(environment);
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_process.setStandardInputFile(password.fileName());
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setStandardOutputFile(logFile());
        m_process.start(QStringLiteral(HEARTLINE_AGENT_BINARY),
                        {u"--config"_s, iniFile, u"--password-stdin"_s, u"--status"_s, u"available"_s});
        if (!m_process.waitForStarted(10'000)) {
            m_error = u"heartline-agent did not start: "_s + m_process.errorString();
            return false;
        }
        return true;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10'000)) {
            m_process.kill();
            m_process.waitForFinished(5'000);
        }
    }

    [[nodiscard]] bool running() const { return m_process.state() == QProcess::Running; }
    [[nodiscard]] qint64 pid() const { return m_process.processId(); }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QString logFile() const { return m_folder + u"/agent.log"_s; }
    /// The end of its output, for a failure message.
    [[nodiscard]] QString logTail() const
    {
        QFile log(logFile());
        if (!log.open(QIODevice::ReadOnly))
            return {};
        return QString::fromUtf8(log.readAll().right(2000));
    }

private:
    QProcess m_process;
    QString m_folder;
    QString m_error;
};

class Bench
{
public:
    Bench(int windows, int windowMs, int settleMs) : m_windows(windows), m_windowMs(windowMs), m_settleMs(settleMs) { }

    /// Certificates and the users, once for both runs.
    bool prepare()
    {
        if (!m_dir.isValid())
            return fail(u"cannot make a temporary folder"_s);
        m_certificates = TestCertificates::make(m_dir.path());
        if (!m_certificates.error.isEmpty())
            return fail(u"cannot make the TLS certificates: "_s + m_certificates.error);
        m_environment = QProcessEnvironment::systemEnvironment();
        m_environment.insert(u"TWILIO_ACCOUNT_SID"_s, AccountSid);
        m_environment.insert(u"TWILIO_AUTH_TOKEN"_s, AuthToken);
        m_environment.insert(u"PASSWORD_ITERATIONS"_s, u"1000"_s);
        return runCli({u"user"_s, u"add"_s, u"alice"_s, u"--role"_s, u"agent"_s}, "alice-pw\n")
            && runCli({u"user"_s, u"add"_s, u"sue"_s, u"--role"_s, u"supervisor"_s}, "sue-password\n");
    }

    /// One run: stand-in, server and agent started, the agent measured once it is ready, all three
    /// stopped again (on failure too).
    std::optional<Figures> run(bool sip)
    {
        const QString name = sip ? u"sip"_s : u"baseline"_s;
        std::unique_ptr<StandIn> sipSim;
        std::unique_ptr<ServerProcess> plainSim;
        std::unique_ptr<ServerProcess> server;
        QProcessEnvironment environment = m_environment;
        for (int attempt = 1;; ++attempt) {
            const QString serverUrl = u"http://127.0.0.1:%1"_s.arg(freeLoopbackPort());
            server.reset();
            sipSim.reset();
            plainSim.reset();
            const QStringList simArguments {u"--listen"_s,          u"127.0.0.1:0"_s,
                                            u"--account-sid"_s,     AccountSid,
                                            u"--auth-token"_s,      AuthToken,
                                            u"--voice-url"_s,       serverUrl + u"/twilio/voice/inbound"_s,
                                            u"--status-callback"_s, serverUrl + u"/twilio/voice/status"_s};
            if (sip) {
                sipSim = std::make_unique<StandIn>();
                if (!sipSim->start(simArguments
                                   + QStringList {u"--sip-domain"_s, Domain, u"--sip-tls-cert"_s,
                                                  m_certificates.certificateFile, u"--sip-tls-key"_s,
                                                  m_certificates.privateKeyFile})) {
                    fail(u"heartline-twilio-sim did not start its SIP domain:\n"_s + sipSim->output());
                    return std::nullopt;
                }
                environment.insert(u"TWILIO_API_BASE_URL"_s, sipSim->baseUrl().toString());
                environment.insert(u"SIP_DOMAIN"_s, Domain);
                environment.insert(u"SIP_EDGE_HOST"_s, sipSim->tlsEdge());
            } else {
                plainSim = std::make_unique<ServerProcess>(QStringLiteral(HEARTLINE_TWILIO_SIM_BINARY));
                if (!plainSim->start(simArguments)) {
                    fail(u"heartline-twilio-sim did not start:\n"_s + plainSim->output());
                    return std::nullopt;
                }
                environment.insert(u"TWILIO_API_BASE_URL"_s, plainSim->baseUrl().toString());
                environment.remove(u"SIP_DOMAIN"_s);
                environment.remove(u"SIP_EDGE_HOST"_s);
            }
            server = std::make_unique<ServerProcess>();
            if (server->start({u"--listen"_s, serverUrl.mid(7), u"--db"_s, databasePath()}, environment))
                break;
            if (attempt >= 5 || !server->output().contains(u"already in use"_s)) {
                fail(u"heartline-server did not start:\n"_s + server->output());
                return std::nullopt;
            }
        }
        m_serverUrl = server->baseUrl();
        m_supervisorToken = HttpTestClient(m_serverUrl)
                                .postJson(u"/api/auth/login"_s,
                                          QJsonObject {{u"userId"_s, u"sue"_s}, {u"password"_s, u"sue-password"_s}})
                                .json()
                                .value(u"token"_s)
                                .toString()
                                .toLatin1();
        if (m_supervisorToken.isEmpty()) {
            fail(u"the supervisor could not log in to heartline-server"_s);
            return std::nullopt;
        }

        AgentProcess agent;
        if (!agent.start(m_dir.filePath(name), m_serverUrl, m_certificates.caFile)) {
            fail(agent.error());
            return std::nullopt;
        }
        // Ready: connected over its WebSocket and, with SIP, its softphone registered as the server sees it.
        const bool ready = waitFor([&] {
            if (!agent.running())
                return true;
            const QJsonObject seen = agentSeenBySupervisor();
            const QJsonObject devices = seen[u"devices"_s].toObject();
            return seen[u"loggedIn"_s].toBool() && seen[u"connection"_s].toString() == u"websocket"_s
                && (!sip || (devices[u"voiceRegistered"_s].toBool() && devices[u"voiceLine"_s].toString() == u"sip"_s));
        });
        if (interrupted) {
            fail(u"interrupted"_s);
            return std::nullopt;
        }
        if (!agent.running() || !ready) {
            fail(u"%1: heartline-agent %2 (agent as the server sees it: %3)\n%4"_s.arg(
                name, agent.running() ? u"was not ready within %1 s"_s.arg(StartLimitMs / 1000) : u"exited"_s,
                QString::fromUtf8(QJsonDocument(agentSeenBySupervisor()).toJson(QJsonDocument::Compact)),
                agent.logTail()));
            return std::nullopt;
        }
        std::printf("%s: heartline-agent pid %lld ready; settling %d s, then %d window(s) of %d s\n", qPrintable(name),
                    agent.pid(), m_settleMs / 1000, m_windows, m_windowMs / 1000);
        std::fflush(stdout);
        idle(m_settleMs);
        if (interrupted) {
            fail(u"interrupted"_s);
            return std::nullopt;
        }

        Figures figures;
        const double ticksPerSecond = double(::sysconf(_SC_CLK_TCK));
        const std::map<QString, ThreadTicks> threadsBefore = sampleThreads(agent.pid());
        QElapsedTimer measured;
        measured.start();
        for (int window = 1; window <= m_windows; ++window) {
            const auto before = sampleProcess(agent.pid());
            QElapsedTimer elapsed;
            elapsed.start();
            idle(m_windowMs);
            const auto after = sampleProcess(agent.pid());
            const double seconds = double(elapsed.nsecsElapsed()) / 1e9;
            if (interrupted) {
                fail(u"interrupted"_s);
                return std::nullopt;
            }
            if (!before || !after || !agent.running()) {
                fail(name + u": heartline-agent exited while it was measured\n"_s + agent.logTail());
                return std::nullopt;
            }
            const double cpu = 100.0 * double(after->cpuTicks - before->cpuTicks) / ticksPerSecond / seconds;
            figures.cpuPercent.push_back(cpu);
            figures.rssMiB.push_back(double(after->rssKiB) / 1024.0);
            figures.hwmMiB.push_back(double(after->hwmKiB) / 1024.0);
            std::printf("  window %d: %6.2f s  CPU %6.3f %% of a core  RSS %6.1f MiB  peak RSS %6.1f MiB\n", window,
                        seconds, cpu, figures.rssMiB.back(), figures.hwmMiB.back());
            std::fflush(stdout);
        }
        // Where the time went, thread by thread, over all windows.
        const double measuredSeconds = double(measured.nsecsElapsed()) / 1e9;
        const std::map<QString, ThreadTicks> threadsAfter = sampleThreads(agent.pid());
        figures.threads = int(threadsAfter.size());
        std::vector<std::pair<double, QString>> busiest;
        for (const auto &[tid, thread] : threadsAfter) {
            const auto before = threadsBefore.find(tid);
            const qint64 ticks = thread.ticks - (before == threadsBefore.end() ? 0 : before->second.ticks);
            busiest.emplace_back(100.0 * double(ticks) / ticksPerSecond / measuredSeconds, thread.name);
        }
        std::sort(busiest.begin(), busiest.end(), std::greater<>());
        for (const auto &[percent, threadName] : busiest)
            figures.perThread.append(u"%1 %2 %"_s.arg(threadName).arg(percent, 0, 'f', 3));
        std::printf("  by thread, all windows: %s\n", qPrintable(figures.perThread.join(u", "_s)));
        // Still ready at the end: the figures are of a registered softphone, not of one retrying.
        const QJsonObject devices = agentSeenBySupervisor()[u"devices"_s].toObject();
        if (sip && !devices[u"voiceRegistered"_s].toBool()) {
            fail(u"sip: the softphone was no longer registered at the end of the measurement"_s);
            return std::nullopt;
        }
        agent.stop();
        server->stop();
        return figures;
    }

    bool fail(const QString &why) const
    {
        std::fprintf(stderr, "bench_agent_idle: %s\n", qPrintable(why));
        return false;
    }

private:
    int m_windows;
    int m_windowMs;
    int m_settleMs;
    QTemporaryDir m_dir;
    TestCertificates m_certificates;
    QProcessEnvironment m_environment;
    QUrl m_serverUrl;
    QByteArray m_supervisorToken;

    QString databasePath() const { return m_dir.filePath(u"heartline.db"_s); }

    bool runCli(const QStringList &arguments, const QByteArray &input) const
    {
        const ProcessResult result = runProcess(
            ServerProcess::binary(), QStringList {u"--db"_s, databasePath()} + arguments, input, m_environment);
        if (result.exitCode != 0)
            return fail(u"heartline-server %1: %2"_s.arg(arguments.join(u' '), result.standardError));
        return true;
    }

    QJsonObject agentSeenBySupervisor()
    {
        HttpTestClient http(m_serverUrl);
        http.setBearerToken(m_supervisorToken);
        for (const QJsonValue &agent : http.get(u"/api/agents"_s).json().value(u"agents"_s).toArray()) {
            if (agent[u"agentId"_s].toString() == u"alice"_s)
                return agent.toObject();
        }
        return {};
    }
};

void printSummary(const char *label, const Figures &figures)
{
    std::printf("  %-10s CPU %6.3f %% of a core   RSS %6.1f MiB   peak RSS %6.1f MiB   %d threads\n", label,
                median(figures.cpuPercent), median(figures.rssMiB), median(figures.hwmMiB), figures.threads);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    QCommandLineParser parser;
    const QCommandLineOption windowsOption(u"windows"_s, u"Windows measured per run (3)."_s, u"N"_s, u"3"_s);
    const QCommandLineOption windowOption(u"window-seconds"_s, u"Length of a window (10)."_s, u"S"_s, u"10"_s);
    const QCommandLineOption settleOption(u"settle-seconds"_s,
                                          u"Wait after the agent is ready, before measuring (5)."_s, u"S"_s, u"5"_s);
    parser.addHelpOption();
    parser.addOptions({windowsOption, windowOption, settleOption});
    parser.process(app);
    const int windows = std::max(1, parser.value(windowsOption).toInt());
    const int windowMs = std::max(1, parser.value(windowOption).toInt()) * 1000;
    const int settleMs = std::max(0, parser.value(settleOption).toInt()) * 1000;

    std::printf("%s, load average %.2f\n", qPrintable(MachineInfo::current().summary()), loadAverage());
    std::printf("heartline-agent at rest (signed in, available, no call), /proc every %d s\n", windowMs / 1000);
    std::fflush(stdout);
    Bench bench(windows, windowMs, settleMs);
    if (!bench.prepare())
        return 1;
    const auto baseline = bench.run(false);
    if (!baseline)
        return 1;
    const auto sip = bench.run(true);
    if (!sip)
        return 1;

    const double cpuBase = median(baseline->cpuPercent);
    const double cpuSip = median(sip->cpuPercent);
    const double rssBase = median(baseline->rssMiB);
    const double rssSip = median(sip->rssMiB);
    std::printf("\nMedians of %d window(s) of %d s:\n", windows, windowMs / 1000);
    printSummary("baseline", *baseline);
    printSummary("sip", *sip);
    const auto ratio = [](double value, double base) {
        return base > 0 ? u"x%1"_s.arg(value / base, 0, 'f', 2) : u"x n/a, baseline 0"_s;
    };
    std::printf("  SIP Core's own cost: CPU %+.3f points (%s)   RSS %+.1f MiB (%s)\n", cpuSip - cpuBase,
                qPrintable(ratio(cpuSip, cpuBase)), rssSip - rssBase, qPrintable(ratio(rssSip, rssBase)));
    const bool cpuOk = cpuSip < CpuGoalPercent;
    const bool rssOk = rssSip < RssGoalMiB;
    std::printf("  goals with the SIP Core: CPU under %.0f %% of a core: %s; RSS under 80 MB (%.1f MiB): %s\n",
                CpuGoalPercent, cpuOk ? "met" : "MISSED", RssGoalMiB, rssOk ? "met" : "MISSED");
    return cpuOk && rssOk ? 0 : 3;
}
