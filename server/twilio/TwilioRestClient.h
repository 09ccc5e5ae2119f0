#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include <QByteArray>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QString>
#include <QUrl>

#include "twilio/TwilioError.h"
#include "twilio/TwilioResources.h"
#include "twilio/TwilioRetryPolicy.h"

Q_DECLARE_LOGGING_CATEGORY(lcTwilioRest)

namespace heartline {

class Clock;
class Config;
class CurlTransport;
struct HttpResponse;

/// Where and how the client reaches Twilio. The auth token is a secret: it is handed to libcurl
/// for the Authorization header and appears nowhere else (no logs, no URLs, no error texts).
struct TwilioRestOptions
{
    QUrl baseUrl {QStringLiteral("https://api.twilio.com")}; ///< user info in it is ignored
    QString accountSid;
    QString authToken;
    std::chrono::milliseconds connectTimeout {5'000};
    std::chrono::milliseconds totalTimeout {15'000}; ///< per attempt
    TwilioRetryPolicy retry;
    int maxPages = 50; ///< list operations stop with TooManyPages beyond this
    qint64 maxResponseBytes = 8 * 1024 * 1024;

    /// Base URL, Account SID and auth token from TWILIO_API_BASE_URL, TWILIO_ACCOUNT_SID and
    /// TWILIO_AUTH_TOKEN; the other fields keep their defaults.
    [[nodiscard]] static TwilioRestOptions fromConfig(const Config &config);
};

/// Filters of GET Calls.json (case-sensitive names on the wire); empty fields are not sent.
struct TwilioCallFilter
{
    QString to; ///< "client:<identity>" for a Voice SDK client
    QString from;
    QString status; ///< queued, ringing, in-progress, …
    QString parentCallSid;
    int pageSize = 0; ///< 1..1000; 0 leaves Twilio's default (50)
};

/// POST Calls/{CallSid}.json. Exactly one of url, twiml, status.
struct TwilioCallUpdate
{
    QUrl url;       ///< redirect the live call to the TwiML at this URL
    QString method; ///< GET or POST for url; empty for Twilio's default (POST)
    QString twiml;  ///< or replace its TwiML with this document
    QString status; ///< or end it: "completed" (a call in progress) or "canceled" (queued or ringing)
    QUrl statusCallback;
    QString statusCallbackMethod;
    QUrl fallbackUrl;
};

/// POST Queues/{QueueSid}.json; unset fields are left as they are.
struct TwilioQueueUpdate
{
    std::optional<QString> friendlyName;
    std::optional<int> maxSize;
};

/// Twilio's REST API (spec/twilio-voice-wire.md §3) over libcurl, asynchronous: every operation
/// returns at once and later calls `done` on the thread of `context`, from the event loop, with
/// the value or a TwilioError. When `context` is destroyed first, `done` is never called.
/// Use the client from the thread it lives in.
///
/// Retries (with backoff, honouring Retry-After, at most retry.maxAttempts sends):
/// - 429 and requests that never reached Twilio (DNS, connect failure): every request, because
///   Twilio has not acted on them;
/// - 5xx, timeouts and broken connections: only requests that are safe to repeat: GETs, DELETE,
///   updateQueue and updateSipCredentialPassword (they set values) and updateCall with status alone
///   (ending a call twice ends it once). Not createQueue or createCredentialList (a second one),
///   createSipCredential (the username exists after the first), dequeueMember (a second caller
///   would leave the queue), nor updateCall with url/twiml (the call would restart its TwiML).
///
/// Passwords sent to Twilio (SIP credentials) travel in the form body only, which is never logged.
class TwilioRestClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TwilioRestClient)

public:
    template <typename T> using Callback = std::function<void(const TwilioResult<T> &)>;
    using Done = std::monostate; ///< the value of operations that answer with no body

    TwilioRestClient(TwilioRestOptions options, const Clock &clock, QObject *parent = nullptr);
    ~TwilioRestClient() override;

    /// The member selector that means "whoever is first in the queue".
    [[nodiscard]] static QString frontOfQueue();

    /// GET Calls.json, following next_page_uri until the last page.
    void listCalls(const TwilioCallFilter &filter, QObject *context, Callback<QList<TwilioCall>> done);
    void fetchCall(const QString &callSid, QObject *context, Callback<TwilioCall> done);
    void updateCall(const QString &callSid, const TwilioCallUpdate &update, QObject *context,
                    Callback<TwilioCall> done);

    void listQueues(QObject *context, Callback<QList<TwilioQueue>> done);
    /// maxSize unset leaves Twilio's default.
    void createQueue(const QString &friendlyName, std::optional<int> maxSize, QObject *context,
                     Callback<TwilioQueue> done);
    void fetchQueue(const QString &queueSid, QObject *context, Callback<TwilioQueue> done);
    void updateQueue(const QString &queueSid, const TwilioQueueUpdate &update, QObject *context,
                     Callback<TwilioQueue> done);
    void deleteQueue(const QString &queueSid, QObject *context, Callback<Done> done);

    void listQueueMembers(const QString &queueSid, QObject *context, Callback<QList<TwilioQueueMember>> done);
    /// `member` is a CallSid or frontOfQueue().
    void fetchQueueMember(const QString &queueSid, const QString &member, QObject *context,
                          Callback<TwilioQueueMember> done);
    /// Takes the caller (a CallSid or frontOfQueue()) out of the queue into the TwiML at `url`.
    void dequeueMember(const QString &queueSid, const QString &member, const QUrl &url, const QString &method,
                       QObject *context, Callback<TwilioQueueMember> done);

    // --- SIP credentials (for softphones registered at a SIP Domain) ---

    void listCredentialLists(QObject *context, Callback<QList<TwilioCredentialList>> done);
    /// FriendlyName: 1 to 64 characters.
    void createCredentialList(const QString &friendlyName, QObject *context, Callback<TwilioCredentialList> done);
    void listSipCredentials(const QString &credentialListSid, QObject *context,
                            Callback<QList<TwilioSipCredential>> done);
    /// Username up to 32 characters; Password at least 12 with a digit and both cases (Twilio's rules).
    void createSipCredential(const QString &credentialListSid, const QString &username, const QString &password,
                             QObject *context, Callback<TwilioSipCredential> done);
    void updateSipCredentialPassword(const QString &credentialListSid, const QString &credentialSid,
                                     const QString &password, QObject *context, Callback<TwilioSipCredential> done);
    void deleteSipCredential(const QString &credentialListSid, const QString &credentialSid, QObject *context,
                             Callback<Done> done);

    /// Requests sent and not yet answered (retries waiting for their turn not included).
    [[nodiscard]] int requestsInFlight() const;

private:
    struct Request;
    struct JsonAnswer;
    template <typename T> struct ListState;
    using JsonDone = std::function<void(const TwilioResult<JsonAnswer> &)>;

    QObject *receiverOf(QObject *context) { return context ? context : this; }
    std::optional<TwilioError> checkReady() const;
    QByteArray nextPageUrl(const QString &nextPageUri) const;
    void send(std::shared_ptr<Request> request);
    void onAnswer(const std::shared_ptr<Request> &request, const HttpResponse &response);
    void retryOrFinish(const std::shared_ptr<Request> &request, TwilioError error, const QByteArray &retryAfter,
                       bool retryAllowed);

    void sendJson(const QByteArray &method, const QByteArray &url, const QByteArray &formBody, bool safeToRepeat,
                  QObject *context, JsonDone done);
    template <typename T, typename Parse>
    void sendForOne(const QByteArray &method, const QByteArray &url, const QByteArray &formBody, bool safeToRepeat,
                    QObject *context, Callback<T> done, Parse parse);
    template <typename T, typename Parse>
    void sendForList(const QByteArray &firstUrl, const QString &listKey, QObject *context, Callback<QList<T>> done,
                     Parse parse);
    template <typename T> void fetchPage(std::shared_ptr<ListState<T>> state, QByteArray url);
    template <typename T> void deliver(QObject *context, Callback<T> done, TwilioResult<T> result);

    TwilioRestOptions m_options;
    QByteArray m_apiRoot; ///< scheme://host[:port][/prefix]/2010-04-01/Accounts/{sid}
    QByteArray m_origin;  ///< scheme://host[:port]: what next_page_uri paths are resolved against
    QString m_configProblem;
    const Clock &m_clock;
    CurlTransport *m_transport = nullptr;
};

} // namespace heartline
