#include "ControlApi.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include "CallEngine.h"
#include "SimScheduler.h"
#include "TwilioJson.h"
#include "VoiceSignaling.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr int MaxCallsPerRequest = 1000;

SimHttpResponse answer(const QJsonObject &body, int status = 200)
{
    SimHttpResponse response;
    response.status = status;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

SimHttpResponse error(int status, const QString &code, const QString &message, const QString &field = {})
{
    QJsonObject detail {{u"code"_s, code}, {u"message"_s, message}};
    if (!field.isEmpty())
        detail.insert(u"field"_s, field);
    return answer(QJsonObject {{u"error"_s, detail}}, status);
}

QString activityName(CallActivity activity)
{
    switch (activity) {
    case CallActivity::Fetching:
        return u"fetching"_s;
    case CallActivity::Verb:
        return u"verb"_s;
    case CallActivity::Dialing:
        return u"dialing"_s;
    case CallActivity::Bridged:
        return u"bridged"_s;
    case CallActivity::Queued:
        return u"queued"_s;
    case CallActivity::Ringing:
        return u"ringing"_s;
    case CallActivity::Idle:
        return u"idle"_s;
    case CallActivity::Ended:
        return u"ended"_s;
    }
    return {};
}

QJsonObject callSummary(const SimCall &call)
{
    QJsonObject summary {
        {u"sid"_s, call.sid},   {u"status"_s, call.status}, {u"direction"_s, call.direction},
        {u"from"_s, call.from}, {u"to"_s, call.to},         {u"activity"_s, activityName(call.activity)},
    };
    if (!call.parentSid.isEmpty())
        summary.insert(u"parentCallSid"_s, call.parentSid);
    if (!call.bridgePeer.isEmpty())
        summary.insert(u"bridgedWith"_s, call.bridgePeer);
    if (call.queued)
        summary.insert(u"queueSid"_s, call.queued->queueSid);
    return summary;
}

QJsonArray eventsJson(const SimCall &call)
{
    QJsonArray events;
    for (const CallEvent &event : call.events)
        events.append(twilioJson::event(event));
    return events;
}

} // namespace

ControlApi::ControlApi(CallEngine &engine, VoiceSignaling &signaling, SimScheduler &scheduler,
                       std::function<void(qint64)> setRestDelay, std::function<int()> webhooksInFlight)
    : m_engine(engine), m_signaling(signaling), m_scheduler(scheduler), m_setRestDelay(std::move(setRestDelay)),
      m_webhooksInFlight(std::move(webhooksInFlight))
{ }

SimHttpResponse ControlApi::handle(const SimHttpRequest &request) const
{
    const QStringList parts = request.path.mid(u"/control/"_s.size()).split(u'/', Qt::SkipEmptyParts);
    const bool isGet = request.method == "GET";
    const bool isPost = request.method == "POST";
    if (parts == QStringList {u"calls"_s}) {
        if (isPost)
            return placeCalls(request);
        if (isGet)
            return listCalls(request);
        return error(405, u"method_not_allowed"_s, u"GET or POST"_s);
    }
    if (parts.size() >= 2 && parts.first() == u"calls"_s)
        return callResource(request, parts);
    if (parts == QStringList {u"queues"_s} && isGet)
        return listQueues();
    if (parts == QStringList {u"clients"_s} && isGet) {
        QJsonArray identities;
        for (const QString &identity : m_signaling.identities())
            identities.append(identity);
        return answer(QJsonObject {{u"identities"_s, identities}});
    }
    if (parts == QStringList {u"rest-delay"_s} && isPost) {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        const QJsonValue ms = body.value(u"ms"_s);
        if (!ms.isDouble() || ms.toDouble() < 0)
            return error(400, u"invalid_value"_s, u"ms must be a number of milliseconds, 0 or more"_s, u"ms"_s);
        m_setRestDelay(static_cast<qint64>(ms.toDouble()));
        return answer(QJsonObject {{u"ms"_s, ms}});
    }
    if (parts == QStringList {u"status"_s} && isGet) {
        int live = 0;
        const QList<const SimCall *> calls = m_engine.calls();
        for (const SimCall *call : calls)
            live += call->isLive() ? 1 : 0;
        return answer(QJsonObject {
            {u"calls"_s, static_cast<int>(calls.size())},
            {u"liveCalls"_s, live},
            {u"queues"_s, static_cast<int>(m_engine.queues().size())},
            {u"registeredClients"_s, m_signaling.registeredCount()},
            {u"webhooksInFlight"_s, m_webhooksInFlight()},
            {u"nowMs"_s, m_scheduler.nowMs()},
        });
    }
    return error(404, u"not_found"_s,
                 u"no control endpoint %1 %2"_s.arg(QString::fromLatin1(request.method), request.path));
}

SimHttpResponse ControlApi::placeCalls(const SimHttpRequest &request) const
{
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    if (!document.isObject())
        return error(400, u"malformed_json"_s, u"the body must be a JSON object"_s);
    const QJsonObject body = document.object();
    const QString to = body.value(u"to"_s).toString();
    if (to.isEmpty())
        return error(400, u"missing_field"_s, u"to: the number that is called"_s, u"to"_s);
    const QString from = body.value(u"from"_s).toString(u"+15005550006"_s);
    const QJsonValue countValue = body.value(u"count"_s);
    int count = 1;
    if (!countValue.isUndefined()) {
        if (!countValue.isDouble() || countValue.toDouble() < 1 || countValue.toDouble() > MaxCallsPerRequest
            || countValue.toDouble() != static_cast<int>(countValue.toDouble()))
            return error(400, u"invalid_value"_s,
                         u"count must be a whole number from 1 to %1"_s.arg(MaxCallsPerRequest), u"count"_s);
        count = countValue.toInt();
    }
    QJsonArray sids;
    for (int i = 0; i < count; ++i)
        sids.append(m_engine.placeInboundCall(from, to));
    return answer(QJsonObject {{u"callSids"_s, sids}}, 201);
}

SimHttpResponse ControlApi::listCalls(const SimHttpRequest &request) const
{
    const bool all = QUrlQuery(QString::fromLatin1(request.rawQuery)).queryItemValue(u"all"_s) == u"true"_s;
    QJsonArray calls;
    for (const SimCall *call : m_engine.calls()) {
        if (all || call->isLive())
            calls.append(callSummary(*call));
    }
    return answer(QJsonObject {{u"calls"_s, calls}});
}

SimHttpResponse ControlApi::callResource(const SimHttpRequest &request, const QStringList &parts) const
{
    const QString sid = parts.at(1);
    const SimCall *call = m_engine.findCall(sid);
    if (!call)
        return error(404, u"not_found"_s, u"no call %1"_s.arg(sid));
    if (parts.size() == 2 && request.method == "GET") {
        QJsonObject body = twilioJson::call(*call, m_engine.options().accountSid);
        body.insert(u"events"_s, eventsJson(*call));
        return answer(body);
    }
    if (parts.size() == 3 && parts.at(2) == u"events"_s && request.method == "GET")
        return answer(QJsonObject {{u"callSid"_s, sid}, {u"events"_s, eventsJson(*call)}});
    if (parts.size() == 3 && parts.at(2) == u"hangup"_s && request.method == "POST") {
        const Result<const SimCall *, SimError> result = m_engine.hangup(sid);
        if (!result)
            return error(409, u"not_live"_s, u"call %1 has already ended (%2)"_s.arg(sid, call->status));
        return answer(callSummary(**result));
    }
    if (parts.size() == 3 && (parts.at(2) == u"recording"_s || parts.at(2) == u"recording.json"_s)
        && request.method == "GET")
        return recording(*call, parts.at(2).endsWith(u".json"_s));
    return error(404, u"not_found"_s,
                 u"no control endpoint %1 %2"_s.arg(QString::fromLatin1(request.method), request.path));
}

SimHttpResponse ControlApi::recording(const SimCall &call, bool asJson) const
{
    // The leg's own recording, or the newest of its legs' when it is the caller's call.
    QString legSid = call.sid;
    QString file = m_recordings ? m_recordings->recordingFile(call.sid) : QString();
    if (file.isEmpty() && m_recordings) {
        for (const SimCall *other : m_engine.calls()) {
            if (other->parentSid == call.sid) {
                file = m_recordings->recordingFile(other->sid);
                legSid = other->sid;
                if (!file.isEmpty())
                    break;
            }
        }
    }
    if (file.isEmpty())
        return error(404, u"not_found"_s,
                     u"no recording for %1: only answered <Sip> legs are recorded, once they end"_s.arg(call.sid));
    if (!asJson) {
        QFile wav(file);
        if (!wav.open(QIODevice::ReadOnly))
            return error(404, u"not_found"_s,
                         u"the recording of %1 cannot be read: %2"_s.arg(legSid, wav.errorString()));
        SimHttpResponse response;
        response.body = wav.readAll();
        response.contentType = "audio/wav";
        return response;
    }
    std::optional<QJsonObject> figures = m_recordings->describe(file);
    if (!figures)
        return error(404, u"not_found"_s, u"the recording of %1 cannot be read"_s.arg(legSid));
    figures->insert(u"callSid"_s, legSid);
    return answer(*figures);
}

SimHttpResponse ControlApi::listQueues() const
{
    QJsonArray queues;
    for (const SimQueue *queue : m_engine.queues()) {
        QJsonArray members;
        for (const MemberSnapshot &member : m_engine.members(queue->sid)) {
            members.append(QJsonObject {
                {u"callSid"_s, member.callSid},
                {u"position"_s, member.position},
                {u"waitTime"_s, static_cast<int>((m_scheduler.nowMs() - member.enqueuedAtMs) / 1000)},
            });
        }
        queues.append(QJsonObject {
            {u"sid"_s, queue->sid},
            {u"friendlyName"_s, queue->friendlyName},
            {u"maxSize"_s, queue->maxSize},
            {u"averageWaitTime"_s, queue->averageWaitSeconds()},
            {u"members"_s, members},
        });
    }
    return answer(QJsonObject {{u"queues"_s, queues}});
}

} // namespace heartline
