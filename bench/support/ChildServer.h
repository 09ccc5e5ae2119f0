#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace heartline::bench {

/// A server under test running as a child process on 127.0.0.1 (port 0: the kernel picks one), its
/// output written to a log file rather than a pipe, so a chatty server never blocks on a full pipe
/// while the benchmark is busy driving load. The port comes from the "listening on http://..." line
/// heartline-server prints (the bare servers print the same line). The child is sent SIGTERM when this
/// process ends, even without stop() (a benchmark that fails leaves through exit()).
class ChildServer final
{
public:
    ChildServer() = default;
    ~ChildServer() { stop(); }
    ChildServer(const ChildServer &) = delete;
    ChildServer &operator=(const ChildServer &) = delete;

    /// Starts program with arguments (and `--listen 127.0.0.1:0` already appended when addListen is
    /// set), output appended to logPath; waits up to 30 s for the listening line. False with error().
    bool start(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
               const QString &logPath, bool addListen = true);
    void stop();

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] qint64 pid() const { return m_process.processId(); }
    [[nodiscard]] const QString &error() const { return m_error; }

    /// Resident set size of the child (VmRSS), in KiB; -1 when it cannot be read.
    [[nodiscard]] qint64 residentKiB() const;
    /// CPU time the child has used so far (user + system), in seconds.
    [[nodiscard]] double cpuSeconds() const;

private:
    QProcess m_process;
    QString m_logPath;
    quint16 m_port = 0;
    QString m_error;
};

/// The last lines of a text file (a server log), for error messages.
[[nodiscard]] QString tailOf(const QString &path, int lines = 15);

} // namespace heartline::bench
