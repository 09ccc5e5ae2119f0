#include "connectivity/ConnectivityIssueStore.h"

#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "Database.h"
#include "store/SqlHelpers.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcIssueStore, "heartline.store.connectivity")

namespace heartline {

namespace {

constexpr qint64 HourMs = 3'600'000;
constexpr qint64 DayMs = 24 * HourMs;

Problem loggedProblem(const QSqlQuery &query, const QString &what)
{
    Problem problem = storageProblem(query, what);
    qCWarning(lcIssueStore).noquote() << problem.message;
    return problem;
}

const QString issueColumns = u"id, agent_id, kind, opened_at, closed_at, detail"_s;

/// A row whose kind this build does not know (written by a newer one) is skipped, not guessed.
std::optional<ConnectivityIssue> issueFrom(const QSqlQuery &query)
{
    const auto kind = connectivityIssueKindFromString(query.value(2).toString());
    if (!kind)
        return std::nullopt;
    ConnectivityIssue issue;
    issue.id = query.value(0).toLongLong();
    issue.agentId = query.value(1).toString();
    issue.kind = *kind;
    issue.openedAtMs = query.value(3).toLongLong();
    if (!query.value(4).isNull())
        issue.closedAtMs = query.value(4).toLongLong();
    issue.detail = query.value(5).toString();
    return issue;
}

Result<QList<ConnectivityIssue>> readIssues(QSqlQuery &query)
{
    QList<ConnectivityIssue> issues;
    while (query.next()) {
        if (auto issue = issueFrom(query))
            issues.append(std::move(*issue));
    }
    return issues;
}

} // namespace

Result<QList<ConnectivityIssue>> ConnectivityIssueStore::openIssues() const
{
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT "_s + issueColumns + u" FROM connectivity_issues WHERE closed_at IS NULL ORDER BY id"_s))
        return loggedProblem(query, u"loading open connectivity issues"_s);
    return readIssues(query);
}

Result<qint64> ConnectivityIssueStore::open(const QString &agentId, ConnectivityIssueKind kind, qint64 openedAtMs,
                                            const QString &detail)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"INSERT INTO connectivity_issues (agent_id, kind, opened_at, detail) VALUES (?, ?, ?, ?)"_s);
    query.addBindValue(agentId);
    query.addBindValue(toString(kind));
    query.addBindValue(openedAtMs);
    query.addBindValue(detail.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(detail));
    if (!query.exec())
        return loggedProblem(query, u"opening a %1 issue for %2"_s.arg(toString(kind), agentId));
    return query.lastInsertId().toLongLong();
}

std::optional<Problem> ConnectivityIssueStore::close(qint64 issueId, qint64 closedAtMs)
{
    QSqlQuery query(m_database.connection());
    query.prepare(u"UPDATE connectivity_issues SET closed_at = ? WHERE id = ? AND closed_at IS NULL"_s);
    query.addBindValue(closedAtMs);
    query.addBindValue(issueId);
    if (!query.exec())
        return loggedProblem(query, u"closing connectivity issue %1"_s.arg(issueId));
    return std::nullopt;
}

Result<QList<ConnectivityIssue>> ConnectivityIssueStore::list(const IssueQuery &filter) const
{
    QString sql = u"SELECT "_s + issueColumns + u" FROM connectivity_issues"_s;
    QStringList conditions;
    if (filter.open)
        conditions.append(*filter.open ? u"closed_at IS NULL"_s : u"closed_at IS NOT NULL"_s);
    if (!filter.agentId.isEmpty())
        conditions.append(u"agent_id = ?"_s);
    if (!conditions.isEmpty())
        sql += u" WHERE "_s + conditions.join(u" AND "_s);
    sql += u" ORDER BY opened_at DESC, id DESC LIMIT ?"_s;

    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    query.prepare(sql);
    if (!filter.agentId.isEmpty())
        query.addBindValue(filter.agentId);
    query.addBindValue(filter.limit);
    if (!query.exec())
        return loggedProblem(query, u"listing connectivity issues"_s);
    return readIssues(query);
}

Result<IssueHistory> ConnectivityIssueStore::history(qint64 nowMs) const
{
    // Both counts use the opened_at index; the day's closed issues give the mean time to close.
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    query.prepare(uR"(SELECT
            count(*),
            coalesce(sum(opened_at >= ?), 0),
            count(closed_at),
            avg(closed_at - opened_at)
        FROM connectivity_issues WHERE opened_at >= ?)"_s);
    query.addBindValue(nowMs - HourMs);
    query.addBindValue(nowMs - DayMs);
    if (!query.exec() || !query.next())
        return loggedProblem(query, u"counting connectivity issues"_s);
    IssueHistory history;
    history.openedLastDay = query.value(0).toLongLong();
    history.openedLastHour = query.value(1).toLongLong();
    history.closedOfLastDay = query.value(2).toLongLong();
    if (!query.value(3).isNull())
        history.meanSecondsToClose = query.value(3).toDouble() / 1000.0;
    return history;
}

} // namespace heartline
