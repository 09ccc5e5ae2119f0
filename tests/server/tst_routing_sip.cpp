// Routing with SIP_DOMAIN set: the TwiML that rings an agent is <Dial><Sip> with the agent's SIP
// URI and the same status callbacks as the <Client> leg; the Dial action's DialSipResponseCode
// decides what an unanswered offer means: 404/480 (no registration at Twilio) takes the agent out of
// routing with a reason supervisors see until its app reports the voice line registered again, and
// 486/603 count as a decline.

#include <QJsonArray>
#include <QJsonDocument>

#include "RoutingFixture.h"
#include "twilio/SipUri.h"
#include "users/UserStore.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QString sid(int n)
{
    return u"CA%1"_s.arg(n, 32, 10, QLatin1Char('0'));
}

using Settings = QHash<QString, QString>;

Settings sipSettings(Settings extra = {})
{
    Settings settings {
        {u"TWILIO_ACCOUNT_SID"_s, u"AC00000000000000000000000000000000"_s},
        // Nothing listens there: the credential list cannot be resolved, which routing does not need.
        {u"TWILIO_API_BASE_URL"_s, u"http://127.0.0.1:9"_s},
        {u"RECONCILE_INTERVAL_SECONDS"_s, u"0"_s},
        {u"SIP_DOMAIN"_s, u"acme.sip.twilio.com"_s},
    };
    settings.insert(extra);
    return settings;
}

/// The one noun of the response's <Dial>.
const TwimlNoun *dialNoun(const WebhookReply &reply)
{
    for (const TwimlVerb &verb : reply.twiml.verbs) {
        if (verb.kind == TwimlVerb::Kind::Dial && verb.nouns.size() == 1)
            return &verb.nouns.first();
    }
    return nullptr;
}

/// The agent a <Dial><Sip> rings, read back from its URI; empty when it dials no SIP user.
QString dialedSipUser(const WebhookReply &reply)
{
    const TwimlNoun *noun = dialNoun(reply);
    if (!noun || noun->name != u"Sip"_s)
        return {};
    const auto address = sipuri::parseAddress(noun->text);
    return address ? address->user : QString();
}

} // namespace

class TestRoutingSip final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RoutingFixture> m_fixture;

    void startWith(const Settings &settings = sipSettings())
    {
        m_fixture = std::make_unique<RoutingFixture>();
        QVERIFY2(m_fixture->start(settings), qPrintable(m_fixture->server().error()));
    }

    /// A ready agent whose app reports its voice line registered, one second after the previous one.
    void readyWithVoice(const QString &id)
    {
        m_fixture->addAgent(id);
        reportVoice(id, true);
        m_fixture->clock().advanceSeconds(1);
    }

    void reportVoice(const QString &id, bool registered)
    {
        HeartbeatInput input;
        input.status = AgentStatus::Available;
        input.deviceConnected = true;
        input.devices = DeviceReport {true, true, registered, std::nullopt, std::nullopt};
        QVERIFY(m_fixture->agents().heartbeat(id, input, HeartbeatTransport::Http));
    }

    WebhookReply dialAction(const QString &callSid, const QString &agentId, const QString &dialStatus,
                            const QString &sipCode)
    {
        return m_fixture->webhook(u"/twilio/voice/dial-action?agent="_s + agentId,
                                  FormParams {{u"CallSid"_s, callSid},
                                              {u"DialCallStatus"_s, dialStatus},
                                              {u"DialCallSid"_s, u"CAleg"_s + callSid.mid(6)},
                                              {u"DialCallDuration"_s, u"0"_s},
                                              {u"DialSipCallId"_s, u"a84b4c76e66710@pc33.example"_s},
                                              {u"DialSipResponseCode"_s, sipCode}});
    }

    /// What a supervisor reads about the agent over HTTP.
    QJsonObject readinessSeenBySupervisor(const QString &agentId)
    {
        UserStore &users = *m_fixture->server().server().users();
        if (!users.credentials(u"sam"_s).value())
            if (!users.add(u"sam"_s, u"Sam"_s, Role::Supervisor, u"sam-password"_s))
                qWarning() << "cannot add the supervisor";
        HttpTestClient http(m_fixture->server().baseUrl());
        const QByteArray token
            = http.postJson(u"/api/auth/login"_s,
                            QJsonObject {{u"userId"_s, u"sam"_s}, {u"password"_s, u"sam-password"_s}})
                  .json()
                  .value(u"token"_s)
                  .toString()
                  .toLatin1();
        http.setBearerToken(token);
        return http.get(u"/api/agents/%1/readiness"_s.arg(agentId)).json();
    }

    static QStringList gates(const QJsonObject &readiness)
    {
        QStringList codes;
        for (const QJsonValue &gate : readiness.value(u"failedGates"_s).toArray())
            codes.append(gate.toObject().value(u"gate"_s).toString());
        return codes;
    }

private Q_SLOTS:
    void cleanup() { m_fixture.reset(); }

    void theAgentIsDialedAtItsSipUri_data()
    {
        QTest::addColumn<Settings>("settings");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QStringList>("parameters");
        QTest::newRow("defaults: TLS and secure media")
            << sipSettings() << u"acme.sip.twilio.com"_s << QStringList {u"transport=tls"_s, u"secure=true"_s};
        QTest::newRow("TCP, no SRTP") << sipSettings(
            {{u"SIP_TRANSPORT"_s, u"tcp"_s}, {u"SIP_SECURE_MEDIA"_s, u"false"_s}})
                                      << u"acme.sip.twilio.com"_s << QStringList {u"transport=tcp"_s};
        QTest::newRow("the stand-in's domain")
            << sipSettings({{u"SIP_DOMAIN"_s, u"heartline.test"_s}, {u"SIP_EDGE_HOST"_s, u"127.0.0.1:5061"_s}})
            << u"heartline.test"_s << QStringList {u"transport=tls"_s, u"secure=true"_s};
    }
    void theAgentIsDialedAtItsSipUri()
    {
        QFETCH(Settings, settings);
        QFETCH(QString, host);
        QFETCH(QStringList, parameters);
        startWith(settings);
        readyWithVoice(u"alice"_s);
        const WebhookReply reply = m_fixture->inbound(sid(1));
        QCOMPARE(reply.http.status, 200);
        QCOMPARE(reply.twiml.verbs.size(), 1);
        const TwimlVerb &dial = reply.twiml.verbs.first();
        QCOMPARE(dial.kind, TwimlVerb::Kind::Dial);
        QCOMPARE(dial.attribute(u"timeout"_s), u"20"_s);
        QCOMPARE(dial.attribute(u"action"_s), TestPublicUrl + u"/twilio/voice/dial-action?agent=alice"_s);
        QCOMPARE(dial.attribute(u"method"_s), u"POST"_s);

        // One <Sip>, nothing beside it (Twilio's rule), with the callbacks the <Client> leg has.
        QCOMPARE(dial.nouns.size(), 1);
        const TwimlNoun &sip = dial.nouns.first();
        QCOMPARE(sip.name, u"Sip"_s);
        QCOMPARE(sip.attribute(u"statusCallback"_s), TestPublicUrl + u"/twilio/voice/status?agent=alice"_s);
        QCOMPARE(sip.attribute(u"statusCallbackEvent"_s).split(u' '),
                 (QStringList {u"initiated"_s, u"ringing"_s, u"answered"_s, u"completed"_s}));
        QCOMPARE(sip.attribute(u"statusCallbackMethod"_s), u"POST"_s);
        QVERIFY(!sip.attributes.contains(u"username"_s)); // no credentials ever travel in TwiML
        QVERIFY(!sip.attributes.contains(u"password"_s));

        // sip:alice@HOST;PARAMS: the global domain, with transport and secure media as configured.
        const auto address = sipuri::parseAddress(sip.text);
        QVERIFY2(address, qPrintable(sip.text));
        QCOMPARE(address->user, u"alice"_s);
        QCOMPARE(address->host, host);
        QVERIFY(sip.text.startsWith(u"sip:"_s));
        QCOMPARE(sipuri::withoutHeaders(sip.text).section(u';', 1), parameters.join(u';'));
        // The caller's CallSid rides along as a URI header: Twilio copies it into the INVITE, and
        // the agent app matches the ringing call to the offer the server sent it.
        QCOMPARE(sipuri::uriHeaders(sip.text), (sipuri::UriHeaders {{u"x-heartline-parent-callsid"_s, sid(1)}}));
        QCOMPARE(toString(m_fixture->record(u"alice"_s).activity), u"ringing"_s);
    }

    void withoutSipDomainTheClientIsDialed()
    {
        startWith({});
        readyWithVoice(u"alice"_s);
        const WebhookReply reply = m_fixture->inbound(sid(1));
        const TwimlNoun *noun = dialNoun(reply);
        QVERIFY(noun);
        QCOMPARE(noun->name, u"Client"_s);
        QCOMPARE(noun->text, u"alice"_s);
    }

    void anAppThatIsAVoiceSdkClientIsDialedAsOne()
    {
        // A floor moving over to softphones, or the stand-in's simulated agents beside a real one.
        startWith();
        m_fixture->addAgent(u"alice"_s);
        HeartbeatInput input;
        input.status = AgentStatus::Available;
        input.deviceConnected = true;
        input.devices = DeviceReport {true, true, true, std::nullopt, std::nullopt};
        input.deviceDetails = DeviceDetails {{}, {}, {}, std::nullopt, VoiceLine::Client};
        QVERIFY(m_fixture->agents().heartbeat(u"alice"_s, input, HeartbeatTransport::Http));
        const TwimlNoun *client = dialNoun(m_fixture->inbound(sid(1)));
        QVERIFY(client);
        QCOMPARE(client->name, u"Client"_s);
        QCOMPARE(client->text, u"alice"_s);
    }

    void notRegisteredTakesTheAgentOutUntilItRegistersAgain_data()
    {
        QTest::addColumn<QString>("dialStatus");
        QTest::addColumn<QString>("sipCode");
        QTest::newRow("480 Temporarily Unavailable") << u"failed"_s << u"480"_s;
        QTest::newRow("404 Not Found") << u"failed"_s << u"404"_s;
        QTest::newRow("480 reported as no-answer") << u"no-answer"_s << u"480"_s;
    }
    void notRegisteredTakesTheAgentOutUntilItRegistersAgain()
    {
        QFETCH(QString, dialStatus);
        QFETCH(QString, sipCode);
        startWith();
        readyWithVoice(u"a"_s);
        readyWithVoice(u"b"_s);
        QCOMPARE(dialedSipUser(m_fixture->inbound(sid(1))), u"a"_s);

        // Twilio found no registration for a: the caller goes on to b at once.
        const WebhookReply next = dialAction(sid(1), u"a"_s, dialStatus, sipCode);
        QCOMPARE(next.http.status, 200);
        QCOMPARE(dialedSipUser(next), u"b"_s);

        // a is not offerable, and supervisors see why; it is not blamed as for a missed call.
        const QString reason = u"voice line not registered at Twilio (SIP %1)"_s.arg(sipCode);
        QJsonObject seen = readinessSeenBySupervisor(u"a"_s);
        QCOMPARE(seen.value(u"ready"_s).toBool(), false);
        QCOMPARE(gates(seen), QStringList {u"voice_unreachable"_s});
        QVERIFY2(seen.value(u"reasons"_s).toArray().contains(reason), QJsonDocument(seen).toJson().constData());
        const AgentRecord &a = m_fixture->record(u"a"_s);
        QCOMPARE(a.noAnswerStreak, 0);
        QCOMPARE(a.snapshot.recentOffers, 0);
        QCOMPARE(a.snapshot.cooldownUntilMs, 0);
        QCOMPARE(toString(a.snapshot.status), u"available"_s);
        QCOMPARE(m_fixture
                     ->scalar(u"SELECT detail FROM connectivity_issues WHERE agent_id = 'a' AND kind = "
                              "'voice_unregistered' AND closed_at IS NULL"_s)
                     .toString(),
                 reason);

        // b answers and hangs up; the next caller would go to a only once its voice line is back.
        m_fixture->dialAction(sid(1), u"b"_s, u"completed"_s, 30);
        m_fixture->clock().advanceSeconds(60);
        m_fixture->agents().runDueWork();
        reportVoice(u"b"_s, true); // b's routine heartbeat
        reportVoice(u"a"_s, true); // the same "registered" a's app has said all along: Twilio knows better
        QCOMPARE(gates(readinessSeenBySupervisor(u"a"_s)), QStringList {u"voice_unreachable"_s});
        QCOMPARE(dialedSipUser(m_fixture->inbound(sid(2))), u"b"_s);
        m_fixture->dialAction(sid(2), u"b"_s, u"completed"_s, 30);

        // a's app loses and regains its registration: offerable again.
        reportVoice(u"a"_s, false);
        QCOMPARE(gates(readinessSeenBySupervisor(u"a"_s)),
                 (QStringList {u"voice_not_registered"_s, u"voice_unreachable"_s}));
        reportVoice(u"a"_s, true);
        seen = readinessSeenBySupervisor(u"a"_s);
        QCOMPARE(gates(seen), QStringList {});
        QCOMPARE(seen.value(u"ready"_s).toBool(), true);
        QVERIFY(m_fixture
                    ->scalar(u"SELECT closed_at FROM connectivity_issues WHERE agent_id = 'a' AND kind = "
                             "'voice_unregistered'"_s)
                    .isValid());
        QCOMPARE(dialedSipUser(m_fixture->inbound(sid(3))), u"a"_s);
    }

    void aNewSessionClearsTheVerdict()
    {
        startWith();
        readyWithVoice(u"a"_s);
        QCOMPARE(dialedSipUser(m_fixture->inbound(sid(1))), u"a"_s);
        dialAction(sid(1), u"a"_s, u"failed"_s, u"480"_s);
        QVERIFY(!m_fixture->record(u"a"_s).snapshot.voiceUnreachable.isEmpty());
        // Logging out and in again registers the line afresh (with a new password).
        QVERIFY(!m_fixture->agents().closeSession(u"a"_s, StatusChangeSource::Agent, u"logout"_s));
        reportVoice(u"a"_s, true);
        QCOMPARE(m_fixture->record(u"a"_s).snapshot.voiceUnreachable, QString());
        QVERIFY(m_fixture->record(u"a"_s).readiness.ready);
    }

    void aRepeatedDialActionDoesNotUndoARegistration()
    {
        startWith();
        readyWithVoice(u"a"_s);
        QCOMPARE(dialedSipUser(m_fixture->inbound(sid(1))), u"a"_s);
        dialAction(sid(1), u"a"_s, u"failed"_s, u"480"_s);
        reportVoice(u"a"_s, false);
        reportVoice(u"a"_s, true);
        QVERIFY(m_fixture->record(u"a"_s).readiness.ready);
        // Twilio retries the same Dial action: the offer it settles is long over.
        QCOMPARE(dialAction(sid(1), u"a"_s, u"failed"_s, u"480"_s).http.status, 200);
        QVERIFY(m_fixture->agents().agent(u"a"_s)->readiness.ready);
    }

    void busyOrDeclineIsADecline_data()
    {
        QTest::addColumn<QString>("dialStatus");
        QTest::addColumn<QString>("sipCode");
        QTest::newRow("486 Busy Here") << u"busy"_s << u"486"_s;
        QTest::newRow("603 Decline") << u"failed"_s << u"603"_s;
        QTest::newRow("603 reported as no-answer") << u"no-answer"_s << u"603"_s;
    }
    void busyOrDeclineIsADecline()
    {
        QFETCH(QString, dialStatus);
        QFETCH(QString, sipCode);
        startWith();
        readyWithVoice(u"a"_s);
        readyWithVoice(u"b"_s);
        QCOMPARE(dialedSipUser(m_fixture->inbound(sid(1))), u"a"_s);
        const WebhookReply next = dialAction(sid(1), u"a"_s, dialStatus, sipCode);
        QCOMPARE(next.http.status, 200);
        QCOMPARE(dialedSipUser(next), u"b"_s);
        // As a declined <Client> call today: cooldown, a missed offer, the streak towards "away".
        const AgentRecord &a = m_fixture->record(u"a"_s);
        QCOMPARE(toString(a.activity), u"cooldown"_s);
        QCOMPARE(a.noAnswerStreak, 1);
        QCOMPARE(a.snapshot.recentOffers, 1);
        QCOMPARE(a.snapshot.recentAnswers, 0);
        QCOMPARE(a.snapshot.voiceUnreachable, QString());
        m_fixture->clock().advanceSeconds(11);
        m_fixture->agents().runDueWork();
        QVERIFY(m_fixture->agents().agent(u"a"_s)->readiness.ready);
    }

    void answeredSipCallsGoThroughWrapUp()
    {
        startWith();
        readyWithVoice(u"a"_s);
        QCOMPARE(dialedSipUser(m_fixture->inbound(sid(1))), u"a"_s);
        // The <Sip> leg's callbacks, as for a <Client> leg.
        QCOMPARE(m_fixture->agentLegStatus(sid(1), u"a"_s, u"in-progress"_s, 2).status, 204);
        QCOMPARE(toString(m_fixture->record(u"a"_s).activity), u"on-call"_s);
        m_fixture->clock().advanceSeconds(42);
        const WebhookReply done = dialAction(sid(1), u"a"_s, u"completed"_s, u"200"_s);
        QVERIFY(done.hangsUp());
        QCOMPARE(toString(m_fixture->record(u"a"_s).activity), u"wrap-up"_s);
        QCOMPARE(m_fixture->record(u"a"_s).callsToday, 1);
    }
};

QTEST_GUILESS_MAIN(TestRoutingSip)
#include "tst_routing_sip.moc"
