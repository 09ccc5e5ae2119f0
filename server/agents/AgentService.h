#pragma once

#include <optional>

#include <QObject>
#include <QString>

#include "agents/AgentRecord.h"
#include "core/Result.h"
#include "protocol/ProtocolTypes.h"
#include "readiness/ReadinessConfig.h"

namespace heartline {

class AgentRegistry;
class AgentStore;
class Clock;
class Config;

/// How a heartbeat arrived.
enum class HeartbeatTransport {
    Http,
    WebSocket,
};

/// What an agent app reports in a heartbeat (HTTP body or /ws/agent message), already validated.
struct HeartbeatInput
{
    AgentStatus status = AgentStatus::Available;
    bool deviceConnected = false;
    QString awayReason;
    std::optional<DeviceReport> devices;
    std::optional<DeviceDetails> deviceDetails;
    PresenceReport presence;
};

/// How an offered call ended at the agent (Twilio's DialCallStatus, less "completed").
enum class OfferOutcome {
    NoAnswer,
    Busy,        ///< the agent declined
    Failed,      ///< the client could not be reached
    Canceled,    ///< the caller hung up while it rang: not the agent's fault
    Unreachable, ///< Twilio found no registered voice line (SIP 404/480): not the agent's doing either
};

/// The word callEnded carries for an offer that ended unanswered.
[[nodiscard]] QString offerOutcomeName(OfferOutcome outcome);

/// A status change the server made: pushed to the agent app and to supervisors.
struct StatusChange
{
    QString agentId;
    AgentStatus from = AgentStatus::Offline;
    AgentStatus to = AgentStatus::Offline;
    QString awayReason;
    StatusChangeSource by = StatusChangeSource::Server;
    QString cause; ///< "no-answer", "cleanup", "supervisor", "disconnected", "logout", "agent"
};

/// The agent state machine: sessions, statuses, heartbeats, devices, connections and expiry.
/// It keeps every agent in the AgentRegistry (memory) and writes the store: status changes and
/// sessions durably before returning, heartbeat timestamps behind in batches.
class AgentService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentService)

public:
    AgentService(AgentRegistry &registry, AgentStore &store, const Config &config, const Clock &clock,
                 QObject *parent = nullptr);
    ~AgentService() override;

    /// Loads profiles and open sessions from the store (after a restart agents keep their status;
    /// their connections are gone, so they count as disconnected until they come back).
    [[nodiscard]] std::optional<Problem> loadFromStore();

    /// Re-reads every agent's routing profile (after the admin CLI changed one while the server runs).
    void reloadProfiles();
    /// Takes an agent's changed routing profile (an admin saved it); routing uses it from the next call.
    void applyProfile(const AgentProfile &profile);

    /// Opens a session for the agent if none is open (login, first heartbeat, hello).
    std::optional<Problem> ensureSession(const QString &agentId);
    /// Closes the session: status offline, logout recorded.
    std::optional<Problem> closeSession(const QString &agentId, StatusChangeSource by, const QString &cause);

    /// Applies a heartbeat. Returns the agent record after it (readiness up to date), or a problem.
    Result<const AgentRecord *> heartbeat(const QString &agentId, const HeartbeatInput &input,
                                          HeartbeatTransport transport);
    /// The agent (or a supervisor) sets a status. Durable before it returns.
    Result<const AgentRecord *> setStatus(const QString &agentId, AgentStatus status, const QString &awayReason,
                                          StatusChangeSource by, const QString &cause);
    /// Device state reported outside a heartbeat (headset unplugged...).
    Result<const AgentRecord *> updateDevices(const QString &agentId, const DeviceReport &devices,
                                              const DeviceDetails &details, std::optional<bool> deviceConnected,
                                              const PresenceReport &presence = {});

    /// The agent's /ws/agent socket is up. Returns true when this resumed a recent disconnect.
    bool connectionOpened(const QString &agentId);
    /// The socket closed or stopped answering pings: disconnected at once.
    void connectionLost(const QString &agentId, const QString &why);
    void pingMeasured(const QString &agentId, double rttMs);

    // --- calls (used by routing) ---

    /// Reserves the agent for a call that is about to ring there: it is `ringing` and is offered
    /// nothing else until the offer ends. False when the agent is unknown or already reserved.
    bool reserve(const QString &agentId, const QString &callSid);
    /// The agent picked up: on a call (the reservation becomes an active call).
    void offerAnswered(const QString &agentId, const QString &callSid);
    /// The offer ended unanswered: the reservation is released and, unless the caller hung up,
    /// the agent cools down and its no-answer streak grows; at the agent's maxNoAnswer it is put away
    /// with reason "no-answer" (pushed to the app). Returns true when that happened.
    bool offerUnanswered(const QString &agentId, const QString &callSid, OfferOutcome outcome);
    /// Twilio could not reach the agent's voice line (`reason` says how, e.g. "voice line not
    /// registered at Twilio (SIP 480)"): the agent fails the voice_unreachable gate until its app
    /// reports the line registered again (voiceRegistered turning true) or a new session starts.
    void markVoiceUnreachable(const QString &agentId, const QString &reason);
    /// An answered call ended after durationSeconds: wrap-up starts. Ending an unknown or already
    /// ended call changes nothing (callbacks may repeat).
    void callEnded(const QString &agentId, const QString &callSid, qint64 durationSeconds);
    // What the store says an agent was busy with when the server stopped (start-up only, before
    // reconciliation with Twilio confirms or repairs it).
    void restoreReservation(const QString &agentId, const QString &callSid, qint64 offeredAtMs);
    void restoreActiveCall(const QString &agentId, const QString &callSid, qint64 answeredAtMs);
    void restoreWrapUp(const QString &agentId, qint64 untilMs);

    /// A call whose state reconciliation changed: "ended" (Heartline thought it active, Twilio did
    /// not) or "adopted" (Twilio had it in progress, Heartline had missed it).
    struct CallRepair
    {
        QString callSid;
        QString action;
        bool offer = false; ///< the repair is of a ringing offer, not of an answered call
    };
    /// Calls Twilio says are in progress at the agent, for reconciliation: ends calls Heartline
    /// thinks are active but Twilio does not, adopts ones it missed. With `ringingCallSids` (a pass
    /// that listed ringing calls too) the reservation is checked as well: a call answered meanwhile
    /// becomes active, one ringing that Heartline did not know is reserved, and a reservation for
    /// `staleReservation` that rings nowhere any more is released without blame.
    QList<CallRepair> reconcileCalls(const QString &agentId, const QStringList &inProgressCallSids,
                                     const std::optional<QStringList> &ringingCallSids = std::nullopt,
                                     const QString &staleReservation = {});

    /// Everything due by now: expired heartbeats (stale, then offline), ended grace periods,
    /// ended wrap-up and cooldown. Returns the status changes it made. Called by a timer and by
    /// the cleanup endpoint.
    QList<StatusChange> runDueWork();

    /// The record with readiness and activity recomputed for now, or nullptr for an unknown agent.
    [[nodiscard]] const AgentRecord *agent(const QString &agentId);
    [[nodiscard]] const ReadinessConfig &readinessConfig() const { return m_readinessConfig; }
    [[nodiscard]] int heartbeatIntervalSeconds() const;
    /// Desktop idle time before the app asks "Still there?" (0: not watched), how long it waits, and
    /// when the app reports the agent quiet.
    struct IdleWatch
    {
        int promptSeconds = 60;
        int graceSeconds = 30;
        int quietSeconds = 30; ///< the app reports presence quiet after this (0: not reported)
    };
    [[nodiscard]] IdleWatch idleWatch() const { return m_idleWatch; }
    /// Recomputes the agent for now and tells everyone who follows changes (after routing found its
    /// cached readiness out of date).
    void revalidate(const QString &agentId);
    /// Writes pending heartbeat timestamps now (shutdown, tests).
    void flushHeartbeats();

Q_SIGNALS:
    /// Anything about the agent changed (supervisor deltas, readiness pushes).
    void agentChanged(const QString &agentId);
    /// The server or a supervisor changed an agent's status (pushed to the agent app).
    void statusForced(const heartline::StatusChange &change);
    /// The agent's session ended (its own logout, or a supervisor's).
    void sessionClosed(const QString &agentId);
    /// A call offered to the agent, or talked on, is over for it: `outcome` is "completed" for a
    /// call it talked on, else why the offer ended ("no-answer", "busy", "failed", "canceled",
    /// "unreachable"). Pushed to the agent app as callEnded, so the app never shows a call that is gone.
    void callFinished(const QString &agentId, const QString &callSid, const QString &outcome);

private:
    AgentRecord *knownAgent(const QString &agentId);
    /// Readiness and activity for now, then expiry rescheduled and agentChanged emitted.
    void refresh(AgentRecord &record);
    /// Readiness and activity for now only: for reads, which change nothing anyone must be told.
    void recompute(AgentRecord &record);
    std::optional<Problem> changeStatus(AgentRecord &record, AgentStatus status, const QString &awayReason,
                                        StatusChangeSource by, const QString &cause);
    void rescheduleExpiry(AgentRecord &record);
    /// Stores what the app reports about its devices; a voice line registered again lifts voice_unreachable.
    void takeDeviceReport(AgentRecord &record, const DeviceReport &devices);
    /// Someone at the desk, or not: lifts the rang_out gate once the app reports input after it.
    void takePresence(AgentRecord &record, const PresenceReport &presence);
    /// The app was heard from: a session loaded at start-up is confirmed.
    void heardFrom(AgentRecord &record);
    void recordOffer(AgentRecord &record, bool answered);
    void rollCountersToToday(AgentRecord &record);

    AgentRegistry &m_registry;
    AgentStore &m_store;
    const Clock &m_clock;
    ReadinessConfig m_readinessConfig;
    qint64 m_reconnectGraceMs = 30'000;
    qint64 m_cooldownMs = 10'000;
    IdleWatch m_idleWatch;
};

} // namespace heartline
