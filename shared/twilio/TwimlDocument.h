#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringView>

#include "core/Result.h"

namespace heartline {

/// A child element of a verb: a Dial noun (Client, Queue, Number, Sip), a Client's Identity or
/// Parameter, or a verb nested in Gather (Say, Play, Pause).
struct TwimlNoun
{
    QString name;
    QMap<QString, QString> attributes;
    QString text; ///< trimmed
    QList<TwimlNoun> children;

    [[nodiscard]] QString attribute(const QString &key, const QString &fallback = {}) const
    {
        return attributes.value(key, fallback);
    }

    // Not defaulted: a defaulted == on a type holding a QList of itself is deleted by QList's own
    // "does T have ==" check, which cannot see through the recursion.
    friend bool operator==(const TwimlNoun &a, const TwimlNoun &b);
};

/// One verb of a <Response>, as the Twilio stand-in executes it.
struct TwimlVerb
{
    enum class Kind { Say, Play, Pause, Redirect, Hangup, Leave, Reject, Dial, Enqueue, Gather, Record };

    Kind kind = Kind::Hangup;
    QMap<QString, QString> attributes;
    QString text;           ///< trimmed: Say's words, Play's / Redirect's URL, Enqueue's queue name, Dial's number
    QList<TwimlNoun> nouns; ///< Dial's nouns, Gather's nested verbs

    [[nodiscard]] QString name() const;
    [[nodiscard]] QString attribute(const QString &key, const QString &fallback = {}) const
    {
        return attributes.value(key, fallback);
    }
    /// The attribute as an integer; nullopt when absent or not a whole number.
    [[nodiscard]] std::optional<int> intAttribute(const QString &key) const;

    friend bool operator==(const TwimlVerb &, const TwimlVerb &) = default;
};

/// A parsed (or written) <Response>. Tests compare TwiML as documents, never as strings.
struct TwimlDocument
{
    QList<TwimlVerb> verbs;

    friend bool operator==(const TwimlDocument &, const TwimlDocument &) = default;
};

/// "Say", "Dial", … and back; nullopt for a name that is not a verb Heartline executes.
[[nodiscard]] QString twimlVerbName(TwimlVerb::Kind kind);
[[nodiscard]] std::optional<TwimlVerb::Kind> twimlVerbKind(QStringView name);

/// Checks what XML cannot: which attributes, nouns and text each verb takes and their values
/// (spec §4). Codes, with the element path as the field ("Dial.timeout", "Dial.Client.Parameter"):
/// - `twiml_invalid_noun`: a child element the parent does not take (a verb inside Dial, SSML in Say,
///   anything beside a Sip in its Dial)
/// - `twiml_missing_noun`: Dial with nothing to dial, Client with no identity
/// - `twiml_unknown_attribute`: an attribute Heartline's TwiML does not know (Twilio only warns with
///   12200; refusing catches typos such as callerID in the server's own TwiML)
/// - `twiml_invalid_attribute`: a bad value (Dial timeout not a positive integer, negative loop or
///   Pause length, method other than GET / POST, …) or a missing required attribute
/// - `twiml_invalid_text`: missing, unexpected or bad text (an Enqueue name over 64 characters,
///   characters XML cannot carry, a Sip whose text is no sip:/sips: URI under 255 characters)
[[nodiscard]] std::optional<Problem> validateTwiml(const TwimlDocument &document);

/// Parses and validates a TwiML document. Besides validateTwiml's codes:
/// - `twiml_parse_error`: not well-formed XML, a DTD, nesting too deep
/// - `twiml_invalid_root`: the root element is not <Response>
/// - `twiml_invalid_verb`: an element that is no TwiML verb
/// - `twiml_unsupported_verb`: a Twilio verb the stand-in does not execute (Record, Conference…)
/// - `twiml_misplaced_noun`: a noun (Client, Queue, Number…) outside Dial
[[nodiscard]] Result<TwimlDocument> parseTwiml(QByteArrayView xml);

/// The number Twilio's debugger would report for a TwiML problem: 12100 ("Document parse failure")
/// for XML and root errors, 12200 ("Schema validation warning") for the rest.
[[nodiscard]] int twilioErrorNumber(const Problem &twimlProblem);

} // namespace heartline
