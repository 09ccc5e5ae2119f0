// Inbound call routing over signed Twilio webhooks: the TwiML that dials the chosen agent, every
// gate excluding an agent, every strategy's order, fallback on and off, legacy against enhanced
// discovery with a crashed app, no double offers under concurrent webhooks, no-answer to the next
// agent and max-no-answer to away, answered calls through wrap-up, refused signatures, another
// account's webhooks, status callbacks and Dial actions that cannot be read (refused whole, nothing
// changed) while every Dial action Twilio sends is taken, and routing files that cannot be used.

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>

#include "RoutingFixture.h"
#include "WebSocketTestClient.h"
#include "routing/CallRouter.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QString sid(int n)
{
    return u"CA%1"_s.arg(n, 32, 10, QLatin1Char('0'));
}

} // namespace

class TestRouting final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RoutingFixture> m_fixture;

    void startWith(const QHash<QString, QString> &settings = {})
    {
        m_fixture = std::make_unique<RoutingFixture>();
        QVERIFY2(m_fixture->start(settings), qPrintable(m_fixture->server().error()));
    }

    /// Agents that become available one second apart, so longest-idle orders them as given.
    void readyInOrder(const QStringList &ids)
    {
        for (const QString &id : ids) {
            m_fixture->addAgent(id);
            m_fixture->heartbeat(id);
            m_fixture->clock().advanceSeconds(1);
        }
    }

private Q_SLOTS:
    void cleanup() { m_fixture.reset(); }

    void inboundDialsTheReadyAgent()
    {
        startWith();
        readyInOrder({u"alice"_s});
        const WebhookReply reply = m_fixture->inbound(sid(1));
        QCOMPARE(reply.http.status, 200);
        QCOMPARE(reply.http.contentType, QByteArray("text/xml"));
        QCOMPARE(reply.dialedAgent(), u"alice"_s);
        const TwimlVerb &dial = reply.twiml.verbs.first();
        QCOMPARE(dial.attribute(u"timeout"_s), u"20"_s);
        QCOMPARE(dial.attribute(u"action"_s), TestPublicUrl + u"/twilio/voice/dial-action?agent=alice"_s);
        QCOMPARE(dial.nouns.first().attribute(u"statusCallback"_s),
                 TestPublicUrl + u"/twilio/voice/status?agent=alice"_s);

        // Reserved until the offer ends, and recorded durably with its candidates.
        QCOMPARE(toString(m_fixture->record(u"alice"_s).activity), u"ringing"_s);
        QVERIFY(!m_fixture->record(u"alice"_s).readiness.ready);
        QCOMPARE(m_fixture->scalar(u"SELECT path || ':' || chosen_agent_id || ':' || attempt FROM routing_decisions"_s)
                     .toString(),
                 u"enhanced:alice:1"_s);
        const QJsonArray candidates
            = QJsonDocument::fromJson(m_fixture->scalar(u"SELECT candidates FROM routing_decisions"_s).toByteArray())
                  .array();
        QCOMPARE(candidates.first().toObject().value(u"agentId"_s).toString(), u"alice"_s);
        QCOMPARE(candidates.first().toObject().value(u"score"_s).toInt(), 100);
        QCOMPARE(m_fixture->scalar(u"SELECT status || ':' || agent_id FROM call_sessions"_s).toString(),
                 u"ringing:alice"_s);
    }

    void screenPopReachesTheAgentApp()
    {
        startWith();
        m_fixture->addAgent(u"alice"_s);
        HttpTestClient http(m_fixture->server().baseUrl());
        const QByteArray token
            = http.postJson(u"/api/auth/login"_s, {{u"userId"_s, u"alice"_s}, {u"password"_s, u"alice-password"_s}})
                  .json()
                  .value(u"token"_s)
                  .toString()
                  .toLatin1();
        WebSocketTestClient app;
        QVERIFY(app.open(m_fixture->server().baseUrl(), u"/ws/agent"_s, token));
        app.nextOfType(u"welcome"_s);
        app.sendJson({{u"type"_s, u"heartbeat"_s}, {u"currentStatus"_s, u"available"_s}, {u"deviceConnected"_s, true}});
        app.nextOfType(u"ack"_s);
        QCOMPARE(m_fixture->inbound(sid(2), u"+15550100"_s, u"+15557654321"_s).dialedAgent(), u"alice"_s);
        const QJsonObject offer = app.nextOfType(u"callOffered"_s);
        QCOMPARE(offer.value(u"callSid"_s).toString(), sid(2));
        QCOMPARE(offer.value(u"from"_s).toString(), u"+15557654321"_s);
        QCOMPARE(offer.value(u"queue"_s).toString(), u"default"_s);
        QCOMPARE(offer.value(u"waitSeconds"_s).toInt(), 0);
    }

    void eachGateExcludesAnAgent_data()
    {
        QTest::addColumn<QString>("gate");
        for (const char *gate : {"no session", "away", "stale heartbeat", "disconnected", "at capacity", "reserved",
                                 "wrap-up", "cooldown", "device disconnected"})
            QTest::newRow(gate) << QString::fromLatin1(gate);
    }
    void eachGateExcludesAnAgent()
    {
        QFETCH(QString, gate);
        startWith();
        readyInOrder({u"bad"_s, u"good"_s}); // "bad" idled longer: first in order unless a gate excludes it
        AgentService &agents = m_fixture->agents();
        if (gate == u"no session") {
            QVERIFY(!agents.closeSession(u"bad"_s, StatusChangeSource::Agent, u"logout"_s));
        } else if (gate == u"away") {
            QVERIFY(agents.setStatus(u"bad"_s, AgentStatus::Away, u"lunch"_s, StatusChangeSource::Agent, u"agent"_s));
        } else if (gate == u"stale heartbeat") {
            m_fixture->clock().advanceSeconds(80);
            m_fixture->heartbeat(u"good"_s); // only good's app is still alive; no cleanup has run yet
        } else if (gate == u"disconnected") {
            agents.connectionOpened(u"bad"_s);
            agents.connectionLost(u"bad"_s, u"crashed"_s);
        } else if (gate == u"at capacity") {
            QVERIFY(agents.reserve(u"bad"_s, sid(90)));
            agents.offerAnswered(u"bad"_s, sid(90));
        } else if (gate == u"reserved") {
            QVERIFY(agents.reserve(u"bad"_s, sid(90)));
        } else if (gate == u"wrap-up") {
            QVERIFY(agents.reserve(u"bad"_s, sid(90)));
            agents.offerAnswered(u"bad"_s, sid(90));
            agents.callEnded(u"bad"_s, sid(90), 30);
        } else if (gate == u"cooldown") {
            QVERIFY(agents.reserve(u"bad"_s, sid(90)));
            agents.offerUnanswered(u"bad"_s, sid(90), OfferOutcome::NoAnswer);
        } else if (gate == u"device disconnected") {
            m_fixture->heartbeat(u"bad"_s, AgentStatus::Available, false);
        }
        QVERIFY(!m_fixture->agents().agent(u"bad"_s)->readiness.ready);
        QCOMPARE(m_fixture->inbound(sid(1)).dialedAgent(), u"good"_s);
    }

    void strategiesOrderAsDocumented_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QString>("expected");
        QTest::newRow("longest-idle") << u"longest-idle"_s << u"a"_s;
        QTest::newRow("round-robin") << u"round-robin"_s << u"b"_s;
        QTest::newRow("fewest-calls") << u"fewest-calls"_s << u"c"_s;
        QTest::newRow("least-talk-time") << u"least-talk-time"_s << u"b"_s;
        QTest::newRow("top-down") << u"top-down"_s << u"c"_s;
        QTest::newRow("best-readiness") << u"best-readiness"_s << u"b"_s;
    }
    void strategiesOrderAsDocumented()
    {
        QFETCH(QString, strategy);
        QFETCH(QString, expected);
        startWith({{u"ROUTING_STRATEGY"_s, strategy}});
        // a idled longest, was offered a call most recently, has the most talk time;
        // b was offered least recently, talked least and has the best score;
        // c took the fewest calls and has the top priority.
        struct Setup
        {
            QString id;
            int priority;
            qint64 lastOffered;
            int calls;
            qint64 talk;
            bool audioOutput;
            bool audioInput;
        };
        const Setup setups[] = {{u"a"_s, 2, 3000, 5, 900, false, true},
                                {u"b"_s, 3, 1000, 9, 100, true, true},
                                {u"c"_s, 1, 2000, 1, 500, true, false}};
        for (const Setup &setup : setups) {
            m_fixture->addAgent(setup.id, {}, setup.priority);
            HeartbeatInput input;
            input.status = AgentStatus::Available;
            input.deviceConnected = true;
            input.devices = DeviceReport {setup.audioInput, setup.audioOutput, true, std::nullopt, std::nullopt};
            QVERIFY(m_fixture->agents().heartbeat(setup.id, input, HeartbeatTransport::Http));
            m_fixture->clock().advanceSeconds(1);
            // The counters come from earlier calls; set them as they would stand after those calls.
            AgentRecord &record = m_fixture->record(setup.id);
            record.lastOfferedAtMs = setup.lastOffered;
            record.callsToday = setup.calls;
            record.talkSecondsToday = setup.talk;
            record.countersDay = m_fixture->clock().nowMs() / 86'400'000;
            m_fixture->agents().revalidate(setup.id);
        }
        QVERIFY(m_fixture->record(u"a"_s).readiness.score < m_fixture->record(u"b"_s).readiness.score);
        QVERIFY(m_fixture->record(u"c"_s).readiness.score < m_fixture->record(u"b"_s).readiness.score);
        QCOMPARE(m_fixture->inbound(sid(1)).dialedAgent(), expected);
    }

    /// What the agent's app says of the desk: quiet (no input for INPUT_QUIET_SECONDS) or active.
    void reportDesk(const QString &id, Presence presence)
    {
        HeartbeatInput input;
        input.status = AgentStatus::Available;
        input.deviceConnected = true;
        input.presence = PresenceReport {presence, presence == Presence::Quiet ? 30.0 : 0.0};
        QVERIFY(m_fixture->agents().heartbeat(id, input, HeartbeatTransport::Http));
    }

    void quietDesksAreOfferedAfterDesksWithRecentInput_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("longest-idle") << u"longest-idle"_s;
        QTest::newRow("top-down") << u"top-down"_s;
        QTest::newRow("random") << u"random"_s;
    }
    void quietDesksAreOfferedAfterDesksWithRecentInput()
    {
        QFETCH(QString, strategy);
        startWith({{u"ROUTING_STRATEGY"_s, strategy}, {u"COOLDOWN_SECONDS"_s, u"0"_s}});
        // a idled longest and is first for every strategy but random, yet nobody touched its desk for
        // a while: the call goes to b, who did a moment ago. Neither loses readiness for it.
        m_fixture->addAgent(u"a"_s, {}, 1);
        m_fixture->addAgent(u"b"_s, {}, 2);
        reportDesk(u"a"_s, Presence::Quiet);
        m_fixture->clock().advanceSeconds(1);
        reportDesk(u"b"_s, Presence::Active);
        QVERIFY(m_fixture->record(u"a"_s).readiness.ready);
        for (int i = 0; i < 20; ++i) {
            QCOMPARE(m_fixture->inbound(sid(10 + i)).dialedAgent(), u"b"_s);
            m_fixture->dialAction(sid(10 + i), u"b"_s, u"canceled"_s); // released without a penalty
        }
        // With b's line busy, the quiet desk is offered rather than nobody.
        QCOMPARE(m_fixture->inbound(sid(40)).dialedAgent(), u"b"_s);
        QCOMPARE(m_fixture->inbound(sid(41)).dialedAgent(), u"a"_s);
        m_fixture->dialAction(sid(40), u"b"_s, u"canceled"_s);
        m_fixture->dialAction(sid(41), u"a"_s, u"canceled"_s);
        // Input at a's desk: the strategy's order again.
        reportDesk(u"a"_s, Presence::Active);
        if (strategy != u"random"_s)
            QCOMPARE(m_fixture->inbound(sid(50)).dialedAgent(), u"a"_s);
    }

    void randomStrategyReachesEveryone()
    {
        startWith({{u"ROUTING_STRATEGY"_s, u"random"_s}, {u"COOLDOWN_SECONDS"_s, u"0"_s}});
        readyInOrder({u"a"_s, u"b"_s, u"c"_s});
        QSet<QString> chosen;
        for (int i = 0; i < 60; ++i) {
            const QString agent = m_fixture->inbound(sid(100 + i)).dialedAgent();
            QVERIFY(!agent.isEmpty());
            chosen.insert(agent);
            m_fixture->dialAction(sid(100 + i), agent, u"canceled"_s); // release without a penalty
        }
        QCOMPARE(chosen, (QSet<QString> {u"a"_s, u"b"_s, u"c"_s}));
    }

    void fallback_data()
    {
        QTest::addColumn<bool>("fallback");
        QTest::newRow("fallback on") << true;
        QTest::newRow("fallback off") << false;
    }
    void fallback()
    {
        // The seed's integration test 3: enhanced validation fails, fallback decides.
        QFETCH(bool, fallback);
        startWith({{u"FEATURE_DISCOVERY_FALLBACK"_s, fallback ? u"true"_s : u"false"_s}});
        readyInOrder({u"a"_s, u"b"_s});
        m_fixture->clock().advanceSeconds(80); // both apps went quiet; their status still says available
        const WebhookReply reply = m_fixture->inbound(sid(1));
        QCOMPARE(reply.http.status, 200);
        if (fallback) {
            QCOMPARE(reply.dialedAgent(), u"a"_s);
            QCOMPARE(m_fixture->scalar(u"SELECT path FROM routing_decisions"_s).toString(), u"fallback"_s);
        } else {
            // Nobody is offered the call: the caller waits in the queue for a ready agent.
            QCOMPARE(reply.dialedAgent(), QString());
            QCOMPARE(reply.enqueuedIn(), u"default"_s);
            QCOMPARE(m_fixture->scalar(u"SELECT path FROM routing_decisions"_s).toString(), u"queued"_s);
        }
        const QJsonArray candidates
            = QJsonDocument::fromJson(m_fixture->scalar(u"SELECT candidates FROM routing_decisions"_s).toByteArray())
                  .array();
        QCOMPARE(candidates.size(), 2);
        QVERIFY(candidates.first().toObject().value(u"failedGates"_s).toArray().contains(u"heartbeat_expired"_s));
    }

    void legacyOffersToACrashedAppEnhancedDoesNot_data()
    {
        QTest::addColumn<bool>("enhanced");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("path");
        QTest::newRow("legacy") << false << u"crashed"_s << u"legacy"_s;
        QTest::newRow("enhanced") << true << u"alive"_s << u"enhanced"_s;
    }
    void legacyOffersToACrashedAppEnhancedDoesNot()
    {
        QFETCH(bool, enhanced);
        QFETCH(QString, expected);
        QFETCH(QString, path);
        startWith({{u"FEATURE_ENHANCED_DISCOVERY"_s, enhanced ? u"true"_s : u"false"_s}});
        QList<std::shared_ptr<WebSocketTestClient>> apps;
        for (const QString &id : {u"crashed"_s, u"alive"_s}) {
            m_fixture->addAgent(id);
            HttpTestClient http(m_fixture->server().baseUrl());
            const QByteArray token
                = http.postJson(u"/api/auth/login"_s,
                                QJsonObject {{u"userId"_s, id}, {u"password"_s, QString(id + u"-password"_s)}})
                      .json()
                      .value(u"token"_s)
                      .toString()
                      .toLatin1();
            auto app = std::make_shared<WebSocketTestClient>();
            QVERIFY(app->open(m_fixture->server().baseUrl(), u"/ws/agent"_s, token));
            app->nextOfType(u"welcome"_s);
            app->sendJson(
                {{u"type"_s, u"heartbeat"_s}, {u"currentStatus"_s, u"available"_s}, {u"deviceConnected"_s, true}});
            app->nextOfType(u"ack"_s);
            apps.append(app);
            m_fixture->clock().advanceSeconds(1);
        }
        apps.first()->socket().abort(); // the app crashed: the socket is gone, the status is not
        QTRY_COMPARE(toString(m_fixture->record(u"crashed"_s).activity), u"disconnected"_s);
        QCOMPARE(m_fixture->scalar(u"SELECT status FROM agent_sessions WHERE agent_id = 'crashed'"_s).toString(),
                 u"available"_s);

        const WebhookReply reply = m_fixture->inbound(sid(1));
        QCOMPARE(reply.dialedAgent(), expected);
        QCOMPARE(m_fixture->scalar(u"SELECT path FROM routing_decisions"_s).toString(), path);
    }

    void concurrentWebhooksNeverDoubleOffer()
    {
        startWith();
        QStringList ids;
        for (int i = 0; i < 10; ++i)
            ids.append(u"agent%1"_s.arg(i));
        readyInOrder(ids);

        QNetworkAccessManager network;
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 50; ++i) {
            const FormParams params {{u"CallSid"_s, sid(1000 + i)},
                                     {u"From"_s, u"+15559990000"_s},
                                     {u"To"_s, u"+15550100"_s},
                                     {u"CallStatus"_s, u"ringing"_s}};
            QNetworkRequest request(QUrl(m_fixture->server().baseUrl().toString() + u"/twilio/voice/inbound"_s));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
            request.setRawHeader("X-Twilio-Signature",
                                 TwilioSignature(TestAuthToken.toUtf8())
                                     .compute(QString(TestPublicUrl + u"/twilio/voice/inbound"_s), params));
            replies.append(network.post(request, params.encode()));
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); }), 30000);
        QStringList offered;
        int turnedAway = 0;
        for (QNetworkReply *reply : replies) {
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            WebhookReply parsed;
            parsed.twiml = parseTwiml(reply->readAll()).value();
            if (parsed.dialedAgent().isEmpty())
                ++turnedAway;
            else
                offered.append(parsed.dialedAgent());
            reply->deleteLater();
        }
        QCOMPARE(offered.size(), 10);
        QCOMPARE(QSet<QString>(offered.begin(), offered.end()).size(), 10); // nobody twice
        QCOMPARE(turnedAway, 40);
        QCOMPARE(m_fixture->scalar(u"SELECT count(*) FROM routing_decisions"_s).toInt(), 50);
    }

    void noAnswerGoesToTheNextAgent()
    {
        startWith();
        readyInOrder({u"a"_s, u"b"_s});
        QCOMPARE(m_fixture->inbound(sid(1)).dialedAgent(), u"a"_s);
        const WebhookReply next = m_fixture->dialAction(sid(1), u"a"_s, u"no-answer"_s);
        QCOMPARE(next.http.status, 200);
        QCOMPARE(next.dialedAgent(), u"b"_s);
        QCOMPARE(toString(m_fixture->record(u"a"_s).activity), u"cooldown"_s);
        QCOMPARE(m_fixture->record(u"a"_s).snapshot.recentOffers, 1);
        QCOMPARE(m_fixture->record(u"a"_s).snapshot.recentAnswers, 0);
        QCOMPARE(m_fixture->scalar(u"SELECT group_concat(chosen_agent_id || '#' || attempt) FROM routing_decisions"_s)
                     .toString(),
                 u"a#1,b#2"_s);

        // b declines too: nobody else is ready, so the caller waits in the queue.
        const WebhookReply last = m_fixture->dialAction(sid(1), u"b"_s, u"busy"_s);
        QCOMPARE(last.dialedAgent(), QString());
        QCOMPARE(last.enqueuedIn(), u"default"_s);

        // After the cooldown a is offered calls again (the server's one-second timer runs the due work).
        m_fixture->clock().advanceSeconds(11);
        m_fixture->agents().runDueWork();
        QCOMPARE(m_fixture->inbound(sid(2)).dialedAgent(), u"a"_s);
    }

    void aDialActionForAnUnknownCallRoutesTheCallerOn()
    {
        // A restart lost the call (no REST API here to ask): the webhook says the caller is still
        // there, so the caller gets the next agent, not a hang-up.
        startWith();
        readyInOrder({u"a"_s, u"b"_s});
        const FormParams params {{u"CallSid"_s, sid(7)},
                                 {u"DialCallStatus"_s, u"no-answer"_s},
                                 {u"CallStatus"_s, u"in-progress"_s},
                                 {u"From"_s, u"+15559990000"_s},
                                 {u"To"_s, u"+15550100"_s}};
        const WebhookReply next = m_fixture->webhook(u"/twilio/voice/dial-action?agent=a"_s, params);
        QCOMPARE(next.http.status, 200);
        QVERIFY(!next.hangsUp());
        QCOMPARE(next.dialedAgent(), u"b"_s);
        QCOMPARE(
            m_fixture->scalar(u"SELECT from_number FROM call_sessions WHERE call_sid = '%1'"_s.arg(sid(7))).toString(),
            u"+15559990000"_s);

        // A caller who already hung up is let go.
        const FormParams gone {
            {u"CallSid"_s, sid(8)}, {u"DialCallStatus"_s, u"no-answer"_s}, {u"CallStatus"_s, u"completed"_s}};
        QVERIFY(m_fixture->webhook(u"/twilio/voice/dial-action?agent=a"_s, gone).hangsUp());
    }

    void inboundCallsWaitForTheStartUpCheck()
    {
        startWith();
        readyInOrder({u"a"_s});
        CallRouter &calls = *m_fixture->server().server().calls();
        calls.holdInbound(60'000);
        // While the call is held, nothing is routed; releasing it routes it.
        bool reservedWhileHeld = true;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, [&] {
            if (calls.heldInboundCount() == 0)
                return;
            reservedWhileHeld = m_fixture->record(u"a"_s).snapshot.reserved;
            poll.stop();
            calls.releaseInbound();
        });
        poll.start(1);
        const WebhookReply reply = m_fixture->inbound(sid(1));
        QVERIFY(!reservedWhileHeld);
        QVERIFY(!calls.holdsInbound());
        QCOMPARE(reply.dialedAgent(), u"a"_s);
    }

    void maxNoAnswerPutsTheAgentAway()
    {
        startWith();
        m_fixture->addAgent(u"walker"_s, {}, 0, 1, 2);
        m_fixture->heartbeat(u"walker"_s);
        for (int call = 1; call <= 2; ++call) {
            QCOMPARE(m_fixture->inbound(sid(call)).dialedAgent(), u"walker"_s);
            m_fixture->dialAction(sid(call), u"walker"_s, u"no-answer"_s);
            m_fixture->clock().advanceSeconds(11);
            m_fixture->heartbeat(u"walker"_s); // the app keeps reporting available: it does not undo "away"
        }
        const AgentRecord &walker = m_fixture->record(u"walker"_s);
        QCOMPARE(toString(walker.snapshot.status), u"away"_s);
        QCOMPARE(walker.snapshot.awayReason, u"no-answer"_s);
        QCOMPARE(m_fixture
                     ->scalar(u"SELECT changed_by || ':' || to_status FROM agent_status_changes WHERE reason LIKE "
                              "'no-answer%' ORDER BY id DESC LIMIT 1"_s)
                     .toString(),
                 u"server:away"_s);
        QCOMPARE(m_fixture->inbound(sid(3)).dialedAgent(), QString());
    }

    void answeredCallGoesThroughWrapUp()
    {
        startWith();
        readyInOrder({u"a"_s});
        QCOMPARE(m_fixture->inbound(sid(1)).dialedAgent(), u"a"_s);
        QCOMPARE(m_fixture->agentLegStatus(sid(1), u"a"_s, u"ringing"_s, 1).status, 204);
        QCOMPARE(m_fixture->agentLegStatus(sid(1), u"a"_s, u"in-progress"_s, 2).status, 204);
        QCOMPARE(toString(m_fixture->record(u"a"_s).activity), u"on-call"_s);
        QCOMPARE(m_fixture->record(u"a"_s).snapshot.activeCalls, 1);
        QCOMPARE(m_fixture->scalar(u"SELECT status FROM call_sessions"_s).toString(), u"in-progress"_s);

        m_fixture->clock().advanceSeconds(42);
        QCOMPARE(m_fixture->agentLegStatus(sid(1), u"a"_s, u"completed"_s, 3, 42).status, 204);
        const WebhookReply done = m_fixture->dialAction(sid(1), u"a"_s, u"completed"_s, 42);
        QVERIFY(done.hangsUp());
        const AgentRecord &a = m_fixture->record(u"a"_s);
        QCOMPARE(toString(a.activity), u"wrap-up"_s);
        QCOMPARE(a.callsToday, 1);
        QCOMPARE(a.talkSecondsToday, 42); // counted once though two callbacks reported the end
        QCOMPARE(m_fixture->scalar(u"SELECT status || ':' || duration_seconds FROM call_sessions"_s).toString(),
                 u"completed:42"_s);
        m_fixture->clock().advanceSeconds(15);
        m_fixture->heartbeat(u"a"_s);
        QVERIFY(m_fixture->record(u"a"_s).readiness.ready);
    }

    void callbacksInAnyOrder()
    {
        startWith();
        readyInOrder({u"a"_s});
        QCOMPARE(m_fixture->inbound(sid(1)).dialedAgent(), u"a"_s);
        // The end arrives before the answer: the agent is not left "on a call" forever.
        m_fixture->agentLegStatus(sid(1), u"a"_s, u"completed"_s, 3, 30);
        m_fixture->agentLegStatus(sid(1), u"a"_s, u"in-progress"_s, 2);
        const AgentRecord &a = m_fixture->record(u"a"_s);
        QCOMPARE(a.snapshot.activeCalls, 0);
        QCOMPARE(toString(a.activity), u"wrap-up"_s);
        QCOMPARE(a.callsToday, 1);
    }

    void maxConcurrentCallsIsHonoured()
    {
        startWith();
        m_fixture->addAgent(u"multi"_s, {}, 0, 2);
        m_fixture->heartbeat(u"multi"_s);
        QCOMPARE(m_fixture->inbound(sid(1)).dialedAgent(), u"multi"_s);
        m_fixture->agentLegStatus(sid(1), u"multi"_s, u"in-progress"_s, 2);
        QCOMPARE(m_fixture->inbound(sid(2)).dialedAgent(), u"multi"_s); // one call of two: still ready
        m_fixture->agentLegStatus(sid(2), u"multi"_s, u"in-progress"_s, 2);
        QCOMPARE(m_fixture->inbound(sid(3)).dialedAgent(), QString()); // two of two: at capacity
        QCOMPARE(m_fixture->record(u"multi"_s).readiness.failedGates.first().gate, u"at_capacity"_s);
    }

    void skillsDecideWhoServesANumber()
    {
        QTemporaryDir dir;
        QFile plan(dir.filePath(u"routing.json"_s));
        QVERIFY(plan.open(QIODevice::WriteOnly));
        plan.write(R"({"defaultQueue":"general","queues":[
            {"name":"general"},
            {"name":"billing","numbers":["+15550200"],"skills":["billing"],"strategy":"top-down"}]})");
        plan.close();
        startWith({{u"ROUTING_FILE"_s, plan.fileName()}});
        m_fixture->addAgent(u"generalist"_s);
        m_fixture->heartbeat(u"generalist"_s);
        m_fixture->clock().advanceSeconds(1);
        m_fixture->addAgent(u"biller"_s, {u"billing"_s});
        m_fixture->heartbeat(u"biller"_s);
        QCOMPARE(m_fixture->inbound(sid(1), u"+15550200"_s).dialedAgent(), u"biller"_s);
        QCOMPARE(m_fixture->inbound(sid(2), u"+15550100"_s).dialedAgent(), u"generalist"_s);
        QCOMPARE(m_fixture->inbound(sid(3), u"+15550200"_s).dialedAgent(), QString()); // only biller has the skill
    }

    void routingFileWithADuplicateKeyIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("key");
        QTest::newRow("defaultQueue twice") << QByteArray(R"({"defaultQueue":"general","queues":[
            {"name":"general"},{"name":"billing"}],"defaultQueue":"billing"})")
                                            << u"defaultQueue"_s;
        QTest::newRow("a queue's strategy twice") << QByteArray(R"({"queues":[
            {"name":"general"},
            {"name":"billing","strategy":"top-down","numbers":["+15550200"],"strategy":"random"}]})")
                                                  << u"queues[1].strategy"_s;
        QTest::newRow("a queue's name twice, the second escaped")
            << QByteArray(R"({"queues":[{"name":"general","na\u006de":"sales"}]})") << u"queues[0].name"_s;
    }
    void routingFileWithADuplicateKeyIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, key);
        QTemporaryDir dir;
        QFile plan(dir.filePath(u"routing.json"_s));
        QVERIFY(plan.open(QIODevice::WriteOnly));
        plan.write(json);
        plan.close();
        RoutingFixture fixture;
        QVERIFY(!fixture.start({{u"ROUTING_FILE"_s, plan.fileName()}}));
        const QString error = fixture.server().error();
        QVERIFY2(error.contains(u"ROUTING_FILE "_s + plan.fileName()), qPrintable(error));
        QVERIFY2(error.contains(key + u" is given twice"_s), qPrintable(error));
        // Refused before anything was opened: no database for a server that does not run.
        QVERIFY(!QFileInfo::exists(fixture.server().databasePath()));
    }

    void refusedSignaturesRouteNothing_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("missing signature") << u"missing"_s;
        QTest::newRow("wrong signature") << u"wrong"_s;
        QTest::newRow("signed for another URL") << u"other-url"_s;
        QTest::newRow("signed with another token") << u"other-token"_s;
    }
    void refusedSignaturesRouteNothing()
    {
        QFETCH(QString, how);
        startWith();
        readyInOrder({u"a"_s});
        const FormParams params {{u"CallSid"_s, sid(1)}, {u"From"_s, u"+15559990000"_s}, {u"To"_s, u"+15550100"_s}};
        QByteArray signature;
        if (how == u"wrong")
            signature = "bm90IGEgc2lnbmF0dXJl";
        else if (how == u"other-url")
            signature = TwilioSignature(TestAuthToken.toUtf8())
                            .compute(u"https://evil.example.com/twilio/voice/inbound"_s, params);
        else if (how == u"other-token")
            signature
                = TwilioSignature("another-token").compute(QString(TestPublicUrl + u"/twilio/voice/inbound"_s), params);
        const WebhookReply reply = m_fixture->webhook(u"/twilio/voice/inbound"_s, params, signature);
        QCOMPARE(reply.http.status, 403);
        QCOMPARE(reply.http.errorCode(), u"forbidden"_s);
        QCOMPARE(m_fixture->scalar(u"SELECT count(*) FROM routing_decisions"_s).toInt(), 0);
        QCOMPARE(m_fixture->scalar(u"SELECT count(*) FROM call_sessions"_s).toInt(), 0);
        QVERIFY(m_fixture->record(u"a"_s).readiness.ready); // not reserved
    }

    void anotherAccountsWebhookIsRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("inbound call") << u"/twilio/voice/inbound"_s;
        QTest::newRow("agent leg answered") << u"/twilio/voice/status?agent=a"_s;
    }
    void anotherAccountsWebhookIsRefused()
    {
        QFETCH(QString, path);
        const QString ours = u"AC"_s + QString(32, u'1');
        const QString theirs = u"AC"_s + QString(32, u'2');
        // Both Twilio keys set also start the REST client: pointed at a closed port, never at Twilio.
        startWith({{u"TWILIO_ACCOUNT_SID"_s, ours},
                   {u"TWILIO_API_BASE_URL"_s, u"http://127.0.0.1:1"_s},
                   {u"RECONCILE_INTERVAL_SECONDS"_s, u"0"_s}});
        readyInOrder({u"a"_s});
        const bool agentLeg = path.contains(u"agent");
        auto paramsOf = [&](const QString &account, bool ofAgentLeg) {
            return FormParams {{u"CallSid"_s, ofAgentLeg ? u"CAleg1"_s : sid(1)},
                               {u"ParentCallSid"_s, sid(1)},
                               {u"AccountSid"_s, account},
                               {u"From"_s, u"+15559990000"_s},
                               {u"To"_s, u"+15550100"_s},
                               {u"CallStatus"_s, ofAgentLeg ? u"in-progress"_s : u"ringing"_s},
                               {u"SequenceNumber"_s, u"2"_s}};
        };
        if (agentLeg)
            QCOMPARE(m_fixture->webhook(u"/twilio/voice/inbound"_s, paramsOf(ours, false)).dialedAgent(), u"a"_s);
        const QStringList before {m_fixture->scalar(u"SELECT count(*) FROM routing_decisions"_s).toString(),
                                  m_fixture->scalar(u"SELECT group_concat(status) FROM call_sessions"_s).toString(),
                                  toString(m_fixture->record(u"a"_s).activity)};

        // Correctly signed with our token, but the call is another account's.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused .* from AccountSid "_s + theirs));
        const WebhookReply refused = m_fixture->webhook(path, paramsOf(theirs, agentLeg));
        QCOMPARE(refused.http.status, 403);
        QCOMPARE(refused.http.errorCode(), u"forbidden"_s);
        QCOMPARE(refused.http.json().value(u"error"_s).toObject().value(u"field"_s).toString(), u"AccountSid"_s);
        const QStringList after {m_fixture->scalar(u"SELECT count(*) FROM routing_decisions"_s).toString(),
                                 m_fixture->scalar(u"SELECT group_concat(status) FROM call_sessions"_s).toString(),
                                 toString(m_fixture->record(u"a"_s).activity)};
        QCOMPARE(after, before);
        const QByteArray metrics = HttpTestClient(m_fixture->server().baseUrl()).get(u"/metrics"_s).body;
        QVERIFY2(metrics.contains("heartline_twilio_webhooks_refused_total 1\n"), metrics.constData());

        // The same webhook from our account is acted on.
        const WebhookReply accepted = m_fixture->webhook(path, paramsOf(ours, agentLeg));
        QCOMPARE(accepted.http.status, agentLeg ? 204 : 200);
        QCOMPARE(toString(m_fixture->record(u"a"_s).activity), agentLeg ? u"on-call"_s : u"ringing"_s);
    }

    void webhooksWithoutAConfiguredTokenAreRefused()
    {
        m_fixture = std::make_unique<RoutingFixture>();
        auto server = std::make_unique<InProcessServer>();
        QVERIFY(server->start({{u"PUBLIC_BASE_URL"_s, TestPublicUrl}}));
        HttpTestClient http(server->baseUrl());
        const FormParams params {{u"CallSid"_s, sid(1)}, {u"To"_s, u"+15550100"_s}};
        const HttpReply reply = http.post(
            u"/twilio/voice/inbound"_s, params.encode(), "application/x-www-form-urlencoded",
            Headers {{"X-Twilio-Signature",
                      TwilioSignature("").compute(QString(TestPublicUrl + u"/twilio/voice/inbound"_s), params)}});
        QCOMPARE(reply.status, 403);
    }

    void badWebhookBodies_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("inbound without CallSid")
            << u"/twilio/voice/inbound"_s << QByteArray("To=%2B15550100") << 400 << u"missing_field"_s;
        QTest::newRow("inbound without To")
            << u"/twilio/voice/inbound"_s << QByteArray("CallSid=CA1") << 400 << u"missing_field"_s;
        QTest::newRow("dial action without status")
            << u"/twilio/voice/dial-action?agent=a"_s << QByteArray("CallSid=CA1") << 400 << u"missing_field"_s;
        QTest::newRow("dial action without agent")
            << u"/twilio/voice/dial-action"_s << QByteArray("CallSid=CA1&DialCallStatus=completed") << 400
            << u"missing_field"_s;
        QTest::newRow("broken escape") << u"/twilio/voice/inbound"_s << QByteArray("CallSid=CA%zz&To=1") << 400
                                       << u"malformed_form"_s;
        QTest::newRow("queue wait without queue")
            << u"/twilio/queue/wait"_s << QByteArray("CallSid=CA1") << 400 << u"missing_field"_s;
        QTest::newRow("queue action without QueueResult")
            << u"/twilio/queue/action?queue=default"_s << QByteArray("CallSid=CA1") << 400 << u"missing_field"_s;
        QTest::newRow("queue bridge without agent")
            << u"/twilio/queue/bridge"_s << QByteArray("CallSid=CA1") << 400 << u"missing_field"_s;
        QTest::newRow("status without CallStatus")
            << u"/twilio/voice/status"_s << QByteArray("CallSid=CA1") << 400 << u"missing_field"_s;
    }
    void badWebhookBodies()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        startWith();
        readyInOrder({u"a"_s});
        // Signed over the raw body's parameters as Twilio would (parse what can be parsed).
        const auto params = FormParams::parse(body);
        const QByteArray signature
            = TwilioSignature(TestAuthToken.toUtf8())
                  .compute(QString(TestPublicUrl + path), params ? params.value() : FormParams());
        HttpTestClient http(m_fixture->server().baseUrl());
        const HttpReply reply
            = http.post(path, body, "application/x-www-form-urlencoded", {{"X-Twilio-Signature", signature}});
        QCOMPARE(reply.status, params ? status : 403); // an undecodable body cannot carry a valid signature
        if (params)
            QCOMPARE(reply.errorCode(), code);
        QCOMPARE(m_fixture->scalar(u"SELECT count(*) FROM routing_decisions"_s).toInt(), 0);
        QVERIFY(m_fixture->record(u"a"_s).readiness.ready);
    }

    void unreadableStatusCallbacksChangeNothing_data()
    {
        QTest::addColumn<QString>("leg");     // whose leg the callback is about: "agent" or "caller"
        QTest::addColumn<bool>("answered");   // the agent answered before the callback
        QTest::addColumn<QByteArray>("form"); // CallStatus, SequenceNumber, CallDuration as sent
        QTest::addColumn<QString>("field");
        QTest::newRow("CallStatus=exploded")
            << u"agent"_s << false << QByteArray("CallStatus=exploded&SequenceNumber=5") << u"CallStatus"_s;
        QTest::newRow("caller's CallStatus=exploded")
            << u"caller"_s << false << QByteArray("CallStatus=exploded&SequenceNumber=5") << u"CallStatus"_s;
        QTest::newRow("CallStatus in capitals")
            << u"agent"_s << false << QByteArray("CallStatus=In-Progress&SequenceNumber=5") << u"CallStatus"_s;
        QTest::newRow("CallStatus twice")
            << u"agent"_s << false << QByteArray("CallStatus=in-progress&CallStatus=completed&SequenceNumber=5")
            << u"CallStatus"_s;
        QTest::newRow("SequenceNumber=-1")
            << u"agent"_s << false << QByteArray("CallStatus=in-progress&SequenceNumber=-1") << u"SequenceNumber"_s;
        QTest::newRow("SequenceNumber not a number")
            << u"agent"_s << false << QByteArray("CallStatus=in-progress&SequenceNumber=two") << u"SequenceNumber"_s;
        QTest::newRow("SequenceNumber beyond 2^31")
            << u"agent"_s << false << QByteArray("CallStatus=in-progress&SequenceNumber=4294967298")
            << u"SequenceNumber"_s;
        QTest::newRow("CallDuration=-5") << u"agent"_s << true
                                         << QByteArray("CallStatus=completed&SequenceNumber=3&CallDuration=-5")
                                         << u"CallDuration"_s;
        QTest::newRow("CallDuration fractional")
            << u"agent"_s << true << QByteArray("CallStatus=completed&SequenceNumber=3&CallDuration=4.5")
            << u"CallDuration"_s;
        QTest::newRow("caller's CallDuration=-5")
            << u"caller"_s << true << QByteArray("CallStatus=completed&SequenceNumber=3&CallDuration=-5")
            << u"CallDuration"_s;
    }
    void unreadableStatusCallbacksChangeNothing()
    {
        QFETCH(QString, leg);
        QFETCH(bool, answered);
        QFETCH(QByteArray, form);
        QFETCH(QString, field);
        startWith();
        readyInOrder({u"a"_s});
        QCOMPARE(m_fixture->inbound(sid(1)).dialedAgent(), u"a"_s);
        if (answered)
            QCOMPARE(m_fixture->agentLegStatus(sid(1), u"a"_s, u"in-progress"_s, 2).status, 204);
        auto state = [this] {
            const AgentRecord &a = m_fixture->record(u"a"_s);
            TableReader tables(m_fixture->server().databasePath());
            return QStringList {toString(a.activity), QString::number(a.snapshot.activeCalls),
                                QString::number(a.talkSecondsToday)}
            + tables.dump(u"call_sessions"_s) + tables.dump(u"agent_status_changes"_s);
        };
        const QStringList before = state();

        FormParams params {{u"CallSid"_s, leg == u"agent" ? u"CAleg"_s + sid(1).mid(2) : sid(1)}};
        if (leg == u"agent")
            params.append(u"ParentCallSid"_s, sid(1));
        const auto sent = FormParams::parse(form);
        QVERIFY(sent);
        for (const auto &[name, value] : sent->pairs())
            params.append(name, value);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused a status callback .*"_s + field));
        const HttpReply reply
            = m_fixture
                  ->webhook(leg == u"agent" ? u"/twilio/voice/status?agent=a"_s : u"/twilio/voice/status"_s, params)
                  .http;
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorCode(), u"invalid_value"_s);
        QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
        QVERIFY2(reply.json().value(u"error"_s).toObject().value(u"message"_s).toString().contains(field),
                 reply.body.constData());
        QCOMPARE(state(), before);

        // Not even the sequence number was taken: the real callback with the next number still counts.
        if (answered) {
            QCOMPARE(m_fixture->agentLegStatus(sid(1), u"a"_s, u"completed"_s, 3, 42).status, 204);
            QCOMPARE(toString(m_fixture->record(u"a"_s).activity), u"wrap-up"_s);
            QCOMPARE(m_fixture->record(u"a"_s).talkSecondsToday, 42);
        } else {
            QCOMPARE(m_fixture->agentLegStatus(sid(1), u"a"_s, u"in-progress"_s, 2).status, 204);
            QCOMPARE(toString(m_fixture->record(u"a"_s).activity), u"on-call"_s);
        }
    }

    void unreadableDialActionsChangeNothing_data()
    {
        QTest::addColumn<bool>("answered");   // the agent answered before the Dial action
        QTest::addColumn<QByteArray>("form"); // added to CallSid as sent
        QTest::addColumn<QString>("field");
        QTest::newRow("DialCallStatus=exploded")
            << false << QByteArray("DialCallStatus=exploded&DialCallDuration=0") << u"DialCallStatus"_s;
        QTest::newRow("DialCallStatus in capitals")
            << false << QByteArray("DialCallStatus=No-Answer&DialCallDuration=0") << u"DialCallStatus"_s;
        QTest::newRow("DialCallStatus with a space")
            << true << QByteArray("DialCallStatus=completed+&DialCallDuration=42") << u"DialCallStatus"_s;
        QTest::newRow("DialCallStatus twice")
            << false << QByteArray("DialCallStatus=no-answer&DialCallStatus=completed") << u"DialCallStatus"_s;
        QTest::newRow("DialCallDuration=-5")
            << true << QByteArray("DialCallStatus=completed&DialCallDuration=-5") << u"DialCallDuration"_s;
        QTest::newRow("DialCallDuration=+5")
            << true << QByteArray("DialCallStatus=completed&DialCallDuration=%2B5") << u"DialCallDuration"_s;
        QTest::newRow("DialCallDuration fractional")
            << true << QByteArray("DialCallStatus=completed&DialCallDuration=4.5") << u"DialCallDuration"_s;
        QTest::newRow("DialCallDuration not a number")
            << true << QByteArray("DialCallStatus=completed&DialCallDuration=long") << u"DialCallDuration"_s;
        QTest::newRow("DialCallDuration beyond 2^31")
            << true << QByteArray("DialCallStatus=completed&DialCallDuration=4294967338") << u"DialCallDuration"_s;
        QTest::newRow("DialCallDuration twice")
            << true << QByteArray("DialCallStatus=completed&DialCallDuration=42&DialCallDuration=-42")
            << u"DialCallDuration"_s;
        QTest::newRow("unanswered DialCallDuration=-1")
            << false << QByteArray("DialCallStatus=no-answer&DialCallDuration=-1") << u"DialCallDuration"_s;
        QTest::newRow("DialSipResponseCode not a number")
            << false << QByteArray("DialCallStatus=failed&DialSipResponseCode=48O") << u"DialSipResponseCode"_s;
        QTest::newRow("DialSipResponseCode below 100")
            << false << QByteArray("DialCallStatus=failed&DialSipResponseCode=99") << u"DialSipResponseCode"_s;
        QTest::newRow("DialSipResponseCode above 699")
            << false << QByteArray("DialCallStatus=failed&DialSipResponseCode=700") << u"DialSipResponseCode"_s;
        QTest::newRow("DialSipResponseCode negative")
            << false << QByteArray("DialCallStatus=failed&DialSipResponseCode=-480") << u"DialSipResponseCode"_s;
        QTest::newRow("DialSipResponseCode with a reason phrase")
            << false << QByteArray("DialCallStatus=failed&DialSipResponseCode=480+Temporarily+Unavailable")
            << u"DialSipResponseCode"_s;
        QTest::newRow("DialSipResponseCode twice")
            << false << QByteArray("DialCallStatus=failed&DialSipResponseCode=480&DialSipResponseCode=486")
            << u"DialSipResponseCode"_s;
        QTest::newRow("CallSid twice") << false
                                       << QByteArray("CallSid=CA99999999999999999999999999999999"
                                                     "&DialCallStatus=no-answer&DialCallDuration=0")
                                       << u"CallSid"_s;
    }
    void unreadableDialActionsChangeNothing()
    {
        QFETCH(bool, answered);
        QFETCH(QByteArray, form);
        QFETCH(QString, field);
        startWith();
        readyInOrder({u"a"_s, u"b"_s}); // b would be offered the call next
        QCOMPARE(m_fixture->inbound(sid(1)).dialedAgent(), u"a"_s);
        if (answered) {
            QCOMPARE(m_fixture->agentLegStatus(sid(1), u"a"_s, u"in-progress"_s, 2).status, 204);
            m_fixture->clock().advanceSeconds(42);
        }
        auto state = [this] {
            QStringList agents;
            for (const QString &id : {u"a"_s, u"b"_s}) {
                const AgentRecord &agent = m_fixture->record(id);
                agents << u"%1: %2 reserved=%3 active=%4 talk=%5 calls=%6 cooldown=%7 streak=%8 offers=%9/%10"_s
                              .arg(id, toString(agent.activity), agent.reservedCallSid, agent.activeCallSids.join(u','))
                              .arg(agent.talkSecondsToday)
                              .arg(agent.callsToday)
                              .arg(agent.snapshot.cooldownUntilMs)
                              .arg(agent.noAnswerStreak)
                              .arg(agent.snapshot.recentAnswers)
                              .arg(agent.snapshot.recentOffers);
            }
            TableReader tables(m_fixture->server().databasePath());
            return agents + tables.dump(u"call_sessions"_s) + tables.dump(u"routing_decisions"_s)
                + tables.dump(u"agent_status_changes"_s);
        };
        const QStringList before = state();

        FormParams params {{u"CallSid"_s, sid(1)}};
        const auto sent = FormParams::parse(form);
        QVERIFY(sent);
        for (const auto &[name, value] : sent->pairs())
            params.append(name, value);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused a Dial action .*"_s + field));
        const WebhookReply reply = m_fixture->webhook(u"/twilio/voice/dial-action?agent=a"_s, params);
        QCOMPARE(reply.http.status, 400);
        QCOMPARE(reply.http.errorCode(), u"invalid_value"_s);
        QCOMPARE(reply.http.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
        QVERIFY2(reply.http.json().value(u"error"_s).toObject().value(u"message"_s).toString().contains(field),
                 reply.http.body.constData());
        QCOMPARE(state(), before);

        // The call is still Heartline's to settle: the Dial action Twilio really sends still counts.
        if (answered) {
            const WebhookReply done = m_fixture->dialAction(sid(1), u"a"_s, u"completed"_s, 42);
            QCOMPARE(done.http.status, 200);
            QVERIFY(done.hangsUp());
            const AgentRecord &a = m_fixture->record(u"a"_s);
            QCOMPARE(toString(a.activity), u"wrap-up"_s);
            QCOMPARE(a.callsToday, 1);
            QCOMPARE(a.talkSecondsToday, 42);
            QCOMPARE(m_fixture->scalar(u"SELECT status || ':' || duration_seconds FROM call_sessions"_s).toString(),
                     u"completed:42"_s);
        } else {
            const WebhookReply next = m_fixture->dialAction(sid(1), u"a"_s, u"no-answer"_s);
            QCOMPARE(next.http.status, 200);
            QCOMPARE(next.dialedAgent(), u"b"_s);
            QCOMPARE(toString(m_fixture->record(u"a"_s).activity), u"cooldown"_s);
            QCOMPARE(m_fixture->record(u"a"_s).snapshot.recentOffers, 1);
            QCOMPARE(m_fixture->record(u"a"_s).noAnswerStreak, 1);
            QCOMPARE(
                m_fixture->scalar(u"SELECT group_concat(chosen_agent_id || '#' || attempt) FROM routing_decisions"_s)
                    .toString(),
                u"a#1,b#2"_s);
        }
    }

    void dialActionsTwilioSendsAreAccepted_data()
    {
        QTest::addColumn<QByteArray>("form"); // added to CallSid as sent
        QTest::addColumn<QString>("then");    // "hangup" or the agent dialed next
        // Refusing a Dial action drops the caller: every form Twilio documents must still be taken.
        QTest::newRow("completed without DialCallDuration") << QByteArray("DialCallStatus=completed") << u"hangup"_s;
        QTest::newRow("completed with an empty DialCallDuration")
            << QByteArray("DialCallStatus=completed&DialCallDuration=") << u"hangup"_s;
        QTest::newRow("answered (Twilio's word after a conference)")
            << QByteArray("DialCallStatus=answered&DialCallDuration=42") << u"hangup"_s;
        QTest::newRow("no-answer with DialCallDuration=0")
            << QByteArray("DialCallStatus=no-answer&DialCallDuration=0") << u"b"_s;
        QTest::newRow("busy") << QByteArray("DialCallStatus=busy") << u"b"_s;
        QTest::newRow("failed") << QByteArray("DialCallStatus=failed&DialCallDuration=0") << u"b"_s;
        QTest::newRow("canceled") << QByteArray("DialCallStatus=canceled&DialCallDuration=0") << u"hangup"_s;
        // A <Sip> leg's Dial action carries its SIP side too.
        QTest::newRow("completed, SIP 200")
            << QByteArray("DialCallStatus=completed&DialCallDuration=42&DialSipCallId=x%40pc33&DialSipResponseCode=200")
            << u"hangup"_s;
        QTest::newRow("failed, SIP 480") << QByteArray("DialCallStatus=failed&DialSipResponseCode=480") << u"b"_s;
        QTest::newRow("busy, SIP 486") << QByteArray("DialCallStatus=busy&DialSipResponseCode=486") << u"b"_s;
        QTest::newRow("no-answer, SIP 408") << QByteArray("DialCallStatus=no-answer&DialSipResponseCode=408") << u"b"_s;
        QTest::newRow("canceled, SIP 487")
            << QByteArray("DialCallStatus=canceled&DialSipResponseCode=487") << u"hangup"_s;
        QTest::newRow("empty DialSipResponseCode")
            << QByteArray("DialCallStatus=no-answer&DialSipResponseCode=") << u"b"_s;
        QTest::newRow("an X- header the phone returned")
            << QByteArray("DialCallStatus=busy&DialSipResponseCode=486&DialSipHeader_X-Reason=lunch") << u"b"_s;
    }
    void dialActionsTwilioSendsAreAccepted()
    {
        QFETCH(QByteArray, form);
        QFETCH(QString, then);
        startWith();
        readyInOrder({u"a"_s, u"b"_s});
        QCOMPARE(m_fixture->inbound(sid(1)).dialedAgent(), u"a"_s);
        FormParams params {{u"CallSid"_s, sid(1)}, {u"DialCallSid"_s, u"CAchild"_s + sid(1).mid(2)}};
        const auto sent = FormParams::parse(form);
        QVERIFY(sent);
        for (const auto &[name, value] : sent->pairs())
            params.append(name, value);
        const WebhookReply reply = m_fixture->webhook(u"/twilio/voice/dial-action?agent=a"_s, params);
        QCOMPARE(reply.http.status, 200);
        if (then == u"hangup")
            QVERIFY(reply.hangsUp());
        else
            QCOMPARE(reply.dialedAgent(), then);
    }

    void decisionsRoute_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("decisions");
        QTest::addColumn<QString>("field");
        QTest::newRow("all") << QString() << 200 << 2 << QString();
        QTest::newRow("one agent") << u"?agentId=b"_s << 200 << 1 << QString();
        QTest::newRow("limit") << u"?limit=1"_s << 200 << 1 << QString();
        QTest::newRow("limit zero") << u"?limit=0"_s << 400 << 0 << u"limit"_s;
        QTest::newRow("limit too big") << u"?limit=501"_s << 400 << 0 << u"limit"_s;
        QTest::newRow("limit not a number") << u"?limit=ten"_s << 400 << 0 << u"limit"_s;
        QTest::newRow("limit negative") << u"?limit=-1"_s << 400 << 0 << u"limit"_s;
        QTest::newRow("empty agent") << u"?agentId="_s << 400 << 0 << u"agentId"_s;
        QTest::newRow("repeated") << u"?limit=1&limit=2"_s << 400 << 0 << u"limit"_s;
        QTest::newRow("unknown parameter") << u"?since=yesterday"_s << 400 << 0 << u"since"_s;
    }
    void decisionsRoute()
    {
        QFETCH(QString, query);
        QFETCH(int, status);
        QFETCH(int, decisions);
        QFETCH(QString, field);
        startWith();
        readyInOrder({u"a"_s, u"b"_s});
        m_fixture->inbound(sid(1));
        m_fixture->inbound(sid(2));
        QVERIFY(m_fixture->server().server().users()->add(u"sam"_s, u"Sam"_s, Role::Supervisor, u"sam-password"_s));
        HttpTestClient http(m_fixture->server().baseUrl());
        http.setBearerToken(
            http.postJson(u"/api/auth/login"_s, {{u"userId"_s, u"sam"_s}, {u"password"_s, u"sam-password"_s}})
                .json()
                .value(u"token"_s)
                .toString()
                .toLatin1());
        const HttpReply reply = http.get(u"/api/routing/decisions"_s + query);
        QCOMPARE(reply.status, status);
        if (status != 200) {
            QCOMPARE(reply.errorCode(), u"invalid_value"_s);
            QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
            return;
        }
        const QJsonArray list = reply.json().value(u"decisions"_s).toArray();
        QCOMPARE(list.size(), decisions);
        const QJsonObject newest = list.first().toObject();
        QCOMPARE(newest.value(u"path"_s).toString(), u"enhanced"_s);
        QVERIFY(newest.value(u"candidates"_s).toArray().first().toObject().contains(u"score"_s));

        HttpTestClient agent(m_fixture->server().baseUrl());
        agent.setBearerToken(
            agent.postJson(u"/api/auth/login"_s, {{u"userId"_s, u"a"_s}, {u"password"_s, u"a-password"_s}})
                .json()
                .value(u"token"_s)
                .toString()
                .toLatin1());
        QCOMPARE(agent.get(u"/api/routing/decisions"_s).status, 403);
    }

    void recentDecisionsAreKeptForSupervisors()
    {
        startWith();
        readyInOrder({u"a"_s, u"b"_s});
        m_fixture->inbound(sid(1));
        m_fixture->inbound(sid(2));
        const CallRouter &calls = *m_fixture->server().server().calls();
        QCOMPARE(calls.recentDecisions({}, 10).size(), 2);
        QCOMPARE(calls.recentDecisions({}, 1).first().callSid, sid(2)); // newest first
        const QList<RoutingDecision> forB = calls.recentDecisions(u"b"_s, 10);
        QCOMPARE(forB.size(), 1);
        QCOMPARE(forB.first().chosenAgentId, u"b"_s);
        QCOMPARE(forB.first().callSid, sid(2));
        QCOMPARE(toString(forB.first().path), u"enhanced"_s);
    }

    void eachDecisionIsCountedOnceInMetrics()
    {
        startWith();
        readyInOrder({u"a"_s});
        m_fixture->inbound(sid(1)); // a rings
        m_fixture->inbound(sid(2)); // nobody else: the caller waits
        const QByteArray metrics = HttpTestClient(m_fixture->server().baseUrl()).get(u"/metrics"_s).body;
        QVERIFY2(metrics.contains("heartline_routing_decisions_total{path=\"enhanced\"} 1\n"), metrics.constData());
        QVERIFY2(metrics.contains("heartline_routing_decisions_total{path=\"queued\"} 1\n"), metrics.constData());
        QVERIFY2(metrics.contains("heartline_discovery_seconds_count 2\n"), metrics.constData());
    }
};

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
