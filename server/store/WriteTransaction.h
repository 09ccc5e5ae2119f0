#pragma once

#include <optional>

#include <QSqlDatabase>
#include <QSqlError>

namespace heartline {

/// A write transaction on an SQLite connection: BEGIN IMMEDIATE on construction (the write lock is
/// taken up front, waiting up to the busy timeout, so a read inside cannot be invalidated by
/// another writer), ROLLBACK on destruction unless commit() succeeded.
/// Queries run inside must be finished (out of scope) before commit().
class WriteTransaction final
{
    Q_DISABLE_COPY_MOVE(WriteTransaction)

public:
    explicit WriteTransaction(QSqlDatabase db);
    ~WriteTransaction();

    /// The BEGIN error when the transaction could not start.
    [[nodiscard]] std::optional<QSqlError> beginError() const { return m_beginError; }
    /// Commits; the error when COMMIT failed (the transaction is then rolled back).
    [[nodiscard]] std::optional<QSqlError> commit();

private:
    QSqlDatabase m_db;
    std::optional<QSqlError> m_beginError;
    bool m_open = false;
};

} // namespace heartline
