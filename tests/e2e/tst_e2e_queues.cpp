// Callers waiting for an agent, through the Twilio stand-in and the real server: queued when every
// agent is busy, told their position, handed to the first agent who becomes ready (in arrival
// order), counted when they hang up, time out or find the queue full, and kept across a restart.

#include <tuple>

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

#include "EndToEndFixture.h"
#include "queues/QueueService.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestEndToEndQueues final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EndToEndFixture> m_e2e;
    QTemporaryDir m_dir;

    [[nodiscard]] bool startWithQueue(const QByteArray &queueJson = R"({"name":"support"})")
    {
        const QString path = m_dir.filePath(u"routing.json"_s);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        file.write(R"({"queues":[)" + queueJson + "]}");
        file.close();
        m_e2e = std::make_unique<EndToEndFixture>();
        return m_e2e->start({{u"ROUTING_FILE"_s, path}});
    }

    /// Agents logged in but away: nobody can take a call until they come back.
    void awayAgents(const QStringList &ids)
    {
        for (const QString &id : ids) {
            m_e2e->connectAgent(id);
            m_e2e->setStatus(id, u"away"_s);
        }
    }

    QueueService &queues() { return *m_e2e->server().queues(); }

    /// The sim's log of what the caller heard (Say texts), in order.
    QStringList heard(const QString &callSid)
    {
        QStringList out;
        for (const CallEvent &event : m_e2e->engine().findCall(callSid)->events) {
            if (event.detail.contains(u"Say"_s))
                out.append(event.detail);
        }
        return out;
    }

private Q_SLOTS:
    void cleanup() { m_e2e.reset(); }

    void callersAreQueuedAndToldTheirPosition()
    {
        QVERIFY(startWithQueue());
        m_e2e->connectAgent(u"alice"_s);
        const QString first = m_e2e->placeCall();
        const QJsonObject ring = m_e2e->incoming(u"alice"_s);
        m_e2e->accept(u"alice"_s, ring.value(u"callSid"_s).toString());
        QTRY_COMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"on-call"_s);

        // Everyone is busy: the next three callers wait, each told where they are.
        QStringList waiting;
        for (int i = 0; i < 3; ++i)
            waiting.append(m_e2e->placeCall(u"+1555000000%1"_s.arg(i)));
        QVERIFY(m_e2e->advance(500));
        QCOMPARE(queues().statistics(u"support"_s).waiting, 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(m_e2e->callStatus(waiting[i]), u"in-progress"_s);
            QVERIFY2(heard(waiting[i]).join(u'\n').contains(u"You are caller number %1."_s.arg(i + 1)),
                     qPrintable(heard(waiting[i]).join(u'\n')));
        }
        TableReader tables(m_e2e->process().databasePath());
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM queue_members WHERE state = 'waiting'"_s).toInt(), 3);
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM routing_decisions WHERE path = 'queued'"_s).toInt(), 3);
        Q_UNUSED(first);
    }

    void aReadyAgentGetsTheFrontCallerAtOnce()
    {
        QVERIFY(startWithQueue());
        awayAgents({u"alice"_s});
        const QString front = m_e2e->placeCall();
        const QString second = m_e2e->placeCall();
        QVERIFY(m_e2e->advance(5'000));
        QCOMPARE(queues().statistics(u"support"_s).waiting, 2);

        // Alice comes back: the longest waiter rings at her voice client with no time passing.
        const qint64 readyAt = m_e2e->clock().nowMs();
        m_e2e->setStatus(u"alice"_s, u"available"_s);
        const QJsonObject ring = m_e2e->incoming(u"alice"_s);
        QCOMPARE(ring.value(u"parentCallSid"_s).toString(), front);
        QVERIFY(m_e2e->clock().nowMs() - readyAt < 1000);
        m_e2e->accept(u"alice"_s, ring.value(u"callSid"_s).toString());
        QTRY_COMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"on-call"_s);
        QVERIFY(m_e2e->settle());
        QCOMPARE(queues().statistics(u"support"_s).waiting, 1);
        QCOMPARE(queues().statistics(u"support"_s).served, 1);
        TableReader tables(m_e2e->process().databasePath());
        QCOMPARE(tables.scalar(u"SELECT state || ':' || agent_id FROM queue_members WHERE call_sid = '%1'"_s.arg(front))
                     .toString(),
                 u"dequeued:alice"_s);
        QCOMPARE(tables.scalar(u"SELECT state FROM queue_members WHERE call_sid = '%1'"_s.arg(second)).toString(),
                 u"waiting"_s);
    }

    void theAgentIsRecordedWhenTwilioSaysRedirectedBeforeItsRestAnswer()
    {
        QVERIFY(startWithQueue());
        awayAgents({u"alice"_s});
        const QString caller = m_e2e->placeCall();
        QVERIFY(m_e2e->advance(5'000));
        // A slow REST API: the Enqueue action (QueueResult=redirected) and the bridge URL reach the
        // server before the answer to its dequeue does.
        m_e2e->sim().setRestDelayMs(2'000);
        m_e2e->setStatus(u"alice"_s, u"available"_s);
        const QJsonObject ring = m_e2e->incoming(u"alice"_s);
        QCOMPARE(ring.value(u"parentCallSid"_s).toString(), caller);
        QCOMPARE(queues().statistics(u"support"_s).waiting, 0);
        const QString row = u"SELECT state || ':' || coalesce(agent_id, 'nobody') FROM queue_members WHERE call_sid = "
                            "'%1'"_s.arg(caller);
        QCOMPARE(TableReader(m_e2e->process().databasePath()).scalar(row).toString(), u"dequeued:alice"_s);
        // The late answer changes nothing: one stay, one served caller, alice still ringing for it.
        QVERIFY(m_e2e->advance(2'000));
        QCOMPARE(TableReader(m_e2e->process().databasePath()).scalar(row).toString(), u"dequeued:alice"_s);
        QCOMPARE(queues().statistics(u"support"_s).served, 1);
        QCOMPARE(m_e2e->agent(u"alice"_s).reservedCallSid, caller);
    }

    void returningAgentsTakeCallersInArrivalOrder()
    {
        QVERIFY(startWithQueue());
        awayAgents({u"alice"_s, u"bob"_s, u"carol"_s});
        QStringList callers;
        for (int i = 0; i < 3; ++i) {
            callers.append(m_e2e->placeCall());
            QVERIFY(m_e2e->advance(1'000));
        }
        QStringList order;
        for (const QString &agent : {u"bob"_s, u"carol"_s, u"alice"_s}) {
            m_e2e->setStatus(agent, u"available"_s);
            order.append(m_e2e->incoming(agent).value(u"parentCallSid"_s).toString());
        }
        QCOMPARE(order, callers);
    }

    void aCallerWhoHangsUpIsCountedAsAbandoned()
    {
        QVERIFY(startWithQueue());
        awayAgents({u"alice"_s});
        const QString leaver = m_e2e->placeCall();
        const QString stayer = m_e2e->placeCall();
        QVERIFY(m_e2e->advance(20'000));
        QVERIFY(m_e2e->engine().hangup(leaver));
        QVERIFY(m_e2e->settle());
        QCOMPARE(queues().statistics(u"support"_s).abandoned, 1);
        QCOMPARE(queues().statistics(u"support"_s).waiting, 1);
        TableReader tables(m_e2e->process().databasePath());
        QCOMPARE(
            tables
                .scalar(
                    u"SELECT state || ':' || (wait_ms >= 20000) FROM queue_members WHERE call_sid = '%1'"_s.arg(leaver))
                .toString(),
            u"abandoned:1"_s);
        // The one who stayed is next.
        m_e2e->setStatus(u"alice"_s, u"available"_s);
        QCOMPARE(m_e2e->incoming(u"alice"_s).value(u"parentCallSid"_s).toString(), stayer);
    }

    void theMaximumWaitEndsPolitely()
    {
        QVERIFY(startWithQueue(R"({"name":"support","maxWaitSeconds":30,"announceSeconds":10})"));
        awayAgents({u"alice"_s});
        const QString caller = m_e2e->placeCall();
        // Waiting ends at 30 s, then the goodbye is said: well within 45 s of simulated time.
        for (int i = 0; i < 9 && m_e2e->callStatus(caller) != u"completed"; ++i)
            QVERIFY(m_e2e->advance(5'000));
        QCOMPARE(m_e2e->callStatus(caller), u"completed"_s);
        QVERIFY2(heard(caller).join(u'\n').contains(u"could not reach an agent"_s),
                 qPrintable(heard(caller).join(u'\n')));
        QCOMPARE(queues().statistics(u"support"_s).timedOut, 1);
        QCOMPARE(queues().statistics(u"support"_s).waiting, 0);
        // Announced more than once while waiting (every 10 s).
        QVERIFY(heard(caller).join(u'\n').count(u"You are caller number 1."_s) >= 2);
    }

    void afterTheMaximumWaitACallerCanLeaveAMessage()
    {
        QVERIFY(startWithQueue(R"({"name":"support","maxWaitSeconds":20,"voicemail":true})"));
        awayAgents({u"alice"_s});
        const QString caller = m_e2e->placeCall(u"+15559876543"_s);
        for (int i = 0; i < 12 && m_e2e->callStatus(caller) != u"completed"; ++i)
            QVERIFY(m_e2e->advance(5'000));
        QCOMPARE(m_e2e->callStatus(caller), u"completed"_s);
        QVERIFY(m_e2e->hasEvent(caller, u"<Record> recorded 8 s"_s));
        QVERIFY(heard(caller).join(u'\n').contains(u"Your message has been recorded"_s));
        QCOMPARE(queues().statistics(u"support"_s).timedOut, 1);

        QVERIFY(m_e2e->process().server().users()->add(u"sam"_s, u"Sam"_s, Role::Supervisor, u"sam-password"_s));
        HttpTestClient http(m_e2e->process().baseUrl());
        http.setBearerToken(
            http.postJson(u"/api/auth/login"_s, {{u"userId"_s, u"sam"_s}, {u"password"_s, u"sam-password"_s}})
                .json()
                .value(u"token"_s)
                .toString()
                .toLatin1());
        const QJsonArray voicemails = http.get(u"/api/voicemails"_s).json().value(u"voicemails"_s).toArray();
        QCOMPARE(voicemails.size(), 1);
        const QJsonObject message = voicemails.first().toObject();
        QCOMPARE(message.value(u"callSid"_s).toString(), caller);
        QCOMPARE(message.value(u"from"_s).toString(), u"+15559876543"_s);
        QCOMPARE(message.value(u"queue"_s).toString(), u"support"_s);
        QCOMPARE(message.value(u"durationSeconds"_s).toInt(), 8);
        QVERIFY(message.value(u"recordingUrl"_s).toString().contains(u"/Recordings/RE"_s));
        QCOMPARE(http.get(u"/api/voicemails?limit=0"_s).status, 400);
    }

    void aFullQueueIsSaidSoNeverSilence()
    {
        QVERIFY(startWithQueue(R"({"name":"support","maxSize":2})"));
        awayAgents({u"alice"_s});
        m_e2e->placeCall();
        m_e2e->placeCall();
        const QString third = m_e2e->placeCall();
        QVERIFY(m_e2e->advance(10'000));
        QCOMPARE(m_e2e->callStatus(third), u"completed"_s);
        QVERIFY(heard(third).join(u'\n').contains(u"waiting line is full"_s));
        QCOMPARE(queues().statistics(u"support"_s).rejected, 1);
        QCOMPARE(queues().statistics(u"support"_s).waiting, 2);
    }

    void aRestartLosesNoCaller()
    {
        QVERIFY(startWithQueue());
        awayAgents({u"alice"_s});
        QStringList callers;
        for (int i = 0; i < 3; ++i) {
            callers.append(m_e2e->placeCall());
            QVERIFY(m_e2e->advance(1'000));
        }
        QCOMPARE(queues().statistics(u"support"_s).waiting, 3);

        QVERIFY(m_e2e->restartServer({{u"ROUTING_FILE"_s, m_dir.filePath(u"routing.json"_s)}}));
        QCOMPARE(queues().statistics(u"support"_s).waiting, 3); // rebuilt from the store
        QVERIFY(m_e2e->settle());
        QTRY_COMPARE(queues().statistics(u"support"_s).waiting, 3); // and still there after checking with Twilio
        QVERIFY(m_e2e->advance(2'000));                             // the waitUrl loop reaches the new server

        // The agent reconnects after the restart and gets the callers in their original order.
        m_e2e->connectAgent(u"alice2"_s);
        QCOMPARE(m_e2e->incoming(u"alice2"_s).value(u"parentCallSid"_s).toString(), callers.first());
        QCOMPARE(queues().statistics(u"support"_s).waiting, 2);
        TableReader tables(m_e2e->process().databasePath());
        QCOMPARE(tables.scalar(u"SELECT count(*) FROM queue_members WHERE state = 'dequeued'"_s).toInt(), 1);
    }

    void aCallerWhoseHandOffFailedKeepsItsPlace()
    {
        QVERIFY(startWithQueue());
        awayAgents({u"alice"_s, u"bob"_s});
        QStringList callers;
        for (int i = 0; i < 3; ++i) {
            callers.append(m_e2e->placeCall());
            QVERIFY(m_e2e->advance(1'000));
        }
        // Alice is offered the longest waiter and declines (busy): the caller goes back into the
        // queue, at the end of Twilio's queue but not at the end of the line.
        m_e2e->setStatus(u"alice"_s, u"available"_s);
        const QJsonObject ring = m_e2e->incoming(u"alice"_s);
        QCOMPARE(ring.value(u"parentCallSid"_s).toString(), callers[0]);
        m_e2e->hangUp(u"alice"_s, ring.value(u"callSid"_s).toString());
        QVERIFY(m_e2e->advance(1'000));
        QCOMPARE(m_e2e->callStatus(callers[0]), u"in-progress"_s);
        QCOMPARE(queues().statistics(u"support"_s).waiting, 3);
        // It is told it is still first (Twilio's QueuePosition says 3) ...
        QVERIFY2(heard(callers[0]).last().contains(u"You are caller number 1."_s),
                 qPrintable(heard(callers[0]).last()));
        QCOMPARE(queues().views().first().waiting.first().callSid, callers[0]);
        // ... and the next agent gets it before the callers who came after it.
        m_e2e->setStatus(u"bob"_s, u"available"_s);
        QCOMPARE(m_e2e->incoming(u"bob"_s).value(u"parentCallSid"_s).toString(), callers[0]);
    }

    void aDequeueTwilioRefusesKeepsTheCallersPlaceAndTriesOnceMore()
    {
        QVERIFY(startWithQueue());
        awayAgents({u"alice"_s});
        const QString first = m_e2e->placeCall();
        QVERIFY(m_e2e->advance(1'000));
        const QString second = m_e2e->placeCall();
        QVERIFY(m_e2e->advance(1'000));
        const auto dequeues = [&] {
            int count = 0;
            for (const CallEvent &event : m_e2e->engine().findCall(first)->events)
                count += event.detail.contains(u"dequeued through the REST API"_s) ? 1 : 0;
            return count;
        };

        // Twilio answers alice's dequeue with a 500: alice is released without blame, the caller
        // stays first, and nothing is tried again at once.
        m_e2e->sim().failRestRequests(1, 500);
        m_e2e->setStatus(u"alice"_s, u"available"_s);
        QVERIFY(m_e2e->settle());
        QCOMPARE(dequeues(), 0);
        QCOMPARE(m_e2e->agent(u"alice"_s).reservedCallSid, QString());
        QCOMPARE(m_e2e->agent(u"alice"_s).noAnswerStreak, 0);
        QCOMPARE(queues().views().first().waiting.first().callSid, first);
        QCOMPARE(queues().statistics(u"support"_s).waiting, 2);

        // A second later she is offered the same caller, and this time it is handed over.
        QCOMPARE(m_e2e->incoming(u"alice"_s).value(u"parentCallSid"_s).toString(), first);
        QCOMPARE(dequeues(), 1);
        QVERIFY(!m_e2e->hasEvent(second, u"dequeued through the REST API"_s));
    }

    void aCallerTheAgentWasNotReservedForNeverTakesTheAgent()
    {
        QVERIFY(startWithQueue());
        awayAgents({u"alice"_s});
        const QString first = m_e2e->placeCall();
        QVERIFY(m_e2e->advance(1'000));
        const QString second = m_e2e->placeCall();
        QVERIFY(m_e2e->advance(1'000));
        m_e2e->setStatus(u"alice"_s, u"available"_s);
        const QJsonObject ring = m_e2e->incoming(u"alice"_s);
        QCOMPARE(ring.value(u"parentCallSid"_s).toString(), first);

        // While alice rings, Twilio brings another caller to her bridge URL (its order and the
        // server's differ, or a request came late): she must not be offered a second call.
        const QString queueSid = m_e2e->engine().findQueueByName(u"support"_s)->sid;
        const QString bridge
            = m_e2e->process().baseUrl().toString() + u"/twilio/queue/bridge?agent=alice&queue=support"_s;
        QVERIFY(m_e2e->engine().dequeue(queueSid, second, bridge, HttpMethod::Post).ok());
        QVERIFY(m_e2e->advance(1'000));
        const auto offers = [&] {
            int count = 0;
            for (const QJsonObject &message : m_e2e->connected(u"alice"_s).voice->received())
                count += message.value(u"type"_s).toString() == u"incoming"_s ? 1 : 0;
            return count;
        };
        QCOMPARE(offers(), 1);
        QCOMPARE(m_e2e->agent(u"alice"_s).reservedCallSid, first);
        // The stray caller is back in the queue, first in line now, and not dialed to anyone.
        QCOMPARE(m_e2e->callStatus(second), u"in-progress"_s);
        QVERIFY(!m_e2e->hasEvent(second, u"<Client>alice</Client>"_s));
        QCOMPARE(queues().statistics(u"support"_s).waiting, 1);
        QVERIFY2(heard(second).last().contains(u"You are caller number 1."_s), qPrintable(heard(second).last()));

        // Alice takes the call she was offered.
        m_e2e->accept(u"alice"_s, ring.value(u"callSid"_s).toString());
        QTRY_COMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"on-call"_s);
        QCOMPARE(offers(), 1);
    }

    void afterARestartTheEarliestEnqueueTimeWins()
    {
        QVERIFY(startWithQueue());
        awayAgents({u"alice"_s});
        QStringList callers;
        for (int i = 0; i < 3; ++i) {
            callers.append(m_e2e->placeCall());
            QVERIFY(m_e2e->advance(10'000));
        }
        // The store lost how long the first caller has waited (it says it came last); Twilio's
        // Members list (wait_time 30 s) says it came first.
        const qint64 now = m_e2e->clock().nowMs();
        {
            TableReader tables(m_e2e->process().databasePath());
            std::ignore = tables.scalar(
                u"UPDATE queue_members SET enqueued_at = %1, first_enqueued_at = %1 WHERE call_sid = '%2'"_s.arg(now)
                    .arg(callers[0]));
            QCOMPARE(
                tables.scalar(u"SELECT first_enqueued_at FROM queue_members WHERE call_sid = '%1'"_s.arg(callers[0]))
                    .toLongLong(),
                now);
        }
        QVERIFY(m_e2e->restartServer({{u"ROUTING_FILE"_s, m_dir.filePath(u"routing.json"_s)}}));
        QTRY_VERIFY(queues().isRebuilt());
        // Supervisors see the rebuilt order, and the first caller is handed over first.
        QStringList order;
        const QList<QueueView> views = queues().views();
        for (const WaitingCallerView &waiting : views.first().waiting)
            order.append(waiting.callSid);
        QCOMPARE(order, callers);
        m_e2e->connectAgent(u"alice2"_s);
        QCOMPARE(m_e2e->incoming(u"alice2"_s).value(u"parentCallSid"_s).toString(), callers[0]);
        TableReader tables(m_e2e->process().databasePath());
        QCOMPARE(tables.scalar(u"SELECT state FROM queue_members WHERE call_sid = '%1'"_s.arg(callers[0])).toString(),
                 u"dequeued"_s);
    }

    void afterARestartCallersGoOnlyToAgentsHeardFromSince()
    {
        QVERIFY(startWithQueue());
        m_e2e->connectAgent(u"alice"_s);
        const QString first = m_e2e->placeCall();
        const QJsonObject ring = m_e2e->incoming(u"alice"_s);
        m_e2e->accept(u"alice"_s, ring.value(u"callSid"_s).toString());
        QTRY_COMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"on-call"_s);
        const QString second = m_e2e->placeCall();
        QVERIFY(m_e2e->advance(1'000));
        QCOMPARE(queues().statistics(u"support"_s).waiting, 1);

        // The server restarts while alice still talks to the first caller: it loads her as on that
        // call, and not heard from since, so the waiting caller is not hers.
        QVERIFY(m_e2e->restartServer({{u"ROUTING_FILE"_s, m_dir.filePath(u"routing.json"_s)}}));
        QTRY_VERIFY(queues().isRebuilt());
        QVERIFY(m_e2e->advance(1'000));
        const AgentRecord loaded = m_e2e->agent(u"alice"_s);
        QVERIFY(!loaded.readiness.ready);
        QStringList gates;
        for (const ReadinessGate &gate : loaded.readiness.failedGates)
            gates.append(gate.gate);
        QCOMPARE(gates, QStringList({u"at_capacity"_s, u"unconfirmed"_s}));
        QCOMPARE(loaded.activeCallSids, QStringList {first});
        QCOMPARE(queues().statistics(u"support"_s).waiting, 1);
        QVERIFY(!m_e2e->hasEvent(second, u"<Client>alice</Client>"_s));

        // She hangs up (the restored call ends: her wrap-up runs) and her app is heard from again:
        // once the wrap-up is over, the caller is hers.
        m_e2e->hangUp(u"alice"_s, ring.value(u"callSid"_s).toString());
        QVERIFY(m_e2e->advance(1'000));
        QTRY_COMPARE(toString(m_e2e->agent(u"alice"_s).activity), u"wrap-up"_s);
        m_e2e->connectAgent(u"alice"_s);
        QVERIFY(!m_e2e->hasEvent(second, u"<Client>alice</Client>"_s));
        QVERIFY(m_e2e->advance(qint64(m_e2e->agent(u"alice"_s).profile.wrapUpSeconds) * 1000));
        QCOMPARE(m_e2e->incoming(u"alice"_s).value(u"parentCallSid"_s).toString(), second);
    }

    void holdMusicIsServed()
    {
        QVERIFY(startWithQueue());
        HttpTestClient http(m_e2e->process().baseUrl());
        const HttpReply music = http.get(u"/media/hold-music.wav"_s);
        QCOMPARE(music.status, 200);
        QCOMPARE(music.contentType, QByteArray("audio/wav"));
        QVERIFY(music.body.startsWith("RIFF"));
        QVERIFY(music.body.size() > 100'000);
        QCOMPARE(http.get(u"/media/..%2Fetc%2Fpasswd"_s).status, 404);
        QCOMPARE(http.get(u"/media/missing.wav"_s).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestEndToEndQueues)
#include "tst_e2e_queues.moc"
