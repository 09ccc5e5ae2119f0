#pragma once

#include <optional>

#include <QList>
#include <QPair>
#include <QSet>
#include <QString>

#include "SimScheduler.h"
#include "client/ServerTrust.h"
#include "twilio/TwimlDocument.h"
#include "twilio/TwimlWriter.h"

namespace heartline {

/// What the stand-in was started with. Durations are simulated time (SimScheduler), not wall time.
struct SimOptions
{
    QString accountSid;        ///< AC…: the only account the REST API serves
    QString authToken;         ///< REST password and the key of every X-Twilio-Signature
    QString voiceUrl;          ///< requested (POST) for every inbound call
    QString statusCallbackUrl; ///< optional: initiated, ringing, answered, completed of inbound calls
    QString apiKeySid;         ///< optional SK…: REST Basic auth with the API key, and the expected token issuer
    QString apiKeySecret;      ///< optional: verifies Access Tokens of registering voice clients
    /// What an https:// webhook URL's certificate is checked against (--ca-file beside the system's).
    ServerTrust webhookTrust;

    qint64 sayMsPerCharacter = 60;      ///< how long <Say> speaks, per character of text
    qint64 playDurationMs = 10'000;     ///< how long one <Play> of a URL lasts
    qint64 playDigitMs = 500;           ///< <Play digits="…">, per digit
    qint64 recordingMs = 8'000;         ///< how long a simulated caller speaks into <Record>
    qint64 webhookTimeoutMs = 15'000;   ///< Twilio's time limit on a webhook answer
    qint64 minWaitLoopMs = 1'000;       ///< a waitUrl document is requested at most once per this
    int defaultDialTimeoutSeconds = 30; ///< <Dial timeout> default
    int defaultGatherTimeoutSeconds = 5;
    int defaultQueueMaxSize = 1000; ///< spec §4: the Queue resource's max_size default
    int maxQueueMaxSize = 5000;
    qint64 defaultTimeLimitSeconds = 4 * 3600; ///< <Dial timeLimit> default
};

/// One line of a call's event log: what happened and when (simulated time).
struct CallEvent
{
    qint64 atMs = 0;
    QString kind; ///< status, webhook, verb, dial, queue, client, callback, error, control
    QString detail;
};

/// A REST or control request the stand-in refuses, with Twilio's status and error code.
struct SimError
{
    int httpStatus = 400;
    int code = 20001;
    QString message;
};

/// Who receives a call's status callbacks and for which events.
struct StatusCallbackTarget
{
    QString url;
    HttpMethod method = HttpMethod::Post;
    QSet<QString> events; ///< initiated, ringing, answered, completed
};

/// A document being executed: its verbs, where it came from (relative URLs resolve against it) and
/// the next verb to run.
struct TwimlFlow
{
    TwimlDocument document;
    QString url;
    qsizetype next = 0;
};

/// A call waiting in a queue (or bridged out of it, until its Enqueue action is due).
struct QueueStay
{
    QString queueSid;
    qint64 enqueuedAtMs = 0;
    QString action; ///< resolved; empty: fall through to the next verb
    HttpMethod actionMethod = HttpMethod::Post;
    QString waitUrl; ///< resolved; empty: Twilio's default hold music (simulated as silence)
    HttpMethod waitMethod = HttpMethod::Post;
    qint64 waitLoopStartedMs = 0;
    qint64 leftAtMs = -1; ///< when the call left the queue (dequeued, left, hung up)

    [[nodiscard]] int queueTimeSeconds(qint64 nowMs) const
    {
        return static_cast<int>(((leftAtMs >= 0 ? leftAtMs : nowMs) - enqueuedAtMs) / 1000);
    }
};

/// A <Dial> in progress on the calling leg.
struct DialState
{
    TwimlVerb verb;
    QString documentUrl;
    QStringList childSids; ///< client / number legs, in creation order
    QString answeredSid;   ///< the leg (or queue member) bridged to this call
    qint64 bridgeStartMs = -1;
    bool toQueue = false;
    bool answerOnBridge = false;
    SimScheduler::TimerId timeoutTimer = 0;
    SimScheduler::TimerId limitTimer = 0;
};

enum class CallActivity {
    Fetching, ///< waiting for a webhook's TwiML
    Verb,     ///< running a timed verb (Say, Play, Pause, Gather)
    Dialing,  ///< a <Dial> is ringing
    Bridged,  ///< connected to another leg
    Queued,   ///< waiting in a queue
    Ringing,  ///< a child leg offered to a client
    Idle,     ///< nothing scheduled (a verb that never ends, default hold music)
    Ended,
};

/// A call as the stand-in keeps it: the REST fields plus the interpreter's state.
struct SimCall
{
    QString sid;
    QString parentSid;
    QString direction = QStringLiteral("inbound"); ///< inbound, outbound-dial
    QString from;
    QString to;
    QString status; ///< queued, ringing, in-progress, completed, busy, failed, no-answer, canceled
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    qint64 startMs = -1; ///< answered; -1 until then
    qint64 endMs = -1;
    qint64 sequence = 0; ///< creation order, for lists

    QList<CallEvent> events;

    // Interpreter state.
    CallActivity activity = CallActivity::Fetching;
    quint64 generation = 0; ///< bumped whenever the flow is interrupted: stale timers and answers are ignored
    SimScheduler::TimerId timer = 0;
    bool answered = false;
    TwimlFlow main;
    std::optional<TwimlFlow> wait;
    std::optional<QueueStay> queued;           ///< in a queue now
    std::optional<QueueStay> bridgedFromQueue; ///< dequeued by <Dial><Queue>: the Enqueue action comes after the bridge
    std::optional<DialState> dial;
    QString bridgePeer;

    // Child legs.
    QString clientIdentity; ///< set for a leg to client:X
    QList<QPair<QString, QString>> clientParameters;
    QString sipCallId;       ///< a SIP leg's SIP Call-ID, once its INVITE went out
    int sipResponseCode = 0; ///< a SIP leg's final response (200 when answered; 487 when canceled)

    StatusCallbackTarget callbacks;
    int callbackSequence = 0;

    [[nodiscard]] bool isLive() const { return endMs < 0; }
    [[nodiscard]] int durationSeconds() const
    {
        return startMs >= 0 && endMs >= startMs ? static_cast<int>((endMs - startMs) / 1000) : 0;
    }
};

/// A queue and who waits in it, front first.
struct SimQueue
{
    QString sid;
    QString friendlyName;
    int maxSize = 1000;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    QStringList members;    ///< call sids, front first
    qint64 totalWaitMs = 0; ///< of callers who left the queue, for average_wait_time
    int departed = 0;

    [[nodiscard]] int averageWaitSeconds() const
    {
        return departed > 0 ? static_cast<int>(totalWaitMs / departed / 1000) : 0;
    }
};

} // namespace heartline
