#pragma once

#include <optional>

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QUrl>

#include "core/AgentState.h"
#include "core/Result.h"

namespace heartline {

/// What the command line asks for; each given option overrides the remembered setting.
struct LaunchOptions
{
    std::optional<QUrl> server;             ///< --server http(s)://host:port
    std::optional<QString> agent;           ///< --agent ID
    std::optional<QString> caFile;          ///< --ca-file FILE (empty: the system's authorities only)
    QString configFile;                     ///< --config FILE (an INI file instead of the standard location)
    std::optional<QUrl> voiceUrl;           ///< --voice-url ws(s)://host:port/voice
    bool minimized = false;                 ///< --minimized: start in the tray
    bool quit = false;                      ///< --quit: ask the running app to quit (it signs off first)
    bool passwordFromStdin = false;         ///< --password-stdin: sign in at start with the password read from stdin
    std::optional<AgentStatus> startStatus; ///< --status: the status to take once signed in
    bool help = false;
    bool version = false;
};

/// heartline-agent's options (QCommandLineParser). Bad values are refused with the option named,
/// so a typo in a desktop launcher shows up at once instead of as "cannot reach the server".
class AgentCommandLine final
{
    Q_DECLARE_TR_FUNCTIONS(AgentCommandLine)

public:
    /// `arguments` includes the program name first, as QCoreApplication::arguments() has it.
    [[nodiscard]] static Result<LaunchOptions> parse(const QStringList &arguments);
    [[nodiscard]] static QString helpText();
};

} // namespace heartline
