// The stand-in's TwiML interpreter against hand-written documents: each verb and attribute it
// runs, observed through the call's event log, the webhooks the test's server received and the
// simulated time; escaping; documents and webhooks that fail.

#include <QTest>

#include "SimFixture.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestSimTwiml final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void voiceWebhookCarriesTheStandardParameters()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Pause length=\"5\"/>"));
        const QString sid = f.placeCall(u"+15017122661"_s, u"+15558675310"_s);

        QCOMPARE(f.hooks.count(u"/voice"_s), 1);
        const Hook hook = f.hooks.at(u"/voice"_s).first();
        QCOMPARE(hook.method, QByteArray("POST"));
        QVERIFY2(hook.signatureValid, qPrintable(hook.signatureVerdict));
        QVERIFY(hook.contentType.startsWith("application/x-www-form-urlencoded"));
        QCOMPARE(hook.param(u"CallSid"_s), sid);
        QVERIFY(sid.startsWith(u"CA"_s) && sid.size() == 34);
        QCOMPARE(hook.param(u"AccountSid"_s), SimAccountSid);
        QCOMPARE(hook.param(u"From"_s), u"+15017122661"_s);
        QCOMPARE(hook.param(u"To"_s), u"+15558675310"_s);
        QCOMPARE(hook.param(u"Caller"_s), u"+15017122661"_s);
        QCOMPARE(hook.param(u"Called"_s), u"+15558675310"_s);
        QCOMPARE(hook.param(u"CallStatus"_s), u"ringing"_s);
        QCOMPARE(hook.param(u"ApiVersion"_s), u"2010-04-01"_s);
        QCOMPARE(hook.param(u"Direction"_s), u"inbound"_s);
        QVERIFY(!hook.params.contains(u"ParentCallSid"_s));
        QCOMPARE(f.call(sid).status, u"in-progress"_s);
    }

    void timedVerbsLastTheirSimulatedTime_data()
    {
        QTest::addColumn<QByteArray>("verbs");
        QTest::addColumn<qint64>("durationMs");
        // Say: 60 ms per character; Play: 10 s per URL, 500 ms per digit; Pause: its length.
        QTest::newRow("Say") << QByteArray("<Say>Hello</Say>") << qint64(5 * 60);
        QTest::newRow("Say loop") << QByteArray("<Say loop=\"3\">Hello</Say>") << qint64(3 * 5 * 60);
        QTest::newRow("Say voice, language")
            << QByteArray("<Say voice=\"alice\" language=\"en-GB\">Hi there</Say>") << qint64(8 * 60);
        QTest::newRow("Play") << QByteArray("<Play>https://example.com/hold.mp3</Play>") << qint64(10'000);
        QTest::newRow("Play loop") << QByteArray("<Play loop=\"2\">https://example.com/hold.mp3</Play>")
                                   << qint64(20'000);
        QTest::newRow("Play digits") << QByteArray("<Play digits=\"1234\"/>") << qint64(4 * 500);
        QTest::newRow("Pause default") << QByteArray("<Pause/>") << qint64(1000);
        QTest::newRow("Pause length") << QByteArray("<Pause length=\"7\"/>") << qint64(7000);
        QTest::newRow("verbs in sequence")
            << QByteArray("<Say>Hi</Say><Pause length=\"2\"/><Say>Bye</Say>") << qint64(2 * 60 + 2000 + 3 * 60);
        QTest::newRow("Gather times out")
            << QByteArray("<Gather timeout=\"3\"><Say>Press</Say></Gather>") << qint64(5 * 60 + 3000);
        QTest::newRow("Gather default timeout") << QByteArray("<Gather input=\"dtmf\"/>") << qint64(5000);
    }

    void timedVerbsLastTheirSimulatedTime()
    {
        QFETCH(QByteArray, verbs);
        QFETCH(qint64, durationMs);
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response(verbs));
        const QString sid = f.placeCall();
        QCOMPARE(f.call(sid).status, u"in-progress"_s);

        QVERIFY(f.advance(durationMs - 1));
        QCOMPARE(f.call(sid).status, u"in-progress"_s);
        QVERIFY(f.advance(1));
        // The document ran out: Twilio hangs up.
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QCOMPARE(f.call(sid).endMs - f.call(sid).startMs, durationMs);
        QVERIFY(f.hasEvent(sid, u"no more verbs"_s));
    }

    void loopZeroRepeatsUntilTheCallEnds()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Play loop=\"0\">https://example.com/a.mp3</Play><Hangup/>"));
        const QString sid = f.placeCall();
        QVERIFY(f.advance(3600 * 1000));
        QCOMPARE(f.call(sid).status, u"in-progress"_s);
        QVERIFY(f.hasEvent(sid, u"repeats until the call leaves it"_s));
        QVERIFY(f.engine().hangup(sid).ok());
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QCOMPARE(f.call(sid).durationSeconds(), 3600);
    }

    void redirectFollowsRelativeUrlsWithItsMethod()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Say>a</Say><Redirect>/step2?x=1</Redirect><Say>never</Say>"));
        f.hooks.twiml.insert(u"/step2"_s, response("<Redirect method=\"GET\">step3</Redirect>"));
        f.hooks.twiml.insert(u"/step3"_s, response("<Hangup/>"));
        const QString sid = f.placeCall();
        QVERIFY(f.advance(60));

        const QList<Hook> second = f.hooks.at(u"/step2"_s);
        QCOMPARE(second.size(), 1);
        QCOMPARE(second.first().method, QByteArray("POST"));
        QCOMPARE(second.first().url, f.hooks.url(u"/step2?x=1"_s));
        QCOMPARE(second.first().param(u"CallStatus"_s), u"in-progress"_s);
        const QList<Hook> third = f.hooks.at(u"/step3"_s);
        QCOMPARE(third.size(), 1);
        QCOMPARE(third.first().method, QByteArray("GET"));
        // A GET carries the parameters in the query, and is signed over the full URL.
        QCOMPARE(third.first().param(u"CallSid"_s), sid);
        QVERIFY2(third.first().signatureValid, qPrintable(third.first().signatureVerdict));
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QVERIFY(!f.hasEvent(sid, u"never"_s));
        QVERIFY(f.hooks.allSignaturesValid());
    }

    void hangupEndsTheCallAtOnce()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Say>ab</Say><Hangup/><Say>never</Say>"));
        const QString sid = f.placeCall();
        QVERIFY(f.advance(120));
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QVERIFY(f.hasEvent(sid, u"<Hangup>"_s));
        QVERIFY(!f.hasEvent(sid, u"never"_s));
    }

    void rejectEndsTheCallUnanswered_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("status");
        QTest::newRow("default reason") << QByteArray("<Reject/>") << u"no-answer"_s;
        QTest::newRow("rejected") << QByteArray("<Reject reason=\"rejected\"/>") << u"no-answer"_s;
        QTest::newRow("busy") << QByteArray("<Reject reason=\"busy\"/>") << u"busy"_s;
    }

    void rejectEndsTheCallUnanswered()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, status);
        SimFixture f;
        QVERIFY(f.start(true));
        f.hooks.twiml.insert(u"/voice"_s, response(verb + "<Say>never</Say>"));
        const QString sid = f.placeCall();
        QVERIFY(f.settle());
        QCOMPARE(f.call(sid).status, status);
        QCOMPARE(f.call(sid).startMs, qint64(-1));
        QVERIFY(!f.hasEvent(sid, u"never"_s));
        // Never answered: no "answered" callback; the completed one carries the final status.
        QStringList statuses;
        for (const Hook &hook : f.hooks.at(u"/status"_s))
            statuses.append(hook.param(u"CallStatus"_s));
        QCOMPARE(statuses, (QStringList {u"initiated"_s, u"ringing"_s, status}));
    }

    void leaveOutsideAQueueIsIgnored()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Leave/><Say>still here</Say>"));
        const QString sid = f.placeCall();
        QVERIFY(f.hasEvent(sid, u"<Leave> outside a queue does nothing"_s));
        QVERIFY(f.advance(10 * 60));
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QVERIFY(f.hasEvent(sid, u"still here"_s));
    }

    void gatherWithActionOnEmptyResultRequestsItsAction()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s,
                             response("<Gather action=\"/gathered\" actionOnEmptyResult=\"true\" timeout=\"2\">"
                                      "<Pause length=\"1\"/></Gather><Say>never</Say>"));
        f.hooks.twiml.insert(u"/gathered"_s, response("<Hangup/>"));
        const QString sid = f.placeCall();
        QVERIFY(f.advance(2999));
        QCOMPARE(f.hooks.count(u"/gathered"_s), 0);
        QVERIFY(f.advance(1));
        QCOMPARE(f.hooks.count(u"/gathered"_s), 1);
        const Hook hook = f.hooks.at(u"/gathered"_s).first();
        QVERIFY(hook.params.contains(u"Digits"_s));
        QCOMPARE(hook.param(u"Digits"_s), QString());
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QVERIFY(!f.hasEvent(sid, u"never"_s));
    }

    void escapedTextAndUrlsAreDecoded()
    {
        SimFixture f;
        QVERIFY(f.start());
        // "Fish & Chips <3 'ok'" is 20 characters once decoded.
        f.hooks.twiml.insert(u"/voice"_s,
                             response("<Say>Fish &amp; Chips &lt;3 &apos;ok&apos;</Say>"
                                      "<Redirect>/next?a=1&amp;b=%C3%A9</Redirect>"));
        f.hooks.twiml.insert(u"/next"_s, response("<Hangup/>"));
        const QString sid = f.placeCall();
        QVERIFY(f.hasEvent(sid, u"Fish & Chips <3 'ok'"_s));
        QVERIFY(f.advance(20 * 60 - 1));
        QCOMPARE(f.hooks.count(u"/next"_s), 0);
        QVERIFY(f.advance(1));
        QCOMPARE(f.hooks.count(u"/next"_s), 1);
        QCOMPARE(f.hooks.at(u"/next"_s).first().url, f.hooks.url(u"/next?a=1&b=%C3%A9"_s));
        QVERIFY(f.hooks.allSignaturesValid());
    }

    void dialToANumberRingsUntilItsTimeout()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s,
                             response("<Dial timeout=\"5\" action=\"/dialed\" callerId=\"+15550000000\">"
                                      "+15551112222</Dial>"));
        f.hooks.twiml.insert(u"/dialed"_s, response("<Hangup/>"));
        const QString sid = f.placeCall();
        QVERIFY(f.advance(4999));
        QCOMPARE(f.hooks.count(u"/dialed"_s), 0);
        QVERIFY(f.advance(1));
        QCOMPARE(f.hooks.count(u"/dialed"_s), 1);
        const Hook action = f.hooks.at(u"/dialed"_s).first();
        QCOMPARE(action.param(u"DialCallStatus"_s), u"no-answer"_s);
        QCOMPARE(action.param(u"DialCallDuration"_s), u"0"_s);
        const SimCall &leg = f.call(action.param(u"DialCallSid"_s));
        QCOMPARE(leg.parentSid, sid);
        QCOMPARE(leg.direction, u"outbound-dial"_s);
        QCOMPARE(leg.to, u"+15551112222"_s);
        QCOMPARE(leg.from, u"+15550000000"_s);
        QCOMPARE(leg.status, u"no-answer"_s);
        QCOMPARE(f.call(sid).status, u"completed"_s);
    }

    void dialToASipEndpointFailsAtOnce()
    {
        // Without its SIP domain started (--sip-domain), the stand-in reaches no SIP endpoint: a
        // <Sip> leg fails at once, as Twilio's does when it reaches nobody, so the caller is never
        // left ringing.
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s,
                             response("<Dial timeout=\"20\" action=\"/dialed\"><Sip statusCallback=\"/leg\" "
                                      "statusCallbackEvent=\"initiated ringing answered completed\">"
                                      "sip:alice@acme.sip.twilio.com;transport=tls;secure=true</Sip></Dial>"));
        f.hooks.twiml.insert(u"/dialed"_s, response("<Hangup/>"));
        const QString sid = f.placeCall();
        QCOMPARE(f.hooks.count(u"/dialed"_s), 1);
        const Hook action = f.hooks.at(u"/dialed"_s).first();
        QCOMPARE(action.param(u"DialCallStatus"_s), u"failed"_s);
        const SimCall &leg = f.call(action.param(u"DialCallSid"_s));
        QCOMPARE(leg.to, u"sip:alice@acme.sip.twilio.com;transport=tls;secure=true"_s);
        QCOMPARE(leg.status, u"failed"_s);
        QVERIFY(f.hasEvent(leg.sid, u"no SIP domain is started"_s));
        // The leg's own callbacks: initiated, then completed with CallStatus=failed.
        QVERIFY(f.settle());
        const QList<Hook> callbacks = f.hooks.at(u"/leg"_s);
        QCOMPARE(callbacks.size(), 2);
        QCOMPARE(callbacks.last().param(u"CallStatus"_s), u"failed"_s);
        QCOMPARE(f.call(sid).status, u"completed"_s);
    }

    void dialWithoutActionContinuesWithTheNextVerb()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Dial><Client>nobody</Client></Dial><Say>after the dial</Say>"));
        const QString sid = f.placeCall();
        // Nobody is registered as the client: the leg ends no-answer at once, as Twilio reports it.
        QVERIFY(f.hasEvent(sid, u"DialCallStatus=no-answer"_s));
        QVERIFY(f.hasEvent(sid, u"after the dial"_s));
        QCOMPARE(f.eventTime(sid, u"after the dial"_s), f.eventTime(sid, u"<Dial>"_s));
    }

    void invalidDocumentsFailTheCall_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not XML") << QByteArray("Hello, world") << u"12100 twiml_parse_error"_s;
        QTest::newRow("unclosed") << QByteArray("<Response><Say>hi</Response>") << u"12100 twiml_parse_error"_s;
        QTest::newRow("empty body") << QByteArray() << u"12100 twiml_parse_error"_s;
        QTest::newRow("wrong root") << QByteArray("<Reply><Say>hi</Say></Reply>") << u"12100 twiml_invalid_root"_s;
        QTest::newRow("unknown verb") << response("<Shout>hi</Shout>") << u"12200 twiml_invalid_verb"_s;
        QTest::newRow("unsupported verb") << response("<Connect/>") << u"12200 twiml_unsupported_verb"_s;
        QTest::newRow("noun outside Dial") << response("<Client>alice</Client>") << u"12200 twiml_misplaced_noun"_s;
        QTest::newRow("bad Dial timeout")
            << response("<Dial timeout=\"soon\"><Client>a</Client></Dial>") << u"12200 twiml_invalid_attribute"_s;
        QTest::newRow("Dial with nothing") << response("<Dial/>") << u"12200 twiml_missing_noun"_s;
        QTest::newRow("queue name too long")
            << response("<Enqueue>" + QByteArray(65, 'q') + "</Enqueue>") << u"12200 twiml_invalid_text"_s;
        QTest::newRow("bad method") << response("<Redirect method=\"PUT\">/x</Redirect>")
                                    << u"12200 twiml_invalid_attribute"_s;
        QTest::newRow("DTD") << QByteArray("<!DOCTYPE r [<!ENTITY a \"b\">]><Response/>")
                             << u"12100 twiml_parse_error"_s;
    }

    void invalidDocumentsFailTheCall()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, reason);
        SimFixture f;
        QVERIFY(f.start(true));
        f.hooks.twiml.insert(u"/voice"_s, body);
        const QString sid = f.placeCall();
        QVERIFY(f.settle());
        QCOMPARE(f.call(sid).status, u"failed"_s);
        QCOMPARE(f.call(sid).startMs, qint64(-1));
        const QStringList errors = f.events(sid, u"error"_s);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(reason), qPrintable(errors.first()));
        QCOMPARE(f.hooks.at(u"/status"_s).last().param(u"CallStatus"_s), u"failed"_s);
    }

    void failingWebhooksFailTheCall_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::newRow("500") << 500 << u"HTTP 500"_s;
        QTest::newRow("404") << 404 << u"HTTP 404"_s;
        QTest::newRow("302") << 302 << u"HTTP 302"_s;
    }

    void failingWebhooksFailTheCall()
    {
        QFETCH(int, status);
        QFETCH(QString, reason);
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.answer = [status](const Hook &) {
            return std::optional<HookAnswer>(HookAnswer {status, "<Response><Say>ignored</Say></Response>", false});
        };
        const QString sid = f.placeCall();
        QCOMPARE(f.call(sid).status, u"failed"_s);
        const QStringList errors = f.events(sid, u"error"_s);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(u"11200 HTTP retrieval failure"_s), qPrintable(errors.first()));
        QVERIFY2(errors.first().contains(reason), qPrintable(errors.first()));
        QVERIFY(!f.hasEvent(sid, u"ignored"_s));
    }

    void aWebhookThatNeverAnswersTimesOut()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.answer = [](const Hook &) {
            return std::optional<HookAnswer>(HookAnswer {200, {}, true});
        };
        const QString sid = f.engine().placeInboundCall(u"+15017122661"_s, u"+15558675310"_s);
        QTRY_COMPARE_WITH_TIMEOUT(f.hooks.count(u"/voice"_s), 1, SettleLimitMs);
        f.scheduler.advance(14'999);
        QCOMPARE(f.call(sid).status, u"ringing"_s);
        f.scheduler.advance(1); // Twilio's 15 s limit, in simulated time
        QVERIFY(f.settle());
        QCOMPARE(f.call(sid).status, u"failed"_s);
        QVERIFY(f.events(sid, u"error"_s).first().contains(u"timed out after 15000 ms"_s));
    }

    void anUnreachableWebhookFailsTheCall()
    {
        SimFixture f;
        QVERIFY(f.start(false, [](SimOptions &options) { options.voiceUrl = u"http://127.0.0.1:1/voice"_s; }));
        const QString sid = f.placeCall();
        QCOMPARE(f.call(sid).status, u"failed"_s);
        QVERIFY(f.events(sid, u"error"_s).first().contains(u"no answer"_s));
    }

    void aLaterDocumentThatFailsEndsTheAnsweredCall()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Say>a</Say><Redirect>/broken</Redirect>"));
        f.hooks.twiml.insert(u"/broken"_s, "<Response><Say>unclosed</Response>");
        const QString sid = f.placeCall();
        QVERIFY(f.advance(60));
        // Answered already: "An application error has occurred", then a normal hang-up.
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QVERIFY(f.hasEvent(sid, u"An application error has occurred"_s));
        QVERIFY(f.events(sid, u"error"_s).first().startsWith(u"12100"_s));
    }

    void eventLogRecordsWebhooksAndVerbs()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Say>Hi</Say>"));
        const QString sid = f.placeCall();
        QVERIFY(f.advance(120));
        const QStringList kinds = [&] {
            QStringList out;
            for (const CallEvent &event : f.call(sid).events)
                out.append(event.kind);
            return out;
        }();
        QCOMPARE(kinds,
                 (QStringList {u"status"_s, u"webhook"_s, u"webhook"_s, u"twiml"_s, u"status"_s, u"verb"_s, u"verb"_s,
                               u"status"_s}));
        QVERIFY(f.events(sid, u"webhook"_s).last().contains(u"HTTP 200"_s));
        QCOMPARE(f.eventTime(sid, u"<Say> finished"_s) - f.eventTime(sid, u"<Say>Hi</Say> started"_s), qint64(120));
    }
};

QTEST_GUILESS_MAIN(TestSimTwiml)
#include "tst_sim_twiml.moc"
