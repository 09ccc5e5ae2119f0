// heartline-supervisor's command line as someone at a terminal meets it: --help and --version print
// and exit 0 anywhere (no display needed), a mistake says what was wrong and exits 2, and without a
// display the dashboard says what to do and exits 1 instead of aborting.

#include <QProcessEnvironment>
#include <QTest>

#include "ServerProcess.h"

using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestSupervisorCommandLine final : public QObject
{
    Q_OBJECT

private:
    static QProcessEnvironment withoutDisplay()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(u"QT_QPA_PLATFORM"_s);
        environment.remove(u"DISPLAY"_s);
        environment.remove(u"WAYLAND_DISPLAY"_s);
        return environment;
    }

    static ProcessResult run(const QStringList &arguments)
    {
        return runProcess(QStringLiteral(HEARTLINE_SUPERVISOR_BINARY), arguments, {}, withoutDisplay());
    }

private Q_SLOTS:
    void helpNamesEveryOptionWithoutADisplay()
    {
        const ProcessResult help = run({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.standardOutput.startsWith(u"Usage: heartline-supervisor [options]"_s),
                 qPrintable(help.standardOutput));
        for (const QString &option : {u"--server <url>"_s, u"--user <id>"_s, u"--ca-file <file>"_s, u"--version"_s})
            QVERIFY2(help.standardOutput.contains(option), qPrintable(option));
    }

    void versionPrints()
    {
        const ProcessResult version = run({u"--version"_s});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.standardOutput.trimmed(), u"heartline-supervisor %1"_s.arg(QStringLiteral(HEARTLINE_VERSION)));
    }

    void mistakesAreNamed_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("said");
        QTest::newRow("unknown option") << QStringList {u"--sever"_s, u"http://x"_s} << u"sever"_s;
        QTest::newRow("missing value") << QStringList {u"--server"_s} << u"server"_s;
        QTest::newRow("stray argument") << QStringList {u"sam"_s} << u"unexpected argument \"sam\""_s;
    }

    void mistakesAreNamed()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, said);
        const ProcessResult result = run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.standardError.startsWith(u"heartline-supervisor: "_s), qPrintable(result.standardError));
        QVERIFY2(result.standardError.contains(said), qPrintable(result.standardError));
        QVERIFY2(result.standardError.contains(u"Usage: heartline-supervisor"_s), qPrintable(result.standardError));
    }

    void aCaFileThatCannotBeReadIsNamed()
    {
        // With a display (offscreen): the file is read once the application exists.
        QProcessEnvironment offscreen = QProcessEnvironment::systemEnvironment();
        offscreen.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        const ProcessResult result = runProcess(QStringLiteral(HEARTLINE_SUPERVISOR_BINARY),
                                                {u"--ca-file"_s, u"/nonexistent/ca.pem"_s}, {}, offscreen);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.standardError.contains(u"heartline-supervisor: --ca-file: The CA file /nonexistent/ca.pem "
                                               "cannot be read: No such file or directory.\n"_s),
                 qPrintable(result.standardError));
        QVERIFY2(!result.standardError.contains(u"QObject::connect"_s), qPrintable(result.standardError));
    }

    void withoutADisplayItSaysWhatToDo()
    {
        const ProcessResult result = run({u"--server"_s, u"http://127.0.0.1:9"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.standardError.contains(u"QT_QPA_PLATFORM=offscreen"_s), qPrintable(result.standardError));
    }
};

QTEST_APPLESS_MAIN(TestSupervisorCommandLine)
#include "tst_supervisor_command_line.moc"
