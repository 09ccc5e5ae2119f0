#pragma once

#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace heartline::test {

/// Runs the real heartline-server executable (or another program that prints "listening on URL",
/// such as heartline-twilio-sim) on a free loopback port (`--listen 127.0.0.1:0`, which a later
/// `--listen` in the arguments overrides) and learns its address from that line.
class ServerProcess final
{
public:
    explicit ServerProcess(QString program = binary()) : m_program(std::move(program)) { }
    ~ServerProcess();

    /// Starts with the given extra arguments; false (with output() telling why) when it exits or
    /// prints no address.
    bool start(const QStringList &arguments,
               const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    /// SIGTERM, then SIGKILL if it does not exit. Returns the exit code, or -1 when it crashed or was killed.
    int stop();
    /// SIGKILL, as a crash or a power cut would end it.
    void kill();

    [[nodiscard]] QUrl baseUrl() const { return m_baseUrl; }
    [[nodiscard]] qint64 pid() const { return m_process.processId(); }
    /// What the program printed since it last started, as far as it has been read.
    [[nodiscard]] QString output() const { return m_output; }
    /// Reads what the program printed since, then output().
    [[nodiscard]] QString outputSoFar()
    {
        m_output += QString::fromUtf8(m_process.readAll());
        return m_output;
    }

    /// The path of the built heartline-server, from the HEARTLINE_SERVER_BINARY compile definition.
    [[nodiscard]] static QString binary();

private:
    QString m_program;
    QProcess m_process;
    QUrl m_baseUrl;
    QString m_output;
};

/// Runs a program to completion (feeding `input` to stdin) and returns exit code, stdout, stderr.
struct ProcessResult
{
    int exitCode = -1;
    QString standardOutput;
    QString standardError;
};
ProcessResult runProcess(const QString &program, const QStringList &arguments, const QByteArray &input = {},
                         const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

} // namespace heartline::test
