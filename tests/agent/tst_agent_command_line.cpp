// heartline-agent's command line: every option, and bad values refused with the option named;
// --help and --version print even where there is no display, and without one the app says so.

#include <QTemporaryDir>
#include <QTest>

#include "ServerProcess.h"
#include "TestCertificates.h"
#include "settings/AgentCommandLine.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestAgentCommandLine final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted()
    {
        const auto options = AgentCommandLine::parse(
            {u"heartline-agent"_s, u"--server"_s, u"https://heartline.example:8443"_s, u"--agent"_s, u"alice"_s,
             u"--config"_s, u"/tmp/agent.ini"_s, u"--voice-url"_s, u"ws://sim:8090/voice"_s, u"--minimized"_s});
        QVERIFY2(options.ok(), qPrintable(options.ok() ? QString() : options.error().message));
        QCOMPARE(options->server, std::optional<QUrl>(QUrl(u"https://heartline.example:8443"_s)));
        QCOMPARE(options->agent, std::optional<QString>(u"alice"_s));
        QCOMPARE(options->configFile, u"/tmp/agent.ini"_s);
        QCOMPARE(options->voiceUrl, std::optional<QUrl>(QUrl(u"ws://sim:8090/voice"_s)));
        QVERIFY(options->minimized);
    }

    void caFileIsTakenAndEmptyGoesBackToTheSystems()
    {
        QTemporaryDir dir;
        const TestCertificates made = TestCertificates::make(dir.path());
        QVERIFY2(made.error.isEmpty(), qPrintable(made.error));
        const auto given = AgentCommandLine::parse({u"heartline-agent"_s, u"--ca-file"_s, made.caFile});
        QVERIFY2(given.ok(), qPrintable(given.ok() ? QString() : given.error().message));
        QCOMPARE(given->caFile, std::optional<QString>(made.caFile));
        const auto cleared = AgentCommandLine::parse({u"heartline-agent"_s, u"--ca-file="_s});
        QVERIFY(cleared.ok());
        QCOMPARE(cleared->caFile, std::optional<QString>(QString()));
    }

    void nothingGivenKeepsTheSettings()
    {
        const auto options = AgentCommandLine::parse({u"heartline-agent"_s});
        QVERIFY(options.ok());
        QVERIFY(!options->server && !options->agent && !options->voiceUrl && !options->caFile);
        QVERIFY(options->configFile.isEmpty());
        QVERIFY(!options->minimized && !options->help && !options->version);
    }

    void refused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("server without scheme")
            << QStringList {u"--server"_s, u"heartline:8080"_s} << u"invalid_value"_s << u"server"_s
            << u"--server must be an address starting with http or https, got \"heartline:8080\"."_s;
        QTest::newRow("server with ws")
            << QStringList {u"--server"_s, u"ws://heartline:8080"_s} << u"invalid_value"_s << u"server"_s
            << u"--server must be an address starting with http or https, got \"ws://heartline:8080\"."_s;
        QTest::newRow("server without host")
            << QStringList {u"--server"_s, u"http://"_s} << u"invalid_value"_s << u"server"_s
            << u"--server must be an address starting with http or https, got "
               "\"http://\"."_s;
        QTest::newRow("voice with http")
            << QStringList {u"--voice-url"_s, u"http://sim:8090/voice"_s} << u"invalid_value"_s << u"voice-url"_s
            << u"--voice-url must be an address starting with ws or wss, got \"http://sim:8090/voice\"."_s;
        QTest::newRow("blank agent") << QStringList {u"--agent"_s, u"  "_s} << u"invalid_value"_s << u"agent"_s
                                     << u"--agent must be 1 to 128 characters."_s;
        QTest::newRow("long agent") << QStringList {u"--agent"_s, QString(129, u'a')} << u"invalid_value"_s
                                    << u"agent"_s << u"--agent must be 1 to 128 characters."_s;
        QTest::newRow("empty config") << QStringList {u"--config"_s, u""_s} << u"invalid_value"_s << u"config"_s
                                      << u"--config needs a file name."_s;
        QTest::newRow("unknown option") << QStringList {u"--sever"_s, u"x"_s} << u"invalid_option"_s << QString()
                                        << u"Unknown option 'sever'."_s;
        QTest::newRow("missing value") << QStringList {u"--server"_s} << u"invalid_option"_s << QString()
                                       << u"Missing value after '--server'."_s;
        QTest::newRow("stray argument") << QStringList {u"alice"_s} << u"invalid_option"_s << QString()
                                        << u"Unexpected argument \"alice\"."_s;
    }
    void refused()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, code);
        QFETCH(QString, field);
        QFETCH(QString, message);
        arguments.prepend(u"heartline-agent"_s);
        const auto options = AgentCommandLine::parse(arguments);
        QVERIFY(!options.ok());
        QCOMPARE(options.error().code, code);
        QCOMPARE(options.error().field, field);
        QCOMPARE(options.error().message, message);
    }

    void helpNamesEveryOption()
    {
        const QString help = AgentCommandLine::helpText();
        for (const QString &option :
             {u"--server"_s, u"--agent"_s, u"--ca-file"_s, u"--config"_s, u"--voice-url"_s, u"--quit"_s})
            QVERIFY2(help.contains(option), qPrintable(option));
    }

    void aCaFileThatCannotBeReadStopsTheAppWithTheFileNamed()
    {
        QTemporaryDir dir;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        const ProcessResult result = runProcess(
            QStringLiteral(HEARTLINE_AGENT_BINARY),
            {u"--config"_s, dir.filePath(u"agent.ini"_s), u"--ca-file"_s, u"/nonexistent/ca.pem"_s}, {}, environment);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.standardError.contains(u"heartline-agent: --ca-file: The CA file /nonexistent/ca.pem cannot be "
                                               "read: No such file or directory.\n"_s),
                 qPrintable(result.standardError));
        QVERIFY2(!result.standardError.contains(u"QObject::connect"_s), qPrintable(result.standardError));
    }

    void helpAndVersionPrintWithoutADisplay()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(u"QT_QPA_PLATFORM"_s);
        environment.remove(u"DISPLAY"_s);
        environment.remove(u"WAYLAND_DISPLAY"_s);
        const ProcessResult help = runProcess(QStringLiteral(HEARTLINE_AGENT_BINARY), {u"--help"_s}, {}, environment);
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.standardOutput.contains(u"--server"_s), qPrintable(help.standardOutput));
        QVERIFY2(help.standardOutput.startsWith(u"Usage: heartline-agent [options]"_s),
                 qPrintable(help.standardOutput));
        const ProcessResult version
            = runProcess(QStringLiteral(HEARTLINE_AGENT_BINARY), {u"--version"_s}, {}, environment);
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.standardOutput.startsWith(u"heartline-agent "_s));
        // Without a display the app says what to do instead of aborting.
        const ProcessResult run = runProcess(QStringLiteral(HEARTLINE_AGENT_BINARY), {}, {}, environment);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.standardError.contains(u"QT_QPA_PLATFORM=offscreen"_s), qPrintable(run.standardError));
    }
};

QTEST_APPLESS_MAIN(TestAgentCommandLine)
#include "tst_agent_command_line.moc"
