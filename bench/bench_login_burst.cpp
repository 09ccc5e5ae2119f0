// Heartbeat latency while agents sign in: a shift starts, and every sign-in checks its password with
// PBKDF2 (120,000 iterations by default, tens of milliseconds of CPU each). The server checks
// passwords on worker threads; this measures what that leaves the heartbeats.
//
// One server, HTTP heartbeats at a fixed 10,000/s from 10,000 agents taking turns (as bench_heartbeat's
// second population), alternately without and with a burst of 20 concurrent POST /api/auth/login
// (20 other users, passwords hashed with the server's default iteration count) fired at once a
// second into the phase. Reports the heartbeats' p99 of both, medians of --repeat runs, and the
// logins' own times.
//
// Usage: bench_login_burst [--repeat 3] [--logins 20] [--rate-seconds 3]

#include <cstdio>
#include <thread>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QProcessEnvironment>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include "AgentFleet.h"
#include "ChildServer.h"
#include "Database.h"
#include "Format.h"
#include "HttpClient.h"
#include "HttpLoad.h"
#include "MachineInfo.h"
#include "Statistics.h"
#include "auth/PasswordHasher.h"
#include "config/Config.h"

using namespace heartline;
using namespace heartline::bench;
using namespace Qt::StringLiterals;

namespace {

constexpr double Rate = 10'000;
constexpr int Agents = 10'000;
const QString LoginPassword = u"shift-start-password"_s;

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "bench_login_burst: %s\n", qPrintable(message));
    std::exit(1);
}

/// Users "shift-001"... whose password is hashed as `heartline-server user add` would hash it.
void addLoginUsers(const QString &databasePath, int count)
{
    auto database = Database::open(databasePath);
    if (!database)
        fail(database.error().message);
    const int iterations = Config().intValue(ConfigKey::PasswordIterations);
    const PasswordHash password = PasswordHasher::hash(LoginPassword, iterations);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery user(database->connection());
    user.prepare(u"INSERT INTO users (id, display_name, role, password_hash, password_salt, password_iterations, "
                 "disabled, created_at, updated_at) VALUES (?, ?, 'agent', ?, ?, ?, 0, ?, ?)"_s);
    for (int i = 1; i <= count; ++i) {
        const QString id = u"shift-%1"_s.arg(i, 3, 10, QChar(u'0'));
        for (const QVariant &value : QVariantList {id, id, password.hash, password.salt, password.iterations, now, now})
            user.addBindValue(value);
        if (!user.exec())
            fail(u"adding "_s + id + u": "_s + user.lastError().text());
    }
}

/// `count` logins at once, each on its own connection and thread; their send-to-answer times in µs.
std::vector<double> loginBurst(quint16 port, int count)
{
    std::vector<double> times(size_t(count), -1);
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i) {
        threads.emplace_back([port, i, &times] {
            HttpClient client(port);
            if (!client.connect())
                return;
            const QByteArray body = R"({"userId":"shift-)" + QByteArray::number(i + 1).rightJustified(3, '0')
                + R"(","password":")" + LoginPassword.toUtf8() + "\"}";
            double latencyUs = 0;
            const auto answer = client.exchange(httpRequest("POST", "/api/auth/login", {}, body), &latencyUs);
            if (answer && answer->status == 200)
                times[size_t(i)] = latencyUs;
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    return times;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Heartbeat p99 during a burst of concurrent logins."_s);
    parser.addHelpOption();
    const QCommandLineOption repeatOption(u"repeat"_s, u"Repetitions; medians are reported (default 3)."_s, u"N"_s,
                                          u"3"_s);
    const QCommandLineOption loginsOption(u"logins"_s, u"Concurrent logins in the burst (default 20)."_s, u"N"_s,
                                          u"20"_s);
    const QCommandLineOption secondsOption(u"rate-seconds"_s, u"Length of each fixed-rate phase (default 3)."_s, u"S"_s,
                                           u"3"_s);
    const QCommandLineOption serverOption(u"server"_s, u"heartline-server to measure."_s, u"PATH"_s,
                                          QString::fromUtf8(HEARTLINE_SERVER_BINARY));
    parser.addOptions({repeatOption, loginsOption, secondsOption, serverOption});
    parser.process(app);
    const int repeats = qMax(1, parser.value(repeatOption).toInt());
    const int logins = qBound(1, parser.value(loginsOption).toInt(), 500);
    const double seconds = qMax(1.5, parser.value(secondsOption).toDouble());

    const double loadAtStart = loadAverage();
    QTemporaryDir dir;
    const QString databasePath = dir.filePath(u"heartline.db"_s);
    auto fleet = AgentFleet::create(databasePath, Agents);
    if (!fleet)
        fail(fleet.error().message);
    addLoginUsers(databasePath, logins);

    ChildServer server;
    if (!server.start(parser.value(serverOption), {u"--db"_s, databasePath}, QProcessEnvironment::systemEnvironment(),
                      dir.filePath(u"server.log"_s)))
        fail(server.error());
    if (const QString problem = fleet->sendHeartbeats(server.port(), 64); !problem.isEmpty())
        fail(u"logging the fleet in: "_s + problem);

    QList<QByteArray> requests;
    for (qsizetype i = 0; i < fleet->size(); ++i)
        requests.append(fleet->httpHeartbeatRequest(i));
    const HttpLoad::RequestSource inTurn = [&requests](qint64 index, int) {
        return requests.at(index % Agents);
    };

    std::vector<double> quietP99, burstP99, loginP50, loginMax;
    for (int run = 0; run < repeats; ++run) {
        for (const bool withBurst : {false, true}) {
            HttpLoad load(server.port());
            if (!load.open(256))
                fail(load.error());
            std::vector<double> loginTimes;
            std::thread burst;
            if (withBurst) {
                burst = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::seconds(1)); // into the phase, not at its start
                    loginTimes = loginBurst(server.port(), logins);
                });
            }
            const HttpLoad::Result result = load.fixedRate(Rate, qint64(Rate * seconds), inTurn);
            if (burst.joinable())
                burst.join();
            if (!result.ok())
                fail(result.problem());
            const double p99 = percentile(result.latencyUs, 99);
            if (withBurst) {
                if (std::count(loginTimes.begin(), loginTimes.end(), -1.0) > 0)
                    fail(u"a login of the burst was not answered 200"_s);
                burstP99.push_back(p99);
                loginP50.push_back(percentile(loginTimes, 50));
                loginMax.push_back(percentile(loginTimes, 100));
            } else {
                quietP99.push_back(p99);
            }
            std::fprintf(stderr, "run %d, %s: heartbeat p99 %s\n", run + 1, withBurst ? "with logins" : "no logins",
                         qPrintable(formatDuration(p99)));
        }
    }
    // A second login of a user already signed in checks its password the same way: runs stay alike.
    const double loadAtEnd = loadAverage();
    server.stop();

    const MachineInfo machine = MachineInfo::current();
    std::printf("login burst: heartbeats at %.0f/s from %d agents, with and without %d concurrent logins\n", Rate,
                Agents, logins);
    std::printf("  machine: %s; load average %.2f at start, %.2f at end\n", qPrintable(machine.summary()), loadAtStart,
                loadAtEnd);
    std::printf("  %d runs of %.1f s each, medians; logins fired 1 s into the phase, PBKDF2 with %d iterations\n",
                repeats, seconds, Config().intValue(ConfigKey::PasswordIterations));
    std::printf("  heartbeat p99 without logins   %s\n", qPrintable(formatDuration(median(quietP99))));
    std::printf("  heartbeat p99 during the burst %s\n", qPrintable(formatDuration(median(burstP99))));
    std::printf("  login answered: p50 %s, slowest %s\n", qPrintable(formatDuration(median(loginP50))),
                qPrintable(formatDuration(median(loginMax))));
    std::printf("\ntargets\n");
    std::printf("  [%s] heartbeat p99 < 5 ms during a burst of %d concurrent logins: %s\n",
                median(burstP99) < 5000 ? "met" : "MISSED", logins, qPrintable(formatDuration(median(burstP99))));
    return 0;
}
