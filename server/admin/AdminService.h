#pragma once

#include <functional>
#include <optional>

#include <QJsonObject>
#include <QObject>
#include <QStringList>

#include "admin/AuditLog.h"
#include "agents/AgentRecord.h"
#include "core/Result.h"
#include "users/UserStore.h"

namespace heartline {

class AgentService;
class AgentStore;
class AuthService;
class Clock;
class Database;

/// Changes to an agent's routing profile; absent fields stay as they are.
struct ProfileChanges
{
    std::optional<QStringList> skills;
    std::optional<int> priority;
    std::optional<int> maxConcurrentCalls;
    std::optional<int> wrapUpSeconds;
    std::optional<int> maxNoAnswer;
};

/// The fields that differ between two profiles, each as {"from": …, "to": …}: an audit record's detail.
[[nodiscard]] QJsonObject profileDifference(const AgentProfile &before, const AgentProfile &after);

/// What an admin may change while the server runs: users (add, disable, enable, a new password),
/// agents' routing profiles and the routing plan. Each change is written with its AuditRecord in
/// one transaction, takes effect in memory at once (a disabled user's sessions end, a profile is
/// routed by from the next call), and is announced with changed() for the supervisors' live view.
/// The admin CLI changes the same tables from another process; the server notices those by
/// polling (AuthService::reloadIfChanged).
class AdminService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminService)

public:
    /// Re-reads the routing file into the running plan; the queue names it now routes to, or why not.
    using RoutingReload = std::function<Result<QStringList>()>;

    AdminService(UserStore &users, AgentStore &agentStore, AgentService &agents, AuthService &auth,
                 const Database &database, const Clock &clock, RoutingReload reloadRouting, QObject *parent = nullptr);

    /// Every user, sorted by id.
    [[nodiscard]] Result<QList<User>> users() const { return m_users.list(); }

    // Problem codes as UserStore's, plus "forbidden" (an admin disabling their own account) and
    // "unknown_agent" (a profile of someone who is not an agent).
    [[nodiscard]] Result<User> addUser(const QString &actor, const QString &id, const QString &displayName, Role role,
                                       const QString &password);
    [[nodiscard]] Result<User> disableUser(const QString &actor, const QString &id);
    [[nodiscard]] Result<User> enableUser(const QString &actor, const QString &id);
    [[nodiscard]] Result<User> setPassword(const QString &actor, const QString &id, const QString &password);

    [[nodiscard]] Result<AgentProfile> profile(const QString &agentId) const;
    [[nodiscard]] Result<AgentProfile> changeProfile(const QString &actor, const QString &agentId,
                                                     const ProfileChanges &changes);

    /// Problem code "routing_not_reloaded" when the file cannot replace the running plan.
    [[nodiscard]] Result<QStringList> reloadRouting(const QString &actor);

    /// Newest first.
    [[nodiscard]] Result<QList<AuditRecord>> recentChanges(int limit) const;

Q_SIGNALS:
    /// A change was committed (with its audit record).
    void changed(const heartline::AuditRecord &record);

private:
    /// The user as stored now, after a change to them committed.
    [[nodiscard]] Result<User> committed(const AuditRecord &record, const QString &id);
    /// Ends what a user's old credentials allowed: tokens in memory, an agent's open session.
    void endSessions(const QString &id, const QString &cause);

    UserStore &m_users;
    AgentStore &m_agentStore;
    AgentService &m_agents;
    AuthService &m_auth;
    const Database &m_database;
    const Clock &m_clock;
    RoutingReload m_reloadRouting;
};

} // namespace heartline
