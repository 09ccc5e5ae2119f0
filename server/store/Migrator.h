#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include "core/Result.h"

namespace heartline {

/// One schema step: server/migrations/NNNN_name.sql, compiled into the binary.
struct Migration
{
    int version = 0; ///< NNNN: 1, 2, 3... with no gaps
    QString name;    ///< the file name, for messages
    QString sql;
};

/// The migrations compiled into this binary, in version order.
[[nodiscard]] QList<Migration> builtInMigrations();

/// Splits a migration file into statements at ';' outside quotes and comments. (A statement
/// with an inner ';', such as CREATE TRIGGER ... BEGIN ...; END, is not supported.)
[[nodiscard]] QStringList splitSqlStatements(const QString &sql);

/// Brings a database to the newest schema this binary knows, tracked in `PRAGMA user_version`.
/// Each migration runs in its own write transaction (BEGIN IMMEDIATE) together with the version
/// bump, so a failed one leaves the previous version intact and two processes starting at once
/// (server and admin CLI) never apply the same step twice.
class Migrator final
{
public:
    explicit Migrator(QList<Migration> migrations = builtInMigrations());

    [[nodiscard]] int latestVersion() const;

    /// Returns the schema version afterwards. Problem codes: "schema_too_new" (the database was
    /// written by a newer heartline-server; the message names both versions), "migration_failed"
    /// (names the file and the failing statement), "database_error".
    [[nodiscard]] Result<int> migrate(const QSqlDatabase &db) const;

    /// `PRAGMA user_version`: 0 for a new database.
    [[nodiscard]] static Result<int> schemaVersion(const QSqlDatabase &db);

private:
    [[nodiscard]] std::optional<Problem> apply(const QSqlDatabase &db, const Migration &migration) const;

    QList<Migration> m_migrations;
};

} // namespace heartline
