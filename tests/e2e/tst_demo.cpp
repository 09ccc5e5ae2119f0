// heartline-demo against the real heartline-server and heartline-twilio-sim processes, for a few
// seconds of real time: agents sign in, calls reach them, the summary says so, and the demo stops
// by itself with a last line.

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString AccountSid = u"AC0000000000000000000000000000de00"_s;
const QString AuthToken = u"demo0auth0token0demo0auth0token0"_s;
constexpr int Agents = 6;

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class TestDemo final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcess m_server;
    QProcess m_sim;
    QString m_serverUrl;
    QString m_simUrl;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TWILIO_ACCOUNT_SID"_s, AccountSid);
        env.insert(u"TWILIO_AUTH_TOKEN"_s, AuthToken);
        env.insert(u"TWILIO_API_BASE_URL"_s, m_simUrl);
        env.insert(u"PUBLIC_BASE_URL"_s, m_serverUrl);
        env.insert(u"PASSWORD_ITERATIONS"_s, u"1000"_s);
        env.insert(u"HEARTLINE_DEMO_SUPERVISOR_PASSWORD"_s, u"sup-pw"_s);
        return env;
    }

    bool addUser(const QString &id, const QString &role, const QString &password)
    {
        QProcess cli;
        cli.setProcessEnvironment(environment());
        cli.start(QStringLiteral(HEARTLINE_SERVER_BINARY),
                  {u"--db"_s, m_dir.filePath(u"demo.db"_s), u"user"_s, u"add"_s, id, u"--role"_s, role});
        cli.write((password + u'\n').toUtf8());
        cli.closeWriteChannel();
        return cli.waitForFinished(10'000) && cli.exitCode() == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const quint16 serverPort = freePort();
        const quint16 simPort = freePort();
        m_serverUrl = u"http://127.0.0.1:%1"_s.arg(serverPort);
        m_simUrl = u"http://127.0.0.1:%1"_s.arg(simPort);
        for (int i = 1; i <= Agents; ++i) {
            const QString id = u"agent-%1"_s.arg(i, 4, 10, QChar(u'0'));
            QVERIFY2(addUser(id, u"agent"_s, id + u"-pw"_s), qPrintable(id));
        }
        QVERIFY(addUser(u"demo-supervisor"_s, u"supervisor"_s, u"sup-pw"_s));

        m_server.setProcessEnvironment(environment());
        m_server.setProcessChannelMode(QProcess::MergedChannels);
        m_server.start(QStringLiteral(HEARTLINE_SERVER_BINARY),
                       {u"--listen"_s, u"127.0.0.1:%1"_s.arg(serverPort), u"--db"_s, m_dir.filePath(u"demo.db"_s)});
        m_sim.setProcessEnvironment(environment());
        m_sim.setProcessChannelMode(QProcess::MergedChannels);
        m_sim.start(QStringLiteral(HEARTLINE_TWILIO_SIM_BINARY),
                    {u"--listen"_s, u"127.0.0.1:%1"_s.arg(simPort), u"--account-sid"_s, AccountSid, u"--auth-token"_s,
                     AuthToken, u"--voice-url"_s, m_serverUrl + u"/twilio/voice/inbound"_s, u"--status-callback"_s,
                     m_serverUrl + u"/twilio/voice/status"_s});
        QVERIFY(m_server.waitForStarted());
        QVERIFY(m_sim.waitForStarted());
    }

    void cleanupTestCase()
    {
        for (QProcess *process : {&m_sim, &m_server}) {
            process->terminate();
            if (!process->waitForFinished(10'000))
                process->kill();
        }
    }

    void callsReachAgentsAndTheSummarySaysSo()
    {
        QProcess demo;
        demo.setProcessEnvironment(environment());
        demo.start(QStringLiteral(HEARTLINE_DEMO_BINARY),
                   {u"--server"_s, m_serverUrl, u"--sim"_s, m_simUrl, u"--agents"_s, QString::number(Agents),
                    u"--calls-per-minute"_s, u"30"_s, u"--burst-every"_s, u"0"_s, u"--fault-every"_s, u"4"_s,
                    u"--summary-every"_s, u"3"_s, u"--duration"_s, u"14"_s});
        QVERIFY(demo.waitForFinished(30'000));
        const QString output = QString::fromUtf8(demo.readAllStandardOutput());
        QVERIFY2(demo.exitStatus() == QProcess::NormalExit && demo.exitCode() == 0,
                 qPrintable(output + QString::fromUtf8(demo.readAllStandardError())));

        // The summary: what the server sees of the agents, and the calls.
        QVERIFY2(output.contains(u"agents   %1 (server's view)"_s.arg(Agents)), qPrintable(output));
        QVERIFY2(output.contains(u"routing  "_s), qPrintable(output));
        // The last line: calls were placed and agents answered some of them.
        const QRegularExpressionMatch last
            = QRegularExpression(u"stopped after \\S+: calls placed (\\d+), bridged (\\d+)"_s).match(output);
        QVERIFY2(last.hasMatch(), qPrintable(output));
        QVERIFY(last.captured(1).toInt() >= 3);
        QVERIFY2(last.captured(2).toInt() >= 1, qPrintable(output));
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
