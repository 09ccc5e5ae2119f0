#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

#include "core/Result.h"

namespace heartline {

class Database;

/// One change to the system's administration (users, agent profiles, the routing plan): who made
/// it, what it was, to what, when. Kept in audit_log and pushed to supervisors as it happens.
struct AuditRecord
{
    qint64 id = 0;      ///< row id, 0 before it is written
    qint64 atMs = 0;    ///< server time of the change
    QString actor;      ///< the admin's user id; CliActor for the admin CLI on the server host
    QString action;     ///< one of the Action* names below
    QString target;     ///< the user changed; the routing file for a reload
    QJsonObject detail; ///< what changed, field by field (never a password)

    /// The admin CLI run on the server host by whoever may read its database.
    static constexpr QStringView CliActor = u"cli";

    static constexpr QStringView ActionUserAdd = u"user.add";
    static constexpr QStringView ActionUserDisable = u"user.disable";
    static constexpr QStringView ActionUserEnable = u"user.enable";
    static constexpr QStringView ActionUserPassword = u"user.password";
    static constexpr QStringView ActionAgentProfile = u"agent.profile";
    static constexpr QStringView ActionRoutingReload = u"routing.reload";

    [[nodiscard]] QJsonObject toJson() const;
    friend bool operator==(const AuditRecord &, const AuditRecord &) = default;
};

/// The audit_log table. append() runs on the caller's connection inside the caller's transaction,
/// so the change and its record commit (or roll back) together.
namespace auditlog {

/// Writes the record (when there is one) at nowMs, filling in its atMs and id; the error when the
/// insert failed. The stores call it inside the transaction of the change.
[[nodiscard]] std::optional<QSqlError> append(const QSqlDatabase &db, AuditRecord *record, qint64 nowMs);
/// Newest first, at most `limit` records.
[[nodiscard]] Result<QList<AuditRecord>> recent(const Database &database, int limit);

} // namespace auditlog

} // namespace heartline
