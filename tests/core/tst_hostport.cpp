#include <QTcpServer>
#include <QTest>

#include "core/HostPort.h"

using namespace heartline;
using namespace Qt::StringLiterals;

class TestHostPort final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("address");
        QTest::addColumn<int>("port");
        QTest::newRow("ipv4") << u"127.0.0.1:8080"_s << u"127.0.0.1"_s << 8080;
        QTest::newRow("any") << u"0.0.0.0:443"_s << u"0.0.0.0"_s << 443;
        QTest::newRow("free port") << u"127.0.0.1:0"_s << u"127.0.0.1"_s << 0;
        QTest::newRow("ipv6") << u"[::1]:9000"_s << u"::1"_s << 9000;
        QTest::newRow("localhost") << u"localhost:80"_s << u"127.0.0.1"_s << 80;
        QTest::newRow("highest port") << u"127.0.0.1:65535"_s << u"127.0.0.1"_s << 65535;
    }
    void accepted()
    {
        QFETCH(QString, text);
        QFETCH(QString, address);
        QFETCH(int, port);
        const auto parsed = parseHostPort(text);
        QVERIFY(parsed);
        QCOMPARE(parsed->address.toString(), address);
        QCOMPARE(int(parsed->port), port);
    }

    void rejected_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("no port") << u"127.0.0.1"_s;
        QTest::newRow("no host") << u":8080"_s;
        QTest::newRow("port too big") << u"127.0.0.1:65536"_s;
        QTest::newRow("negative port") << u"127.0.0.1:-1"_s;
        QTest::newRow("port with sign") << u"127.0.0.1:+80"_s;
        QTest::newRow("port not a number") << u"127.0.0.1:http"_s;
        QTest::newRow("host name") << u"example.com:80"_s;
        QTest::newRow("bad address") << u"300.1.1.1:80"_s;
    }
    void rejected()
    {
        QFETCH(QString, text);
        QVERIFY(!parseHostPort(text));
    }

    void listensOnAFreePort()
    {
        QTcpServer server;
        QString error;
        QVERIFY2(listenOn(server, QHostAddress::LocalHost, 0, &error), qPrintable(error));
        QVERIFY(server.serverPort() != 0);
        QVERIFY(error.isEmpty());
    }

    void saysThatAPortIsTaken()
    {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        QTcpServer second;
        QString error;
        QVERIFY(!listenOn(second, QHostAddress::LocalHost, occupant.serverPort(), &error));
        QCOMPARE(error,
                 u"cannot listen on 127.0.0.1:%1: the port is already in use (another program listens there)"_s.arg(
                     occupant.serverPort()));
    }

    void givesQtsReasonForOtherFailures()
    {
        // An address this machine does not have (TEST-NET-1): not "in use", Qt's words instead.
        QTcpServer server;
        QString error;
        QVERIFY(!listenOn(server, QHostAddress(u"192.0.2.1"_s), 0, &error));
        QVERIFY2(error.startsWith(u"cannot listen on 192.0.2.1:0: "_s), qPrintable(error));
        QVERIFY2(!error.contains(u"in use"_s), qPrintable(error));
    }
};

QTEST_APPLESS_MAIN(TestHostPort)
#include "tst_hostport.moc"
