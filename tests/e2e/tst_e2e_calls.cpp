// Whole calls through the Twilio stand-in and the real server: a call rings the ready agent's
// voice client and is answered, status callbacks keep the agent's activity true, an unanswered
// offer moves to the next agent, and reconciliation repairs what callbacks missed.

#include <QSignalSpy>

#include "EndToEndFixture.h"
#include "VoiceSignaling.h"
#include "routing/CallReconciler.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestEndToEndCalls final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EndToEndFixture> m_e2e;

private Q_SLOTS:
    void init()
    {
        m_e2e = std::make_unique<EndToEndFixture>();
        QVERIFY(m_e2e->start());
    }
    void cleanup() { m_e2e.reset(); }

    void callIsRoutedAnsweredAndWrappedUp()
    {
        // The seed's integration test 2: call routing with validation, end to end.
        m_e2e->connectAgent(u"alice"_s);
        const QString call = m_e2e->placeCall(u"+15551234567"_s);
        QVERIFY(m_e2e->hasEvent(call, u"Dial"_s));

        // The screen pop reaches the app, the voice client rings.
        const QJsonObject offer = m_e2e->connected(u"alice"_s).app->nextOfType(u"callOffered"_s);
        QCOMPARE(offer.value(u"callSid"_s).toString(), call);
        QCOMPARE(offer.value(u"from"_s).toString(), u"+15551234567"_s);
        const QJsonObject ring = m_e2e->incoming(u"alice"_s);
        QCOMPARE(ring.value(u"parentCallSid"_s).toString(), call);
        QCOMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"ringing"_s);

        m_e2e->accept(u"alice"_s, ring.value(u"callSid"_s).toString());
        QTRY_COMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"on-call"_s);
        QCOMPARE(m_e2e->callStatus(call), u"in-progress"_s);

        QVERIFY(m_e2e->advance(45'000));
        m_e2e->hangUp(u"alice"_s, ring.value(u"callSid"_s).toString());
        QTRY_COMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"wrap-up"_s);
        // The app hears that the call is over, pushed on /ws/agent.
        const QJsonObject ended = m_e2e->connected(u"alice"_s).app->nextOfType(u"callEnded"_s);
        QCOMPARE(ended.value(u"callSid"_s).toString(), call);
        QCOMPARE(ended.value(u"outcome"_s).toString(), u"completed"_s);
        QVERIFY(m_e2e->settle());
        QCOMPARE(m_e2e->agent(u"alice"_s).callsToday, 1);
        QCOMPARE(m_e2e->agent(u"alice"_s).talkSecondsToday, 45);
        QCOMPARE(TableReader(m_e2e->process().databasePath())
                     .scalar(u"SELECT status || ':' || agent_id || ':' || duration_seconds FROM call_sessions"_s)
                     .toString(),
                 u"completed:alice:45"_s);

        // Wrap-up ends by itself; the agent is offered calls again.
        QVERIFY(m_e2e->advance(16'000));
        QVERIFY(m_e2e->agents().agent(u"alice"_s)->readiness.ready);
    }

    void agentsRegisterWithVoiceTokensFromTheServer()
    {
        m_e2e = std::make_unique<EndToEndFixture>();
        QVERIFY(m_e2e->start({}, true));
        m_e2e->connectAgent(u"alice"_s);
        QCOMPARE(m_e2e->sim().signaling().registeredCount(u"alice"_s), 1);
        m_e2e->placeCall();
        QVERIFY(!m_e2e->incoming(u"alice"_s).isEmpty());

        // A forged token is refused by the voice side; a supervisor gets no token at all.
        WebSocketTestClient forged;
        QVERIFY(forged.open(m_e2e->sim().baseUrl(), u"/voice"_s));
        forged.sendJson({{u"type"_s, u"register"_s}, {u"token"_s, u"eyJhbGciOiJIUzI1NiJ9.e30.AAAA"_s}});
        QCOMPARE(forged.nextOfType(u"error"_s).isEmpty(), false);
        QVERIFY(m_e2e->process().server().users()->add(u"sam"_s, u"Sam"_s, Role::Supervisor, u"sam-password"_s));
        HttpTestClient http(m_e2e->process().baseUrl());
        http.setBearerToken(
            http.postJson(u"/api/auth/login"_s, {{u"userId"_s, u"sam"_s}, {u"password"_s, u"sam-password"_s}})
                .json()
                .value(u"token"_s)
                .toString()
                .toLatin1());
        QCOMPARE(http.get(u"/api/voice/token"_s).status, 403);
    }

    void unansweredOfferMovesToTheNextAgent()
    {
        m_e2e->connectAgent(u"alice"_s); // idle longest: offered first
        m_e2e->clock().advanceSeconds(1);
        m_e2e->connectAgent(u"bob"_s);
        const QString call = m_e2e->placeCall();
        QVERIFY(!m_e2e->incoming(u"alice"_s).isEmpty());
        QVERIFY(m_e2e->advance(21'000)); // alice lets it ring past the Dial timeout
        // alice's app is told at once that the offer is over, not only by its voice line.
        const QJsonObject ended = m_e2e->connected(u"alice"_s).app->nextOfType(u"callEnded"_s);
        QCOMPARE(ended.value(u"callSid"_s).toString(), call);
        QCOMPARE(ended.value(u"outcome"_s).toString(), u"no-answer"_s);
        const QJsonObject ring = m_e2e->incoming(u"bob"_s);
        QCOMPARE(ring.value(u"parentCallSid"_s).toString(), call);
        m_e2e->accept(u"bob"_s, ring.value(u"callSid"_s).toString());
        QTRY_COMPARE(toString(m_e2e->agent(u"bob"_s).activity), u"on-call"_s);
        QCOMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"cooldown"_s);
        QCOMPARE(m_e2e->agent(u"alice"_s).noAnswerStreak, 1);
    }

    void declinedOfferCountsAndMovesOn()
    {
        m_e2e->connectAgent(u"alice"_s);
        m_e2e->clock().advanceSeconds(1);
        m_e2e->connectAgent(u"bob"_s);
        m_e2e->placeCall();
        const QJsonObject ring = m_e2e->incoming(u"alice"_s);
        m_e2e->connected(u"alice"_s)
            .voice->sendJson({{u"type"_s, u"reject"_s}, {u"callSid"_s, ring.value(u"callSid"_s).toString()}});
        QVERIFY(!m_e2e->incoming(u"bob"_s).isEmpty());
        QCOMPARE(m_e2e->agent(u"alice"_s).snapshot.recentOffers, 1);
        QCOMPARE(m_e2e->agent(u"alice"_s).snapshot.recentAnswers, 0);
    }

    void walkAwayAgentIsSetAwayAndTold()
    {
        // An agent who left the desk without setting away: every offer rings out.
        m_e2e->connectAgent(u"walker"_s);
        QVERIFY(m_e2e->process().server().users()); // profile default: max-no-answer 3
        for (int i = 0; i < 3; ++i) {
            m_e2e->placeCall();
            QVERIFY(!m_e2e->incoming(u"walker"_s).isEmpty());
            QVERIFY(m_e2e->advance(21'000)); // rings out, then cooldown
            QVERIFY(m_e2e->advance(11'000));
        }
        QCOMPARE(toString(m_e2e->agent(u"walker"_s).snapshot.status), u"away"_s);
        const QJsonObject told = m_e2e->connected(u"walker"_s).app->nextOfType(u"statusChanged"_s);
        QCOMPARE(told.value(u"cause"_s).toString(), u"no-answer"_s);
        QCOMPARE(told.value(u"status"_s).toString(), u"away"_s);
    }

    void reconciliationRepairsMissedCallbacks()
    {
        m_e2e->connectAgent(u"alice"_s);
        m_e2e->connectAgent(u"bob"_s);
        // Heartline believes bob is on a call Twilio has never heard of (a callback got lost).
        QVERIFY(m_e2e->agents().reserve(u"bob"_s, u"CA00000000000000000000000000000999"_s));
        m_e2e->agents().offerAnswered(u"bob"_s, u"CA00000000000000000000000000000999"_s);
        // And alice answered a call whose "answered" callback Heartline never saw.
        const QString call = m_e2e->placeCall();
        const QJsonObject ring = m_e2e->incoming(u"alice"_s);
        m_e2e->accept(u"alice"_s, ring.value(u"callSid"_s).toString());
        QTRY_COMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"on-call"_s);
        m_e2e->agents().callEnded(u"alice"_s, call, 0); // as if the end had been reported wrongly

        CallReconciler *reconciler = m_e2e->server().reconciler();
        QVERIFY(reconciler);
        QSignalSpy finished(reconciler, &CallReconciler::finished);
        reconciler->runNow();
        QVERIFY(finished.wait(10'000));
        QCOMPARE(m_e2e->agent(u"bob"_s).snapshot.activeCalls, 0);
        QCOMPARE(m_e2e->agent(u"alice"_s).snapshot.activeCalls, 1);
        QCOMPARE(finished.first().first().toInt(), 2);
        TableReader tables(m_e2e->process().databasePath());
        QCOMPARE(tables
                     .scalar(u"SELECT group_concat(agent_id || ':' || action, ',') FROM (SELECT * FROM call_repairs "
                             "ORDER BY agent_id)"_s)
                     .toString(),
                 u"alice:adopted,bob:ended"_s);
    }

    void withSipDomainTheStandInFailsTheSipLegAndTheCallerWaits()
    {
        // The stand-in's SIP domain is not started here: the <Sip> leg fails at once, the caller is
        // never left ringing, and reconciliation over SIP legs ends what Twilio does not have.
        m_e2e = std::make_unique<EndToEndFixture>();
        QVERIFY(m_e2e->start({{u"SIP_DOMAIN"_s, u"heartline.test"_s}, {u"SIP_EDGE_HOST"_s, u"127.0.0.1:5061"_s}}));
        m_e2e->connectAgent(u"alice"_s);
        const QString call = m_e2e->placeCall();
        QVERIFY(m_e2e->hasEvent(
            call,
            u"to sip:alice@heartline.test;transport=tls;secure=true?x-heartline-parent-callsid=%1 created"_s.arg(
                call)));
        QVERIFY(m_e2e->hasEvent(call, u"DialCallStatus=failed"_s));
        QVERIFY(m_e2e->settle());
        QTRY_VERIFY(m_e2e->engine().findCall(call)->queued.has_value()); // waiting, hold music playing
        QCOMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"cooldown"_s);

        QVERIFY(m_e2e->process().server().users()->add(u"bob"_s, u"BOB"_s, Role::Agent, u"bob-password"_s));
        QVERIFY(m_e2e->agents().agent(u"bob"_s));
        QVERIFY(m_e2e->agents().reserve(u"bob"_s, u"CA00000000000000000000000000000999"_s));
        m_e2e->agents().offerAnswered(u"bob"_s, u"CA00000000000000000000000000000999"_s);
        CallReconciler *reconciler = m_e2e->server().reconciler();
        QSignalSpy finished(reconciler, &CallReconciler::finished);
        reconciler->runNow();
        QVERIFY(finished.wait(10'000));
        QCOMPARE(finished.first().first().toInt(), 1); // bob's call ended; the waiting caller is nobody's leg
        QCOMPARE(m_e2e->agent(u"bob"_s).snapshot.activeCalls, 0);
    }

    void legsAreReadBackAsTheirAgent_data()
    {
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("sipDomain");
        QTest::addColumn<QString>("agent"); // empty: no agent's leg
        QTest::newRow("client") << u"client:alice"_s << QString() << u"alice"_s;
        QTest::newRow("phone number") << u"+15558675310"_s << QString() << QString();
        QTest::newRow("SIP leg, client mode") << u"sip:alice@acme.sip.twilio.com"_s << QString() << QString();
        QTest::newRow("SIP leg") << u"sip:alice@acme.sip.twilio.com"_s << u"acme.sip.twilio.com"_s << u"alice"_s;
        QTest::newRow("SIP leg with parameters")
            << u"sip:alice@acme.sip.twilio.com;transport=tls;secure=true"_s << u"acme.sip.twilio.com"_s << u"alice"_s;
        QTest::newRow("SIP leg, domain in capitals")
            << u"sip:alice@ACME.sip.twilio.com"_s << u"acme.sip.twilio.com"_s << u"alice"_s;
        QTest::newRow("another domain") << u"sip:alice@other.sip.twilio.com"_s << u"acme.sip.twilio.com"_s << QString();
        QTest::newRow("client leg, SIP mode") << u"client:alice"_s << u"acme.sip.twilio.com"_s << QString();
        QTest::newRow("escaped user") << u"sip:a%2Eb@acme.sip.twilio.com"_s << u"acme.sip.twilio.com"_s << u"a.b"_s;
    }
    void legsAreReadBackAsTheirAgent()
    {
        QFETCH(QString, to);
        QFETCH(QString, sipDomain);
        QFETCH(QString, agent);
        QCOMPARE(CallReconciler::agentOfLeg(to, sipDomain).value_or(QString()), agent);
    }
};

QTEST_GUILESS_MAIN(TestEndToEndCalls)
#include "tst_e2e_calls.moc"
