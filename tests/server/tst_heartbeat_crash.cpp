// Heartbeats are written behind from a thread of their own; a crash of the real heartline-server
// (kill -9) loses at most the heartbeat timestamps of the last second, and nothing acknowledged:
// the login, the session and its status changes are there, the database is intact, and the
// restarted server knows the agent's last written heartbeat.

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "HttpTestClient.h"
#include "ServerProcess.h"
#include "TableReader.h"

using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QJsonObject heartbeat(const QString &status)
{
    return QJsonObject {{u"agentId"_s, u"alice"_s}, {u"deviceConnected"_s, true}, {u"currentStatus"_s, status}};
}

} // namespace

class TestHeartbeatCrash final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aKilledServerLosesOnlyTheLastSecondOfHeartbeats()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"h.db"_s);
        const QStringList fast {u"--db"_s, db, u"--set"_s, u"PASSWORD_ITERATIONS=1000"_s};
        const ProcessResult added = runProcess(
            ServerProcess::binary(), fast + QStringList {u"user"_s, u"add"_s, u"alice"_s, u"--role"_s, u"agent"_s},
            "alice-password\n");
        QVERIFY2(added.exitCode == 0, qPrintable(added.standardError));

        ServerProcess server;
        QVERIFY2(server.start(fast), qPrintable(server.output()));
        HttpTestClient http(server.baseUrl());
        const HttpReply login
            = http.postJson(u"/api/auth/login"_s, {{u"userId"_s, u"alice"_s}, {u"password"_s, u"alice-password"_s}});
        QCOMPARE(login.status, 200);
        http.setBearerToken(login.json().value(u"token"_s).toString().toLatin1());

        // A status change is durable before it is acknowledged; the heartbeat's time is written behind.
        QCOMPARE(http.postJson(u"/api/agent-heartbeat"_s, heartbeat(u"away"_s)).status, 200);
        QCOMPARE(http.postJson(u"/api/agent-heartbeat"_s, heartbeat(u"available"_s)).status, 200);
        TableReader tables(db);
        const QString written = u"SELECT h.last_heartbeat FROM session_heartbeats h JOIN agent_sessions s "
                                "ON s.id = h.session_id WHERE s.agent_id = 'alice' AND s.logout_at IS NULL"_s;
        QTRY_VERIFY_WITH_TIMEOUT(tables.scalar(written).toLongLong() > 0, 5000);
        const qint64 writtenBefore = tables.scalar(written).toLongLong();

        // One more heartbeat, and the power goes.
        QCOMPARE(http.postJson(u"/api/agent-heartbeat"_s, heartbeat(u"available"_s)).status, 200);
        server.kill();

        QCOMPARE(tables.scalar(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
        QVERIFY(tables.scalar(written).toLongLong() >= writtenBefore); // at most the last one is lost
        QCOMPARE(tables.scalar(u"SELECT status FROM agent_sessions WHERE agent_id = 'alice' AND logout_at IS NULL"_s)
                     .toString(),
                 u"available"_s);
        QCOMPARE(tables
                     .scalar(u"SELECT group_concat(coalesce(from_status, '-') || '>' || to_status, ' ') FROM "
                             "(SELECT * FROM agent_status_changes WHERE agent_id = 'alice' ORDER BY id)"_s)
                     .toString(),
                 u"offline>away away>available"_s);
        QCOMPARE(
            tables.scalar(u"SELECT count(*) FROM auth_tokens WHERE user_id = 'alice' AND revoked_at IS NULL"_s).toInt(),
            1);

        // Restarted, the server still knows the session and its last written heartbeat.
        QVERIFY2(server.start(fast), qPrintable(server.output()));
        HttpTestClient after(server.baseUrl());
        after.setBearerToken(login.json().value(u"token"_s).toString().toLatin1());
        const HttpReply readiness = after.get(u"/api/agents/alice/readiness"_s);
        QCOMPARE(readiness.status, 200);
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHeartbeatCrash)
#include "tst_heartbeat_crash.moc"
