// The heartline-server executable as an admin starts it: options, database creation, /healthz,
// the open file limit, and a clear refusal of bad configuration, the routing file included.

#include <QFileInfo>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

#include "HttpTestClient.h"
#include "ServerProcess.h"

using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestServerStartup final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsCreatesDatabaseAndServesHealth()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString dbPath = dir.filePath(u"nested/heartline.db"_s);
        QVERIFY(!QFileInfo::exists(dbPath));

        ServerProcess server;
        QVERIFY2(server.start({u"--db"_s, dbPath}), qPrintable(server.output()));
        QVERIFY(QFileInfo::exists(dbPath));

        HttpTestClient http(server.baseUrl());
        const HttpReply health = http.get(u"/healthz"_s);
        QCOMPARE(health.status, 200);
        QCOMPARE(health.contentType, QByteArray("application/json"));
        QCOMPARE(health.json().value(u"status"_s).toString(), u"ok"_s);
        QCOMPARE(health.json().value(u"database"_s).toString(), u"ok"_s);
    }

    void stopsCleanlyOnSigterm()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY2(server.start({u"--db"_s, dir.filePath(u"h.db"_s)}), qPrintable(server.output()));
        QCOMPARE(server.stop(), 0);
        QVERIFY2(server.output().contains(u"shutting down"_s), qPrintable(server.output()));
    }

    void raisesItsOpenFileLimitToTheHardLimit()
    {
        // Started from a shell the soft limit is 1,024, far below a floor of agent apps each holding
        // a WebSocket; the server takes what the hard limit allows, and says so.
        rlimit own {};
        QCOMPARE(::getrlimit(RLIMIT_NOFILE, &own), 0);
        if (own.rlim_max <= 256)
            QSKIP("the hard open file limit here leaves no room below it");
        const rlimit lowered {256, own.rlim_max};
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &lowered), 0); // the server inherits it
        QTemporaryDir dir;
        ServerProcess server;
        const bool started = server.start({u"--db"_s, dir.filePath(u"h.db"_s)});
        ::setrlimit(RLIMIT_NOFILE, &own);
        QVERIFY2(started, qPrintable(server.output()));
        const QString hard = QLocale(QLocale::English).toString(quint64(own.rlim_max));
        QVERIFY2(server.output().contains(u"open file limit raised from 256 to "_s + hard),
                 qPrintable(server.output()));
        QFile limits(u"/proc/%1/limits"_s.arg(server.pid()));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        QByteArray line; // read whole: a /proc file has no size, so it is at its end before any read
        for (const QByteArray &each : limits.readAll().split('\n')) {
            if (each.startsWith("Max open files"))
                line = each;
        }
        const QList<QByteArray> fields = line.mid(qsizetype(sizeof "Max open files")).simplified().split(' ');
        QCOMPARE(fields.value(0), QByteArray::number(quint64(own.rlim_max))); // soft
        QCOMPARE(fields.value(1), QByteArray::number(quint64(own.rlim_max))); // hard
        server.stop();

        // Already at the hard limit (systemd's LimitNOFILE sets both): nothing to say.
        const rlimit atHard {own.rlim_max, own.rlim_max};
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &atHard), 0);
        ServerProcess again;
        const bool startedAgain = again.start({u"--db"_s, dir.filePath(u"h.db"_s)});
        ::setrlimit(RLIMIT_NOFILE, &own);
        QVERIFY2(startedAgain, qPrintable(again.output()));
        QVERIFY2(!again.output().contains(u"open file limit"_s), qPrintable(again.output()));
    }

    void readsTheConfigFile()
    {
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(u"from-ini.db"_s);
        const QString iniPath = dir.filePath(u"heartline.ini"_s);
        QFile ini(iniPath);
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[server]\ndatabase=" + dbPath.toUtf8() + "\n");
        ini.close();

        ServerProcess server;
        QVERIFY2(server.start({u"--config"_s, iniPath}), qPrintable(server.output()));
        QVERIFY(QFileInfo::exists(dbPath));
    }

    void refusesInvalidConfiguration_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expectedInMessage");
        QTest::newRow("interval not a number")
            << QStringList {u"--set"_s, u"AGENT_HEARTBEAT_INTERVAL=abc"_s} << u"AGENT_HEARTBEAT_INTERVAL"_s;
        QTest::newRow("interval zero") << QStringList {u"--set"_s, u"AGENT_HEARTBEAT_INTERVAL=0"_s}
                                       << u"AGENT_HEARTBEAT_INTERVAL"_s;
        QTest::newRow("flag maybe") << QStringList {u"--set"_s, u"FEATURE_ENHANCED_DISCOVERY=maybe"_s}
                                    << u"FEATURE_ENHANCED_DISCOVERY"_s;
        QTest::newRow("password iterations too low")
            << QStringList {u"--set"_s, u"PASSWORD_ITERATIONS=999"_s} << u"PASSWORD_ITERATIONS"_s;
        QTest::newRow("session lifetime zero")
            << QStringList {u"--set"_s, u"SESSION_TOKEN_TTL=0"_s} << u"SESSION_TOKEN_TTL"_s;
        QTest::newRow("unknown routing strategy")
            << QStringList {u"--set"_s, u"ROUTING_STRATEGY=bogus"_s} << u"ROUTING_STRATEGY=bogus"_s;
        QTest::newRow("bad listen address") << QStringList {u"--listen"_s, u"nowhere"_s} << u"LISTEN_ADDRESS"_s;
        QTest::newRow("plain HTTP to other machines, not asked for")
            << QStringList {u"--listen"_s, u"0.0.0.0:0"_s} << u"set ALLOW_PLAIN_HTTP=true"_s;
        QTest::newRow("certificate without its key")
            << QStringList {u"--tls-certificate"_s, u"/etc/heartline/tls.pem"_s}
            << u"TLS_CERTIFICATE_FILE is set but TLS_PRIVATE_KEY_FILE is not"_s;
        QTest::newRow("missing config file")
            << QStringList {u"--config"_s, u"/nonexistent/heartline.ini"_s} << u"/nonexistent/heartline.ini"_s;
        QTest::newRow("SIP domain without Twilio credentials")
            << QStringList {u"--set"_s, u"SIP_DOMAIN=acme.sip.twilio.com"_s}
            << u"TWILIO_ACCOUNT_SID is required with SIP_DOMAIN=acme.sip.twilio.com"_s;
        QTest::newRow("SIP secure media over UDP")
            << QStringList {u"--set"_s, u"SIP_DOMAIN=acme.sip.twilio.com"_s,
                            u"--set"_s, u"SIP_TRANSPORT=udp"_s,
                            u"--set"_s, u"TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000"_s,
                            u"--set"_s, u"TWILIO_AUTH_TOKEN=t"_s}
            << u"SIP_SECURE_MEDIA=true (from default) needs SIP_TRANSPORT=tls, not udp"_s;
    }
    void refusesInvalidConfiguration()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expectedInMessage);
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(u"never.db"_s);
        const ProcessResult result = runProcess(ServerProcess::binary(), arguments + QStringList {u"--db"_s, dbPath});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.standardError.contains(expectedInMessage), qPrintable(result.standardError));
        QVERIFY2(!QFileInfo::exists(dbPath), "a refused start must not create the database");
    }

    void refusesABadRoutingFile_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expectedInMessage");
        QTest::newRow("duplicate key") << QByteArray(R"({"queues":[{"name":"general","maxSize":5,"maxSize":5000}]})")
                                       << u"queues[0].maxSize is given twice"_s;
        QTest::newRow("unknown strategy")
            << QByteArray(R"({"queues":[{"name":"general","strategy":"bogus"}]})") << u"queues[0].strategy"_s;
        QTest::newRow("not JSON") << QByteArray(R"({"queues":[)") << u"not valid JSON"_s;
    }
    void refusesABadRoutingFile()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expectedInMessage);
        QTemporaryDir dir;
        const QString routingPath = dir.filePath(u"routing.json"_s);
        QFile file(routingPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json);
        file.close();
        const QString dbPath = dir.filePath(u"never.db"_s);
        const ProcessResult result
            = runProcess(ServerProcess::binary(), {u"--set"_s, u"ROUTING_FILE="_s + routingPath, u"--db"_s, dbPath});
        // Like any other bad configuration: exit 2, the file and what is wrong in it named.
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.standardError.contains(u"ROUTING_FILE "_s + routingPath), qPrintable(result.standardError));
        QVERIFY2(result.standardError.contains(expectedInMessage), qPrintable(result.standardError));
        QVERIFY2(!QFileInfo::exists(dbPath), "a refused start must not create the database");
    }

    void helpConfigPrintsEveryKey()
    {
        const ProcessResult result = runProcess(ServerProcess::binary(), {u"--help-config"_s});
        QCOMPARE(result.exitCode, 0);
        for (const auto &key :
             {u"FEATURE_AGENT_HEARTBEAT"_s, u"FEATURE_DEVICE_CONNECTIVITY"_s, u"FEATURE_ENHANCED_DISCOVERY"_s,
              u"AGENT_HEARTBEAT_INTERVAL"_s, u"INBOUND_CALL_DEBUG"_s, u"FEATURE_DISCOVERY_FALLBACK"_s,
              u"HEARTBEAT_THRESHOLD"_s, u"READINESS_THRESHOLD"_s, u"PUBLIC_BASE_URL"_s, u"TWILIO_ACCOUNT_SID"_s,
              u"TWILIO_AUTH_TOKEN"_s, u"TWILIO_API_BASE_URL"_s, u"PASSWORD_ITERATIONS"_s, u"SESSION_TOKEN_TTL"_s}) {
            QVERIFY2(result.standardOutput.contains(key), qPrintable(key));
        }
    }

    void helpConfigListsTheRoutingStrategies()
    {
        const ProcessResult result = runProcess(ServerProcess::binary(), {u"--help-config"_s});
        QCOMPARE(result.exitCode, 0);
        const qsizetype start = result.standardOutput.indexOf(u"\nROUTING_STRATEGY\n"_s);
        QVERIFY2(start >= 0, qPrintable(result.standardOutput));
        const QString entry = result.standardOutput.mid(start, result.standardOutput.indexOf(u"\n\n"_s, start) - start);
        QVERIFY2(entry.contains(u"accepts: one of longest-idle, round-robin, fewest-calls, least-talk-time, top-down, "
                                "random, best-readiness"_s),
                 qPrintable(entry));
    }

    void refusesAPortInUse()
    {
        QTemporaryDir dir;
        ServerProcess first;
        QVERIFY2(first.start({u"--db"_s, dir.filePath(u"a.db"_s)}), qPrintable(first.output()));
        const QString taken = u"127.0.0.1:%1"_s.arg(first.baseUrl().port());
        const ProcessResult second
            = runProcess(ServerProcess::binary(), {u"--listen"_s, taken, u"--db"_s, dir.filePath(u"b.db"_s)});
        QCOMPARE(second.exitCode, 1);
        // The cause in words, not only the address: scripts show this line to whoever started them.
        QVERIFY2(second.standardError.contains(taken + u": the port is already in use"_s),
                 qPrintable(second.standardError));
    }
};

QTEST_GUILESS_MAIN(TestServerStartup)
#include "tst_server_startup.moc"
