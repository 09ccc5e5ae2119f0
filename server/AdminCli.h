#pragma once

#include <optional>

#include <QString>
#include <QStringList>

#include "config/Config.h"
#include "core/Result.h"

class QCommandLineParser;
class QTextStream;

namespace heartline {

class Clock;

/// heartline-server's admin commands, run instead of the server when the command line names one:
///
///     heartline-server [--db PATH] [--config FILE] user add ID --role agent|supervisor|admin [--name NAME]
///     heartline-server [--db PATH] [--config FILE] user list
///     heartline-server [--db PATH] [--config FILE] user passwd ID
///     heartline-server [--db PATH] [--config FILE] user disable ID
///     heartline-server [--db PATH] [--config FILE] user enable ID
///
/// `add` and `passwd` read the password as one line from standard input (no echo on a terminal).
/// Each command applies pending migrations itself and writes the same database a running server
/// uses (WAL and a busy timeout make that safe); the server notices within its reload period.
class AdminCli final
{
public:
    enum ExitCode {
        Success = 0,
        Failure = 1,       ///< the database could not be opened, migrated or written
        UsageError = 2,    ///< unknown command, missing argument, bad role, bad id, empty password
        UnknownUser = 3,   ///< no user with that id
        DuplicateUser = 4, ///< a user with that id already exists
    };

    /// The options the commands take (--role, --name), added to heartline-server's parser.
    static void addOptions(QCommandLineParser &parser);
    /// The usage text, for --help and usage errors.
    [[nodiscard]] static QString usage();

    AdminCli(Config config, const Clock &clock, QTextStream &input, QTextStream &output, QTextStream &errors);

    /// Runs the command named by the parser's positional arguments; returns the exit code.
    [[nodiscard]] int run(const QCommandLineParser &parser);

private:
    [[nodiscard]] int add(const QStringList &arguments, const QCommandLineParser &parser);
    [[nodiscard]] int list();
    [[nodiscard]] int agentCommand(const QStringList &arguments, const QCommandLineParser &parser);
    [[nodiscard]] int setPassword(const QStringList &arguments);
    [[nodiscard]] int setDisabled(const QStringList &arguments, bool disabled);

    [[nodiscard]] int usageError(const QString &message);
    [[nodiscard]] int reportProblem(const Problem &problem);
    [[nodiscard]] std::optional<QString> readPassword();

    Config m_config;
    const Clock &m_clock;
    QTextStream &m_in;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace heartline
