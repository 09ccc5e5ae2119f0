// TwilioRestClient against a real HTTP server on loopback that answers the way Twilio's REST API
// does (spec/twilio-voice-wire.md §3) and records what it received.

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include "core/Clock.h"
#include "twilio/TwilioRestClient.h"

using namespace heartline;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace {

const QString AccountSid = u"AC"_s + QString(32, u'a');
const QString AuthToken = u"f0e1d2c3b4a5968778695a4b3c2d1e0f"_s;
const QString CallSid = u"CA"_s + QString(32, u'c');
const QString QueueSid = u"QU"_s + QString(32, u'e');
const QByteArray AccountPath = "/2010-04-01/Accounts/" + AccountSid.toLatin1();
constexpr int WaitLimitMs = 10'000; // a limit for a hung test, never a measured duration

struct Received
{
    QByteArray method;
    QByteArray path;
    QByteArray query; ///< as sent, percent-encoding kept
    QByteArray authorization;
    QByteArray contentType;
    QByteArray body;
};

struct Answer
{
    int status = 200;
    QByteArray body;
    QByteArray retryAfter;
    bool hold = false; ///< keep the connection open without answering
};

Answer json(const QJsonObject &object, int status = 200)
{
    return Answer {status, QJsonDocument(object).toJson(QJsonDocument::Compact), {}, false};
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    default:
        return "OTHER";
    }
}

/// Twilio's REST API as far as one test needs it: `answer` decides each reply.
class FakeTwilio final : public QAbstractHttpServer
{
public:
    std::function<Answer(const Received &)> answer;
    QList<Received> received;

    bool start()
    {
        m_port = listen(QHostAddress::LocalHost, 0);
        return m_port != 0;
    }
    [[nodiscard]] QUrl baseUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port)); }
    [[nodiscard]] int heldCount() const { return static_cast<int>(m_held.size()); }

    void releaseHeld(const Answer &reply)
    {
        for (auto &responder : m_held)
            write(*responder, reply);
        m_held.clear();
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        Received entry;
        entry.method = methodName(request.method());
        entry.path = request.url().path(QUrl::FullyEncoded).toLatin1();
        entry.query = request.url().query(QUrl::FullyEncoded).toLatin1();
        entry.authorization = request.value("authorization");
        entry.contentType = request.value("content-type");
        entry.body = request.body();
        received.append(entry);

        const Answer reply = answer ? answer(entry) : Answer {404, {}, {}, false};
        QHttpServerResponder responder = makeResponder(request, socket);
        if (reply.hold)
            m_held.push_back(std::make_unique<QHttpServerResponder>(std::move(responder)));
        else
            write(responder, reply);
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override { }

private:
    static void write(QHttpServerResponder &responder, const Answer &reply)
    {
        responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
        if (reply.status != 204) {
            responder.writeHeader("Content-Type", "application/json; charset=utf-8");
            responder.writeHeader("Content-Length", QByteArray::number(reply.body.size()));
        }
        if (!reply.retryAfter.isEmpty())
            responder.writeHeader("Retry-After", reply.retryAfter);
        responder.writeBody(reply.body);
    }

    quint16 m_port = 0;
    std::vector<std::unique_ptr<QHttpServerResponder>> m_held;
};

/// Catches one asynchronous result.
template <typename T> class Outcome
{
public:
    TwilioRestClient::Callback<T> callback()
    {
        return [this](const TwilioResult<T> &result) {
            m_result.emplace(result);
            ++m_calls;
        };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return m_result.has_value(); }, WaitLimitMs);
    }
    [[nodiscard]] bool arrived() const { return m_result.has_value(); }
    [[nodiscard]] int calls() const { return m_calls; }
    const TwilioResult<T> &result() const { return *m_result; }

private:
    std::optional<TwilioResult<T>> m_result;
    int m_calls = 0;
};

/// For failure messages: QVERIFY2 evaluates its message even when the check passes.
template <typename T> QString errorText(const TwilioResult<T> &result)
{
    return result.ok() ? QString() : result.error().toString();
}

QJsonObject callJson(const QString &sid, const QString &to, const QString &status)
{
    const bool ended = status == u"completed"_s;
    return QJsonObject {
        {u"sid"_s, sid},
        {u"account_sid"_s, AccountSid},
        {u"api_version"_s, u"2010-04-01"_s},
        {u"date_created"_s, u"Tue, 31 Aug 2010 20:36:28 +0000"_s},
        {u"date_updated"_s, u"Tue, 31 Aug 2010 20:36:44 +0000"_s},
        {u"direction"_s, u"inbound"_s},
        {u"duration"_s, ended ? QJsonValue(u"15"_s) : QJsonValue()},
        {u"start_time"_s, u"Tue, 31 Aug 2010 20:36:29 +0000"_s},
        {u"end_time"_s, ended ? QJsonValue(u"Tue, 31 Aug 2010 20:36:44 +0000"_s) : QJsonValue()},
        {u"from"_s, u"+15017122661"_s},
        {u"to"_s, to},
        {u"parent_call_sid"_s, QString(u"CA"_s + QString(32, u'b'))},
        {u"price"_s, QJsonValue()},
        {u"queue_time"_s, u"1000"_s},
        {u"status"_s, status},
        {u"uri"_s, QString(QString::fromLatin1(AccountPath) + u"/Calls/"_s + sid + u".json"_s)},
    };
}

QJsonObject queueJson()
{
    return QJsonObject {
        {u"sid"_s, QueueSid},
        {u"account_sid"_s, AccountSid},
        {u"friendly_name"_s, u"support"_s},
        {u"current_size"_s, 2},
        {u"average_wait_time"_s, 41},
        {u"max_size"_s, 50},
        {u"date_created"_s, u"Tue, 04 Aug 2015 18:39:09 +0000"_s},
        {u"date_updated"_s, u"Tue, 04 Aug 2015 18:39:10 +0000"_s},
        {u"uri"_s, QString(QString::fromLatin1(AccountPath) + u"/Queues/"_s + QueueSid + u".json"_s)},
    };
}

QJsonObject memberJson()
{
    return QJsonObject {
        {u"call_sid"_s, CallSid},
        {u"queue_sid"_s, QueueSid},
        {u"position"_s, 1},
        {u"wait_time"_s, 143},
        {u"date_enqueued"_s, u"Tue, 07 Aug 2012 22:57:41 +0000"_s},
        {u"uri"_s,
         QString(QString::fromLatin1(AccountPath) + u"/Queues/"_s + QueueSid + u"/Members/"_s + CallSid + u".json"_s)},
    };
}

QJsonObject callsPage(const QJsonArray &calls, int page, const QJsonValue &nextPageUri)
{
    const QString uri = QString::fromLatin1(AccountPath) + u"/Calls.json?PageSize=2&Page=%1"_s.arg(page);
    return QJsonObject {
        {u"calls"_s, calls},
        {u"page"_s, page},
        {u"page_size"_s, 2},
        {u"start"_s, page * 2},
        {u"end"_s, page * 2 + static_cast<int>(calls.size()) - 1},
        {u"uri"_s, uri},
        {u"first_page_uri"_s, QString(QString::fromLatin1(AccountPath) + u"/Calls.json?PageSize=2&Page=0"_s)},
        {u"next_page_uri"_s, nextPageUri},
        {u"previous_page_uri"_s, QJsonValue()},
    };
}

QJsonObject twilioErrorJson(int code, const QString &message, int status)
{
    return QJsonObject {
        {u"code"_s, code},
        {u"message"_s, message},
        {u"more_info"_s, u"https://www.twilio.com/docs/errors/%1"_s.arg(code)},
        {u"status"_s, status},
    };
}

QDateTime utc(int year, int month, int day, int hour, int minute, int second)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second), Qt::UTC);
}

// Log capture for the credential test.
QStringList g_logLines;
QtMessageHandler g_previousHandler = nullptr;
QLoggingCategory::CategoryFilter g_previousFilter = nullptr;

void captureMessage(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    g_logLines.append(QString::fromLatin1(context.category ? context.category : "") + u": "_s + message);
}

void enableTwilioLogging(QLoggingCategory *category)
{
    if (g_previousFilter)
        g_previousFilter(category);
    if (qstrcmp(category->categoryName(), "heartline.twilio") == 0) {
        category->setEnabled(QtDebugMsg, true);
        category->setEnabled(QtInfoMsg, true);
        category->setEnabled(QtWarningMsg, true);
    }
}

} // namespace

/// Starts one client operation; its result is not looked at.
using Operation = std::function<void(TwilioRestClient &, QObject *)>;

Q_DECLARE_METATYPE(TwilioCallUpdate)
Q_DECLARE_METATYPE(Operation)

class TestTwilioRestClient final : public QObject
{
    Q_OBJECT

private:
    /// Options that retry fast: the backoff is a few milliseconds, so no test waits for it.
    TwilioRestOptions options(const QUrl &baseUrl) const
    {
        TwilioRestOptions result;
        result.baseUrl = baseUrl;
        result.accountSid = AccountSid;
        result.authToken = AuthToken;
        result.connectTimeout = milliseconds {2'000};
        result.totalTimeout = milliseconds {5'000};
        result.retry.maxAttempts = 3;
        result.retry.baseDelay = milliseconds {2};
        result.retry.maxDelay = milliseconds {20};
        return result;
    }

    static quint16 closedPort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 0;
        const quint16 port = probe.serverPort();
        probe.close();
        return port;
    }

    ManualClock m_clock;

private Q_SLOTS:
    void initTestCase()
    {
        // Loopback only: an inherited proxy setting must not route the test traffic elsewhere.
        for (const char *name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
            qunsetenv(name);
    }

    void sendsBasicAuthAndEncodesCallFilters()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return json(callsPage({callJson(CallSid, u"client:alice"_s, u"in-progress"_s)}, 0, QJsonValue()));
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<QList<TwilioCall>> outcome;
        TwilioCallFilter filter;
        filter.to = u"client:alice"_s;
        filter.status = u"in-progress"_s;
        filter.pageSize = 20;
        client.listCalls(filter, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QCOMPARE(outcome.result().value().size(), 1);
        QCOMPARE(twilio.received.size(), 1);
        const Received &request = twilio.received.first();
        QCOMPARE(request.method, QByteArray("GET"));
        QCOMPARE(request.path, AccountPath + "/Calls.json");
        QCOMPARE(request.query, QByteArray("To=client%3Aalice&Status=in-progress&PageSize=20"));
        QCOMPARE(QUrlQuery(QString::fromLatin1(request.query)).queryItemValue(u"To"_s, QUrl::FullyDecoded),
                 u"client:alice"_s);
        QCOMPARE(request.authorization, "Basic " + (AccountSid + u':' + AuthToken).toUtf8().toBase64());
    }

    void collectsEveryPageInOrder()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        const QString next1 = QString::fromLatin1(AccountPath)
            + u"/Calls.json?To=client%3Aalice&PageSize=2&Page=1&PageToken=PACA000000000000000000000000000001"_s;
        const QString next2 = QString::fromLatin1(AccountPath)
            + u"/Calls.json?To=client%3Aalice&PageSize=2&Page=2&PageToken=PACA000000000000000000000000000003"_s;
        twilio.answer = [&](const Received &request) {
            const QString page = QUrlQuery(QString::fromLatin1(request.query)).queryItemValue(u"Page"_s);
            const auto call = [](int n) {
                return callJson(u"CA%1"_s.arg(n, 32, 10, QChar(u'0')), u"client:alice"_s, u"completed"_s);
            };
            if (page.isEmpty())
                return json(callsPage({call(1), call(2)}, 0, next1));
            if (page == u"1"_s)
                return json(callsPage({call(3), call(4)}, 1, next2));
            return json(callsPage({call(5)}, 2, QJsonValue()));
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<QList<TwilioCall>> outcome;
        TwilioCallFilter filter;
        filter.to = u"client:alice"_s;
        filter.pageSize = 2;
        client.listCalls(filter, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QStringList sids;
        for (const TwilioCall &call : outcome.result().value())
            sids.append(call.sid.right(1));
        QCOMPARE(sids, (QStringList {u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"5"_s}));
        QCOMPARE(twilio.received.size(), 3);
        // The next pages are fetched exactly as Twilio named them.
        QCOMPARE(QString::fromLatin1(twilio.received.at(1).path + '?' + twilio.received.at(1).query), next1);
        QCOMPARE(QString::fromLatin1(twilio.received.at(2).path + '?' + twilio.received.at(2).query), next2);
        QVERIFY(!twilio.received.at(2).authorization.isEmpty());
    }

    void stopsAtThePageLimit()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        const QString endless = QString::fromLatin1(AccountPath) + u"/Calls.json?Page=1"_s;
        twilio.answer = [&](const Received &) {
            return json(callsPage({callJson(CallSid, u"client:alice"_s, u"ringing"_s)}, 1, endless));
        };
        TwilioRestOptions limited = options(twilio.baseUrl());
        limited.maxPages = 3;
        TwilioRestClient client(limited, m_clock);

        Outcome<QList<TwilioCall>> outcome;
        client.listCalls({}, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().kind, TwilioError::Kind::TooManyPages);
        QCOMPARE(twilio.received.size(), 3);
    }

    void neverFollowsANextPageToAnotherHost()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        FakeTwilio elsewhere;
        QVERIFY(elsewhere.start());
        const QString foreign = elsewhere.baseUrl().toString() + QString::fromLatin1(AccountPath) + u"/Calls.json"_s;
        twilio.answer = [&](const Received &) {
            return json(callsPage({callJson(CallSid, u"client:alice"_s, u"ringing"_s)}, 0, foreign));
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<QList<TwilioCall>> outcome;
        client.listCalls({}, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().kind, TwilioError::Kind::BadResponse);
        QCOMPARE(elsewhere.received.size(), 0);
    }

    void parsesCallFields()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return json(callJson(CallSid, u"client:alice"_s, u"completed"_s));
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioCall> outcome;
        client.fetchCall(CallSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QCOMPARE(twilio.received.first().path, AccountPath + "/Calls/" + CallSid.toLatin1() + ".json");
        const TwilioCall &call = outcome.result().value();
        QCOMPARE(call.sid, CallSid);
        QCOMPARE(call.accountSid, AccountSid);
        QCOMPARE(call.status, u"completed"_s);
        QCOMPARE(call.direction, u"inbound"_s);
        QCOMPARE(call.from, u"+15017122661"_s);
        QCOMPARE(call.to, u"client:alice"_s);
        QCOMPARE(call.parentCallSid, u"CA"_s + QString(32, u'b'));
        QCOMPARE(call.dateCreated, utc(2010, 8, 31, 20, 36, 28));
        QCOMPARE(call.dateUpdated, utc(2010, 8, 31, 20, 36, 44));
        QCOMPARE(call.startTime, utc(2010, 8, 31, 20, 36, 29));
        QCOMPARE(call.endTime, utc(2010, 8, 31, 20, 36, 44));
        QCOMPARE(call.duration, std::optional<int>(15));
        QCOMPARE(call.queueTime, std::optional<int>(1000));
        QCOMPARE(call.uri, QString::fromLatin1(AccountPath) + u"/Calls/"_s + CallSid + u".json"_s);
        QCOMPARE(call.apiVersion, u"2010-04-01"_s);
    }

    void callInProgressHasNoDurationOrEnd()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return json(callJson(CallSid, u"client:bob"_s, u"in-progress"_s));
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioCall> outcome;
        client.fetchCall(CallSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QCOMPARE(outcome.result().value().duration, std::nullopt);
        QVERIFY(!outcome.result().value().endTime.isValid());
        QCOMPARE(outcome.result().value().startTime, utc(2010, 8, 31, 20, 36, 29));
    }

    void rejectsCallJsonThatDoesNotFit_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("expectedInMessage");
        QTest::newRow("date not RFC 2822")
            << u"date_created"_s << QJsonValue(u"2010-08-31T20:36:28Z"_s) << u"\"date_created\""_s;
        QTest::newRow("duration not a number") << u"duration"_s << QJsonValue(u"fifteen"_s) << u"\"duration\""_s;
        QTest::newRow("sid missing") << u"sid"_s << QJsonValue() << u"\"sid\""_s;
        QTest::newRow("status not a string") << u"status"_s << QJsonValue(3) << u"\"status\""_s;
    }
    void rejectsCallJsonThatDoesNotFit()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, expectedInMessage);
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [&](const Received &) {
            QJsonObject call = callJson(CallSid, u"client:alice"_s, u"completed"_s);
            call.insert(field, value);
            return json(call);
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioCall> outcome;
        client.fetchCall(CallSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().kind, TwilioError::Kind::BadResponse);
        QCOMPARE(outcome.result().error().httpStatus, 200);
        QVERIFY2(outcome.result().error().message.contains(expectedInMessage),
                 qPrintable(outcome.result().error().message));
    }

    void updateCallPostsTheForm_data()
    {
        QTest::addColumn<TwilioCallUpdate>("update");
        QTest::addColumn<QByteArray>("expectedBody");
        TwilioCallUpdate redirect;
        redirect.url = QUrl(u"https://heartline.example/twilio/voice/connect?agent=alice"_s);
        redirect.method = u"POST"_s;
        redirect.statusCallback = QUrl(u"https://heartline.example/twilio/voice/status"_s);
        QTest::newRow("redirect") << redirect
                                  << QByteArray(
                                         "Url=https%3A%2F%2Fheartline.example%2Ftwilio%2Fvoice%2Fconnect%3Fagent%"
                                         "3Dalice&Method=POST&StatusCallback=https%3A%2F%2Fheartline.example%"
                                         "2Ftwilio%2Fvoice%2Fstatus");
        TwilioCallUpdate twiml;
        twiml.twiml = u"<Response><Say>Hello & bye</Say></Response>"_s;
        QTest::newRow("twiml") << twiml
                               << QByteArray(
                                      "Twiml=%3CResponse%3E%3CSay%3EHello%20%26%20bye%3C%2FSay%3E%3C%2FResponse%3E");
        TwilioCallUpdate end;
        end.status = u"completed"_s;
        QTest::newRow("end") << end << QByteArray("Status=completed");
    }
    void updateCallPostsTheForm()
    {
        QFETCH(TwilioCallUpdate, update);
        QFETCH(QByteArray, expectedBody);
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return json(callJson(CallSid, u"client:alice"_s, u"in-progress"_s));
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioCall> outcome;
        client.updateCall(CallSid, update, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QCOMPARE(outcome.result().value().sid, CallSid);
        QCOMPARE(twilio.received.size(), 1);
        const Received &request = twilio.received.first();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, AccountPath + "/Calls/" + CallSid.toLatin1() + ".json");
        QCOMPARE(request.contentType, QByteArray("application/x-www-form-urlencoded"));
        QCOMPARE(request.body, expectedBody);
    }

    void refusesContradictoryCallUpdates_data()
    {
        QTest::addColumn<TwilioCallUpdate>("update");
        QTest::addColumn<QString>("expectedInMessage");
        QTest::newRow("nothing to do") << TwilioCallUpdate {} << u"exactly one"_s;
        TwilioCallUpdate both;
        both.url = QUrl(u"https://heartline.example/a"_s);
        both.twiml = u"<Response/>"_s;
        QTest::newRow("url and twiml") << both << u"exactly one"_s;
        TwilioCallUpdate busy;
        busy.status = u"busy"_s;
        QTest::newRow("status busy") << busy << u"completed or canceled"_s;
        TwilioCallUpdate put;
        put.url = QUrl(u"https://heartline.example/a"_s);
        put.method = u"PUT"_s;
        QTest::newRow("method PUT") << put << u"GET or POST"_s;
    }
    void refusesContradictoryCallUpdates()
    {
        QFETCH(TwilioCallUpdate, update);
        QFETCH(QString, expectedInMessage);
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioCall> outcome;
        client.updateCall(CallSid, update, this, outcome.callback());
        QVERIFY2(!outcome.arrived(), "results arrive from the event loop, never inside the call");
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().kind, TwilioError::Kind::InvalidRequest);
        QVERIFY2(outcome.result().error().message.contains(expectedInMessage),
                 qPrintable(outcome.result().error().message));
        QCOMPARE(twilio.received.size(), 0);
    }

    void dequeuesTheFrontCaller()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return json(memberJson());
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioQueueMember> outcome;
        client.dequeueMember(QueueSid, TwilioRestClient::frontOfQueue(),
                             QUrl(u"https://heartline.example/twilio/voice/dequeue?agent=alice"_s), u"POST"_s, this,
                             outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        const Received &request = twilio.received.first();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, AccountPath + "/Queues/" + QueueSid.toLatin1() + "/Members/Front.json");
        QCOMPARE(
            request.body,
            QByteArray("Url=https%3A%2F%2Fheartline.example%2Ftwilio%2Fvoice%2Fdequeue%3Fagent%3Dalice&Method=POST"));
        const TwilioQueueMember &member = outcome.result().value();
        QCOMPARE(member.callSid, CallSid);
        QCOMPARE(member.queueSid, QueueSid);
        QCOMPARE(member.position, 1);
        QCOMPARE(member.waitTime, 143);
        QCOMPARE(member.dateEnqueued, utc(2012, 8, 7, 22, 57, 41));
    }

    void listsQueueMembers()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return json(QJsonObject {{u"queue_members"_s, QJsonArray {memberJson()}},
                                     {u"page"_s, 0},
                                     {u"page_size"_s, 50},
                                     {u"next_page_uri"_s, QJsonValue()}});
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<QList<TwilioQueueMember>> outcome;
        client.listQueueMembers(QueueSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QCOMPARE(twilio.received.first().path, AccountPath + "/Queues/" + QueueSid.toLatin1() + "/Members.json");
        QCOMPARE(outcome.result().value().size(), 1);
        QCOMPARE(outcome.result().value().first().position, 1);
    }

    void createsAQueue()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return json(queueJson(), 201);
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioQueue> outcome;
        client.createQueue(u"support"_s, 50, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        const Received &request = twilio.received.first();
        QCOMPARE(request.path, AccountPath + "/Queues.json");
        QCOMPARE(request.body, QByteArray("FriendlyName=support&MaxSize=50"));
        const TwilioQueue &queue = outcome.result().value();
        QCOMPARE(queue.sid, QueueSid);
        QCOMPARE(queue.friendlyName, u"support"_s);
        QCOMPARE(queue.currentSize, 2);
        QCOMPARE(queue.averageWaitTime, 41);
        QCOMPARE(queue.maxSize, 50);
        QCOMPARE(queue.dateCreated, utc(2015, 8, 4, 18, 39, 9));
    }

    void deletesAQueue()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return Answer {204, {}, {}, false};
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioRestClient::Done> outcome;
        client.deleteQueue(QueueSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QCOMPARE(twilio.received.size(), 1);
        QCOMPARE(twilio.received.first().method, QByteArray("DELETE"));
        QCOMPARE(twilio.received.first().path, AccountPath + "/Queues/" + QueueSid.toLatin1() + ".json");
    }

    void sendsTheDocumentedRequest_data()
    {
        QTest::addColumn<Operation>("operation");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("pathAfterAccount");
        QTest::addColumn<QByteArray>("body");
        const QByteArray queue = "/Queues/" + QueueSid.toLatin1();
        QTest::newRow("listQueues") << Operation(
            [](TwilioRestClient &c, QObject *o) { c.listQueues(o, [](const auto &) {}); })
                                    << QByteArray("GET") << QByteArray("/Queues.json") << QByteArray();
        QTest::newRow("fetchQueue") << Operation(
            [](TwilioRestClient &c, QObject *o) { c.fetchQueue(QueueSid, o, [](const auto &) {}); })
                                    << QByteArray("GET") << queue + ".json" << QByteArray();
        QTest::newRow("updateQueue") << Operation([](TwilioRestClient &c, QObject *o) {
            c.updateQueue(QueueSid, TwilioQueueUpdate {u"sales desk"_s, 10}, o, [](const auto &) {});
        }) << QByteArray("POST") << queue + ".json"
                                     << QByteArray("FriendlyName=sales%20desk&MaxSize=10");
        QTest::newRow("fetchQueueMember") << Operation([](TwilioRestClient &c, QObject *o) {
            c.fetchQueueMember(QueueSid, CallSid, o, [](const auto &) {});
        }) << QByteArray("GET") << queue + "/Members/" + CallSid.toLatin1() + ".json"
                                          << QByteArray();
        QTest::newRow("dequeue one caller") << Operation([](TwilioRestClient &c, QObject *o) {
            c.dequeueMember(QueueSid, CallSid, QUrl(u"https://heartline.example/d"_s), u"GET"_s, o,
                            [](const auto &) {});
        }) << QByteArray("POST") << queue + "/Members/" + CallSid.toLatin1() + ".json"
                                            << QByteArray("Url=https%3A%2F%2Fheartline.example%2Fd&Method=GET");
        QTest::newRow("listCalls by parent") << Operation([](TwilioRestClient &c, QObject *o) {
            TwilioCallFilter filter;
            filter.from = u"+15017122661"_s;
            filter.parentCallSid = CallSid;
            c.listCalls(filter, o, [](const auto &) {});
        }) << QByteArray("GET") << "/Calls.json?From=%2B15017122661&ParentCallSid=" + CallSid.toLatin1()
                                             << QByteArray();
    }
    void sendsTheDocumentedRequest()
    {
        QFETCH(Operation, operation);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, pathAfterAccount);
        QFETCH(QByteArray, body);
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return json(twilioErrorJson(20404, u"not here"_s, 404), 404);
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        operation(client, this);
        QVERIFY(QTest::qWaitFor([&] { return !twilio.received.isEmpty(); }, WaitLimitMs));

        const Received &request = twilio.received.first();
        QCOMPARE(request.method, method);
        const QByteArray target = request.query.isEmpty() ? request.path : request.path + '?' + request.query;
        QCOMPARE(target, AccountPath + pathAfterAccount);
        QCOMPARE(request.body, body);
    }

    void mapsTwilioErrorBodies_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("404 not found") << 404 << 20404 << u"The requested resource was not found"_s;
        QTest::newRow("401 bad credentials") << 401 << 20003 << u"Authenticate"_s;
    }
    void mapsTwilioErrorBodies()
    {
        QFETCH(int, status);
        QFETCH(int, code);
        QFETCH(QString, message);
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [&](const Received &) {
            return json(twilioErrorJson(code, message, status), status);
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioCall> outcome;
        client.fetchCall(CallSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        const TwilioError &error = outcome.result().error();
        QCOMPARE(error.kind, TwilioError::Kind::Api);
        QCOMPARE(error.httpStatus, status);
        QCOMPARE(error.code, code);
        QCOMPARE(error.message, message);
        QCOMPARE(error.moreInfo, u"https://www.twilio.com/docs/errors/%1"_s.arg(code));
        QCOMPARE(twilio.received.size(), 1); // a client error is not retried
    }

    void retriesAfter503()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [&](const Received &) {
            if (twilio.received.size() == 1)
                return json(twilioErrorJson(20503, u"Service Unavailable"_s, 503), 503);
            return json(callJson(CallSid, u"client:alice"_s, u"in-progress"_s));
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioCall> outcome;
        client.fetchCall(CallSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QCOMPARE(twilio.received.size(), 2);
    }

    void honoursRetryAfterOn429EvenForADequeue()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [&](const Received &) {
            if (twilio.received.size() == 1) {
                Answer busy = json(twilioErrorJson(20429, u"Too Many Requests"_s, 429), 429);
                busy.retryAfter = "0";
                return busy;
            }
            return json(memberJson());
        };
        // A backoff of minutes: the retry can only come in time if Retry-After: 0 is honoured.
        TwilioRestOptions slowBackoff = options(twilio.baseUrl());
        slowBackoff.retry.baseDelay = milliseconds {120'000};
        slowBackoff.retry.maxDelay = milliseconds {240'000};
        TwilioRestClient client(slowBackoff, m_clock);

        Outcome<TwilioQueueMember> outcome;
        client.dequeueMember(QueueSid, TwilioRestClient::frontOfQueue(), QUrl(u"https://heartline.example/d"_s),
                             u"POST"_s, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QCOMPARE(twilio.received.size(), 2);
        QCOMPARE(twilio.received.at(1).body, twilio.received.at(0).body);
    }

    void givesUpAfterMaxAttemptsWithTheLastError()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [&](const Received &) {
            return json(twilioErrorJson(20500, u"Internal Server Error #%1"_s.arg(twilio.received.size()), 500), 500);
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<QList<TwilioQueue>> outcome;
        client.listQueues(this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        const TwilioError &error = outcome.result().error();
        QCOMPARE(error.kind, TwilioError::Kind::Api);
        QCOMPARE(error.httpStatus, 500);
        QCOMPARE(error.code, 20500);
        QCOMPARE(error.message, u"Internal Server Error #3"_s);
        QCOMPARE(error.attempts, 3);
        QCOMPARE(twilio.received.size(), 3);
    }

    void neverRepeatsADequeueAfterA500()
    {
        // Twilio may have moved the caller before failing: a second POST could take a second caller.
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return json(twilioErrorJson(20500, u"oops"_s, 500), 500);
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioQueueMember> outcome;
        client.dequeueMember(QueueSid, TwilioRestClient::frontOfQueue(), QUrl(u"https://heartline.example/d"_s),
                             u"POST"_s, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().httpStatus, 500);
        QCOMPARE(outcome.result().error().attempts, 1);
        QCOMPARE(twilio.received.size(), 1);
    }

    void sipCredentialCallsRetryOnlyWhatIsSafeToRepeat()
    {
        // A second create after a 500 would meet the username the first one may have made; setting a
        // password twice sets it once.
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        const QString listSid = u"CL"_s + QString(32, u'1');
        const QString credentialSid = u"CR"_s + QString(32, u'2');
        const QJsonObject credential {{u"sid"_s, credentialSid},
                                      {u"account_sid"_s, AccountSid},
                                      {u"credential_list_sid"_s, listSid},
                                      {u"username"_s, u"alice"_s},
                                      {u"date_created"_s, u"Wed, 19 Aug 2015 19:48:45 +0000"_s},
                                      {u"date_updated"_s, u"Wed, 19 Aug 2015 19:48:45 +0000"_s},
                                      {u"uri"_s, u"/x.json"_s}};
        twilio.answer = [&](const Received &) {
            if (twilio.received.size() <= 2) // the create, and the first try of the update
                return json(twilioErrorJson(20500, u"oops"_s, 500), 500);
            return json(credential);
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioSipCredential> created;
        client.createSipCredential(listSid, u"alice"_s, u"Abcdefghijk1"_s, this, created.callback());
        QVERIFY(created.wait());
        QVERIFY(!created.result().ok());
        QCOMPARE(twilio.received.size(), 1);
        QCOMPARE(twilio.received.at(0).path,
                 AccountPath + "/SIP/CredentialLists/" + listSid.toLatin1() + "/Credentials.json");
        QCOMPARE(twilio.received.at(0).body, QByteArray("Username=alice&Password=Abcdefghijk1"));

        Outcome<TwilioSipCredential> updated;
        client.updateSipCredentialPassword(listSid, credentialSid, u"Abcdefghijk2"_s, this, updated.callback());
        QVERIFY(updated.wait());
        QVERIFY2(updated.result().ok(), qPrintable(errorText(updated.result())));
        QCOMPARE(updated.result().value().username, u"alice"_s);
        QCOMPARE(twilio.received.size(), 3);
        QCOMPARE(twilio.received.at(2).path,
                 AccountPath + "/SIP/CredentialLists/" + listSid.toLatin1() + "/Credentials/" + credentialSid.toLatin1()
                     + ".json");
        QCOMPARE(twilio.received.at(2).body, QByteArray("Password=Abcdefghijk2"));
    }

    void connectionRefusedIsATransportError()
    {
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        TwilioRestClient client(options(QUrl(u"http://127.0.0.1:%1"_s.arg(port))), m_clock);

        Outcome<TwilioCall> outcome;
        client.fetchCall(CallSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().kind, TwilioError::Kind::Transport);
        QCOMPARE(outcome.result().error().httpStatus, 0);
        QCOMPARE(outcome.result().error().attempts, 3); // never reached the server, so retried
    }

    void tlsFailureIsATransportError()
    {
        FakeTwilio plainHttp;
        QVERIFY(plainHttp.start());
        QUrl url = plainHttp.baseUrl();
        url.setScheme(u"https"_s);
        TwilioRestClient client(options(url), m_clock);

        Outcome<TwilioCall> outcome;
        client.fetchCall(CallSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().kind, TwilioError::Kind::Transport);
        QCOMPARE(outcome.result().error().attempts, 1);
    }

    void silentServerIsATimeout()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return Answer {200, {}, {}, true};
        };
        TwilioRestOptions shortLimit = options(twilio.baseUrl());
        shortLimit.totalTimeout = milliseconds {300};
        shortLimit.retry.maxAttempts = 1;
        TwilioRestClient client(shortLimit, m_clock);

        Outcome<TwilioCall> outcome;
        client.fetchCall(CallSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().kind, TwilioError::Kind::Timeout);
        QCOMPARE(twilio.received.size(), 1);
    }

    void nonJsonSuccessIsABadResponse()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return Answer {200, "<html>maintenance</html>", {}, false};
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioCall> outcome;
        client.fetchCall(CallSid, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().kind, TwilioError::Kind::BadResponse);
        QCOMPARE(outcome.result().error().httpStatus, 200);
        QCOMPARE(twilio.received.size(), 1);
    }

    void missingCredentialsAreRefusedWithoutSending()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        TwilioRestOptions noToken = options(twilio.baseUrl());
        noToken.authToken.clear();
        TwilioRestClient client(noToken, m_clock);

        Outcome<QList<TwilioCall>> outcome;
        client.listCalls({}, this, outcome.callback());
        QVERIFY(outcome.wait());

        QVERIFY(!outcome.result().ok());
        QCOMPARE(outcome.result().error().kind, TwilioError::Kind::InvalidRequest);
        QVERIFY(outcome.result().error().message.contains(u"TWILIO_AUTH_TOKEN"_s));
        QCOMPARE(twilio.received.size(), 0);
    }

    void eventLoopKeepsRunningWhileTwilioHangs()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return Answer {200, {}, {}, true};
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<QList<TwilioCall>> outcome;
        client.listCalls({}, this, outcome.callback());

        // A heartbeat-like timer on the same thread: it can only tick if the request does not block.
        int beats = 0;
        QTimer heartbeat;
        heartbeat.setInterval(5);
        connect(&heartbeat, &QTimer::timeout, this, [&beats] { ++beats; });
        heartbeat.start();
        QVERIFY(QTest::qWaitFor([&] { return twilio.heldCount() == 1 && beats >= 5; }, WaitLimitMs));
        QVERIFY(!outcome.arrived());
        QCOMPARE(client.requestsInFlight(), 1);

        twilio.releaseHeld(json(callsPage({callJson(CallSid, u"client:alice"_s, u"in-progress"_s)}, 0, QJsonValue())));
        QVERIFY(outcome.wait());
        QVERIFY2(outcome.result().ok(), qPrintable(errorText(outcome.result())));
        QCOMPARE(outcome.result().value().size(), 1);
    }

    void dropsTheResultWhenTheReceiverIsGone()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [](const Received &) {
            return Answer {200, {}, {}, true};
        };
        TwilioRestClient client(options(twilio.baseUrl()), m_clock);

        Outcome<TwilioCall> outcome;
        auto receiver = std::make_unique<QObject>();
        client.fetchCall(CallSid, receiver.get(), outcome.callback());
        QVERIFY(QTest::qWaitFor([&] { return twilio.heldCount() == 1; }, WaitLimitMs));
        receiver.reset();

        twilio.releaseHeld(json(callJson(CallSid, u"client:alice"_s, u"in-progress"_s)));
        QVERIFY(QTest::qWaitFor([&] { return client.requestsInFlight() == 0; }, WaitLimitMs));
        QCoreApplication::sendPostedEvents();
        QCoreApplication::sendPostedEvents();
        QCOMPARE(outcome.calls(), 0);
    }

    void credentialsNeverReachTheLog()
    {
        FakeTwilio twilio;
        QVERIFY(twilio.start());
        twilio.answer = [&](const Received &) {
            if (twilio.received.size() == 1)
                return json(twilioErrorJson(20503, u"Service Unavailable"_s, 503), 503);
            return json(twilioErrorJson(20003, u"Authenticate"_s, 401), 401);
        };
        // The worst case: an admin wrote the credentials into the base URL as well.
        QUrl base = twilio.baseUrl();
        base.setUserName(AccountSid);
        base.setPassword(AuthToken);

        g_logLines.clear();
        g_previousFilter = QLoggingCategory::installFilter(enableTwilioLogging);
        g_previousHandler = qInstallMessageHandler(captureMessage);
        {
            TwilioRestClient client(options(base), m_clock);
            Outcome<QList<TwilioCall>> outcome;
            TwilioCallFilter filter;
            filter.to = u"client:alice"_s;
            client.listCalls(filter, this, outcome.callback());
            const bool arrived = outcome.wait();
            qInstallMessageHandler(g_previousHandler);
            QLoggingCategory::installFilter(g_previousFilter);
            QVERIFY(arrived);
            QVERIFY(!outcome.result().ok());
            QCOMPARE(outcome.result().error().code, 20003);
        }
        QCOMPARE(twilio.received.size(), 2);
        QCOMPARE(twilio.received.first().authorization, "Basic " + (AccountSid + u':' + AuthToken).toUtf8().toBase64());

        const QString log = g_logLines.join(u'\n');
        QVERIFY2(log.contains(u"Calls.json"_s), qPrintable(log)); // the requests were logged…
        QVERIFY2(log.contains(u"20003"_s), qPrintable(log));
        QVERIFY2(!log.contains(AuthToken), qPrintable(log)); // …without the secret in any form
        QVERIFY2(!log.contains(QString::fromLatin1((AccountSid + u':' + AuthToken).toUtf8().toBase64())),
                 qPrintable(log));
        QVERIFY2(!log.contains(u"Authorization"_s, Qt::CaseInsensitive), qPrintable(log));
    }

    // --- the backoff, as a pure function ---

    void backoffDelays_data()
    {
        QTest::addColumn<int>("retry");
        QTest::addColumn<int>("retryAfterMs"); // -1: no Retry-After
        QTest::addColumn<double>("random");
        QTest::addColumn<int>("expectedMs"); // -1: give up
        // base 100 ms, cap 1000 ms, 5 attempts
        QTest::newRow("first retry, low jitter") << 1 << -1 << 0.0 << 50;
        QTest::newRow("first retry, high jitter") << 1 << -1 << 0.999 << 99;
        QTest::newRow("second retry doubles") << 2 << -1 << 0.0 << 100;
        QTest::newRow("third retry doubles again") << 3 << -1 << 1.0 << 400;
        QTest::newRow("fourth retry capped") << 4 << -1 << 1.0 << 800;
        QTest::newRow("attempts used up") << 5 << -1 << 0.5 << -1;
        QTest::newRow("retry-after zero") << 1 << 0 << 0.5 << 0;
        QTest::newRow("retry-after within cap") << 2 << 700 << 0.5 << 700;
        QTest::newRow("retry-after beyond cap gives up") << 1 << 5000 << 0.5 << -1;
    }
    void backoffDelays()
    {
        QFETCH(int, retry);
        QFETCH(int, retryAfterMs);
        QFETCH(double, random);
        QFETCH(int, expectedMs);
        TwilioRetryPolicy policy;
        policy.maxAttempts = 5;
        policy.baseDelay = milliseconds {100};
        policy.maxDelay = milliseconds {1000};
        const auto retryAfter = retryAfterMs < 0 ? std::nullopt : std::optional(milliseconds {retryAfterMs});
        const auto delay = policy.delayBeforeRetry(retry, retryAfter, random);
        if (expectedMs < 0)
            QCOMPARE(delay, std::nullopt);
        else
            QCOMPARE(delay, std::optional(milliseconds {expectedMs}));
    }

    void readsRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<qint64>("expectedMs"); // -1: ignored
        QTest::newRow("seconds") << QByteArray("3") << qint64(3000);
        QTest::newRow("zero") << QByteArray(" 0 ") << qint64(0);
        QTest::newRow("http date ahead") << QByteArray("Thu, 01 Jan 2026 00:00:07 GMT") << qint64(7000);
        QTest::newRow("http date past") << QByteArray("Wed, 31 Dec 2025 23:00:00 GMT") << qint64(0);
        QTest::newRow("negative") << QByteArray("-1") << qint64(-1);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    }
    void readsRetryAfter()
    {
        QFETCH(QByteArray, header);
        QFETCH(qint64, expectedMs);
        const auto parsed = parseRetryAfter(header, ManualClock().now());
        if (expectedMs < 0)
            QCOMPARE(parsed, std::nullopt);
        else
            QCOMPARE(parsed, std::optional(milliseconds {expectedMs}));
    }
};

QTEST_GUILESS_MAIN(TestTwilioRestClient)
#include "tst_twilio_rest_client.moc"
