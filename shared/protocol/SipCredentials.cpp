#include "protocol/SipCredentials.h"

#include "protocol/JsonReader.h"
#include "protocol/ProtocolTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

std::optional<SipCredentials::Status> statusFromWord(QStringView word)
{
    if (word == u"ready")
        return SipCredentials::Status::Ready;
    if (word == u"unavailable")
        return SipCredentials::Status::Unavailable;
    return std::nullopt;
}

constexpr TextRule HostText {255, false};
constexpr int MaxRetryAfterSeconds = 3600;

} // namespace

QString toString(SipCredentials::Status status)
{
    return status == SipCredentials::Status::Ready ? u"ready"_s : u"unavailable"_s;
}

QJsonObject toJson(const SipCredentials &account)
{
    QJsonObject object {
        {u"status"_s, toString(account.status)}, {u"domain"_s, account.domain},
        {u"registrar"_s, account.registrar},     {u"transport"_s, account.transport},
        {u"secureMedia"_s, account.secureMedia},
    };
    if (account.status == SipCredentials::Status::Ready) {
        object.insert(u"username"_s, account.username);
        object.insert(u"password"_s, account.password);
    } else {
        object.insert(u"reason"_s, account.reason);
        if (account.retryAfterSeconds)
            object.insert(u"retryAfterSeconds"_s, *account.retryAfterSeconds);
    }
    return object;
}

void readFields(JsonReader &reader, SipCredentials &account)
{
    account.status = reader.word(u"status", &statusFromWord, u"ready or unavailable"_s);
    account.domain = reader.string(u"domain", HostText);
    account.registrar = reader.string(u"registrar", HostText);
    account.transport = reader.string(u"transport", HostText);
    account.secureMedia = reader.boolean(u"secureMedia");
    if (account.status == SipCredentials::Status::Ready) {
        account.username = reader.string(u"username", IdText);
        account.password = reader.string(u"password", TokenText);
    } else {
        account.reason = reader.string(u"reason", MessageText);
        if (const auto seconds = reader.optionalInteger(u"retryAfterSeconds", 0, MaxRetryAfterSeconds))
            account.retryAfterSeconds = int(*seconds);
    }
}

Result<SipCredentials> parseSipCredentials(const QJsonObject &json)
{
    JsonReader reader(json);
    SipCredentials account;
    readFields(reader, account);
    if (!reader.ok())
        return reader.problem();
    return account;
}

} // namespace heartline
