// The dashboard's Administration tab against a real heartline::Server in this process: shown to
// admins only; users listed with their state and agents' profiles; adding a user, disabling and
// enabling, a new password and a profile change reach the server (the user notices: sign-in works
// or not) and the audit list; a refusal is shown; another admin's change arrives by push.

#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

#include "SupervisorTestSupport.h"
#include "agents/AgentService.h"
#include "models/SupervisorSession.h"
#include "ui/AdminPanel.h"
#include "ui/SupervisorWindow.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

class TestSupervisorAdmin final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SupervisorFixture> m_fixture;
    std::unique_ptr<SupervisorSession> m_session;
    std::unique_ptr<SupervisorWindow> m_window;

    bool signIn(const QString &userId)
    {
        const QByteArray token = m_fixture->login(userId);
        if (token.isEmpty())
            return false;
        const QString role = userId == u"ada" ? u"admin"_s : u"supervisor"_s;
        m_session->start(SupervisorCredentials {m_fixture->server().baseUrl(), userId, role, token});
        return QTest::qWaitFor([this] { return m_session->connection().state() == SupervisorConnection::State::Live; },
                               10'000);
    }

    AdminPanel &panel() { return *m_window->adminPanel(); }

    /// Runs an action and waits for its answer and the refresh after it.
    bool act(const std::function<void()> &action)
    {
        QSignalSpy finished(&panel(), &AdminPanel::actionFinished);
        QSignalSpy refreshed(&panel(), &AdminPanel::usersRefreshed);
        action();
        return finished.wait(10'000) && (refreshed.size() > 0 || refreshed.wait(10'000));
    }

    const AdminUser *listed(const QString &id)
    {
        for (const AdminUser &user : panel().users()) {
            if (user.id == id)
                return &user;
        }
        return nullptr;
    }

    int loginStatus(const QString &userId, const QString &password)
    {
        return HttpTestClient(m_fixture->server().baseUrl())
            .postJson(u"/api/auth/login"_s, {{u"userId"_s, userId}, {u"password"_s, password}})
            .status;
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<SupervisorFixture>();
        QVERIFY2(m_fixture->start(standardAgents(), {{u"SUPERVISOR_PUSH_INTERVAL_MS"_s, u"10000"_s}}),
                 qPrintable(m_fixture->error()));
        m_session = std::make_unique<SupervisorSession>(m_fixture->clock());
        m_window = std::make_unique<SupervisorWindow>(*m_session);
        m_window->resize(1280, 800);
        m_window->show();
    }
    void cleanup()
    {
        m_window.reset();
        m_session.reset();
        m_fixture.reset();
    }

    void theTabIsForAdminsOnly()
    {
        QVERIFY(signIn(u"sam"_s));
        QCOMPARE(m_window->tabs()->indexOf(m_window->adminPanel()), -1);
        m_session->signOut();
        QSignalSpy refreshed(&panel(), &AdminPanel::usersRefreshed);
        QVERIFY(signIn(u"ada"_s));
        QVERIFY(m_window->tabs()->indexOf(m_window->adminPanel()) >= 0);
        QVERIFY(refreshed.size() > 0 || refreshed.wait(10'000));
        const AdminUser *agent = listed(u"a1"_s);
        QVERIFY(agent);
        QVERIFY(agent->profile);
        QCOMPARE(agent->profile->skills, QStringList({u"support"_s, u"sales"_s}));
        QCOMPARE(agent->profile->maxConcurrentCalls, 2);
        QVERIFY(listed(u"sam"_s) && !listed(u"sam"_s)->profile); // supervisors have no routing profile
        QCOMPARE(panel().usersTable()->rowCount(), int(panel().users().size()));
    }

    void actionsReachTheServerAndTheAuditList()
    {
        QSignalSpy refreshed(&panel(), &AdminPanel::usersRefreshed);
        QVERIFY(signIn(u"ada"_s));
        QVERIFY(refreshed.size() > 0 || refreshed.wait(10'000));

        QVERIFY(act([this] { panel().addUser(u"zoe"_s, u"Zoe Zhang"_s, u"agent"_s, u"zoe-password"_s); }));
        QCOMPARE(panel().statusText(), u"Added zoe."_s);
        QVERIFY(listed(u"zoe"_s));
        QCOMPARE(loginStatus(u"zoe"_s, u"zoe-password"_s), 200);

        QVERIFY(act([this] { panel().setDisabled(u"zoe"_s, true); }));
        QVERIFY(listed(u"zoe"_s)->disabled);
        QCOMPARE(loginStatus(u"zoe"_s, u"zoe-password"_s), 401);
        QVERIFY(act([this] { panel().setDisabled(u"zoe"_s, false); }));
        QVERIFY(act([this] { panel().setPassword(u"zoe"_s, u"another-secret"_s); }));
        QCOMPARE(loginStatus(u"zoe"_s, u"another-secret"_s), 200);

        AdminProfile profile = *listed(u"a2"_s)->profile;
        profile.skills = {u"support"_s, u"billing"_s};
        profile.priority = 4;
        QVERIFY(act([this, profile] { panel().saveProfile(u"a2"_s, profile); }));
        QCOMPARE(listed(u"a2"_s)->profile->skills, profile.skills);
        QCOMPARE(m_fixture->agents().agent(u"a2"_s)->profile.priority, 4); // routing uses it now

        // A refusal is shown, and changes nothing.
        QVERIFY(act([this] { panel().addUser(u"zoe"_s, QString(), u"agent"_s, u"zoe-password"_s); }));
        QVERIFY2(panel().statusText().startsWith(u"Refused: "_s), qPrintable(panel().statusText()));
        QVERIFY2(panel().statusText().contains(u"already exists"_s), qPrintable(panel().statusText()));

        QVERIFY(QTest::qWaitFor([this] { return panel().changesTable()->rowCount() == 5; }, 10'000));
        QCOMPARE(panel().changesTable()->item(0, 1)->text(), u"ada changed the profile of a2 (priority, skills)"_s);
        QCOMPARE(panel().changesTable()->item(4, 1)->text(), u"ada added zoe (agent)"_s);
    }

    void anotherAdminsChangeArrivesByPush()
    {
        QSignalSpy refreshed(&panel(), &AdminPanel::usersRefreshed);
        QVERIFY(signIn(u"ada"_s));
        QVERIFY(refreshed.size() > 0 || refreshed.wait(10'000));
        QVERIFY(!listed(u"a3"_s)->disabled);

        // The admin CLI or another admin's dashboard: here the route, with another admin's token.
        UserStore &users = *m_fixture->server().server().users();
        QVERIFY(users.add(u"otto"_s, u"Otto Admin"_s, Role::Admin, u"otto-password"_s));
        const HttpReply disabled
            = m_fixture->postJson(u"/api/admin/users/a3/disable"_s, {}, m_fixture->login(u"otto"_s));
        QCOMPARE(disabled.status, 200);
        QVERIFY(QTest::qWaitFor([this] { return listed(u"a3"_s) && listed(u"a3"_s)->disabled; }, 10'000));
        QCOMPARE(panel().statusText(), u"Changed: otto disabled a3"_s);
    }
};

QTEST_MAIN(TestSupervisorAdmin)
#include "tst_supervisor_admin.moc"
