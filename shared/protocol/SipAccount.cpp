#include "protocol/SipAccount.h"

#include "protocol/JsonReader.h"
#include "protocol/ProtocolTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

std::optional<SipAccount::Status> statusFromWord(QStringView word)
{
    if (word == u"ready")
        return SipAccount::Status::Ready;
    if (word == u"unavailable")
        return SipAccount::Status::Unavailable;
    return std::nullopt;
}

constexpr TextRule HostText {255, false};
constexpr int MaxRetryAfterSeconds = 3600;

} // namespace

QString toString(SipAccount::Status status)
{
    return status == SipAccount::Status::Ready ? u"ready"_s : u"unavailable"_s;
}

QJsonObject toJson(const SipAccount &account)
{
    QJsonObject object {
        {u"status"_s, toString(account.status)}, {u"domain"_s, account.domain},
        {u"registrar"_s, account.registrar},     {u"transport"_s, account.transport},
        {u"secureMedia"_s, account.secureMedia},
    };
    if (account.status == SipAccount::Status::Ready) {
        object.insert(u"username"_s, account.username);
        object.insert(u"password"_s, account.password);
    } else {
        object.insert(u"reason"_s, account.reason);
        if (account.retryAfterSeconds)
            object.insert(u"retryAfterSeconds"_s, *account.retryAfterSeconds);
    }
    return object;
}

void readFields(JsonReader &reader, SipAccount &account)
{
    account.status = reader.word(u"status", &statusFromWord, u"ready or unavailable"_s);
    account.domain = reader.string(u"domain", HostText);
    account.registrar = reader.string(u"registrar", HostText);
    account.transport = reader.string(u"transport", HostText);
    account.secureMedia = reader.boolean(u"secureMedia");
    if (account.status == SipAccount::Status::Ready) {
        account.username = reader.string(u"username", IdText);
        account.password = reader.string(u"password", TokenText);
    } else {
        account.reason = reader.string(u"reason", MessageText);
        if (const auto seconds = reader.optionalInteger(u"retryAfterSeconds", 0, MaxRetryAfterSeconds))
            account.retryAfterSeconds = int(*seconds);
    }
}

Result<SipAccount> parseSipAccount(const QJsonObject &json)
{
    JsonReader reader(json);
    SipAccount account;
    readFields(reader, account);
    if (!reader.ok())
        return reader.problem();
    return account;
}

} // namespace heartline
