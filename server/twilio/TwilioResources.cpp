#include "twilio/TwilioResources.h"

#include <cmath>
#include <limits>

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Reads fields of one JSON object and remembers the first one that does not fit, so a parser
/// reads like the field list and checks once at the end.
class FieldReader
{
public:
    FieldReader(const QJsonObject &json, QString what) : m_json(json), m_what(std::move(what)) { }

    QString string(const QString &key)
    {
        const QJsonValue value = m_json.value(key);
        if (value.isString())
            return value.toString();
        if (!value.isNull() && !value.isUndefined())
            fail(key, u"is not a string"_s);
        return {};
    }

    QString requiredString(const QString &key)
    {
        QString value = string(key);
        if (value.isEmpty())
            fail(key, u"is missing"_s);
        return value;
    }

    /// Twilio sends some counts as numbers and some (duration, queue_time) as strings.
    std::optional<int> optionalInt(const QString &key)
    {
        const QJsonValue value = m_json.value(key);
        if (value.isNull() || value.isUndefined())
            return std::nullopt;
        if (value.isDouble()) {
            const double number = value.toDouble();
            if (std::trunc(number) == number && number >= std::numeric_limits<int>::min()
                && number <= std::numeric_limits<int>::max())
                return static_cast<int>(number);
        } else if (value.isString()) {
            bool ok = false;
            const int number = value.toString().toInt(&ok);
            if (ok)
                return number;
        }
        fail(key, u"is not an integer"_s);
        return std::nullopt;
    }

    int integer(const QString &key) { return optionalInt(key).value_or(0); }

    QDateTime date(const QString &key)
    {
        const QString text = string(key);
        const auto parsed = parseTwilioDate(text);
        if (!parsed) {
            fail(key, u"is not an RFC 2822 date"_s);
            return {};
        }
        return *parsed;
    }

    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] const QString &error() const { return m_error; }

private:
    void fail(const QString &key, const QString &problem)
    {
        if (m_error.isEmpty())
            m_error = u"%1 field \"%2\" %3"_s.arg(m_what, key, problem);
    }

    const QJsonObject &m_json;
    QString m_what;
    QString m_error;
};

} // namespace

std::optional<QDateTime> parseTwilioDate(const QString &text)
{
    if (text.isEmpty())
        return QDateTime();
    const QDateTime parsed = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!parsed.isValid())
        return std::nullopt;
    return parsed.toUTC();
}

Result<TwilioCall, QString> twilioCallFromJson(const QJsonObject &json)
{
    FieldReader read(json, u"call"_s);
    TwilioCall call;
    call.sid = read.requiredString(u"sid"_s);
    call.accountSid = read.string(u"account_sid"_s);
    call.status = read.requiredString(u"status"_s);
    call.direction = read.string(u"direction"_s);
    call.from = read.string(u"from"_s);
    call.to = read.string(u"to"_s);
    call.parentCallSid = read.string(u"parent_call_sid"_s);
    call.dateCreated = read.date(u"date_created"_s);
    call.dateUpdated = read.date(u"date_updated"_s);
    call.startTime = read.date(u"start_time"_s);
    call.endTime = read.date(u"end_time"_s);
    call.duration = read.optionalInt(u"duration"_s);
    call.queueTime = read.optionalInt(u"queue_time"_s);
    call.uri = read.string(u"uri"_s);
    call.apiVersion = read.string(u"api_version"_s);
    if (!read.ok())
        return read.error();
    return call;
}

Result<TwilioQueue, QString> twilioQueueFromJson(const QJsonObject &json)
{
    FieldReader read(json, u"queue"_s);
    TwilioQueue queue;
    queue.sid = read.requiredString(u"sid"_s);
    queue.friendlyName = read.string(u"friendly_name"_s);
    queue.currentSize = read.integer(u"current_size"_s);
    queue.averageWaitTime = read.integer(u"average_wait_time"_s);
    queue.maxSize = read.integer(u"max_size"_s);
    queue.dateCreated = read.date(u"date_created"_s);
    queue.dateUpdated = read.date(u"date_updated"_s);
    queue.uri = read.string(u"uri"_s);
    if (!read.ok())
        return read.error();
    return queue;
}

Result<TwilioQueueMember, QString> twilioQueueMemberFromJson(const QJsonObject &json)
{
    FieldReader read(json, u"queue member"_s);
    TwilioQueueMember member;
    member.callSid = read.requiredString(u"call_sid"_s);
    member.queueSid = read.string(u"queue_sid"_s);
    member.position = read.integer(u"position"_s);
    member.waitTime = read.integer(u"wait_time"_s);
    member.dateEnqueued = read.date(u"date_enqueued"_s);
    member.uri = read.string(u"uri"_s);
    if (!read.ok())
        return read.error();
    return member;
}

Result<TwilioCredentialList, QString> twilioCredentialListFromJson(const QJsonObject &json)
{
    FieldReader read(json, u"credential list"_s);
    TwilioCredentialList list;
    list.sid = read.requiredString(u"sid"_s);
    list.friendlyName = read.string(u"friendly_name"_s);
    list.dateCreated = read.date(u"date_created"_s);
    list.dateUpdated = read.date(u"date_updated"_s);
    list.uri = read.string(u"uri"_s);
    if (!read.ok())
        return read.error();
    return list;
}

Result<TwilioSipCredential, QString> twilioSipCredentialFromJson(const QJsonObject &json)
{
    FieldReader read(json, u"credential"_s);
    TwilioSipCredential credential;
    credential.sid = read.requiredString(u"sid"_s);
    credential.credentialListSid = read.string(u"credential_list_sid"_s);
    credential.username = read.requiredString(u"username"_s);
    credential.dateCreated = read.date(u"date_created"_s);
    credential.dateUpdated = read.date(u"date_updated"_s);
    credential.uri = read.string(u"uri"_s);
    if (!read.ok())
        return read.error();
    return credential;
}

Result<TwilioPageInfo, QString> twilioPageInfoFromJson(const QJsonObject &json)
{
    FieldReader read(json, u"page"_s);
    TwilioPageInfo info;
    info.page = read.integer(u"page"_s);
    info.pageSize = read.integer(u"page_size"_s);
    info.start = read.integer(u"start"_s);
    info.end = read.integer(u"end"_s);
    info.uri = read.string(u"uri"_s);
    info.firstPageUri = read.string(u"first_page_uri"_s);
    info.nextPageUri = read.string(u"next_page_uri"_s);
    info.previousPageUri = read.string(u"previous_page_uri"_s);
    if (!read.ok())
        return read.error();
    return info;
}

} // namespace heartline
