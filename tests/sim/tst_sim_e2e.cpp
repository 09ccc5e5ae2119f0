// End to end through the stand-in: an inbound call, the test's webhook answering with a Dial to
// a voice client registered over the /voice signaling WebSocket, and what follows: accept, reject,
// timeout, nobody registered, hang-ups on either side, status callbacks in order, and the child
// leg as the product's reconciliation query finds it through the REST API.

#include <QJsonArray>
#include <QTest>

#include "HttpTestClient.h"
#include "SimFixture.h"
#include "VoiceSignaling.h"
#include "WebSocketTestClient.h"
#include "twilio/AccessToken.h"
#include "twilio/TwilioRestClient.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace {

constexpr int WaitLimitMs = 10'000;
const QString ApiKeySid = u"SK"_s + QString(32, u'5');
const QString ApiKeySecret = u"api-key-secret-for-tests"_s;

const QByteArray dialAlice = response("<Dial timeout=\"20\" action=\"/dial-action\"><Client>alice</Client></Dial>"
                                      "<Say>never</Say>");

/// A voice client registered by identity (the stand-in runs without an API key secret).
struct VoiceClient
{
    WebSocketTestClient socket;

    bool registerAs(SimFixture &f, const QString &identity)
    {
        if (!socket.open(f.sim->baseUrl(), u"/voice"_s))
            return false;
        socket.sendJson(QJsonObject {{u"type"_s, u"register"_s}, {u"identity"_s, identity}});
        return socket.nextOfType(u"registered"_s).value(u"identity"_s).toString() == identity;
    }
    void send(const QString &type, const QString &callSid)
    {
        socket.sendJson(QJsonObject {{u"type"_s, type}, {u"callSid"_s, callSid}});
    }
};

QList<TwilioCall> listCalls(SimFixture &f, const TwilioCallFilter &filter)
{
    TwilioRestOptions options;
    options.baseUrl = f.sim->baseUrl();
    options.accountSid = SimAccountSid;
    options.authToken = SimAuthToken;
    options.retry.maxAttempts = 1;
    TwilioRestClient client(options, f.clock);
    std::optional<TwilioResult<QList<TwilioCall>>> result;
    QObject context;
    client.listCalls(filter, &context, [&](const TwilioResult<QList<TwilioCall>> &answer) { result.emplace(answer); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, WaitLimitMs) || !result->ok())
        return {};
    return result->value();
}

QList<Hook> callbacksOf(const SimFixture &f, const QString &path, const QString &sid)
{
    QList<Hook> out;
    for (const Hook &hook : f.hooks.at(path)) {
        if (hook.param(u"CallSid"_s) == sid)
            out.append(hook);
    }
    return out;
}

} // namespace

class TestSimEndToEnd final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
            qunsetenv(name);
    }

    void dialToARegisteredClientThatAccepts()
    {
        SimFixture f;
        QVERIFY(f.start(true));
        f.hooks.twiml.insert(u"/voice"_s,
                             response("<Dial timeout=\"20\" action=\"/dial-action\"><Client statusCallback=\"/leg\" "
                                      "statusCallbackEvent=\"initiated ringing answered completed\">"
                                      "<Identity>alice</Identity><Parameter name=\"queue\" value=\"support\"/>"
                                      "<Parameter name=\"note\" value=\"a &amp; b &lt;c&gt;\"/></Client></Dial>"));
        f.hooks.twiml.insert(u"/dial-action"_s, response("<Say>Thanks</Say>"));
        VoiceClient alice;
        QVERIFY(alice.registerAs(f, u"alice"_s));
        QCOMPARE(f.sim->signaling().registeredCount(u"alice"_s), 1);

        const QString sid = f.placeCall(u"+15017122661"_s, u"+15558675310"_s);
        const QJsonObject incoming = alice.socket.nextOfType(u"incoming"_s);
        const QString leg = incoming.value(u"callSid"_s).toString();
        QVERIFY(leg.startsWith(u"CA"_s) && leg != sid);
        QCOMPARE(incoming.value(u"parentCallSid"_s).toString(), sid);
        QCOMPARE(incoming.value(u"from"_s).toString(), u"+15017122661"_s);
        QCOMPARE(incoming.value(u"to"_s).toString(), u"client:alice"_s);
        QCOMPARE(incoming.value(u"params"_s).toObject(),
                 (QJsonObject {{u"queue"_s, u"support"_s}, {u"note"_s, u"a & b <c>"_s}}));

        TwilioCallFilter ringing;
        ringing.to = u"client:alice"_s;
        ringing.status = u"ringing"_s;
        const QList<TwilioCall> ringingLegs = listCalls(f, ringing);
        QCOMPARE(ringingLegs.size(), 1);
        QCOMPARE(ringingLegs.first().sid, leg);
        QCOMPARE(ringingLegs.first().parentCallSid, sid);
        QCOMPARE(ringingLegs.first().direction, u"outbound-dial"_s);

        QVERIFY(f.advance(5000));
        alice.send(u"accept"_s, leg);
        QCOMPARE(alice.socket.nextOfType(u"connected"_s).value(u"callSid"_s).toString(), leg);
        QTRY_COMPARE_WITH_TIMEOUT(f.call(leg).status, u"in-progress"_s, WaitLimitMs);

        // The product's reconciliation query finds the agent's leg.
        TwilioCallFilter onCall;
        onCall.to = u"client:alice"_s;
        onCall.status = u"in-progress"_s;
        const QList<TwilioCall> bridged = listCalls(f, onCall);
        QCOMPARE(bridged.size(), 1);
        QCOMPARE(bridged.first().sid, leg);
        QCOMPARE(bridged.first().parentCallSid, sid);

        QVERIFY(f.advance(42'000));
        alice.send(u"hangup"_s, leg);
        QTRY_COMPARE_WITH_TIMEOUT(f.hooks.count(u"/dial-action"_s), 1, WaitLimitMs);
        const Hook action = f.hooks.at(u"/dial-action"_s).first();
        QCOMPARE(action.param(u"DialCallStatus"_s), u"completed"_s);
        QCOMPARE(action.param(u"DialCallSid"_s), leg);
        QCOMPARE(action.param(u"DialCallDuration"_s), u"42"_s);
        QCOMPARE(action.param(u"CallStatus"_s), u"in-progress"_s);
        QCOMPARE(f.call(leg).status, u"completed"_s);
        QVERIFY(f.settle());
        QVERIFY(f.advance(6 * 60));
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QVERIFY(!f.hasEvent(sid, u"never"_s));

        // The caller's status callbacks, in order, numbered from 0.
        QVERIFY(f.settle());
        const QList<Hook> callbacks = callbacksOf(f, u"/status"_s, sid);
        QStringList statuses;
        QStringList sequence;
        qint64 previous = 0;
        for (const Hook &hook : callbacks) {
            statuses.append(hook.param(u"CallStatus"_s));
            sequence.append(hook.param(u"SequenceNumber"_s));
            QCOMPARE(hook.param(u"CallbackSource"_s), u"call-progress-events"_s);
            QCOMPARE(hook.param(u"AccountSid"_s), SimAccountSid);
            const QDateTime timestamp = QDateTime::fromString(hook.param(u"Timestamp"_s), Qt::RFC2822Date);
            QVERIFY2(timestamp.isValid(), qPrintable(hook.param(u"Timestamp"_s)));
            QVERIFY(timestamp.toMSecsSinceEpoch() >= previous);
            previous = timestamp.toMSecsSinceEpoch();
        }
        QCOMPARE(statuses, (QStringList {u"initiated"_s, u"ringing"_s, u"in-progress"_s, u"completed"_s}));
        QCOMPARE(sequence, (QStringList {u"0"_s, u"1"_s, u"2"_s, u"3"_s}));
        QVERIFY(!callbacks.at(2).params.contains(u"CallDuration"_s));
        QCOMPARE(callbacks.at(3).param(u"CallDuration"_s), u"47"_s); // 5 s ringing + 42 s + the Say

        // The client leg's own callbacks (the Client noun's statusCallback).
        const QList<Hook> legCallbacks = callbacksOf(f, u"/leg"_s, leg);
        QStringList legStatuses;
        for (const Hook &hook : legCallbacks) {
            legStatuses.append(hook.param(u"CallStatus"_s));
            QCOMPARE(hook.param(u"ParentCallSid"_s), sid);
            QCOMPARE(hook.param(u"Direction"_s), u"outbound-dial"_s);
            QCOMPARE(hook.param(u"To"_s), u"client:alice"_s);
        }
        QCOMPARE(legStatuses, (QStringList {u"initiated"_s, u"ringing"_s, u"in-progress"_s, u"completed"_s}));
        QCOMPARE(legCallbacks.last().param(u"CallDuration"_s), u"42"_s);
        QCOMPARE(legCallbacks.last().param(u"SequenceNumber"_s), u"3"_s);

        // Every webhook the sim sent validates with heartline_core's signature code.
        QVERIFY(f.hooks.count(u"/status"_s) >= 4);
        QVERIFY(f.hooks.allSignaturesValid());
    }

    void rejectEndsTheDialBusy()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, dialAlice);
        f.hooks.twiml.insert(u"/dial-action"_s, response("<Hangup/>"));
        VoiceClient alice;
        QVERIFY(alice.registerAs(f, u"alice"_s));
        const QString sid = f.placeCall();
        const QString leg = alice.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        alice.send(u"reject"_s, leg);
        QTRY_COMPARE_WITH_TIMEOUT(f.hooks.count(u"/dial-action"_s), 1, WaitLimitMs);
        QCOMPARE(f.hooks.at(u"/dial-action"_s).first().param(u"DialCallStatus"_s), u"busy"_s);
        QCOMPARE(f.hooks.at(u"/dial-action"_s).first().param(u"DialCallSid"_s), leg);
        QCOMPARE(f.call(leg).status, u"busy"_s);
        QVERIFY(f.settle());
        QCOMPARE(f.call(sid).status, u"completed"_s);
    }

    void unansweredDialTimesOutNoAnswer()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, dialAlice);
        f.hooks.twiml.insert(u"/dial-action"_s, response("<Hangup/>"));
        VoiceClient alice;
        QVERIFY(alice.registerAs(f, u"alice"_s));
        f.placeCall();
        const QString leg = alice.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        QVERIFY(f.advance(19'999));
        QCOMPARE(f.hooks.count(u"/dial-action"_s), 0);
        QVERIFY(f.advance(1));
        QCOMPARE(f.hooks.count(u"/dial-action"_s), 1);
        QCOMPARE(f.hooks.at(u"/dial-action"_s).first().param(u"DialCallStatus"_s), u"no-answer"_s);
        QCOMPARE(alice.socket.nextOfType(u"canceled"_s).value(u"callSid"_s).toString(), leg);
        QCOMPARE(f.call(leg).status, u"no-answer"_s);

        // Too late to accept.
        alice.send(u"accept"_s, leg);
        QVERIFY(alice.socket.nextOfType(u"error"_s).value(u"message"_s).toString().contains(leg));
    }

    void nobodyRegisteredEndsTheDialAtOnce()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, dialAlice);
        f.hooks.twiml.insert(u"/dial-action"_s, response("<Hangup/>"));
        VoiceClient bob;
        QVERIFY(bob.registerAs(f, u"bob"_s));
        const QString sid = f.placeCall();
        // As Twilio reports a client that is not connected: the leg ends no-answer at once.
        QCOMPARE(f.hooks.count(u"/dial-action"_s), 1);
        const Hook action = f.hooks.at(u"/dial-action"_s).first();
        QCOMPARE(action.param(u"DialCallStatus"_s), u"no-answer"_s);
        const SimCall &leg = f.call(action.param(u"DialCallSid"_s));
        QCOMPARE(leg.to, u"client:alice"_s);
        QCOMPARE(leg.status, u"no-answer"_s);
        QCOMPARE(leg.durationSeconds(), 0);
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QVERIFY(bob.socket.received().size() == 1); // registered, and nothing offered
    }

    void everyConnectionOfTheIdentityRingsAndTheFirstAcceptWins()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, dialAlice);
        VoiceClient desk;
        VoiceClient laptop;
        QVERIFY(desk.registerAs(f, u"alice"_s));
        QVERIFY(laptop.registerAs(f, u"alice"_s));
        f.placeCall();
        const QString leg = desk.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        QCOMPARE(laptop.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString(), leg);
        laptop.send(u"accept"_s, leg);
        QCOMPARE(laptop.socket.nextOfType(u"connected"_s).value(u"callSid"_s).toString(), leg);
        QCOMPARE(desk.socket.nextOfType(u"canceled"_s).value(u"callSid"_s).toString(), leg);
        QCOMPARE(f.call(leg).status, u"in-progress"_s);
        desk.send(u"accept"_s, leg);
        QVERIFY(!desk.socket.nextOfType(u"error"_s).isEmpty());
    }

    void severalClientsRingAtOnce()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s,
                             response("<Dial action=\"/dial-action\"><Client>alice</Client>"
                                      "<Client>bob</Client></Dial>"));
        VoiceClient alice;
        VoiceClient bob;
        QVERIFY(alice.registerAs(f, u"alice"_s));
        QVERIFY(bob.registerAs(f, u"bob"_s));
        f.placeCall();
        const QString aliceLeg = alice.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        const QString bobLeg = bob.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        QVERIFY(aliceLeg != bobLeg);
        // One declining does not end the Dial while another still rings.
        alice.send(u"reject"_s, aliceLeg);
        QTRY_COMPARE_WITH_TIMEOUT(f.call(aliceLeg).status, u"busy"_s, WaitLimitMs);
        QCOMPARE(f.hooks.count(u"/dial-action"_s), 0);
        bob.send(u"accept"_s, bobLeg);
        QCOMPARE(bob.socket.nextOfType(u"connected"_s).value(u"callSid"_s).toString(), bobLeg);
    }

    void callerHangingUpDisconnectsTheClient()
    {
        SimFixture f;
        QVERIFY(f.start(true));
        f.hooks.twiml.insert(u"/voice"_s, dialAlice);
        f.hooks.twiml.insert(u"/dial-action"_s, response("<Say>ignored</Say>"));
        VoiceClient alice;
        QVERIFY(alice.registerAs(f, u"alice"_s));
        const QString sid = f.placeCall();
        const QString leg = alice.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        alice.send(u"accept"_s, leg);
        alice.socket.nextOfType(u"connected"_s);
        QVERIFY(f.advance(10'000));

        // The caller hangs up, through the control API as a demo would.
        HttpTestClient control(f.sim->baseUrl());
        const HttpReply reply = control.post(u"/control/calls/%1/hangup"_s.arg(sid), {});
        QCOMPARE(reply.status, 200);
        QCOMPARE(alice.socket.nextOfType(u"disconnected"_s).value(u"callSid"_s).toString(), leg);
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QCOMPARE(f.call(leg).status, u"completed"_s);
        QCOMPARE(f.call(leg).durationSeconds(), 10);
        QVERIFY(f.settle());
        // The Dial action is still requested; its TwiML is not executed on a call that ended.
        QCOMPARE(f.hooks.count(u"/dial-action"_s), 1);
        QCOMPARE(f.hooks.at(u"/dial-action"_s).first().param(u"DialCallStatus"_s), u"completed"_s);
        QCOMPARE(f.hooks.at(u"/dial-action"_s).first().param(u"CallStatus"_s), u"completed"_s);
        QVERIFY(!f.hasEvent(sid, u"<Say>ignored"_s));
        QCOMPARE(control.post(u"/control/calls/%1/hangup"_s.arg(sid), {}).status, 409);
    }

    void callerHangingUpWhileRingingCancelsTheOffer()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, dialAlice);
        VoiceClient alice;
        QVERIFY(alice.registerAs(f, u"alice"_s));
        const QString sid = f.placeCall();
        const QString leg = alice.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        QVERIFY(f.engine().hangup(sid).ok());
        QCOMPARE(alice.socket.nextOfType(u"canceled"_s).value(u"callSid"_s).toString(), leg);
        QCOMPARE(f.call(leg).status, u"canceled"_s);
        QVERIFY(f.settle());
        QCOMPARE(f.hooks.at(u"/dial-action"_s).first().param(u"DialCallStatus"_s), u"canceled"_s);
    }

    void aClosedConnectionEndsItsBridge()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, dialAlice);
        f.hooks.twiml.insert(u"/dial-action"_s, response("<Hangup/>"));
        VoiceClient alice;
        QVERIFY(alice.registerAs(f, u"alice"_s));
        f.placeCall();
        const QString leg = alice.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        alice.send(u"accept"_s, leg);
        alice.socket.nextOfType(u"connected"_s);
        alice.socket.close();
        QTRY_COMPARE_WITH_TIMEOUT(f.hooks.count(u"/dial-action"_s), 1, WaitLimitMs);
        QCOMPARE(f.hooks.at(u"/dial-action"_s).first().param(u"DialCallStatus"_s), u"completed"_s);
        QCOMPARE(f.sim->signaling().registeredCount(), 0);
    }

    void theDialTimeLimitEndsTheBridge()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s,
                             response("<Dial timeLimit=\"60\"><Client>alice</Client></Dial>"
                                      "<Say>time is up</Say>"));
        VoiceClient alice;
        QVERIFY(alice.registerAs(f, u"alice"_s));
        const QString sid = f.placeCall();
        const QString leg = alice.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        alice.send(u"accept"_s, leg);
        alice.socket.nextOfType(u"connected"_s);
        QVERIFY(f.advance(59'999));
        QCOMPARE(f.call(leg).status, u"in-progress"_s);
        QVERIFY(f.advance(1));
        QCOMPARE(alice.socket.nextOfType(u"disconnected"_s).value(u"callSid"_s).toString(), leg);
        QCOMPARE(f.call(leg).durationSeconds(), 60);
        QVERIFY(f.hasEvent(sid, u"time is up"_s));
    }

    void answerOnBridgeKeepsTheCallerRinging()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Dial answerOnBridge=\"true\"><Client>alice</Client></Dial>"));
        VoiceClient alice;
        QVERIFY(alice.registerAs(f, u"alice"_s));
        const QString sid = f.placeCall();
        const QString leg = alice.socket.nextOfType(u"incoming"_s).value(u"callSid"_s).toString();
        QVERIFY(f.advance(3000));
        QCOMPARE(f.call(sid).status, u"ringing"_s);
        alice.send(u"accept"_s, leg);
        alice.socket.nextOfType(u"connected"_s);
        QCOMPARE(f.call(sid).status, u"in-progress"_s);
        QCOMPARE(f.call(sid).startMs, f.call(leg).startMs);
    }

    void registersWithAnAccessToken_data()
    {
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("accountSid");
        QTest::addColumn<bool>("incoming");
        QTest::addColumn<qint64>("issuedAgo");
        QTest::addColumn<QString>("expected"); ///< empty: registered
        QTest::newRow("valid") << ApiKeySecret << SimAccountSid << true << qint64(0) << QString();
        QTest::newRow("wrong secret") << u"another secret"_s << SimAccountSid << true << qint64(0)
                                      << u"token_bad_signature"_s;
        QTest::newRow("expired") << ApiKeySecret << SimAccountSid << true << qint64(7200) << u"token_expired"_s;
        QTest::newRow("other account") << ApiKeySecret << u"AC"_s + QString(32, u'c') << true << qint64(0)
                                       << u"another account"_s;
        QTest::newRow("no incoming grant")
            << ApiKeySecret << SimAccountSid << false << qint64(0) << u"allowing incoming calls"_s;
    }

    void registersWithAnAccessToken()
    {
        QFETCH(QString, secret);
        QFETCH(QString, accountSid);
        QFETCH(bool, incoming);
        QFETCH(qint64, issuedAgo);
        QFETCH(QString, expected);
        SimFixture f;
        QVERIFY(f.start(false, [](SimOptions &options) {
            options.apiKeySid = ApiKeySid;
            options.apiKeySecret = ApiKeySecret;
        }));
        AccessToken token;
        token.accountSid = accountSid;
        token.apiKeySid = ApiKeySid;
        token.identity = u"alice"_s;
        VoiceGrant grant;
        grant.incomingAllow = incoming;
        grant.outgoingApplicationSid = u"AP"_s + QString(32, u'1');
        token.voice = grant;
        const QByteArray jwt = token.toJwt(secret.toUtf8(), f.clock.nowSeconds() - issuedAgo);

        WebSocketTestClient client;
        QVERIFY(client.open(f.sim->baseUrl(), u"/voice"_s));
        client.sendJson(QJsonObject {{u"type"_s, u"register"_s}, {u"token"_s, QString::fromLatin1(jwt)}});
        const QJsonObject answer = client.next();
        if (expected.isEmpty()) {
            QCOMPARE(answer.value(u"type"_s).toString(), u"registered"_s);
            QCOMPARE(answer.value(u"identity"_s).toString(), u"alice"_s);
            QCOMPARE(f.sim->signaling().identities(), QStringList {u"alice"_s});
        } else {
            QCOMPARE(answer.value(u"type"_s).toString(), u"error"_s);
            QVERIFY2(answer.value(u"message"_s).toString().contains(expected),
                     qPrintable(answer.value(u"message"_s).toString()));
            QCOMPARE(f.sim->signaling().registeredCount(), 0);
        }
    }

    void aBareIdentityIsRefusedWhenTokensCanBeVerified()
    {
        SimFixture f;
        QVERIFY(f.start(false, [](SimOptions &options) { options.apiKeySecret = ApiKeySecret; }));
        WebSocketTestClient client;
        QVERIFY(client.open(f.sim->baseUrl(), u"/voice"_s));
        client.sendJson(QJsonObject {{u"type"_s, u"register"_s}, {u"identity"_s, u"alice"_s}});
        QCOMPARE(client.next().value(u"type"_s).toString(), u"error"_s);
        QCOMPARE(f.sim->signaling().registeredCount(), 0);
    }

    void badMessagesAreAnsweredWithErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("registerFirst");
        QTest::newRow("not JSON") << u"hello"_s << false;
        QTest::newRow("an array") << u"[1,2]"_s << false;
        QTest::newRow("no type") << u"{\"callSid\":\"CA1\"}"_s << false;
        QTest::newRow("unknown type") << u"{\"type\":\"dance\"}"_s << true;
        QTest::newRow("register without identity") << u"{\"type\":\"register\"}"_s << false;
        QTest::newRow("token without a secret") << u"{\"type\":\"register\",\"token\":\"a.b.c\"}"_s << false;
        QTest::newRow("accept before register") << u"{\"type\":\"accept\",\"callSid\":\"CA1\"}"_s << false;
        QTest::newRow("accept without callSid") << u"{\"type\":\"accept\"}"_s << true;
        QTest::newRow("accept of another call") << u"{\"type\":\"accept\",\"callSid\":\"CA1\"}"_s << true;
        QTest::newRow("hangup of another call") << u"{\"type\":\"hangup\",\"callSid\":\"CA1\"}"_s << true;
    }

    void badMessagesAreAnsweredWithErrors()
    {
        QFETCH(QString, text);
        QFETCH(bool, registerFirst);
        SimFixture f;
        QVERIFY(f.start());
        VoiceClient client;
        if (registerFirst)
            QVERIFY(client.registerAs(f, u"alice"_s));
        else
            QVERIFY(client.socket.open(f.sim->baseUrl(), u"/voice"_s));
        client.socket.sendText(text);
        const QJsonObject answer = client.socket.next();
        QCOMPARE(answer.value(u"type"_s).toString(), u"error"_s);
        QVERIFY(!answer.value(u"message"_s).toString().isEmpty());
        QVERIFY(client.socket.isConnected());
    }

    void plainHttpToTheSignalingPathIsRefused()
    {
        SimFixture f;
        QVERIFY(f.start());
        HttpTestClient http(f.sim->baseUrl());
        QCOMPARE(http.get(u"/voice"_s).status, 426);
    }
};

QTEST_GUILESS_MAIN(TestSimEndToEnd)
#include "tst_sim_e2e.moc"
