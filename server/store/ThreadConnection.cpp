#include "store/ThreadConnection.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace heartline {

ThreadConnection::ThreadConnection(const QString &name, const QString &path) : m_name(name)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
    db.setDatabaseName(path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!db.open()) {
        m_error = db.lastError().text().isEmpty() ? u"open failed"_s : db.lastError().text();
        return;
    }
    QSqlQuery(db).exec(u"PRAGMA synchronous=NORMAL"_s);
}

ThreadConnection::~ThreadConnection()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

} // namespace heartline
