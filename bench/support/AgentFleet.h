#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/Result.h"

namespace heartline::bench {

/// Agent users with open session tokens, written straight into a fresh database file (schema
/// migrated by the server's own Migrator) before the server starts: the same rows `heartline-server
/// user add` and a login write, without paying PBKDF2 and an HTTP round trip per agent. The server
/// loads users and tokens at start, so every token is valid from the first request.
class AgentFleet final
{
public:
    /// Agents "<prefix>00001"... with one token each; passwords all "bench-password".
    [[nodiscard]] static Result<AgentFleet> create(const QString &databasePath, int count,
                                                   const QString &prefix = QStringLiteral("agent-"));
    /// A supervisor user in a database create() made, the same way; its session token. Before the
    /// server starts, as for the agents.
    [[nodiscard]] static Result<QByteArray> addSupervisor(const QString &databasePath, const QString &userId);

    [[nodiscard]] const QStringList &ids() const { return m_ids; }
    [[nodiscard]] const QList<QByteArray> &tokens() const { return m_tokens; }
    [[nodiscard]] qsizetype size() const { return m_ids.size(); }

    /// The HTTP heartbeat an agent app sends (docs/protocol.md): available, device connected, and
    /// the device details a real app reports (names, voice registration, network).
    [[nodiscard]] static QByteArray httpHeartbeatBody(const QString &agentId);
    /// The same as a /ws/agent heartbeat message.
    [[nodiscard]] static QByteArray webSocketHeartbeat();
    /// POST /api/agent-heartbeat with the agent's bearer token.
    [[nodiscard]] QByteArray httpHeartbeatRequest(qsizetype agent) const;

    /// Every agent sends one HTTP heartbeat to the server on 127.0.0.1:port, over `connections`
    /// keep-alive connections: logged in (the first heartbeat opens the session), available, devices
    /// reported. Returns the problem, or an empty string when every heartbeat was accepted.
    [[nodiscard]] QString sendHeartbeats(quint16 port, int connections = 16) const;

private:
    QStringList m_ids;
    QList<QByteArray> m_tokens;
};

} // namespace heartline::bench
