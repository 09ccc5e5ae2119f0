#include "AgentFleet.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

#include "Database.h"
#include "HttpLoad.h"
#include "HttpWire.h"
#include "auth/Crypto.h"
#include "auth/PasswordHasher.h"
#include "store/Migrator.h"

using namespace Qt::StringLiterals;

namespace heartline::bench {

namespace {

const QByteArray DevicesJson = R"("devices":{"audioInput":true,"audioOutput":true,"voiceRegistered":true,)"
                               R"("audioInputName":"Jabra Evolve2 40 Mono","audioOutputName":"Jabra Evolve2 40 Mono",)"
                               R"("networkRttMs":24,"packetLossPercent":0.1,"networkType":"wired"})";

Problem sqlProblem(const QString &what, const QSqlError &error)
{
    return Problem {u"bench_setup"_s, {}, what + u": "_s + error.text()};
}

/// The rows `heartline-server user add` and a login write, for one user after another: the user, and
/// one session token valid for 30 days.
class UserRows final
{
public:
    explicit UserRows(const QSqlDatabase &db)
        : m_user(db), m_token(db), m_now(QDateTime::currentMSecsSinceEpoch()),
          m_expires(m_now + 30LL * 24 * 3600 * 1000),
          // One hash for everyone: the benchmark never logs in with a password, and PBKDF2 per user
          // would dominate the set-up of a large fleet.
          m_password(PasswordHasher::hash(u"bench-password"_s, 1000))
    {
        m_user.prepare(u"INSERT INTO users (id, display_name, role, password_hash, password_salt, "
                       "password_iterations, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)"_s);
        m_token.prepare(u"INSERT INTO auth_tokens (token_hash, user_id, role, created_at, expires_at) "
                        "VALUES (?, ?, ?, ?, ?)"_s);
    }

    /// The user's token, or what went wrong.
    Result<QByteArray> add(const QString &id, const QString &displayName, const QString &role)
    {
        for (const QVariant &value : QVariantList {id, displayName, role, m_password.hash, m_password.salt,
                                                   m_password.iterations, m_now, m_now})
            m_user.addBindValue(value);
        if (!m_user.exec())
            return sqlProblem(u"adding user "_s + id, m_user.lastError());
        const QByteArray secret
            = secureRandomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        for (const QVariant &value : QVariantList {sha256(secret), id, role, m_now, m_expires})
            m_token.addBindValue(value);
        if (!m_token.exec())
            return sqlProblem(u"adding the token of "_s + id, m_token.lastError());
        return secret;
    }

private:
    QSqlQuery m_user;
    QSqlQuery m_token;
    qint64 m_now;
    qint64 m_expires;
    PasswordHash m_password;
};

} // namespace

Result<AgentFleet> AgentFleet::create(const QString &databasePath, int count, const QString &prefix)
{
    auto database = Database::open(databasePath);
    if (!database)
        return database.error();
    if (auto version = Migrator().migrate(database->connection()); !version)
        return version.error();

    AgentFleet fleet;
    QSqlDatabase db = database->connection();
    db.transaction();
    UserRows rows(db);
    const int width = qMax(5, int(QString::number(count).size()));
    for (int i = 1; i <= count; ++i) {
        const QString id = prefix + u"%1"_s.arg(i, width, 10, QChar(u'0'));
        auto token = rows.add(id, u"Agent %1"_s.arg(i), u"agent"_s);
        if (!token)
            return token.error();
        fleet.m_ids.append(id);
        fleet.m_tokens.append(std::move(token).value());
    }
    if (!db.commit())
        return sqlProblem(u"committing the fleet"_s, db.lastError());
    return fleet;
}

Result<QByteArray> AgentFleet::addSupervisor(const QString &databasePath, const QString &userId)
{
    auto database = Database::open(databasePath);
    if (!database)
        return database.error();
    UserRows rows(database->connection());
    return rows.add(userId, u"Bench Supervisor"_s, u"supervisor"_s);
}

QByteArray AgentFleet::httpHeartbeatBody(const QString &agentId)
{
    return R"({"agentId":")" + agentId.toUtf8() + R"(","deviceConnected":true,"currentStatus":"available",)"
        + DevicesJson + '}';
}

QByteArray AgentFleet::webSocketHeartbeat()
{
    return R"({"type":"heartbeat","currentStatus":"available","deviceConnected":true,)" + DevicesJson + '}';
}

QByteArray AgentFleet::httpHeartbeatRequest(qsizetype agent) const
{
    return httpRequest("POST", "/api/agent-heartbeat", {{"Authorization", "Bearer " + m_tokens.at(agent)}},
                       httpHeartbeatBody(m_ids.at(agent)));
}

QString AgentFleet::sendHeartbeats(quint16 port, int connections) const
{
    HttpLoad load(port);
    if (!load.open(int(qMin<qsizetype>(connections, size()))))
        return load.error();
    const HttpLoad::Result result
        = load.closedLoop(size(), 600, [this](qint64 index, int) { return httpHeartbeatRequest(index); });
    if (!result.ok())
        return result.problem();
    if (result.answered != size())
        return u"%1 of %2 heartbeats answered"_s.arg(result.answered).arg(size());
    return {};
}

} // namespace heartline::bench
