#pragma once

#include <optional>

#include <QList>
#include <QString>

#include "connectivity/ConnectivityIssue.h"
#include "core/Result.h"

namespace heartline {

class Database;

/// Which issues to list, newest first.
struct IssueQuery
{
    std::optional<bool> open; ///< true: only open, false: only closed, empty: both
    QString agentId;          ///< empty: every agent
    int limit = 100;
};

/// Counts over the recent past, for the statistics route.
struct IssueHistory
{
    qint64 openedLastHour = 0;
    qint64 openedLastDay = 0;
    qint64 closedOfLastDay = 0;               ///< of the issues opened in the last day, how many closed
    std::optional<double> meanSecondsToClose; ///< over those; empty when none closed
};

/// The connectivity_issues table. Every write is one single-row statement in autocommit: issues
/// open and close one at a time, when an agent's state changes, so there is nothing to batch.
/// Problem code on failure: "storage_error" (the SQL error is logged).
class ConnectivityIssueStore final
{
    Q_DISABLE_COPY_MOVE(ConnectivityIssueStore)

public:
    explicit ConnectivityIssueStore(Database &database) : m_database(database) { }

    /// Every issue without closed_at, oldest first.
    [[nodiscard]] Result<QList<ConnectivityIssue>> openIssues() const;
    /// Inserts an open issue and returns its id.
    [[nodiscard]] Result<qint64> open(const QString &agentId, ConnectivityIssueKind kind, qint64 openedAtMs,
                                      const QString &detail);
    [[nodiscard]] std::optional<Problem> close(qint64 issueId, qint64 closedAtMs);

    [[nodiscard]] Result<QList<ConnectivityIssue>> list(const IssueQuery &query) const;
    /// Issues opened in the hour and the day before nowMs, and how long those of the day took to close.
    [[nodiscard]] Result<IssueHistory> history(qint64 nowMs) const;

private:
    Database &m_database;
};

} // namespace heartline
