#include "ServerProcess.h"

#include <csignal>

#include <sys/prctl.h>

#include <QDeadlineTimer>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace heartline::test {

QString ServerProcess::binary()
{
    return QStringLiteral(HEARTLINE_SERVER_BINARY);
}

ServerProcess::~ServerProcess()
{
    stop();
}

bool ServerProcess::start(const QStringList &arguments, const QProcessEnvironment &environment)
{
    m_process.setProcessEnvironment(environment);
    // Should the test itself crash, the program goes with it instead of holding its port and files.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_output.clear(); // a restart's output only: the last run's "listening on" line is not this one's
    m_process.start(m_program, QStringList {u"--listen"_s, u"127.0.0.1:0"_s} + arguments);
    if (!m_process.waitForStarted(10'000)) {
        m_output = m_process.errorString();
        return false;
    }
    static const QRegularExpression listening(u"listening on (https?://\\S+)"_s);
    const QDeadlineTimer deadline(20'000);
    while (!deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            if (m_process.state() == QProcess::NotRunning)
                break;
            continue;
        }
        m_output += QString::fromUtf8(m_process.readAll());
        if (const auto match = listening.match(m_output); match.hasMatch()) {
            m_baseUrl = QUrl(match.captured(1));
            return true;
        }
    }
    m_output += QString::fromUtf8(m_process.readAll());
    return false;
}

int ServerProcess::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(10'000)) {
            m_process.kill();
            m_process.waitForFinished(5'000);
            return -1;
        }
    }
    if (m_process.isOpen())
        m_output += QString::fromUtf8(m_process.readAll());
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

void ServerProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10'000);
    m_output += QString::fromUtf8(m_process.readAll());
}

ProcessResult runProcess(const QString &program, const QStringList &arguments, const QByteArray &input,
                         const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    ProcessResult result;
    if (!process.waitForStarted(10'000)) {
        result.standardError = process.errorString();
        return result;
    }
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60'000)) {
        process.kill();
        process.waitForFinished();
        result.standardError = u"did not finish within 60 s"_s;
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.standardOutput = QString::fromUtf8(process.readAllStandardOutput());
    result.standardError = QString::fromUtf8(process.readAllStandardError());
    return result;
}

} // namespace heartline::test
