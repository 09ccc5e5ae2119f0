#include "admin/AdminService.h"

#include <QJsonArray>
#include <QLoggingCategory>

#include "Database.h"
#include "agents/AgentService.h"
#include "agents/AgentStore.h"
#include "auth/AuthService.h"
#include "core/Clock.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcAdmin, "heartline.admin")

namespace heartline {

namespace {

AuditRecord recordOf(const QString &actor, QStringView action, const QString &target, QJsonObject detail = {})
{
    AuditRecord record;
    record.actor = actor;
    record.action = action.toString();
    record.target = target;
    record.detail = std::move(detail);
    return record;
}

Problem invalid(const QString &field, const QString &message)
{
    return Problem {u"invalid_value"_s, field, message};
}

std::optional<Problem> checkRange(const QString &field, const std::optional<int> &value, int low, int high)
{
    if (value && (*value < low || *value > high))
        return invalid(field, u"%1 must be a whole number from %2 to %3"_s.arg(field).arg(low).arg(high));
    return std::nullopt;
}

std::optional<Problem> checkSkills(const std::optional<QStringList> &skills)
{
    if (!skills)
        return std::nullopt;
    if (skills->size() > ProfileLimits::MaxSkills)
        return invalid(u"skills"_s, u"an agent has at most %1 skills"_s.arg(ProfileLimits::MaxSkills));
    for (const QString &skill : *skills) {
        // Skills are stored comma-separated and matched exactly against the routing file's.
        const bool blank = skill.trimmed() != skill || skill.isEmpty();
        if (blank || skill.size() > ProfileLimits::MaxSkillLength || skill.contains(u',')) {
            return invalid(u"skills"_s,
                           u"skill \"%1\" is not accepted: 1 to %2 characters, no comma and no "
                           "leading or trailing space"_s.arg(skill)
                               .arg(ProfileLimits::MaxSkillLength));
        }
    }
    if (QStringList unique = *skills; unique.removeDuplicates() > 0)
        return invalid(u"skills"_s, u"a skill is listed twice"_s);
    return std::nullopt;
}

QJsonObject profileJson(const AgentProfile &profile)
{
    return QJsonObject {{u"skills"_s, QJsonArray::fromStringList(profile.skills)},
                        {u"priority"_s, profile.priority},
                        {u"maxConcurrentCalls"_s, profile.maxConcurrentCalls},
                        {u"wrapUpSeconds"_s, profile.wrapUpSeconds},
                        {u"maxNoAnswer"_s, profile.maxNoAnswer}};
}

} // namespace

QJsonObject profileDifference(const AgentProfile &before, const AgentProfile &after)
{
    const QJsonObject from = profileJson(before);
    const QJsonObject to = profileJson(after);
    QJsonObject difference;
    for (auto it = to.constBegin(); it != to.constEnd(); ++it) {
        if (from.value(it.key()) != it.value())
            difference.insert(it.key(), QJsonObject {{u"from"_s, from.value(it.key())}, {u"to"_s, it.value()}});
    }
    return difference;
}

AdminService::AdminService(UserStore &users, AgentStore &agentStore, AgentService &agents, AuthService &auth,
                           const Database &database, const Clock &clock, RoutingReload reloadRouting, QObject *parent)
    : QObject(parent), m_users(users), m_agentStore(agentStore), m_agents(agents), m_auth(auth), m_database(database),
      m_clock(clock), m_reloadRouting(std::move(reloadRouting))
{ }

Result<User> AdminService::addUser(const QString &actor, const QString &id, const QString &displayName, Role role,
                                   const QString &password)
{
    AuditRecord record = recordOf(actor, AuditRecord::ActionUserAdd, id,
                                  {{u"role"_s, toString(role)}, {u"displayName"_s, displayName}});
    auto added = m_users.add(id, displayName, role, password, &record);
    if (!added)
        return added.error();
    qCInfo(lcAdmin).noquote() << actor << "added user" << id << "as" << toString(role);
    Q_EMIT changed(record);
    return added;
}

Result<User> AdminService::disableUser(const QString &actor, const QString &id)
{
    if (actor == id)
        return Problem {u"forbidden"_s, u"id"_s, u"an admin cannot disable their own account"_s};
    AuditRecord record = recordOf(actor, AuditRecord::ActionUserDisable, id);
    if (auto problem = m_users.disable(id, &record))
        return *problem;
    endSessions(id, u"disabled"_s);
    return committed(record, id);
}

Result<User> AdminService::enableUser(const QString &actor, const QString &id)
{
    AuditRecord record = recordOf(actor, AuditRecord::ActionUserEnable, id);
    if (auto problem = m_users.enable(id, &record))
        return *problem;
    return committed(record, id);
}

Result<User> AdminService::setPassword(const QString &actor, const QString &id, const QString &password)
{
    AuditRecord record = recordOf(actor, AuditRecord::ActionUserPassword, id);
    if (auto problem = m_users.setPassword(id, password, &record))
        return *problem;
    // A new password is set because the old one may have leaked: what it opened closes.
    endSessions(id, u"password changed"_s);
    return committed(record, id);
}

Result<User> AdminService::committed(const AuditRecord &record, const QString &id)
{
    qCInfo(lcAdmin).noquote() << record.actor << record.action << id;
    Q_EMIT changed(record);
    auto found = m_users.find(id);
    if (!found)
        return found.error();
    if (!found.value())
        return Problem {u"not_found"_s, u"id"_s, u"no user with id %1"_s.arg(id)};
    return *found.value();
}

void AdminService::endSessions(const QString &id, const QString &cause)
{
    m_auth.forgetUser(id);
    if (const AgentRecord *record = m_agents.agent(id); record && record->sessionId != 0) {
        if (auto problem = m_agents.closeSession(id, StatusChangeSource::Supervisor, cause))
            qCWarning(lcAdmin).noquote() << "could not end the session of" << id << ":" << problem->message;
    }
}

Result<AgentProfile> AdminService::profile(const QString &agentId) const
{
    auto found = m_agentStore.agentProfile(agentId, AgentStore::Disabled::Included);
    if (!found)
        return Problem {u"unknown_agent"_s, u"agentId"_s, u"no agent with id \"%1\""_s.arg(agentId)};
    return *found;
}

Result<AgentProfile> AdminService::changeProfile(const QString &actor, const QString &agentId,
                                                 const ProfileChanges &changes)
{
    const std::optional<Problem> problems[] = {
        checkSkills(changes.skills),
        checkRange(u"priority"_s, changes.priority, ProfileLimits::MinPriority, ProfileLimits::MaxPriority),
        checkRange(u"maxConcurrentCalls"_s, changes.maxConcurrentCalls, 1, ProfileLimits::MaxConcurrentCalls),
        checkRange(u"wrapUpSeconds"_s, changes.wrapUpSeconds, 0, ProfileLimits::MaxWrapUpSeconds),
        checkRange(u"maxNoAnswer"_s, changes.maxNoAnswer, 0, ProfileLimits::MaxNoAnswer),
    };
    for (const auto &problem : problems) {
        if (problem)
            return *problem;
    }
    auto current = profile(agentId);
    if (!current)
        return current.error();
    AgentProfile next = current.value();
    next.skills = changes.skills.value_or(next.skills);
    next.priority = changes.priority.value_or(next.priority);
    next.maxConcurrentCalls = changes.maxConcurrentCalls.value_or(next.maxConcurrentCalls);
    next.wrapUpSeconds = changes.wrapUpSeconds.value_or(next.wrapUpSeconds);
    next.maxNoAnswer = changes.maxNoAnswer.value_or(next.maxNoAnswer);

    // The record says what changed, before and after, field by field.
    const QJsonObject detail = profileDifference(current.value(), next);
    if (detail.isEmpty())
        return next; // nothing to write, nothing to announce
    AuditRecord record = recordOf(actor, AuditRecord::ActionAgentProfile, agentId, detail);
    if (auto problem = m_agentStore.saveProfile(next, &record, m_clock.nowMs()))
        return *problem;
    m_agents.applyProfile(next);
    qCInfo(lcAdmin).noquote() << actor << "changed the profile of" << agentId;
    Q_EMIT changed(record);
    return next;
}

Result<QStringList> AdminService::reloadRouting(const QString &actor)
{
    auto queues = m_reloadRouting();
    if (!queues)
        return queues.error();
    AuditRecord record = recordOf(actor, AuditRecord::ActionRoutingReload, {},
                                  {{u"queues"_s, QJsonArray::fromStringList(queues.value())}});
    QSqlDatabase db = m_database.connection();
    if (auto error = auditlog::append(db, &record, m_clock.nowMs())) {
        // The plan is already in use: say so in the log rather than undo a working reload.
        qCWarning(lcAdmin).noquote() << "routing reloaded by" << actor << "but not recorded:" << error->text();
    }
    qCInfo(lcAdmin).noquote() << actor << "reloaded the routing plan:" << queues.value().join(u", "_s);
    Q_EMIT changed(record);
    return queues;
}

Result<QList<AuditRecord>> AdminService::recentChanges(int limit) const
{
    return auditlog::recent(m_database, limit);
}

} // namespace heartline
