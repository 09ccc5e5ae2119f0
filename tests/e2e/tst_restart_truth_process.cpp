// A restart keeps the truth about agents and calls: the real heartline-server process is killed
// (SIGKILL) while one agent talks, one wraps up, two are ringing and one agent's app has died, and
// started again on the same SQLite database next to the real stand-in process.
//
// Checked after the restart: the agent on a call, the one wrapping up and the one ringing are known
// as such (from the database); the agent ringing for a call whose row was lost is found ringing by
// the start-up check against the stand-in's REST API; the agent whose app died is not offerable,
// with the reason supervisors see; a new caller rings none of them; and the two callers who were
// ringing, when their agents decline, go on to the queue instead of being hung up on, whether the
// server still knows their call or has to look it up.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include "FreePort.h"
#include "HttpTestClient.h"
#include "ProcessFloor.h"
#include "ServerProcess.h"
#include "TableReader.h"
#include "WebSocketTestClient.h"

using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString AccountSid = u"AC0123456789abcdef0123456789abcdef"_s;
const QString AuthToken = u"restart-truth-token"_s;
constexpr int Agents = 5;

struct Agent
{
    QString id;
    QByteArray token;
    std::unique_ptr<WebSocketTestClient> app;
    std::unique_ptr<WebSocketTestClient> voice;
    QString ringingLeg;  ///< the agent leg ringing at this agent's voice client
    QString ringingCall; ///< its caller's call
};

} // namespace

class TestRestartTruthProcess final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_environment;
    ServerProcess m_sim {QStringLiteral(HEARTLINE_TWILIO_SIM_BINARY)};
    ServerProcess m_server;
    quint16 m_serverPort = 0;
    QByteArray m_supervisorToken;
    std::vector<Agent> m_agents;

    QString databasePath() const { return m_dir.filePath(u"heartline.db"_s); }

    bool runCli(const QStringList &arguments, const QByteArray &input = {})
    {
        return runAdminCli(databasePath(), arguments, input, m_environment);
    }

    bool startServer()
    {
        if (m_server.start({u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_serverPort), u"--db"_s, databasePath()},
                           m_environment))
            return true;
        qWarning() << "server:" << m_server.output();
        return false;
    }

    QByteArray login(const QString &id) { return loginToken(m_server.baseUrl(), id); }

    /// The app's connection: hello with the token, then a heartbeat saying available.
    bool connectApp(Agent &agent)
    {
        agent.app = std::make_unique<WebSocketTestClient>();
        if (!agent.app->open(m_server.baseUrl(), u"/ws/agent"_s, agent.token)
            || agent.app->nextOfType(u"welcome"_s).isEmpty())
            return false;
        sendAvailableHeartbeat(*agent.app);
        if (!agent.app->nextOfType(u"ack"_s).isEmpty())
            return true;
        for (const QJsonObject &message : agent.app->received())
            qWarning() << agent.id << "got" << message;
        return false;
    }

    bool signIn(Agent &agent)
    {
        agent.token = login(agent.id);
        if (agent.token.isEmpty())
            return false;
        agent.voice = registeredVoiceClient(m_sim.baseUrl(), agent.id);
        if (!agent.voice)
            return false;
        if (!connectApp(agent))
            return false;
        agent.app->sendJson({{u"type"_s, u"setStatus"_s}, {u"status"_s, u"available"_s}});
        return true;
    }

    QString placeCall()
    {
        HttpTestClient control(m_sim.baseUrl());
        const QJsonArray sids
            = control
                  .postJson(u"/control/calls"_s,
                            QJsonObject {{u"from"_s, u"+15550001111"_s}, {u"to"_s, u"+15558675310"_s}})
                  .json()
                  .value(u"callSids"_s)
                  .toArray();
        return sids.isEmpty() ? QString() : sids.first().toString();
    }

    /// The agent whose voice client rings for `callSid` (every other client is checked quickly).
    Agent *ringsAt(const QString &callSid)
    {
        Agent *found = nullptr;
        std::ignore = QTest::qWaitFor(
            [&] {
                for (Agent &agent : m_agents) {
                    if (!agent.voice || !agent.voice->isConnected() || !agent.ringingLeg.isEmpty())
                        continue;
                    for (const QJsonObject &message : agent.voice->received()) {
                        if (message.value(u"type"_s).toString() == u"incoming"
                            && message.value(u"parentCallSid"_s).toString() == callSid) {
                            agent.ringingLeg = message.value(u"callSid"_s).toString();
                            agent.ringingCall = callSid;
                            found = &agent;
                            return true;
                        }
                    }
                }
                return false;
            },
            10'000);
        return found;
    }

    QJsonObject agentView(const QString &id)
    {
        HttpTestClient http(m_server.baseUrl());
        http.setBearerToken(m_supervisorToken);
        for (const QJsonValue &agent : http.get(u"/api/agents"_s).json().value(u"agents"_s).toArray()) {
            if (agent[u"agentId"_s].toString() == id)
                return agent.toObject();
        }
        return {};
    }

    static QStringList gatesOf(const QJsonObject &view)
    {
        QStringList gates;
        for (const QJsonValue &gate : view[u"readiness"_s][u"failedGates"_s].toArray())
            gates.append(gate[u"gate"_s].toString() + u": "_s + gate[u"reason"_s].toString());
        return gates;
    }

    QJsonArray events(const QString &callSid)
    {
        HttpTestClient control(m_sim.baseUrl());
        return control.get(u"/control/calls/%1/events"_s.arg(callSid)).json().value(u"events"_s).toArray();
    }

    bool eventsMention(const QString &callSid, const QString &fragment)
    {
        for (const QJsonValue &event : events(callSid)) {
            if (event[u"detail"_s].toString().contains(fragment))
                return true;
        }
        return false;
    }

    bool waitsInQueue(const QString &callSid)
    {
        HttpTestClient control(m_sim.baseUrl());
        return QTest::qWaitFor([&] { return waitInTwilioQueue(control, callSid).has_value(); }, 15'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const auto environment = floorEnvironment(
            m_dir.filePath(u"routing.json"_s),
            R"({"defaultQueue":"support","queues":[{"name":"support","maxWaitSeconds":3600,"maxSize":100}]})",
            AccountSid, AuthToken);
        QVERIFY(environment);
        m_environment = *environment;
        // Offers ring long enough to be ringing across the restart; nobody's heartbeat ages here.
        m_environment.insert(u"DIAL_TIMEOUT_SECONDS"_s, u"120"_s);
        m_environment.insert(u"AGENT_HEARTBEAT_INTERVAL"_s, u"3600"_s);
        // The periodic check is not what is tested: only the one at start-up.
        m_environment.insert(u"RECONCILE_INTERVAL_SECONDS"_s, u"0"_s);

        QVERIFY(runCli({u"user"_s, u"add"_s, u"sam"_s, u"--role"_s, u"supervisor"_s}, "sam-password\n"));
        for (int i = 0; i < Agents; ++i) {
            const QString id = u"agent%1"_s.arg(i);
            QVERIFY(runCli({u"user"_s, u"add"_s, id, u"--role"_s, u"agent"_s}, (id + u"-password\n"_s).toUtf8()));
            QVERIFY(runCli({u"agent"_s, u"set"_s, id, u"--wrap-up"_s, u"600"_s, u"--max-no-answer"_s, u"0"_s}));
        }

        m_serverPort = freeLoopbackPort();
        const QString serverUrl = u"http://127.0.0.1:%1"_s.arg(m_serverPort);
        QVERIFY(m_sim.start({u"--account-sid"_s, AccountSid, u"--auth-token"_s, AuthToken, u"--voice-url"_s,
                             serverUrl + u"/twilio/voice/inbound"_s, u"--status-callback"_s,
                             serverUrl + u"/twilio/voice/status"_s, u"--play-ms"_s, u"600000"_s}));
        m_environment.insert(u"TWILIO_API_BASE_URL"_s, m_sim.baseUrl().toString());
        QVERIFY(startServer());
        m_supervisorToken = login(u"sam"_s);
        QVERIFY(!m_supervisorToken.isEmpty());
    }

    void aKilledServerComesBackKnowingWhoIsBusy()
    {
        m_agents.resize(Agents);
        for (int i = 0; i < Agents; ++i) {
            m_agents[size_t(i)].id = u"agent%1"_s.arg(i);
            QVERIFY2(signIn(m_agents[size_t(i)]), qPrintable(m_agents[size_t(i)].id));
        }
        for (const Agent &agent : m_agents)
            QTRY_VERIFY_WITH_TIMEOUT(agentView(agent.id)[u"readiness"_s][u"ready"_s].toBool(), 10'000);

        // One talks...
        const QString talking = placeCall();
        Agent *talker = ringsAt(talking);
        QVERIFY2(talker, qPrintable(talking + QString::fromUtf8(QJsonDocument(events(talking)).toJson())));
        talker->voice->sendJson({{u"type"_s, u"accept"_s}, {u"callSid"_s, talker->ringingLeg}});
        QTRY_COMPARE_WITH_TIMEOUT(agentView(talker->id)[u"activity"_s].toString(), u"on-call"_s, 10'000);
        // ...one wraps up after a short call...
        const QString finished = placeCall();
        Agent *wrapper = ringsAt(finished);
        QVERIFY(wrapper);
        wrapper->voice->sendJson({{u"type"_s, u"accept"_s}, {u"callSid"_s, wrapper->ringingLeg}});
        QTRY_COMPARE_WITH_TIMEOUT(agentView(wrapper->id)[u"activity"_s].toString(), u"on-call"_s, 10'000);
        wrapper->voice->sendJson({{u"type"_s, u"hangup"_s}, {u"callSid"_s, wrapper->ringingLeg}});
        QTRY_COMPARE_WITH_TIMEOUT(agentView(wrapper->id)[u"activity"_s].toString(), u"wrap-up"_s, 10'000);
        // ...and two are ringing, unanswered.
        const QString knownRinging = placeCall();
        Agent *ringer = ringsAt(knownRinging);
        QVERIFY(ringer);
        const QString lostRinging = placeCall();
        Agent *lostRinger = ringsAt(lostRinging);
        QVERIFY(lostRinger);
        Agent *gone = nullptr;
        for (Agent &agent : m_agents) {
            if (&agent != talker && &agent != wrapper && &agent != ringer && &agent != lostRinger)
                gone = &agent;
        }
        QVERIFY(gone);

        // The fifth agent's app dies, then the server is killed; the row of one ringing call is lost.
        gone->app->close();
        gone->voice->close();
        m_server.kill();
        {
            TableReader tables(databasePath());
            std::ignore = tables.scalar(u"DELETE FROM call_sessions WHERE call_sid = '%1'"_s.arg(lostRinging));
            QCOMPARE(
                tables.scalar(u"SELECT count(*) FROM call_sessions WHERE call_sid = '%1'"_s.arg(lostRinging)).toInt(),
                0);
        }
        QVERIFY(startServer());

        // The apps that survived reconnect (their tokens are still good) and are heard from.
        for (Agent *agent : {talker, wrapper, ringer, lostRinger})
            if (!connectApp(*agent)) {
                qWarning().noquote() << m_server.output().right(4000);
                QFAIL(qPrintable(agent->id + u" could not reconnect"_s));
            }

        const QJsonObject onCall = agentView(talker->id);
        QCOMPARE(onCall[u"activity"_s].toString(), u"on-call"_s);
        QVERIFY2(gatesOf(onCall).join(u'\n').contains(u"at_capacity"_s), qPrintable(gatesOf(onCall).join(u'\n')));
        const QJsonObject wrapping = agentView(wrapper->id);
        QCOMPARE(wrapping[u"activity"_s].toString(), u"wrap-up"_s);
        QVERIFY2(gatesOf(wrapping).join(u'\n').contains(u"wrap_up"_s), qPrintable(gatesOf(wrapping).join(u'\n')));
        QCOMPARE(agentView(ringer->id)[u"activity"_s].toString(), u"ringing"_s);
        // Not in the database: the start-up check found it ringing at Twilio.
        QTRY_COMPARE_WITH_TIMEOUT(agentView(lostRinger->id)[u"activity"_s].toString(), u"ringing"_s, 10'000);
        const QJsonObject notHeardFrom = agentView(gone->id);
        QVERIFY(!notHeardFrom[u"readiness"_s][u"ready"_s].toBool());
        QVERIFY2(gatesOf(notHeardFrom).contains(u"unconfirmed: not heard from since restart"_s),
                 qPrintable(gatesOf(notHeardFrom).join(u'\n')));

        // A new caller rings none of them: there is nobody to take it, so it waits in the queue.
        const QString newcomer = placeCall();
        QVERIFY(waitsInQueue(newcomer));
        for (const Agent &agent : m_agents)
            QVERIFY2(!eventsMention(newcomer, u">%1<"_s.arg(agent.id)), qPrintable(agent.id));

        // The ringing callers' agents decline: both callers go on to the queue, neither is hung up
        // on, whether the server knew the call (from its database) or had to look it up.
        for (Agent *agent : {ringer, lostRinger})
            agent->voice->sendJson({{u"type"_s, u"reject"_s}, {u"callSid"_s, agent->ringingLeg}});
        QVERIFY2(waitsInQueue(knownRinging), qPrintable(knownRinging));
        QVERIFY2(waitsInQueue(lostRinging), qPrintable(lostRinging));
        QVERIFY(m_server.outputSoFar().contains(u"Dial action for %1 which routing does not know"_s.arg(lostRinging)));
        QCOMPARE(m_server.stop(), 0);
    }

    void cleanupTestCase()
    {
        m_server.stop();
        m_sim.stop();
    }
};

QTEST_GUILESS_MAIN(TestRestartTruthProcess)
#include "tst_restart_truth_process.moc"
