#include "connection/SupervisorApi.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

#include "SupervisorLogging.h"
#include "protocol/JsonReader.h"
#include "protocol/ProtocolTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr int RequestTimeoutMs = 15'000;
constexpr qint64 MaxCount = std::numeric_limits<int>::max();

/// An ISO-8601 timestamp field ("2026-01-01T12:00:00.000Z") as milliseconds since the epoch.
std::optional<qint64> readTimestamp(JsonReader &reader, QStringView key, bool required)
{
    const std::optional<QString> text
        = required ? std::optional<QString>(reader.string(key, IdText)) : reader.optionalString(key, IdText);
    if (!text || !reader.ok())
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(*text, Qt::ISODateWithMs);
    if (!time.isValid()) {
        reader.fail(JsonProblem::InvalidValue, key,
                    u"%1 must be an ISO-8601 timestamp, got %2."_s.arg(reader.pathOf(key), JsonReader::quoted(*text)));
        return std::nullopt;
    }
    return time.toMSecsSinceEpoch();
}

Result<QJsonObject> bodyObject(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return Problem {JsonProblem::MalformedJson.toString(), QString(),
                        u"The server's answer is not a JSON object."_s};
    }
    return document.object();
}

template <typename T> Result<T> readBody(const QByteArray &body, void (*read)(JsonReader &, T &))
{
    const auto object = bodyObject(body);
    if (!object)
        return object.error();
    JsonReader reader(object.value());
    T value {};
    read(reader, value);
    if (!reader.ok())
        return reader.problem();
    return value;
}

} // namespace

namespace {

/// An issue as the HTTP route writes it (ISO-8601 times); the protocol's own reader takes the
/// WebSocket form (milliseconds), so this one needs a type of its own.
struct HttpIssue
{
    ConnectivityIssueView view;
};

// Found by JsonReader::objectList through argument-dependent lookup.
void readFields(JsonReader &reader, HttpIssue &issue)
{
    issue.view.id = reader.integer(u"id", 0, MaxSafeInteger);
    issue.view.agentId = reader.string(u"agentId", IdText);
    issue.view.kind = reader.string(u"kind", IdText);
    issue.view.openedAtMs = readTimestamp(reader, u"openedAt", true).value_or(0);
    issue.view.closedAtMs = readTimestamp(reader, u"closedAt", false);
    issue.view.detail = reader.optionalString(u"detail", MessageText).value_or(QString());
}

} // namespace

// Field readers, found by JsonReader::objectList through argument-dependent lookup.

static void readFields(JsonReader &reader, DecisionCandidate &candidate)
{
    candidate.agentId = reader.string(u"agentId", IdText);
    candidate.score = int(reader.integer(u"score", 0, 100));
    candidate.ready = reader.boolean(u"ready");
    candidate.reasons = reader.stringList(u"reasons", MessageText);
}

static void readFields(JsonReader &reader, RoutingDecisionView &decision)
{
    decision.callSid = reader.string(u"callSid", IdText);
    decision.queue = reader.string(u"queue", IdText);
    decision.attempt = int(reader.integer(u"attempt", 1, MaxCount));
    decision.path = reader.string(u"path", IdText);
    decision.chosenAgentId = reader.optionalString(u"chosenAgentId", IdText).value_or(QString());
    decision.durationUs = reader.integer(u"durationUs", 0, MaxSafeInteger);
    decision.decidedAtMs = readTimestamp(reader, u"decidedAt", true).value_or(0);
    decision.candidates = reader.objectList<DecisionCandidate>(u"candidates");
}

Result<LoginReply> parseLoginReply(const QByteArray &body)
{
    return readBody<LoginReply>(body, [](JsonReader &reader, LoginReply &reply) {
        reply.token = reader.string(u"token", TokenText).toUtf8();
        reply.role = reader.string(u"role", IdText);
        reply.expiresAtMs = readTimestamp(reader, u"expiresAt", true).value_or(0);
    });
}

Result<QList<ConnectivityIssueView>> parseConnectivityIssues(const QByteArray &body)
{
    return readBody<QList<ConnectivityIssueView>>(body, [](JsonReader &reader, QList<ConnectivityIssueView> &out) {
        const QList<HttpIssue> issues = reader.objectList<HttpIssue>(u"issues");
        out.reserve(issues.size());
        for (const HttpIssue &issue : issues)
            out.append(issue.view);
    });
}

Result<QList<RoutingDecisionView>> parseRoutingDecisions(const QByteArray &body)
{
    return readBody<QList<RoutingDecisionView>>(body, [](JsonReader &reader, QList<RoutingDecisionView> &out) {
        out = reader.objectList<RoutingDecisionView>(u"decisions");
    });
}

Problem problemOf(const ServerAnswer &answer)
{
    return Problem {answer.errorCode, answer.errorField, answer.errorMessage};
}

Problem problemFromErrorBody(int httpStatus, const QByteArray &body)
{
    return problemOf(errorAnswer(httpStatus, body));
}

SupervisorApi::SupervisorApi(QObject *parent) : QObject(parent)
{
    m_http.setTimeoutMs(RequestTimeoutMs);
}

SupervisorApi::~SupervisorApi() = default;

QUrl SupervisorApi::supervisorSocketUrl() const
{
    return m_http.webSocketUrl(u"/ws/supervisor"_s);
}

template <typename T>
void SupervisorApi::finish(QNetworkReply *reply, QObject *context, Callback<T> done,
                           Result<T> (*read)(const QByteArray &body))
{
    // The receiver is the context: when it is gone the connection is gone and `done` never runs.
    connect(reply, &QNetworkReply::finished, context ? context : this, [reply, done, read, trust = m_http.trust()] {
        reply->deleteLater();
        const ServerAnswer answer = readAnswer(reply, trust);
        qCDebug(lcSupervisorApi).noquote() << reply->operation() << reply->url().toDisplayString() << answer.httpStatus;
        if (!answer.ok())
            done(problemOf(answer));
        else
            done(read(answer.body));
    });
}

void SupervisorApi::login(const QString &userId, const QString &password, QObject *context, Callback<LoginReply> done)
{
    const QJsonObject body {{u"userId"_s, userId}, {u"password"_s, password}};
    // A token from an earlier session has nothing to do with this login.
    QNetworkReply *reply
        = m_http.send("POST", u"/api/auth/login"_s, {}, QJsonDocument(body).toJson(QJsonDocument::Compact), false);
    finish<LoginReply>(reply, context, std::move(done), &parseLoginReply);
}

void SupervisorApi::logout()
{
    if (m_http.token().isEmpty())
        return;
    QNetworkReply *reply = m_http.send("POST", u"/api/auth/logout"_s);
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    m_http.setToken({});
}

void SupervisorApi::connectivityIssues(const QString &agentId, int limit, QObject *context,
                                       Callback<QList<ConnectivityIssueView>> done)
{
    QList<std::pair<QString, QString>> query {{u"limit"_s, QString::number(limit)}};
    if (!agentId.isEmpty())
        query.append({u"agentId"_s, agentId});
    QNetworkReply *reply = m_http.send("GET", u"/api/connectivity/issues"_s, query);
    finish<QList<ConnectivityIssueView>>(reply, context, std::move(done), &parseConnectivityIssues);
}

void SupervisorApi::routingDecisions(const QString &agentId, int limit, QObject *context,
                                     Callback<QList<RoutingDecisionView>> done)
{
    QList<std::pair<QString, QString>> query {{u"limit"_s, QString::number(limit)}};
    if (!agentId.isEmpty())
        query.append({u"agentId"_s, agentId});
    QNetworkReply *reply = m_http.send("GET", u"/api/routing/decisions"_s, query);
    finish<QList<RoutingDecisionView>>(reply, context, std::move(done), &parseRoutingDecisions);
}

void SupervisorApi::send(const QByteArray &verb, const QString &path, const QList<std::pair<QString, QString>> &query,
                         const QByteArray &body, QObject *context, Callback<QByteArray> done)
{
    QNetworkReply *reply = m_http.send(verb, path, query, body);
    finish<QByteArray>(reply, context, std::move(done),
                       [](const QByteArray &answer) { return Result<QByteArray>(answer); });
}

} // namespace heartline
