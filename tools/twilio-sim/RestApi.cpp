#include "RestApi.h"

#include <algorithm>

#include <QDate>
#include <QDateTime>
#include <QJsonDocument>
#include <QUrl>

#include "CallEngine.h"
#include "SimScheduler.h"
#include "SipCredentialStore.h"
#include "TwilioJson.h"
#include "twilio/ConstantTime.h"
#include "twilio/TwimlDocument.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr int DefaultPageSize = 50;
constexpr int MaxPageSize = 1000;

const QStringList callStatuses = {u"queued"_s,    u"ringing"_s, u"in-progress"_s, u"canceled"_s,
                                  u"completed"_s, u"failed"_s,  u"busy"_s,        u"no-answer"_s};

SimHttpResponse fromError(const SimError &error)
{
    return twilioErrorResponse(error.httpStatus, error.code, error.message);
}

SimHttpResponse missingParameter(const QString &name)
{
    return twilioErrorResponse(400, 20001, u"Missing required parameter %1 in the post body"_s.arg(name));
}

SimHttpResponse notFound(const SimHttpRequest &request)
{
    return twilioErrorResponse(404, 20404, u"The requested resource %1 was not found"_s.arg(request.path));
}

SimHttpResponse methodNotAllowed(const SimHttpRequest &request, const QByteArray &allow)
{
    SimHttpResponse response = twilioErrorResponse(
        405, 20004, u"Method not allowed: %1 %2"_s.arg(QString::fromLatin1(request.method), request.path));
    response.headers.append(qMakePair(QByteArray("Allow"), allow));
    return response;
}

/// An http(s) URL with a host: what Twilio accepts for Url parameters.
bool isWebUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"http"_s || url.scheme() == u"https"_s) && !url.host().isEmpty();
}

std::optional<HttpMethod> parseMethod(const QString &text)
{
    if (text.isEmpty() || text.compare(u"POST"_s, Qt::CaseInsensitive) == 0)
        return HttpMethod::Post;
    if (text.compare(u"GET"_s, Qt::CaseInsensitive) == 0)
        return HttpMethod::Get;
    return std::nullopt;
}

/// "StartTime", "StartTime<" (on or before) and "StartTime>" (on or after), with dates as YYYY-MM-DD.
bool matchesDate(qint64 ms, const FormParams &query, const QString &name, bool *invalid)
{
    const auto check = [&](const QString &key, auto &&accepts) {
        if (!query.contains(key))
            return true;
        const QDate wanted = QDate::fromString(query.value(key), Qt::ISODate);
        if (!wanted.isValid()) {
            *invalid = true;
            return false;
        }
        if (ms < 0)
            return false;
        return accepts(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date(), wanted);
    };
    return check(name, [](QDate day, QDate wanted) { return day == wanted; })
        && check(name + u'<', [](QDate day, QDate wanted) { return day <= wanted; })
        && check(name + u'>', [](QDate day, QDate wanted) { return day >= wanted; });
}

} // namespace

SimHttpResponse jsonAnswer(const QJsonObject &body, int status)
{
    SimHttpResponse response;
    response.status = status;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

SimHttpResponse twilioErrorResponse(int httpStatus, int code, const QString &message)
{
    return jsonAnswer(twilioJson::error(code, message, httpStatus), httpStatus);
}

RestApi::RestApi(const SimOptions &options, CallEngine &engine, SipCredentialStore &sipCredentials,
                 const SimScheduler &scheduler)
    : m_options(options), m_engine(engine), m_sipCredentials(sipCredentials), m_scheduler(scheduler)
{ }

bool RestApi::authorized(const QByteArray &authorization) const
{
    if (!authorization.startsWith("Basic "))
        return false;
    const QByteArray decoded = QByteArray::fromBase64(authorization.mid(6).trimmed());
    const qsizetype colon = decoded.indexOf(':');
    if (colon < 0)
        return false;
    const QByteArray user = decoded.left(colon);
    const QByteArray password = decoded.mid(colon + 1);
    // The account's auth token, or an API key (SK…) with its secret, as Twilio accepts.
    if (user == m_options.accountSid.toUtf8() && constantTimeEquals(password, m_options.authToken.toUtf8()))
        return true;
    return !m_options.apiKeySid.isEmpty() && !m_options.apiKeySecret.isEmpty() && user == m_options.apiKeySid.toUtf8()
        && constantTimeEquals(password, m_options.apiKeySecret.toUtf8());
}

SimHttpResponse RestApi::handle(const SimHttpRequest &request) const
{
    if (!authorized(request.authorization)) {
        SimHttpResponse response = twilioErrorResponse(401, 20003, u"Authenticate"_s);
        response.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Basic realm=\"Twilio API\"")));
        return response;
    }
    // /2010-04-01/Accounts/{AccountSid}/...
    QStringList parts = request.path.split(u'/');
    if (parts.size() < 5 || parts.at(1) != u"2010-04-01"_s || parts.at(2) != u"Accounts"_s)
        return notFound(request);
    // Another account's resources do not exist for these credentials.
    if (parts.at(3) != m_options.accountSid)
        return notFound(request);
    return route(request, parts.mid(4));
}

SimHttpResponse RestApi::route(const SimHttpRequest &request, const QStringList &parts) const
{
    const bool isGet = request.method == "GET";
    const bool isPost = request.method == "POST";
    const bool isDelete = request.method == "DELETE";
    const auto stripJson = [](const QString &segment) {
        return segment.endsWith(u".json"_s) ? segment.chopped(5) : QString();
    };
    const auto parseForm = [&](const QByteArray &bytes) {
        return FormParams::parse(bytes);
    };

    Result<FormParams> query = parseForm(request.rawQuery);
    if (!query)
        return twilioErrorResponse(400, 20001, u"Invalid query string: "_s + query.error().message);
    FormParams form;
    if (isPost) {
        Result<FormParams> body = parseForm(request.body);
        if (!body)
            return twilioErrorResponse(400, 20001, u"Invalid form body: "_s + body.error().message);
        form = std::move(body).value();
    }

    // Calls.json
    if (parts.size() == 1 && parts.at(0) == u"Calls.json"_s) {
        if (!isGet)
            return methodNotAllowed(request, "GET");
        return listCalls(request, *query);
    }
    // Calls/{CallSid}.json
    if (parts.size() == 2 && parts.at(0) == u"Calls"_s && !stripJson(parts.at(1)).isEmpty()) {
        const QString sid = stripJson(parts.at(1));
        const SimCall *call = m_engine.findCall(sid);
        if (!call)
            return notFound(request);
        if (isGet)
            return jsonAnswer(twilioJson::call(*call, m_options.accountSid));
        if (isPost)
            return updateCall(sid, form);
        return methodNotAllowed(request, "GET, POST");
    }
    // Queues.json
    if (parts.size() == 1 && parts.at(0) == u"Queues.json"_s) {
        if (isGet)
            return listQueues(request, *query);
        if (isPost)
            return createQueue(form);
        return methodNotAllowed(request, "GET, POST");
    }
    // Queues/{QueueSid}.json
    if (parts.size() == 2 && parts.at(0) == u"Queues"_s && !stripJson(parts.at(1)).isEmpty()) {
        const QString sid = stripJson(parts.at(1));
        const SimQueue *queue = m_engine.findQueue(sid);
        if (!queue)
            return notFound(request);
        if (isGet)
            return jsonAnswer(twilioJson::queue(*queue, m_options.accountSid));
        if (isPost)
            return updateQueue(sid, form);
        if (isDelete) {
            if (const std::optional<SimError> error = m_engine.deleteQueue(sid))
                return fromError(*error);
            SimHttpResponse response;
            response.status = 204;
            return response;
        }
        return methodNotAllowed(request, "GET, POST, DELETE");
    }
    // Queues/{QueueSid}/Members.json and Queues/{QueueSid}/Members/{CallSid|Front}.json
    if (parts.size() >= 3 && parts.at(0) == u"Queues"_s) {
        const QString queueSid = parts.at(1);
        if (parts.size() == 3 && parts.at(2) == u"Members.json"_s) {
            if (!m_engine.findQueue(queueSid))
                return notFound(request);
            if (!isGet)
                return methodNotAllowed(request, "GET");
            return listMembers(request, queueSid, *query);
        }
        if (parts.size() == 4 && parts.at(2) == u"Members"_s && !stripJson(parts.at(3)).isEmpty()) {
            if (!m_engine.findQueue(queueSid))
                return notFound(request);
            return memberResource(request, queueSid, stripJson(parts.at(3)));
        }
    }
    if (!parts.isEmpty() && parts.at(0) == u"SIP"_s)
        return sipCredentials(request, parts.mid(1), *query, form);
    return notFound(request);
}

SimHttpResponse RestApi::sipCredentials(const SimHttpRequest &request, const QStringList &parts,
                                        const FormParams &query, const FormParams &form) const
{
    const bool isGet = request.method == "GET";
    const bool isPost = request.method == "POST";
    const bool isDelete = request.method == "DELETE";
    const auto stripJson = [](const QString &segment) {
        return segment.endsWith(u".json"_s) ? segment.chopped(5) : QString();
    };
    const auto noContent = [] {
        SimHttpResponse response;
        response.status = 204;
        return response;
    };
    const QString listsPath = twilioJson::accountPath(m_options.accountSid) + u"/SIP/CredentialLists"_s;

    // CredentialLists.json
    if (parts.size() == 1 && parts.at(0) == u"CredentialLists.json"_s) {
        if (isGet) {
            ListPage list;
            list.listKey = u"credential_lists"_s;
            list.path = listsPath + u".json"_s;
            for (const SimCredentialList *entry : m_sipCredentials.lists()) {
                list.ids.append(entry->sid);
                list.items.append(twilioJson::credentialList(*entry, m_options.accountSid));
            }
            return page(request, query, list);
        }
        if (isPost) {
            if (!form.contains(u"FriendlyName"_s))
                return missingParameter(u"FriendlyName"_s);
            const auto created = m_sipCredentials.createList(form.value(u"FriendlyName"_s));
            if (!created)
                return fromError(created.error());
            return jsonAnswer(twilioJson::credentialList(**created, m_options.accountSid), 201);
        }
        return methodNotAllowed(request, "GET, POST");
    }
    if (parts.size() < 2 || parts.at(0) != u"CredentialLists"_s)
        return notFound(request);

    // CredentialLists/{CL}.json
    if (parts.size() == 2) {
        const QString sid = stripJson(parts.at(1));
        const SimCredentialList *entry = sid.isEmpty() ? nullptr : m_sipCredentials.findList(sid);
        if (!entry)
            return notFound(request);
        if (isGet)
            return jsonAnswer(twilioJson::credentialList(*entry, m_options.accountSid));
        if (isPost) {
            if (!form.contains(u"FriendlyName"_s))
                return missingParameter(u"FriendlyName"_s);
            const auto renamed = m_sipCredentials.renameList(sid, form.value(u"FriendlyName"_s));
            if (!renamed)
                return fromError(renamed.error());
            return jsonAnswer(twilioJson::credentialList(**renamed, m_options.accountSid));
        }
        if (isDelete) {
            if (const auto error = m_sipCredentials.deleteList(sid))
                return fromError(*error);
            return noContent();
        }
        return methodNotAllowed(request, "GET, POST, DELETE");
    }

    const QString listSid = parts.at(1);
    if (!m_sipCredentials.findList(listSid))
        return notFound(request);
    // CredentialLists/{CL}/Credentials.json
    if (parts.size() == 3 && parts.at(2) == u"Credentials.json"_s) {
        if (isGet) {
            ListPage list;
            list.listKey = u"credentials"_s;
            list.path = listsPath + u'/' + listSid + u"/Credentials.json"_s;
            for (const SimSipCredential *entry : m_sipCredentials.credentials(listSid)) {
                list.ids.append(entry->sid);
                list.items.append(twilioJson::sipCredential(*entry, m_options.accountSid));
            }
            return page(request, query, list);
        }
        if (isPost) {
            for (const QString &name : {u"Username"_s, u"Password"_s}) {
                if (!form.contains(name))
                    return missingParameter(name);
            }
            const auto created
                = m_sipCredentials.createCredential(listSid, form.value(u"Username"_s), form.value(u"Password"_s));
            if (!created)
                return fromError(created.error());
            return jsonAnswer(twilioJson::sipCredential(**created, m_options.accountSid), 201);
        }
        return methodNotAllowed(request, "GET, POST");
    }
    // CredentialLists/{CL}/Credentials/{CR}.json
    if (parts.size() == 4 && parts.at(2) == u"Credentials"_s) {
        const QString sid = stripJson(parts.at(3));
        const SimSipCredential *entry = sid.isEmpty() ? nullptr : m_sipCredentials.findCredential(listSid, sid);
        if (!entry)
            return notFound(request);
        if (isGet)
            return jsonAnswer(twilioJson::sipCredential(*entry, m_options.accountSid));
        if (isPost) {
            // Password is the one thing a credential lets change; without it nothing changes.
            if (form.contains(u"Password"_s)) {
                const auto changed = m_sipCredentials.changePassword(listSid, sid, form.value(u"Password"_s));
                if (!changed)
                    return fromError(changed.error());
                entry = *changed;
            }
            return jsonAnswer(twilioJson::sipCredential(*entry, m_options.accountSid));
        }
        if (isDelete) {
            if (const auto error = m_sipCredentials.deleteCredential(listSid, sid))
                return fromError(*error);
            return noContent();
        }
        return methodNotAllowed(request, "GET, POST, DELETE");
    }
    return notFound(request);
}

SimHttpResponse RestApi::listCalls(const SimHttpRequest &request, const FormParams &query) const
{
    const QString status = query.value(u"Status"_s);
    if (!status.isEmpty() && !callStatuses.contains(status))
        return twilioErrorResponse(400, 20001, u"Status must be one of %1"_s.arg(callStatuses.join(u", "_s)));
    ListPage list;
    list.listKey = u"calls"_s;
    list.path = twilioJson::accountPath(m_options.accountSid) + u"/Calls.json"_s;
    for (const QString &name : {u"To"_s, u"From"_s, u"ParentCallSid"_s, u"Status"_s, u"StartTime"_s, u"StartTime<"_s,
                                u"StartTime>"_s, u"EndTime"_s, u"EndTime<"_s, u"EndTime>"_s}) {
        if (!query.contains(name))
            continue;
        list.filters.append({name, query.value(name)});
        if (name.startsWith(u"StartTime"_s) || name.startsWith(u"EndTime"_s)) {
            if (!QDate::fromString(query.value(name), Qt::ISODate).isValid())
                return twilioErrorResponse(400, 20001, u"%1 takes a date as YYYY-MM-DD"_s.arg(name));
        }
    }
    bool invalidDate = false;
    for (const SimCall *call : m_engine.calls()) {
        if (query.contains(u"To"_s) && call->to != query.value(u"To"_s))
            continue;
        if (query.contains(u"From"_s) && call->from != query.value(u"From"_s))
            continue;
        if (query.contains(u"ParentCallSid"_s) && call->parentSid != query.value(u"ParentCallSid"_s))
            continue;
        if (!status.isEmpty() && call->status != status)
            continue;
        if (!matchesDate(call->startMs, query, u"StartTime"_s, &invalidDate)
            || !matchesDate(call->endMs, query, u"EndTime"_s, &invalidDate))
            continue;
        list.ids.append(call->sid);
        list.items.append(twilioJson::call(*call, m_options.accountSid));
    }
    if (invalidDate)
        return twilioErrorResponse(400, 20001, u"StartTime and EndTime filters take dates as YYYY-MM-DD"_s);
    return page(request, query, list);
}

SimHttpResponse RestApi::listQueues(const SimHttpRequest &request, const FormParams &query) const
{
    ListPage list;
    list.listKey = u"queues"_s;
    list.path = twilioJson::accountPath(m_options.accountSid) + u"/Queues.json"_s;
    for (const SimQueue *queue : m_engine.queues()) {
        list.ids.append(queue->sid);
        list.items.append(twilioJson::queue(*queue, m_options.accountSid));
    }
    return page(request, query, list);
}

SimHttpResponse RestApi::listMembers(const SimHttpRequest &request, const QString &queueSid,
                                     const FormParams &query) const
{
    const SimQueue *queue = m_engine.findQueue(queueSid);
    ListPage list;
    list.listKey = u"queue_members"_s;
    list.path = twilioJson::accountPath(m_options.accountSid) + u"/Queues/"_s + queueSid + u"/Members.json"_s;
    for (const MemberSnapshot &member : m_engine.members(queueSid)) {
        const SimCall *call = m_engine.findCall(member.callSid);
        list.ids.append(member.callSid);
        list.items.append(twilioJson::member(*call, *queue, member.position, member.enqueuedAtMs, m_scheduler.nowMs(),
                                             m_options.accountSid));
    }
    return page(request, query, list);
}

SimHttpResponse RestApi::page(const SimHttpRequest &request, const FormParams &query, const ListPage &list) const
{
    bool ok = true;
    int pageSize = DefaultPageSize;
    if (query.contains(u"PageSize"_s)) {
        pageSize = query.value(u"PageSize"_s).toInt(&ok);
        if (!ok || pageSize < 1)
            return twilioErrorResponse(400, 20001, u"PageSize must be a whole number from 1 to 1000"_s);
        pageSize = std::min(pageSize, MaxPageSize); // Twilio caps larger sizes silently
    }
    int pageNumber = 0;
    if (query.contains(u"Page"_s)) {
        pageNumber = query.value(u"Page"_s).toInt(&ok);
        if (!ok || pageNumber < 0)
            return twilioErrorResponse(400, 20001, u"Page must be a whole number from 0"_s);
    }
    const qsizetype total = list.items.size();
    qsizetype start = std::min<qsizetype>(static_cast<qsizetype>(pageNumber) * pageSize, total);
    // A page token names the item the page follows (PA…) or precedes (PB…): pages stay stable
    // while new calls are created at the head of the list.
    const QString token = query.value(u"PageToken"_s);
    if (token.size() > 2) {
        const qsizetype at = list.ids.indexOf(token.mid(2));
        if (at >= 0 && token.startsWith(u"PA"_s))
            start = at + 1;
        else if (at >= 0 && token.startsWith(u"PB"_s))
            start = std::max<qsizetype>(0, at - pageSize);
    }
    const qsizetype count = std::min<qsizetype>(pageSize, total - start);

    const auto uri = [&](int number, const QString &pageToken) {
        QByteArray encoded;
        for (const auto &[name, value] : list.filters)
            encoded += FormParams::encodeComponent(name) + '=' + FormParams::encodeComponent(value) + '&';
        encoded += "PageSize=" + QByteArray::number(pageSize) + "&Page=" + QByteArray::number(number);
        if (!pageToken.isEmpty())
            encoded += "&PageToken=" + FormParams::encodeComponent(pageToken);
        return QString(list.path + u'?' + QString::fromLatin1(encoded));
    };

    QJsonArray items;
    for (qsizetype i = start; i < start + count; ++i)
        items.append(list.items.at(i));
    const bool hasNext = start + count < total;
    const bool hasPrevious = start > 0;
    QString selfUri = request.path;
    if (!request.rawQuery.isEmpty())
        selfUri += u'?' + QString::fromLatin1(request.rawQuery);
    QJsonObject body {
        {list.listKey, items},
        {u"page"_s, pageNumber},
        {u"page_size"_s, pageSize},
        {u"start"_s, static_cast<int>(start)},
        {u"end"_s, static_cast<int>(count > 0 ? start + count - 1 : start)},
        {u"uri"_s, selfUri},
        {u"first_page_uri"_s, uri(0, QString())},
        {u"next_page_uri"_s,
         hasNext ? QJsonValue(uri(pageNumber + 1, u"PA"_s + list.ids.at(start + count - 1))) : QJsonValue()},
        {u"previous_page_uri"_s,
         hasPrevious ? QJsonValue(uri(std::max(0, pageNumber - 1), u"PB"_s + list.ids.at(start))) : QJsonValue()},
    };
    return jsonAnswer(body);
}

SimHttpResponse RestApi::updateCall(const QString &sid, const FormParams &form) const
{
    const QString url = form.value(u"Url"_s);
    const QString twiml = form.value(u"Twiml"_s);
    const QString status = form.value(u"Status"_s);
    const QString statusCallback = form.value(u"StatusCallback"_s);
    const int actions = int(!url.isEmpty()) + int(!twiml.isEmpty()) + int(!status.isEmpty());
    if (actions > 1)
        return twilioErrorResponse(400, 20001, u"Only one of Url, Twiml and Status may be given"_s);
    if (actions == 0 && statusCallback.isEmpty())
        return twilioErrorResponse(400, 20001, u"Missing required parameter Url, Twiml or Status in the post body"_s);
    const std::optional<HttpMethod> method = parseMethod(form.value(u"Method"_s));
    const std::optional<HttpMethod> callbackMethod = parseMethod(form.value(u"StatusCallbackMethod"_s));
    if (!method || !callbackMethod)
        return twilioErrorResponse(400, 20001, u"Method and StatusCallbackMethod must be GET or POST"_s);
    if (!url.isEmpty() && !isWebUrl(url))
        return twilioErrorResponse(400, 21205, u"Url is not a valid URL: %1"_s.arg(url));
    if (!statusCallback.isEmpty() && !isWebUrl(statusCallback))
        return twilioErrorResponse(400, 21205, u"StatusCallback is not a valid URL: %1"_s.arg(statusCallback));
    if (!status.isEmpty() && status != u"completed"_s && status != u"canceled"_s)
        return twilioErrorResponse(400, 20001, u"Status must be completed or canceled, not %1"_s.arg(status));
    std::optional<TwimlDocument> document;
    if (!twiml.isEmpty()) {
        Result<TwimlDocument> parsed = parseTwiml(twiml.toUtf8());
        if (!parsed) {
            return twilioErrorResponse(
                400, twilioErrorNumber(parsed.error()),
                u"Twiml is not valid TwiML: %1 (%2)"_s.arg(parsed.error().message, parsed.error().code));
        }
        document = std::move(parsed).value();
    }

    Result<const SimCall *, SimError> result = SimError {};
    if (!statusCallback.isEmpty()) {
        result = m_engine.setStatusCallback(sid, statusCallback, *callbackMethod);
        if (!result)
            return fromError(result.error());
    }
    if (!url.isEmpty())
        result = m_engine.redirectCall(sid, url, *method);
    else if (document)
        result = m_engine.replaceTwiml(sid, *document);
    else if (!status.isEmpty())
        result = m_engine.endCallByStatus(sid, status);
    if (!result)
        return fromError(result.error());
    return jsonAnswer(twilioJson::call(**result, m_options.accountSid));
}

SimHttpResponse RestApi::createQueue(const FormParams &form) const
{
    if (!form.contains(u"FriendlyName"_s))
        return missingParameter(u"FriendlyName"_s);
    std::optional<int> maxSize;
    if (form.contains(u"MaxSize"_s)) {
        bool ok = false;
        maxSize = form.value(u"MaxSize"_s).toInt(&ok);
        if (!ok)
            return twilioErrorResponse(400, 20001, u"MaxSize must be a whole number"_s);
    }
    const Result<const SimQueue *, SimError> queue = m_engine.createQueue(form.value(u"FriendlyName"_s), maxSize);
    if (!queue)
        return fromError(queue.error());
    return jsonAnswer(twilioJson::queue(**queue, m_options.accountSid), 201);
}

SimHttpResponse RestApi::updateQueue(const QString &sid, const FormParams &form) const
{
    std::optional<QString> friendlyName;
    if (form.contains(u"FriendlyName"_s))
        friendlyName = form.value(u"FriendlyName"_s);
    std::optional<int> maxSize;
    if (form.contains(u"MaxSize"_s)) {
        bool ok = false;
        maxSize = form.value(u"MaxSize"_s).toInt(&ok);
        if (!ok)
            return twilioErrorResponse(400, 20001, u"MaxSize must be a whole number"_s);
    }
    const Result<const SimQueue *, SimError> queue = m_engine.updateQueue(sid, friendlyName, maxSize);
    if (!queue)
        return fromError(queue.error());
    return jsonAnswer(twilioJson::queue(**queue, m_options.accountSid));
}

SimHttpResponse RestApi::memberResource(const SimHttpRequest &request, const QString &queueSid,
                                        const QString &member) const
{
    const SimQueue *queue = m_engine.findQueue(queueSid);
    if (request.method == "GET") {
        const std::optional<MemberSnapshot> snapshot = m_engine.member(queueSid, member);
        if (!snapshot)
            return notFound(request);
        return jsonAnswer(twilioJson::member(*m_engine.findCall(snapshot->callSid), *queue, snapshot->position,
                                             snapshot->enqueuedAtMs, m_scheduler.nowMs(), m_options.accountSid));
    }
    if (request.method != "POST")
        return methodNotAllowed(request, "GET, POST");
    const Result<FormParams> form = FormParams::parse(request.body);
    if (!form)
        return twilioErrorResponse(400, 20001, u"Invalid form body: "_s + form.error().message);
    const QString url = form->value(u"Url"_s);
    if (url.isEmpty())
        return missingParameter(u"Url"_s);
    if (!isWebUrl(url))
        return twilioErrorResponse(400, 21205, u"Url is not a valid URL: %1"_s.arg(url));
    const std::optional<HttpMethod> method = parseMethod(form->value(u"Method"_s));
    if (!method)
        return twilioErrorResponse(400, 20001, u"Method must be GET or POST"_s);
    if (!m_engine.member(queueSid, member))
        return notFound(request);
    const Result<MemberSnapshot, SimError> dequeued = m_engine.dequeue(queueSid, member, url, *method);
    if (!dequeued)
        return fromError(dequeued.error());
    return jsonAnswer(twilioJson::member(*m_engine.findCall(dequeued->callSid), *queue, dequeued->position,
                                         dequeued->enqueuedAtMs, m_scheduler.nowMs(), m_options.accountSid));
}

} // namespace heartline
