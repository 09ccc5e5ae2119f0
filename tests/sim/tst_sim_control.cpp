// The stand-in's /control/ endpoints over HTTP: placing calls, listing them, their event logs,
// hang-ups, registered clients, the status summary, and the requests it refuses.

#include <QJsonArray>
#include <QTest>

#include "HttpTestClient.h"
#include "SimFixture.h"
#include "WebSocketTestClient.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestSimControl final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
            qunsetenv(name);
    }

    void placesCallsAndShowsThem()
    {
        SimFixture f;
        QVERIFY(f.start());
        f.hooks.twiml.insert(u"/voice"_s, response("<Say>Hello</Say><Pause length=\"60\"/>"));
        HttpTestClient control(f.sim->baseUrl());

        const HttpReply placed = control.postJson(
            u"/control/calls"_s,
            QJsonObject {{u"from"_s, u"+15017122661"_s}, {u"to"_s, u"+15558675310"_s}, {u"count"_s, 3}});
        QCOMPARE(placed.status, 201);
        const QJsonArray sids = placed.json().value(u"callSids"_s).toArray();
        QCOMPARE(sids.size(), 3);
        QVERIFY(f.settle());
        QCOMPARE(f.hooks.count(u"/voice"_s), 3);

        const QString sid = sids.at(0).toString();
        const QJsonArray calls = control.get(u"/control/calls"_s).json().value(u"calls"_s).toArray();
        QCOMPARE(calls.size(), 3);
        QCOMPARE(calls.last().toObject().value(u"sid"_s).toString(), sid); // newest first
        QCOMPARE(calls.last().toObject().value(u"status"_s).toString(), u"in-progress"_s);
        QCOMPARE(calls.last().toObject().value(u"activity"_s).toString(), u"verb"_s);

        const QJsonObject one = control.get(u"/control/calls/"_s + sid).json();
        QCOMPARE(one.value(u"sid"_s).toString(), sid);
        QCOMPARE(one.value(u"from"_s).toString(), u"+15017122661"_s);
        QVERIFY(!one.value(u"events"_s).toArray().isEmpty());

        const QJsonArray events
            = control.get(u"/control/calls/%1/events"_s.arg(sid)).json().value(u"events"_s).toArray();
        QStringList details;
        for (const QJsonValue &event : events)
            details.append(event.toObject().value(u"detail"_s).toString());
        QVERIFY(details.contains(u"<Say>Hello</Say> started"_s));
        QCOMPARE(events.first().toObject().value(u"atMs"_s).toInteger(), f.clock.nowMs());
        QCOMPARE(events.first().toObject().value(u"at"_s).toString(), u"2026-01-01T00:00:00.000Z"_s);

        QCOMPARE(control.post(u"/control/calls/%1/hangup"_s.arg(sid), {}).json().value(u"status"_s).toString(),
                 u"completed"_s);
        QCOMPARE(control.get(u"/control/calls"_s).json().value(u"calls"_s).toArray().size(), 2);
        QCOMPARE(control.get(u"/control/calls?all=true"_s).json().value(u"calls"_s).toArray().size(), 3);

        const QJsonObject status = control.get(u"/control/status"_s).json();
        QCOMPARE(status.value(u"calls"_s).toInt(), 3);
        QCOMPARE(status.value(u"liveCalls"_s).toInt(), 2);
        QCOMPARE(status.value(u"webhooksInFlight"_s).toInt(), 0);
        QCOMPARE(status.value(u"nowMs"_s).toInteger(), f.clock.nowMs());
    }

    void listsRegisteredClients()
    {
        SimFixture f;
        QVERIFY(f.start());
        WebSocketTestClient bob;
        WebSocketTestClient alice;
        QVERIFY(bob.open(f.sim->baseUrl(), u"/voice"_s));
        QVERIFY(alice.open(f.sim->baseUrl(), u"/voice"_s));
        bob.sendJson(QJsonObject {{u"type"_s, u"register"_s}, {u"identity"_s, u"bob"_s}});
        alice.sendJson(QJsonObject {{u"type"_s, u"register"_s}, {u"identity"_s, u"alice"_s}});
        QVERIFY(!bob.nextOfType(u"registered"_s).isEmpty());
        QVERIFY(!alice.nextOfType(u"registered"_s).isEmpty());
        HttpTestClient control(f.sim->baseUrl());
        QCOMPARE(control.get(u"/control/clients"_s).json().value(u"identities"_s).toArray(),
                 (QJsonArray {u"alice"_s, u"bob"_s}));
        bob.close();
        QTRY_COMPARE(control.get(u"/control/clients"_s).json().value(u"identities"_s).toArray(),
                     (QJsonArray {u"alice"_s}));
    }

    void refusesBadRequests_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::newRow("not JSON") << QByteArray("POST") << u"/control/calls"_s << QByteArray("to=+1555") << 400
                                  << u"malformed_json"_s << QString();
        QTest::newRow("no to") << QByteArray("POST") << u"/control/calls"_s << QByteArray("{\"from\":\"+1\"}") << 400
                               << u"missing_field"_s << u"to"_s;
        QTest::newRow("count zero") << QByteArray("POST") << u"/control/calls"_s
                                    << QByteArray("{\"to\":\"+1555\",\"count\":0}") << 400 << u"invalid_value"_s
                                    << u"count"_s;
        QTest::newRow("count too large") << QByteArray("POST") << u"/control/calls"_s
                                         << QByteArray("{\"to\":\"+1555\",\"count\":1001}") << 400 << u"invalid_value"_s
                                         << u"count"_s;
        QTest::newRow("count fraction") << QByteArray("POST") << u"/control/calls"_s
                                        << QByteArray("{\"to\":\"+1555\",\"count\":1.5}") << 400 << u"invalid_value"_s
                                        << u"count"_s;
        QTest::newRow("count text") << QByteArray("POST") << u"/control/calls"_s
                                    << QByteArray("{\"to\":\"+1555\",\"count\":\"3\"}") << 400 << u"invalid_value"_s
                                    << u"count"_s;
        QTest::newRow("unknown call") << QByteArray("POST") << u"/control/calls/CA000/hangup"_s << QByteArray() << 404
                                      << u"not_found"_s << QString();
        QTest::newRow("unknown events") << QByteArray("GET") << u"/control/calls/CA000/events"_s << QByteArray() << 404
                                        << u"not_found"_s << QString();
        QTest::newRow("unknown endpoint")
            << QByteArray("GET") << u"/control/everything"_s << QByteArray() << 404 << u"not_found"_s << QString();
        QTest::newRow("wrong method") << QByteArray("DELETE") << u"/control/calls"_s << QByteArray() << 405
                                      << u"method_not_allowed"_s << QString();
        QTest::newRow("negative delay") << QByteArray("POST") << u"/control/rest-delay"_s << QByteArray("{\"ms\":-1}")
                                        << 400 << u"invalid_value"_s << u"ms"_s;
    }

    void refusesBadRequests()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, field);
        SimFixture f;
        QVERIFY(f.start());
        HttpTestClient control(f.sim->baseUrl());
        const HttpReply reply = control.send(verb, path, body, body.isEmpty() ? QByteArray() : "application/json");
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
        QVERIFY(f.engine().calls().isEmpty());
    }

    void otherPathsAnswerAsTwilioDoes()
    {
        SimFixture f;
        QVERIFY(f.start());
        HttpTestClient http(f.sim->baseUrl());
        const HttpReply reply = http.get(u"/favicon.ico"_s);
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json().value(u"code"_s).toInt(), 20404);
    }
};

QTEST_GUILESS_MAIN(TestSimControl)
#include "tst_sim_control.moc"
