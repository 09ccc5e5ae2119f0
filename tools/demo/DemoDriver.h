#pragma once

#include <functional>
#include <memory>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include "ScenarioConfig.h"
#include "SimAgent.h"
#include "core/Clock.h"

class QTextStream;

namespace heartline {

class AgentFleet;
class CallerStream;
class CallPlacer;
class SimScheduler;

/// What heartline-demo was started with.
struct DemoOptions
{
    QUrl serverUrl {QStringLiteral("http://127.0.0.1:8080")};
    QUrl simUrl {QStringLiteral("http://127.0.0.1:8090")};
    QString supervisorId = QStringLiteral("demo-supervisor");
    QString supervisorPassword;
    int agents = 36;
    double callsPerMinute = 8;
    qint64 burstEveryMs = 180'000; ///< 0: no bursts
    int burstCalls = -1;           ///< -1: as many as there are agents
    qint64 faultGapMs = 20'000;    ///< mean time between two faults (0: none)
    quint64 seed = 1;
    int summarySeconds = 5;
    int durationSeconds = 0; ///< 0: until interrupted
};

/// The live demo against a running heartline-server and heartline-twilio-sim, in real time: the
/// fleet's simulated agents (some of them faulty now and then), a gentle stream of calls with bursts
/// that fill the queue, and a summary in the terminal every few seconds of what the server sees
/// (GET /api/agents, /api/queues, /api/routing/decisions as the demo supervisor) and of what the
/// simulation knows (faults, calls placed and bridged).
class DemoDriver final : public QObject, public SimAgentObserver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoDriver)

public:
    DemoDriver(DemoOptions options, QTextStream &out, QObject *parent = nullptr);
    ~DemoDriver() override;

    /// Whatever the seed, the first fault begins this long after the agents start signing in (or one
    /// --fault-every after faults may start, when that is sooner): the demo says so when it starts.
    static constexpr qint64 FirstFaultByMs = 20'000;

    /// The scenario the demo runs: ScenarioConfig::demo with the options' seed, call rate and bursts.
    [[nodiscard]] static ScenarioConfig scenario(const DemoOptions &options);
    /// Its faults, planned for a day from the agents' start.
    [[nodiscard]] static QList<Fault> plannedFaults(const DemoOptions &options);

    /// Waits for the server and the stand-in, signs the supervisor in, starts agents and callers.
    void start();
    /// Prints the last summary and stops the agents (their sockets close).
    void stop();

    // SimAgentObserver
    void agentEvent(int agent, Event event, const QString &callSid) override;

Q_SIGNALS:
    /// The demo cannot run (nothing answers, the supervisor cannot sign in): the text says why.
    void failed(const QString &why);
    /// --duration-seconds passed.
    void finished();

private:
    struct Snapshot
    {
        QJsonArray agents;
        QJsonArray queues;
        QJsonArray decisions;
        int pending = 0;
    };

    void waitForServices(int attempt);
    void signIn();
    void startFleet();
    void requestSummary();
    void get(const QString &path, std::function<void(const QJsonObject &)> done);
    void printSummary(const Snapshot &snapshot);

    DemoOptions m_options;
    QTextStream &m_out;
    SystemClock m_clock;
    std::unique_ptr<SimScheduler> m_scheduler;
    QNetworkAccessManager m_network;
    std::unique_ptr<CallPlacer> m_placer;
    std::unique_ptr<AgentFleet> m_fleet;
    std::unique_ptr<CallerStream> m_stream;
    QByteArray m_token;
    QTimer m_summaryTimer;
    QElapsedTimer m_running;
    std::shared_ptr<Snapshot> m_snapshot;
    int m_bridged = 0;
    int m_offered = 0;
    QSet<QString> m_bridgedCalls;
};

} // namespace heartline
