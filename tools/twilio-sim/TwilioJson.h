#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "SimModel.h"
#include "SipCredentialStore.h"

namespace heartline {

/// Twilio's REST shapes (spec §3), written from the stand-in's model.
namespace twilioJson {

/// RFC 2822 exactly as Twilio writes it: "Tue, 31 Aug 2010 20:36:28 +0000" (English names, UTC).
[[nodiscard]] QString rfc2822(qint64 msSinceEpoch);

/// {"code", "message", "more_info", "status"}.
[[nodiscard]] QJsonObject error(int code, const QString &message, int httpStatus);

/// `/2010-04-01/Accounts/{sid}`: the prefix of every resource uri.
[[nodiscard]] QString accountPath(const QString &accountSid);

[[nodiscard]] QJsonObject call(const SimCall &call, const QString &accountSid);
[[nodiscard]] QJsonObject queue(const SimQueue &queue, const QString &accountSid);
/// `position` is 1-based; `nowMs` gives wait_time.
[[nodiscard]] QJsonObject member(const SimCall &call, const SimQueue &queue, int position, qint64 enqueuedAtMs,
                                 qint64 nowMs, const QString &accountSid);
[[nodiscard]] QJsonObject event(const CallEvent &event);
/// A Credential List, with subresource_uris.credentials.
[[nodiscard]] QJsonObject credentialList(const SimCredentialList &list, const QString &accountSid);
/// A SIP credential: never its password, as Twilio never returns one.
[[nodiscard]] QJsonObject sipCredential(const SimSipCredential &credential, const QString &accountSid);

} // namespace twilioJson

} // namespace heartline
