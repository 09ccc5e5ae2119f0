#include "HeartbeatCheckpoint.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QString ConnectionName = u"fleet-heartbeat-checkpoint"_s;

/// A connection of its own, closed and removed when the work is done, so that nothing of the harness
/// holds the file while the server opens it.
template <typename Work> bool withDatabase(const QString &path, QString *error, Work work)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, ConnectionName);
        db.setDatabaseName(path);
        if (!db.open()) {
            if (error)
                *error = db.lastError().text();
        } else {
            ok = work(db);
            if (!ok && error)
                *error = db.lastError().text();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(ConnectionName);
    return ok;
}

} // namespace

bool HeartbeatCheckpoint::remember(const QString &databasePath, QString *error)
{
    m_heartbeats.clear();
    return withDatabase(databasePath, error, [this](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.exec(u"SELECT session_id, last_heartbeat FROM session_heartbeats"_s))
            return false;
        while (query.next())
            m_heartbeats.insert(query.value(0).toLongLong(), query.value(1).toLongLong());
        return true;
    });
}

bool HeartbeatCheckpoint::rollBack(const QString &databasePath, QString *error)
{
    return withDatabase(databasePath, error, [this](QSqlDatabase &db) {
        if (!db.transaction())
            return false;
        QSqlQuery query(db);
        query.prepare(u"UPDATE session_heartbeats SET last_heartbeat = ? WHERE session_id = ?"_s);
        for (auto it = m_heartbeats.cbegin(); it != m_heartbeats.cend(); ++it) {
            query.bindValue(0, it.value());
            query.bindValue(1, it.key());
            if (!query.exec()) {
                db.rollback();
                return false;
            }
        }
        return db.commit();
    });
}

} // namespace heartline
