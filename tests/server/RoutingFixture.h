#pragma once

// An in-process server set up for routing tests: Twilio credentials and a public URL, agents with
// routing profiles, signed Twilio webhooks sent over real HTTP, and TwiML read back as documents.

#include <memory>

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrlQuery>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"
#include "twilio/FormParams.h"
#include "twilio/TwilioSignature.h"
#include "twilio/TwimlDocument.h"
#include "users/UserStore.h"

namespace heartline::test {

inline const QString TestAuthToken = QStringLiteral("test-auth-token");
inline const QString TestPublicUrl = QStringLiteral("https://heartline.example.com");

/// What the server answered a webhook with.
struct WebhookReply
{
    HttpReply http;
    TwimlDocument twiml;

    /// The identity of the Client the TwiML dials, or empty when it dials nobody.
    [[nodiscard]] QString dialedAgent() const
    {
        for (const TwimlVerb &verb : twiml.verbs) {
            if (verb.kind != TwimlVerb::Kind::Dial)
                continue;
            for (const TwimlNoun &noun : verb.nouns) {
                if (noun.name == QStringLiteral("Client"))
                    return noun.text.isEmpty() && !noun.children.isEmpty() ? noun.children.first().text : noun.text;
            }
        }
        return {};
    }
    /// The queue the TwiML puts the caller in, or empty.
    [[nodiscard]] QString enqueuedIn() const
    {
        for (const TwimlVerb &verb : twiml.verbs) {
            if (verb.kind == TwimlVerb::Kind::Enqueue)
                return verb.text;
        }
        return {};
    }
    [[nodiscard]] bool hangsUp() const
    {
        return !twiml.verbs.isEmpty() && twiml.verbs.last().kind == TwimlVerb::Kind::Hangup;
    }
};

class RoutingFixture
{
public:
    bool start(QHash<QString, QString> settings = {})
    {
        settings.insert(QStringLiteral("TWILIO_AUTH_TOKEN"), TestAuthToken);
        settings.insert(QStringLiteral("PUBLIC_BASE_URL"), TestPublicUrl);
        if (!settings.contains(QStringLiteral("COOLDOWN_SECONDS")))
            settings.insert(QStringLiteral("COOLDOWN_SECONDS"), QStringLiteral("10"));
        m_server = std::make_unique<InProcessServer>();
        return m_server->start(settings);
    }

    InProcessServer &server() { return *m_server; }
    AgentService &agents() { return *m_server->server().agents(); }
    AgentRecord &record(const QString &id) { return *m_server->server().agentRegistry()->find(id); }
    ManualClock &clock() { return m_server->clock(); }

    /// An agent user with an optional routing profile (written before the server first reads it).
    void addAgent(const QString &id, const QStringList &skills = {}, int priority = 0, int maxCalls = 1,
                  int maxNoAnswer = 3, int wrapUpSeconds = 15)
    {
        QVERIFY(m_server->server().users()->add(id, id.toUpper(), Role::Agent, id + QStringLiteral("-password")));
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fixture-writer"));
        {
            db.setDatabaseName(m_server->databasePath());
            QVERIFY(db.open());
            QSqlQuery query(db);
            query.prepare(
                QStringLiteral("INSERT INTO agent_profiles (agent_id, max_concurrent_calls, skills, priority, "
                               "wrap_up_seconds, max_no_answer) VALUES (?, ?, ?, ?, ?, ?)"));
            query.addBindValue(id);
            query.addBindValue(maxCalls);
            query.addBindValue(skills.isEmpty() ? QStringLiteral("") : skills.join(u',')); // NOT NULL column
            query.addBindValue(priority);
            query.addBindValue(wrapUpSeconds);
            query.addBindValue(maxNoAnswer);
            const bool written = query.exec();
            db.close();
            QVERIFY2(written, qPrintable(query.lastError().text()));
        }
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("fixture-writer"));
    }

    /// A seed-style HTTP heartbeat: session open, status as given, device connected, fresh.
    void heartbeat(const QString &id, AgentStatus status = AgentStatus::Available, bool deviceConnected = true)
    {
        HeartbeatInput input;
        input.status = status;
        input.deviceConnected = deviceConnected;
        QVERIFY(agents().heartbeat(id, input, HeartbeatTransport::Http));
    }

    /// POSTs a form to a webhook path (with query), signed as Twilio signs it (or as `signature` says).
    WebhookReply webhook(const QString &pathAndQuery, const FormParams &params,
                         const std::optional<QByteArray> &signature = std::nullopt)
    {
        const QByteArray sign = signature.value_or(
            TwilioSignature(TestAuthToken.toUtf8()).compute(QString(TestPublicUrl + pathAndQuery), params));
        HttpTestClient http(m_server->baseUrl());
        Headers headers;
        if (!sign.isEmpty())
            headers.append({"X-Twilio-Signature", sign});
        WebhookReply reply;
        reply.http = http.post(pathAndQuery, params.encode(), "application/x-www-form-urlencoded", headers);
        if (reply.http.status == 200) {
            auto parsed = parseTwiml(reply.http.body);
            if (parsed)
                reply.twiml = parsed.value();
            else
                qWarning() << "TwiML did not parse:" << parsed.error().message << reply.http.body;
        }
        return reply;
    }

    WebhookReply inbound(const QString &callSid, const QString &to = QStringLiteral("+15550100"),
                         const QString &from = QStringLiteral("+15559990000"))
    {
        return webhook(QStringLiteral("/twilio/voice/inbound"),
                       FormParams {{QStringLiteral("CallSid"), callSid},
                                   {QStringLiteral("AccountSid"), QStringLiteral("AC00000000000000000000000000000000")},
                                   {QStringLiteral("From"), from},
                                   {QStringLiteral("To"), to},
                                   {QStringLiteral("CallStatus"), QStringLiteral("ringing")},
                                   {QStringLiteral("Direction"), QStringLiteral("inbound")},
                                   {QStringLiteral("ApiVersion"), QStringLiteral("2010-04-01")}});
    }

    WebhookReply dialAction(const QString &callSid, const QString &agentId, const QString &dialStatus,
                            int durationSeconds = 0)
    {
        FormParams params {{QStringLiteral("CallSid"), callSid},
                           {QStringLiteral("DialCallStatus"), dialStatus},
                           {QStringLiteral("DialCallSid"), QStringLiteral("CAchild") + callSid.mid(2)}};
        if (durationSeconds > 0)
            params.append(QStringLiteral("DialCallDuration"), QString::number(durationSeconds));
        return webhook(QStringLiteral("/twilio/voice/dial-action?agent=") + agentId, params);
    }

    /// A status callback of the agent's leg of a call.
    HttpReply agentLegStatus(const QString &callSid, const QString &agentId, const QString &status, int sequence,
                             int durationSeconds = -1)
    {
        FormParams params {{QStringLiteral("CallSid"), QStringLiteral("CAleg") + callSid.mid(2)},
                           {QStringLiteral("ParentCallSid"), callSid},
                           {QStringLiteral("CallStatus"), status},
                           {QStringLiteral("SequenceNumber"), QString::number(sequence)},
                           {QStringLiteral("CallbackSource"), QStringLiteral("call-progress-events")}};
        if (durationSeconds >= 0)
            params.append(QStringLiteral("CallDuration"), QString::number(durationSeconds));
        return webhook(QStringLiteral("/twilio/voice/status?agent=") + agentId, params).http;
    }

    QVariant scalar(const QString &sql) { return TableReader(m_server->databasePath()).scalar(sql); }

private:
    std::unique_ptr<InProcessServer> m_server;
};

} // namespace heartline::test
