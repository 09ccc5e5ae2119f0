#pragma once

#include <optional>

#include <QHash>
#include <QList>
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
struct TwilioCall;

/// Keeps Heartline's view of calls honest against Twilio's (status callbacks can be lost): every
/// interval it asks Twilio's REST API which calls are in progress at each agent Heartline believes
/// is on a call (`Calls.json?To=client:<id>&Status=in-progress`), and which client calls are in
/// progress at all, then ends the calls Twilio no longer has and adopts the ones Heartline missed.
/// Each repair is written to call_repairs and counted. Runs asynchronously: never blocks heartbeats.
///
/// With SIP_DOMAIN agents' legs go to sip:<id>@<domain> instead, and a filter on To cannot be
/// trusted to match what Twilio stores (parameters, case): one list of every call in progress is
/// read instead, and an agent Heartline believes on a call that is not in it is repaired.
class CallReconciler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallReconciler)

public:
    /// `sipDomain` set: agents are dialed at sip:<id>@<sipDomain> (SIP_DOMAIN), else as client:<id>.
    CallReconciler(TwilioRestClient &twilio, AgentService &agents, AgentRegistry &registry, CallStore &store,
                   MetricsRegistry &metrics, const Clock &clock, int intervalSeconds, QString sipDomain = {},
                   QObject *parent = nullptr);

    /// The agent a call leg rings, from its To: "client:<id>", or with `sipDomain` set
    /// "sip:<id>@<sipDomain>[;params]" (any case of the domain); nothing for anything else.
    [[nodiscard]] static std::optional<QString> agentOfLeg(const QString &to, const QString &sipDomain);

    /// Starts a pass now unless one is running; finished() follows when all answers are in.
    void runNow();
    /// The pass at start-up: what the store said agents were busy with is checked against every
    /// call Twilio has ringing or in progress (calls may have been answered, ended or begun ringing
    /// while the server was down). finished() follows, also when Twilio could not be asked.
    void runStartupPass();
    [[nodiscard]] bool isRunning() const { return m_pending > 0; }

Q_SIGNALS:
    void repaired(const QString &agentId, const QString &callSid, const QString &action);
    void finished(int repairs);

private:
    void runOverEveryCall(const QStringList &believedOnCall);
    /// The caller's CallSids of the agents' legs among `calls`, by agent (other calls left out).
    [[nodiscard]] QHash<QString, QStringList> legsByAgent(const QList<TwilioCall> &calls) const;
    void reconcile(const QString &agentId, const QStringList &inProgress,
                   const std::optional<QStringList> &ringing = std::nullopt, const QString &staleReservation = {});
    void finishStartupPass();
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
    struct StartupPass
    {
        QHash<QString, QString> reservedAtStart; ///< agent → the call it was reserved for
        QStringList believedOnCall;
        std::optional<QList<TwilioCall>> inProgress;
        std::optional<QList<TwilioCall>> ringing;
        bool failed = false;
    };
    StartupPass m_startup;
    QString m_sipDomain;
};

} // namespace heartline
