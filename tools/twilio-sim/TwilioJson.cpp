#include "TwilioJson.h"

#include <QDateTime>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace heartline::twilioJson {

namespace {

QJsonValue dateOrNull(qint64 ms)
{
    return ms >= 0 ? QJsonValue(rfc2822(ms)) : QJsonValue(QJsonValue::Null);
}

QJsonValue stringOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QString rfc2822(qint64 msSinceEpoch)
{
    // Not QDateTime::toString(Qt::RFC2822Date): its day and month names follow no locale rule we
    // can rely on across Qt versions, and Twilio always writes the English ones.
    static constexpr const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr const char *months[]
        = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC);
    const QDate date = time.date();
    const QTime clock = time.time();
    return u"%1, %2 %3 %4 %5:%6:%7 +0000"_s.arg(QLatin1StringView(days[date.dayOfWeek() - 1]))
        .arg(date.day(), 2, 10, QChar(u'0'))
        .arg(QLatin1StringView(months[date.month() - 1]))
        .arg(date.year(), 4, 10, QChar(u'0'))
        .arg(clock.hour(), 2, 10, QChar(u'0'))
        .arg(clock.minute(), 2, 10, QChar(u'0'))
        .arg(clock.second(), 2, 10, QChar(u'0'));
}

QJsonObject error(int code, const QString &message, int httpStatus)
{
    return QJsonObject {
        {u"code"_s, code},
        {u"message"_s, message},
        {u"more_info"_s, u"https://www.twilio.com/docs/errors/%1"_s.arg(code)},
        {u"status"_s, httpStatus},
    };
}

QString accountPath(const QString &accountSid)
{
    return u"/2010-04-01/Accounts/"_s + accountSid;
}

QJsonObject call(const SimCall &call, const QString &accountSid)
{
    const QString uri = accountPath(accountSid) + u"/Calls/"_s + call.sid;
    return QJsonObject {
        {u"sid"_s, call.sid},
        {u"account_sid"_s, accountSid},
        {u"annotation"_s, QJsonValue::Null},
        {u"answered_by"_s, QJsonValue::Null},
        {u"api_version"_s, u"2010-04-01"_s},
        {u"caller_name"_s, QJsonValue::Null},
        {u"date_created"_s, rfc2822(call.createdMs)},
        {u"date_updated"_s, rfc2822(call.updatedMs)},
        {u"direction"_s, call.direction},
        // Twilio sends the duration as a string, and only once the call has ended.
        {u"duration"_s,
         call.isLive() ? QJsonValue(QJsonValue::Null) : QJsonValue(QString::number(call.durationSeconds()))},
        {u"end_time"_s, dateOrNull(call.endMs)},
        {u"forwarded_from"_s, QJsonValue::Null},
        {u"from"_s, call.from},
        {u"from_formatted"_s, call.from},
        {u"group_sid"_s, QJsonValue::Null},
        {u"parent_call_sid"_s, stringOrNull(call.parentSid)},
        {u"phone_number_sid"_s, QJsonValue::Null},
        {u"price"_s, QJsonValue::Null},
        {u"price_unit"_s, u"USD"_s},
        {u"queue_time"_s, u"0"_s},
        {u"start_time"_s, dateOrNull(call.startMs)},
        {u"status"_s, call.status},
        {u"subresource_uris"_s,
         QJsonObject {
             {u"notifications"_s, QString(uri + u"/Notifications.json"_s)},
             {u"recordings"_s, QString(uri + u"/Recordings.json"_s)},
         }},
        {u"to"_s, call.to},
        {u"to_formatted"_s, call.to},
        {u"trunk_sid"_s, QJsonValue::Null},
        {u"uri"_s, QString(uri + u".json"_s)},
    };
}

QJsonObject queue(const SimQueue &queue, const QString &accountSid)
{
    const QString uri = accountPath(accountSid) + u"/Queues/"_s + queue.sid;
    return QJsonObject {
        {u"sid"_s, queue.sid},
        {u"account_sid"_s, accountSid},
        {u"friendly_name"_s, queue.friendlyName},
        {u"current_size"_s, static_cast<int>(queue.members.size())},
        {u"average_wait_time"_s, queue.averageWaitSeconds()},
        {u"max_size"_s, queue.maxSize},
        {u"date_created"_s, rfc2822(queue.createdMs)},
        {u"date_updated"_s, rfc2822(queue.updatedMs)},
        {u"uri"_s, QString(uri + u".json"_s)},
        {u"subresource_uris"_s, QJsonObject {{u"members"_s, QString(uri + u"/Members.json"_s)}}},
    };
}

QJsonObject member(const SimCall &call, const SimQueue &queue, int position, qint64 enqueuedAtMs, qint64 nowMs,
                   const QString &accountSid)
{
    return QJsonObject {
        {u"call_sid"_s, call.sid},
        {u"queue_sid"_s, queue.sid},
        {u"position"_s, position},
        {u"wait_time"_s, static_cast<int>((nowMs - enqueuedAtMs) / 1000)},
        {u"date_enqueued"_s, rfc2822(enqueuedAtMs)},
        {u"uri"_s,
         QString(accountPath(accountSid) + u"/Queues/"_s + queue.sid + u"/Members/"_s + call.sid + u".json"_s)},
    };
}

QJsonObject event(const CallEvent &event)
{
    return QJsonObject {
        {u"atMs"_s, event.atMs},
        {u"at"_s, QDateTime::fromMSecsSinceEpoch(event.atMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {u"kind"_s, event.kind},
        {u"detail"_s, event.detail},
    };
}

QJsonObject credentialList(const SimCredentialList &list, const QString &accountSid)
{
    const QString uri = accountPath(accountSid) + u"/SIP/CredentialLists/"_s + list.sid;
    return QJsonObject {
        {u"sid"_s, list.sid},
        {u"account_sid"_s, accountSid},
        {u"friendly_name"_s, list.friendlyName},
        {u"date_created"_s, rfc2822(list.createdMs)},
        {u"date_updated"_s, rfc2822(list.updatedMs)},
        {u"subresource_uris"_s, QJsonObject {{u"credentials"_s, QString(uri + u"/Credentials.json"_s)}}},
        {u"uri"_s, QString(uri + u".json"_s)},
    };
}

QJsonObject sipCredential(const SimSipCredential &credential, const QString &accountSid)
{
    return QJsonObject {
        {u"sid"_s, credential.sid},
        {u"account_sid"_s, accountSid},
        {u"credential_list_sid"_s, credential.credentialListSid},
        {u"username"_s, credential.username},
        {u"date_created"_s, rfc2822(credential.createdMs)},
        {u"date_updated"_s, rfc2822(credential.updatedMs)},
        {u"uri"_s,
         QString(accountPath(accountSid) + u"/SIP/CredentialLists/"_s + credential.credentialListSid
                 + u"/Credentials/"_s + credential.sid + u".json"_s)},
    };
}

} // namespace heartline::twilioJson
