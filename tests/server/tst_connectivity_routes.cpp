// GET /api/connectivity/issues and GET /api/connectivity/stats over real HTTP: filters, order,
// limits, the exact item shape, refusals of bad parameters (which change nothing), roles, and
// statistics for a known population.

#include <QJsonArray>
#include <QTest>

#include "ConnectivityFixture.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QList<qint64> idsOf(const QJsonObject &body)
{
    QList<qint64> ids;
    for (const QJsonValue &issue : body.value(u"issues"_s).toArray())
        ids.append(issue.toObject().value(u"id"_s).toInteger());
    return ids;
}

} // namespace

class TestConnectivityRoutes final : public QObject
{
    Q_OBJECT

private:
    ConnectivityFixture f;
    QByteArray m_supervisorToken;

    /// t+0 alice headset (1), t+10 bob voice (2), t+20 alice headset closed, t+30 carol device (3),
    /// t+40 alice high RTT (4).
    void buildHistory()
    {
        QVERIFY(f.heartbeat(u"alice"_s, true, devices(false, true, true, 40)));
        f.clock().advanceSeconds(10);
        QVERIFY(f.heartbeat(u"bob"_s, true, devices(true, true, false, 40)));
        f.clock().advanceSeconds(10);
        QVERIFY(f.reportDevices(u"alice"_s, healthyDevices()));
        f.clock().advanceSeconds(10);
        QVERIFY(f.heartbeat(u"carol"_s, false));
        f.clock().advanceSeconds(10);
        QVERIFY(f.reportDevices(u"alice"_s, devices(true, true, true, 700)));
        QCOMPARE(f.issueTable().size(), 4);
    }

    HttpReply getAs(const QString &path)
    {
        HttpTestClient client(f.fixture().baseUrl());
        client.setBearerToken(m_supervisorToken);
        return client.get(path);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(f.start());
        m_supervisorToken = f.token(u"sam"_s);
        buildHistory();
    }
    void cleanup() { f.stop(); }

    void issuesAreListedNewestFirstWithTheirShape()
    {
        const HttpReply reply = getAs(u"/api/connectivity/issues"_s);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.contentType, QByteArray("application/json"));
        const QJsonArray issues = reply.json().value(u"issues"_s).toArray();
        QCOMPARE(issues.size(), 4);
        QCOMPARE(issues.at(0).toObject(),
                 (QJsonObject {{u"id"_s, 4},
                               {u"agentId"_s, u"alice"_s},
                               {u"kind"_s, u"high_rtt"_s},
                               {u"openedAt"_s, u"2026-01-01T00:00:40.000Z"_s},
                               {u"closedAt"_s, QJsonValue()},
                               {u"detail"_s, u"round trip 700 ms measured by the agent app (bad from 600 ms)"_s}}));
        QCOMPARE(issues.at(3).toObject(),
                 (QJsonObject {{u"id"_s, 1},
                               {u"agentId"_s, u"alice"_s},
                               {u"kind"_s, u"headset_unplugged"_s},
                               {u"openedAt"_s, u"2026-01-01T00:00:00.000Z"_s},
                               {u"closedAt"_s, u"2026-01-01T00:00:20.000Z"_s},
                               {u"detail"_s, u"headset or microphone not found"_s}}));
    }

    void issuesAreFiltered_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QList<qint64>>("ids");
        QTest::newRow("everything") << QString() << QList<qint64> {4, 3, 2, 1};
        QTest::newRow("open") << u"open=true"_s << QList<qint64> {4, 3, 2};
        QTest::newRow("closed") << u"open=false"_s << QList<qint64> {1};
        QTest::newRow("one agent") << u"agentId=alice"_s << QList<qint64> {4, 1};
        QTest::newRow("one agent, open") << u"agentId=alice&open=true"_s << QList<qint64> {4};
        QTest::newRow("one agent, closed") << u"open=false&agentId=alice"_s << QList<qint64> {1};
        QTest::newRow("agent without issues") << u"agentId=dave"_s << QList<qint64> {};
        QTest::newRow("agent nobody knows") << u"agentId=nobody"_s << QList<qint64> {};
        QTest::newRow("limit 2") << u"limit=2"_s << QList<qint64> {4, 3};
        QTest::newRow("limit 1, open") << u"limit=1&open=true"_s << QList<qint64> {4};
        QTest::newRow("largest limit") << u"limit=1000"_s << QList<qint64> {4, 3, 2, 1};
        QTest::newRow("percent-encoded id") << u"agentId=%61lice"_s << QList<qint64> {4, 1};
    }
    void issuesAreFiltered()
    {
        QFETCH(QString, query);
        QFETCH(QList<qint64>, ids);
        const HttpReply reply = getAs(u"/api/connectivity/issues"_s + (query.isEmpty() ? QString() : u'?' + query));
        QCOMPARE(reply.status, 200);
        QCOMPARE(idsOf(reply.json()), ids);
    }

    void badParametersAreRefused_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("field");
        const QString longId(129, u'a');
        QTest::newRow("open=yes") << u"open=yes"_s << u"open"_s;
        QTest::newRow("open=TRUE") << u"open=TRUE"_s << u"open"_s;
        QTest::newRow("open empty") << u"open="_s << u"open"_s;
        QTest::newRow("open=1") << u"open=1"_s << u"open"_s;
        QTest::newRow("limit=0") << u"limit=0"_s << u"limit"_s;
        QTest::newRow("limit=1001") << u"limit=1001"_s << u"limit"_s;
        QTest::newRow("limit=-5") << u"limit=-5"_s << u"limit"_s;
        QTest::newRow("limit=+5") << u"limit=%2B5"_s << u"limit"_s;
        QTest::newRow("limit=abc") << u"limit=abc"_s << u"limit"_s;
        QTest::newRow("limit=1e2") << u"limit=1e2"_s << u"limit"_s;
        QTest::newRow("limit=2.5") << u"limit=2.5"_s << u"limit"_s;
        QTest::newRow("limit empty") << u"limit="_s << u"limit"_s;
        QTest::newRow("agentId empty") << u"agentId="_s << u"agentId"_s;
        QTest::newRow("agentId too long") << u"agentId="_s + longId << u"agentId"_s;
        QTest::newRow("unknown parameter") << u"status=open"_s << u"status"_s;
        QTest::newRow("misspelt parameter") << u"opne=true"_s << u"opne"_s;
        QTest::newRow("open twice") << u"open=true&open=false"_s << u"open"_s;
        QTest::newRow("good then bad") << u"agentId=alice&limit=0"_s << u"limit"_s;
    }
    void badParametersAreRefused()
    {
        QFETCH(QString, query);
        QFETCH(QString, field);
        const QStringList before = f.issueTable();
        const HttpReply reply = getAs(u"/api/connectivity/issues?"_s + query);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorCode(), u"invalid_value"_s);
        QCOMPARE(reply.json().value(u"error"_s).toObject().value(u"field"_s).toString(), field);
        QVERIFY(!reply.json().contains(u"issues"_s));
        QCOMPARE(f.issueTable(), before);
    }

    void onlySupervisorsAndAdminsMayRead_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("who");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        for (const QString &path : {u"/api/connectivity/issues"_s, u"/api/connectivity/stats"_s}) {
            QTest::addRow("%s, no token", qPrintable(path)) << path << QString() << 401 << u"unauthenticated"_s;
            QTest::addRow("%s, agent", qPrintable(path)) << path << u"alice"_s << 403 << u"forbidden"_s;
            QTest::addRow("%s, supervisor", qPrintable(path)) << path << u"sam"_s << 200 << QString();
            QTest::addRow("%s, admin", qPrintable(path)) << path << u"ada"_s << 200 << QString();
        }
    }
    void onlySupervisorsAndAdminsMayRead()
    {
        QFETCH(QString, path);
        QFETCH(QString, who);
        QFETCH(int, status);
        QFETCH(QString, code);
        const HttpReply reply = f.get(who, path);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
    }

    void otherMethodsAreNotAllowed()
    {
        const HttpReply reply = f.post(u"sam"_s, u"/api/connectivity/issues"_s, "{}");
        QCOMPARE(reply.status, 405);
        QCOMPARE(reply.header("Allow"), QByteArray("GET"));
    }

    void statisticsDescribeThePopulation()
    {
        // At t+40: alice (device connected, high RTT open), bob (voice open), carol (device not
        // connected); the others never logged in. One issue closed after 20 s.
        HttpReply reply = getAs(u"/api/connectivity/stats"_s);
        QCOMPARE(reply.status, 200);
        const QJsonObject expected {
            {u"agents"_s,
             QJsonObject {{u"loggedIn"_s, 3},
                          {u"deviceConnected"_s, 2},
                          {u"deviceConnectedRate"_s, 2.0 / 3.0},
                          {u"withOpenIssues"_s, 3}}},
            {u"openIssues"_s,
             QJsonObject {{u"headset_unplugged"_s, 0},
                          {u"device_disconnected"_s, 1},
                          {u"voice_unregistered"_s, 1},
                          {u"stale_heartbeat"_s, 0},
                          {u"high_rtt"_s, 1},
                          {u"disconnected"_s, 0}}},
            {u"lastHour"_s, QJsonObject {{u"opened"_s, 4}}},
            {u"lastDay"_s, QJsonObject {{u"opened"_s, 4}, {u"closed"_s, 1}, {u"meanTimeToCloseSeconds"_s, 20}}},
            {u"generatedAt"_s, u"2026-01-01T00:00:40.000Z"_s},
        };
        QCOMPARE(reply.json(), expected);

        // An hour and a second later the hour is empty, the day is not; closing bob's issue after
        // 3631 s moves the mean to (20 + 3631) / 2.
        f.clock().advanceSeconds(3601);
        QVERIFY(f.heartbeat(u"bob"_s, true, healthyDevices()));
        reply = getAs(u"/api/connectivity/stats"_s);
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json();
        QCOMPARE(body.value(u"lastHour"_s).toObject(), (QJsonObject {{u"opened"_s, 0}}));
        QCOMPARE(body.value(u"lastDay"_s).toObject(),
                 (QJsonObject {{u"opened"_s, 4}, {u"closed"_s, 2}, {u"meanTimeToCloseSeconds"_s, 1825.5}}));
        QCOMPARE(body.value(u"openIssues"_s).toObject().value(u"voice_unregistered"_s).toInt(), 0);
        QCOMPARE(body.value(u"agents"_s).toObject().value(u"withOpenIssues"_s).toInt(), 2);

        // A day later nothing counts (the supervisor's session token has expired by then).
        f.clock().advanceSeconds(24 * 3600);
        m_supervisorToken = f.token(u"sam"_s);
        reply = getAs(u"/api/connectivity/stats"_s);
        QCOMPARE(reply.json().value(u"lastDay"_s).toObject(),
                 (QJsonObject {{u"opened"_s, 0}, {u"closed"_s, 0}, {u"meanTimeToCloseSeconds"_s, QJsonValue()}}));
    }

    void deviceConnectedRateIsNullWithNobodyLoggedIn()
    {
        for (const QString &agent : {u"alice"_s, u"bob"_s, u"carol"_s})
            QVERIFY(!f.agents().closeSession(agent, StatusChangeSource::Agent, u"logout"_s));
        const QJsonObject agents = getAs(u"/api/connectivity/stats"_s).json().value(u"agents"_s).toObject();
        QCOMPARE(agents,
                 (QJsonObject {{u"loggedIn"_s, 0},
                               {u"deviceConnected"_s, 0},
                               {u"deviceConnectedRate"_s, QJsonValue()},
                               {u"withOpenIssues"_s, 0}}));
    }
};

QTEST_GUILESS_MAIN(TestConnectivityRoutes)
#include "tst_connectivity_routes.moc"
