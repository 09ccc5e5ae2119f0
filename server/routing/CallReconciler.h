#pragma once

#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

namespace heartline {

class AgentRegistry;
class AgentService;
class CallStore;
class Clock;
class Counter;
class MetricsRegistry;
class TwilioRestClient;

/// Keeps Heartline's view of calls honest against Twilio's (status callbacks can be lost): every
/// interval it asks Twilio's REST API which calls are in progress at each agent Heartline believes
/// is on a call (`Calls.json?To=client:<id>&Status=in-progress`), and which client calls are in
/// progress at all, then ends the calls Twilio no longer has and adopts the ones Heartline missed.
/// Each repair is written to call_repairs and counted. Runs asynchronously: never blocks heartbeats.
class CallReconciler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallReconciler)

public:
    CallReconciler(TwilioRestClient &twilio, AgentService &agents, AgentRegistry &registry, CallStore &store,
                   MetricsRegistry &metrics, const Clock &clock, int intervalSeconds, QObject *parent = nullptr);

    /// Starts a pass now unless one is running; finished() follows when all answers are in.
    void runNow();
    [[nodiscard]] bool isRunning() const { return m_pending > 0; }

Q_SIGNALS:
    void repaired(const QString &agentId, const QString &callSid, const QString &action);
    void finished(int repairs);

private:
    void reconcile(const QString &agentId, const QStringList &inProgress);
    void requestDone();

    TwilioRestClient &m_twilio;
    AgentService &m_agents;
    AgentRegistry &m_registry;
    CallStore &m_store;
    MetricsRegistry &m_metrics;
    const Clock &m_clock;
    QTimer m_timer;
    int m_pending = 0;
    int m_repairsThisPass = 0;
    QSet<QString> m_checkedThisPass;
};

} // namespace heartline
