// The product's TwilioRestClient (server/twilio) against the stand-in's REST subset: every
// operation, pagination, each error, and a timeout against answers the stand-in holds back.

#include <functional>
#include <optional>

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include "HttpTestClient.h"
#include "SimFixture.h"
#include "SipCredentialStore.h"
#include "TwilioSim.h"
#include "twilio/TwilioRestClient.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace {

constexpr int WaitLimitMs = 10'000; // a limit for a hung test, never a measured duration

template <typename T> class Outcome
{
public:
    TwilioRestClient::Callback<T> callback()
    {
        return [this](const TwilioResult<T> &result) {
            m_result.emplace(result);
        };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return m_result.has_value(); }, WaitLimitMs);
    }
    const TwilioResult<T> &result() const { return *m_result; }
    const T &value() const { return m_result->value(); }
    const TwilioError &error() const { return m_result->error(); }
    [[nodiscard]] bool ok() const { return m_result && m_result->ok(); }
    [[nodiscard]] QString why() const { return !m_result || m_result->ok() ? QString() : m_result->error().toString(); }

private:
    std::optional<TwilioResult<T>> m_result;
};

QByteArray basicAuth(const QString &user, const QString &password)
{
    return "Basic " + (user + u':' + password).toUtf8().toBase64();
}

const QString AccountPath = u"/2010-04-01/Accounts/"_s + SimAccountSid;

} // namespace

class TestSimRest final : public QObject
{
    Q_OBJECT

private:
    static TwilioRestOptions options(SimFixture &f, const QString &authToken = SimAuthToken)
    {
        TwilioRestOptions result;
        result.baseUrl = f.sim->baseUrl();
        result.accountSid = SimAccountSid;
        result.authToken = authToken;
        result.connectTimeout = milliseconds {2'000};
        result.totalTimeout = milliseconds {5'000};
        result.retry.maxAttempts = 1;
        return result;
    }

    /// Runs one client operation and waits for its result.
    template <typename T> static Outcome<T> run(const std::function<void(TwilioRestClient::Callback<T>)> &operation)
    {
        Outcome<T> outcome;
        operation(outcome.callback());
        outcome.wait();
        return outcome;
    }

    /// Calls that stay in progress: the voice webhook answers with a long pause.
    static QStringList placeLongCalls(SimFixture &f, int count, const QString &to = u"+15558675310"_s)
    {
        f.hooks.twiml.insert(u"/voice"_s, response("<Pause length=\"3600\"/>"));
        QStringList sids;
        for (int i = 0; i < count; ++i)
            sids.append(f.placeCall(u"+1501712%1"_s.arg(1000 + i), to));
        return sids;
    }

    static HttpReply raw(SimFixture &f, const QByteArray &verb, const QString &path, const QByteArray &body = {},
                         const QByteArray &authorization = basicAuth(SimAccountSid, SimAuthToken))
    {
        HttpTestClient http(f.sim->baseUrl());
        return http.send(verb, path, body, body.isEmpty() ? QByteArray() : "application/x-www-form-urlencoded",
                         {{"Authorization", authorization}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
            qunsetenv(name);
    }

    void listsCallsWithFilters()
    {
        SimFixture f;
        QVERIFY(f.start());
        const QStringList sids = placeLongCalls(f, 3);
        QVERIFY(f.engine().hangup(sids.at(0)).ok());
        TwilioRestClient client(options(f), f.clock);

        auto all = run<QList<TwilioCall>>([&](auto done) { client.listCalls({}, this, done); });
        QVERIFY2(all.ok(), qPrintable(all.why()));
        QCOMPARE(all.value().size(), 3);
        // Newest first, as Twilio lists them.
        QCOMPARE(all.value().at(0).sid, sids.at(2));
        QCOMPARE(all.value().at(2).sid, sids.at(0));

        TwilioCallFilter live;
        live.status = u"in-progress"_s;
        auto inProgress = run<QList<TwilioCall>>([&](auto done) { client.listCalls(live, this, done); });
        QVERIFY2(inProgress.ok(), qPrintable(inProgress.why()));
        QCOMPARE(inProgress.value().size(), 2);

        TwilioCallFilter from;
        from.from = u"+15017121001"_s;
        auto fromOne = run<QList<TwilioCall>>([&](auto done) { client.listCalls(from, this, done); });
        QVERIFY2(fromOne.ok(), qPrintable(fromOne.why()));
        QCOMPARE(fromOne.value().size(), 1);
        QCOMPARE(fromOne.value().first().sid, sids.at(1));

        TwilioCallFilter nobody;
        nobody.to = u"client:nobody"_s;
        auto none = run<QList<TwilioCall>>([&](auto done) { client.listCalls(nobody, this, done); });
        QVERIFY2(none.ok(), qPrintable(none.why()));
        QVERIFY(none.value().isEmpty());

        // Date filters: StartTime (that day), StartTime< (on or before), StartTime> (on or after).
        const auto count = [&](const QString &query) {
            return raw(f, "GET", AccountPath + u"/Calls.json?"_s + query).json().value(u"calls"_s).toArray().size();
        };
        QCOMPARE(count(u"StartTime=2026-01-01"_s), 3);
        QCOMPARE(count(u"StartTime%3C=2025-12-31"_s), 0);
        QCOMPARE(count(u"StartTime%3E=2026-01-02"_s), 0);
        QCOMPARE(count(u"EndTime=2026-01-01"_s), 1);
    }

    void paginatesAcrossPages()
    {
        SimFixture f;
        QVERIFY(f.start());
        const QStringList sids = placeLongCalls(f, 5);
        TwilioRestClient client(options(f), f.clock);

        TwilioCallFilter filter;
        filter.to = u"+15558675310"_s;
        filter.pageSize = 2;
        auto pages = run<QList<TwilioCall>>([&](auto done) { client.listCalls(filter, this, done); });
        QVERIFY2(pages.ok(), qPrintable(pages.why()));
        QStringList listed;
        for (const TwilioCall &call : pages.value())
            listed.append(call.sid);
        QStringList newestFirst = sids;
        std::reverse(newestFirst.begin(), newestFirst.end());
        QCOMPARE(listed, newestFirst);

        // The wire shape of each page.
        const QJsonObject first = raw(f, "GET", AccountPath + u"/Calls.json?To=%2B15558675310&PageSize=2"_s).json();
        QCOMPARE(first.value(u"page"_s).toInt(), 0);
        QCOMPARE(first.value(u"page_size"_s).toInt(), 2);
        QCOMPARE(first.value(u"start"_s).toInt(), 0);
        QCOMPARE(first.value(u"end"_s).toInt(), 1);
        QCOMPARE(first.value(u"calls"_s).toArray().size(), 2);
        QVERIFY(first.value(u"previous_page_uri"_s).isNull());
        QCOMPARE(first.value(u"uri"_s).toString(), AccountPath + u"/Calls.json?To=%2B15558675310&PageSize=2"_s);
        QCOMPARE(first.value(u"first_page_uri"_s).toString(),
                 AccountPath + u"/Calls.json?To=%2B15558675310&PageSize=2&Page=0"_s);
        const QString next = first.value(u"next_page_uri"_s).toString();
        QCOMPARE(next, AccountPath + u"/Calls.json?To=%2B15558675310&PageSize=2&Page=1&PageToken=PA"_s + sids.at(3));

        const QJsonObject second = raw(f, "GET", next).json();
        QCOMPARE(second.value(u"page"_s).toInt(), 1);
        QCOMPARE(second.value(u"start"_s).toInt(), 2);
        QCOMPARE(second.value(u"calls"_s).toArray().first().toObject().value(u"sid"_s).toString(), sids.at(2));
        QVERIFY(!second.value(u"previous_page_uri"_s).isNull());

        const QJsonObject last = raw(f, "GET", second.value(u"next_page_uri"_s).toString()).json();
        QCOMPARE(last.value(u"calls"_s).toArray().size(), 1);
        QVERIFY(last.value(u"next_page_uri"_s).isNull());

        // A page token keeps the page stable while a new call arrives at the head of the list.
        placeLongCalls(f, 1);
        const QJsonObject again = raw(f, "GET", next).json();
        QCOMPARE(again.value(u"calls"_s).toArray().first().toObject().value(u"sid"_s).toString(), sids.at(2));
    }

    void fetchesACallWithTwiliosFields()
    {
        SimFixture f;
        QVERIFY(f.start());
        const qint64 created = f.clock.nowMs();
        const QString sid = placeLongCalls(f, 1).first();
        TwilioRestClient client(options(f), f.clock);

        auto live = run<TwilioCall>([&](auto done) { client.fetchCall(sid, this, done); });
        QVERIFY2(live.ok(), qPrintable(live.why()));
        const TwilioCall &call = live.value();
        QCOMPARE(call.sid, sid);
        QCOMPARE(call.accountSid, SimAccountSid);
        QCOMPARE(call.status, u"in-progress"_s);
        QCOMPARE(call.direction, u"inbound"_s);
        QCOMPARE(call.from, u"+15017121000"_s);
        QCOMPARE(call.to, u"+15558675310"_s);
        QVERIFY(call.parentCallSid.isEmpty());
        QCOMPARE(call.dateCreated.toMSecsSinceEpoch(), created);
        QCOMPARE(call.startTime.toMSecsSinceEpoch(), created);
        QVERIFY(!call.endTime.isValid());
        QVERIFY(!call.duration);
        QCOMPARE(call.uri, AccountPath + u"/Calls/"_s + sid + u".json"_s);
        QCOMPARE(call.apiVersion, u"2010-04-01"_s);

        QVERIFY(f.advance(42'000));
        QVERIFY(f.engine().hangup(sid).ok());
        auto ended = run<TwilioCall>([&](auto done) { client.fetchCall(sid, this, done); });
        QVERIFY2(ended.ok(), qPrintable(ended.why()));
        QCOMPARE(ended.value().status, u"completed"_s);
        QCOMPARE(ended.value().duration, 42);
        QCOMPARE(ended.value().endTime.toMSecsSinceEpoch(), created + 42'000);

        // Dates are RFC 2822 exactly as Twilio writes them.
        const QJsonObject json = raw(f, "GET", AccountPath + u"/Calls/"_s + sid + u".json"_s).json();
        QCOMPARE(json.value(u"date_created"_s).toString(), u"Thu, 01 Jan 2026 00:00:00 +0000"_s);
        QCOMPARE(json.value(u"end_time"_s).toString(), u"Thu, 01 Jan 2026 00:00:42 +0000"_s);
        QCOMPARE(json.value(u"duration"_s).toString(), u"42"_s);
    }

    void redirectsALiveCall_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QByteArray>("received");
        QTest::newRow("default POST") << QString() << QByteArray("POST");
        QTest::newRow("GET") << u"GET"_s << QByteArray("GET");
    }

    void redirectsALiveCall()
    {
        QFETCH(QString, method);
        QFETCH(QByteArray, received);
        SimFixture f;
        QVERIFY(f.start());
        const QString sid = placeLongCalls(f, 1).first();
        f.hooks.twiml.insert(u"/moved"_s, response("<Say>Moved</Say>"));
        TwilioRestClient client(options(f), f.clock);

        TwilioCallUpdate update;
        update.url = QUrl(f.hooks.url(u"/moved"_s));
        update.method = method;
        auto updated = run<TwilioCall>([&](auto done) { client.updateCall(sid, update, this, done); });
        QVERIFY2(updated.ok(), qPrintable(updated.why()));
        QCOMPARE(updated.value().sid, sid);
        QVERIFY(f.settle());
        QCOMPARE(f.hooks.count(u"/moved"_s), 1);
        QCOMPARE(f.hooks.at(u"/moved"_s).first().method, received);
        QCOMPARE(f.hooks.at(u"/moved"_s).first().param(u"CallSid"_s), sid);
        QVERIFY(f.hooks.allSignaturesValid());
        QVERIFY(f.advance(5 * 60));
        QCOMPARE(f.call(sid).status, u"completed"_s);
    }

    void replacesTheTwimlOfALiveCall()
    {
        SimFixture f;
        QVERIFY(f.start());
        const QString sid = placeLongCalls(f, 1).first();
        TwilioRestClient client(options(f), f.clock);

        TwilioCallUpdate update;
        update.twiml = u"<Response><Say>Bye</Say></Response>"_s;
        auto updated = run<TwilioCall>([&](auto done) { client.updateCall(sid, update, this, done); });
        QVERIFY2(updated.ok(), qPrintable(updated.why()));
        QVERIFY(f.hasEvent(sid, u"<Say>Bye</Say> started"_s));
        QVERIFY(f.advance(3 * 60));
        QCOMPARE(f.call(sid).status, u"completed"_s);
    }

    void endsACallWithStatus()
    {
        SimFixture f;
        QVERIFY(f.start());
        const QString sid = placeLongCalls(f, 1).first();
        TwilioRestClient client(options(f), f.clock);

        // canceled only ends calls that are not answered yet: this one is in progress.
        TwilioCallUpdate cancel;
        cancel.status = u"canceled"_s;
        auto canceled = run<TwilioCall>([&](auto done) { client.updateCall(sid, cancel, this, done); });
        QVERIFY2(canceled.ok(), qPrintable(canceled.why()));
        QCOMPARE(canceled.value().status, u"in-progress"_s);

        TwilioCallUpdate complete;
        complete.status = u"completed"_s;
        auto completed = run<TwilioCall>([&](auto done) { client.updateCall(sid, complete, this, done); });
        QVERIFY2(completed.ok(), qPrintable(completed.why()));
        QCOMPARE(completed.value().status, u"completed"_s);
        QCOMPARE(f.call(sid).status, u"completed"_s);

        auto again = run<TwilioCall>([&](auto done) { client.updateCall(sid, complete, this, done); });
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, TwilioError::Kind::Api);
        QCOMPARE(again.error().httpStatus, 400);
        QCOMPARE(again.error().code, 21220);
    }

    void refusesBadCallUpdates_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("twiml");
        QTest::addColumn<int>("code");
        QTest::newRow("Url not http") << u"ftp://example.com/twiml"_s << QString() << 21205;
        QTest::newRow("Twiml not XML") << QString() << u"<Response><Say>hi</Response>"_s << 12100;
        QTest::newRow("Twiml invalid") << QString() << u"<Response><Dial timeout=\"x\">+1555</Dial></Response>"_s
                                       << 12200;
    }

    void refusesBadCallUpdates()
    {
        QFETCH(QString, url);
        QFETCH(QString, twiml);
        QFETCH(int, code);
        SimFixture f;
        QVERIFY(f.start());
        const QString sid = placeLongCalls(f, 1).first();
        TwilioRestClient client(options(f), f.clock);
        TwilioCallUpdate update;
        update.url = QUrl(url);
        update.twiml = twiml;
        auto refused = run<TwilioCall>([&](auto done) { client.updateCall(sid, update, this, done); });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().httpStatus, 400);
        QCOMPARE(refused.error().code, code);
        QCOMPARE(f.call(sid).status, u"in-progress"_s);
    }

    void managesQueues()
    {
        SimFixture f;
        QVERIFY(f.start());
        TwilioRestClient client(options(f), f.clock);

        auto created = run<TwilioQueue>([&](auto done) { client.createQueue(u"support"_s, 10, this, done); });
        QVERIFY2(created.ok(), qPrintable(created.why()));
        const QString sid = created.value().sid;
        QVERIFY(sid.startsWith(u"QU"_s) && sid.size() == 34);
        QCOMPARE(created.value().friendlyName, u"support"_s);
        QCOMPARE(created.value().maxSize, 10);
        QCOMPARE(created.value().currentSize, 0);
        QCOMPARE(created.value().uri, AccountPath + u"/Queues/"_s + sid + u".json"_s);
        QCOMPARE(raw(f, "POST", AccountPath + u"/Queues.json"_s, "FriendlyName=sales").status, 201);

        auto listed = run<QList<TwilioQueue>>([&](auto done) { client.listQueues(this, done); });
        QVERIFY2(listed.ok(), qPrintable(listed.why()));
        QCOMPARE(listed.value().size(), 2);
        QCOMPARE(listed.value().at(1).maxSize, 1000); // Twilio's default

        TwilioQueueUpdate update;
        update.friendlyName = u"support-2"_s;
        update.maxSize = 20;
        auto updated = run<TwilioQueue>([&](auto done) { client.updateQueue(sid, update, this, done); });
        QVERIFY2(updated.ok(), qPrintable(updated.why()));
        auto fetched = run<TwilioQueue>([&](auto done) { client.fetchQueue(sid, this, done); });
        QVERIFY2(fetched.ok(), qPrintable(fetched.why()));
        QCOMPARE(fetched.value().friendlyName, u"support-2"_s);
        QCOMPARE(fetched.value().maxSize, 20);

        auto deleted = run<TwilioRestClient::Done>([&](auto done) { client.deleteQueue(sid, this, done); });
        QVERIFY2(deleted.ok(), qPrintable(deleted.why()));
        auto gone = run<TwilioQueue>([&](auto done) { client.fetchQueue(sid, this, done); });
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().httpStatus, 404);
        QCOMPARE(gone.error().code, 20404);
        auto deletedTwice = run<TwilioRestClient::Done>([&](auto done) { client.deleteQueue(sid, this, done); });
        QCOMPARE(deletedTwice.error().code, 20404);
    }

    void refusesBadQueues()
    {
        SimFixture f;
        QVERIFY(f.start());
        TwilioRestClient client(options(f), f.clock);
        auto tooBig = run<TwilioQueue>([&](auto done) { client.createQueue(u"big"_s, 6000, this, done); });
        QCOMPARE(tooBig.error().httpStatus, 400);
        QCOMPARE(tooBig.error().code, 20001);
        QVERIFY(run<TwilioQueue>([&](auto done) { client.createQueue(u"dup"_s, {}, this, done); }).ok());
        auto duplicate = run<TwilioQueue>([&](auto done) { client.createQueue(u"dup"_s, {}, this, done); });
        QCOMPARE(duplicate.error().code, 20001);
    }

    void listsFetchesAndDequeuesMembers()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Enqueue waitUrl=\"/wait\">support</Enqueue>"));
        f.hooks.twiml.insert(u"/wait"_s, response("<Play loop=\"0\">https://example.com/hold.mp3</Play>"));
        f.hooks.twiml.insert(u"/agent"_s, response("<Say>Connecting you</Say>"));
        const QString first = f.placeCall();
        QVERIFY(f.advance(30'000));
        const QString second = f.placeCall();
        const QString queueSid = f.engine().findQueueByName(u"support"_s)->sid;
        TwilioRestClient client(options(f), f.clock);

        auto members = run<QList<TwilioQueueMember>>([&](auto done) { client.listQueueMembers(queueSid, this, done); });
        QVERIFY2(members.ok(), qPrintable(members.why()));
        QCOMPARE(members.value().size(), 2);
        QCOMPARE(members.value().at(0).callSid, first);
        QCOMPARE(members.value().at(0).position, 1);
        QCOMPARE(members.value().at(0).waitTime, 30);
        QCOMPARE(members.value().at(0).queueSid, queueSid);
        QCOMPARE(members.value().at(1).callSid, second);
        QCOMPARE(members.value().at(1).position, 2);
        QCOMPARE(members.value().at(1).waitTime, 0);

        auto front = run<TwilioQueueMember>(
            [&](auto done) { client.fetchQueueMember(queueSid, TwilioRestClient::frontOfQueue(), this, done); });
        QVERIFY2(front.ok(), qPrintable(front.why()));
        QCOMPARE(front.value().callSid, first);
        auto bySid = run<TwilioQueueMember>([&](auto done) { client.fetchQueueMember(queueSid, second, this, done); });
        QCOMPARE(bySid.value().position, 2);

        auto dequeued = run<TwilioQueueMember>([&](auto done) {
            client.dequeueMember(queueSid, TwilioRestClient::frontOfQueue(), QUrl(f.hooks.url(u"/agent"_s)), u"POST"_s,
                                 this, done);
        });
        QVERIFY2(dequeued.ok(), qPrintable(dequeued.why()));
        QCOMPARE(dequeued.value().callSid, first);
        QCOMPARE(dequeued.value().position, 1);
        QVERIFY(f.settle());
        QCOMPARE(f.hooks.count(u"/agent"_s), 1);
        QCOMPARE(f.hooks.at(u"/agent"_s).first().param(u"CallSid"_s), first);
        QVERIFY(f.hasEvent(first, u"Connecting you"_s));

        auto rest = run<QList<TwilioQueueMember>>([&](auto done) { client.listQueueMembers(queueSid, this, done); });
        QCOMPARE(rest.value().size(), 1);
        QCOMPARE(rest.value().first().callSid, second);
        QCOMPARE(rest.value().first().position, 1);

        auto notThere
            = run<TwilioQueueMember>([&](auto done) { client.fetchQueueMember(queueSid, first, this, done); });
        QCOMPARE(notThere.error().httpStatus, 404);
        QCOMPARE(notThere.error().code, 20404);
        auto notThereEither = run<TwilioQueueMember>(
            [&](auto done) { client.dequeueMember(queueSid, first, QUrl(f.hooks.url(u"/agent"_s)), {}, this, done); });
        QCOMPARE(notThereEither.error().code, 20404);
    }

    void managesSipCredentials()
    {
        SimFixture f;
        QVERIFY(f.start());
        TwilioRestClient client(options(f), f.clock);
        SipCredentialStore &store = f.sim->sipCredentials();
        QSignalSpy changed(&store, &SipCredentialStore::credentialChanged);
        QSignalSpy removed(&store, &SipCredentialStore::credentialRemoved);

        auto list = run<TwilioCredentialList>(
            [&](auto done) { client.createCredentialList(u"Heartline agents"_s, this, done); });
        QVERIFY2(list.ok(), qPrintable(list.why()));
        const QString listSid = list.value().sid;
        QVERIFY(listSid.startsWith(u"CL"_s) && listSid.size() == 34);
        QCOMPARE(list.value().friendlyName, u"Heartline agents"_s);
        QCOMPARE(list.value().uri, AccountPath + u"/SIP/CredentialLists/"_s + listSid + u".json"_s);
        QCOMPARE(list.value().dateCreated, f.clock.now());
        // Twilio's shape: the credentials subresource, the account.
        const QJsonObject listJson
            = raw(f, "GET", AccountPath + u"/SIP/CredentialLists/"_s + listSid + u".json"_s).json();
        QCOMPARE(listJson.value(u"account_sid"_s).toString(), SimAccountSid);
        QCOMPARE(listJson.value(u"subresource_uris"_s).toObject().value(u"credentials"_s).toString(),
                 AccountPath + u"/SIP/CredentialLists/"_s + listSid + u"/Credentials.json"_s);

        auto created = run<TwilioSipCredential>(
            [&](auto done) { client.createSipCredential(listSid, u"alice"_s, u"Correct-Horse-7"_s, this, done); });
        QVERIFY2(created.ok(), qPrintable(created.why()));
        const QString sid = created.value().sid;
        QVERIFY(sid.startsWith(u"CR"_s) && sid.size() == 34);
        QCOMPARE(created.value().username, u"alice"_s);
        QCOMPARE(created.value().credentialListSid, listSid);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0), (QVariantList {listSid, u"alice"_s, u"Correct-Horse-7"_s}));

        // The password is never given back, in any answer.
        const HttpReply fetched
            = raw(f, "GET", AccountPath + u"/SIP/CredentialLists/%1/Credentials/%2.json"_s.arg(listSid, sid));
        QCOMPARE(fetched.status, 200);
        QCOMPARE(fetched.json().value(u"username"_s).toString(), u"alice"_s);
        QVERIFY(!fetched.json().contains(u"password"_s));
        QVERIFY(!fetched.body.contains("Correct-Horse-7"));

        auto rotated = run<TwilioSipCredential>(
            [&](auto done) { client.updateSipCredentialPassword(listSid, sid, u"Battery-Staple-8"_s, this, done); });
        QVERIFY2(rotated.ok(), qPrintable(rotated.why()));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(1), (QVariantList {listSid, u"alice"_s, u"Battery-Staple-8"_s}));
        QCOMPARE(store.allCredentials().first().password, u"Battery-Staple-8"_s);

        QVERIFY(run<TwilioSipCredential>([&](auto done) {
                    client.createSipCredential(listSid, u"bob"_s, u"Bob-the-Agent-9"_s, this, done);
                }).ok());
        auto listed
            = run<QList<TwilioSipCredential>>([&](auto done) { client.listSipCredentials(listSid, this, done); });
        QVERIFY2(listed.ok(), qPrintable(listed.why()));
        QCOMPARE(listed.value().size(), 2);
        QCOMPARE(listed.value().at(0).username, u"alice"_s);
        QCOMPARE(listed.value().at(1).username, u"bob"_s);
        const HttpReply page
            = raw(f, "GET", AccountPath + u"/SIP/CredentialLists/"_s + listSid + u"/Credentials.json"_s);
        QCOMPARE(page.json().value(u"credentials"_s).toArray().size(), 2);
        QVERIFY(page.json().contains(u"next_page_uri"_s));

        auto deleted
            = run<TwilioRestClient::Done>([&](auto done) { client.deleteSipCredential(listSid, sid, this, done); });
        QVERIFY2(deleted.ok(), qPrintable(deleted.why()));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0), (QVariantList {listSid, u"alice"_s}));
        auto gone
            = run<TwilioRestClient::Done>([&](auto done) { client.deleteSipCredential(listSid, sid, this, done); });
        QCOMPARE(gone.error().httpStatus, 404);
        QCOMPARE(gone.error().code, 20404);

        auto lists = run<QList<TwilioCredentialList>>([&](auto done) { client.listCredentialLists(this, done); });
        QVERIFY2(lists.ok(), qPrintable(lists.why()));
        QCOMPARE(lists.value().size(), 1);
        // Deleting the list takes its credentials with it.
        QCOMPARE(raw(f, "DELETE", AccountPath + u"/SIP/CredentialLists/"_s + listSid + u".json"_s).status, 204);
        QCOMPARE(removed.size(), 2);
        QCOMPARE(removed.at(1), (QVariantList {listSid, u"bob"_s}));
        QVERIFY(store.allCredentials().isEmpty());
        QCOMPARE(raw(f, "GET", AccountPath + u"/SIP/CredentialLists/"_s + listSid + u"/Credentials.json"_s).status,
                 404);
    }

    void refusesBadSipCredentials_data()
    {
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("inMessage");
        QTest::newRow("11 characters") << u"carol"_s << u"Short-Pw-11"_s << u"at least 12 characters"_s;
        QTest::newRow("no digit") << u"carol"_s << u"No-Digits-Here"_s << u"a digit"_s;
        QTest::newRow("no upper case") << u"carol"_s << u"all-lower-case-1"_s << u"upper-case"_s;
        QTest::newRow("no lower case") << u"carol"_s << u"ALL-UPPER-CASE-1"_s << u"lower-case"_s;
        QTest::newRow("username of 33") << QString(33, u'c') << u"Good-Password-1"_s << u"1 to 32 characters"_s;
        QTest::newRow("username with @") << u"carol@corp"_s << u"Good-Password-1"_s << u"1 to 32 characters"_s;
        QTest::newRow("username with a space") << u"carol c"_s << u"Good-Password-1"_s << u"1 to 32 characters"_s;
        QTest::newRow("username twice in the list") << u"dave"_s << u"Good-Password-1"_s << u"already exists"_s;
        QTest::newRow("no username") << QString() << u"Good-Password-1"_s << u"Username"_s;
        QTest::newRow("no password") << u"carol"_s << QString() << u"Password"_s;
    }
    void refusesBadSipCredentials()
    {
        QFETCH(QString, username);
        QFETCH(QString, password);
        QFETCH(QString, inMessage);
        SimFixture f;
        QVERIFY(f.start());
        SipCredentialStore &store = f.sim->sipCredentials();
        const QString listSid = store.createList(u"agents"_s).value()->sid;
        QVERIFY(store.createCredential(listSid, u"dave"_s, u"Dave-Password-1"_s));
        QSignalSpy changed(&store, &SipCredentialStore::credentialChanged);

        QByteArray body;
        if (!username.isNull())
            body += "Username=" + QUrl::toPercentEncoding(username) + '&';
        if (!password.isNull())
            body += "Password=" + QUrl::toPercentEncoding(password);
        const HttpReply reply
            = raw(f, "POST", AccountPath + u"/SIP/CredentialLists/"_s + listSid + u"/Credentials.json"_s, body);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(u"code"_s).toInt(), 20001);
        QVERIFY2(reply.json().value(u"message"_s).toString().contains(inMessage), reply.body.constData());
        if (!password.isEmpty())
            QVERIFY(!reply.body.contains(password.toUtf8())); // a refused password is never echoed
        QCOMPARE(changed.size(), 0);
        QCOMPARE(store.credentials(listSid).size(), 1);

        // A weak new password is refused the same way, and the old one stays.
        const QString daveSid = store.credentials(listSid).first()->sid;
        const HttpReply update
            = raw(f, "POST", AccountPath + u"/SIP/CredentialLists/%1/Credentials/%2.json"_s.arg(listSid, daveSid),
                  "Password=weak");
        QCOMPARE(update.status, 400);
        QCOMPARE(update.json().value(u"code"_s).toInt(), 20001);
        QCOMPARE(store.credentials(listSid).first()->password, u"Dave-Password-1"_s);
    }

    void refusesBadCredentialLists()
    {
        SimFixture f;
        QVERIFY(f.start());
        TwilioRestClient client(options(f), f.clock);
        const QString lists = AccountPath + u"/SIP/CredentialLists.json"_s;
        QCOMPARE(raw(f, "POST", lists, "FriendlyName=" + QByteArray(65, 'x')).json().value(u"code"_s).toInt(), 20001);
        QCOMPARE(raw(f, "POST", lists, "Other=1").status, 400);
        QCOMPARE(raw(f, "PUT", lists).status, 405);
        QCOMPARE(raw(f, "GET", AccountPath + u"/SIP/CredentialLists/CL000.json"_s).status, 404);
        // Another list's credential is not found through this one.
        SipCredentialStore &store = f.sim->sipCredentials();
        const QString first = store.createList(u"one"_s).value()->sid;
        const QString second = store.createList(u"two"_s).value()->sid;
        const QString sid = store.createCredential(first, u"erin"_s, u"Erin-Password-2"_s).value()->sid;
        const HttpReply wrongList
            = raw(f, "GET", AccountPath + u"/SIP/CredentialLists/%1/Credentials/%2.json"_s.arg(second, sid));
        QCOMPARE(wrongList.status, 404);
        QCOMPARE(wrongList.json().value(u"code"_s).toInt(), 20404);
        // The same username may live in two lists.
        QVERIFY(store.createCredential(second, u"erin"_s, u"Erin-Password-3"_s));
        // Wrong credentials are refused as for every other resource.
        const HttpReply refused = raw(f, "GET", lists, {}, basicAuth(SimAccountSid, u"x"_s));
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.json().value(u"code"_s).toInt(), 20003);
    }

    void refusesBadCredentials()
    {
        SimFixture f;
        QVERIFY(f.start());
        TwilioRestClient client(options(f, u"not-the-token"_s), f.clock);
        auto refused = run<QList<TwilioCall>>([&](auto done) { client.listCalls({}, this, done); });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, TwilioError::Kind::Api);
        QCOMPARE(refused.error().httpStatus, 401);
        QCOMPARE(refused.error().code, 20003);
        QCOMPARE(refused.error().moreInfo, u"https://www.twilio.com/docs/errors/20003"_s);
    }

    void answersErrorsAsTwilioDoes_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("code");
        const QByteArray good = basicAuth(SimAccountSid, SimAuthToken);
        const QString other = u"/2010-04-01/Accounts/AC"_s + QString(32, u'b');
        QTest::newRow("no credentials") << QByteArray("GET") << AccountPath + u"/Calls.json"_s << QByteArray()
                                        << QByteArray() << 401 << 20003;
        QTest::newRow("wrong password") << QByteArray("GET") << AccountPath + u"/Calls.json"_s << QByteArray()
                                        << basicAuth(SimAccountSid, u"x"_s) << 401 << 20003;
        QTest::newRow("another account") << QByteArray("GET") << other + u"/Calls.json"_s << QByteArray() << good << 404
                                         << 20404;
        QTest::newRow("unknown resource")
            << QByteArray("GET") << AccountPath + u"/Recordings.json"_s << QByteArray() << good << 404 << 20404;
        QTest::newRow("unknown call") << QByteArray("GET") << AccountPath + u"/Calls/CA000.json"_s << QByteArray()
                                      << good << 404 << 20404;
        QTest::newRow("not a resource path")
            << QByteArray("GET") << u"/2010-04-01/Accounts"_s << QByteArray() << good << 404 << 20404;
        QTest::newRow("method not allowed")
            << QByteArray("DELETE") << AccountPath + u"/Calls.json"_s << QByteArray() << good << 405 << 20004;
        QTest::newRow("queue without FriendlyName")
            << QByteArray("POST") << AccountPath + u"/Queues.json"_s << QByteArray("MaxSize=5") << good << 400 << 20001;
        QTest::newRow("MaxSize not a number") << QByteArray("POST") << AccountPath + u"/Queues.json"_s
                                              << QByteArray("FriendlyName=q&MaxSize=lots") << good << 400 << 20001;
        QTest::newRow("PageSize not a number")
            << QByteArray("GET") << AccountPath + u"/Calls.json?PageSize=ten"_s << QByteArray() << good << 400 << 20001;
        QTest::newRow("unknown Status filter") << QByteArray("GET") << AccountPath + u"/Calls.json?Status=ringin"_s
                                               << QByteArray() << good << 400 << 20001;
        QTest::newRow("bad StartTime filter")
            << QByteArray("GET") << AccountPath + u"/Calls.json?StartTime%3E=yesterday"_s << QByteArray() << good << 400
            << 20001;
        QTest::newRow("bad form body") << QByteArray("POST") << AccountPath + u"/Queues.json"_s
                                       << QByteArray("FriendlyName=%zz") << good << 400 << 20001;
    }

    void answersErrorsAsTwilioDoes()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, authorization);
        QFETCH(int, status);
        QFETCH(int, code);
        SimFixture f;
        QVERIFY(f.start());
        const HttpReply reply = raw(f, verb, path, body, authorization);
        QCOMPARE(reply.status, status);
        const QJsonObject json = reply.json();
        QCOMPARE(json.value(u"code"_s).toInt(), code);
        QCOMPARE(json.value(u"status"_s).toInt(), status);
        QCOMPARE(json.value(u"more_info"_s).toString(), u"https://www.twilio.com/docs/errors/%1"_s.arg(code));
        QVERIFY(!json.value(u"message"_s).toString().isEmpty());
        if (status == 401)
            QCOMPARE(reply.header("WWW-Authenticate"), QByteArray("Basic realm=\"Twilio API\""));
    }

    void refusesBadDequeues()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Enqueue>support</Enqueue>"));
        const QString sid = f.placeCall();
        const QString members
            = AccountPath + u"/Queues/"_s + f.engine().findQueueByName(u"support"_s)->sid + u"/Members/Front.json"_s;
        HttpReply noUrl = raw(f, "POST", members, "Method=POST");
        QCOMPARE(noUrl.status, 400);
        QCOMPARE(noUrl.json().value(u"code"_s).toInt(), 20001);
        QCOMPARE(noUrl.json().value(u"message"_s).toString(), u"Missing required parameter Url in the post body"_s);
        HttpReply badUrl = raw(f, "POST", members, "Url=not-a-url");
        QCOMPARE(badUrl.json().value(u"code"_s).toInt(), 21205);
        HttpReply badMethod = raw(f, "POST", members, "Url=http%3A%2F%2Fexample.com%2F&Method=PUT");
        QCOMPARE(badMethod.json().value(u"code"_s).toInt(), 20001);
        // Nothing happened to the caller.
        QVERIFY(f.call(sid).queued.has_value());
    }

    void slowAnswersTimeTheClientOut()
    {
        SimFixture f;
        QVERIFY(f.start());
        // The control hook: every REST answer is held back 60 s of simulated time, which the test
        // never lets pass while the client waits.
        HttpTestClient control(f.sim->baseUrl());
        QCOMPARE(control.postJson(u"/control/rest-delay"_s, QJsonObject {{u"ms"_s, 60'000}}).status, 200);

        TwilioRestOptions limited = options(f);
        limited.totalTimeout = milliseconds {300};
        TwilioRestClient client(limited, f.clock);
        auto timedOut = run<QList<TwilioQueue>>([&](auto done) { client.listQueues(this, done); });
        QVERIFY(!timedOut.ok());
        QCOMPARE(timedOut.error().kind, TwilioError::Kind::Timeout);
        QCOMPARE(f.sim->heldRestAnswers(), 1);

        // Time passes: the held answer goes to a connection the client has given up on.
        f.scheduler.advance(60'000);
        QCOMPARE(f.sim->heldRestAnswers(), 0);

        QCOMPARE(control.postJson(u"/control/rest-delay"_s, QJsonObject {{u"ms"_s, 0}}).status, 200);
        auto quick = run<QList<TwilioQueue>>([&](auto done) { client.listQueues(this, done); });
        QVERIFY2(quick.ok(), qPrintable(quick.why()));
    }
};

QTEST_GUILESS_MAIN(TestSimRest)
#include "tst_sim_rest.moc"
