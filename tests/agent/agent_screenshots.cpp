// Renders the agent app's main screens to PNG files for the README: the sign-in screen, the main
// screen with readiness reasons, the device check, an incoming call and a lost connection. The
// app runs as in the tests (a real in-process server, a small voice server, set audio devices) in
// a real window; scripts/screenshots.sh runs this under Xvfb.
//
//     agent-screenshots OUTPUT_DIR

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QTabWidget>
#include <QTextStream>

#include "AgentAppFixture.h"
#include "FakeVoiceServer.h"
#include "agents/AgentService.h"
#include "desktop/IdleWatch.h"
#include "realtime/AgentSocketServer.h"
#include "ui/Theme.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

bool waitFor(const std::function<bool()> &done, int timeoutMs = 10'000)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

void settle()
{
    // Let layouts, style polish and repaints finish before grabbing.
    for (int i = 0; i < 10; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool save(QWidget &window, const QString &dir, const QString &name)
{
    settle();
    const QString path = QDir(dir).filePath(u"agent-"_s + name + u".png"_s);
    const bool ok = window.grab().save(path);
    QTextStream(stdout) << (ok ? "wrote " : "FAILED ") << path << Qt::endl;
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc != 2) {
        QTextStream(stderr) << "usage: agent-screenshots OUTPUT_DIR\n";
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(out);
    app.setStyleSheet(agentStyleSheet());

    FakeVoiceServer voice;
    AgentAppFixture fixture;
    if (!voice.listen() || !fixture.startServer()) {
        QTextStream(stderr) << "could not start the servers: " << fixture.server().error() << "\n";
        return 1;
    }
    fixture.startApp({}, {}, true);
    MainWindow &window = fixture.window();
    window.resize(620, 600);
    fixture.controller().setVoiceUrl(voice.url());
    bool ok = true;

    // 1. Sign-in screen, filled in as a returning agent sees it.
    fixture.find<QLineEdit>(u"serverUrl"_s)->setText(fixture.server().baseUrl().toString());
    fixture.find<QLineEdit>(u"agentId"_s)->setText(u"alice"_s);
    ok &= save(window, out, u"login"_s);

    // 2. Main screen: away for lunch with the headset's microphone unplugged: not ready, and why.
    fixture.typeSignIn(u"alice"_s, u"alice-password"_s);
    ok &= waitFor([&] { return fixture.session().state() == ConnectionState::Live; });
    ok &= waitFor([&] { return fixture.controller().voice().registration() == VoiceRegistration::Registered; });
    fixture.find<StatusSelector>(u"statusSelector"_s)->choose(AgentStatus::Away, u"lunch"_s);
    fixture.audio().setInputs({});
    ok &= waitFor([&] { return fixture.session().readiness().reasons().size() >= 2; });
    ok &= waitFor([&] { return fixture.session().roundTripMs().has_value(); });
    ok &= save(window, out, u"main-not-ready"_s);

    // 3. The device check for the same moment: the microphone is red, with the fix.
    window.showTab(u"devices"_s);
    ok &= save(window, out, u"device-check"_s);

    // 4. Headset back, available, and a call rings with the server's screen pop.
    fixture.audio().setInputs({Headset});
    fixture.find<StatusSelector>(u"statusSelector"_s)->choose(AgentStatus::Available);
    ok &= waitFor([&] { return fixture.session().readiness().ready; });
    window.showTab(u"now"_s);
    ok &= save(window, out, u"main-ready"_s);

    // 4b. Three minutes without keyboard or mouse input: "Still there?", 12 s into its grace period;
    // unanswered, calls stop until the next input.
    IdleWatch &idle = fixture.controller().idleWatch();
    fixture.idle().input();
    fixture.clock().advanceSeconds(180);
    fixture.session().poll();
    idle.poll();
    fixture.clock().advanceSeconds(12);
    idle.poll();
    ok &= idle.stage() == IdleStage::Asking;
    ok &= save(window, out, u"still-there"_s);
    fixture.clock().advanceSeconds(18);
    fixture.session().poll();
    idle.poll();
    ok &= waitFor([&] { return fixture.text(u"readinessHeadline"_s) == u"Calls paused until you are back"_s; });
    ok &= save(window, out, u"calls-paused"_s);
    fixture.idle().input();
    idle.poll();
    ok &= waitFor([&] { return fixture.session().readiness().ready; });
    AgentCallOffered offer;
    offer.callSid = u"CA22222222222222222222222222222222"_s;
    offer.from = u"+1 555 0100"_s;
    offer.to = u"+1 555 0199"_s;
    offer.queue = u"support"_s;
    offer.waitSeconds = 42;
    // As routing does: the agent is reserved for the call, then told (the screen pop).
    fixture.server().server().agents()->reserve(u"alice"_s, offer.callSid);
    fixture.server().server().agentSockets()->send(u"alice"_s, offer);
    voice.offer(u"CA11111111111111111111111111111111"_s, offer.callSid, offer.from, u"client:alice"_s);
    ok &= waitFor([&] {
        return fixture.controller().call().phase() == CallPhase::Ringing
            && fixture.controller().call().details().queue.has_value();
    });
    ok &= save(window, out, u"incoming-call"_s);

    // 5. On the call, two minutes in.
    fixture.controller().call().accept();
    voice.event(u"connected"_s, u"CA11111111111111111111111111111111"_s);
    ok &= waitFor([&] { return fixture.controller().call().phase() == CallPhase::Connected; });
    fixture.server().server().agents()->offerAnswered(u"alice"_s, offer.callSid);
    fixture.clock().advanceSeconds(134); // past a heartbeat: its answer brings the server's "on a call"
    ok &= waitFor([&] { return fixture.text(u"callTimer"_s) == u"02:14"_s; });
    ok &= waitFor([&] { return !fixture.session().readiness().ready; });
    ok &= save(window, out, u"on-call"_s);
    fixture.controller().call().hangup();

    // 6. The server goes away: the countdown to the next attempt, and no stale score.
    fixture.server().stop();
    ok &= waitFor([&] { return fixture.session().state() == ConnectionState::Reconnecting; });
    for (int i = 0; i < 2; ++i) {
        fixture.clock().setNowMs(fixture.session().reconnectAtMs());
        fixture.session().poll();
        const qint64 before = fixture.session().reconnectAtMs();
        ok &= waitFor([&] {
            return fixture.session().state() == ConnectionState::Reconnecting
                && fixture.session().reconnectAtMs() != before;
        });
    }
    fixture.session().poll();
    ok &= save(window, out, u"reconnecting"_s);

    return ok ? 0 : 1;
}
