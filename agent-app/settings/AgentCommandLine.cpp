#include "settings/AgentCommandLine.h"

#include <QCommandLineParser>

#include "core/GraphicalSession.h"
#include "protocol/ProtocolTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption server {u"server"_s, AgentCommandLine::tr("The Heartline server, e.g. http://heartline:8080."),
                               u"url"_s};
    QCommandLineOption agent {u"agent"_s, AgentCommandLine::tr("Your agent ID (filled in on the sign-in screen)."),
                              u"id"_s};
    QCommandLineOption caFile {
        u"ca-file"_s,
        AgentCommandLine::tr("Also trust the certificate authorities in this PEM file for an https:// server "
                             "(kept; an empty value goes back to the system's only)."),
        u"file"_s};
    QCommandLineOption config {u"config"_s, AgentCommandLine::tr("Keep settings in this INI file."), u"file"_s};
    QCommandLineOption voiceUrl {
        u"voice-url"_s, AgentCommandLine::tr("The voice server's signaling address, e.g. ws://sim:8090/voice."),
        u"url"_s};
    QCommandLineOption minimized {u"minimized"_s, AgentCommandLine::tr("Start in the system tray.")};
    QCommandLineOption passwordStdin {
        u"password-stdin"_s,
        AgentCommandLine::tr("Read the password from standard input and sign in at once (scripts and launchers; "
                             "it is never stored). Needs the server and agent ID, given or remembered.")};
    QCommandLineOption status {
        u"status"_s, AgentCommandLine::tr("Take this status once signed in: available, away or offline."), u"status"_s};
    QCommandLineOption quit {u"quit"_s,
                             AgentCommandLine::tr("Ask the running app to quit (it tells the server you are offline "
                                                  "first), e.g. from a log-out script. Exits 1 when none runs.")};

    Parser()
    {
        parser.setApplicationDescription(AgentCommandLine::tr("Heartline agent: your status, your calls."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({server, agent, caFile, config, voiceUrl, minimized, passwordStdin, status, quit});
    }
};

Result<QUrl> readUrl(const QString &option, const QString &text, const QStringList &schemes)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !schemes.contains(url.scheme())) {
        return Problem {u"invalid_value"_s, option,
                        AgentCommandLine::tr("--%1 must be an address starting with %2, got \"%3\".")
                            .arg(option, schemes.join(u" or "_s), text)};
    }
    return url;
}

} // namespace

Result<LaunchOptions> AgentCommandLine::parse(const QStringList &arguments)
{
    Parser p;
    if (!p.parser.parse(arguments))
        return Problem {u"invalid_option"_s, {}, p.parser.errorText()};
    if (!p.parser.positionalArguments().isEmpty()) {
        return Problem {
            u"invalid_option"_s, {}, tr("Unexpected argument \"%1\".").arg(p.parser.positionalArguments().first())};
    }
    LaunchOptions options;
    options.help = p.parser.isSet(u"help"_s);
    options.version = p.parser.isSet(u"version"_s);
    options.minimized = p.parser.isSet(p.minimized);
    options.quit = p.parser.isSet(p.quit);
    options.passwordFromStdin = p.parser.isSet(p.passwordStdin);
    if (p.parser.isSet(p.status)) {
        const auto status = agentStatusFromString(p.parser.value(p.status));
        if (!status) {
            return Problem {
                u"invalid_value"_s, u"status"_s,
                tr("--status must be available, away or offline, got \"%1\".").arg(p.parser.value(p.status))};
        }
        options.startStatus = *status;
    }
    if (p.parser.isSet(p.server)) {
        auto url = readUrl(u"server"_s, p.parser.value(p.server), {u"http"_s, u"https"_s});
        if (!url)
            return url.error();
        options.server = url.value();
    }
    if (p.parser.isSet(p.voiceUrl)) {
        auto url = readUrl(u"voice-url"_s, p.parser.value(p.voiceUrl), {u"ws"_s, u"wss"_s});
        if (!url)
            return url.error();
        options.voiceUrl = url.value();
    }
    if (p.parser.isSet(p.agent)) {
        const QString agent = p.parser.value(p.agent).trimmed();
        if (agent.isEmpty() || agent.size() > MaxIdLength) {
            return Problem {u"invalid_value"_s, u"agent"_s, tr("--agent must be 1 to %1 characters.").arg(MaxIdLength)};
        }
        options.agent = agent;
    }
    if (p.parser.isSet(p.caFile))
        options.caFile = p.parser.value(p.caFile); // read once the application exists (main.cpp)
    if (p.parser.isSet(p.config)) {
        options.configFile = p.parser.value(p.config);
        if (options.configFile.isEmpty())
            return Problem {u"invalid_value"_s, u"config"_s, tr("--config needs a file name.")};
    }
    return options;
}

QString AgentCommandLine::helpText()
{
    Parser p;
    return helpTextOf(p.parser.helpText(), u"heartline-agent"_s);
}

} // namespace heartline
