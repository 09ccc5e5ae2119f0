#pragma once

// heartline-server and the Twilio stand-in, both in this process on loopback and on one manual
// clock: the sim places calls and POSTs signed webhooks to the real server, the server answers with
// TwiML and calls the sim's REST API, agents are connected to the server over /ws/agent and to the
// sim's voice signaling as the agent app would be.

#include <memory>

#include <QFile>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTest>

#include "CallEngine.h"
#include "FreePort.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SimScheduler.h"
#include "TwilioSim.h"
#include "WebSocketTestClient.h"
#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"
#include "users/UserStore.h"

namespace heartline::test {

inline const QString E2eAccountSid = QStringLiteral("AC") + QString(32, u'e');
inline const QString E2eAuthToken = QStringLiteral("e2e0auth0token0e2e0auth0token000");
inline const QString E2eApiKeySid = QStringLiteral("SK") + QString(32, u'5');
inline const QString E2eApiKeySecret = QStringLiteral("e2e-api-key-secret");

/// An agent as its desktop app is connected: /ws/agent to the server, voice signaling to the sim.
struct ConnectedAgent
{
    QString id;
    std::unique_ptr<WebSocketTestClient> app;
    std::unique_ptr<WebSocketTestClient> voice;
};

class EndToEndFixture
{
public:
    /// Starts the sim, then the server pointed at it (settings are extra server keys). With
    /// `voiceTokens` the sim accepts only signed Access Tokens, which agents get from the server.
    bool start(QHash<QString, QString> settings = {}, bool voiceTokens = false)
    {
        // The sim must know the server's URL before the server starts, so the server's port is
        // chosen free and then bound: another program on the machine may take it in between, in
        // which case the pair starts again on another port.
        for (int attempt = 1;; ++attempt) {
            const StartResult result = startOnPort(settings, voiceTokens, freeLoopbackPort());
            if (result == StartResult::Started)
                return true;
            if (result == StartResult::Failed || attempt == 5)
                return false;
            qWarning() << "the server's port was taken before it could listen; starting again on another one";
        }
    }

    /// Restarts the server on the same database and port (the sim keeps running).
    bool restartServer(QHash<QString, QString> settings = {})
    {
        const quint16 port = quint16(m_server.baseUrl().port());
        m_server.stop();
        settings.insert(QStringLiteral("LISTEN_ADDRESS"), QStringLiteral("127.0.0.1:%1").arg(port));
        settings.insert(QStringLiteral("TWILIO_ACCOUNT_SID"), E2eAccountSid);
        settings.insert(QStringLiteral("TWILIO_AUTH_TOKEN"), E2eAuthToken);
        settings.insert(QStringLiteral("TWILIO_API_BASE_URL"), m_sim->baseUrl().toString());
        settings.insert(QStringLiteral("AGENT_HEARTBEAT_INTERVAL"), QStringLiteral("3600"));
        settings.insert(QStringLiteral("RECONCILE_INTERVAL_SECONDS"), QStringLiteral("0"));
        return m_server.start(settings);
    }

    Server &server() { return m_server.server(); }
    InProcessServer &process() { return m_server; }
    TwilioSim &sim() { return *m_sim; }
    CallEngine &engine() { return m_sim->engine(); }
    AgentService &agents() { return *m_server.server().agents(); }
    const AgentRecord &agent(const QString &id) { return *agents().agent(id); }
    ManualClock &clock() { return m_server.clock(); }

    /// An agent user, logged in, connected and ready (available, headset, voice registered at the sim).
    ConnectedAgent &connectAgent(const QString &id)
    {
        if (!m_server.server().users()->add(id, id.toUpper(), Role::Agent, id + QStringLiteral("-password")))
            qWarning() << "cannot add" << id;
        ConnectedAgent &agent = m_agents[id];
        agent.id = id;
        const QByteArray token = loginToken(m_server.baseUrl(), id);
        agent.app = std::make_unique<WebSocketTestClient>();
        agent.app->open(m_server.baseUrl(), QStringLiteral("/ws/agent"), token);
        agent.app->nextOfType(QStringLiteral("welcome"));
        agent.voice = std::make_unique<WebSocketTestClient>();
        agent.voice->open(m_sim->baseUrl(), QStringLiteral("/voice"));
        if (m_voiceTokens) {
            // As the agent app does: a Voice SDK token from the server, presented to Twilio.
            HttpTestClient http(m_server.baseUrl());
            http.setBearerToken(token);
            const QString voiceToken = http.get(QStringLiteral("/api/voice/token")).json().value(u"token").toString();
            agent.voice->sendJson(
                {{QStringLiteral("type"), QStringLiteral("register")}, {QStringLiteral("token"), voiceToken}});
        } else {
            agent.voice->sendJson(
                {{QStringLiteral("type"), QStringLiteral("register")}, {QStringLiteral("identity"), id}});
        }
        agent.voice->nextOfType(QStringLiteral("registered"));
        setStatus(id, QStringLiteral("available"));
        return agent;
    }

    /// What the agent app sends when the agent picks a status (and its heartbeat with devices).
    void setStatus(const QString &id, const QString &status)
    {
        WebSocketTestClient &app = *m_agents[id].app;
        app.sendJson({{QStringLiteral("type"), QStringLiteral("heartbeat")},
                      {QStringLiteral("currentStatus"), status},
                      {QStringLiteral("deviceConnected"), true},
                      {QStringLiteral("devices"),
                       QJsonObject {{QStringLiteral("audioInput"), true},
                                    {QStringLiteral("audioOutput"), true},
                                    {QStringLiteral("voiceRegistered"), true}}}});
        app.nextOfType(QStringLiteral("ack"));
        if (status == QStringLiteral("available")) {
            app.sendJson({{QStringLiteral("type"), QStringLiteral("setStatus")}, {QStringLiteral("status"), status}});
            app.nextOfType(QStringLiteral("ack"));
        }
    }

    ConnectedAgent &connected(const QString &id) { return m_agents[id]; }

    /// The sim's offer to this agent's voice client (the "incoming" message), or an empty object.
    QJsonObject incoming(const QString &id) { return m_agents[id].voice->nextOfType(QStringLiteral("incoming")); }
    void accept(const QString &id, const QString &legSid)
    {
        m_agents[id].voice->sendJson(
            {{QStringLiteral("type"), QStringLiteral("accept")}, {QStringLiteral("callSid"), legSid}});
    }
    void hangUp(const QString &id, const QString &legSid)
    {
        m_agents[id].voice->sendJson(
            {{QStringLiteral("type"), QStringLiteral("hangup")}, {QStringLiteral("callSid"), legSid}});
    }

    /// Waits (bounded, real time) until every webhook the sim sent has been answered.
    bool settle()
    {
        return QTest::qWaitFor([this] { return m_sim->webhooksInFlight() == 0; }, 10'000);
    }
    /// Simulated time passes: the sim's timers fire and the server sees the same clock.
    bool advance(qint64 ms)
    {
        if (!settle())
            return false;
        m_scheduler->advance(ms);
        const bool settled = settle();
        agents().runDueWork(); // what the server's one-second timer does
        return settled && settle();
    }
    QString placeCall(const QString &from = QStringLiteral("+15017122661"),
                      const QString &to = QStringLiteral("+15558675310"))
    {
        const QString sid = engine().placeInboundCall(from, to);
        settle();
        return sid;
    }
    /// The call's status at the sim.
    QString callStatus(const QString &sid) { return engine().findCall(sid)->status; }
    bool hasEvent(const QString &sid, const QString &fragment)
    {
        for (const CallEvent &event : engine().findCall(sid)->events) {
            if (event.detail.contains(fragment))
                return true;
        }
        return false;
    }

private:
    enum class StartResult { Started, PortTaken, Failed };

    StartResult startOnPort(QHash<QString, QString> settings, bool voiceTokens, quint16 serverPort)
    {
        m_voiceTokens = voiceTokens;
        const QString serverUrl = QStringLiteral("http://127.0.0.1:%1").arg(serverPort);
        SimOptions options;
        options.accountSid = E2eAccountSid;
        options.authToken = E2eAuthToken;
        options.voiceUrl = serverUrl + QStringLiteral("/twilio/voice/inbound");
        options.statusCallbackUrl = serverUrl + QStringLiteral("/twilio/voice/status");
        if (voiceTokens) {
            options.apiKeySid = E2eApiKeySid;
            options.apiKeySecret = E2eApiKeySecret;
            settings.insert(QStringLiteral("TWILIO_API_KEY_SID"), E2eApiKeySid);
            settings.insert(QStringLiteral("TWILIO_API_KEY_SECRET"), E2eApiKeySecret);
        }
        m_sim.reset();
        m_scheduler = std::make_unique<SimScheduler>(m_server.clock());
        m_sim = std::make_unique<TwilioSim>(options, *m_scheduler);
        QString error;
        if (!m_sim->listen(QHostAddress::LocalHost, 0, &error)) {
            qWarning() << "sim:" << error;
            return StartResult::Failed;
        }
        settings.insert(QStringLiteral("LISTEN_ADDRESS"), QStringLiteral("127.0.0.1:%1").arg(serverPort));
        settings.insert(QStringLiteral("TWILIO_ACCOUNT_SID"), E2eAccountSid);
        settings.insert(QStringLiteral("TWILIO_AUTH_TOKEN"), E2eAuthToken);
        settings.insert(QStringLiteral("TWILIO_API_BASE_URL"), m_sim->baseUrl().toString());
        // Heartbeats stay fresh however far a test moves the clock; liveness has its own tests.
        if (!settings.contains(QStringLiteral("AGENT_HEARTBEAT_INTERVAL")))
            settings.insert(QStringLiteral("AGENT_HEARTBEAT_INTERVAL"), QStringLiteral("3600"));
        settings.insert(QStringLiteral("RECONCILE_INTERVAL_SECONDS"), QStringLiteral("0")); // driven by tests
        if (m_server.start(settings))
            return StartResult::Started;
        qWarning() << "server:" << m_server.error();
        return m_server.error().contains(QStringLiteral("already in use")) ? StartResult::PortTaken
                                                                           : StartResult::Failed;
    }

    InProcessServer m_server;
    std::unique_ptr<SimScheduler> m_scheduler;
    std::unique_ptr<TwilioSim> m_sim;
    std::map<QString, ConnectedAgent> m_agents;
    bool m_voiceTokens = false;
};

} // namespace heartline::test
