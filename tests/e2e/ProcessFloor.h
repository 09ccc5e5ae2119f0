#pragma once

// What the tests that run the real heartline-server and heartline-twilio-sim processes share: the
// admin CLI on the test's database, an agent's login, its voice client at the stand-in and its
// app's first heartbeat, and the stand-in's queues.

#include <memory>
#include <optional>

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTest>

#include "HttpTestClient.h"
#include "ServerProcess.h"
#include "WebSocketTestClient.h"

namespace heartline::test {

/// The environment both processes start with: the Twilio account, the routing file (written to
/// `routingPath` from `routingJson`), and fast password hashing. Empty when the file cannot be written.
inline std::optional<QProcessEnvironment> floorEnvironment(const QString &routingPath, const QByteArray &routingJson,
                                                           const QString &accountSid, const QString &authToken)
{
    QFile file(routingPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(routingJson) != routingJson.size())
        return std::nullopt;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TWILIO_ACCOUNT_SID"), accountSid);
    environment.insert(QStringLiteral("TWILIO_AUTH_TOKEN"), authToken);
    environment.insert(QStringLiteral("ROUTING_FILE"), routingPath);
    environment.insert(QStringLiteral("PASSWORD_ITERATIONS"), QStringLiteral("1000"));
    return environment;
}

/// `heartline-server --db DATABASE ARGUMENTS…` (user add, agent set…); false, with its error
/// printed, when it fails.
inline bool runAdminCli(const QString &databasePath, const QStringList &arguments, const QByteArray &input,
                        const QProcessEnvironment &environment)
{
    const ProcessResult result = runProcess(
        ServerProcess::binary(), QStringList {QStringLiteral("--db"), databasePath} + arguments, input, environment);
    if (result.exitCode != 0)
        qWarning() << arguments << result.standardError;
    return result.exitCode == 0;
}

/// The agent's Voice SDK client, registered at the stand-in; nullptr when it could not register.
inline std::unique_ptr<WebSocketTestClient> registeredVoiceClient(const QUrl &simUrl, const QString &id)
{
    auto voice = std::make_unique<WebSocketTestClient>();
    if (!voice->open(simUrl, QStringLiteral("/voice")))
        return nullptr;
    voice->sendJson({{QStringLiteral("type"), QStringLiteral("register")}, {QStringLiteral("identity"), id}});
    if (voice->nextOfType(QStringLiteral("registered")).isEmpty())
        return nullptr;
    return voice;
}

/// The heartbeat an agent app sends on connecting: available, headset and voice line present.
inline void sendAvailableHeartbeat(WebSocketTestClient &app)
{
    app.sendJson({{QStringLiteral("type"), QStringLiteral("heartbeat")},
                  {QStringLiteral("currentStatus"), QStringLiteral("available")},
                  {QStringLiteral("deviceConnected"), true},
                  {QStringLiteral("devices"),
                   QJsonObject {{QStringLiteral("audioInput"), true},
                                {QStringLiteral("audioOutput"), true},
                                {QStringLiteral("voiceRegistered"), true}}}});
}

/// How long `callSid` has waited in one of the stand-in's queues, in seconds; nothing when it is in none.
inline std::optional<int> waitInTwilioQueue(HttpTestClient &control, const QString &callSid)
{
    const QJsonArray queues
        = control.get(QStringLiteral("/control/queues")).json().value(QStringLiteral("queues")).toArray();
    for (const QJsonValue &queue : queues) {
        for (const QJsonValue &member : queue[QStringLiteral("members")].toArray()) {
            if (member[QStringLiteral("callSid")].toString() == callSid)
                return member[QStringLiteral("waitTime")].toInt();
        }
    }
    return std::nullopt;
}

} // namespace heartline::test
