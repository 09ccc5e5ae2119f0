#include "twilio/TwimlDocument.h"

#include <algorithm>
#include <array>
#include <span>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr std::array<std::pair<TwimlVerb::Kind, QStringView>, 11> verbNames {{
    {TwimlVerb::Kind::Say, u"Say"},
    {TwimlVerb::Kind::Play, u"Play"},
    {TwimlVerb::Kind::Pause, u"Pause"},
    {TwimlVerb::Kind::Redirect, u"Redirect"},
    {TwimlVerb::Kind::Hangup, u"Hangup"},
    {TwimlVerb::Kind::Leave, u"Leave"},
    {TwimlVerb::Kind::Reject, u"Reject"},
    {TwimlVerb::Kind::Dial, u"Dial"},
    {TwimlVerb::Kind::Enqueue, u"Enqueue"},
    {TwimlVerb::Kind::Gather, u"Gather"},
    {TwimlVerb::Kind::Record, u"Record"},
}};

// ---- The schema: which attributes, children and text each element takes ----

enum class ValueRule {
    Any,
    NonEmpty,
    PositiveInt,
    NonNegativeInt,
    Method,   ///< GET or POST, any case
    Bool,     ///< true or false, any case
    OneOf,    ///< exactly one of `choices`
    TokenSet, ///< one or more of `choices`, separated by spaces (statusCallbackEvent="ringing answered")
};

struct AttributeRule
{
    QStringView name;
    ValueRule rule = ValueRule::Any;
    QStringView choices = {}; ///< space-separated, for OneOf and TokenSet
    bool required = false;
};

enum class TextRule {
    None,
    Optional,
    Required,
    QueueName,       ///< required, at most 64 characters
    UrlUnlessDigits, ///< Play: a URL, or nothing when `digits` is given
    NumberOrNouns,   ///< Dial: a phone number as text, or nouns, not both
    IdentityOrChild, ///< Client: the identity as text, or one <Identity> child, not both
    SipUri,          ///< Sip: a sip: or sips: URI under 255 characters
};

struct ElementRule
{
    QStringView name;
    std::span<const AttributeRule> attributes;
    std::span<const QStringView> children;
    TextRule text;
};

constexpr QStringView callEvents = u"initiated ringing answered completed";

constexpr AttributeRule sayAttributes[] = {{u"voice"}, {u"language"}, {u"loop", ValueRule::NonNegativeInt}};
constexpr AttributeRule playAttributes[] = {{u"loop", ValueRule::NonNegativeInt}, {u"digits"}};
constexpr AttributeRule pauseAttributes[] = {{u"length", ValueRule::NonNegativeInt}};
constexpr AttributeRule redirectAttributes[] = {{u"method", ValueRule::Method}};
constexpr AttributeRule rejectAttributes[] = {{u"reason", ValueRule::OneOf, u"rejected busy"}};
constexpr AttributeRule dialAttributes[] = {
    {u"action"},
    {u"method", ValueRule::Method},
    {u"timeout", ValueRule::PositiveInt},
    {u"callerId"},
    {u"answerOnBridge", ValueRule::Bool},
    {u"timeLimit", ValueRule::PositiveInt},
    {u"hangupOnStar", ValueRule::Bool},
    {u"ringTone"},
    {u"record", ValueRule::OneOf,
     u"do-not-record record-from-answer record-from-ringing record-from-answer-dual record-from-ringing-dual "
     u"true false"},
    {u"recordingStatusCallback"},
    {u"recordingStatusCallbackMethod", ValueRule::Method},
    {u"recordingStatusCallbackEvent", ValueRule::TokenSet, u"in-progress completed absent"},
    {u"recordingTrack", ValueRule::OneOf, u"both inbound outbound"},
    {u"trim", ValueRule::OneOf, u"trim-silence do-not-trim"},
    {u"sequential", ValueRule::Bool},
    {u"referUrl"},
    {u"referMethod", ValueRule::Method},
};
constexpr AttributeRule enqueueAttributes[] = {
    {u"action"},
    {u"method", ValueRule::Method},
    {u"waitUrl"},
    {u"waitUrlMethod", ValueRule::Method},
};
constexpr AttributeRule gatherAttributes[] = {
    {u"input", ValueRule::TokenSet, u"dtmf speech"},
    {u"action"},
    {u"method", ValueRule::Method},
    {u"timeout", ValueRule::NonNegativeInt},
    {u"numDigits", ValueRule::PositiveInt},
    {u"finishOnKey"},
    {u"speechTimeout"},
    {u"language"},
    {u"hints"},
    {u"actionOnEmptyResult", ValueRule::Bool},
    {u"partialResultCallback"},
    {u"partialResultCallbackMethod", ValueRule::Method},
    {u"profanityFilter", ValueRule::Bool},
    {u"speechModel"},
    {u"enhanced", ValueRule::Bool},
    {u"bargeIn", ValueRule::Bool},
};
constexpr AttributeRule recordAttributes[] = {
    {u"action"},
    {u"method", ValueRule::Method},
    {u"timeout", ValueRule::NonNegativeInt},
    {u"maxLength", ValueRule::PositiveInt},
    {u"finishOnKey"},
    {u"playBeep", ValueRule::Bool},
    {u"trim", ValueRule::OneOf, u"trim-silence do-not-trim"},
    {u"recordingStatusCallback"},
    {u"recordingStatusCallbackMethod", ValueRule::Method},
    {u"recordingStatusCallbackEvent", ValueRule::TokenSet, u"in-progress completed absent"},
    {u"transcribe", ValueRule::Bool},
    {u"transcribeCallback"},
};
constexpr AttributeRule clientAttributes[] = {
    {u"url"},
    {u"method", ValueRule::Method},
    {u"statusCallback"},
    {u"statusCallbackMethod", ValueRule::Method},
    {u"statusCallbackEvent", ValueRule::TokenSet, callEvents},
};
constexpr AttributeRule parameterAttributes[] = {
    {u"name", ValueRule::NonEmpty, {}, true},
    {u"value", ValueRule::Any, {}, true},
};
constexpr AttributeRule queueAttributes[] = {
    {u"url"},
    {u"method", ValueRule::Method},
    {u"reservationSid"},
    {u"postWorkActivitySid"},
};
constexpr AttributeRule numberAttributes[] = {
    {u"sendDigits"},
    {u"url"},
    {u"method", ValueRule::Method},
    {u"statusCallback"},
    {u"statusCallbackMethod", ValueRule::Method},
    {u"statusCallbackEvent", ValueRule::TokenSet, callEvents},
    {u"byoc"},
};

// Twilio's <Sip> attributes (voice/twiml/sip); username and password answer a challenge from the
// far end, which a phone registered at a Twilio SIP Domain never sends.
constexpr AttributeRule sipAttributes[] = {
    {u"username"},
    {u"password"},
    {u"url"},
    {u"method", ValueRule::Method},
    {u"statusCallback"},
    {u"statusCallbackMethod", ValueRule::Method},
    {u"statusCallbackEvent", ValueRule::TokenSet, callEvents},
    {u"machineDetection", ValueRule::OneOf, u"Enable DetectMessageEnd"},
    {u"machineDetectionTimeout", ValueRule::PositiveInt},
    {u"machineDetectionSpeechThreshold", ValueRule::PositiveInt},
    {u"machineDetectionSpeechEndThreshold", ValueRule::PositiveInt},
    {u"machineDetectionSilenceTimeout", ValueRule::PositiveInt},
    {u"amdStatusCallback"},
    {u"amdStatusCallbackMethod", ValueRule::Method},
};

constexpr QStringView dialChildren[] = {u"Client", u"Queue", u"Number", u"Sip"};
constexpr QStringView gatherChildren[] = {u"Say", u"Play", u"Pause"};
constexpr QStringView clientChildren[] = {u"Identity", u"Parameter"};

constexpr ElementRule elementRules[] = {
    {u"Say", sayAttributes, {}, TextRule::Optional},
    {u"Play", playAttributes, {}, TextRule::UrlUnlessDigits},
    {u"Pause", pauseAttributes, {}, TextRule::None},
    {u"Redirect", redirectAttributes, {}, TextRule::Required},
    {u"Hangup", {}, {}, TextRule::None},
    {u"Leave", {}, {}, TextRule::None},
    {u"Reject", rejectAttributes, {}, TextRule::None},
    {u"Dial", dialAttributes, dialChildren, TextRule::NumberOrNouns},
    {u"Enqueue", enqueueAttributes, {}, TextRule::QueueName},
    {u"Gather", gatherAttributes, gatherChildren, TextRule::None},
    {u"Record", recordAttributes, {}, TextRule::None},
    {u"Client", clientAttributes, clientChildren, TextRule::IdentityOrChild},
    {u"Identity", {}, {}, TextRule::Required},
    {u"Parameter", parameterAttributes, {}, TextRule::None},
    {u"Queue", queueAttributes, {}, TextRule::QueueName},
    {u"Number", numberAttributes, {}, TextRule::Required},
    {u"Sip", sipAttributes, {}, TextRule::SipUri},
};

constexpr qsizetype MaxQueueNameLength = 64;
constexpr qsizetype MaxSipUriLength = 254; ///< Twilio: a valid SIP URI under 255 characters

const ElementRule *findRule(QStringView name)
{
    for (const ElementRule &rule : elementRules) {
        if (rule.name == name)
            return &rule;
    }
    return nullptr;
}

/// Characters XML 1.0 can carry: TwiML with anything else cannot be written, so it is refused early.
bool isXmlText(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 >= text.size() || !QChar::isLowSurrogate(text[i + 1].unicode()))
                return false;
            ++i; // a pair: U+10000..U+10FFFF, all allowed
            continue;
        }
        const bool ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
        if (!ok)
            return false; // control characters, U+FFFE, U+FFFF, a lone low surrogate
    }
    return true;
}

std::optional<qint64> parseDigits(QStringView text)
{
    if (text.isEmpty() || text.size() > 9)
        return std::nullopt;
    qint64 value = 0;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

/// Why `value` breaks `rule`, or an empty string when it does not.
QString valueError(const AttributeRule &rule, const QString &value)
{
    switch (rule.rule) {
    case ValueRule::Any:
        return {};
    case ValueRule::NonEmpty:
        return value.trimmed().isEmpty() ? u"must not be empty"_s : QString();
    case ValueRule::PositiveInt: {
        const std::optional<qint64> number = parseDigits(value);
        return number && *number > 0 ? QString() : u"must be a positive whole number"_s;
    }
    case ValueRule::NonNegativeInt:
        return parseDigits(value) ? QString() : u"must be a whole number, 0 or more"_s;
    case ValueRule::Method:
        return value.compare(u"GET", Qt::CaseInsensitive) == 0 || value.compare(u"POST", Qt::CaseInsensitive) == 0
            ? QString()
            : u"must be GET or POST"_s;
    case ValueRule::Bool:
        return value.compare(u"true", Qt::CaseInsensitive) == 0 || value.compare(u"false", Qt::CaseInsensitive) == 0
            ? QString()
            : u"must be true or false"_s;
    case ValueRule::OneOf:
    case ValueRule::TokenSet: {
        const QList<QStringView> choices = rule.choices.split(u' ');
        const QList<QStringView> tokens = rule.rule == ValueRule::OneOf
            ? QList<QStringView> {QStringView(value)}
            : QStringView(value).split(u' ', Qt::SkipEmptyParts);
        const bool ok = !tokens.isEmpty()
            && std::all_of(tokens.begin(), tokens.end(), [&](QStringView token) { return choices.contains(token); });
        return ok ? QString()
                  : u"must be %1 of: %2"_s.arg(rule.rule == ValueRule::OneOf ? u"one"_s : u"one or more"_s,
                                               rule.choices.toString());
    }
    }
    return {};
}

/// Walks one element and its children against the schema. `where` names the verb for messages
/// ("verb 2 (Dial)"), `path` the element for the Problem's field ("Dial.Client").
class Validator
{
public:
    Validator(QString where) : m_where(std::move(where)) { }

    std::optional<Problem> check(QStringView name, const QMap<QString, QString> &attributes, const QString &text,
                                 const QList<TwimlNoun> &children, const QString &path) const
    {
        const ElementRule *rule = findRule(name);
        if (!rule)
            return fail(u"twiml_invalid_noun"_s, path, u"<%1> is not a TwiML element"_s.arg(name));
        if (auto problem = checkAttributes(*rule, attributes, path))
            return problem;
        if (!isXmlText(text))
            return fail(u"twiml_invalid_text"_s, path, u"<%1> has characters XML cannot carry"_s.arg(name));
        for (const TwimlNoun &child : children) {
            const QString childPath = path + u'.' + child.name;
            if (rule->children.empty())
                return fail(u"twiml_invalid_noun"_s, childPath,
                            u"<%1> cannot contain elements (found <%2>)"_s.arg(name, child.name));
            if (std::find(rule->children.begin(), rule->children.end(), QStringView(child.name))
                == rule->children.end())
                return fail(u"twiml_invalid_noun"_s, childPath, u"<%1> cannot contain <%2>"_s.arg(name, child.name));
            if (auto problem = check(child.name, child.attributes, child.text, child.children, childPath))
                return problem;
        }
        return checkText(*rule, attributes, text, children, path);
    }

private:
    std::optional<Problem> checkAttributes(const ElementRule &rule, const QMap<QString, QString> &attributes,
                                           const QString &path) const
    {
        for (auto it = attributes.cbegin(); it != attributes.cend(); ++it) {
            const auto found = std::find_if(rule.attributes.begin(), rule.attributes.end(),
                                            [&](const AttributeRule &a) { return a.name == it.key(); });
            const QString field = path + u'.' + it.key();
            if (found == rule.attributes.end())
                return fail(u"twiml_unknown_attribute"_s, field,
                            u"<%1> has no attribute \"%2\""_s.arg(rule.name, it.key()));
            if (!isXmlText(it.value()))
                return fail(u"twiml_invalid_attribute"_s, field, u"%1 has characters XML cannot carry"_s.arg(it.key()));
            const QString error = valueError(*found, it.value());
            if (!error.isEmpty())
                return fail(u"twiml_invalid_attribute"_s, field,
                            u"%1 %2, got \"%3\""_s.arg(it.key(), error, it.value()));
        }
        for (const AttributeRule &attribute : rule.attributes) {
            if (attribute.required && !attributes.contains(attribute.name.toString()))
                return fail(u"twiml_invalid_attribute"_s, path + u'.' + attribute.name,
                            u"<%1> needs a %2 attribute"_s.arg(rule.name, attribute.name));
        }
        return std::nullopt;
    }

    std::optional<Problem> checkText(const ElementRule &rule, const QMap<QString, QString> &attributes,
                                     const QString &text, const QList<TwimlNoun> &children, const QString &path) const
    {
        const QString name = rule.name.toString();
        switch (rule.text) {
        case TextRule::Optional:
            return std::nullopt;
        case TextRule::None:
            if (!text.isEmpty())
                return fail(u"twiml_invalid_text"_s, path, u"<%1> takes no text"_s.arg(name));
            return std::nullopt;
        case TextRule::Required:
            if (text.isEmpty())
                return fail(u"twiml_invalid_text"_s, path, u"<%1> needs text"_s.arg(name));
            return std::nullopt;
        case TextRule::QueueName:
            if (text.isEmpty())
                return fail(u"twiml_invalid_text"_s, path, u"<%1> needs a queue name"_s.arg(name));
            if (text.toUcs4().size() > MaxQueueNameLength)
                return fail(u"twiml_invalid_text"_s, path,
                            u"a queue name has at most %1 characters, \"%2\" has %3"_s.arg(
                                QString::number(MaxQueueNameLength), text, QString::number(text.toUcs4().size())));
            return std::nullopt;
        case TextRule::UrlUnlessDigits:
            if (text.isEmpty() && !attributes.contains(u"digits"_s))
                return fail(u"twiml_invalid_text"_s, path, u"<Play> needs a URL (or a digits attribute)"_s);
            return std::nullopt;
        case TextRule::NumberOrNouns: {
            if (text.isEmpty() && children.isEmpty())
                return fail(u"twiml_missing_noun"_s, path, u"<Dial> needs something to dial"_s);
            if (!text.isEmpty() && !children.isEmpty())
                return fail(u"twiml_invalid_text"_s, path, u"<Dial> takes a number as text or nouns, not both"_s);
            const bool dialsSip = std::any_of(children.begin(), children.end(),
                                              [](const TwimlNoun &child) { return child.name == u"Sip"; });
            if (dialsSip && children.size() > 1)
                return fail(u"twiml_invalid_noun"_s, path + u".Sip"_s,
                            u"a <Dial> with a <Sip> takes no other noun, not even a second <Sip>"_s);
            return std::nullopt;
        }
        case TextRule::SipUri:
            if (!text.startsWith(u"sip:"_s, Qt::CaseInsensitive) && !text.startsWith(u"sips:"_s, Qt::CaseInsensitive))
                return fail(u"twiml_invalid_text"_s, path, u"<Sip> needs a sip: or sips: URI, got \"%1\""_s.arg(text));
            if (text.size() > MaxSipUriLength)
                return fail(u"twiml_invalid_text"_s, path,
                            u"a SIP URI has fewer than 255 characters, this one has %1"_s.arg(text.size()));
            return std::nullopt;
        case TextRule::IdentityOrChild: {
            const auto identities = std::count_if(children.begin(), children.end(),
                                                  [](const TwimlNoun &child) { return child.name == u"Identity"; });
            if (identities > 1)
                return fail(u"twiml_invalid_noun"_s, path + u".Identity"_s, u"<Client> has one <Identity>"_s);
            if (!text.isEmpty() && !children.isEmpty())
                return fail(u"twiml_invalid_text"_s, path,
                            u"<Client> takes the identity as text or as <Identity>, not both"_s);
            if (text.isEmpty() && identities == 0)
                return fail(u"twiml_missing_noun"_s, path, u"<Client> needs an identity"_s);
            return std::nullopt;
        }
        }
        return std::nullopt;
    }

    Problem fail(QString code, QString field, const QString &message) const
    {
        return Problem {std::move(code), std::move(field), m_where + u": "_s + message};
    }

    QString m_where;
};

} // namespace

bool operator==(const TwimlNoun &a, const TwimlNoun &b)
{
    return a.name == b.name && a.attributes == b.attributes && a.text == b.text && a.children == b.children;
}

QString TwimlVerb::name() const
{
    return twimlVerbName(kind);
}

std::optional<int> TwimlVerb::intAttribute(const QString &key) const
{
    const auto it = attributes.constFind(key);
    if (it == attributes.cend())
        return std::nullopt;
    bool ok = false;
    const int value = it->toInt(&ok);
    return ok ? std::optional<int>(value) : std::nullopt;
}

QString twimlVerbName(TwimlVerb::Kind kind)
{
    for (const auto &[k, name] : verbNames) {
        if (k == kind)
            return name.toString();
    }
    return {};
}

std::optional<TwimlVerb::Kind> twimlVerbKind(QStringView name)
{
    for (const auto &[kind, verbName] : verbNames) {
        if (verbName == name)
            return kind;
    }
    return std::nullopt;
}

std::optional<Problem> validateTwiml(const TwimlDocument &document)
{
    for (qsizetype i = 0; i < document.verbs.size(); ++i) {
        const TwimlVerb &verb = document.verbs[i];
        const QString name = verb.name();
        const Validator validator(u"verb %1 (%2)"_s.arg(QString::number(i + 1), name));
        if (auto problem = validator.check(name, verb.attributes, verb.text, verb.nouns, name))
            return problem;
    }
    return std::nullopt;
}

int twilioErrorNumber(const Problem &twimlProblem)
{
    if (twimlProblem.code == u"twiml_parse_error" || twimlProblem.code == u"twiml_invalid_root")
        return 12100;
    return 12200;
}

} // namespace heartline
