#include "AdminCli.h"

#include <memory>

#include <QCommandLineParser>
#include <QTextStream>

#include "Database.h"
#include "admin/AdminService.h"
#include "admin/AuditLog.h"
#include "agents/AgentStore.h"
#include "core/Clock.h"
#include "store/Migrator.h"
#include "users/Role.h"
#include "users/UserStore.h"

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QString roleOption = u"role"_s;
const QString nameOption = u"name"_s;
const QString skillsOption = u"skills"_s;
const QString priorityOption = u"priority"_s;
const QString maxCallsOption = u"max-calls"_s;
const QString wrapUpOption = u"wrap-up"_s;
const QString maxNoAnswerOption = u"max-no-answer"_s;

/// Turns terminal echo off while a password is typed, and back on afterwards.
class EchoOff final
{
    Q_DISABLE_COPY_MOVE(EchoOff)

public:
    EchoOff()
    {
#ifdef Q_OS_UNIX
        if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &m_saved) == 0) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            m_active = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
        }
#endif
    }
    ~EchoOff()
    {
#ifdef Q_OS_UNIX
        if (m_active)
            tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
#endif
    }
    [[nodiscard]] bool active() const
    {
        return m_active;
    }

private:
#ifdef Q_OS_UNIX
    termios m_saved {};
#endif
    bool m_active = false;
};

/// A change made with the CLI, for the audit log: whoever may write the database on the server host.
AuditRecord cliRecord(QStringView action, const QString &target, QJsonObject detail = {})
{
    AuditRecord record;
    record.actor = AuditRecord::CliActor.toString();
    record.action = action.toString();
    record.target = target;
    record.detail = std::move(detail);
    return record;
}

/// The store the commands work on: the database, migrated, and the users table.
struct Store
{
    std::unique_ptr<Database> database;
    std::unique_ptr<UserStore> users;
};

Result<Store> openStore(const Config &config, const Clock &clock)
{
    auto database = Database::open(config.stringValue(ConfigKey::DatabasePath));
    if (!database)
        return database.error();
    Store store;
    store.database = std::make_unique<Database>(std::move(database).value());
    if (const auto version = Migrator().migrate(store.database->connection()); !version)
        return version.error();
    store.users = std::make_unique<UserStore>(*store.database, clock, config.intValue(ConfigKey::PasswordIterations));
    return store;
}

} // namespace

void AdminCli::addOptions(QCommandLineParser &parser)
{
    parser.addOption(QCommandLineOption(roleOption, u"user add: the role (%1)."_s.arg(acceptedRoles()), u"ROLE"_s));
    parser.addOption(QCommandLineOption(nameOption, u"user add: the display name (default: the id)."_s, u"NAME"_s));
    parser.addOption(QCommandLineOption(skillsOption, u"agent set: skills / queues, comma-separated."_s, u"LIST"_s));
    parser.addOption(
        QCommandLineOption(priorityOption, u"agent set: priority for top-down routing (lower first)."_s, u"N"_s));
    parser.addOption(QCommandLineOption(maxCallsOption, u"agent set: calls at once (maxConcurrentCalls)."_s, u"N"_s));
    parser.addOption(QCommandLineOption(wrapUpOption, u"agent set: wrap-up seconds after each call."_s, u"S"_s));
    parser.addOption(QCommandLineOption(
        maxNoAnswerOption, u"agent set: unanswered offers in a row before the agent is set away."_s, u"N"_s));
    parser.addPositionalArgument(u"command"_s, u"An admin command instead of running the server (see above)."_s,
                                 u"[user add|list|passwd|disable|enable ...] [agent set|show ...]"_s);
}

QString AdminCli::usage()
{
    return u"Admin commands (they work while the server runs):\n"
           "  heartline-server [--db PATH] [--config FILE] user add ID --role agent|supervisor|admin [--name NAME]\n"
           "  heartline-server [--db PATH] [--config FILE] user list\n"
           "  heartline-server [--db PATH] [--config FILE] user passwd ID\n"
           "  heartline-server [--db PATH] [--config FILE] user disable ID\n"
           "  heartline-server [--db PATH] [--config FILE] user enable ID\n"
           "  heartline-server [--db PATH] [--config FILE] agent set ID [--skills A,B] [--priority N] [--max-calls N]\n"
           "                   [--wrap-up S] [--max-no-answer N]\n"
           "  heartline-server [--db PATH] [--config FILE] agent show ID\n"
           "add and passwd read the password as one line from standard input: %1 to %2 characters.\n"
           "passwd and disable end the user's sessions. Every change is kept in the audit log (actor \"cli\").\n"
           "Exit codes: 0 done, 1 database error, 2 usage error, 3 unknown user, 4 user already exists."_s
               .arg(UserStore::MinPasswordLength)
               .arg(UserStore::MaxPasswordLength);
}

AdminCli::AdminCli(Config config, const Clock &clock, QTextStream &input, QTextStream &output, QTextStream &errors)
    : m_config(std::move(config)), m_clock(clock), m_in(input), m_out(output), m_err(errors)
{ }

int AdminCli::run(const QCommandLineParser &parser)
{
    const QStringList arguments = parser.positionalArguments();
    if (!arguments.isEmpty() && arguments.first() == u"agent")
        return agentCommand(arguments.mid(1), parser);
    if (arguments.isEmpty() || arguments.first() != u"user")
        return usageError(u"unknown command: %1"_s.arg(arguments.join(u' ')));
    if (arguments.size() < 2)
        return usageError(u"user: which command? add, list, passwd, disable or enable"_s);

    const QString command = arguments.at(1);
    const QStringList rest = arguments.mid(2);
    if (command == u"add")
        return add(rest, parser);
    if (command == u"list") {
        if (!rest.isEmpty())
            return usageError(u"user list takes no arguments"_s);
        return list();
    }
    if (command == u"passwd")
        return setPassword(rest);
    if (command == u"disable")
        return setDisabled(rest, true);
    if (command == u"enable")
        return setDisabled(rest, false);
    return usageError(u"unknown command: user %1"_s.arg(command));
}

int AdminCli::add(const QStringList &arguments, const QCommandLineParser &parser)
{
    if (arguments.size() != 1)
        return usageError(u"user add takes exactly one user id"_s);
    const QString id = arguments.first();
    if (const auto problem = UserStore::validateId(id))
        return usageError(problem->message);
    if (!parser.isSet(roleOption))
        return usageError(u"user add: --role is required (%1)"_s.arg(acceptedRoles()));
    const auto role = roleFromString(parser.value(roleOption));
    if (!role) {
        return usageError(
            u"user add: --role %1 is not a role; use %2"_s.arg(parser.value(roleOption), acceptedRoles()));
    }
    const QString name = parser.isSet(nameOption) ? parser.value(nameOption) : id;
    if (const auto problem = UserStore::validateDisplayName(name))
        return usageError(u"user add: --name: "_s + problem->message);
    const auto password = readPassword();
    if (!password)
        return UsageError;

    auto store = openStore(m_config, m_clock);
    if (!store)
        return reportProblem(store.error());
    AuditRecord audit
        = cliRecord(AuditRecord::ActionUserAdd, id, {{u"role"_s, toString(*role)}, {u"displayName"_s, name}});
    const auto added = store.value().users->add(id, name, *role, *password, &audit);
    if (!added)
        return reportProblem(added.error());
    m_out << u"added user %1 (%2, \"%3\")"_s.arg(id, toString(*role), name) << Qt::endl;
    return Success;
}

int AdminCli::list()
{
    auto store = openStore(m_config, m_clock);
    if (!store)
        return reportProblem(store.error());
    const auto users = store.value().users->list();
    if (!users)
        return reportProblem(users.error());
    // Tab-separated with a header: readable, and easy for scripts to cut.
    m_out << "ID\tNAME\tROLE\tDISABLED\n";
    for (const User &user : users.value())
        m_out << user.id << '\t' << user.displayName << '\t' << toString(user.role) << '\t'
              << (user.disabled ? "yes" : "no") << '\n';
    m_out.flush();
    return Success;
}

int AdminCli::setPassword(const QStringList &arguments)
{
    if (arguments.size() != 1)
        return usageError(u"user passwd takes exactly one user id"_s);
    const QString id = arguments.first();
    if (const auto problem = UserStore::validateId(id))
        return usageError(problem->message);
    const auto password = readPassword();
    if (!password)
        return UsageError;

    auto store = openStore(m_config, m_clock);
    if (!store)
        return reportProblem(store.error());
    AuditRecord audit = cliRecord(AuditRecord::ActionUserPassword, id);
    if (const auto problem = store.value().users->setPassword(id, *password, &audit))
        return reportProblem(*problem);
    m_out << u"changed the password of %1; their sessions are ended"_s.arg(id) << Qt::endl;
    return Success;
}

int AdminCli::setDisabled(const QStringList &arguments, bool disabled)
{
    const QString command = disabled ? u"disable"_s : u"enable"_s;
    if (arguments.size() != 1)
        return usageError(u"user %1 takes exactly one user id"_s.arg(command));
    const QString id = arguments.first();
    if (const auto problem = UserStore::validateId(id))
        return usageError(problem->message);

    auto store = openStore(m_config, m_clock);
    if (!store)
        return reportProblem(store.error());
    AuditRecord audit = cliRecord(disabled ? AuditRecord::ActionUserDisable : AuditRecord::ActionUserEnable, id);
    UserStore &users = *store.value().users;
    if (const auto problem = disabled ? users.disable(id, &audit) : users.enable(id, &audit))
        return reportProblem(*problem);
    m_out << (disabled ? u"disabled user %1; their sessions are ended"_s : u"enabled user %1"_s).arg(id) << Qt::endl;
    return Success;
}

int AdminCli::agentCommand(const QStringList &arguments, const QCommandLineParser &parser)
{
    if (arguments.size() != 2 || (arguments.first() != u"set" && arguments.first() != u"show"))
        return usageError(u"agent: use agent set ID [options] or agent show ID"_s);
    const QString id = arguments.at(1);
    auto store = openStore(m_config, m_clock);
    if (!store)
        return reportProblem(store.error());
    AgentStore agents(*store.value().database);
    auto profile = agents.agentProfile(id, AgentStore::Disabled::Included);
    const std::optional<AgentProfile> before = profile;
    if (!profile) {
        m_err << "heartline-server: no agent with id " << id << " (create it with user add --role agent)" << Qt::endl;
        return UnknownUser;
    }
    if (arguments.first() == u"set") {
        struct IntOption
        {
            const QString &name;
            int low;
            int high;
            int *target;
        };
        const IntOption options[] = {
            {priorityOption, ProfileLimits::MinPriority, ProfileLimits::MaxPriority, &profile->priority},
            {maxCallsOption, 1, ProfileLimits::MaxConcurrentCalls, &profile->maxConcurrentCalls},
            {wrapUpOption, 0, ProfileLimits::MaxWrapUpSeconds, &profile->wrapUpSeconds},
            {maxNoAnswerOption, 0, ProfileLimits::MaxNoAnswer, &profile->maxNoAnswer},
        };
        for (const IntOption &option : options) {
            if (!parser.isSet(option.name))
                continue;
            bool ok = false;
            const int value = parser.value(option.name).toInt(&ok);
            if (!ok || value < option.low || value > option.high) {
                return usageError(u"agent set: --%1 must be a whole number from %2 to %3"_s.arg(option.name)
                                      .arg(option.low)
                                      .arg(option.high));
            }
            *option.target = value;
        }
        if (parser.isSet(skillsOption)) {
            profile->skills.clear();
            for (const QString &skill : parser.value(skillsOption).split(u',', Qt::SkipEmptyParts))
                profile->skills.append(skill.trimmed());
        }
        AuditRecord audit = cliRecord(AuditRecord::ActionAgentProfile, id, profileDifference(*before, *profile));
        if (const auto problem = agents.saveProfile(*profile, &audit, m_clock.nowMs()))
            return reportProblem(*problem);
    }
    m_out << u"%1\tskills=%2\tpriority=%3\tmax-calls=%4\twrap-up=%5\tmax-no-answer=%6"_s
                 .arg(id, profile->skills.join(u','))
                 .arg(profile->priority)
                 .arg(profile->maxConcurrentCalls)
                 .arg(profile->wrapUpSeconds)
                 .arg(profile->maxNoAnswer)
          << Qt::endl;
    return Success;
}

std::optional<QString> AdminCli::readPassword()
{
    QString password;
    {
        const EchoOff echoOff;
        if (echoOff.active())
            m_err << "Password: " << Qt::flush;
        password = m_in.readLine();
        if (echoOff.active())
            m_err << Qt::endl;
    }
    // readLine() drops "\n"; a Windows-edited file still leaves "\r".
    if (password.endsWith(u'\r'))
        password.chop(1);
    if (password.isEmpty()) {
        m_err << "heartline-server: the password (one line on standard input) must not be empty" << Qt::endl;
        return std::nullopt;
    }
    if (const auto problem = UserStore::validatePassword(password)) {
        m_err << "heartline-server: " << problem->message << Qt::endl;
        return std::nullopt;
    }
    return password;
}

int AdminCli::usageError(const QString &message)
{
    m_err << "heartline-server: " << message << "\n\n" << usage() << Qt::endl;
    return UsageError;
}

int AdminCli::reportProblem(const Problem &problem)
{
    m_err << "heartline-server: " << problem.message << Qt::endl;
    if (problem.code == u"not_found")
        return UnknownUser;
    if (problem.code == u"already_exists")
        return DuplicateUser;
    if (problem.code == u"invalid_value")
        return UsageError;
    return Failure;
}

} // namespace heartline
