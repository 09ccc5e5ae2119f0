// parseTwiml (declared in TwimlDocument.h): XML → element tree → typed verbs → schema check.

#include "twilio/TwimlDocument.h"

#include <algorithm>
#include <iterator>

#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Response > verb > noun > Identity is four levels; anything much deeper is no TwiML, and the
/// limit keeps a hostile document from exhausting the stack.
constexpr int MaxDepth = 8;

/// Twilio nouns: valid TwiML, but only inside a verb.
constexpr QStringView nounNames[]
    = {u"Client", u"Queue", u"Number", u"Identity", u"Parameter", u"Conference", u"Sip", u"Application", u"Task"};
/// Twilio verbs the stand-in does not execute: Twilio would run them, so they are not "invalid".
constexpr QStringView unsupportedVerbs[]
    = {u"Connect", u"Echo", u"Pay", u"Prompt", u"Refer", u"Sms", u"Message", u"Start", u"Stop", u"Stream", u"Siprec"};

template <std::size_t N> bool isOneOf(QStringView name, const QStringView (&names)[N])
{
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

Problem parseError(const QXmlStreamReader &reader, const QString &what)
{
    return Problem {u"twiml_parse_error"_s, QString(),
                    u"line %1, column %2: %3"_s.arg(QString::number(reader.lineNumber()),
                                                    QString::number(reader.columnNumber()), what)};
}

/// Reads the element the reader stands on, with its attributes, trimmed text and children.
std::optional<Problem> readElement(QXmlStreamReader &reader, TwimlNoun &node, int depth)
{
    node.name = reader.qualifiedName().toString();
    const QXmlStreamAttributes attributes = reader.attributes();
    for (const QXmlStreamAttribute &attribute : attributes)
        node.attributes.insert(attribute.qualifiedName().toString(), attribute.value().toString());
    QString text;
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement: {
            if (depth >= MaxDepth)
                return parseError(reader, u"elements nested deeper than %1 levels"_s.arg(MaxDepth));
            TwimlNoun child;
            if (auto problem = readElement(reader, child, depth + 1))
                return problem;
            node.children.append(std::move(child));
            break;
        }
        case QXmlStreamReader::Characters:
            text += reader.text();
            break;
        case QXmlStreamReader::EndElement:
            node.text = text.trimmed();
            return std::nullopt;
        default:
            break; // comments and processing instructions carry nothing
        }
    }
    return parseError(reader, reader.errorString());
}

Result<TwimlNoun> readDocument(QByteArrayView xml)
{
    QXmlStreamReader reader(xml.toByteArray());
    std::optional<TwimlNoun> root;
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::DTD:
            // Refused outright: entity definitions are an expansion bomb waiting to happen.
            return parseError(reader, u"a DTD is not allowed in TwiML"_s);
        case QXmlStreamReader::StartElement:
            root.emplace();
            if (auto problem = readElement(reader, *root, 1))
                return *problem;
            break;
        default:
            break;
        }
    }
    // Read to the end, so that content after </Response> is a parse error as it is for Twilio.
    if (reader.hasError())
        return parseError(reader, reader.errorString());
    if (!root)
        return parseError(reader, u"the document is empty"_s);
    return *root;
}

Result<TwimlVerb> toVerb(const TwimlNoun &element, qsizetype index)
{
    const std::optional<TwimlVerb::Kind> kind = twimlVerbKind(element.name);
    if (!kind) {
        const QString where = u"verb %1 (%2): "_s.arg(QString::number(index + 1), element.name);
        if (isOneOf(element.name, nounNames))
            return Problem {u"twiml_misplaced_noun"_s, element.name,
                            where + u"<%1> is a noun: it belongs inside a verb such as <Dial>"_s.arg(element.name)};
        if (isOneOf(element.name, unsupportedVerbs))
            return Problem {u"twiml_unsupported_verb"_s, element.name,
                            where + u"<%1> is a Twilio verb Heartline does not execute"_s.arg(element.name)};
        return Problem {u"twiml_invalid_verb"_s, element.name, where + u"<%1> is not a TwiML verb"_s.arg(element.name)};
    }
    return TwimlVerb {*kind, element.attributes, element.text, element.children};
}

} // namespace

Result<TwimlDocument> parseTwiml(QByteArrayView xml)
{
    const Result<TwimlNoun> root = readDocument(xml);
    if (!root)
        return root.error();
    if (root->name != u"Response")
        return Problem {u"twiml_invalid_root"_s, root->name,
                        u"the root element must be <Response>, not <%1>"_s.arg(root->name)};
    if (!root->attributes.isEmpty())
        return Problem {u"twiml_unknown_attribute"_s, u"Response."_s + root->attributes.firstKey(),
                        u"<Response> takes no attributes"_s};
    if (!root->text.isEmpty())
        return Problem {u"twiml_invalid_text"_s, u"Response"_s, u"<Response> holds verbs, not text"_s};

    TwimlDocument document;
    for (qsizetype i = 0; i < root->children.size(); ++i) {
        Result<TwimlVerb> verb = toVerb(root->children[i], i);
        if (!verb)
            return verb.error();
        document.verbs.append(std::move(verb).value());
    }
    if (std::optional<Problem> problem = validateTwiml(document))
        return *problem;
    return document;
}

} // namespace heartline
