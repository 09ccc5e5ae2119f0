// The stand-in's SIP domain without a SIP client: Kamailio started on a free port from the
// repository's template, what it refuses to start with and why, its credentials file, its end.

#include <csignal>

#include <QDir>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include "SipDomainFixture.h"
#include "sip/KamailioConfig.h"
#include "sip/KamailioProcess.h"
#include "sip/SipOptionsPing.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestSipDomain final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsOnAFreePortAndAnswers()
    {
        KamailioProcess domain;
        QVERIFY2(startDomain(domain, domainOptions()), qPrintable(domain.errorString()));
        QCOMPARE(domain.state(), KamailioProcess::State::Running);
        QVERIFY(domain.port() != 0);
        QCOMPARE(domain.proxyUri(), u"sip:127.0.0.1:%1"_s.arg(domain.port()));

        // Its answers come from Kamailio, not from a leftover of the start-up check.
        SipOptionsPing ping;
        QSignalSpy answered(&ping, &SipOptionsPing::answered);
        ping.start(QHostAddress::LocalHost, domain.port());
        QVERIFY(answered.wait(SipWaitMs));
    }

    void twoDomainsRunSideBySide()
    {
        KamailioProcess first;
        KamailioProcess second;
        QVERIFY2(startDomain(first, domainOptions()), qPrintable(first.errorString()));
        QVERIFY2(startDomain(second, domainOptions(u"other.sip.twilio.com"_s)), qPrintable(second.errorString()));
        QVERIFY(first.port() != second.port());
        QVERIFY(first.pid() != second.pid());
    }

    void stopEndsTheProcessAndRemovesItsFolder()
    {
        KamailioProcess domain;
        QVERIFY2(startDomain(domain, domainOptions()), qPrintable(domain.errorString()));
        const qint64 pid = domain.pid();
        const QString folder = QFileInfo(domain.credentials().path()).absolutePath();
        QVERIFY(QFileInfo::exists(folder + u"/kamailio.cfg"_s));
        const quint16 port = domain.port();

        domain.stop();
        QCOMPARE(domain.state(), KamailioProcess::State::Stopped);
        QVERIFY(!QFileInfo::exists(folder));
        QVERIFY(!QFileInfo::exists(u"/proc/%1"_s.arg(pid)) || isZombieOrGone(pid));
        // Its port is free again: its children went with it.
        QUdpSocket udp;
        QVERIFY(udp.bind(QHostAddress::LocalHost, port));
    }

    void reportsItsDeath()
    {
        KamailioProcess domain;
        QVERIFY2(startDomain(domain, domainOptions()), qPrintable(domain.errorString()));
        QSignalSpy failed(&domain, &KamailioProcess::failed);
        QCOMPARE(::kill(pid_t(domain.pid()), SIGKILL), 0);
        QVERIFY(failed.wait(SipWaitMs));
        QVERIFY2(failed.first().first().toString().contains(u"kamailio was killed"_s),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(domain.state(), KamailioProcess::State::Failed);
    }

    void refusesAPortInUse()
    {
        // Held for both UDP and TCP, as Kamailio wants both.
        QTcpServer tcp;
        QVERIFY(tcp.listen(QHostAddress::LocalHost, 0));
        QUdpSocket udp;
        QVERIFY(udp.bind(QHostAddress::LocalHost, tcp.serverPort()));

        KamailioOptions options = domainOptions();
        options.port = tcp.serverPort();
        KamailioProcess domain;
        QVERIFY(!startDomain(domain, options));
        QCOMPARE(domain.state(), KamailioProcess::State::Failed);
        QVERIFY2(domain.errorString().contains(u"while starting"_s), qPrintable(domain.errorString()));
        QVERIFY2(domain.errorString().contains(u"Address already in use"_s), qPrintable(domain.errorString()));
    }

    void refusesOptions_data()
    {
        QTest::addColumn<QString>("domainName");
        QTest::addColumn<QString>("certificate");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("expected");

        QTest::newRow("no domain") << QString() << QString() << QString() << u"kamailio"_s << u"no SIP domain given"_s;
        QTest::newRow("not a host name") << u"example sip;twilio"_s << QString() << QString() << u"kamailio"_s
                                         << u"is not a host name"_s;
        QTest::newRow("quote in the name")
            << u"exa\"mple.com"_s << QString() << QString() << u"kamailio"_s << u"is not a host name"_s;
        QTest::newRow("certificate without key") << u"example.sip.twilio.com"_s << u"/etc/hostname"_s << QString()
                                                 << u"kamailio"_s << u"both a certificate and its private key"_s;
        QTest::newRow("unreadable key") << u"example.sip.twilio.com"_s << u"/etc/hostname"_s
                                        << u"/nonexistent/key.pem"_s << u"kamailio"_s
                                        << u"cannot read /nonexistent/key.pem"_s;
        QTest::newRow("no kamailio") << u"example.sip.twilio.com"_s << QString() << QString()
                                     << u"/nonexistent/kamailio"_s << u"/nonexistent/kamailio not found"_s;
    }

    void refusesOptions()
    {
        QFETCH(QString, domainName);
        QFETCH(QString, certificate);
        QFETCH(QString, key);
        QFETCH(QString, program);
        QFETCH(QString, expected);

        KamailioOptions options = domainOptions(domainName);
        options.tlsCertificateFile = certificate;
        options.tlsPrivateKeyFile = key;
        options.program = program;
        KamailioProcess domain;
        QSignalSpy failed(&domain, &KamailioProcess::failed);
        domain.start(options);
        QCOMPARE(failed.size(), 1); // at once, before anything runs
        QVERIFY2(failed.first().first().toString().contains(expected), qPrintable(failed.first().first().toString()));
        QCOMPARE(domain.state(), KamailioProcess::State::Failed);
        QCOMPARE(domain.pid(), 0);
    }

    void rendersEveryPlaceholder()
    {
        KamailioOptions options = domainOptions();
        const auto plain = KamailioConfig::render(options, 5070, 0, u"/tmp/creds.sqlite"_s);
        QVERIFY2(plain.ok(), plain.ok() ? "" : qPrintable(plain.error().message));
        QVERIFY(plain->contains("alias=\"example.sip.twilio.com\""));
        QVERIFY(plain->contains("listen=udp:127.0.0.1:5070\nlisten=tcp:127.0.0.1:5070\n"));
        QVERIFY(plain->contains("\"sqlite:///tmp/creds.sqlite\""));
        QVERIFY(!plain->contains("listen=tls"));

        QTemporaryDir folder;
        const QString certificate = folder.filePath(u"cert.pem"_s);
        const QString key = folder.filePath(u"key.pem"_s);
        for (const QString &path : {certificate, key}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        options.tlsCertificateFile = certificate;
        options.tlsPrivateKeyFile = key;
        const auto tls = KamailioConfig::render(options, 5070, 5071, u"/tmp/creds.sqlite"_s);
        QVERIFY(tls.ok());
        QVERIFY(tls->contains("listen=tls:127.0.0.1:5071"));
        QVERIFY(tls->contains(u"modparam(\"tls\", \"certificate\", \"%1\")"_s.arg(certificate).toUtf8()));
        QVERIFY(!QString::fromUtf8(*tls).contains(QRegularExpression(u"@[A-Z_]+@"_s)));

        const auto undecided = KamailioConfig::render(options, 5070, 0, u"/tmp/creds.sqlite"_s);
        QVERIFY(!undecided.ok());
    }

    void storesCredentialsAsKamailioReadsThem()
    {
        // RFC 2617's own example of an HA1.
        QCOMPARE(KamailioSubscribers::ha1(u"Mufasa"_s, u"testrealm@host.com"_s, u"Circle Of Life"_s),
                 u"939e7578ed9e3c518a452acee763bce9"_s);

        QTemporaryDir folder;
        KamailioSubscribers store;
        QString error;
        QVERIFY2(store.open(folder.filePath(u"credentials.sqlite"_s), u"example.sip.twilio.com"_s, &error),
                 qPrintable(error));
        QVERIFY(store.setPassword(u"alice"_s, u"first password"_s, &error));
        QVERIFY(store.setPassword(u"bob"_s, u"bob's password"_s, &error));
        QVERIFY(store.setPassword(u"alice"_s, u"second password"_s, &error)); // replaced, not added
        QCOMPARE(store.usernames(), (QStringList {u"alice"_s, u"bob"_s}));

        QVERIFY(!store.setPassword(u"carol smith"_s, u"password"_s, &error));
        QVERIFY2(error.contains(u"is not a SIP username"_s), qPrintable(error));
        QVERIFY(!store.setPassword(u"carol"_s, QString(), &error));
        QVERIFY2(error.contains(u"empty"_s), qPrintable(error));
        QVERIFY(store.remove(u"bob"_s, &error));
        QVERIFY(!store.remove(u"bob"_s, &error));
        QCOMPARE(store.usernames(), QStringList {u"alice"_s});

        // What Kamailio's auth_db reads: the HA1 of the current password, no password at all.
        QSqlDatabase reader = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"reader"_s);
        reader.setDatabaseName(store.path());
        QVERIFY(reader.open());
        {
            QSqlQuery query(reader);
            QVERIFY(query.exec(u"SELECT username, domain, password, ha1 FROM subscriber"_s));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toString(), u"alice"_s);
            QCOMPARE(query.value(1).toString(), u"example.sip.twilio.com"_s);
            QCOMPARE(query.value(2).toString(), QString());
            QCOMPARE(query.value(3).toString(),
                     KamailioSubscribers::ha1(u"alice"_s, u"example.sip.twilio.com"_s, u"second password"_s));
            QVERIFY(!query.next());
            QVERIFY(query.exec(u"SELECT table_version FROM version WHERE table_name = 'subscriber'"_s));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toInt(), 7);
            QVERIFY(query.exec(u"PRAGMA journal_mode"_s));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toString(), u"wal"_s);
        }
        reader.close();
        reader = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"reader"_s);
    }

private:
    static bool isZombieOrGone(qint64 pid)
    {
        QFile status(u"/proc/%1/status"_s.arg(pid));
        if (!status.open(QIODevice::ReadOnly))
            return true;
        return status.readAll().contains("State:\tZ");
    }
};

QTEST_GUILESS_MAIN(TestSipDomain)
#include "tst_sip_domain.moc"
