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

} // namespace

Result<AgentFleet> AgentFleet::create(const QString &databasePath, int count, const QString &prefix)
{
    auto database = Database::open(databasePath);
    if (!database)
        return database.error();
    if (auto version = Migrator().migrate(database->connection()); !version)
        return version.error();

    AgentFleet fleet;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 expires = now + 30LL * 24 * 3600 * 1000;
    // One hash for everyone: the benchmark never logs in with a password, and PBKDF2 per agent
    // would dominate the set-up of a large fleet.
    const PasswordHash password = PasswordHasher::hash(u"bench-password"_s, 1000);

    QSqlDatabase db = database->connection();
    db.transaction();
    QSqlQuery user(db);
    user.prepare(u"INSERT INTO users (id, display_name, role, password_hash, password_salt, password_iterations, "
                 "disabled, created_at, updated_at) VALUES (?, ?, 'agent', ?, ?, ?, 0, ?, ?)"_s);
    QSqlQuery token(db);
    token.prepare(u"INSERT INTO auth_tokens (token_hash, user_id, role, created_at, expires_at) "
                  "VALUES (?, ?, 'agent', ?, ?)"_s);
    const int width = qMax(5, int(QString::number(count).size()));
    for (int i = 1; i <= count; ++i) {
        const QString id = prefix + u"%1"_s.arg(i, width, 10, QChar(u'0'));
        for (const QVariant &value :
             QVariantList {id, u"Agent %1"_s.arg(i), password.hash, password.salt, password.iterations, now, now})
            user.addBindValue(value);
        if (!user.exec())
            return sqlProblem(u"adding user "_s + id, user.lastError());
        const QByteArray secret
            = secureRandomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        for (const QVariant &value : QVariantList {sha256(secret), id, now, expires})
            token.addBindValue(value);
        if (!token.exec())
            return sqlProblem(u"adding the token of "_s + id, token.lastError());
        fleet.m_ids.append(id);
        fleet.m_tokens.append(secret);
    }
    if (!db.commit())
        return sqlProblem(u"committing the fleet"_s, db.lastError());
    return fleet;
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
