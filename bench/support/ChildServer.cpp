#include "ChildServer.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>

#include <csignal>

#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace heartline::bench {

bool ChildServer::start(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
                        const QString &logPath, bool addListen)
{
    m_logPath = logPath;
    m_port = 0;
    m_process.setProcessEnvironment(environment);
    // The server goes when the benchmark goes, however it ends: a failed run leaves the program through
    // exit(), which runs no destructor, and a fleet of 100,000 agents left running takes a CPU.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.setStandardOutputFile(logPath, QIODevice::Append);
    m_process.setStandardErrorFile(logPath, QIODevice::Append);
    QStringList all = arguments;
    if (addListen)
        all << u"--listen"_s << u"127.0.0.1:0"_s;
    m_process.start(program, all);
    if (!m_process.waitForStarted(10'000)) {
        m_error = u"%1 did not start: %2"_s.arg(program, m_process.errorString());
        return false;
    }
    static const QRegularExpression listening(u"listening on http://127\\.0\\.0\\.1:(\\d+)"_s);
    const QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired()) {
        QFile log(logPath);
        if (log.open(QIODevice::ReadOnly)) {
            const auto match = listening.match(QString::fromUtf8(log.readAll()));
            if (match.hasMatch()) {
                m_port = quint16(match.captured(1).toUInt());
                return true;
            }
        }
        if (m_process.waitForFinished(20)) {
            m_error = u"%1 exited with code %2 before listening:\n%3"_s.arg(program)
                          .arg(m_process.exitCode())
                          .arg(tailOf(logPath));
            return false;
        }
    }
    m_error = u"%1 printed no listening line within 30 s:\n%2"_s.arg(program, tailOf(logPath));
    stop();
    return false;
}

void ChildServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(30'000)) {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }
}

qint64 ChildServer::residentKiB() const
{
    QFile status(u"/proc/%1/status"_s.arg(pid()));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

double ChildServer::cpuSeconds() const
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid()));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    // Fields after the command name (which may hold spaces) start at the last ')': state is field 3,
    // utime and stime are fields 14 and 15.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const double ticks = double(::sysconf(_SC_CLK_TCK));
    return double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / ticks;
}

QString tailOf(const QString &path, int lines)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return u"(no log at %1)"_s.arg(path);
    QStringList all = QString::fromUtf8(file.readAll()).split(u'\n');
    while (!all.isEmpty() && all.last().isEmpty())
        all.removeLast();
    return all.mid(qMax<qsizetype>(0, all.size() - lines)).join(u'\n');
}

} // namespace heartline::bench
