#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

#include "SimModel.h"
#include "core/Result.h"
#include "twilio/FormParams.h"

namespace heartline {

class SimScheduler;
class WebhookSender;
struct WebhookRequest;
struct WebhookResult;

/// A call leg to `client:<identity>` that the voice-client signaling should ring.
struct ClientOffer
{
    QString callSid; ///< the child leg
    QString parentCallSid;
    QString from;
    QString to; ///< client:<identity>
    QString identity;
    QList<QPair<QString, QString>> parameters; ///< <Parameter> nouns of the long-form <Client>
};

/// Where client legs ring: the voice-client signaling implements it. The engine tells it about
/// legs; the signaling answers through CallEngine::acceptClientLeg() and friends.
class ClientGateway
{
public:
    virtual ~ClientGateway() = default;

    /// Offers the leg to every connection registered as offer.identity; returns how many got it.
    virtual int offer(const ClientOffer &offer) = 0;
    /// The leg stopped ringing unanswered (timeout, answered elsewhere, rejected, caller gone).
    virtual void cancelOffer(const QString &callSid) = 0;
    /// An answered leg ended from the caller's side (hang-up, redirect, time limit).
    virtual void bridgeEnded(const QString &callSid) = 0;
};

/// A `<Dial><Sip>` leg the SIP side should send an INVITE for.
struct SipOffer
{
    QString callSid; ///< the child leg (X-Twilio-CallSid)
    QString parentCallSid;
    QString accountSid;
    QString from; ///< the Dial's caller ID
    QString uri;  ///< the <Sip> URI as written: its parameters and headers say how to call
};

/// Where SIP legs ring: the stand-in's SIP side (a SIP user agent behind its SIP domain)
/// implements it. The engine tells it about legs; the SIP side reports back through
/// CallEngine::sipLegRinging() and friends. Nothing SIP-specific beyond that enters the engine.
class SipGateway
{
public:
    virtual ~SipGateway() = default;

    /// Sends the INVITE. Outcomes come back later, never from within this call.
    virtual void dial(const SipOffer &offer) = 0;
    /// The leg stopped ringing unanswered (timeout, answered elsewhere, caller gone): CANCEL.
    virtual void cancel(const QString &callSid) = 0;
    /// An answered leg ended from the caller's side (hang-up, redirect, time limit): BYE.
    virtual void bridgeEnded(const QString &callSid) = 0;
};

/// A queue member as the Members resource shows it, taken at one instant.
struct MemberSnapshot
{
    QString callSid;
    QString queueSid;
    int position = 0; ///< 1-based
    qint64 enqueuedAtMs = 0;
};

/// The heart of the stand-in: calls, queues and the TwiML interpreter.
///
/// An inbound call requests the voice URL, then runs the TwiML it gets verb by verb. Timed verbs
/// (Say, Play, Pause, Gather, Dial's ringing, the waitUrl loop) are SimScheduler entries, so tests
/// drive them with a ManualClock. Every call keeps an event log of what happened to it.
///
/// Whatever interrupts a call (a hang-up, a REST redirect, a dequeue) bumps its `generation`:
/// timers and webhook answers that belong to an older generation are ignored when they arrive.
class CallEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallEngine)

public:
    CallEngine(SimOptions options, SimScheduler &scheduler, WebhookSender &webhooks, QObject *parent = nullptr);
    ~CallEngine() override;

    void setClientGateway(ClientGateway *gateway) { m_gateway = gateway; }
    /// Without one, a <Sip> leg fails at once (the stand-in reaches no SIP endpoint).
    void setSipGateway(SipGateway *gateway) { m_sipGateway = gateway; }
    /// Where RecordingUrl points (the stand-in's own address; it serves no audio).
    void setRecordingBaseUrl(const QString &url) { m_recordingBaseUrl = url; }
    [[nodiscard]] const SimOptions &options() const { return m_options; }

    /// A caller dials `to`: creates the call (CA + 32 hex), sends its initiated and ringing status
    /// callbacks and requests the voice URL. Returns the CallSid.
    QString placeInboundCall(const QString &from, const QString &to);

    [[nodiscard]] const SimCall *findCall(const QString &sid) const;
    /// Newest first, as Twilio lists them.
    [[nodiscard]] QList<const SimCall *> calls() const;
    [[nodiscard]] const SimQueue *findQueue(const QString &sid) const;
    [[nodiscard]] const SimQueue *findQueueByName(const QString &friendlyName) const;
    /// Oldest first.
    [[nodiscard]] QList<const SimQueue *> queues() const;
    [[nodiscard]] QList<MemberSnapshot> members(const QString &queueSid) const;
    /// `member` is a CallSid or "Front".
    [[nodiscard]] std::optional<MemberSnapshot> member(const QString &queueSid, const QString &member) const;

    // --- Calls resource ---
    /// Url + Method: the call leaves what it is doing and runs the TwiML at `url`.
    Result<const SimCall *, SimError> redirectCall(const QString &sid, const QString &url, HttpMethod method);
    /// Twiml: the call leaves what it is doing and runs `document`.
    Result<const SimCall *, SimError> replaceTwiml(const QString &sid, const TwimlDocument &document);
    /// Status=completed ends a live call; Status=canceled ends one that is not answered yet.
    Result<const SimCall *, SimError> endCallByStatus(const QString &sid, const QString &status);
    /// StatusCallback (+ Method) on a call update: the completed event goes there from now on.
    Result<const SimCall *, SimError> setStatusCallback(const QString &sid, const QString &url, HttpMethod method);
    /// The caller hangs up (a child leg: the client hangs up). While queued it is an abandon.
    Result<const SimCall *, SimError> hangup(const QString &sid);

    // --- Queues resource ---
    Result<const SimQueue *, SimError> createQueue(const QString &friendlyName, std::optional<int> maxSize);
    Result<const SimQueue *, SimError> updateQueue(const QString &sid, const std::optional<QString> &friendlyName,
                                                   std::optional<int> maxSize);
    std::optional<SimError> deleteQueue(const QString &sid);
    /// Takes the member (a CallSid or "Front") out of the queue into the TwiML at `url`; returns
    /// the member as it was just before.
    Result<MemberSnapshot, SimError> dequeue(const QString &queueSid, const QString &member, const QString &url,
                                             HttpMethod method);

    // --- Voice clients (the signaling calls these) ---
    /// false when the leg is not ringing any more.
    bool acceptClientLeg(const QString &callSid);
    bool rejectClientLeg(const QString &callSid);
    /// The client ends an answered leg (or declines a ringing one).
    bool hangupClientLeg(const QString &callSid);

    // --- SIP legs (the SIP side calls these; false when the leg is not in a state for it) ---
    /// The INVITE went out with this SIP Call-ID (DialSipCallId).
    bool sipLegCalling(const QString &callSid, const QString &sipCallId);
    /// 180 Ringing: the leg's ringing status callback.
    bool sipLegRinging(const QString &callSid);
    /// 200 OK: the leg is answered and bridged with the caller.
    bool sipLegAnswered(const QString &callSid);
    /// A final error response, as Twilio maps it: 486/600/603 busy, 408 no-answer, anything else
    /// (404 and 480 among them: nobody registered) failed.
    bool sipLegFailed(const QString &callSid, int sipStatus, const QString &sipCallId);
    /// BYE from the SIP endpoint on an answered leg: the bridge ends as with a client hang-up.
    bool sipLegHungUp(const QString &callSid);

Q_SIGNALS:
    void eventLogged(const QString &callSid, const CallEvent &event);
    void callEnded(const QString &callSid);
    /// A call or leg changed status (ringing, in-progress, completed, no-answer, …): observers such
    /// as the fleet simulation read the call with findCall().
    void callStatusChanged(const QString &callSid, const QString &status);
    /// A call joined a queue (again, after a hand-off that failed): observers measure queue order.
    void callEnqueued(const QString &callSid, const QString &queueSid);

private:
    enum class Target { Main, Wait };

    SimCall *liveCall(const QString &sid);
    SimCall *anyCall(const QString &sid);
    SimQueue *queueBySid(const QString &sid);
    SimCall &createCall(const QString &direction, const QString &from, const QString &to, const QString &parentSid);
    void log(SimCall &call, const QString &kind, const QString &detail);
    void setStatus(SimCall &call, const QString &status);
    [[nodiscard]] qint64 now() const;
    [[nodiscard]] FormParams standardParams(const SimCall &call) const;
    [[nodiscard]] static QString resolveUrl(const QString &base, const QString &reference);
    [[nodiscard]] static HttpMethod methodOf(const QString &attribute);
    [[nodiscard]] static QString methodName(HttpMethod method);

    // Status callbacks, one at a time per call so they arrive in order.
    void statusEvent(SimCall &call, const QString &event);
    void pumpCallbacks(const QString &sid);

    // Webhooks that return TwiML, and webhooks whose answer is only logged.
    void fetchTwiml(SimCall &call, const WebhookRequest &request, Target target, const QString &purpose);
    void onTwiml(const QString &sid, Target target, const QString &purpose, const WebhookResult &result);
    void notify(SimCall &call, const WebhookRequest &request, const QString &purpose);
    void applicationError(SimCall &call, Target target, const QString &reason);

    // The interpreter.
    void runNext(SimCall &call);
    void startVerb(SimCall &call, const TwimlVerb &verb, const QString &documentUrl, bool inWait);
    void runTimed(SimCall &call, qint64 durationMs, const QString &what, std::function<void(SimCall &)> then);
    void answer(SimCall &call);
    [[nodiscard]] qint64 promptDuration(const QString &name, const QMap<QString, QString> &attributes,
                                        const QString &text) const;

    // Dial.
    void startDial(SimCall &call, const TwimlVerb &verb, const QString &documentUrl);
    void startQueueDial(SimCall &call, DialState state, const TwimlNoun &queueNoun);
    SimCall &createChildLeg(SimCall &parent, const QString &to, const QString &from, const TwimlNoun &noun);
    void endChildLeg(SimCall &child, const QString &status, const QString &why);
    void checkDialOutcome(SimCall &parent);
    /// The leg answered: it is bridged with its caller and the Dial's other legs stop ringing;
    /// false when the Dial no longer waits for an answer. `how` goes to the leg's event log.
    bool bridgeAnsweredLeg(SimCall &leg, const QString &how);
    /// An answered leg ends from its own side (a client's hang-up, a SIP BYE): the Dial it answered
    /// finishes.
    void endAnsweredLeg(SimCall &leg, const QString &why);
    /// The leg stops ringing: its client offer is withdrawn, or its INVITE canceled.
    void withdrawLeg(SimCall &leg);
    /// An answered leg ends from the caller's side: its client is told, or its SIP endpoint gets a BYE.
    void hangUpBridgedLeg(const SimCall &leg);
    void dialTimedOut(SimCall &parent);
    void endBridge(SimCall &parent, const QString &why);
    void finishDial(SimCall &parent, const QString &dialStatus, const QString &dialSid, int dialDuration);
    void stopDial(SimCall &parent, bool callerGone);
    void bridgeFromQueueEnded(SimCall &member);

    // Enqueue.
    SimQueue &queueNamed(const QString &friendlyName);
    void startEnqueue(SimCall &call, const TwimlVerb &verb, const QString &documentUrl);
    void requestWaitUrl(SimCall &call, const QString &url, HttpMethod method);
    void waitVerbsRanOut(SimCall &call);
    [[nodiscard]] FormParams queueParams(const SimCall &call) const;
    QueueStay removeFromQueue(SimCall &call, const QString &result);
    void leaveQueue(SimCall &call, const QString &result);
    void queueAction(SimCall &call, const std::optional<QueueStay> &stay, const QString &action, HttpMethod method,
                     const QString &result, bool follow);

    // Ending and interrupting.
    void interrupt(SimCall &call, const QString &why);
    void endCall(SimCall &call, const QString &status, const QString &why);

    struct PendingCallback
    {
        QString event;
        QString url;
        HttpMethod method = HttpMethod::Post;
        FormParams params;
    };

    QString m_recordingBaseUrl = QStringLiteral("https://api.twilio.com");
    SimOptions m_options;
    SimScheduler &m_scheduler;
    WebhookSender &m_webhooks;
    ClientGateway *m_gateway = nullptr;
    SipGateway *m_sipGateway = nullptr;
    std::vector<std::unique_ptr<SimCall>> m_calls;
    QHash<QString, SimCall *> m_callIndex;
    std::vector<std::unique_ptr<SimQueue>> m_queues;
    QHash<QString, QList<PendingCallback>> m_callbackQueues;
    QHash<QString, bool> m_callbackBusy;
    qint64 m_nextSequence = 1;
};

/// "CA" + 32 lowercase hex digits, as Twilio's SIDs.
[[nodiscard]] QString newSid(const QString &prefix);

} // namespace heartline
