#include "store/Migrator.h"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include "store/WriteTransaction.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

const QString migrationsFolder = u":/heartline/migrations"_s;

Problem databaseError(const QSqlDatabase &db, const QString &what, const QSqlError &error)
{
    return Problem {u"database_error"_s, u"database"_s,
                    u"database %1: %2: %3"_s.arg(db.databaseName(), what, error.text())};
}

/// Runs one statement that returns nothing; the query is finished before returning so no read
/// transaction stays open behind the caller's back.
std::optional<QSqlError> execute(const QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    if (!query.exec(statement))
        return query.lastError();
    return std::nullopt;
}

} // namespace

QList<Migration> builtInMigrations()
{
    static const QRegularExpression fileName(u"^(\\d{4})_[a-z0-9_]+\\.sql$"_s);
    QList<Migration> migrations;
    const QStringList files = QDir(migrationsFolder).entryList(QDir::Files, QDir::Name);
    for (const QString &name : files) {
        const auto match = fileName.match(name);
        if (!match.hasMatch())
            continue;
        QFile file(migrationsFolder + u'/' + name);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        migrations.append(Migration {match.captured(1).toInt(), name, QString::fromUtf8(file.readAll())});
    }
    return migrations;
}

QStringList splitSqlStatements(const QString &sql)
{
    QStringList statements;
    QString current;
    QChar quote; // the open quote character, or null outside quotes
    for (qsizetype i = 0; i < sql.size(); ++i) {
        const QChar c = sql.at(i);
        if (!quote.isNull()) {
            current += c;
            if (c == quote)
                quote = QChar(); // a doubled quote reopens on the next character, which is right
            continue;
        }
        if (c == u'-' && i + 1 < sql.size() && sql.at(i + 1) == u'-') {
            while (i < sql.size() && sql.at(i) != u'\n')
                ++i;
            current += u'\n';
            continue;
        }
        if (c == u'/' && i + 1 < sql.size() && sql.at(i + 1) == u'*') {
            const qsizetype end = sql.indexOf(u"*/"_s, i + 2);
            i = end < 0 ? sql.size() : end + 1;
            current += u' ';
            continue;
        }
        if (c == u'\'' || c == u'"' || c == u'`') {
            quote = c;
            current += c;
            continue;
        }
        if (c == u';') {
            if (!current.trimmed().isEmpty())
                statements.append(current.trimmed());
            current.clear();
            continue;
        }
        current += c;
    }
    if (!current.trimmed().isEmpty())
        statements.append(current.trimmed());
    return statements;
}

Migrator::Migrator(QList<Migration> migrations) : m_migrations(std::move(migrations))
{
    std::sort(m_migrations.begin(), m_migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
}

int Migrator::latestVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.constLast().version;
}

Result<int> Migrator::schemaVersion(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
        return databaseError(db, u"cannot read the schema version"_s, query.lastError());
    return query.value(0).toInt();
}

Result<int> Migrator::migrate(const QSqlDatabase &db) const
{
    for (qsizetype i = 0; i < m_migrations.size(); ++i) {
        if (m_migrations.at(i).version != i + 1) {
            return Problem {
                u"migration_failed"_s, u"database"_s,
                u"migration %1 is out of sequence: expected version %2"_s.arg(m_migrations.at(i).name).arg(i + 1)};
        }
    }

    auto version = schemaVersion(db);
    if (!version)
        return version.error();
    if (version.value() > latestVersion()) {
        return Problem {u"schema_too_new"_s, u"database"_s,
                        u"database %1 has schema version %2, but this heartline-server only knows versions up to "
                        "%3: it was written by a newer heartline-server. Run that version, or point --db at "
                        "another file."_s.arg(db.databaseName())
                            .arg(version.value())
                            .arg(latestVersion())};
    }
    for (const Migration &migration : m_migrations) {
        if (migration.version <= version.value())
            continue;
        if (const auto problem = apply(db, migration))
            return *problem;
        version = schemaVersion(db);
        if (!version)
            return version.error();
    }
    return version.value();
}

std::optional<Problem> Migrator::apply(const QSqlDatabase &db, const Migration &migration) const
{
    // The write lock is taken up front, so the version read below cannot change before COMMIT.
    WriteTransaction transaction(db);
    if (const auto error = transaction.beginError())
        return databaseError(db, u"cannot start the transaction for %1"_s.arg(migration.name), *error);

    const auto current = schemaVersion(db);
    if (!current)
        return current.error();
    if (current.value() >= migration.version) // another process applied it meanwhile
        return std::nullopt;

    for (const QString &statement : splitSqlStatements(migration.sql)) {
        if (const auto error = execute(db, statement)) {
            return Problem {u"migration_failed"_s, u"database"_s,
                            u"database %1: migration %2 failed: %3 in: %4"_s.arg(db.databaseName(), migration.name,
                                                                                 error->text(), statement.left(200))};
        }
    }
    if (const auto error = execute(db, u"PRAGMA user_version = %1"_s.arg(migration.version)))
        return databaseError(db, u"cannot record version %1"_s.arg(migration.version), *error);
    if (const auto error = transaction.commit())
        return databaseError(db, u"cannot commit %1"_s.arg(migration.name), *error);
    return std::nullopt;
}

} // namespace heartline
