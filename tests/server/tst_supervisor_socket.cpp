// /ws/supervisor against an in-process server: authentication (bearer header, hello, refusals,
// hello timeout), the snapshot and its pages (every agent once, changes between pages, heartbeats
// answered between pages, a supervisor leaving mid-snapshot), coalesced deltas (a large push in slices,
// heartbeats answered between them, an agent changed mid-push sent once), connectivity issues
// as they open and close, supervisor actions and their audit trail, errors (a key sent twice among
// them) that leave the socket open and change nothing, stats, and the open sockets in /metrics.

#include <QJsonArray>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QSqlError>
#include <QTest>

#include "SupervisorTestSupport.h"
#include "WebSocketTestClient.h"
#include "agents/AgentRegistry.h"
#include "agents/AgentViews.h"
#include "auth/AuthService.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestSupervisorSocket final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SupervisorFixture> m_fixture;

    /// A supervisor socket past welcome and snapshot (returned through `snapshot` when asked).
    bool connectSupervisor(SupervisorSocketClient &client, const QString &userId = u"sam"_s,
                           SupervisorSnapshot *snapshot = nullptr)
    {
        if (!client.open(m_fixture->webSocketUrl(), "Bearer " + m_fixture->login(userId)))
            return false;
        if (!client.nextOf<SupervisorWelcome>())
            return false;
        auto received = client.nextOf<SupervisorSnapshot>();
        if (received && snapshot)
            *snapshot = *received;
        // The queues follow the snapshot: here the one default queue, nobody waiting.
        const auto queues = client.nextOf<SupervisorQueues>();
        return received.has_value() && queues && queues->queues.size() == 1 && queues->queues.first().name == u"default"
            && queues->queues.first().waiting.isEmpty();
    }

    /// Adds `count` agents straight to the database (floor0001, floor0002, ...: no password anyone
    /// signs in with) and restarts the server so its registry holds them.
    bool addFloorAgents(int count)
    {
        m_fixture->server().stop();
        {
            auto database = Database::open(m_fixture->server().databasePath());
            if (!database)
                return false;
            QSqlQuery insert(database->connection());
            insert.prepare(u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                           "INSERT INTO users (id, display_name, role, password_hash, password_salt, "
                           "password_iterations, created_at, updated_at) "
                           "SELECT printf('floor%04d', i), printf('Floor Agent %d', i), 'agent', x'00', x'00', 1, "
                           "0, 0 FROM n"_s);
            insert.addBindValue(count);
            if (!insert.exec()) {
                qWarning() << insert.lastError().text();
                return false;
            }
        }
        return m_fixture->server().start({{u"SUPERVISOR_PUSH_INTERVAL_MS"_s, u"10000"_s}});
    }

    /// What a supervisor received from its welcome on: the snapshot's pages and every other message,
    /// in arrival order.
    struct Received
    {
        QList<SupervisorSnapshot> pages;
        QList<SupervisorServerMessage> all;
    };

    /// Reads until the last page of the snapshot; false when a message did not come.
    static bool readSnapshot(SupervisorSocketClient &client, Received &received)
    {
        while (received.pages.isEmpty() || received.pages.last().page < received.pages.last().pages) {
            auto message = client.next();
            if (!message)
                return false;
            if (const auto *page = std::get_if<SupervisorSnapshot>(&*message))
                received.pages.append(*page);
            received.all.append(std::move(*message));
        }
        return true;
    }

    /// The agents a supervisor app ends with after applying pages and deltas in arrival order.
    static QMap<QString, AgentView> applied(const QList<SupervisorServerMessage> &messages)
    {
        QMap<QString, AgentView> agents;
        for (const SupervisorServerMessage &message : messages) {
            if (const auto *page = std::get_if<SupervisorSnapshot>(&message)) {
                if (page->page == 1)
                    agents.clear();
                for (const AgentView &agent : page->agents)
                    agents.insert(agent.agentId, agent);
            } else if (const auto *changed = std::get_if<SupervisorAgentsChanged>(&message)) {
                for (const AgentView &agent : changed->agents)
                    agents.insert(agent.agentId, agent);
            } else if (const auto *removed = std::get_if<SupervisorAgentsRemoved>(&message)) {
                for (const QString &agentId : removed->agentIds)
                    agents.remove(agentId);
            }
        }
        return agents;
    }

    /// Every agent the server's registry holds, in id order.
    QStringList allAgentIds()
    {
        QStringList ids;
        std::as_const(*m_fixture->server().server().agentRegistry()).forEach([&](const AgentRecord &record) {
            ids.append(record.profile.agentId);
        });
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    static const AgentView *findAgent(const QList<AgentView> &agents, const QString &agentId)
    {
        for (const AgentView &agent : agents) {
            if (agent.agentId == agentId)
                return &agent;
        }
        return nullptr;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<SupervisorFixture>();
        // Pushes only when a test asks (flushNow), so the windows are exactly what the test makes them.
        QVERIFY2(m_fixture->start(standardAgents(), {{u"SUPERVISOR_PUSH_INTERVAL_MS"_s, u"10000"_s}}),
                 qPrintable(m_fixture->error()));
        QCOMPARE(m_fixture->sockets().options().pushIntervalMs, 10000);
    }
    void cleanup() { m_fixture.reset(); }

    void bearerHeaderGetsWelcomeThenSnapshot()
    {
        m_fixture->clock().advanceSeconds(10);
        SupervisorSocketClient client;
        QVERIFY(client.open(m_fixture->webSocketUrl(), "Bearer " + m_fixture->login(u"sam"_s)));
        const auto welcome = client.nextOf<SupervisorWelcome>();
        QVERIFY(welcome);
        QCOMPARE(*welcome, (SupervisorWelcome {u"sam"_s, u"supervisor"_s, ManualClock::DefaultStartMs + 10'000}));
        const auto snapshot = client.nextOf<SupervisorSnapshot>();
        QVERIFY(snapshot);
        QStringList ids;
        for (const AgentView &agent : snapshot->agents)
            ids.append(agent.agentId);
        QCOMPARE(ids, (QStringList {u"a1"_s, u"a2"_s, u"a3"_s, u"a4"_s, u"a5"_s, u"a6"_s, u"a7"_s}));
        QCOMPARE(snapshot->serverTimeMs, ManualClock::DefaultStartMs + 10'000);
        QCOMPARE(snapshot->stats.value(u"agents"_s).toInt(), 7);
        QCOMPARE(snapshot->stats.value(u"loggedIn"_s).toInt(), 0);
        const auto queues = client.nextOf<SupervisorQueues>();
        QVERIFY(queues);
        QCOMPARE(queues->queues.size(), 1);
        QCOMPARE(queues->queues.first().name, u"default"_s);
        QCOMPARE(m_fixture->sockets().supervisorCount(), 1);
    }

    void snapshotComesInPages()
    {
        QVERIFY(m_fixture->heartbeat(u"a2"_s, AgentStatus::Available));
        m_fixture->sockets().setSnapshotPageSize(3);
        SupervisorSocketClient client;
        QVERIFY(client.open(m_fixture->webSocketUrl(), "Bearer " + m_fixture->login(u"sam"_s)));
        QVERIFY(client.nextOf<SupervisorWelcome>());
        Received received;
        QVERIFY(readSnapshot(client, received));

        // Seven agents, three a page: numbered 1..3, each knowing there are three.
        QCOMPARE(received.pages.size(), 3);
        QStringList ids;
        for (int i = 0; i < received.pages.size(); ++i) {
            const SupervisorSnapshot &page = received.pages.at(i);
            QCOMPARE(page.page, i + 1);
            QCOMPARE(page.pages, 3);
            QVERIFY(page.agents.size() <= 3);
            // The statistics come once, with the first page.
            QCOMPARE(page.stats.isEmpty(), i > 0);
            for (const AgentView &agent : page.agents)
                ids.append(agent.agentId);
        }
        // Every agent exactly once, in id order across the pages.
        QCOMPARE(ids, (QStringList {u"a1"_s, u"a2"_s, u"a3"_s, u"a4"_s, u"a5"_s, u"a6"_s, u"a7"_s}));
        QCOMPARE(received.pages.first().stats.value(u"agents"_s).toInt(), 7);
        QCOMPARE(received.pages.first().stats.value(u"loggedIn"_s).toInt(), 1);
        // The queues follow the first page; nothing else came.
        QCOMPARE(received.all.size(), 4);
        QVERIFY(std::holds_alternative<SupervisorQueues>(received.all.at(1)));
        QCOMPARE(client.sync(), QList<QString>());
    }

    void changesBetweenPagesEndCurrent()
    {
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        QVERIFY(m_fixture->heartbeat(u"a7"_s, AgentStatus::Available));
        m_fixture->sockets().setSnapshotPageSize(1);
        SupervisorSocketClient client;
        // As soon as the first page is in, a1 (already sent) and a7 (its page still to come) go away,
        // and the push goes out at once, between the pages.
        bool changed = false;
        QObject::connect(&client.socket(), &QWebSocket::textMessageReceived, [&](const QString &text) {
            if (changed || !text.contains(uR"("type":"snapshot")"_s))
                return;
            changed = true;
            QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Away, true, u"lunch"_s));
            QVERIFY(m_fixture->heartbeat(u"a7"_s, AgentStatus::Away, true, u"meeting"_s));
            m_fixture->sockets().flushNow();
        });
        QVERIFY(client.open(m_fixture->webSocketUrl(), "Bearer " + m_fixture->login(u"sam"_s)));
        QVERIFY(client.nextOf<SupervisorWelcome>());
        Received received;
        QVERIFY(readSnapshot(client, received));
        QVERIFY(changed);
        QCOMPARE(received.pages.size(), 7);
        QCOMPARE(toString(received.pages.first().agents.first().status), toString(AgentStatus::Available));
        qsizetype deltaAt = -1;
        for (qsizetype i = 0; i < received.all.size(); ++i) {
            if (std::holds_alternative<SupervisorAgentsChanged>(received.all.at(i)))
                deltaAt = i;
        }
        QVERIFY(deltaAt > 0 && deltaAt < received.all.size() - 1); // before the last page

        // Applied in arrival order, pages and the delta end current.
        const QMap<QString, AgentView> agents = applied(received.all);
        QCOMPARE(agents.size(), 7);
        QCOMPARE(agents.value(u"a1"_s).awayReason, std::optional<QString>(u"lunch"_s));
        QCOMPARE(agents.value(u"a7"_s).awayReason, std::optional<QString>(u"meeting"_s));
        for (const QString &agentId : {u"a1"_s, u"a7"_s}) {
            QCOMPARE(toString(agents.value(agentId).status), toString(AgentStatus::Away));
            const AgentRecord *record = m_fixture->agents().agent(agentId);
            QVERIFY(record);
            QCOMPARE(agents.value(agentId),
                     agentView(*record, m_fixture->agents().readinessConfig(), m_fixture->clock().nowMs()));
        }
        QCOMPARE(client.sync().size(), 0);
    }

    void heartbeatIsAnsweredBetweenPages()
    {
        // A floor of many default-sized pages, and more agents than one slice of the statistics walk.
        QVERIFY(addFloorAgents(2400));
        const int agents = 2407;
        const int expectedPages
            = int((agents + SupervisorSnapshotPager::PageSize - 1) / SupervisorSnapshotPager::PageSize);
        const QString lastPage = u"page %1 of %1"_s.arg(expectedPages);
        WebSocketTestClient agent;
        QVERIFY(agent.open(m_fixture->server().baseUrl(), u"/ws/agent"_s, m_fixture->login(u"a1"_s)));
        QCOMPARE(agent.next().value(u"type"_s).toString(), u"welcome"_s);

        // One log of what both sockets receive, in order; the heartbeat goes as the first page arrives.
        QStringList arrivals;
        SupervisorSocketClient client;
        QObject::connect(&client.socket(), &QWebSocket::textMessageReceived, [&](const QString &text) {
            const auto message = parseSupervisorServerMessage(text.toUtf8());
            const auto *page = message ? std::get_if<SupervisorSnapshot>(&message.value()) : nullptr;
            if (!page)
                return;
            arrivals.append(u"page %1 of %2"_s.arg(page->page).arg(page->pages));
            if (page->page == 1)
                agent.sendJson({{u"type"_s, u"heartbeat"_s},
                                {u"seq"_s, 7},
                                {u"currentStatus"_s, u"available"_s},
                                {u"deviceConnected"_s, true}});
        });
        QObject::connect(&agent.socket(), &QWebSocket::textMessageReceived, [&](const QString &text) {
            if (text.contains(uR"("type":"ack")"_s))
                arrivals.append(u"ack"_s);
        });
        QVERIFY(client.open(m_fixture->webSocketUrl(), "Bearer " + m_fixture->login(u"sam"_s)));
        QVERIFY(client.nextOf<SupervisorWelcome>());
        Received received;
        QVERIFY(readSnapshot(client, received));
        QTRY_VERIFY_WITH_TIMEOUT(arrivals.contains(u"ack"_s), 10'000);

        QCOMPARE(received.pages.first().pages, expectedPages);
        QCOMPARE(received.pages.size(), expectedPages);
        QCOMPARE(arrivals.first(), u"page 1 of %1"_s.arg(expectedPages));
        // The heartbeat was answered while the snapshot was still on its way.
        QVERIFY2(arrivals.indexOf(u"ack"_s) < arrivals.indexOf(lastPage), qPrintable(arrivals.join(u", ")));

        QSet<QString> ids;
        int count = 0;
        for (const SupervisorSnapshot &page : std::as_const(received.pages)) {
            QVERIFY(page.agents.size() <= SupervisorSnapshotPager::PageSize);
            for (const AgentView &view : page.agents) {
                ids.insert(view.agentId);
                ++count;
            }
        }
        QCOMPARE(count, agents);
        QCOMPARE(ids.size(), agents);
        // Counted in slices over several turns, all the same.
        QVERIFY(agents > SupervisorStatisticsWalk::SliceSize);
        QCOMPARE(received.pages.first().stats.value(u"agents"_s).toInt(), agents);
    }

    void supervisorLeavingMidSnapshotStopsThePages()
    {
        m_fixture->sockets().setSnapshotPageSize(1);
        {
            SupervisorSocketClient client;
            QObject::connect(&client.socket(), &QWebSocket::textMessageReceived, [&](const QString &text) {
                if (text.contains(uR"("type":"snapshot")"_s))
                    client.socket().abort();
            });
            QVERIFY(client.open(m_fixture->webSocketUrl(), "Bearer " + m_fixture->login(u"sam"_s)));
            QTRY_COMPARE_WITH_TIMEOUT(m_fixture->sockets().supervisorCount(), 0, 10'000);
        }
        // The pages of the socket that went stop with it; the server goes on serving the next one.
        SupervisorSocketClient next;
        QVERIFY(next.open(m_fixture->webSocketUrl(), "Bearer " + m_fixture->login(u"ada"_s)));
        QVERIFY(next.nextOf<SupervisorWelcome>());
        Received received;
        QVERIFY(readSnapshot(next, received));
        QCOMPARE(received.pages.size(), 7);
        QCOMPARE(m_fixture->sockets().supervisorCount(), 1);
        QVERIFY(next.sync().isEmpty());
    }

    void helloAuthenticates_data()
    {
        QTest::addColumn<QString>("userId");
        QTest::addColumn<QString>("role");
        QTest::newRow("supervisor") << u"sam"_s << u"supervisor"_s;
        QTest::newRow("admin") << u"ada"_s << u"admin"_s;
    }
    void helloAuthenticates()
    {
        QFETCH(QString, userId);
        QFETCH(QString, role);
        SupervisorSocketClient client;
        QVERIFY(client.open(m_fixture->webSocketUrl()));
        QCOMPARE(client.queued(), 0); // nothing before hello
        client.send(SupervisorHello {QString::fromLatin1(m_fixture->login(userId))});
        const auto welcome = client.nextOf<SupervisorWelcome>();
        QVERIFY(welcome);
        QCOMPARE(welcome->userId, userId);
        QCOMPARE(welcome->role, role);
        const auto snapshot = client.nextOf<SupervisorSnapshot>();
        QVERIFY(snapshot);
        QCOMPARE(snapshot->agents.size(), 7);
    }

    void refusalsCloseTheSocket_data()
    {
        QTest::addColumn<QByteArray>("authorization"); // "agent:<id>" logs that agent in
        QTest::addColumn<QString>("firstMessage");     // "hello:<id>" sends hello with that user's token
        QTest::addColumn<QString>("code");
        QTest::newRow("agent token in header") << QByteArray("agent:a1") << QString() << u"forbidden"_s;
        QTest::newRow("agent token in hello") << QByteArray() << u"hello:a1"_s << u"forbidden"_s;
        QTest::newRow("unknown token in header")
            << QByteArray("Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") << QString() << u"unauthenticated"_s;
        QTest::newRow("unknown token in hello")
            << QByteArray() << uR"({"type":"hello","token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})"_s
            << u"unauthenticated"_s;
        QTest::newRow("Basic instead of Bearer")
            << QByteArray("Basic c2FtOnNhbS1wdw==") << QString() << u"unauthenticated"_s;
        QTest::newRow("hello without token") << QByteArray() << uR"({"type":"hello"})"_s << u"unauthenticated"_s;
        QTest::newRow("command before hello")
            << QByteArray() << uR"({"type":"logoutAgent","agentId":"a1"})"_s << u"unauthenticated"_s;
        QTest::newRow("not JSON before hello") << QByteArray() << u"hello"_s << u"malformed_json"_s;
    }
    void refusalsCloseTheSocket()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(QString, firstMessage);
        QFETCH(QString, code);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        if (authorization.startsWith("agent:"))
            authorization = "Bearer " + m_fixture->login(QString::fromLatin1(authorization.mid(6)));
        if (firstMessage.startsWith(u"hello:"_s))
            firstMessage = QString::fromUtf8(
                serialize(SupervisorHello {QString::fromLatin1(m_fixture->login(firstMessage.mid(6)))}));

        SupervisorSocketClient client;
        QSignalSpy disconnected(&client.socket(), &QWebSocket::disconnected);
        QVERIFY(client.open(m_fixture->webSocketUrl(), authorization));
        if (!firstMessage.isEmpty())
            client.sendText(firstMessage);
        const auto error = client.nextOf<ServerError>();
        QVERIFY(error);
        QCOMPARE(error->code, code);
        QVERIFY(disconnected.count() == 1 || disconnected.wait(10'000));
        QCOMPARE(client.socket().closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QCOMPARE(client.queued(), 0); // no welcome, no snapshot
        QCOMPARE(m_fixture->sockets().supervisorCount(), 0);
        // Nothing about the agent changed.
        QCOMPARE(m_fixture->lastAuditRow(u"a1"_s), u"offline|available|heartbeat|agent"_s);
    }

    void noHelloInTimeIsClosed()
    {
        m_fixture->sockets().setHelloTimeoutMs(50);
        SupervisorSocketClient client;
        QSignalSpy disconnected(&client.socket(), &QWebSocket::disconnected);
        QVERIFY(client.open(m_fixture->webSocketUrl()));
        QVERIFY(disconnected.count() == 1 || disconnected.wait(10'000));
        QCOMPARE(client.socket().closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        const auto error = client.nextOf<ServerError>();
        QVERIFY(error);
        QCOMPARE(error->code, u"unauthenticated"_s);
        QVERIFY2(error->message.contains(u"within 50 ms"_s), qPrintable(error->message));
    }

    void helloInTimeKeepsTheSocket()
    {
        // The login (PBKDF2, slow on a loaded machine) comes first, so the window between opening the
        // socket and its hello holds only the hello itself.
        const QString token = QString::fromLatin1(m_fixture->login(u"sam"_s));
        m_fixture->sockets().setHelloTimeoutMs(1000);
        SupervisorSocketClient client;
        QSignalSpy disconnected(&client.socket(), &QWebSocket::disconnected);
        QVERIFY(client.open(m_fixture->webSocketUrl()));
        client.send(SupervisorHello {token});
        QVERIFY(client.nextOf<SupervisorWelcome>());
        QVERIFY(client.nextOf<SupervisorSnapshot>());
        QVERIFY(client.nextOf<SupervisorQueues>());
        // A silent socket opened later is closed by its timeout, so the first one's has run out too.
        SupervisorSocketClient silent;
        QSignalSpy silentClosed(&silent.socket(), &QWebSocket::disconnected);
        QVERIFY(silent.open(m_fixture->webSocketUrl()));
        QVERIFY(silentClosed.count() == 1 || silentClosed.wait(10'000));
        // The authenticated socket stays and is still answered.
        QVERIFY(client.sync().isEmpty());
        QVERIFY(client.isOpen());
        QCOMPARE(disconnected.count(), 0);
        QCOMPARE(m_fixture->sockets().supervisorCount(), 1);
    }

    void snapshotDescribesEachAgent()
    {
        // a1: logged in over HTTP, away for lunch, devices reported with names.
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Away, true, u"lunch"_s));
        DeviceReport report;
        report.audioInput = true;
        report.audioOutput = false;
        report.voiceRegistered = true;
        report.networkRttMs = 42;
        QVERIFY(m_fixture->agents().updateDevices(u"a1"_s, report,
                                                  DeviceDetails {u"Jabra Mic"_s, {}, u"wifi"_s, {}, {}}, true));
        const qint64 heartbeatAt = m_fixture->clock().nowMs();
        m_fixture->clock().advanceSeconds(5);

        SupervisorSocketClient client;
        SupervisorSnapshot snapshot;
        QVERIFY(connectSupervisor(client, u"sam"_s, &snapshot));
        const AgentView *a1 = findAgent(snapshot.agents, u"a1"_s);
        QVERIFY(a1);
        QCOMPARE(a1->displayName, u"Ada Lovelace"_s);
        QCOMPARE(toString(a1->status), toString(AgentStatus::Away));
        QCOMPARE(a1->awayReason, std::optional<QString>(u"lunch"_s));
        QCOMPARE(toString(a1->activity), toString(AgentActivity::Idle));
        QVERIFY(a1->loggedIn);
        QCOMPARE(toString(a1->connection), toString(ConnectionKind::HttpOnly));
        QCOMPARE(a1->lastHeartbeatMs, std::optional<qint64>(heartbeatAt));
        QVERIFY(a1->deviceConnected);
        QCOMPARE(a1->devices.audioInput, std::optional<bool>(true));
        QCOMPARE(a1->devices.audioOutput, std::optional<bool>(false));
        QCOMPARE(a1->devices.audioInputName, std::optional<QString>(u"Jabra Mic"_s));
        QCOMPARE(a1->devices.audioOutputName, std::nullopt);
        QCOMPARE(a1->devices.networkType, std::optional<QString>(u"wifi"_s));
        QCOMPARE(a1->devices.networkRttMs, std::optional<double>(42));
        QCOMPARE(a1->maxConcurrentCalls, 2);
        QCOMPARE(a1->activeCalls, 0);
        QCOMPARE(a1->currentCallStartedMs, std::nullopt);
        QCOMPARE(a1->wsRttMs, std::nullopt);
        QCOMPARE(a1->queues, (QStringList {u"support"_s, u"sales"_s}));
        QVERIFY(!a1->readiness.ready);
        QCOMPARE(a1->readiness.failedGates.first().gate, u"status_not_available"_s);
        // Scored for the snapshot's instant, not copied from the heartbeat's.
        QCOMPARE(a1->readiness.factors.first().reason, u"last heartbeat 5 s ago"_s);

        // a6: never logged in.
        const AgentView *a6 = findAgent(snapshot.agents, u"a6"_s);
        QVERIFY(a6);
        QCOMPARE(toString(a6->status), toString(AgentStatus::Offline));
        QCOMPARE(toString(a6->activity), toString(AgentActivity::Disconnected));
        QVERIFY(!a6->loggedIn);
        QCOMPARE(toString(a6->connection), toString(ConnectionKind::None));
        QCOMPARE(a6->lastHeartbeatMs, std::nullopt);
        QCOMPARE(a6->devices, DeviceState {});
        QCOMPARE(a6->awayReason, std::nullopt);
        QCOMPARE(a6->queues, QStringList {u"billing"_s});
        QCOMPARE(a6->readiness.failedGates.first().gate, u"no_session"_s);
    }

    void changesInOneWindowAreCoalesced()
    {
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        SupervisorSocketClient first;
        SupervisorSocketClient second;
        QVERIFY(connectSupervisor(first, u"sam"_s));
        QVERIFY(connectSupervisor(second, u"ada"_s));
        QCOMPARE(m_fixture->sockets().pendingChanges(), 0);

        // 50 changes of a1 (status back and forth, a second apart) and one of a2, in one window.
        for (int i = 0; i < 50; ++i) {
            m_fixture->clock().advanceSeconds(1);
            const bool away = i % 2 == 0;
            QVERIFY(m_fixture->heartbeat(u"a1"_s, away ? AgentStatus::Away : AgentStatus::Available, true,
                                         away ? u"break"_s : QString()));
        }
        QVERIFY(m_fixture->heartbeat(u"a2"_s, AgentStatus::Away, false, u"meeting"_s));
        QCOMPARE(m_fixture->sockets().pendingChanges(), 2);
        QCOMPARE(first.sync(), QList<QString>()); // nothing pushed before the window closes

        m_fixture->sockets().flushNow();
        QCOMPARE(m_fixture->sockets().pendingChanges(), 0);
        for (SupervisorSocketClient *client : {&first, &second}) {
            const auto changed = client->nextOf<SupervisorAgentsChanged>();
            QVERIFY(changed);
            QCOMPARE(changed->serverTimeMs, m_fixture->clock().nowMs());
            QCOMPARE(changed->agents.size(), 2);
            const AgentView &a1 = changed->agents.at(0);
            QCOMPARE(a1.agentId, u"a1"_s);
            // The last of the 50 changes (i = 49: available), with the last heartbeat time.
            QCOMPARE(toString(a1.status), toString(AgentStatus::Available));
            QCOMPARE(a1.lastHeartbeatMs, std::optional<qint64>(m_fixture->clock().nowMs()));
            const AgentView &a2 = changed->agents.at(1);
            QCOMPARE(a2.agentId, u"a2"_s);
            QCOMPARE(toString(a2.status), toString(AgentStatus::Away));
            QCOMPARE(a2.awayReason, std::optional<QString>(u"meeting"_s));
            QVERIFY(!a2.deviceConnected);
            // a2's device trouble opened an issue: it goes out in the same push.
            const auto issues = client->nextOf<SupervisorConnectivityIssues>();
            QVERIFY(issues);
            QCOMPARE(issues->issues.size(), 1);
            QCOMPARE(issues->issues.first().agentId, u"a2"_s);
            QCOMPARE(issues->issues.first().kind, u"device_disconnected"_s);
            // Exactly one push: nothing else came before the probe's answer.
            QCOMPARE(client->sync(), QList<QString>());
        }

        // An empty window sends nothing.
        m_fixture->sockets().flushNow();
        QCOMPARE(first.sync(), QList<QString>());
    }

    void aLargePushComesInSlicesWithHeartbeatsAnsweredBetween()
    {
        // Every agent of a floor changes in one window: more than a slice of the default size.
        QVERIFY(addFloorAgents(2400));
        WebSocketTestClient agent;
        QVERIFY(agent.open(m_fixture->server().baseUrl(), u"/ws/agent"_s, m_fixture->login(u"a1"_s)));
        QCOMPARE(agent.next().value(u"type"_s).toString(), u"welcome"_s);
        SupervisorSocketClient client;
        QVERIFY(client.open(m_fixture->webSocketUrl(), "Bearer " + m_fixture->login(u"sam"_s)));
        QVERIFY(client.nextOf<SupervisorWelcome>());
        Received snapshot;
        QVERIFY(readSnapshot(client, snapshot));
        QCOMPARE(client.sync().size(), 0);

        // Everyone but a1, whose app heartbeats over its socket while the push is on its way.
        // (Without a log line for each of the 2,406 sessions it opens.)
        QLoggingCategory::setFilterRules(u"heartline.agents.info=false"_s);
        QSet<QString> changedIds;
        for (const QString &agentId : allAgentIds()) {
            if (agentId == u"a1"_s)
                continue;
            QVERIFY(m_fixture->heartbeat(agentId, AgentStatus::Available));
            changedIds.insert(agentId);
        }
        QLoggingCategory::setFilterRules(QString());
        QCOMPARE(changedIds.size(), 2406);
        QCOMPARE(m_fixture->sockets().pendingChanges(), changedIds.size());

        // One log of what both sockets receive, in order; the heartbeat goes as the first slice arrives.
        QStringList arrivals;
        QObject::connect(&client.socket(), &QWebSocket::textMessageReceived, [&](const QString &text) {
            if (!text.contains(uR"("type":"agentsChanged")"_s))
                return;
            if (!arrivals.contains(u"changed"_s))
                agent.sendJson({{u"type"_s, u"heartbeat"_s},
                                {u"seq"_s, 9},
                                {u"currentStatus"_s, u"available"_s},
                                {u"deviceConnected"_s, true}});
            arrivals.append(u"changed"_s);
        });
        QObject::connect(&agent.socket(), &QWebSocket::textMessageReceived, [&](const QString &text) {
            if (text.contains(uR"("type":"ack")"_s))
                arrivals.append(u"ack"_s);
        });
        m_fixture->sockets().flushNow();

        // Every changed agent exactly once, at most a slice a message, each slice in id order.
        QSet<QString> received;
        int messages = 0;
        while (received.size() < changedIds.size()) {
            const auto changed = client.nextOf<SupervisorAgentsChanged>();
            QVERIFY(changed);
            ++messages;
            QVERIFY(!changed->agents.isEmpty());
            QVERIFY(changed->agents.size() <= SupervisorAgentPush::SliceSize);
            for (qsizetype i = 0; i < changed->agents.size(); ++i) {
                const AgentView &view = changed->agents.at(i);
                QVERIFY2(!received.contains(view.agentId), qPrintable(view.agentId));
                QVERIFY(i == 0 || changed->agents.at(i - 1).agentId < view.agentId);
                received.insert(view.agentId);
                QVERIFY(view.loggedIn);
            }
        }
        QCOMPARE(received, changedIds);
        QCOMPARE(messages,
                 int((changedIds.size() + SupervisorAgentPush::SliceSize - 1) / SupervisorAgentPush::SliceSize));
        QTRY_VERIFY_WITH_TIMEOUT(arrivals.contains(u"ack"_s), 10'000);
        // The heartbeat was answered while the push was still on its way.
        QVERIFY2(arrivals.indexOf(u"ack"_s) < arrivals.lastIndexOf(u"changed"_s), qPrintable(arrivals.join(u", ")));
        // Nothing else came: a1 changed after the tick, so it waits for the next push.
        QCOMPARE(client.sync(), QList<QString>());
        QCOMPARE(m_fixture->sockets().pendingChanges(), 1);
        m_fixture->sockets().flushNow();
        const auto next = client.nextOf<SupervisorAgentsChanged>();
        QVERIFY(next);
        QCOMPARE(next->agents.size(), 1);
        QCOMPARE(next->agents.first().agentId, u"a1"_s);
        QCOMPARE(toString(next->agents.first().connection), toString(ConnectionKind::WebSocket));
    }

    void agentChangedDuringAPushGoesOnce()
    {
        m_fixture->sockets().setPushSliceSize(2);
        SupervisorSocketClient client;
        QVERIFY(connectSupervisor(client));
        for (const QString &agentId : allAgentIds())
            QVERIFY(m_fixture->heartbeat(agentId, AgentStatus::Available));
        QCOMPARE(m_fixture->sockets().pendingChanges(), 7);

        // The tick sends the first slice of two; the same turn, every agent changes again. The two just
        // sent go in the next push; the five still to come are not marked again.
        m_fixture->sockets().flushNow();
        m_fixture->clock().advanceSeconds(1);
        for (const QString &agentId : allAgentIds())
            QVERIFY(m_fixture->heartbeat(agentId, AgentStatus::Away, true, u"meeting"_s));
        QCOMPARE(m_fixture->sockets().pendingChanges(), 5 + 2);

        QMap<QString, AgentView> push;
        QList<int> sizes;
        while (push.size() < 7) {
            const auto changed = client.nextOf<SupervisorAgentsChanged>();
            QVERIFY(changed);
            sizes.append(int(changed->agents.size()));
            for (const AgentView &view : changed->agents) {
                QVERIFY2(!push.contains(view.agentId), qPrintable(view.agentId));
                push.insert(view.agentId, view);
            }
        }
        QCOMPARE(sizes, (QList<int> {2, 2, 2, 1}));
        QCOMPARE(client.sync(), QList<QString>());
        // The first slice as it was at the tick; the others built when sent, so after the second change.
        QStringList sentFirst;
        for (const AgentView &view : std::as_const(push)) {
            if (view.status == AgentStatus::Available)
                sentFirst.append(view.agentId);
            else
                QCOMPARE(view.awayReason, std::optional<QString>(u"meeting"_s));
        }
        QCOMPARE(sentFirst.size(), 2);

        // The next push: the two sent before their second change, as they are now.
        QCOMPARE(m_fixture->sockets().pendingChanges(), 2);
        m_fixture->sockets().flushNow();
        const auto next = client.nextOf<SupervisorAgentsChanged>();
        QVERIFY(next);
        QStringList nextIds;
        for (const AgentView &view : next->agents) {
            nextIds.append(view.agentId);
            QCOMPARE(toString(view.status), toString(AgentStatus::Away));
        }
        QCOMPARE(nextIds, sentFirst);
        QCOMPARE(client.sync(), QList<QString>());
        QCOMPARE(m_fixture->sockets().pendingChanges(), 0);
    }

    void connectivityIssuesArePushedAsTheyOpenAndClose()
    {
        SupervisorSocketClient client;
        QVERIFY(connectSupervisor(client));
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available, false));
        const qint64 openedAt = m_fixture->clock().nowMs();
        m_fixture->sockets().flushNow();
        QVERIFY(client.nextOf<SupervisorAgentsChanged>());
        const auto opened = client.nextOf<SupervisorConnectivityIssues>();
        QVERIFY(opened);
        QCOMPARE(opened->serverTimeMs, openedAt);
        QCOMPARE(opened->issues.size(), 1);
        const ConnectivityIssueView issue = opened->issues.first();
        QCOMPARE(issue.agentId, u"a1"_s);
        QCOMPARE(issue.kind, u"device_disconnected"_s);
        QCOMPARE(issue.openedAtMs, openedAt);
        QCOMPARE(issue.closedAtMs, std::nullopt);

        // The device is back 20 s later: the same issue, closed, in the next push.
        m_fixture->clock().advanceSeconds(20);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available, true));
        m_fixture->sockets().flushNow();
        QVERIFY(client.nextOf<SupervisorAgentsChanged>());
        const auto closed = client.nextOf<SupervisorConnectivityIssues>();
        QVERIFY(closed);
        QCOMPARE(closed->issues.size(), 1);
        QCOMPARE(closed->issues.first().id, issue.id);
        QCOMPARE(closed->issues.first().closedAtMs, std::optional<qint64>(m_fixture->clock().nowMs()));
        QCOMPARE(client.sync(), QList<QString>());

        // The id is the one GET /api/connectivity/issues gives, so a dashboard can merge the two.
        const HttpReply reply = m_fixture->get(u"/api/connectivity/issues?agentId=a1"_s, m_fixture->login(u"sam"_s));
        QCOMPARE(reply.status, 200);
        const QJsonArray rows = reply.json().value(u"issues"_s).toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().toObject().value(u"id"_s).toInteger(), issue.id);

        // Opened and closed within one window: one entry, as it is at the push.
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available, false));
        m_fixture->clock().advanceSeconds(1);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available, true));
        m_fixture->sockets().flushNow();
        QVERIFY(client.nextOf<SupervisorAgentsChanged>());
        const auto both = client.nextOf<SupervisorConnectivityIssues>();
        QVERIFY(both);
        QCOMPARE(both->issues.size(), 1);
        QVERIFY(both->issues.first().id != issue.id);
        QVERIFY(both->issues.first().closedAtMs.has_value());
    }

    void supervisorSetsAnAgentStatus()
    {
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        SupervisorSocketClient client;
        QVERIFY(connectSupervisor(client));
        m_fixture->clock().advanceSeconds(3);
        client.send(SupervisorSetAgentStatus {u"a1"_s, AgentStatus::Away, u"meeting"_s});
        QCOMPARE(client.sync(), QList<QString>()); // success is not answered, only pushed

        QCOMPARE(m_fixture->lastAuditRow(u"a1"_s), u"available|away|meeting (supervisor)|supervisor"_s);
        m_fixture->sockets().flushNow();
        const auto changed = client.nextOf<SupervisorAgentsChanged>();
        QVERIFY(changed);
        QCOMPARE(changed->agents.size(), 1);
        QCOMPARE(toString(changed->agents.first().status), toString(AgentStatus::Away));
        QCOMPARE(changed->agents.first().awayReason, std::optional<QString>(u"meeting"_s));

        // Imposed: the agent app's routine heartbeat does not undo it.
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        QCOMPARE(toString(m_fixture->agents().agent(u"a1"_s)->snapshot.status), toString(AgentStatus::Away));
    }

    void supervisorLogsAnAgentOut()
    {
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        SupervisorSocketClient client;
        QVERIFY(connectSupervisor(client));
        client.send(SupervisorLogoutAgent {u"a1"_s, u"shift ended"_s});
        QCOMPARE(client.sync(), QList<QString>());
        QCOMPARE(m_fixture->lastAuditRow(u"a1"_s), u"available|offline|supervisor|supervisor"_s);
        TableReader tables(m_fixture->server().databasePath());
        QCOMPARE(
            tables.scalar(u"SELECT count(*) FROM agent_sessions WHERE agent_id = 'a1' AND logout_at IS NULL"_s).toInt(),
            0);
        m_fixture->sockets().flushNow();
        const auto changed = client.nextOf<SupervisorAgentsChanged>();
        QVERIFY(changed);
        QCOMPARE(changed->agents.size(), 1);
        QVERIFY(!changed->agents.first().loggedIn);
        QCOMPARE(toString(changed->agents.first().status), toString(AgentStatus::Offline));
    }

    void refusedCommandsKeepTheSocketOpen_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("named"); // a field the error message must name, when given
        QTest::newRow("status of an unknown agent")
            << uR"({"type":"setAgentStatus","agentId":"nobody","status":"away"})"_s << u"unknown_agent"_s << QString();
        QTest::newRow("logout of an unknown agent")
            << uR"({"type":"logoutAgent","agentId":"nobody"})"_s << u"unknown_agent"_s << QString();
        QTest::newRow("status of a logged-out agent")
            << uR"({"type":"setAgentStatus","agentId":"a6","status":"available"})"_s << u"not_logged_in"_s << QString();
        QTest::newRow("unknown status word")
            << uR"({"type":"setAgentStatus","agentId":"a1","status":"busy"})"_s << u"invalid_value"_s << QString();
        QTest::newRow("missing agentId") << uR"({"type":"logoutAgent"})"_s << u"missing_field"_s << QString();
        QTest::newRow("not JSON") << u"{setAgentStatus"_s << u"malformed_json"_s << QString();
        QTest::newRow("unknown type") << uR"({"type":"subscribe"})"_s << u"unknown_type"_s << QString();
        QTest::newRow("hello again") << uR"({"type":"hello","token":"x"})"_s << u"unexpected_message"_s << QString();
        QTest::newRow("protocol version 2")
            << uR"({"type":"logoutAgent","v":2,"agentId":"a1"})"_s << u"unsupported_version"_s << QString();
        // Read as its last agentId this would log a1 out, and the command below would then fail.
        QTest::newRow("agentId twice") << uR"({"type":"logoutAgent","agentId":"nobody","agentId":"a1"})"_s
                                       << u"duplicate_key"_s << u"agentId"_s;
        QTest::newRow("status twice")
            << uR"({"type":"setAgentStatus","agentId":"a1","status":"away","status":"offline"})"_s << u"duplicate_key"_s
            << u"status"_s;
    }
    void refusedCommandsKeepTheSocketOpen()
    {
        QFETCH(QString, message);
        QFETCH(QString, code);
        QFETCH(QString, named);
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        const QString auditBefore = m_fixture->lastAuditRow(u"a1"_s);
        SupervisorSocketClient client;
        QVERIFY(connectSupervisor(client));
        client.sendText(message);
        const auto error = client.nextOf<ServerError>();
        QVERIFY(error);
        QCOMPARE(error->code, code);
        QVERIFY(!error->message.isEmpty());
        QVERIFY2(error->message.contains(named), qPrintable(error->message));
        // Still open and still obeyed.
        QVERIFY(client.isOpen());
        client.send(SupervisorSetAgentStatus {u"a1"_s, AgentStatus::Away, u"meeting"_s});
        QCOMPARE(client.sync(), QList<QString>());
        QVERIFY(m_fixture->lastAuditRow(u"a1"_s) != auditBefore);
        QCOMPARE(m_fixture->lastAuditRow(u"a1"_s), u"available|away|meeting (supervisor)|supervisor"_s);
    }

    void openSocketsAreCountedInMetrics()
    {
        auto connections = [this] {
            const QByteArray text = HttpTestClient(m_fixture->server().baseUrl()).get(u"/metrics"_s).body;
            QHash<QString, QString> values;
            for (const QByteArray &line : text.split('\n')) {
                if (line.startsWith("heartline_websocket_connections{")) {
                    const qsizetype space = line.lastIndexOf(' ');
                    values.insert(QString::fromUtf8(line.left(space)), QString::fromUtf8(line.mid(space + 1)));
                }
            }
            return values;
        };
        const QString supervisors = uR"(heartline_websocket_connections{endpoint="supervisor"})"_s;
        const QString agents = uR"(heartline_websocket_connections{endpoint="agent"})"_s;
        QCOMPARE(connections().value(supervisors), u"0"_s);

        SupervisorSocketClient first;
        QVERIFY(connectSupervisor(first));
        QCOMPARE(connections().value(supervisors), u"1"_s);
        QCOMPARE(connections().value(agents), u"0"_s);
        {
            SupervisorSocketClient second;
            QVERIFY(connectSupervisor(second, u"ada"_s));
            QCOMPARE(connections().value(supervisors), u"2"_s);
        }
        QTRY_COMPARE_WITH_TIMEOUT(connections().value(supervisors), u"1"_s, 10'000);
    }

    void statsArePushedAndMatchTheHttpStatistics()
    {
        QVERIFY(m_fixture->heartbeat(u"a1"_s, AgentStatus::Available));
        QVERIFY(m_fixture->heartbeat(u"a2"_s, AgentStatus::Away, false, u"lunch"_s));
        SupervisorSocketClient client;
        QVERIFY(connectSupervisor(client));
        m_fixture->clock().advanceSeconds(7);
        m_fixture->sockets().sendStatsNow();
        const auto stats = client.nextOf<SupervisorStats>();
        QVERIFY(stats);
        QCOMPARE(stats->serverTimeMs, m_fixture->clock().nowMs());
        QCOMPARE(stats->stats.value(u"loggedIn"_s).toInt(), 2);
        QCOMPARE(stats->stats.value(u"deviceConnectedRate"_s).toDouble(), 0.5);
        const HttpReply reply = m_fixture->get(u"/api/agent-heartbeat"_s, m_fixture->login(u"sam"_s));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(u"statistics"_s).toObject(), stats->stats);
    }

    void endedSessionClosesTheSocket()
    {
        const QByteArray token = m_fixture->login(u"sam"_s);
        SupervisorSocketClient client;
        QSignalSpy disconnected(&client.socket(), &QWebSocket::disconnected);
        QVERIFY(client.open(m_fixture->webSocketUrl(), "Bearer " + token));
        QVERIFY(client.nextOf<SupervisorWelcome>());
        QVERIFY(client.nextOf<SupervisorSnapshot>());
        QVERIFY(client.nextOf<SupervisorQueues>());

        HttpTestClient http(m_fixture->server().baseUrl());
        http.setBearerToken(token);
        QCOMPARE(http.post(u"/api/auth/logout"_s, {}, {}).status, 204);
        // The next stats push checks every supervisor's session first.
        m_fixture->sockets().sendStatsNow();
        const auto error = client.nextOf<ServerError>();
        QVERIFY(error);
        QCOMPARE(error->code, u"unauthenticated"_s);
        QVERIFY(disconnected.count() == 1 || disconnected.wait(10'000));
        QCOMPARE(m_fixture->sockets().supervisorCount(), 0);
    }

    void plainHttpOnTheSocketPathIsRefused()
    {
        const HttpReply reply = m_fixture->get(u"/ws/supervisor"_s, m_fixture->login(u"sam"_s));
        QCOMPARE(reply.status, 426);
        QCOMPARE(reply.errorCode(), u"upgrade_required"_s);
    }
};

QTEST_GUILESS_MAIN(TestSupervisorSocket)
#include "tst_supervisor_socket.moc"
