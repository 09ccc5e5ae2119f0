#pragma once

// The agent app as a user runs it, against a real heartline-server started in this process on
// loopback: the real controller and main window (offscreen), with a manual clock for every
// deadline, a jitter-free backoff, and audio devices the test sets.

#include <memory>

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "AgentController.h"
#include "FakeVoiceServer.h"
#include "InProcessServer.h"
#include "agents/AgentService.h"
#include "desktop/IdleSource.h"
#include "devices/AudioDeviceSource.h"
#include "settings/AgentSettings.h"
#include "ui/MainWindow.h"
#include "ui/StatusSelector.h"
#include "ui/TrayIcon.h"
#include "users/UserStore.h"

namespace heartline::test {

using namespace Qt::StringLiterals;

inline const AudioDevice Headset {"usb-headset", u"Jabra Evolve 40"_s, true};
inline const AudioDevice HeadsetSpeaker {"usb-headset-out", u"Jabra Evolve 40"_s, true};

class AgentAppFixture final
{
public:
    /// Starts the server (extra keys as environment names) with agent alice, supervisor sam.
    bool startServer(const QHash<QString, QString> &serverSettings = {})
    {
        if (!m_server.start(serverSettings))
            return false;
        UserStore &users = *m_server.server().users();
        return users.add(u"alice"_s, u"Alice Agent"_s, Role::Agent, u"alice-password"_s).ok()
            && users.add(u"sam"_s, u"Sam Supervisor"_s, Role::Supervisor, u"sam-password"_s).ok();
    }

    /// Builds the app. The poll timer stays on (it only acts when the manual clock says so). With
    /// `watchIdle`, the app reads keyboard and mouse idle time from idle() ("Still there?"); without,
    /// it reports none, so tests that move the clock by minutes are not asked.
    void startApp(ServerSession::Options options = {}, AgentController::VoiceFactory voice = {}, bool watchIdle = false)
    {
        m_audio.setInputs({Headset});
        m_audio.setOutputs({HeadsetSpeaker});
        m_settings = std::make_unique<AgentSettings>(m_dir.filePath(u"agent.ini"_s));
        m_settings->setRingSound(false); // offscreen test machines have no sound card
        options.backoff.jitter = 0.2;
        m_controller = std::make_unique<AgentController>(AgentController::Dependencies {
            m_clock, m_audio, [] { return 0.5; }, std::move(voice), {}, options, watchIdle ? &m_idle : nullptr});
        m_window = std::make_unique<MainWindow>(*m_controller, *m_settings);
        m_window->show();
    }

    /// Gives the app a working voice line (a voice server it registers with), so calls can ring.
    bool startVoiceLine()
    {
        m_voice = std::make_unique<FakeVoiceServer>();
        if (!m_voice->listen())
            return false;
        m_controller->setVoiceUrl(m_voice->url());
        return true;
    }

    /// Fills the sign-in screen and presses Sign in.
    void typeSignIn(const QString &agent, const QString &password, const QUrl &server = {})
    {
        find<QLineEdit>(u"serverUrl"_s)->setText((server.isEmpty() ? m_server.baseUrl() : server).toString());
        find<QLineEdit>(u"agentId"_s)->setText(agent);
        find<QLineEdit>(u"password"_s)->setText(password);
        QTest::mouseClick(find<QPushButton>(u"signInButton"_s), Qt::LeftButton);
    }

    /// Signs alice in and waits until the app is live (welcome and first ack received).
    bool signInAlice()
    {
        QSignalSpy acked(&session(), &ServerSession::heartbeatAcknowledged);
        typeSignIn(u"alice"_s, u"alice-password"_s);
        return acked.wait(10'000) && session().state() == ConnectionState::Live;
    }

    template <typename T> T *find(const QString &name)
    {
        T *widget = m_window->findChild<T *>(name);
        if (!widget)
            qWarning("no widget named %s", qPrintable(name));
        return widget;
    }
    [[nodiscard]] QString text(const QString &labelName) { return find<QLabel>(labelName)->text(); }

    [[nodiscard]] const AgentRecord &alice() { return *m_server.server().agents()->agent(u"alice"_s); }
    [[nodiscard]] InProcessServer &server() { return m_server; }
    [[nodiscard]] ManualClock &clock() { return m_clock; }
    [[nodiscard]] StaticAudioDeviceSource &audio() { return m_audio; }
    /// Keyboard and mouse input on the desktop, by the app's clock.
    [[nodiscard]] ManualIdleSource &idle() { return m_idle; }
    [[nodiscard]] AgentController &controller() { return *m_controller; }
    [[nodiscard]] ServerSession &session() { return m_controller->session(); }
    [[nodiscard]] MainWindow &window() { return *m_window; }
    /// The voice server of startVoiceLine().
    [[nodiscard]] FakeVoiceServer &voiceServer() { return *m_voice; }
    [[nodiscard]] AgentSettings &settings() { return *m_settings; }
    [[nodiscard]] QString settingsFile() const { return m_dir.filePath(u"agent.ini"_s); }

    ~AgentAppFixture()
    {
        m_window.reset();
        m_controller.reset();
        m_voice.reset();
    }

private:
    InProcessServer m_server;
    ManualClock m_clock;
    StaticAudioDeviceSource m_audio;
    ManualIdleSource m_idle {m_clock};
    QTemporaryDir m_dir;
    std::unique_ptr<AgentSettings> m_settings;
    std::unique_ptr<AgentController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<FakeVoiceServer> m_voice;
};

} // namespace heartline::test
