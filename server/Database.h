#pragma once

#include <QSqlDatabase>
#include <QString>

#include "core/Result.h"

namespace heartline {

/// An open SQLite database file with the settings Heartline relies on: WAL journal (readers never
/// block the writer), a busy timeout (the admin CLI may write while the server runs) and foreign keys.
/// Each instance owns one named Qt SQL connection, closed on destruction.
class Database final
{
    Q_DISABLE_COPY(Database)

public:
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    ~Database();

    /// Opens or creates the file (and its folder). The error names the path and what failed.
    [[nodiscard]] static Result<Database> open(const QString &path);

    [[nodiscard]] QSqlDatabase connection() const;
    [[nodiscard]] QString path() const { return m_path; }
    /// Cheap liveness check for /healthz.
    [[nodiscard]] bool isHealthy() const;

private:
    Database(QString connectionName, QString path);

    QString m_connectionName;
    QString m_path;
};

} // namespace heartline
