#include "store/WriteTransaction.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace heartline {

WriteTransaction::WriteTransaction(QSqlDatabase db) : m_db(std::move(db))
{
    QSqlQuery query(m_db);
    if (query.exec(u"BEGIN IMMEDIATE"_s))
        m_open = true;
    else
        m_beginError = query.lastError();
}

WriteTransaction::~WriteTransaction()
{
    if (!m_open)
        return;
    QSqlQuery query(m_db);
    (void)query.exec(u"ROLLBACK"_s);
}

std::optional<QSqlError> WriteTransaction::commit()
{
    if (!m_open)
        return m_beginError.value_or(QSqlError(u"commit without a transaction"_s));
    QSqlQuery query(m_db);
    if (!query.exec(u"COMMIT"_s))
        return query.lastError(); // still open: the destructor rolls back
    m_open = false;
    return std::nullopt;
}

} // namespace heartline
