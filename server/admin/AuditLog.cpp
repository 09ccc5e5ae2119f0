#include "admin/AuditLog.h"

#include <QJsonDocument>
#include <QSqlQuery>

#include "Database.h"
#include "JsonResponses.h"

using namespace Qt::StringLiterals;

namespace heartline {

QJsonObject AuditRecord::toJson() const
{
    return QJsonObject {{u"id"_s, id},         {u"at"_s, isoTimestamp(atMs)}, {u"atMs"_s, atMs},    {u"actor"_s, actor},
                        {u"action"_s, action}, {u"target"_s, target},         {u"detail"_s, detail}};
}

namespace auditlog {

std::optional<QSqlError> append(const QSqlDatabase &db, AuditRecord *record, qint64 nowMs)
{
    if (!record)
        return std::nullopt;
    record->atMs = nowMs;
    QSqlQuery insert(db);
    insert.prepare(u"INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)"_s);
    insert.addBindValue(record->atMs);
    insert.addBindValue(record->actor);
    insert.addBindValue(record->action);
    // A null QString binds as SQL NULL; the column is NOT NULL and '' means "no target".
    insert.addBindValue(record->target.isNull() ? u""_s : record->target);
    insert.addBindValue(QString::fromUtf8(QJsonDocument(record->detail).toJson(QJsonDocument::Compact)));
    if (!insert.exec())
        return insert.lastError();
    record->id = insert.lastInsertId().toLongLong();
    return std::nullopt;
}

Result<QList<AuditRecord>> recent(const Database &database, int limit)
{
    QSqlQuery query(database.connection());
    query.prepare(u"SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?"_s);
    query.addBindValue(limit);
    if (!query.exec())
        return Problem {u"database_error"_s, {}, u"cannot read the audit log: %1"_s.arg(query.lastError().text())};
    QList<AuditRecord> records;
    while (query.next()) {
        AuditRecord record;
        record.id = query.value(0).toLongLong();
        record.atMs = query.value(1).toLongLong();
        record.actor = query.value(2).toString();
        record.action = query.value(3).toString();
        record.target = query.value(4).toString();
        record.detail = QJsonDocument::fromJson(query.value(5).toString().toUtf8()).object();
        records.append(std::move(record));
    }
    return records;
}

} // namespace auditlog

} // namespace heartline
