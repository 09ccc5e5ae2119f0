// Renders the supervisor dashboard in a real window with a realistic floor and saves screenshots:
// an in-process heartline::Server (the test fixtures) with 48 agents driven through an hour of
// heartbeats, device trouble, breaks and routed calls on a manual clock, and the dashboard signed in
// to it over loopback. Run by scripts/supervisor-screenshots.sh under Xvfb; not a test.
//
// Usage: supervisor_screenshots OUTPUT_DIR [WIDTHxHEIGHT | opening]
// The window's size: 1600x940 by default, or the size it opens at on this screen.

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QScreen>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QWindow>

#include <cstdio>

#include "SupervisorTestSupport.h"
#include "models/SupervisorSession.h"
#include "routing/CallRouter.h"
#include "ui/AgentDetailPanel.h"
#include "ui/LoginDialog.h"
#include "ui/SupervisorWindow.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 FloorStartMs = 1'773'149'400'000; // 2026-03-10T13:30:00Z: an hour of history up to 14:30

const QStringList Names {
    u"Amara Okafor"_s,    u"Ben Kowalski"_s,     u"Chloé Martin"_s,  u"Daniel Reyes"_s,  u"Elif Yılmaz"_s,
    u"Farah Haddad"_s,    u"Gustav Lindqvist"_s, u"Hana Sato"_s,     u"Isaac Mensah"_s,  u"Julia Novak"_s,
    u"Kofi Boateng"_s,    u"Lena Fischer"_s,     u"Mateo Silva"_s,   u"Nadia Petrova"_s, u"Oscar Byrne"_s,
    u"Priya Nair"_s,      u"Quentin Moreau"_s,   u"Rosa Jiménez"_s,  u"Samir Aziz"_s,    u"Tara O'Neill"_s,
    u"Umar Farouk"_s,     u"Vera Lukic"_s,       u"Wei Chen"_s,      u"Ximena Castro"_s, u"Yusuf Demir"_s,
    u"Zoe Campbell"_s,    u"Aiko Tanaka"_s,      u"Bruno Costa"_s,   u"Carmen Ruiz"_s,   u"Dmitri Volkov"_s,
    u"Emma Johansson"_s,  u"Felix Wagner"_s,     u"Grace Adeyemi"_s, u"Hugo Lefèvre"_s,  u"Ines Almeida"_s,
    u"Jonas Berg"_s,      u"Kavya Reddy"_s,      u"Liam Murphy"_s,   u"Maya Cohen"_s,    u"Nils Eriksen"_s,
    u"Olivia Brown"_s,    u"Pablo Ortega"_s,     u"Rania Saleh"_s,   u"Sven Holm"_s,     u"Thandiwe Dube"_s,
    u"Valentina Rossi"_s, u"Will Turner"_s,      u"Yara Haddad"_s,
};

/// How each agent behaves during the simulated hour.
enum class Kind {
    Steady,      ///< logged in, healthy devices
    NoHeadset,   ///< the headset is unplugged part of the hour
    SlowNetwork, ///< round trips far too long
    VoiceDown,   ///< the voice endpoint is not registered
    OnBreak,     ///< away (break or lunch) part of the hour
    Meeting,     ///< away for a meeting
    LoggedOut,   ///< never logs in
    LeftEarly,   ///< logs in, then stops sending heartbeats
};

Kind kindOf(int index)
{
    static const QList<Kind> pattern {Kind::Steady,    Kind::Steady, Kind::NoHeadset,   Kind::Steady,
                                      Kind::OnBreak,   Kind::Steady, Kind::SlowNetwork, Kind::Steady,
                                      Kind::LoggedOut, Kind::Steady, Kind::Meeting,     Kind::Steady,
                                      Kind::VoiceDown, Kind::Steady, Kind::Steady,      Kind::LeftEarly};
    return pattern.at(index % pattern.size());
}

QString idOf(int index)
{
    return u"agent%1"_s.arg(index + 1, 2, 10, QLatin1Char('0'));
}

/// Runs the event loop for a while (messages over loopback, timers).
void settle(int ms = 30)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

bool save(QWidget &window, const QString &path)
{
    window.raise();
    window.activateWindow();
    settle(400);
    QPixmap shot;
    QScreen *screen = window.screen();
    if (screen && QGuiApplication::platformName() == u"xcb"_s)
        shot = screen->grabWindow(window.winId());
    if (shot.isNull())
        shot = window.grab();
    if (!shot.save(path)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        return false;
    }
    std::printf("wrote %s (%dx%d)\n", qPrintable(path), shot.width(), shot.height());
    return true;
}

class Floor
{
public:
    explicit Floor(SupervisorFixture &fixture) : m_fixture(fixture) { }

    /// One simulated step of `seconds`: heartbeats, device changes, breaks, calls.
    void step(int minute, int seconds)
    {
        AgentService &agents = m_fixture.agents();
        for (int i = 0; i < Names.size(); ++i) {
            const QString id = idOf(i);
            const Kind kind = kindOf(i);
            if (kind == Kind::LoggedOut || (kind == Kind::LeftEarly && minute >= 40))
                continue;
            HeartbeatInput input;
            input.status = AgentStatus::Available;
            input.deviceConnected = true;
            DeviceReport devices {true, true, true, 18.0 + m_random.bounded(40.0), m_random.bounded(0.5)};
            DeviceDetails details {
                u"Jabra Evolve2 65"_s, u"Jabra Evolve2 65"_s, i % 3 ? u"wired"_s : u"wifi"_s, {}, {}};
            if (kind == Kind::NoHeadset && minute >= 35) {
                devices.audioInput = false;
                input.deviceConnected = false;
                details.audioInputName.clear();
            }
            if (kind == Kind::SlowNetwork && minute >= 20)
                devices.networkRttMs = 650 + m_random.bounded(300.0);
            if (kind == Kind::VoiceDown && minute >= 50)
                devices.voiceRegistered = false;
            if (kind == Kind::OnBreak && minute >= 45) {
                input.status = AgentStatus::Away;
                input.awayReason = i % 2 ? u"lunch"_s : u"break"_s;
            }
            if (kind == Kind::Meeting && minute >= 10) {
                input.status = AgentStatus::Away;
                input.awayReason = u"meeting"_s;
            }
            input.devices = devices;
            input.deviceDetails = details;
            // Heartbeats every 30 s, as the app sends them; 10-second steps reach a third of the floor.
            if ((i + minute * 6 + seconds / 10) % 3 == 0 || minute < 1)
                (void)agents.heartbeat(id, input, HeartbeatTransport::Http);
        }
        endCalls();
        routeCalls(minute);
        (void)agents.runDueWork();
    }

private:
    void routeCalls(int minute)
    {
        // About one call every 20 seconds, busier towards the end of the hour.
        const int calls = int(m_random.bounded(100)) < 35 + minute / 2 ? 1 : 0;
        for (int c = 0; c < calls; ++c) {
            const QString callSid = u"CA%1"_s.arg(++m_calls, 32, 16, QLatin1Char('0'));
            const auto twiml = m_fixture.server().server().calls()->inbound(
                FormParams {{u"CallSid"_s, callSid},
                            {u"From"_s, u"+1555%1"_s.arg(m_random.bounded(1'000'000), 7, 10, QLatin1Char('0'))},
                            {u"To"_s, u"+15550199"_s}});
            if (!twiml)
                continue;
            const auto decisions = m_fixture.server().server().calls()->recentDecisions({}, 1);
            if (decisions.isEmpty() || decisions.first().chosenAgentId.isEmpty())
                continue;
            const QString agentId = decisions.first().chosenAgentId;
            m_fixture.agents().offerAnswered(agentId, callSid);
            const qint64 endsAt = m_fixture.clock().nowMs() + 60'000 + qint64(m_random.bounded(240)) * 1000;
            m_active.append({agentId, callSid, endsAt});
        }
    }

    void endCalls()
    {
        const qint64 now = m_fixture.clock().nowMs();
        for (qsizetype i = m_active.size() - 1; i >= 0; --i) {
            if (m_active.at(i).endsAtMs > now)
                continue;
            const ActiveCall call = m_active.takeAt(i);
            m_fixture.agents().callEnded(call.agentId, call.callSid, 120);
        }
    }

    struct ActiveCall
    {
        QString agentId;
        QString callSid;
        qint64 endsAtMs = 0;
    };

    SupervisorFixture &m_fixture;
    QRandomGenerator m_random {20260310};
    QList<ActiveCall> m_active;
    int m_calls = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Heartline"_s);
    QApplication::setApplicationName(u"heartline-supervisor-screenshots"_s);
    QLoggingCategory::setFilterRules(u"*.debug=false\nheartline.*.info=false\nheartline.*.warning=false"_s);
    const QString output = argc > 1 ? QString::fromLocal8Bit(argv[1]) : u"docs/screenshots"_s;
    QDir().mkpath(output);

    QList<AgentSpec> specs;
    const QStringList skills {u"support"_s, u"sales"_s, u"billing"_s};
    for (int i = 0; i < Names.size(); ++i) {
        QStringList agentSkills {skills.at(i % 3)};
        if (i % 4 == 0)
            agentSkills.append(skills.at((i + 1) % 3));
        specs.append({idOf(i), Names.at(i), agentSkills, i % 10 == 0 ? 2 : 1});
    }
    SupervisorFixture fixture;
    fixture.clock().setNowMs(FloorStartMs);
    // Decisions in the default queue, which every agent serves; routing file not needed.
    if (!fixture.start(specs)) {
        std::fprintf(stderr, "server: %s\n", qPrintable(fixture.error()));
        return 1;
    }

    SupervisorSession::Options options;
    options.sampleCheckMs = 3'600'000; // samples are taken by the simulation below
    options.tickMs = 3'600'000;
    SupervisorSession session(fixture.clock(), options);
    session.agents().setFlushDelayMs(0);
    SupervisorWindow window(session);
    const QString sizeArgument = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    const QStringList size = sizeArgument.split(u'x');
    if (sizeArgument != u"opening"_s)
        window.resize(size.size() == 2 ? QSize(size.at(0).toInt(), size.at(1).toInt()) : QSize(1600, 940));

    LoginDialog login(session.api());
    login.setServerUrl(fixture.server().baseUrl().toString());
    login.setUserId(u"sam"_s);
    login.setPassword(u"sam-password"_s);
    login.show();
    settle(300);
    save(login, output + u"/supervisor-login.png"_s);
    login.signIn();
    while (login.result() != QDialog::Accepted && login.errorText().isEmpty())
        settle(20);
    if (login.result() != QDialog::Accepted) {
        std::fprintf(stderr, "sign-in failed: %s\n", qPrintable(login.errorText()));
        return 1;
    }
    session.start(login.credentials());
    window.show();
    while (session.connection().state() != SupervisorConnection::State::Live)
        settle(20);

    // An hour of the floor in 10-second steps, the dashboard sampling its charts as it goes.
    Floor floor(fixture);
    for (int step = 0; step < 360; ++step) {
        floor.step(step / 6, (step % 6) * 10);
        fixture.sockets().flushNow();
        if (step % 30 == 0)
            fixture.sockets().sendStatsNow();
        settle(15);
        (void)session.sampleIfDue();
        fixture.clock().advanceSeconds(10);
    }
    floor.step(60, 0);
    // The steady agents' last heartbeats over HTTP, as HTTP-only apps send them: the server times these.
    for (int i = 0; i < Names.size(); ++i) {
        if (kindOf(i) != Kind::Steady)
            continue;
        const QJsonObject heartbeat {{u"agentId"_s, idOf(i)},
                                     {u"deviceConnected"_s, true},
                                     {u"currentStatus"_s, u"available"_s},
                                     {u"devices"_s,
                                      QJsonObject {{u"audioInput"_s, true},
                                                   {u"audioOutput"_s, true},
                                                   {u"voiceRegistered"_s, true},
                                                   {u"networkRttMs"_s, 20 + i}}}};
        (void)fixture.postJson(u"/api/agent-heartbeat"_s, heartbeat, fixture.login(idOf(i)));
    }
    fixture.sockets().flushNow();
    fixture.sockets().sendStatsNow();
    session.refreshRouting();
    settle(500);
    session.agents().tick();
    window.refreshCharts();

    // The agents tab, sorted by readiness, with a not-ready agent's detail open.
    window.agentTable()->sortByColumn(AgentTableModel::ReadinessColumn, Qt::DescendingOrder);
    window.selectAgent(idOf(2)); // no headset since minute 35
    settle(600);
    bool ok = save(window, output + u"/supervisor-agents.png"_s);

    window.selectAgent(idOf(6)); // slow network, with routing history
    settle(600);
    ok = save(*window.detailPanel()->parentWidget()->parentWidget(), output + u"/supervisor-agent-detail.png"_s) && ok;

    window.tabs()->setCurrentIndex(2);
    ok = save(window, output + u"/supervisor-charts.png"_s) && ok;

    // The server goes away: the banner and the greyed rows.
    window.tabs()->setCurrentIndex(0);
    fixture.server().stop();
    while (!session.connection().isStale())
        settle(20);
    settle(300);
    ok = save(window, output + u"/supervisor-stale.png"_s) && ok;
    return ok ? 0 : 1;
}
