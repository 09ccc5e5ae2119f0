#pragma once

#include <optional>
#include <utility>
#include <variant>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/Result.h"
#include "twilio/TwimlDocument.h"

namespace heartline {

enum class HttpMethod { Get, Post };

/// The verbs and nouns TwimlWriter takes, as plain structs for designated initialisers:
/// `writer.dial({.timeout = 20, .action = url}, twiml::Client {.identity = u"alice"_s})`.
/// Empty strings and unset optionals are left out of the document (Twilio's defaults apply).
namespace twiml {

struct Say
{
    QString text {};
    QString voice {};
    QString language {};
    std::optional<int> loop {}; ///< 0 repeats until the call ends
};

struct Play
{
    QString url {};
    std::optional<int> loop {};
    QString digits {}; ///< DTMF to play instead of a URL
};

struct Pause
{
    int length = 1; ///< seconds
};

struct Redirect
{
    QString url {};
    std::optional<HttpMethod> method {};
};

struct Reject
{
    QString reason {}; ///< "rejected" or "busy"; empty: Twilio's default
};

/// Short form `<Client>alice</Client>` without parameters; long form with <Identity> and
/// <Parameter> children otherwise.
struct Client
{
    QString identity {};
    QList<std::pair<QString, QString>> parameters {};
    QString url {}; ///< TwiML run on the client's leg when it answers
    std::optional<HttpMethod> method {};
    QString statusCallback {};
    QString statusCallbackEvent {}; ///< space-separated: initiated ringing answered completed
    std::optional<HttpMethod> statusCallbackMethod {};
};

struct Queue
{
    QString name {}; ///< at most 64 characters
    QString url {};  ///< TwiML played to the dequeued caller before the bridge
    std::optional<HttpMethod> method {};
};

struct Number
{
    QString number {}; ///< E.164
    QString sendDigits {};
    QString url {};
    QString statusCallback {};
    QString statusCallbackEvent {};
};

/// A SIP endpoint, e.g. a softphone registered at a Twilio SIP Domain. Twilio takes one <Sip> per
/// <Dial> and nothing beside it.
struct Sip
{
    QString uri {}; ///< sip:alice@example.sip.twilio.com;transport=tls
    QString url {}; ///< TwiML run on the SIP leg when it answers
    std::optional<HttpMethod> method {};
    QString statusCallback {};
    QString statusCallbackEvent {}; ///< space-separated: initiated ringing answered completed
    std::optional<HttpMethod> statusCallbackMethod {};
};

using DialNoun = std::variant<Client, Queue, Number, Sip>;

struct Dial
{
    std::optional<int> timeout {}; ///< seconds of ringing before no-answer
    QString action {};             ///< receives DialCallStatus, DialCallSid, DialCallDuration
    std::optional<HttpMethod> method {};
    QString callerId {};
    std::optional<bool> answerOnBridge {};
    std::optional<int> timeLimit {};
    QString record {}; ///< "record-from-answer", …
    QString ringTone {};
};

struct Enqueue
{
    QString name {}; ///< the queue, at most 64 characters
    QString action {};
    std::optional<HttpMethod> method {};
    QString waitUrl {};
    std::optional<HttpMethod> waitUrlMethod {};
};

using GatherPrompt = std::variant<Say, Play, Pause>;

struct Gather
{
    QString input {}; ///< "dtmf", "speech" or "dtmf speech"
    QString action {};
    std::optional<HttpMethod> method {};
    std::optional<int> timeout {};
    std::optional<int> numDigits {};
    QString finishOnKey {};
    QList<GatherPrompt> prompts {};
};

/// Records what the caller says (voicemail); the recording's URL goes to `action`.
struct Record
{
    QString action {};
    std::optional<HttpMethod> method {};
    std::optional<int> timeout {};   ///< seconds of silence that end the recording
    std::optional<int> maxLength {}; ///< seconds at most
    QString finishOnKey {};
    std::optional<bool> playBeep {};
};

} // namespace twiml

/// Builds a <Response> verb by verb. The typed structs rule out most mistakes at compile time (a
/// <Dial> cannot be written without a noun); toXml() checks the rest with the parser's own schema
/// (queue name length, negative loop, …), so what it returns always parses back.
class TwimlWriter
{
public:
    TwimlWriter &say(const twiml::Say &say);
    TwimlWriter &play(const twiml::Play &play);
    TwimlWriter &pause(const twiml::Pause &pause);
    TwimlWriter &redirect(const twiml::Redirect &redirect);
    TwimlWriter &reject(const twiml::Reject &reject = {});
    TwimlWriter &hangup();
    TwimlWriter &leave();
    TwimlWriter &dial(const twiml::Dial &dial, const twiml::DialNoun &first, const QList<twiml::DialNoun> &more = {});
    TwimlWriter &enqueue(const twiml::Enqueue &enqueue);
    TwimlWriter &gather(const twiml::Gather &gather);
    TwimlWriter &record(const twiml::Record &record);

    [[nodiscard]] const TwimlDocument &document() const { return m_document; }
    /// The UTF-8 document, or the first problem validateTwiml finds.
    [[nodiscard]] Result<QByteArray> toXml() const;

private:
    TwimlDocument m_document;
};

/// Serialises any valid document: `<?xml version="1.0" encoding="UTF-8"?><Response>…</Response>`.
/// Text and attribute values are escaped by QXmlStreamWriter, and `'` as `&apos;` too, so no
/// markup character ever appears raw inside a value.
[[nodiscard]] Result<QByteArray> writeTwiml(const TwimlDocument &document);

} // namespace heartline
