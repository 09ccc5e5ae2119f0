#pragma once

#include <optional>

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "core/Result.h"

namespace heartline {

/// A call as Twilio's REST API describes it (spec/twilio-voice-wire.md §3). Dates are UTC and
/// invalid when Twilio sent null (end_time of a call still in progress).
struct TwilioCall
{
    QString sid; ///< CA…
    QString accountSid;
    QString status;    ///< queued, ringing, in-progress, canceled, completed, failed, busy, no-answer
    QString direction; ///< inbound, outbound-api, outbound-dial
    QString from;
    QString to; ///< "client:<identity>" when the call rings a Voice SDK client
    QString parentCallSid;
    QDateTime dateCreated;
    QDateTime dateUpdated;
    QDateTime startTime;
    QDateTime endTime;
    std::optional<int> duration;  ///< seconds; Twilio sends a string, null until the call ends
    std::optional<int> queueTime; ///< milliseconds spent queued before the call started
    QString uri;
    QString apiVersion;
};

struct TwilioQueue
{
    QString sid; ///< QU…
    QString friendlyName;
    int currentSize = 0;
    int averageWaitTime = 0; ///< seconds
    int maxSize = 0;
    QDateTime dateCreated;
    QDateTime dateUpdated;
    QString uri;
};

struct TwilioQueueMember
{
    QString callSid;
    QString queueSid;
    int position = 0; ///< 1-based
    int waitTime = 0; ///< seconds
    QDateTime dateEnqueued;
    QString uri;
};

/// A SIP Credential List (SIP/CredentialLists): a set of usernames and passwords a SIP Domain
/// accepts once the list is mapped to it.
struct TwilioCredentialList
{
    QString sid; ///< CL…
    QString friendlyName;
    QDateTime dateCreated;
    QDateTime dateUpdated;
    QString uri;
};

/// One SIP credential of a list. Twilio never returns the password.
struct TwilioSipCredential
{
    QString sid; ///< CR…
    QString credentialListSid;
    QString username;
    QDateTime dateCreated;
    QDateTime dateUpdated;
    QString uri;
};

/// The paging fields every Twilio list answer carries next to its list key.
struct TwilioPageInfo
{
    int page = 0;
    int pageSize = 0;
    int start = 0;
    int end = 0;
    QString uri;
    QString firstPageUri;
    QString nextPageUri; ///< empty on the last page
    QString previousPageUri;
};

/// Parsers from Twilio's JSON. The error text names the field that did not fit, so a stand-in
/// that drifts from Twilio's shapes is caught at once.
[[nodiscard]] Result<TwilioCall, QString> twilioCallFromJson(const QJsonObject &json);
[[nodiscard]] Result<TwilioQueue, QString> twilioQueueFromJson(const QJsonObject &json);
[[nodiscard]] Result<TwilioQueueMember, QString> twilioQueueMemberFromJson(const QJsonObject &json);
[[nodiscard]] Result<TwilioPageInfo, QString> twilioPageInfoFromJson(const QJsonObject &json);
[[nodiscard]] Result<TwilioCredentialList, QString> twilioCredentialListFromJson(const QJsonObject &json);
[[nodiscard]] Result<TwilioSipCredential, QString> twilioSipCredentialFromJson(const QJsonObject &json);

/// RFC 2822 as Twilio writes it ("Tue, 31 Aug 2010 20:36:28 +0000"), converted to UTC.
/// Empty text gives an invalid QDateTime; malformed text gives nullopt.
[[nodiscard]] std::optional<QDateTime> parseTwilioDate(const QString &text);

} // namespace heartline
