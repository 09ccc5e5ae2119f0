// A queue scenario with a restart, for many seeds: 50 callers wait in two queues, the server restarts on the
// same database (with one caller's stored enqueue time wrong, so Twilio's Members list disagrees),
// then agents sign in at seeded random moments and take calls until every caller is served. Callers
// must reach agents first-in-first-out per queue, no agent is ever offered two calls at once, and a
// caller whose hand-off failed (an agent declines) gets the very next offer of its queue.

#include <algorithm>
#include <random>
#include <tuple>

#include <QFile>
#include <QTemporaryDir>

#include "EndToEndFixture.h"
#include "queues/QueueService.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

/// Each seed takes about 25 s of real time (most of it waiting for loopback round trips), so the
/// regular run takes one: tst_queue_restart_process runs twenty with the real processes.
/// HEARTLINE_QUEUE_SEEDS=N runs more here.
int seeds()
{
    const int wanted = qEnvironmentVariableIntValue("HEARTLINE_QUEUE_SEEDS");
    return wanted > 0 ? wanted : 1;
}
constexpr int Callers = 50;
constexpr int Agents = 4;
const QString SalesNumber = u"+15550100100"_s;

} // namespace

class TestEndToEndQueueRestart final : public QObject
{
    Q_OBJECT

private:
    struct Agent
    {
        QString id;
        qsizetype seen = 0;     ///< voice messages already read
        QString leg;            ///< the call ringing or answered there
        qint64 hangUpAtMs = -1; ///< when the agent ends the answered call
        bool declineNext = false;
    };

    /// The chosen decisions in order: (call, agent).
    static QList<std::pair<QString, QString>> offers(EndToEndFixture &e2e)
    {
        QList<std::pair<QString, QString>> out;
        TableReader tables(e2e.process().databasePath());
        for (const QString &row : tables.dump(u"routing_decisions"_s)) {
            const QStringList fields = row.split(u'|');
            if (fields.size() > 3 && fields[3] != u"NULL"_s && !fields[3].isEmpty())
                out.append({fields[1], fields[3]});
        }
        return out;
    }

    /// Legs ringing or answered at the agent's client, as Twilio sees them.
    static int liveLegs(EndToEndFixture &e2e, const QString &agentId)
    {
        int count = 0;
        for (const SimCall *call : e2e.engine().calls()) {
            if (call->clientIdentity == agentId && (call->status == u"ringing" || call->status == u"in-progress"))
                ++count;
        }
        return count;
    }

    void runSeed(int seed)
    {
        std::mt19937 random {quint32(seed)};
        const auto between = [&](int low, int high) {
            return std::uniform_int_distribution<int>(low, high)(random);
        };
        QTemporaryDir dir;
        const QString routing = dir.filePath(u"routing.json"_s);
        {
            QFile file(routing);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(R"({"defaultQueue":"support","queues":[{"name":"support","maxWaitSeconds":3600,"maxSize":100},)"
                       R"({"name":"sales","numbers":["+15550100100"],"maxWaitSeconds":3600,"maxSize":100}]})");
        }
        EndToEndFixture e2e;
        // The clock jumps ahead of the sockets' real time: pings are not what is tested here.
        const QHash<QString, QString> settings {{u"ROUTING_FILE"_s, routing}, {u"WS_PING_INTERVAL"_s, u"300"_s}};
        QVERIFY(e2e.start(settings));

        // Callers arrive at least a second apart (Twilio's wait_time has whole seconds).
        QHash<QString, QStringList> arrivals; // queue → callers in arrival order
        QHash<QString, QString> queueOf;
        for (int i = 0; i < Callers; ++i) {
            const QString queue = between(0, 1) == 0 ? u"sales"_s : u"support"_s;
            const QString sid
                = e2e.placeCall(u"+1555%1"_s.arg(1'000'000 + i), queue == u"sales" ? SalesNumber : u"+15558675310"_s);
            arrivals[queue].append(sid);
            queueOf.insert(sid, queue);
            QVERIFY(e2e.advance(between(1'000, 2'000)));
        }
        QCOMPARE(e2e.server().queues()->waitingCount(), Callers);

        // The store says one early caller came last; Twilio's Members list says when it really came.
        const QString misplaced = arrivals[u"support"_s].value(between(0, 2));
        if (!misplaced.isEmpty()) {
            TableReader tables(e2e.process().databasePath());
            std::ignore = tables.scalar(
                u"UPDATE queue_members SET enqueued_at = %1, first_enqueued_at = %1 WHERE call_sid = '%2'"_s
                    .arg(e2e.clock().nowMs())
                    .arg(misplaced));
        }
        QVERIFY(e2e.restartServer(settings));

        // Agents sign in at random moments and take every call, except that one declines its first.
        std::vector<Agent> agents;
        const int decliner = between(0, Agents - 1);
        for (int i = 0; i < Agents; ++i)
            agents.push_back(Agent {u"agent%1"_s.arg(i), 0, {}, -1, i == decliner});
        std::vector<qint64> signInAt;
        for (int i = 0; i < Agents; ++i)
            signInAt.push_back(e2e.clock().nowMs() + between(0, 4'000));
        std::vector<bool> signedIn(Agents, false);
        QString declined;
        qsizetype offersBeforeDecline = -1;

        for (int step = 0; step < 2'000 && e2e.server().queues()->waitingCount() > 0; ++step) {
            const qint64 now = e2e.clock().nowMs();
            for (int i = 0; i < Agents; ++i) {
                if (!signedIn[size_t(i)] && now >= signInAt[size_t(i)]) {
                    e2e.connectAgent(agents[size_t(i)].id);
                    signedIn[size_t(i)] = true;
                }
            }
            for (int i = 0; i < Agents; ++i) {
                Agent &agent = agents[size_t(i)];
                if (!signedIn[size_t(i)])
                    continue;
                QVERIFY2(liveLegs(e2e, agent.id) <= 1, qPrintable(agent.id + u" has two calls at once"_s));
                const QList<QJsonObject> received = e2e.connected(agent.id).voice->received();
                for (; agent.seen < received.size(); ++agent.seen) {
                    const QJsonObject message = received[agent.seen];
                    if (message.value(u"type"_s).toString() != u"incoming"_s)
                        continue;
                    QVERIFY2(agent.leg.isEmpty(), qPrintable(agent.id + u" offered a call while busy"_s));
                    const QString leg = message.value(u"callSid"_s).toString();
                    if (agent.declineNext) {
                        agent.declineNext = false;
                        declined = message.value(u"parentCallSid"_s).toString();
                        offersBeforeDecline = offers(e2e).size();
                        e2e.hangUp(agent.id, leg);
                        // Wait for the caller to be back in its queue before time moves on.
                        QTRY_VERIFY(e2e.server().queues()->statistics(queueOf.value(declined)).waiting > 0 && [&] {
                            for (const QueueView &view : e2e.server().queues()->views()) {
                                for (const WaitingCallerView &waiting : view.waiting) {
                                    if (waiting.callSid == declined)
                                        return true;
                                }
                            }
                            return false;
                        }());
                        continue;
                    }
                    e2e.accept(agent.id, leg);
                    agent.leg = leg;
                    agent.hangUpAtMs = now + between(1'000, 3'000);
                }
                if (!agent.leg.isEmpty() && now >= agent.hangUpAtMs) {
                    e2e.hangUp(agent.id, agent.leg);
                    agent.leg.clear();
                }
            }
            QVERIFY(e2e.advance(1'000));
        }
        QCOMPARE(e2e.server().queues()->waitingCount(), 0);

        // First-in-first-out per queue: each caller's first offer comes in arrival order (the
        // misplaced caller included: the earliest enqueue time won).
        const QList<std::pair<QString, QString>> all = offers(e2e);
        QHash<QString, QStringList> firstOffers;
        QSet<QString> offered;
        for (const auto &[call, agent] : all) {
            if (queueOf.contains(call) && !offered.contains(call)) {
                offered.insert(call);
                firstOffers[queueOf.value(call)].append(call);
            }
        }
        for (const QString &queue : {u"sales"_s, u"support"_s})
            QCOMPARE(firstOffers.value(queue), arrivals.value(queue));

        // The declined caller got the next offer of its queue after the decline.
        QVERIFY(!declined.isEmpty());
        for (qsizetype i = offersBeforeDecline; i < all.size(); ++i) {
            if (queueOf.value(all[i].first) == queueOf.value(declined)) {
                QCOMPARE(all[i].first, declined);
                break;
            }
        }
    }

private Q_SLOTS:
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

QTEST_GUILESS_MAIN(TestEndToEndQueueRestart)
#include "tst_e2e_queue_restart.moc"
