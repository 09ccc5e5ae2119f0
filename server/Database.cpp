#include "Database.h"

#include <atomic>

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

QString nextConnectionName()
{
    static std::atomic<int> counter {0};
    return u"heartline-%1"_s.arg(counter.fetch_add(1));
}

Problem databaseProblem(const QString &path, const QString &what)
{
    return Problem {u"database_unavailable"_s, u"database"_s, u"database %1: %2"_s.arg(path, what)};
}

} // namespace

Database::Database(QString connectionName, QString path)
    : m_connectionName(std::move(connectionName)), m_path(std::move(path))
{ }

Database::Database(Database &&other) noexcept
    : m_connectionName(std::exchange(other.m_connectionName, {})), m_path(std::move(other.m_path))
{ }

Database &Database::operator=(Database &&other) noexcept
{
    std::swap(m_connectionName, other.m_connectionName);
    std::swap(m_path, other.m_path);
    return *this;
}

Database::~Database()
{
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<Database> Database::open(const QString &path)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return databaseProblem(path, u"cannot create the folder %1"_s.arg(info.absolutePath()));

    Database database(nextConnectionName(), info.absoluteFilePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, database.m_connectionName);
    if (!db.isValid())
        return databaseProblem(path, u"the Qt SQLite driver (QSQLITE) is not installed"_s);
    db.setDatabaseName(database.m_path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!db.open())
        return databaseProblem(path, db.lastError().text());

    QSqlQuery query(db);
    for (const auto &pragma :
         {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=NORMAL"_s, u"PRAGMA foreign_keys=ON"_s}) {
        if (!query.exec(pragma))
            return databaseProblem(path, u"%1 failed: %2"_s.arg(pragma, query.lastError().text()));
    }
    return database;
}

QSqlDatabase Database::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool Database::isHealthy() const
{
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    return query.exec(u"SELECT 1"_s) && query.next();
}

} // namespace heartline
