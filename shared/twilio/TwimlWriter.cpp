#include "twilio/TwimlWriter.h"

#include <QXmlStreamWriter>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Collects only the attributes that were given, so Twilio's defaults apply to the rest.
class AttributeSet
{
public:
    AttributeSet &text(const QString &key, const QString &value)
    {
        if (!value.isEmpty())
            m_map.insert(key, value);
        return *this;
    }
    AttributeSet &number(const QString &key, std::optional<int> value)
    {
        if (value)
            m_map.insert(key, QString::number(*value));
        return *this;
    }
    AttributeSet &method(const QString &key, std::optional<HttpMethod> value)
    {
        if (value)
            m_map.insert(key, *value == HttpMethod::Get ? u"GET"_s : u"POST"_s);
        return *this;
    }
    AttributeSet &flag(const QString &key, std::optional<bool> value)
    {
        if (value)
            m_map.insert(key, *value ? u"true"_s : u"false"_s);
        return *this;
    }
    [[nodiscard]] QMap<QString, QString> map() const { return m_map; }

private:
    QMap<QString, QString> m_map;
};

QMap<QString, QString> sayAttributes(const twiml::Say &say)
{
    return AttributeSet()
        .text(u"voice"_s, say.voice)
        .text(u"language"_s, say.language)
        .number(u"loop"_s, say.loop)
        .map();
}

QMap<QString, QString> playAttributes(const twiml::Play &play)
{
    return AttributeSet().number(u"loop"_s, play.loop).text(u"digits"_s, play.digits).map();
}

QMap<QString, QString> pauseAttributes(const twiml::Pause &pause)
{
    return AttributeSet().number(u"length"_s, pause.length).map();
}

TwimlNoun toNoun(const twiml::Client &client)
{
    TwimlNoun noun {u"Client"_s,
                    AttributeSet()
                        .text(u"url"_s, client.url)
                        .method(u"method"_s, client.method)
                        .text(u"statusCallback"_s, client.statusCallback)
                        .text(u"statusCallbackEvent"_s, client.statusCallbackEvent)
                        .method(u"statusCallbackMethod"_s, client.statusCallbackMethod)
                        .map(),
                    QString(),
                    {}};
    if (client.parameters.isEmpty()) {
        noun.text = client.identity;
        return noun;
    }
    noun.children.append(TwimlNoun {u"Identity"_s, {}, client.identity, {}});
    for (const auto &[name, value] : client.parameters)
        noun.children.append(TwimlNoun {u"Parameter"_s, {{u"name"_s, name}, {u"value"_s, value}}, QString(), {}});
    return noun;
}

TwimlNoun toNoun(const twiml::Queue &queue)
{
    return TwimlNoun {
        u"Queue"_s, AttributeSet().text(u"url"_s, queue.url).method(u"method"_s, queue.method).map(), queue.name, {}};
}

TwimlNoun toNoun(const twiml::Number &number)
{
    return TwimlNoun {u"Number"_s,
                      AttributeSet()
                          .text(u"sendDigits"_s, number.sendDigits)
                          .text(u"url"_s, number.url)
                          .text(u"statusCallback"_s, number.statusCallback)
                          .text(u"statusCallbackEvent"_s, number.statusCallbackEvent)
                          .map(),
                      number.number,
                      {}};
}

TwimlNoun toNoun(const twiml::Sip &sip)
{
    return TwimlNoun {u"Sip"_s,
                      AttributeSet()
                          .text(u"url"_s, sip.url)
                          .method(u"method"_s, sip.method)
                          .text(u"statusCallback"_s, sip.statusCallback)
                          .text(u"statusCallbackEvent"_s, sip.statusCallbackEvent)
                          .method(u"statusCallbackMethod"_s, sip.statusCallbackMethod)
                          .map(),
                      sip.uri,
                      {}};
}

TwimlNoun toNoun(const twiml::Say &say)
{
    return TwimlNoun {u"Say"_s, sayAttributes(say), say.text, {}};
}

TwimlNoun toNoun(const twiml::Play &play)
{
    return TwimlNoun {u"Play"_s, playAttributes(play), play.url, {}};
}

TwimlNoun toNoun(const twiml::Pause &pause)
{
    return TwimlNoun {u"Pause"_s, pauseAttributes(pause), QString(), {}};
}

void writeElement(QXmlStreamWriter &xml, const QString &name, const QMap<QString, QString> &attributes,
                  const QString &text, const QList<TwimlNoun> &children)
{
    if (text.isEmpty() && children.isEmpty())
        xml.writeEmptyElement(name);
    else
        xml.writeStartElement(name);
    for (auto it = attributes.cbegin(); it != attributes.cend(); ++it)
        xml.writeAttribute(it.key(), it.value());
    if (text.isEmpty() && children.isEmpty())
        return;
    for (const TwimlNoun &child : children)
        writeElement(xml, child.name, child.attributes, child.text, child.children);
    if (!text.isEmpty())
        xml.writeCharacters(text);
    xml.writeEndElement();
}

} // namespace

TwimlWriter &TwimlWriter::say(const twiml::Say &say)
{
    m_document.verbs.append(TwimlVerb {TwimlVerb::Kind::Say, sayAttributes(say), say.text, {}});
    return *this;
}

TwimlWriter &TwimlWriter::play(const twiml::Play &play)
{
    m_document.verbs.append(TwimlVerb {TwimlVerb::Kind::Play, playAttributes(play), play.url, {}});
    return *this;
}

TwimlWriter &TwimlWriter::pause(const twiml::Pause &pause)
{
    m_document.verbs.append(TwimlVerb {TwimlVerb::Kind::Pause, pauseAttributes(pause), QString(), {}});
    return *this;
}

TwimlWriter &TwimlWriter::redirect(const twiml::Redirect &redirect)
{
    m_document.verbs.append(TwimlVerb {
        TwimlVerb::Kind::Redirect, AttributeSet().method(u"method"_s, redirect.method).map(), redirect.url, {}});
    return *this;
}

TwimlWriter &TwimlWriter::reject(const twiml::Reject &reject)
{
    m_document.verbs.append(
        TwimlVerb {TwimlVerb::Kind::Reject, AttributeSet().text(u"reason"_s, reject.reason).map(), QString(), {}});
    return *this;
}

TwimlWriter &TwimlWriter::hangup()
{
    m_document.verbs.append(TwimlVerb {TwimlVerb::Kind::Hangup, {}, QString(), {}});
    return *this;
}

TwimlWriter &TwimlWriter::leave()
{
    m_document.verbs.append(TwimlVerb {TwimlVerb::Kind::Leave, {}, QString(), {}});
    return *this;
}

TwimlWriter &TwimlWriter::dial(const twiml::Dial &dial, const twiml::DialNoun &first,
                               const QList<twiml::DialNoun> &more)
{
    TwimlVerb verb {TwimlVerb::Kind::Dial,
                    AttributeSet()
                        .number(u"timeout"_s, dial.timeout)
                        .text(u"action"_s, dial.action)
                        .method(u"method"_s, dial.method)
                        .text(u"callerId"_s, dial.callerId)
                        .flag(u"answerOnBridge"_s, dial.answerOnBridge)
                        .number(u"timeLimit"_s, dial.timeLimit)
                        .text(u"record"_s, dial.record)
                        .text(u"ringTone"_s, dial.ringTone)
                        .map(),
                    QString(),
                    {}};
    const auto append = [&verb](const twiml::DialNoun &noun) {
        verb.nouns.append(std::visit([](const auto &n) { return toNoun(n); }, noun));
    };
    append(first);
    for (const twiml::DialNoun &noun : more)
        append(noun);
    m_document.verbs.append(std::move(verb));
    return *this;
}

TwimlWriter &TwimlWriter::enqueue(const twiml::Enqueue &enqueue)
{
    m_document.verbs.append(TwimlVerb {TwimlVerb::Kind::Enqueue,
                                       AttributeSet()
                                           .text(u"action"_s, enqueue.action)
                                           .method(u"method"_s, enqueue.method)
                                           .text(u"waitUrl"_s, enqueue.waitUrl)
                                           .method(u"waitUrlMethod"_s, enqueue.waitUrlMethod)
                                           .map(),
                                       enqueue.name,
                                       {}});
    return *this;
}

TwimlWriter &TwimlWriter::gather(const twiml::Gather &gather)
{
    TwimlVerb verb {TwimlVerb::Kind::Gather,
                    AttributeSet()
                        .text(u"input"_s, gather.input)
                        .text(u"action"_s, gather.action)
                        .method(u"method"_s, gather.method)
                        .number(u"timeout"_s, gather.timeout)
                        .number(u"numDigits"_s, gather.numDigits)
                        .text(u"finishOnKey"_s, gather.finishOnKey)
                        .map(),
                    QString(),
                    {}};
    for (const twiml::GatherPrompt &prompt : gather.prompts)
        verb.nouns.append(std::visit([](const auto &p) { return toNoun(p); }, prompt));
    m_document.verbs.append(std::move(verb));
    return *this;
}

TwimlWriter &TwimlWriter::record(const twiml::Record &record)
{
    m_document.verbs.append(TwimlVerb {TwimlVerb::Kind::Record,
                                       AttributeSet()
                                           .text(u"action"_s, record.action)
                                           .method(u"method"_s, record.method)
                                           .number(u"timeout"_s, record.timeout)
                                           .number(u"maxLength"_s, record.maxLength)
                                           .text(u"finishOnKey"_s, record.finishOnKey)
                                           .flag(u"playBeep"_s, record.playBeep)
                                           .map(),
                                       QString(),
                                       {}});
    return *this;
}

Result<QByteArray> TwimlWriter::toXml() const
{
    return writeTwiml(m_document);
}

Result<QByteArray> writeTwiml(const TwimlDocument &document)
{
    if (std::optional<Problem> problem = validateTwiml(document))
        return *problem;
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.writeStartDocument();
    xml.writeStartElement(u"Response"_s);
    for (const TwimlVerb &verb : document.verbs)
        writeElement(xml, verb.name(), verb.attributes, verb.text, verb.nouns);
    xml.writeEndElement();
    xml.writeEndDocument();
    if (xml.hasError())
        return Problem {u"twiml_invalid_text"_s, QString(), u"the document could not be written as XML"_s};
    // QXmlStreamWriter leaves ' alone (attributes are double-quoted); only values can hold one.
    out.replace('\'', "&apos;");
    return out;
}

} // namespace heartline
