// The real heartline-server with SIP_DOMAIN set and the real heartline-twilio-sim playing Twilio's
// SIP side (--sip-domain, TLS), both as processes: agents log in, their softphones (SipPeers in
// this process) register over TLS with the SIP password the login handed out, and the server's
// <Dial><Sip> rings them for real, SRTP media included. A decline (486) moves the caller on to the
// next agent; an agent whose softphone is not registered (480) is skipped at once and shown to
// supervisors as voice_unreachable.
//
// Processes rather than the in-process fixture: the binaries' own SIP options (--sip-domain with TLS,
// SIP_DOMAIN and SIP_EDGE_HOST) are what is run, the phones get their passwords as the app does, from
// the login answer; and this program, which links liblinphone, holds none of the server's code.

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include "SipPeer.h"
#include "StandInProcess.h"
#include "WebSocketTestClient.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

const QString Domain = SipFloor::Domain;
const QString AccountSid = u"AC"_s + QString(32, u'5');
const QString AuthToken = u"sip0e2e0auth0token0sip0e2e0auth0"_s;

} // namespace

class TestE2eSipDial final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    SipFloor m_floor {AccountSid, AuthToken, QStringLiteral(HEARTLINE_CALLER_WAV)};
    std::map<QString, std::unique_ptr<WebSocketTestClient>> m_apps;
    std::map<QString, std::unique_ptr<SipPeer>> m_phones;

    /// The agent logs in (which sets a new SIP password at Twilio) and says it is available with
    /// its devices; with `softphone`, its SIP phone registers with that password over TLS.
    void signIn(const QString &id, bool softphone)
    {
        const QJsonObject answer = m_floor.login(id);
        const QByteArray token = answer.value(u"token"_s).toString().toLatin1();
        QVERIFY2(!token.isEmpty(), QJsonDocument(answer).toJson().constData());
        const QJsonObject sip = answer.value(u"sip"_s).toObject();
        QCOMPARE(sip.value(u"domain"_s).toString(), Domain);

        if (softphone) {
            auto phone = std::make_unique<SipPeer>(id);
            SipCoreConfig config = phone->config(voiceFile(QStringLiteral(HEARTLINE_AGENT_WAV), phone->folder(), 440));
            config.udpPort = std::nullopt;
            config.tlsPort = 0;
            config.tlsCaFile = m_floor.certificates().caFile;
            config.srtp = true;
            config.srtpMandatory = true;
            config.incomingHeaderNames = {u"X-Twilio-CallSid"_s, u"X-Heartline-Parent-CallSid"_s};
            QVERIFY2(phone->start(config), qPrintable(phone->errors.join(u'\n')));
            SipAccount account;
            account.username = sip.value(u"username"_s).toString();
            account.password = sip.value(u"password"_s).toString();
            account.domain = Domain;
            account.proxy = u"sip:"_s + sip.value(u"registrar"_s).toString();
            account.transport = SipTransport::Tls;
            const SipRegistration registration = phone->registerAccount(account);
            QVERIFY2(registration.state == SipRegistrationState::Registered, qPrintable(registration.reason));
            m_phones[id] = std::move(phone);
        }

        auto app = std::make_unique<WebSocketTestClient>();
        QVERIFY(app->open(m_floor.serverUrl(), u"/ws/agent"_s, token));
        QVERIFY(!app->nextOfType(u"welcome"_s).isEmpty());
        // What the agent app reports: every agent here believes its voice line is up.
        app->sendJson(
            {{u"type"_s, u"heartbeat"_s},
             {u"currentStatus"_s, u"available"_s},
             {u"deviceConnected"_s, true},
             {u"devices"_s,
              QJsonObject {{u"audioInput"_s, true}, {u"audioOutput"_s, true}, {u"voiceRegistered"_s, true}}}});
        QVERIFY(!app->nextOfType(u"ack"_s).isEmpty());
        app->sendJson({{u"type"_s, u"setStatus"_s}, {u"status"_s, u"available"_s}});
        QVERIFY(!app->nextOfType(u"ack"_s).isEmpty());
        m_apps[id] = std::move(app);
        QTRY_VERIFY_WITH_TIMEOUT(readiness(id).value(u"ready"_s).toBool(), SipWaitMs);
    }

    /// The agent's readiness as a supervisor sees it.
    QJsonObject readiness(const QString &id) { return m_floor.agent(id)[u"readiness"_s].toObject(); }
    QJsonObject call(const QString &sid) { return m_floor.call(sid); }
    bool hasEvent(const QString &sid, const QString &fragment) { return m_floor.callHasEvent(sid, fragment); }

    SipPeer &phone(const QString &id) { return *m_phones.at(id); }

    /// The agent whose phone rang for the caller's call, once `rungBefore` rings in all came
    /// before it; empty when none did.
    QString nextRung(const QString &callSid, qsizetype rungBefore)
    {
        QString rung;
        const bool rang = QTest::qWaitFor(
            [&] {
                qsizetype total = 0;
                rung.clear();
                for (const auto &[id, peer] : m_phones) {
                    total += peer->incoming.size();
                    if (!peer->incoming.isEmpty()
                        && peer->incoming.last().headers.value(u"X-Heartline-Parent-CallSid"_s) == callSid)
                        rung = id;
                }
                return total > rungBefore && !rung.isEmpty();
            },
            SipWaitMs);
        return rang ? rung : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        const QString problem = m_floor.prepare();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void init()
    {
        // No heartbeats needed from the test's apps while they wait.
        const QString problem
            = m_floor.start({u"alice"_s, u"bob"_s, u"carol"_s}, {{u"AGENT_HEARTBEAT_INTERVAL"_s, u"3600"_s}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void cleanup()
    {
        m_phones.clear();
        m_apps.clear();
        m_floor.stop();
    }

    void aDeclineRingsTheNextAgent()
    {
        signIn(u"alice"_s, true);
        signIn(u"bob"_s, true);
        const QString caller = m_floor.placeCall();
        QVERIFY(caller.startsWith(u"CA"_s));

        const QString first = nextRung(caller, 0);
        QVERIFY2(!first.isEmpty(), qPrintable(m_floor.sim().output().right(3000)));
        const SipCallInfo firstRing = phone(first).incoming.last();
        const QString firstLeg = firstRing.headers.value(u"X-Twilio-CallSid"_s);
        QCOMPARE(call(firstLeg).value(u"parent_call_sid"_s).toString(), caller);
        phone(first).core.decline(firstRing.callId);

        // 486 → DialCallStatus=busy: the server dials the other agent for the same caller.
        const QString second = nextRung(caller, 1);
        QVERIFY2(!second.isEmpty(), qPrintable(m_floor.sim().output().right(3000)));
        QVERIFY(second != first);
        QCOMPARE(call(firstLeg).value(u"status"_s).toString(), u"busy"_s);
        QVERIFY(hasEvent(caller, u"DialCallStatus=busy"_s));

        const SipCallInfo secondRing = phone(second).incoming.last();
        phone(second).core.accept(secondRing.callId);
        QVERIFY(phone(second).waitState(secondRing.callId, SipCallState::Connected));
        QTRY_COMPARE_WITH_TIMEOUT(call(caller).value(u"status"_s).toString(), u"in-progress"_s, SipWaitMs);
        // Secure media, as the server's URI asks (secure=true).
        const std::optional<SipCallStats> stats
            = phone(second).waitStats(secondRing.callId, [](const SipCallStats &figures) { return figures.srtp; });
        QVERIFY(stats && stats->srtp);

        phone(second).core.hangup(secondRing.callId);
        QVERIFY(phone(second).waitEnd(secondRing.callId));
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(caller, u"DialCallStatus=completed"_s), SipWaitMs);
    }

    void anUnregisteredAgentIsSkippedAsVoiceUnreachable()
    {
        // carol's app says her voice line is up, but her softphone never registered. She has been
        // idle longest, so she is offered the call first.
        signIn(u"carol"_s, false);
        signIn(u"bob"_s, true);
        const QString caller = m_floor.placeCall();

        // Kamailio answers 480 at once: bob rings without waiting for carol's Dial timeout.
        QCOMPARE(nextRung(caller, 0), u"bob"_s);
        QVERIFY(hasEvent(caller, u"to sip:carol@heartline.test"_s));
        QVERIFY(hasEvent(caller, u"DialCallStatus=failed"_s));
        const QJsonObject carol = readiness(u"carol"_s);
        QCOMPARE(carol.value(u"ready"_s).toBool(), false);
        const QJsonArray gates = carol.value(u"failedGates"_s).toArray();
        QCOMPARE(gates.size(), 1);
        QCOMPARE(gates.first()[u"gate"_s].toString(), u"voice_unreachable"_s);
        QVERIFY2(gates.first()[u"reason"_s].toString().contains(u"SIP 480"_s),
                 QJsonDocument(carol).toJson().constData());

        const SipCallInfo ring = phone(u"bob"_s).incoming.last();
        phone(u"bob"_s).core.accept(ring.callId);
        QVERIFY(phone(u"bob"_s).waitState(ring.callId, SipCallState::Connected));
        phone(u"bob"_s).core.hangup(ring.callId);
        QVERIFY(phone(u"bob"_s).waitEnd(ring.callId));
    }
};

QTEST_GUILESS_MAIN(TestE2eSipDial)
#include "tst_e2e_sip_dial.moc"
