#include "voice/SimVoiceMessages.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace heartline::simvoice {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Result<QString> requiredText(const QJsonObject &object, const QString &field)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull())
        return Problem {u"missing_field"_s, field, u"%1 is required"_s.arg(field)};
    if (!value.isString())
        return Problem {u"wrong_type"_s, field, u"%1 must be a string"_s.arg(field)};
    if (value.toString().isEmpty())
        return Problem {u"invalid_value"_s, field, u"%1 must not be empty"_s.arg(field)};
    return value.toString();
}

} // namespace

Result<SimMessage> parse(QByteArrayView raw)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(raw.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return Problem {u"malformed_json"_s, {}, u"a message must be one JSON object"_s};
    const QJsonObject object = document.object();
    const QString type = object.value(u"type"_s).toString();
    if (type == u"registered"_s) {
        auto identity = requiredText(object, u"identity"_s);
        if (!identity)
            return identity.error();
        return SimMessage {Registered {identity.value()}};
    }
    if (type == u"error"_s)
        return SimMessage {Error {object.value(u"message"_s).toString()}};

    auto callSid = requiredText(object, u"callSid"_s);
    if (type == u"incoming"_s) {
        if (!callSid)
            return callSid.error();
        IncomingCall call;
        call.callSid = callSid.value();
        call.parentCallSid = object.value(u"parentCallSid"_s).toString();
        call.from = object.value(u"from"_s).toString();
        call.to = object.value(u"to"_s).toString();
        call.params = object.value(u"params"_s).toObject().toVariantMap();
        return SimMessage {Incoming {call}};
    }
    static const QHash<QString, CallEvent::Kind> events {
        {u"canceled"_s, CallEvent::Canceled},
        {u"connected"_s, CallEvent::Connected},
        {u"disconnected"_s, CallEvent::Disconnected},
    };
    if (const auto it = events.constFind(type); it != events.constEnd()) {
        if (!callSid)
            return callSid.error();
        return SimMessage {CallEvent {it.value(), callSid.value()}};
    }
    if (type.isEmpty())
        return Problem {u"missing_field"_s, u"type"_s, u"type is required"_s};
    return Problem {u"unknown_type"_s, u"type"_s, u"unknown message type \"%1\""_s.arg(type)};
}

QByteArray registerIdentity(const QString &identity)
{
    return compact({{u"type"_s, u"register"_s}, {u"identity"_s, identity}});
}

QByteArray registerToken(const QString &accessToken)
{
    return compact({{u"type"_s, u"register"_s}, {u"token"_s, accessToken}});
}

QByteArray callCommand(QStringView type, const QString &callSid)
{
    return compact({{u"type"_s, type.toString()}, {u"callSid"_s, callSid}});
}

} // namespace heartline::simvoice
