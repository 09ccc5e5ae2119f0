// Callers keep their place across a restart of the real heartline-server process, for many seeds:
// 50 callers wait in two queues at the real stand-in process; the server is stopped (SIGTERM or
// SIGKILL), one caller's stored enqueue time is made wrong (so Twilio's Members list disagrees with
// the database), the server starts again on the same database, and four agents sign in at seeded
// moments and take every call, one of them declining its first. Everything runs in real time over
// loopback, so the order in which the two processes' messages cross differs from run to run.
//
// Checked for every seed: each queue's callers are first offered in arrival order (the misplaced
// caller too: the earliest enqueue time wins); no agent is offered a call while another is ringing
// or connected there; no caller is dialed to a busy agent; the declined caller is the next one of
// its queue handed over once it is back; every caller reaches an agent.

#include <random>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "FreePort.h"
#include "HttpTestClient.h"
#include "ProcessFloor.h"
#include "ServerProcess.h"
#include "TableReader.h"
#include "WebSocketTestClient.h"

using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

/// HEARTLINE_QUEUE_PROCESS_SEEDS overrides; each seed takes a few seconds.
int seeds()
{
    const int wanted = qEnvironmentVariableIntValue("HEARTLINE_QUEUE_PROCESS_SEEDS");
    return wanted > 0 ? wanted : 20;
}

constexpr int Callers = 50;
constexpr int Agents = 4;
const QString AccountSid = u"AC0123456789abcdef0123456789abcdef"_s;
const QString AuthToken = u"process-test-token"_s;
const QString SupportNumber = u"+15558675310"_s;
const QString SalesNumber = u"+15550100100"_s;

/// One agent as the test drives it: the app's connection to the server and the voice client's
/// to the stand-in.
struct Agent
{
    QString id;
    std::unique_ptr<WebSocketTestClient> app;
    std::unique_ptr<WebSocketTestClient> voice;
    QString leg; ///< the call ringing or answered there
    bool declineNext = false;
};

} // namespace

class TestQueueRestartProcess final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_environment;

    QString databasePath() const { return m_dir.filePath(u"heartline.db"_s); }

    bool runCli(const QStringList &arguments, const QByteArray &input = {})
    {
        return runAdminCli(databasePath(), arguments, input, m_environment);
    }

    /// The stand-in and the server, each knowing the other's address; the server's port is picked
    /// free before the stand-in starts, so it is tried again when something took it meanwhile.
    bool startPair(ServerProcess &sim, ServerProcess &server, quint16 &serverPort)
    {
        for (int attempt = 0; attempt < 5; ++attempt) {
            serverPort = freeLoopbackPort();
            const QString serverUrl = u"http://127.0.0.1:%1"_s.arg(serverPort);
            sim.stop();
            // Hold music far longer than a seed: no waitUrl request falls into the restart, whose
            // downtime Twilio would report to the caller as a queue error (the fault-injection
            // tests are where downtime is tested).
            if (!sim.start({u"--account-sid"_s, AccountSid, u"--auth-token"_s, AuthToken, u"--voice-url"_s,
                            serverUrl + u"/twilio/voice/inbound"_s, u"--status-callback"_s,
                            serverUrl + u"/twilio/voice/status"_s, u"--play-ms"_s, u"600000"_s, u"--say-ms-per-char"_s,
                            u"2"_s})) {
                qWarning() << "stand-in:" << sim.output();
                return false;
            }
            m_environment.insert(u"TWILIO_API_BASE_URL"_s, sim.baseUrl().toString());
            if (startServer(server, serverPort))
                return true;
            if (!server.output().contains(u"already in use"_s))
                return false;
        }
        return false;
    }

    bool startServer(ServerProcess &server, quint16 port)
    {
        if (server.start({u"--listen"_s, u"127.0.0.1:%1"_s.arg(port), u"--db"_s, databasePath()}, m_environment))
            return true;
        qWarning() << "server:" << server.output();
        return false;
    }

    /// Waits until the stand-in has the caller in a queue; the next caller arrives after it.
    static bool enqueuedAtTwilio(HttpTestClient &control, const QString &callSid, int minimumWaitSeconds = 0)
    {
        return QTest::qWaitFor(
            [&] {
                const std::optional<int> waited = waitInTwilioQueue(control, callSid);
                return waited && *waited >= minimumWaitSeconds;
            },
            10'000);
    }

    /// Every caller hears its hold music: nobody asks the server anything until long after the restart.
    static bool allOnHold(HttpTestClient &control, const QStringList &callSids)
    {
        return QTest::qWaitFor(
            [&] {
                for (const QString &sid : callSids) {
                    const QJsonArray events
                        = control.get(u"/control/calls/%1/events"_s.arg(sid)).json().value(u"events"_s).toArray();
                    bool playing = false;
                    for (const QJsonValue &event : events)
                        playing = playing || event[u"detail"_s].toString().startsWith(u"<Play>"_s);
                    if (!playing)
                        return false;
                }
                return true;
            },
            20'000);
    }

    bool signIn(Agent &agent, const QUrl &serverUrl, const QUrl &simUrl)
    {
        const QByteArray token = loginToken(serverUrl, agent.id);
        if (token.isEmpty())
            return false;
        agent.voice = registeredVoiceClient(simUrl, agent.id);
        if (!agent.voice)
            return false;
        agent.app = std::make_unique<WebSocketTestClient>();
        if (!agent.app->open(serverUrl, u"/ws/agent"_s, token) || agent.app->nextOfType(u"welcome"_s).isEmpty())
            return false;
        sendAvailableHeartbeat(*agent.app);
        agent.app->sendJson({{u"type"_s, u"setStatus"_s}, {u"status"_s, u"available"_s}});
        return true;
    }

    void runSeed(int seed)
    {
        std::mt19937 random {quint32(seed)};
        const auto between = [&](int low, int high) {
            return std::uniform_int_distribution<int>(low, high)(random);
        };

        QFile::remove(databasePath());
        for (int i = 0; i < Agents; ++i) {
            const QString id = u"agent%1"_s.arg(i);
            QVERIFY(runCli({u"user"_s, u"add"_s, id, u"--role"_s, u"agent"_s}, (id + u"-password\n"_s).toUtf8()));
            // No wrap-up: the agents take the next caller as soon as they hang up.
            QVERIFY(runCli({u"agent"_s, u"set"_s, id, u"--wrap-up"_s, u"0"_s, u"--max-no-answer"_s, u"0"_s}));
        }

        ServerProcess sim(QStringLiteral(HEARTLINE_TWILIO_SIM_BINARY));
        ServerProcess server;
        quint16 serverPort = 0;
        QVERIFY(startPair(sim, server, serverPort));
        HttpTestClient control(sim.baseUrl());

        // Callers arrive one after another; one support caller early in the line is the one whose
        // stored enqueue time will be wrong, and the next caller comes 2 s after it (Twilio's
        // wait_time has whole seconds).
        QStringList arrivals;
        QHash<QString, QString> queueOf;
        const int misplacedIndex = between(0, 2);
        QString misplaced;
        for (int i = 0; i < Callers; ++i) {
            const bool sales = i != misplacedIndex && between(0, 1) == 0;
            const QJsonArray sids = control
                                        .postJson(u"/control/calls"_s,
                                                  QJsonObject {{u"from"_s, u"+1555%1"_s.arg(1'000'000 + i)},
                                                               {u"to"_s, sales ? SalesNumber : SupportNumber}})
                                        .json()
                                        .value(u"callSids"_s)
                                        .toArray();
            QCOMPARE(sids.size(), 1);
            const QString sid = sids.first().toString();
            arrivals.append(sid);
            queueOf.insert(sid, sales ? u"sales"_s : u"support"_s);
            QVERIFY2(enqueuedAtTwilio(control, sid, i == misplacedIndex ? 2 : 0), qPrintable(sid));
            if (i == misplacedIndex)
                misplaced = sid;
        }
        QVERIFY(allOnHold(control, arrivals));

        // The restart: a crash on odd seeds, a clean stop on even ones.
        if (seed % 2 == 1)
            server.kill();
        else
            QCOMPARE(server.stop(), 0);
        {
            TableReader tables(databasePath());
            std::ignore = tables.scalar(
                u"UPDATE queue_members SET enqueued_at = %1, first_enqueued_at = %1 WHERE call_sid = '%2'"_s
                    .arg(QDateTime::currentMSecsSinceEpoch())
                    .arg(misplaced));
            QCOMPARE(tables.scalar(u"SELECT count(*) FROM queue_members WHERE state = 'waiting'"_s).toInt(), Callers);
        }
        QVERIFY(startServer(server, serverPort));

        // Agents sign in at seeded moments within 2 s and take every call after a short talk.
        std::vector<Agent> agents(Agents);
        const int decliner = between(0, Agents - 1);
        QStringList problems;
        QSet<QString> answered;
        QString declined;
        for (int i = 0; i < Agents; ++i) {
            Agent &agent = agents[size_t(i)];
            agent.id = u"agent%1"_s.arg(i);
            agent.declineNext = i == decliner;
        }
        // Talk times drawn in advance, so the seed decides them whatever order offers come in.
        std::vector<int> talks;
        for (int i = 0; i < Callers * 2; ++i)
            talks.push_back(between(20, 200));
        size_t nextTalk = 0;

        // Timers and connections of this seed end with it, even when a check fails half-way.
        QObject seedScope;
        const auto onVoiceMessage = [&](Agent &agent, const QString &text) {
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            const QString type = message.value(u"type"_s).toString();
            const QString leg = message.value(u"callSid"_s).toString();
            if (type == u"incoming") {
                if (!agent.leg.isEmpty())
                    problems.append(u"%1 was offered %2 while %3 was live there"_s.arg(agent.id, leg, agent.leg));
                if (agent.declineNext) {
                    agent.declineNext = false;
                    declined = message.value(u"parentCallSid"_s).toString();
                    agent.voice->sendJson({{u"type"_s, u"reject"_s}, {u"callSid"_s, leg}});
                    return;
                }
                agent.leg = leg;
                answered.insert(message.value(u"parentCallSid"_s).toString());
                agent.voice->sendJson({{u"type"_s, u"accept"_s}, {u"callSid"_s, leg}});
                const int talk = talks[nextTalk++ % talks.size()];
                QTimer::singleShot(talk, &seedScope, [&agent, leg] {
                    if (agent.leg != leg)
                        return;
                    agent.voice->sendJson({{u"type"_s, u"hangup"_s}, {u"callSid"_s, leg}});
                    agent.leg.clear(); // free from the agent's side; the server learns it from Twilio
                });
            } else if ((type == u"disconnected" || type == u"canceled") && leg == agent.leg) {
                agent.leg.clear();
            }
        };
        for (Agent &agent : agents) {
            QTimer::singleShot(between(0, 2'000), &seedScope,
                               [&, serverUrl = server.baseUrl(), simUrl = sim.baseUrl()] {
                                   if (!signIn(agent, serverUrl, simUrl)) {
                                       problems.append(agent.id + u" could not sign in"_s);
                                       return;
                                   }
                                   connect(&agent.voice->socket(), &QWebSocket::textMessageReceived, &seedScope,
                                           [&](const QString &text) { onVoiceMessage(agent, text); });
                               });
        }
        QTRY_VERIFY_WITH_TIMEOUT(answered.size() == Callers || !problems.isEmpty(), 120'000);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; "_s)));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(agents.begin(), agents.end(), [](const Agent &a) { return a.leg.isEmpty(); }), 10'000);
        QCOMPARE(server.stop(), 0);

        // First-in-first-out per queue: each caller's first offer comes in arrival order.
        TableReader tables(databasePath());
        QHash<QString, QStringList> firstOffers;
        QSet<QString> offered;
        for (const QString &row : tables.dump(u"routing_decisions"_s)) {
            const QStringList fields = row.split(u'|');
            const QString call = fields.value(1);
            if (queueOf.contains(call) && fields.value(3) != u"NULL"_s && !offered.contains(call)) {
                offered.insert(call);
                firstOffers[queueOf.value(call)].append(call);
            }
        }
        QHash<QString, QStringList> arrivalsByQueue;
        for (const QString &sid : std::as_const(arrivals))
            arrivalsByQueue[queueOf.value(sid)].append(sid);
        for (const QString &queue : {u"sales"_s, u"support"_s})
            QCOMPARE(firstOffers.value(queue), arrivalsByQueue.value(queue));

        // The declined caller kept its place: once back in its queue, no caller who came after it
        // was picked for an agent before it was picked again.
        QVERIFY(!declined.isEmpty());
        const QList<QVariantList> declinedStays
            = tables.rows(u"SELECT enqueued_at FROM queue_members WHERE call_sid = '%1' ORDER BY id"_s.arg(declined));
        QVERIFY2(declinedStays.size() >= 2, "the declined caller went back into its queue");
        const qint64 backAt = declinedStays[1][0].toLongLong();
        const auto picks = [&](const QString &callSid) {
            QList<qint64> times;
            for (const QVariantList &row :
                 tables.rows(u"SELECT decided_at FROM routing_decisions WHERE call_sid = "
                             "'%1' AND chosen_agent_id IS NOT NULL ORDER BY id"_s.arg(callSid)))
                times.append(row[0].toLongLong());
            return times;
        };
        const QList<qint64> declinedPicks = picks(declined);
        QVERIFY(declinedPicks.size() >= 2);
        const qint64 pickedAgainAt = declinedPicks[1];
        const qsizetype declinedArrival = arrivals.indexOf(declined);
        for (qsizetype i = declinedArrival + 1; i < arrivals.size(); ++i) {
            if (queueOf.value(arrivals[i]) != queueOf.value(declined))
                continue;
            for (const qint64 pickedAt : picks(arrivals[i])) {
                QVERIFY2(
                    !(pickedAt > backAt && pickedAt < pickedAgainAt),
                    qPrintable(u"%1 came after %2 but was picked while it waited again"_s.arg(arrivals[i], declined)));
            }
        }

        // Nobody was dialed to a busy agent: the only unanswered dial is the one declined.
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM queue_members WHERE state = 'waiting'"_s).toInt(), 0);
        for (const QString &sid : std::as_const(arrivals)) {
            const QJsonArray events
                = control.get(u"/control/calls/%1/events"_s.arg(sid)).json().value(u"events"_s).toArray();
            for (const QJsonValue &event : events) {
                const QString detail = event[u"detail"_s].toString();
                if (detail.contains(u"DialCallStatus=busy"_s) && sid != declined)
                    QFAIL(qPrintable(sid + u" was dialed to a busy agent: "_s + detail));
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const auto environment = floorEnvironment(
            m_dir.filePath(u"routing.json"_s),
            R"({"defaultQueue":"support","queues":[{"name":"support","maxWaitSeconds":3600,"maxSize":100},)"
            R"({"name":"sales","numbers":["+15550100100"],"maxWaitSeconds":3600,"maxSize":100}]})",
            AccountSid, AuthToken);
        QVERIFY(environment);
        m_environment = *environment;
        m_environment.insert(u"COOLDOWN_SECONDS"_s, u"0"_s);
        // Heartbeats are not what is tested: one at sign-in keeps the agents fresh for the run.
        m_environment.insert(u"AGENT_HEARTBEAT_INTERVAL"_s, u"3600"_s);
    }

    void callersKeepTheirPlaceAcrossARestart_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= seeds(); ++seed)
            QTest::addRow("seed %d", seed) << seed;
    }

    void callersKeepTheirPlaceAcrossARestart()
    {
        QFETCH(int, seed);
        runSeed(seed);
    }
};

QTEST_GUILESS_MAIN(TestQueueRestartProcess)
#include "tst_queue_restart_process.moc"
