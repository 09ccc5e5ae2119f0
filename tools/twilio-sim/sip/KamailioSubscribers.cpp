#include "KamailioSubscribers.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool exec(QSqlQuery &query, QString *error)
{
    if (query.exec())
        return true;
    return fail(error, u"credentials file: %1"_s.arg(query.lastError().text()));
}

bool exec(const QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    return fail(error, u"credentials file: %1"_s.arg(query.lastError().text()));
}

} // namespace

KamailioSubscribers::KamailioSubscribers() : m_connection(u"sip-credentials-"_s + QUuid::createUuid().toString()) { }

KamailioSubscribers::~KamailioSubscribers()
{
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool KamailioSubscribers::open(const QString &path, const QString &realm, QString *error)
{
    if (realm.isEmpty())
        return fail(error, u"credentials file: no realm (SIP domain) given"_s);
    QSqlDatabase db = QSqlDatabase::contains(m_connection) ? QSqlDatabase::database(m_connection, false)
                                                           : QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
    if (!db.isValid())
        return fail(error, u"credentials file: Qt's SQLite driver is missing (Debian package libqt6sql6-sqlite)"_s);
    db.close();
    db.setDatabaseName(path);
    if (!db.open())
        return fail(error, u"credentials file %1: %2"_s.arg(path, db.lastError().text()));
    m_path = path;
    m_realm = realm;
    // Kamailio's own schema for these two tables (auth_db checks the subscriber table's version
    // when it starts).
    return exec(db, u"PRAGMA journal_mode=WAL"_s, error)
        && exec(db,
                u"CREATE TABLE IF NOT EXISTS version (id INTEGER PRIMARY KEY NOT NULL,"
                " table_name VARCHAR(32) NOT NULL, table_version INTEGER DEFAULT 0 NOT NULL,"
                " CONSTRAINT version_table_name_idx UNIQUE (table_name))"_s,
                error)
        && exec(db,
                u"CREATE TABLE IF NOT EXISTS subscriber (id INTEGER PRIMARY KEY NOT NULL,"
                " username VARCHAR(64) DEFAULT '' NOT NULL, domain VARCHAR(64) DEFAULT '' NOT NULL,"
                " password VARCHAR(64) DEFAULT '' NOT NULL, ha1 VARCHAR(128) DEFAULT '' NOT NULL,"
                " ha1b VARCHAR(128) DEFAULT '' NOT NULL,"
                " CONSTRAINT subscriber_account_idx UNIQUE (username, domain))"_s,
                error)
        && exec(db, u"INSERT OR REPLACE INTO version (table_name, table_version) VALUES ('version', 1)"_s, error)
        && exec(db, u"INSERT OR REPLACE INTO version (table_name, table_version) VALUES ('subscriber', 7)"_s, error);
}

bool KamailioSubscribers::isOpen() const
{
    return QSqlDatabase::contains(m_connection) && QSqlDatabase::database(m_connection, false).isOpen();
}

void KamailioSubscribers::close()
{
    if (QSqlDatabase::contains(m_connection))
        QSqlDatabase::database(m_connection, false).close();
    m_path.clear();
}

bool KamailioSubscribers::isValidUsername(const QString &username)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9._+-]{1,64}$"_s);
    return pattern.match(username).hasMatch();
}

QString KamailioSubscribers::ha1(const QString &username, const QString &realm, const QString &password)
{
    return QString::fromLatin1(
        QCryptographicHash::hash((username + u':' + realm + u':' + password).toUtf8(), QCryptographicHash::Md5)
            .toHex());
}

bool KamailioSubscribers::setPassword(const QString &username, const QString &password, QString *error)
{
    if (!isOpen())
        return fail(error, u"credentials file is not open"_s);
    if (!isValidUsername(username))
        return fail(error, u"\"%1\" is not a SIP username (letters, digits and . _ + - only, 1 to 64)"_s.arg(username));
    if (password.isEmpty())
        return fail(error, u"the password for %1 is empty"_s.arg(username));
    QSqlQuery query(QSqlDatabase::database(m_connection));
    query.prepare(u"INSERT INTO subscriber (username, domain, password, ha1, ha1b) VALUES (?, ?, '', ?, ?)"
                  " ON CONFLICT (username, domain) DO UPDATE SET ha1 = excluded.ha1, ha1b = excluded.ha1b"_s);
    query.addBindValue(username);
    query.addBindValue(m_realm);
    query.addBindValue(ha1(username, m_realm, password));
    query.addBindValue(ha1(username + u'@' + m_realm, m_realm, password));
    return exec(query, error);
}

bool KamailioSubscribers::remove(const QString &username, QString *error)
{
    if (!isOpen())
        return fail(error, u"credentials file is not open"_s);
    QSqlQuery query(QSqlDatabase::database(m_connection));
    query.prepare(u"DELETE FROM subscriber WHERE username = ? AND domain = ?"_s);
    query.addBindValue(username);
    query.addBindValue(m_realm);
    if (!exec(query, error))
        return false;
    if (query.numRowsAffected() == 0)
        return fail(error, u"no SIP credential for %1"_s.arg(username));
    return true;
}

QStringList KamailioSubscribers::usernames() const
{
    QStringList names;
    if (!isOpen())
        return names;
    QSqlQuery query(QSqlDatabase::database(m_connection));
    query.prepare(u"SELECT username FROM subscriber WHERE domain = ? ORDER BY username"_s);
    query.addBindValue(m_realm);
    if (query.exec()) {
        while (query.next())
            names.append(query.value(0).toString());
    }
    return names;
}

} // namespace heartline
