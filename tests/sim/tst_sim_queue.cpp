// Enqueue in the stand-in: the waitUrl loop and its parameters, every way out of a queue with the
// QueueResult the action receives, Dial+Queue bridging the front caller, and a REST dequeue of the
// front caller or of one caller by CallSid.

#include <tuple>

#include <QJsonArray>
#include <QTest>

#include "HttpTestClient.h"
#include "SimFixture.h"
#include "twilio/TwilioRestClient.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int WaitLimitMs = 10'000;
const QString AgentNumber = u"+15550001000"_s;

/// "You are caller one" (18 characters) takes 1080 ms, then 10 s of hold music.
const QByteArray waitDocument = response("<Say>You are caller one</Say><Play>https://example.com/hold.mp3</Play>");
constexpr qint64 WaitLoopMs = 18 * 60 + 10'000;

} // namespace

class TestSimQueue final : public QObject
{
    Q_OBJECT

private:
    /// Callers enqueue into "support" with a waitUrl and an action; an agent (calling from
    /// AgentNumber) dials the queue.
    static void enqueueScenario(SimFixture &f, const QByteArray &waitTwiml = waitDocument)
    {
        f.hooks.twiml.insert(u"/voice"_s,
                             response("<Enqueue waitUrl=\"/wait\" action=\"/queue-action\">support</Enqueue>"
                                      "<Say>after the queue</Say>"));
        f.hooks.twiml.insert(u"/wait"_s, waitTwiml);
        f.hooks.twiml.insert(u"/queue-action"_s, response("<Say>Goodbye</Say>"));
        f.hooks.answer = [](const Hook &hook) -> std::optional<HookAnswer> {
            if (hook.path == u"/voice"_s && hook.param(u"From"_s) == AgentNumber)
                return HookAnswer {200, response("<Dial action=\"/agent-dial\"><Queue>support</Queue></Dial>")};
            return std::nullopt;
        };
        f.hooks.twiml.insert(u"/agent-dial"_s, response("<Hangup/>"));
    }

    static QList<Hook> hooksOf(const SimFixture &f, const QString &path, const QString &sid)
    {
        QList<Hook> out;
        for (const Hook &hook : f.hooks.at(path)) {
            if (hook.param(u"CallSid"_s) == sid)
                out.append(hook);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
            qunsetenv(name);
    }

    void waitUrlLoopsWithQueueParameters()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        const QString first = f.placeCall();
        const SimQueue *queue = f.engine().findQueueByName(u"support"_s);
        QVERIFY(queue);
        QCOMPARE(queue->maxSize, 1000);

        QList<Hook> waits = hooksOf(f, u"/wait"_s, first);
        QCOMPARE(waits.size(), 1);
        QCOMPARE(waits.first().param(u"QueuePosition"_s), u"1"_s);
        QCOMPARE(waits.first().param(u"QueueSid"_s), queue->sid);
        QCOMPARE(waits.first().param(u"QueueTime"_s), u"0"_s);
        QCOMPARE(waits.first().param(u"AvgQueueTime"_s), u"0"_s);
        QCOMPARE(waits.first().param(u"CurrentQueueSize"_s), u"1"_s);
        QCOMPARE(waits.first().param(u"MaxQueueSize"_s), u"1000"_s);
        QCOMPARE(waits.first().param(u"CallStatus"_s), u"in-progress"_s);

        const QString second = f.placeCall();
        QCOMPARE(hooksOf(f, u"/wait"_s, second).first().param(u"QueuePosition"_s), u"2"_s);
        QCOMPARE(hooksOf(f, u"/wait"_s, second).first().param(u"CurrentQueueSize"_s), u"2"_s);

        // When its verbs run out, waitUrl is requested again.
        QVERIFY(f.advance(WaitLoopMs - 1));
        QCOMPARE(hooksOf(f, u"/wait"_s, first).size(), 1);
        QVERIFY(f.advance(1));
        waits = hooksOf(f, u"/wait"_s, first);
        QCOMPARE(waits.size(), 2);
        QCOMPARE(waits.last().param(u"QueueTime"_s), QString::number(WaitLoopMs / 1000));
        QVERIFY(f.advance(WaitLoopMs));
        QCOMPARE(hooksOf(f, u"/wait"_s, first).size(), 3);
        QVERIFY(f.hooks.allSignaturesValid());
        QCOMPARE(f.hooks.count(u"/queue-action"_s), 0);
    }

    void anEmptyWaitDocumentIsNotRequestedInATightLoop()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f, response(""));
        const QString sid = f.placeCall();
        QCOMPARE(hooksOf(f, u"/wait"_s, sid).size(), 1);
        QVERIFY(f.advance(999));
        QCOMPARE(hooksOf(f, u"/wait"_s, sid).size(), 1);
        QVERIFY(f.advance(1));
        QCOMPARE(hooksOf(f, u"/wait"_s, sid).size(), 2);
    }

    void redirectInTheWaitDocumentStaysQueued()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f, response("<Pause length=\"2\"/><Redirect>/wait-2</Redirect>"));
        f.hooks.twiml.insert(u"/wait-2"_s, response("<Pause length=\"3\"/>"));
        const QString sid = f.placeCall();
        QVERIFY(f.advance(2000));
        QCOMPARE(hooksOf(f, u"/wait-2"_s, sid).size(), 1);
        QCOMPARE(hooksOf(f, u"/wait-2"_s, sid).first().param(u"QueueTime"_s), u"2"_s);
        QVERIFY(f.call(sid).queued.has_value());
        // The verbs of the redirected document ran out: the original waitUrl comes next.
        QVERIFY(f.advance(3000));
        QCOMPARE(hooksOf(f, u"/wait"_s, sid).size(), 2);
    }

    void leaveRequestsTheActionAndRunsItsTwiml()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f, response("<Pause length=\"4\"/><Leave/>"));
        const QString sid = f.placeCall();
        QVERIFY(f.advance(4000));
        const QList<Hook> actions = hooksOf(f, u"/queue-action"_s, sid);
        QCOMPARE(actions.size(), 1);
        QCOMPARE(actions.first().param(u"QueueResult"_s), u"leave"_s);
        QCOMPARE(actions.first().param(u"QueueSid"_s), f.engine().findQueueByName(u"support"_s)->sid);
        QCOMPARE(actions.first().param(u"QueueTime"_s), u"4"_s);
        QVERIFY(f.hasEvent(sid, u"<Say>Goodbye</Say> started"_s));
        QVERIFY(!f.hasEvent(sid, u"after the queue"_s)); // the action's TwiML replaces the document
        QVERIFY(f.engine().findQueueByName(u"support"_s)->members.isEmpty());
        QCOMPARE(f.engine().findQueueByName(u"support"_s)->averageWaitSeconds(), 4);
    }

    void withoutAnActionTheDocumentContinues()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s,
                             response("<Enqueue waitUrl=\"/wait\">support</Enqueue><Say>after the queue</Say>"));
        f.hooks.twiml.insert(u"/wait"_s, response("<Leave/>"));
        const QString sid = f.placeCall();
        QVERIFY(f.hasEvent(sid, u"QueueResult=leave"_s));
        QVERIFY(f.hasEvent(sid, u"<Say>after the queue</Say> started"_s));
    }

    void anAbandonIsQueueResultHangup()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        const QString sid = f.placeCall();
        QVERIFY(f.advance(7000));
        HttpTestClient control(f.sim->baseUrl());
        QCOMPARE(control.post(u"/control/calls/%1/hangup"_s.arg(sid), {}).status, 200);
        QVERIFY(f.settle());
        const QList<Hook> actions = hooksOf(f, u"/queue-action"_s, sid);
        QCOMPARE(actions.size(), 1);
        QCOMPARE(actions.first().param(u"QueueResult"_s), u"hangup"_s);
        QCOMPARE(actions.first().param(u"QueueTime"_s), u"7"_s);
        QCOMPARE(actions.first().param(u"CallStatus"_s), u"completed"_s);
        QCOMPARE(f.call(sid).status, u"completed"_s);
        QVERIFY(!f.hasEvent(sid, u"Goodbye"_s)); // nobody left to hear it
        QVERIFY(f.engine().findQueueByName(u"support"_s)->members.isEmpty());
        // The wait loop stopped with the call.
        const int waits = f.hooks.count(u"/wait"_s);
        QVERIFY(f.advance(60'000));
        QCOMPARE(f.hooks.count(u"/wait"_s), waits);
    }

    void hangupInTheWaitDocumentIsQueueResultHangup()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f, response("<Hangup/>"));
        const QString sid = f.placeCall();
        QCOMPARE(hooksOf(f, u"/queue-action"_s, sid).first().param(u"QueueResult"_s), u"hangup"_s);
        QCOMPARE(f.call(sid).status, u"completed"_s);
    }

    void aVerbNotAllowedInTheWaitDocumentIsQueueResultError()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f, response("<Dial>+15551112222</Dial>"));
        const QString sid = f.placeCall();
        QCOMPARE(hooksOf(f, u"/queue-action"_s, sid).first().param(u"QueueResult"_s), u"error"_s);
        QVERIFY(f.events(sid, u"error"_s).first().contains(u"<Dial> is not allowed in a waitUrl document"_s));
    }

    void aFailingWaitUrlIsQueueResultError()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f, "<Response><Say>broken</Response>");
        const QString sid = f.placeCall();
        QCOMPARE(hooksOf(f, u"/queue-action"_s, sid).first().param(u"QueueResult"_s), u"error"_s);
        QVERIFY(f.events(sid, u"error"_s).first().startsWith(u"12100"_s));
    }

    void aFullQueueTurnsCallersAway()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        QVERIFY(f.engine().createQueue(u"support"_s, 1).ok());
        const QString first = f.placeCall();
        const QString second = f.placeCall();
        QVERIFY(f.call(first).queued.has_value());
        const QList<Hook> actions = hooksOf(f, u"/queue-action"_s, second);
        QCOMPARE(actions.size(), 1);
        QCOMPARE(actions.first().param(u"QueueResult"_s), u"queue-full"_s);
        // Never enqueued: no QueueSid or QueueTime.
        QVERIFY(!actions.first().params.contains(u"QueueSid"_s));
        QVERIFY(!actions.first().params.contains(u"QueueTime"_s));
        QCOMPARE(hooksOf(f, u"/wait"_s, second).size(), 0);
        QVERIFY(f.hasEvent(second, u"<Say>Goodbye</Say> started"_s));
    }

    void withoutWaitUrlTheCallerJustWaits()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Enqueue>support</Enqueue>"));
        const QString sid = f.placeCall();
        QVERIFY(f.advance(10 * 60 * 1000));
        QVERIFY(f.call(sid).queued.has_value());
        QCOMPARE(f.call(sid).status, u"in-progress"_s);
        QCOMPARE(f.hooks.received.size(), 1);
    }

    void dialQueueBridgesTheFrontCaller()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        const QString first = f.placeCall();
        QVERIFY(f.advance(5000));
        const QString second = f.placeCall();
        QVERIFY(f.advance(5000));

        const QString agent = f.placeCall(AgentNumber, u"+15558675310"_s);
        QCOMPARE(f.call(agent).bridgePeer, first);
        QCOMPARE(f.call(first).bridgePeer, agent);
        QVERIFY(!f.call(first).queued.has_value());
        QCOMPARE(f.engine().members(f.engine().findQueueByName(u"support"_s)->sid).first().callSid, second);
        // The bridged caller's wait loop stopped; its action waits for the bridge to end.
        const int waits = hooksOf(f, u"/wait"_s, first).size();
        QVERIFY(f.advance(30'000));
        QCOMPARE(hooksOf(f, u"/wait"_s, first).size(), waits);
        QCOMPARE(hooksOf(f, u"/queue-action"_s, first).size(), 0);

        // The caller hangs up: the agent's Dial completes, the caller's action says bridged.
        QVERIFY(f.engine().hangup(first).ok());
        QVERIFY(f.settle());
        const QList<Hook> dial = hooksOf(f, u"/agent-dial"_s, agent);
        QCOMPARE(dial.size(), 1);
        QCOMPARE(dial.first().param(u"DialCallStatus"_s), u"completed"_s);
        QCOMPARE(dial.first().param(u"DialCallSid"_s), first);
        QCOMPARE(dial.first().param(u"DialCallDuration"_s), u"30"_s);
        const QList<Hook> action = hooksOf(f, u"/queue-action"_s, first);
        QCOMPARE(action.size(), 1);
        QCOMPARE(action.first().param(u"QueueResult"_s), u"bridged"_s);
        QCOMPARE(action.first().param(u"QueueTime"_s), u"10"_s);
        QCOMPARE(f.call(agent).status, u"completed"_s);
    }

    void theAgentHangingUpSendsTheCallerToItsAction()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        const QString caller = f.placeCall();
        const QString agent = f.placeCall(AgentNumber, u"+15558675310"_s);
        QVERIFY(f.advance(12'000));
        QVERIFY(f.engine().hangup(agent).ok());
        QVERIFY(f.settle());
        QCOMPARE(hooksOf(f, u"/queue-action"_s, caller).first().param(u"QueueResult"_s), u"bridged"_s);
        // The caller is still there: the action's TwiML runs for it.
        QVERIFY(f.hasEvent(caller, u"<Say>Goodbye</Say> started"_s));
        QCOMPARE(f.call(caller).status, u"in-progress"_s);
        QCOMPARE(hooksOf(f, u"/agent-dial"_s, agent).first().param(u"CallStatus"_s), u"completed"_s);
    }

    void dialingAnEmptyQueue()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        const QString agent = f.placeCall(AgentNumber, u"+15558675310"_s);
        const QList<Hook> dial = hooksOf(f, u"/agent-dial"_s, agent);
        QCOMPARE(dial.size(), 1);
        QCOMPARE(dial.first().param(u"DialCallStatus"_s), u"no-answer"_s);
    }

    void restDequeueOfTheFrontCaller()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        f.hooks.twiml.insert(u"/connect-agent"_s, response("<Dial><Client>alice</Client></Dial>"));
        const QString first = f.placeCall();
        const QString second = f.placeCall();
        QVERIFY(f.advance(15'000));
        const QString queueSid = f.engine().findQueueByName(u"support"_s)->sid;

        TwilioRestOptions options;
        options.baseUrl = f.sim->baseUrl();
        options.accountSid = SimAccountSid;
        options.authToken = SimAuthToken;
        options.retry.maxAttempts = 1;
        TwilioRestClient client(options, f.clock);
        std::optional<TwilioResult<TwilioQueueMember>> result;
        client.dequeueMember(queueSid, TwilioRestClient::frontOfQueue(), QUrl(f.hooks.url(u"/connect-agent"_s)),
                             u"POST"_s, this,
                             [&](const TwilioResult<TwilioQueueMember> &answer) { result.emplace(answer); });
        QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, WaitLimitMs));
        QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().toString()));
        QCOMPARE(result->value().callSid, first);
        QCOMPARE(result->value().waitTime, 15);
        QVERIFY(f.settle());

        // The action is requested at once with QueueResult=redirected; the caller runs the Url's TwiML.
        const QList<Hook> action = hooksOf(f, u"/queue-action"_s, first);
        QCOMPARE(action.size(), 1);
        QCOMPARE(action.first().param(u"QueueResult"_s), u"redirected"_s);
        QCOMPARE(action.first().param(u"QueueTime"_s), u"15"_s);
        QCOMPARE(hooksOf(f, u"/connect-agent"_s, first).size(), 1);
        QVERIFY(f.hasEvent(first, u"<Dial><Client>alice</Client></Dial> started"_s));
        QVERIFY(!f.hasEvent(first, u"Goodbye"_s));
        QCOMPARE(f.engine().members(queueSid).size(), 1);
        QCOMPARE(f.engine().members(queueSid).first().callSid, second);
        QVERIFY(f.hooks.allSignaturesValid());
    }

    void restDequeueOfOneCallerByCallSid()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        f.hooks.twiml.insert(u"/connect-agent"_s, response("<Dial><Client>alice</Client></Dial>"));
        const QString first = f.placeCall();
        QVERIFY(f.advance(5'000));
        const QString second = f.placeCall();
        QVERIFY(f.advance(10'000));
        const QString queueSid = f.engine().findQueueByName(u"support"_s)->sid;

        TwilioRestOptions options;
        options.baseUrl = f.sim->baseUrl();
        options.accountSid = SimAccountSid;
        options.authToken = SimAuthToken;
        options.retry.maxAttempts = 1;
        TwilioRestClient client(options, f.clock);
        const auto dequeue = [&](const QString &member) {
            std::optional<TwilioResult<TwilioQueueMember>> result;
            client.dequeueMember(queueSid, member, QUrl(f.hooks.url(u"/connect-agent"_s)), u"POST"_s, this,
                                 [&](const TwilioResult<TwilioQueueMember> &answer) { result.emplace(answer); });
            std::ignore = QTest::qWaitFor([&] { return result.has_value(); }, WaitLimitMs);
            return result;
        };

        // The second caller, not the front one, leaves the queue into the Url's TwiML.
        const auto taken = dequeue(second);
        QVERIFY(taken.has_value());
        QVERIFY2(taken->ok(), qPrintable(taken->ok() ? QString() : taken->error().toString()));
        QCOMPARE(taken->value().callSid, second);
        QCOMPARE(taken->value().position, 2);
        QCOMPARE(taken->value().waitTime, 10);
        QVERIFY(f.settle());
        QCOMPARE(hooksOf(f, u"/queue-action"_s, second).first().param(u"QueueResult"_s), u"redirected"_s);
        QCOMPARE(hooksOf(f, u"/connect-agent"_s, second).size(), 1);
        QCOMPARE(hooksOf(f, u"/connect-agent"_s, first).size(), 0);
        QCOMPARE(f.engine().members(queueSid).size(), 1);
        QCOMPARE(f.engine().members(queueSid).first().callSid, first);

        // A call that is not in the queue (any more, or ever) is 404, as at Twilio, and nobody leaves.
        const auto again = dequeue(second);
        QVERIFY(again.has_value() && !again->ok());
        QCOMPARE(again->error().httpStatus, 404);
        const auto stranger = dequeue(u"CA"_s + QString(32, u'0'));
        QVERIFY(stranger.has_value() && !stranger->ok());
        QCOMPARE(stranger->error().httpStatus, 404);
        QVERIFY(f.settle());
        QCOMPARE(f.engine().members(queueSid).size(), 1);
        QCOMPARE(hooksOf(f, u"/connect-agent"_s, first).size(), 0);
    }

    void averageQueueTimeCountsCallersWhoLeft()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        const QString first = f.placeCall();
        QVERIFY(f.advance(20'000));
        QVERIFY(f.engine().hangup(first).ok());
        const QString second = f.placeCall();
        QCOMPARE(hooksOf(f, u"/wait"_s, second).first().param(u"AvgQueueTime"_s), u"20"_s);
    }

    void controlListsQueueMembers()
    {
        SimFixture f;
        QVERIFY(f.start());
        enqueueScenario(f);
        const QString first = f.placeCall();
        QVERIFY(f.advance(3000));
        const QString second = f.placeCall();
        HttpTestClient control(f.sim->baseUrl());
        const QJsonObject queues = control.get(u"/control/queues"_s).json();
        const QJsonObject support = queues.value(u"queues"_s).toArray().first().toObject();
        QCOMPARE(support.value(u"friendlyName"_s).toString(), u"support"_s);
        const QJsonArray members = support.value(u"members"_s).toArray();
        QCOMPARE(members.size(), 2);
        QCOMPARE(members.at(0).toObject().value(u"callSid"_s).toString(), first);
        QCOMPARE(members.at(0).toObject().value(u"waitTime"_s).toInt(), 3);
        QCOMPARE(members.at(1).toObject().value(u"callSid"_s).toString(), second);
        QCOMPARE(members.at(1).toObject().value(u"position"_s).toInt(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSimQueue)
#include "tst_sim_queue.moc"
