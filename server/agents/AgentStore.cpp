#include "agents/AgentStore.h"

#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "Database.h"
#include "admin/AuditLog.h"
#include "agents/AgentService.h"
#include "store/SqlHelpers.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcAgentStore, "heartline.store.agents")

namespace heartline {

namespace {

Problem loggedProblem(const QSqlQuery &query, const QString &what)
{
    Problem problem = storageProblem(query, what);
    qCWarning(lcAgentStore).noquote() << problem.message;
    return problem;
}

AgentProfile profileFrom(const QSqlQuery &query)
{
    AgentProfile profile;
    profile.agentId = query.value(u"id"_s).toString();
    profile.displayName = query.value(u"display_name"_s).toString();
    if (!query.value(u"max_concurrent_calls"_s).isNull()) {
        profile.maxConcurrentCalls = query.value(u"max_concurrent_calls"_s).toInt();
        profile.skills = query.value(u"skills"_s).toString().split(u',', Qt::SkipEmptyParts);
        profile.priority = query.value(u"priority"_s).toInt();
        profile.wrapUpSeconds = query.value(u"wrap_up_seconds"_s).toInt();
        profile.maxNoAnswer = query.value(u"max_no_answer"_s).toInt();
    }
    return profile;
}

const QString everyAgentSelect = uR"(
    SELECT u.id, u.display_name, p.max_concurrent_calls, p.skills, p.priority, p.wrap_up_seconds, p.max_no_answer,
           s.id AS session_id, s.status, s.away_reason, s.login_at, s.status_changed_at,
           coalesce(h.last_heartbeat, s.last_heartbeat) AS last_heartbeat,
           coalesce(h.device_connected, s.device_connected) AS device_connected, s.status_sticky
    FROM users u
    LEFT JOIN agent_profiles p ON p.agent_id = u.id
    LEFT JOIN agent_sessions s ON s.agent_id = u.id AND s.logout_at IS NULL
    LEFT JOIN session_heartbeats h ON h.session_id = s.id
    WHERE u.role = 'agent')"_s;
/// The agents who may work: routing never learns a disabled one.
const QString agentSelect = everyAgentSelect + u" AND u.disabled = 0"_s;

StoredAgent storedAgentFrom(const QSqlQuery &query)
{
    StoredAgent agent {profileFrom(query), std::nullopt};
    if (!query.value(u"session_id"_s).isNull()) {
        StoredSession session;
        session.id = query.value(u"session_id"_s).toLongLong();
        session.status = agentStatusFromString(query.value(u"status"_s).toString()).value_or(AgentStatus::Offline);
        session.awayReason = query.value(u"away_reason"_s).toString();
        session.loginAtMs = query.value(u"login_at"_s).toLongLong();
        session.statusChangedAtMs = query.value(u"status_changed_at"_s).toLongLong();
        if (!query.value(u"last_heartbeat"_s).isNull())
            session.lastHeartbeatMs = query.value(u"last_heartbeat"_s).toLongLong();
        session.deviceConnected = query.value(u"device_connected"_s).toBool();
        session.statusSticky = query.value(u"status_sticky"_s).toBool();
        agent.session = session;
    }
    return agent;
}

} // namespace

AgentStore::AgentStore(Database &database, QObject *parent) : QObject(parent), m_database(database)
{
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &AgentStore::handOverHeartbeats);
    if (auto problem = m_writer.start(database.path())) {
        qCWarning(lcAgentStore).noquote() << problem->message << "- heartbeats are written on the event loop instead";
    }
}

AgentStore::~AgentStore()
{
    flushHeartbeats();
    m_writer.stop();
}

Result<QList<StoredAgent>> AgentStore::loadAgents()
{
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    if (!query.exec(agentSelect))
        return loggedProblem(query, u"loading agents"_s);
    QList<StoredAgent> agents;
    while (query.next())
        agents.append(storedAgentFrom(query));
    return agents;
}

std::optional<AgentProfile> AgentStore::agentProfile(const QString &agentId, Disabled disabled)
{
    QSqlQuery query(m_database.connection());
    query.prepare((disabled == Disabled::Included ? everyAgentSelect : agentSelect) + u" AND u.id = ?"_s);
    query.addBindValue(agentId);
    if (!query.exec() || !query.next())
        return std::nullopt;
    return profileFrom(query);
}

std::optional<Problem> AgentStore::saveProfile(const AgentProfile &profile, AuditRecord *audit, qint64 nowMs)
{
    QSqlDatabase db = m_database.connection();
    db.transaction();
    QSqlQuery query(db);
    query.prepare(u"INSERT INTO agent_profiles (agent_id, max_concurrent_calls, skills, priority, wrap_up_seconds, "
                  "max_no_answer) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET "
                  "max_concurrent_calls = excluded.max_concurrent_calls, skills = excluded.skills, "
                  "priority = excluded.priority, wrap_up_seconds = excluded.wrap_up_seconds, "
                  "max_no_answer = excluded.max_no_answer"_s);
    query.addBindValue(profile.agentId);
    query.addBindValue(qMax(1, profile.maxConcurrentCalls));
    query.addBindValue(profile.skills.isEmpty() ? QString(u""_s) : profile.skills.join(u','));
    query.addBindValue(profile.priority);
    query.addBindValue(profile.wrapUpSeconds);
    query.addBindValue(profile.maxNoAnswer);
    if (!query.exec()) {
        db.rollback();
        return loggedProblem(query, u"saving the profile of %1"_s.arg(profile.agentId));
    }
    if (const auto error = auditlog::append(db, audit, nowMs)) {
        db.rollback();
        return Problem {
            u"storage_error"_s, {}, u"recording the profile change of %1: %2"_s.arg(profile.agentId, error->text())};
    }
    if (!db.commit())
        return Problem {u"storage_error"_s, {}, db.lastError().text()};
    return std::nullopt;
}

Result<qint64> AgentStore::openSession(const AgentProfile &profile, qint64 nowMs)
{
    QSqlQuery query(m_database.connection());
    query.prepare(uR"(INSERT INTO agent_sessions
        (agent_id, status, login_at, status_changed_at, max_concurrent_calls, skills, priority, wrap_up_seconds,
         max_no_answer)
        VALUES (?, 'offline', ?, ?, ?, ?, ?, ?, ?))"_s);
    query.addBindValue(profile.agentId);
    query.addBindValue(nowMs);
    query.addBindValue(nowMs);
    query.addBindValue(qMax(1, profile.maxConcurrentCalls));
    // An empty join is a null QString, which would bind as NULL into the NOT NULL column.
    query.addBindValue(profile.skills.isEmpty() ? QString(u""_s) : profile.skills.join(u','));
    query.addBindValue(profile.priority);
    query.addBindValue(profile.wrapUpSeconds);
    query.addBindValue(profile.maxNoAnswer);
    if (!query.exec())
        return loggedProblem(query, u"opening a session for %1"_s.arg(profile.agentId));
    return query.lastInsertId().toLongLong();
}

std::optional<Problem> AgentStore::closeSession(qint64 sessionId, const QString &agentId, AgentStatus from,
                                                const QString &by, const QString &cause, qint64 nowMs)
{
    // The closed row keeps the session's last heartbeat in the seed's columns: the one not handed
    // over yet, else the one written behind (a batch still on the writer's thread is at most a second
    // older; it is not written for a closed session).
    const std::optional<HeartbeatRow> pending
        = m_pending.contains(sessionId) ? std::optional(m_pending.take(sessionId)) : std::nullopt;
    QSqlDatabase db = m_database.connection();
    db.transaction();
    QSqlQuery query(db);
    query.prepare(
        u"UPDATE agent_sessions SET logout_at = ?, status = 'offline', away_reason = NULL, "
        "status_changed_at = ?, status_sticky = 0, "
        "last_heartbeat = coalesce(?, (SELECT last_heartbeat FROM session_heartbeats WHERE session_id = ?), "
        "last_heartbeat), "
        "device_connected = coalesce(?, (SELECT device_connected FROM session_heartbeats WHERE session_id = ?), "
        "device_connected) WHERE id = ?"_s);
    const QVariant noValue(QMetaType(QMetaType::LongLong));
    query.addBindValue(nowMs);
    query.addBindValue(nowMs);
    query.addBindValue(pending ? QVariant(pending->atMs) : noValue);
    query.addBindValue(sessionId);
    query.addBindValue(pending ? QVariant(pending->deviceConnected ? 1 : 0) : noValue);
    query.addBindValue(sessionId);
    query.addBindValue(sessionId);
    if (!query.exec()) {
        db.rollback();
        if (pending)
            m_pending.insert(sessionId, *pending);
        return loggedProblem(query, u"closing the session of %1"_s.arg(agentId));
    }
    QSqlQuery forget(db);
    forget.prepare(u"DELETE FROM session_heartbeats WHERE session_id = ?"_s);
    forget.addBindValue(sessionId);
    if (!forget.exec()) {
        db.rollback();
        if (pending)
            m_pending.insert(sessionId, *pending);
        return loggedProblem(forget, u"closing the session of %1"_s.arg(agentId));
    }
    QSqlQuery audit(db);
    audit.prepare(u"INSERT INTO agent_status_changes (agent_id, from_status, to_status, reason, changed_by, "
                  "changed_at) VALUES (?, ?, 'offline', ?, ?, ?)"_s);
    audit.addBindValue(agentId);
    audit.addBindValue(toString(from));
    audit.addBindValue(cause);
    audit.addBindValue(by);
    audit.addBindValue(nowMs);
    if (!audit.exec()) {
        db.rollback();
        return loggedProblem(audit, u"recording the logout of %1"_s.arg(agentId));
    }
    if (!db.commit())
        return Problem {u"storage_error"_s, {}, db.lastError().text()};
    return std::nullopt;
}

std::optional<Problem> AgentStore::recordStatusChange(qint64 sessionId, const StatusChange &change, bool sticky,
                                                      qint64 nowMs)
{
    QSqlDatabase db = m_database.connection();
    db.transaction();
    QSqlQuery query(db);
    query.prepare(u"UPDATE agent_sessions SET status = ?, away_reason = ?, status_changed_at = ?, status_sticky = ? "
                  "WHERE id = ?"_s);
    query.addBindValue(toString(change.to));
    query.addBindValue(nullableText(change.awayReason));
    query.addBindValue(nowMs);
    query.addBindValue(sticky ? 1 : 0);
    query.addBindValue(sessionId);
    if (!query.exec()) {
        db.rollback();
        return loggedProblem(query, u"saving the status of %1"_s.arg(change.agentId));
    }
    QSqlQuery audit(db);
    audit.prepare(u"INSERT INTO agent_status_changes (agent_id, from_status, to_status, reason, changed_by, "
                  "changed_at) VALUES (?, ?, ?, ?, ?, ?)"_s);
    audit.addBindValue(change.agentId);
    audit.addBindValue(toString(change.from));
    audit.addBindValue(toString(change.to));
    audit.addBindValue(change.awayReason.isEmpty() ? change.cause : change.awayReason + u" ("_s + change.cause + u')');
    audit.addBindValue(toString(change.by));
    audit.addBindValue(nowMs);
    if (!audit.exec()) {
        db.rollback();
        return loggedProblem(audit, u"recording the status change of %1"_s.arg(change.agentId));
    }
    if (!db.commit())
        return Problem {u"storage_error"_s, {}, db.lastError().text()};
    return std::nullopt;
}

void AgentStore::clearStickyStatus(qint64 sessionId)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"UPDATE agent_sessions SET status_sticky = 0 WHERE id = ?"_s);
    query.addBindValue(sessionId);
    if (!query.exec())
        loggedProblem(query, u"clearing an imposed status"_s);
}

void AgentStore::queueHeartbeat(qint64 sessionId, qint64 atMs, bool deviceConnected)
{
    if (sessionId == 0)
        return;
    m_pending.insert(sessionId, HeartbeatRow {atMs, deviceConnected});
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void AgentStore::handOverHeartbeats()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    if (m_writer.isRunning()) {
        m_writer.submit(std::exchange(m_pending, {}));
        return;
    }
    HeartbeatWriter::write(m_database.connection(), m_pending); // what fails stays pending
    if (!m_pending.isEmpty())
        m_flushTimer.start();
}

void AgentStore::flushHeartbeats()
{
    handOverHeartbeats();
    if (m_writer.isRunning() && !m_writer.flush())
        qCWarning(lcAgentStore) << "heartbeats handed over are not all written yet";
}

} // namespace heartline
