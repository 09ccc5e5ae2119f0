#include "connectivity/ConnectivityRoutes.h"

#include <algorithm>

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include "agents/AgentRegistry.h"
#include "connectivity/ConnectivityMonitor.h"
#include "core/Clock.h"
#include "http/Authorize.h"
#include "http/Router.h"
#include "protocol/ProtocolTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

HttpError invalidParameter(const QString &name, const QString &message)
{
    return HttpError {ApiError::InvalidValue, message, name};
}

QJsonObject toJson(const ConnectivityIssue &issue)
{
    return QJsonObject {
        {u"id"_s, issue.id},
        {u"agentId"_s, issue.agentId},
        {u"kind"_s, toString(issue.kind)},
        {u"openedAt"_s, isoTimestamp(issue.openedAtMs)},
        {u"closedAt"_s, issue.closedAtMs ? QJsonValue(isoTimestamp(*issue.closedAtMs)) : QJsonValue()},
        {u"detail"_s, issue.detail.isEmpty() ? QJsonValue() : QJsonValue(issue.detail)},
    };
}

QHttpServerResponse listIssues(const ConnectivityMonitor &monitor, const QHttpServerRequest &request)
{
    auto query = parseIssueQuery(request.query());
    if (!query)
        return errorResponse(query.error());
    auto issues = monitor.store().list(query.value());
    if (!issues)
        return errorResponse(ApiError::Internal, u"the connectivity issues could not be read"_s);
    QJsonArray list;
    for (const ConnectivityIssue &issue : issues.value())
        list.append(toJson(issue));
    return jsonResponse(QJsonObject {{u"issues"_s, list}});
}

QHttpServerResponse statistics(const ConnectivityMonitor &monitor, const AgentRegistry &agents, const Clock &clock)
{
    const qint64 now = clock.nowMs();
    auto history = monitor.store().history(now);
    if (!history)
        return errorResponse(ApiError::Internal, u"the connectivity issues could not be counted"_s);

    int loggedIn = 0;
    int deviceConnected = 0;
    agents.forEach([&](const AgentRecord &record) {
        if (!record.snapshot.sessionActive)
            return;
        ++loggedIn;
        if (record.snapshot.deviceConnected)
            ++deviceConnected;
    });
    QJsonObject openByKind;
    for (ConnectivityIssueKind kind : allConnectivityIssueKinds)
        openByKind.insert(toString(kind), monitor.openCount(kind));
    const IssueHistory &counts = history.value();

    return jsonResponse(QJsonObject {
        {u"agents"_s,
         QJsonObject {
             {u"loggedIn"_s, loggedIn},
             {u"deviceConnected"_s, deviceConnected},
             {u"deviceConnectedRate"_s, loggedIn > 0 ? QJsonValue(double(deviceConnected) / loggedIn) : QJsonValue()},
             {u"withOpenIssues"_s, monitor.agentsWithOpenIssues()},
         }},
        {u"openIssues"_s, openByKind},
        {u"lastHour"_s, QJsonObject {{u"opened"_s, counts.openedLastHour}}},
        {u"lastDay"_s,
         QJsonObject {
             {u"opened"_s, counts.openedLastDay},
             {u"closed"_s, counts.closedOfLastDay},
             {u"meanTimeToCloseSeconds"_s,
              counts.meanSecondsToClose ? QJsonValue(*counts.meanSecondsToClose) : QJsonValue()},
         }},
        {u"generatedAt"_s, isoTimestamp(now)},
    });
}

} // namespace

Result<IssueQuery, HttpError> parseIssueQuery(const QUrlQuery &query)
{
    IssueQuery parsed;
    parsed.limit = DefaultIssueLimit;
    QSet<QString> seen;
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (seen.contains(name))
            return invalidParameter(name, u"%1 may be given only once"_s.arg(name));
        seen.insert(name);
        if (name == u"open") {
            if (value == u"true")
                parsed.open = true;
            else if (value == u"false")
                parsed.open = false;
            else
                return invalidParameter(name, u"open must be true or false, not \"%1\""_s.arg(value));
        } else if (name == u"agentId") {
            if (value.isEmpty() || value.size() > MaxIdLength)
                return invalidParameter(name, u"agentId must have 1 to %1 characters"_s.arg(MaxIdLength));
            parsed.agentId = value;
        } else if (name == u"limit") {
            // Digits only: no sign, spaces or exponent slip through a lenient number parser.
            const bool digits = !value.isEmpty() && value.size() <= 4
                && std::all_of(value.cbegin(), value.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
            const int limit = digits ? value.toInt() : 0;
            if (limit < 1 || limit > MaxIssueLimit)
                return invalidParameter(
                    name, u"limit must be a whole number from 1 to %1, not \"%2\""_s.arg(MaxIssueLimit).arg(value));
            parsed.limit = limit;
        } else {
            return invalidParameter(name, u"unknown parameter %1 (accepted: open, agentId, limit)"_s.arg(name));
        }
    }
    return parsed;
}

void addConnectivityRoutes(Router &router, const AuthService &auth, const ConnectivityMonitor &monitor,
                           const AgentRegistry &agents, const Clock &clock)
{
    router.route(u"/api/connectivity/issues"_s, QHttpServerRequest::Method::Get,
                 [&auth, &monitor](const QHttpServerRequest &request) {
                     auto who = authorize(auth, request, SupervisorRoles);
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                         return std::move(*refusal);
                     return listIssues(monitor, request);
                 });
    router.route(u"/api/connectivity/stats"_s, QHttpServerRequest::Method::Get,
                 [&auth, &monitor, &agents, &clock](const QHttpServerRequest &request) {
                     auto who = authorize(auth, request, SupervisorRoles);
                     if (auto *refusal = std::get_if<QHttpServerResponse>(&who))
                         return std::move(*refusal);
                     return statistics(monitor, agents, clock);
                 });
}

} // namespace heartline
