// Readiness over HTTP: GET /api/agents/{id}/readiness (the external contract: agentId, ready,
// score, reasons, plus factors, failedGates, status, activity) and the batch validation
// POST /api/agents/readiness, with its limits, refusals and roles.

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "ConnectivityFixture.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QJsonObject factor(const QString &name, int points, int maxPoints, const QString &reason)
{
    return QJsonObject {{u"name"_s, name}, {u"points"_s, points}, {u"maxPoints"_s, maxPoints}, {u"reason"_s, reason}};
}

QJsonArray fullFactors()
{
    return QJsonArray {
        factor(u"heartbeat"_s, 30, 30, u"last heartbeat 0 s ago"_s), factor(u"device"_s, 35, 35, u"device connected"_s),
        factor(u"network"_s, 20, 20, u"not reported"_s), factor(u"reliability"_s, 15, 15, u"no recent offers"_s)};
}

QJsonObject batchOf(const QJsonArray &ids)
{
    return QJsonObject {{u"agentIds"_s, ids}};
}

} // namespace

class TestConnectivityReadiness final : public QObject
{
    Q_OBJECT

private:
    ConnectivityFixture f;

private Q_SLOTS:
    void init() { QVERIFY(f.start()); }
    void cleanup() { f.stop(); }

    void seedOnlyAgentIsReadyWithFullScore()
    {
        // The seed's heartbeat only: {agentId, deviceConnected: true, currentStatus: available}.
        QVERIFY(f.heartbeat(u"alice"_s, true));
        const HttpReply reply = f.get(u"sam"_s, u"/api/agents/alice/readiness"_s);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.contentType, QByteArray("application/json"));
        QCOMPARE(reply.json(),
                 (QJsonObject {{u"agentId"_s, u"alice"_s},
                               {u"ready"_s, true},
                               {u"score"_s, 100},
                               {u"reasons"_s, QJsonArray()},
                               {u"factors"_s, fullFactors()},
                               {u"failedGates"_s, QJsonArray()},
                               {u"status"_s, u"available"_s},
                               {u"activity"_s, u"idle"_s}}));
    }

    void notReadyAgentSaysWhy()
    {
        QVERIFY(f.heartbeat(u"bob"_s, true, devices(false, true, true), AgentStatus::Away, u"lunch"_s));
        f.clock().advanceSeconds(48); // heartbeat 48 s old: 30 x (75 - 48) / (75 - 36) = 20.7 -> 20 points
        const HttpReply reply = f.get(u"ada"_s, u"/api/agents/bob/readiness"_s);
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json();
        QCOMPARE(body.value(u"ready"_s).toBool(), false);
        QCOMPARE(body.value(u"score"_s).toInt(), 20 + 20 + 20 + 15);
        QCOMPARE(body.value(u"reasons"_s).toArray(),
                 (QJsonArray {u"status is away (lunch)"_s, u"last heartbeat 48 s ago (limit 75 s)"_s,
                              u"headset or microphone not found"_s}));
        QCOMPARE(body.value(u"failedGates"_s).toArray(),
                 (QJsonArray {QJsonObject {{u"gate"_s, u"status_not_available"_s},
                                           {u"reason"_s, u"status is away (lunch)"_s}}}));
        QCOMPARE(body.value(u"status"_s).toString(), u"away"_s);
        QCOMPARE(body.value(u"activity"_s).toString(), u"idle"_s);
    }

    void loggedOutAgentIsKnownButNotReady()
    {
        const HttpReply reply = f.get(u"sam"_s, u"/api/agents/erin/readiness"_s);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(u"ready"_s).toBool(), false);
        QCOMPARE(reply.json().value(u"failedGates"_s).toArray().first().toObject().value(u"gate"_s).toString(),
                 u"no_session"_s);
        QCOMPARE(reply.json().value(u"status"_s).toString(), u"offline"_s);
        QCOMPARE(reply.json().value(u"activity"_s).toString(), u"disconnected"_s);
    }

    void whoMayReadOneAgent_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("agentId");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("the agent itself") << u"alice"_s << u"alice"_s << 200 << QString();
        QTest::newRow("supervisor") << u"sam"_s << u"alice"_s << 200 << QString();
        QTest::newRow("admin") << u"ada"_s << u"alice"_s << 200 << QString();
        QTest::newRow("another agent") << u"bob"_s << u"alice"_s << 403 << u"forbidden"_s;
        QTest::newRow("agent asking about nobody") << u"bob"_s << u"nobody"_s << 403 << u"forbidden"_s;
        QTest::newRow("no token") << QString() << u"alice"_s << 401 << u"unauthenticated"_s;
        QTest::newRow("unknown agent") << u"sam"_s << u"nobody"_s << 404 << u"unknown_agent"_s;
        QTest::newRow("a supervisor is no agent") << u"sam"_s << u"sam"_s << 404 << u"unknown_agent"_s;
    }
    void whoMayReadOneAgent()
    {
        QFETCH(QString, who);
        QFETCH(QString, agentId);
        QFETCH(int, status);
        QFETCH(QString, code);
        QVERIFY(f.heartbeat(u"alice"_s, true));
        const HttpReply reply = f.get(who, u"/api/agents/%1/readiness"_s.arg(agentId));
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        if (status == 200) {
            QCOMPARE(reply.json().value(u"agentId"_s).toString(), agentId);
            QCOMPARE(reply.json().value(u"score"_s).toInt(), 100);
        }
    }

    void batchAnswersKnownAndUnknownIds()
    {
        QVERIFY(f.heartbeat(u"alice"_s, true));
        QVERIFY(f.heartbeat(u"bob"_s, false));
        const HttpReply reply
            = f.postJson(u"sam"_s, u"/api/agents/readiness"_s,
                         batchOf({u"bob"_s, u"ghost"_s, u"alice"_s, u"bob"_s, u"erin"_s, u"sam"_s, u"ghost"_s}));
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json();
        QCOMPARE(body.keys(), (QStringList {u"results"_s, u"unknown"_s}));
        QCOMPARE(body.value(u"unknown"_s).toArray(), (QJsonArray {u"ghost"_s, u"sam"_s}));

        const QJsonArray results = body.value(u"results"_s).toArray();
        QCOMPARE(results.size(), 3); // bob, alice, erin: each once, in the order asked
        QCOMPARE(results.at(1).toObject(),
                 (QJsonObject {{u"agentId"_s, u"alice"_s},
                               {u"ready"_s, true},
                               {u"score"_s, 100},
                               {u"reasons"_s, QJsonArray()},
                               {u"factors"_s, fullFactors()},
                               {u"failedGates"_s, QJsonArray()}}));
        const QJsonObject bob = results.at(0).toObject();
        QCOMPARE(bob.value(u"agentId"_s).toString(), u"bob"_s);
        QCOMPARE(bob.value(u"ready"_s).toBool(), false); // 65 < 70
        QCOMPARE(bob.value(u"score"_s).toInt(), 65);
        QCOMPARE(bob.value(u"reasons"_s).toArray(), QJsonArray {u"device not connected"_s});
        const QJsonObject erin = results.at(2).toObject();
        QCOMPARE(erin.value(u"agentId"_s).toString(), u"erin"_s);
        QCOMPARE(erin.value(u"ready"_s).toBool(), false);
        QCOMPARE(erin.value(u"failedGates"_s).toArray().first().toObject().value(u"gate"_s).toString(),
                 u"no_session"_s);
    }

    void batchReadinessIsComputedAtTheTimeOfTheRequest()
    {
        QVERIFY(f.heartbeat(u"alice"_s, true));
        f.clock().advanceSeconds(76); // no change reached the agent in between
        const HttpReply reply = f.postJson(u"sam"_s, u"/api/agents/readiness"_s, batchOf({u"alice"_s}));
        const QJsonObject alice = reply.json().value(u"results"_s).toArray().first().toObject();
        QCOMPARE(alice.value(u"ready"_s).toBool(), false);
        QCOMPARE(alice.value(u"score"_s).toInt(), 70);
        QCOMPARE(alice.value(u"failedGates"_s).toArray().first().toObject().value(u"gate"_s).toString(),
                 u"heartbeat_expired"_s);
    }

    void batchAcceptsAThousandIds()
    {
        QJsonArray ids;
        for (int i = 0; i < 999; ++i)
            ids.append(u"ghost-%1"_s.arg(i));
        ids.append(u"alice"_s);
        const HttpReply reply = f.postJson(u"sam"_s, u"/api/agents/readiness"_s, batchOf(ids));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(u"unknown"_s).toArray().size(), 999);
        QCOMPARE(reply.json().value(u"results"_s).toArray().size(), 1);
    }

    void batchRefusesBadBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        const QByteArray json = "application/json";
        QJsonArray tooMany;
        for (int i = 0; i <= 1000; ++i)
            tooMany.append(u"a%1"_s.arg(i));
        const QByteArray tooManyBody = QJsonDocument(batchOf(tooMany)).toJson(QJsonDocument::Compact);
        const QString ids = u"agentIds"_s;
        QTest::newRow("1001 ids") << tooManyBody << json << 400 << u"invalid_value"_s << ids;
        QTest::newRow("empty list") << QByteArray(R"({"agentIds":[]})") << json << 400 << u"invalid_value"_s << ids;
        QTest::newRow("number id") << QByteArray(R"({"agentIds":["alice",7]})") << json << 400 << u"wrong_type"_s
                                   << ids;
        QTest::newRow("null id") << QByteArray(R"({"agentIds":[null]})") << json << 400 << u"wrong_type"_s << ids;
        QTest::newRow("object id") << QByteArray(R"({"agentIds":[{"id":"alice"}]})") << json << 400 << u"wrong_type"_s
                                   << ids;
        QTest::newRow("empty id") << QByteArray(R"({"agentIds":["alice",""]})") << json << 400 << u"invalid_value"_s
                                  << ids;
        QTest::newRow("not a list") << QByteArray(R"({"agentIds":"alice"})") << json << 400 << u"wrong_type"_s << ids;
        QTest::newRow("missing") << QByteArray(R"({"agents":["alice"]})") << json << 400 << u"missing_field"_s << ids;
        QTest::newRow("not json") << QByteArray("agentIds=alice") << json << 400 << u"malformed_json"_s << QString();
        QTest::newRow("json array") << QByteArray(R"(["alice"])") << json << 400 << u"malformed_json"_s << QString();
        QTest::newRow("text/plain") << QByteArray(R"({"agentIds":["alice"]})") << QByteArray("text/plain") << 415
                                    << u"unsupported_media_type"_s << QString();
    }
    void batchRefusesBadBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const HttpReply reply = f.post(u"sam"_s, u"/api/agents/readiness"_s, body, contentType);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
    }

    void batchIsForSupervisorsAndAdmins_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("agent") << u"alice"_s << 403 << u"forbidden"_s;
        QTest::newRow("no token") << QString() << 401 << u"unauthenticated"_s;
        QTest::newRow("supervisor") << u"sam"_s << 200 << QString();
        QTest::newRow("admin") << u"ada"_s << 200 << QString();
    }
    void batchIsForSupervisorsAndAdmins()
    {
        QFETCH(QString, who);
        QFETCH(int, status);
        QFETCH(QString, code);
        const HttpReply reply = f.postJson(who, u"/api/agents/readiness"_s, batchOf({u"alice"_s}));
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
    }
};

QTEST_GUILESS_MAIN(TestConnectivityReadiness)
#include "tst_connectivity_readiness.moc"
