#include "twilio/TwilioRestClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QMetaObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include "config/Config.h"
#include "core/Clock.h"
#include "twilio/CurlTransport.h"

// The category is "heartline.twilio"; the function has its own name so that it cannot collide
// with another Twilio module's category function at link time.
Q_LOGGING_CATEGORY(lcTwilioRest, "heartline.twilio")

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// application/x-www-form-urlencoded, for POST bodies and query strings alike: every byte but
/// the unreserved ones (A-Z a-z 0-9 - . _ ~) percent-encoded, so "client:alice" becomes
/// "client%3Aalice". Kept private and small on purpose; a shared form class can replace it.
class FormEncoder
{
public:
    FormEncoder &add(const char *key, const QString &value)
    {
        if (!m_encoded.isEmpty())
            m_encoded += '&';
        m_encoded += QByteArray(key).toPercentEncoding() + '=' + value.toUtf8().toPercentEncoding();
        return *this;
    }
    FormEncoder &addIfSet(const char *key, const QString &value) { return value.isEmpty() ? *this : add(key, value); }
    FormEncoder &addIfSet(const char *key, const QUrl &value)
    {
        return value.isEmpty() ? *this : add(key, value.toString(QUrl::FullyEncoded));
    }

    [[nodiscard]] const QByteArray &encoded() const { return m_encoded; }
    [[nodiscard]] QByteArray query() const { return m_encoded.isEmpty() ? QByteArray() : '?' + m_encoded; }

private:
    QByteArray m_encoded;
};

TwilioError invalidRequest(const QString &message)
{
    return TwilioError {TwilioError::Kind::InvalidRequest, 0, 0, message, {}, 0};
}

/// A SID as one path segment: required, and encoded so that it can never add path segments.
QByteArray pathSegment(const QString &sid)
{
    return sid.toUtf8().toPercentEncoding();
}

bool isHttpMethodOrEmpty(const QString &method)
{
    return method.isEmpty() || method == u"GET"_s || method == u"POST"_s;
}

TwilioError errorFromAnswer(int status, const QByteArray &body)
{
    TwilioError error;
    error.kind = TwilioError::Kind::Api;
    error.httpStatus = status;
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    error.code = json.value(u"code"_s).toInt();
    error.message = json.value(u"message"_s).toString();
    error.moreInfo = json.value(u"more_info"_s).toString();
    if (error.message.isEmpty())
        error.message = u"HTTP %1 without a Twilio error body"_s.arg(status);
    return error;
}

} // namespace

TwilioRestOptions TwilioRestOptions::fromConfig(const Config &config)
{
    TwilioRestOptions options;
    options.baseUrl = QUrl(config.stringValue(ConfigKey::TwilioApiBaseUrl));
    options.accountSid = config.stringValue(ConfigKey::TwilioAccountSid);
    options.authToken = config.stringValue(ConfigKey::TwilioAuthToken);
    return options;
}

struct TwilioRestClient::JsonAnswer
{
    int status = 0;
    QJsonObject body; ///< empty for 204
    int attempts = 0;
};

struct TwilioRestClient::Request
{
    QByteArray method;
    QByteArray url;
    QByteArray formBody;
    bool safeToRepeat = false;
    QPointer<QObject> context;
    JsonDone done;
    int attempts = 0;
};

template <typename T> struct TwilioRestClient::ListState
{
    QString listKey;
    QPointer<QObject> context;
    Callback<QList<T>> done;
    std::function<Result<T, QString>(const QJsonObject &)> parse;
    QList<T> items;
    int pages = 0;
};

TwilioRestClient::TwilioRestClient(TwilioRestOptions options, const Clock &clock, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_clock(clock), m_transport(new CurlTransport(this))
{
    QUrl base = m_options.baseUrl;
    if (!base.userInfo().isEmpty()) {
        // Not an error, but never a channel for credentials either: they would end up in logs.
        qCWarning(lcTwilioRest) << "user info in the Twilio API base URL is ignored;"
                                << "credentials come from TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN";
        base.setUserInfo({});
        m_options.baseUrl = base;
    }
    const QString scheme = base.scheme();
    if (!base.isValid() || (scheme != u"http"_s && scheme != u"https"_s) || base.host().isEmpty() || base.hasQuery()
        || base.hasFragment()) {
        m_configProblem = u"the Twilio API base URL %1 is not an http(s) URL without query"_s.arg(
            base.toString(QUrl::RemoveUserInfo));
        return;
    }
    m_origin = base.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment).toEncoded();
    while (m_origin.endsWith('/'))
        m_origin.chop(1);
    QByteArray prefix = base.path(QUrl::FullyEncoded).toUtf8();
    while (prefix.endsWith('/'))
        prefix.chop(1);
    m_apiRoot = m_origin + prefix + "/2010-04-01/Accounts/" + pathSegment(m_options.accountSid);
}

TwilioRestClient::~TwilioRestClient() = default;

QString TwilioRestClient::frontOfQueue()
{
    return u"Front"_s;
}

int TwilioRestClient::requestsInFlight() const
{
    return m_transport->transfersInFlight();
}

std::optional<TwilioError> TwilioRestClient::checkReady() const
{
    if (!m_configProblem.isEmpty())
        return invalidRequest(m_configProblem);
    if (m_options.accountSid.isEmpty())
        return invalidRequest(u"TWILIO_ACCOUNT_SID is not set"_s);
    if (m_options.authToken.isEmpty())
        return invalidRequest(u"TWILIO_AUTH_TOKEN is not set"_s);
    return std::nullopt;
}

QByteArray TwilioRestClient::nextPageUrl(const QString &nextPageUri) const
{
    // Only a path on the configured host: credentials must never follow a link to another host.
    if (!nextPageUri.startsWith(u'/') || nextPageUri.startsWith(u"//"_s))
        return {};
    for (const QChar c : nextPageUri) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return {};
    }
    return m_origin + nextPageUri.toLatin1();
}

// --- sending, retrying ---

void TwilioRestClient::sendJson(const QByteArray &method, const QByteArray &url, const QByteArray &formBody,
                                bool safeToRepeat, QObject *context, JsonDone done)
{
    auto request = std::make_shared<Request>();
    request->method = method;
    request->url = url;
    request->formBody = formBody;
    request->safeToRepeat = safeToRepeat;
    request->context = context;
    request->done = std::move(done);
    send(std::move(request));
}

void TwilioRestClient::send(std::shared_ptr<Request> request)
{
    if (!request->context) {
        qCDebug(lcTwilioRest).noquote() << request->method << request->url << "not sent: its receiver is gone";
        return;
    }
    ++request->attempts;
    qCDebug(lcTwilioRest).noquote() << request->method << request->url << "attempt" << request->attempts;

    HttpRequest http;
    http.method = request->method;
    http.url = request->url;
    http.formBody = request->formBody;
    http.userName = m_options.accountSid;
    http.password = m_options.authToken;
    http.connectTimeout = m_options.connectTimeout;
    http.totalTimeout = m_options.totalTimeout;
    http.maxResponseBytes = m_options.maxResponseBytes;
    m_transport->start(http, [this, request](const HttpResponse &response) { onAnswer(request, response); });
}

void TwilioRestClient::onAnswer(const std::shared_ptr<Request> &request, const HttpResponse &response)
{
    if (!request->context) {
        qCDebug(lcTwilioRest).noquote() << request->method << request->url << "answer dropped: its receiver is gone";
        return;
    }
    using Failure = HttpResponse::Failure;
    const auto transportError = [&](TwilioError::Kind kind) {
        return TwilioError {kind, 0, 0, response.failureText, {}, 0};
    };
    switch (response.failure) {
    case Failure::None:
        break;
    case Failure::NotSent:
        return retryOrFinish(request, transportError(TwilioError::Kind::Transport), {}, true);
    case Failure::Timeout:
        return retryOrFinish(request, transportError(TwilioError::Kind::Timeout), {}, request->safeToRepeat);
    case Failure::Interrupted:
        return retryOrFinish(request, transportError(TwilioError::Kind::Transport), {}, request->safeToRepeat);
    case Failure::Tls:
    case Failure::Other:
        return retryOrFinish(request, transportError(TwilioError::Kind::Transport), {}, false);
    case Failure::TooLarge:
        return retryOrFinish(request, transportError(TwilioError::Kind::BadResponse), {}, false);
    }

    const int status = response.status;
    if (status < 200 || status >= 300) {
        // 429: Twilio turned the request away unprocessed, so even a POST may go again.
        const bool retryAllowed = status == 429 || (status >= 500 && request->safeToRepeat);
        return retryOrFinish(request, errorFromAnswer(status, response.body), response.retryAfter, retryAllowed);
    }

    JsonAnswer answer {status, {}, request->attempts};
    if (status != 204) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            const QString why = parseError.error != QJsonParseError::NoError
                ? u"answer is not JSON (%1)"_s.arg(parseError.errorString())
                : u"answer is not a JSON object"_s;
            return retryOrFinish(request, TwilioError {TwilioError::Kind::BadResponse, status, 0, why, {}, 0}, {},
                                 false);
        }
        answer.body = document.object();
    }
    qCDebug(lcTwilioRest).noquote() << request->method << request->url << "answered" << status;
    request->done(answer);
}

void TwilioRestClient::retryOrFinish(const std::shared_ptr<Request> &request, TwilioError error,
                                     const QByteArray &retryAfter, bool retryAllowed)
{
    error.attempts = request->attempts;
    if (retryAllowed) {
        const auto serverWait = retryAfter.isEmpty() ? std::nullopt : parseRetryAfter(retryAfter, m_clock.now());
        const auto delay = m_options.retry.delayBeforeRetry(request->attempts, serverWait,
                                                            QRandomGenerator::global()->generateDouble());
        if (delay) {
            qCInfo(lcTwilioRest).noquote() << request->method << request->url << "failed:" << error.toString()
                                           << "- retry" << request->attempts << "in" << delay->count() << "ms";
            QTimer::singleShot(*delay, this, [this, request] { send(request); });
            return;
        }
    }
    if (error.kind == TwilioError::Kind::Api && error.httpStatus < 500)
        qCInfo(lcTwilioRest).noquote() << request->method << request->url << "failed:" << error.toString();
    else
        qCWarning(lcTwilioRest).noquote() << request->method << request->url << "failed:" << error.toString();
    request->done(error);
}

// --- typed answers ---

template <typename T> void TwilioRestClient::deliver(QObject *context, Callback<T> done, TwilioResult<T> result)
{
    if (!context || !done)
        return;
    // Queued even when the result is already known, so `done` never runs inside the call that
    // asked for it and may safely start requests or delete this client.
    QMetaObject::invokeMethod(
        context, [done = std::move(done), result = std::move(result)] { done(result); }, Qt::QueuedConnection);
}

template <typename T, typename Parse>
void TwilioRestClient::sendForOne(const QByteArray &method, const QByteArray &url, const QByteArray &formBody,
                                  bool safeToRepeat, QObject *context, Callback<T> done, Parse parse)
{
    QPointer<QObject> receiver(context);
    sendJson(method, url, formBody, safeToRepeat, context,
             [this, receiver, done = std::move(done), parse](const TwilioResult<JsonAnswer> &answer) {
                 if (!answer)
                     return deliver<T>(receiver, done, answer.error());
                 Result<T, QString> parsed = parse(answer->body);
                 if (!parsed) {
                     return deliver<T>(
                         receiver, done,
                         TwilioError {
                             TwilioError::Kind::BadResponse, answer->status, 0, parsed.error(), {}, answer->attempts});
                 }
                 deliver<T>(receiver, done, std::move(parsed).value());
             });
}

template <typename T, typename Parse>
void TwilioRestClient::sendForList(const QByteArray &firstUrl, const QString &listKey, QObject *context,
                                   Callback<QList<T>> done, Parse parse)
{
    auto state = std::make_shared<ListState<T>>();
    state->listKey = listKey;
    state->context = context;
    state->done = std::move(done);
    state->parse = parse;
    fetchPage(std::move(state), firstUrl);
}

template <typename T> void TwilioRestClient::fetchPage(std::shared_ptr<ListState<T>> state, QByteArray url)
{
    sendJson("GET", url, {}, true, state->context, [this, state](const TwilioResult<JsonAnswer> &answer) {
        if (!answer)
            return deliver<QList<T>>(state->context, state->done, answer.error());
        const auto badResponse = [&](const QString &why) {
            deliver<QList<T>>(
                state->context, state->done,
                TwilioError {TwilioError::Kind::BadResponse, answer->status, 0, why, {}, answer->attempts});
        };
        const QJsonObject &body = answer->body;
        ++state->pages;
        const QJsonValue list = body.value(state->listKey);
        if (!list.isArray())
            return badResponse(u"page %1 has no \"%2\" list"_s.arg(state->pages).arg(state->listKey));
        for (const QJsonValue &entry : list.toArray()) {
            if (!entry.isObject())
                return badResponse(u"an entry of \"%1\" is not an object"_s.arg(state->listKey));
            Result<T, QString> item = state->parse(entry.toObject());
            if (!item)
                return badResponse(item.error());
            state->items.append(std::move(item).value());
        }
        const auto info = twilioPageInfoFromJson(body);
        if (!info)
            return badResponse(info.error());
        if (info->nextPageUri.isEmpty())
            return deliver<QList<T>>(state->context, state->done, std::move(state->items));
        if (state->pages >= m_options.maxPages) {
            return deliver<QList<T>>(
                state->context, state->done,
                TwilioError {TwilioError::Kind::TooManyPages,
                             answer->status,
                             0,
                             u"more than %1 pages of \"%2\""_s.arg(m_options.maxPages).arg(state->listKey),
                             {},
                             answer->attempts});
        }
        const QByteArray next = nextPageUrl(info->nextPageUri);
        if (next.isEmpty())
            return badResponse(u"next_page_uri is not a path on the API host"_s);
        fetchPage(state, next);
    });
}

// --- calls ---

void TwilioRestClient::listCalls(const TwilioCallFilter &filter, QObject *context, Callback<QList<TwilioCall>> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<QList<TwilioCall>>(context, std::move(done), *problem);
    if (filter.pageSize < 0 || filter.pageSize > 1000)
        return deliver<QList<TwilioCall>>(context, std::move(done), invalidRequest(u"PageSize must be 1..1000"_s));
    FormEncoder query;
    query.addIfSet("To", filter.to)
        .addIfSet("From", filter.from)
        .addIfSet("Status", filter.status)
        .addIfSet("ParentCallSid", filter.parentCallSid);
    if (filter.pageSize > 0)
        query.add("PageSize", QString::number(filter.pageSize));
    sendForList<TwilioCall>(m_apiRoot + "/Calls.json" + query.query(), u"calls"_s, context, std::move(done),
                            &twilioCallFromJson);
}

void TwilioRestClient::fetchCall(const QString &callSid, QObject *context, Callback<TwilioCall> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioCall>(context, std::move(done), *problem);
    if (callSid.isEmpty())
        return deliver<TwilioCall>(context, std::move(done), invalidRequest(u"CallSid is empty"_s));
    sendForOne<TwilioCall>("GET", m_apiRoot + "/Calls/" + pathSegment(callSid) + ".json", {}, true, context,
                           std::move(done), &twilioCallFromJson);
}

void TwilioRestClient::updateCall(const QString &callSid, const TwilioCallUpdate &update, QObject *context,
                                  Callback<TwilioCall> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioCall>(context, std::move(done), *problem);
    const int actions = int(!update.url.isEmpty()) + int(!update.twiml.isEmpty()) + int(!update.status.isEmpty());
    QString problem;
    if (callSid.isEmpty())
        problem = u"CallSid is empty"_s;
    else if (actions != 1)
        problem = u"a call update needs exactly one of Url, Twiml and Status"_s;
    else if (!update.url.isEmpty() && !update.url.isValid())
        problem = u"Url is not a valid URL"_s;
    else if (!update.status.isEmpty() && update.status != u"completed"_s && update.status != u"canceled"_s)
        problem = u"Status must be completed or canceled, not %1"_s.arg(update.status);
    else if (!isHttpMethodOrEmpty(update.method) || !isHttpMethodOrEmpty(update.statusCallbackMethod))
        problem = u"Method and StatusCallbackMethod must be GET or POST"_s;
    if (!problem.isEmpty())
        return deliver<TwilioCall>(context, std::move(done), invalidRequest(problem));

    FormEncoder form;
    form.addIfSet("Url", update.url)
        .addIfSet("Method", update.method)
        .addIfSet("Twiml", update.twiml)
        .addIfSet("Status", update.status)
        .addIfSet("StatusCallback", update.statusCallback)
        .addIfSet("StatusCallbackMethod", update.statusCallbackMethod)
        .addIfSet("FallbackUrl", update.fallbackUrl);
    const bool onlyEndsTheCall = !update.status.isEmpty();
    sendForOne<TwilioCall>("POST", m_apiRoot + "/Calls/" + pathSegment(callSid) + ".json", form.encoded(),
                           onlyEndsTheCall, context, std::move(done), &twilioCallFromJson);
}

// --- queues ---

void TwilioRestClient::listQueues(QObject *context, Callback<QList<TwilioQueue>> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<QList<TwilioQueue>>(context, std::move(done), *problem);
    sendForList<TwilioQueue>(m_apiRoot + "/Queues.json", u"queues"_s, context, std::move(done), &twilioQueueFromJson);
}

void TwilioRestClient::createQueue(const QString &friendlyName, std::optional<int> maxSize, QObject *context,
                                   Callback<TwilioQueue> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioQueue>(context, std::move(done), *problem);
    if (friendlyName.isEmpty())
        return deliver<TwilioQueue>(context, std::move(done), invalidRequest(u"FriendlyName is empty"_s));
    if (maxSize && *maxSize < 1)
        return deliver<TwilioQueue>(context, std::move(done), invalidRequest(u"MaxSize must be at least 1"_s));
    FormEncoder form;
    form.add("FriendlyName", friendlyName);
    if (maxSize)
        form.add("MaxSize", QString::number(*maxSize));
    sendForOne<TwilioQueue>("POST", m_apiRoot + "/Queues.json", form.encoded(), false, context, std::move(done),
                            &twilioQueueFromJson);
}

void TwilioRestClient::fetchQueue(const QString &queueSid, QObject *context, Callback<TwilioQueue> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioQueue>(context, std::move(done), *problem);
    if (queueSid.isEmpty())
        return deliver<TwilioQueue>(context, std::move(done), invalidRequest(u"QueueSid is empty"_s));
    sendForOne<TwilioQueue>("GET", m_apiRoot + "/Queues/" + pathSegment(queueSid) + ".json", {}, true, context,
                            std::move(done), &twilioQueueFromJson);
}

void TwilioRestClient::updateQueue(const QString &queueSid, const TwilioQueueUpdate &update, QObject *context,
                                   Callback<TwilioQueue> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioQueue>(context, std::move(done), *problem);
    QString problem;
    if (queueSid.isEmpty())
        problem = u"QueueSid is empty"_s;
    else if (!update.friendlyName && !update.maxSize)
        problem = u"a queue update needs FriendlyName or MaxSize"_s;
    else if (update.friendlyName && update.friendlyName->isEmpty())
        problem = u"FriendlyName is empty"_s;
    else if (update.maxSize && *update.maxSize < 1)
        problem = u"MaxSize must be at least 1"_s;
    if (!problem.isEmpty())
        return deliver<TwilioQueue>(context, std::move(done), invalidRequest(problem));
    FormEncoder form;
    if (update.friendlyName)
        form.add("FriendlyName", *update.friendlyName);
    if (update.maxSize)
        form.add("MaxSize", QString::number(*update.maxSize));
    sendForOne<TwilioQueue>("POST", m_apiRoot + "/Queues/" + pathSegment(queueSid) + ".json", form.encoded(), true,
                            context, std::move(done), &twilioQueueFromJson);
}

void TwilioRestClient::deleteQueue(const QString &queueSid, QObject *context, Callback<Done> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<Done>(context, std::move(done), *problem);
    if (queueSid.isEmpty())
        return deliver<Done>(context, std::move(done), invalidRequest(u"QueueSid is empty"_s));
    sendForOne<Done>("DELETE", m_apiRoot + "/Queues/" + pathSegment(queueSid) + ".json", {}, true, context,
                     std::move(done), [](const QJsonObject &) { return Result<Done, QString>(Done {}); });
}

// --- queue members ---

void TwilioRestClient::listQueueMembers(const QString &queueSid, QObject *context,
                                        Callback<QList<TwilioQueueMember>> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<QList<TwilioQueueMember>>(context, std::move(done), *problem);
    if (queueSid.isEmpty())
        return deliver<QList<TwilioQueueMember>>(context, std::move(done), invalidRequest(u"QueueSid is empty"_s));
    sendForList<TwilioQueueMember>(m_apiRoot + "/Queues/" + pathSegment(queueSid) + "/Members.json", u"queue_members"_s,
                                   context, std::move(done), &twilioQueueMemberFromJson);
}

void TwilioRestClient::fetchQueueMember(const QString &queueSid, const QString &member, QObject *context,
                                        Callback<TwilioQueueMember> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioQueueMember>(context, std::move(done), *problem);
    if (queueSid.isEmpty() || member.isEmpty())
        return deliver<TwilioQueueMember>(context, std::move(done),
                                          invalidRequest(u"QueueSid and CallSid (or Front) are required"_s));
    sendForOne<TwilioQueueMember>(
        "GET", m_apiRoot + "/Queues/" + pathSegment(queueSid) + "/Members/" + pathSegment(member) + ".json", {}, true,
        context, std::move(done), &twilioQueueMemberFromJson);
}

void TwilioRestClient::dequeueMember(const QString &queueSid, const QString &member, const QUrl &url,
                                     const QString &method, QObject *context, Callback<TwilioQueueMember> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioQueueMember>(context, std::move(done), *problem);
    QString problem;
    if (queueSid.isEmpty() || member.isEmpty())
        problem = u"QueueSid and CallSid (or Front) are required"_s;
    else if (url.isEmpty() || !url.isValid())
        problem = u"dequeuing needs the Url of the TwiML the caller goes to"_s;
    else if (!isHttpMethodOrEmpty(method))
        problem = u"Method must be GET or POST, not %1"_s.arg(method);
    if (!problem.isEmpty())
        return deliver<TwilioQueueMember>(context, std::move(done), invalidRequest(problem));
    FormEncoder form;
    form.addIfSet("Url", url).addIfSet("Method", method);
    sendForOne<TwilioQueueMember>(
        "POST", m_apiRoot + "/Queues/" + pathSegment(queueSid) + "/Members/" + pathSegment(member) + ".json",
        form.encoded(), false, context, std::move(done), &twilioQueueMemberFromJson);
}

// --- SIP credentials ---

void TwilioRestClient::listCredentialLists(QObject *context, Callback<QList<TwilioCredentialList>> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<QList<TwilioCredentialList>>(context, std::move(done), *problem);
    sendForList<TwilioCredentialList>(m_apiRoot + "/SIP/CredentialLists.json?PageSize=1000", u"credential_lists"_s,
                                      context, std::move(done), &twilioCredentialListFromJson);
}

void TwilioRestClient::createCredentialList(const QString &friendlyName, QObject *context,
                                            Callback<TwilioCredentialList> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioCredentialList>(context, std::move(done), *problem);
    if (friendlyName.isEmpty() || friendlyName.size() > 64)
        return deliver<TwilioCredentialList>(context, std::move(done),
                                             invalidRequest(u"FriendlyName must be 1 to 64 characters"_s));
    FormEncoder form;
    form.add("FriendlyName", friendlyName);
    sendForOne<TwilioCredentialList>("POST", m_apiRoot + "/SIP/CredentialLists.json", form.encoded(), false, context,
                                     std::move(done), &twilioCredentialListFromJson);
}

void TwilioRestClient::listSipCredentials(const QString &credentialListSid, QObject *context,
                                          Callback<QList<TwilioSipCredential>> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<QList<TwilioSipCredential>>(context, std::move(done), *problem);
    if (credentialListSid.isEmpty())
        return deliver<QList<TwilioSipCredential>>(context, std::move(done),
                                                   invalidRequest(u"CredentialListSid is empty"_s));
    sendForList<TwilioSipCredential>(m_apiRoot + "/SIP/CredentialLists/" + pathSegment(credentialListSid)
                                         + "/Credentials.json?PageSize=1000",
                                     u"credentials"_s, context, std::move(done), &twilioSipCredentialFromJson);
}

void TwilioRestClient::createSipCredential(const QString &credentialListSid, const QString &username,
                                           const QString &password, QObject *context,
                                           Callback<TwilioSipCredential> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioSipCredential>(context, std::move(done), *problem);
    if (credentialListSid.isEmpty() || username.isEmpty() || password.isEmpty())
        return deliver<TwilioSipCredential>(context, std::move(done),
                                            invalidRequest(u"CredentialListSid, Username and Password are required"_s));
    FormEncoder form;
    form.add("Username", username).add("Password", password);
    sendForOne<TwilioSipCredential>(
        "POST", m_apiRoot + "/SIP/CredentialLists/" + pathSegment(credentialListSid) + "/Credentials.json",
        form.encoded(), false, context, std::move(done), &twilioSipCredentialFromJson);
}

void TwilioRestClient::updateSipCredentialPassword(const QString &credentialListSid, const QString &credentialSid,
                                                   const QString &password, QObject *context,
                                                   Callback<TwilioSipCredential> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<TwilioSipCredential>(context, std::move(done), *problem);
    if (credentialListSid.isEmpty() || credentialSid.isEmpty() || password.isEmpty())
        return deliver<TwilioSipCredential>(
            context, std::move(done), invalidRequest(u"CredentialListSid, CredentialSid and Password are required"_s));
    FormEncoder form;
    form.add("Password", password);
    sendForOne<TwilioSipCredential>("POST",
                                    m_apiRoot + "/SIP/CredentialLists/" + pathSegment(credentialListSid)
                                        + "/Credentials/" + pathSegment(credentialSid) + ".json",
                                    form.encoded(), true, context, std::move(done), &twilioSipCredentialFromJson);
}

void TwilioRestClient::deleteSipCredential(const QString &credentialListSid, const QString &credentialSid,
                                           QObject *context, Callback<Done> done)
{
    context = receiverOf(context);
    if (auto problem = checkReady())
        return deliver<Done>(context, std::move(done), *problem);
    if (credentialListSid.isEmpty() || credentialSid.isEmpty())
        return deliver<Done>(context, std::move(done),
                             invalidRequest(u"CredentialListSid and CredentialSid are required"_s));
    sendForOne<Done>("DELETE",
                     m_apiRoot + "/SIP/CredentialLists/" + pathSegment(credentialListSid) + "/Credentials/"
                         + pathSegment(credentialSid) + ".json",
                     {}, true, context, std::move(done),
                     [](const QJsonObject &) { return Result<Done, QString>(Done {}); });
}

} // namespace heartline
