#include <QTest>

#include "twilio/TwimlDocument.h"
#include "twilio/TwimlWriter.h"

using namespace heartline;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(heartline::TwimlWriter)

namespace {

QByteArray xmlOf(const TwimlWriter &writer)
{
    const Result<QByteArray> xml = writer.toXml();
    return xml.ok() ? xml.value() : QByteArray("write failed: ") + xml.error().message.toUtf8();
}

QByteArray response(const QByteArray &body)
{
    return R"(<?xml version="1.0" encoding="UTF-8"?><Response>)"_ba + body + "</Response>"_ba;
}

} // namespace

class TestTwilioTwiml final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documentShape()
    {
        const QByteArray xml = xmlOf(TwimlWriter().say({.text = u"Hello"_s}).hangup());
        QVERIFY2(xml.startsWith(R"(<?xml version="1.0" encoding="UTF-8"?><Response>)"), xml.constData());
        QVERIFY2(xml.trimmed().endsWith("</Response>"), xml.constData());
        QVERIFY2(xml.contains("<Hangup/>"), xml.constData());
    }

    void emptyResponse()
    {
        const Result<QByteArray> xml = TwimlWriter().toXml();
        QVERIFY(xml.ok());
        const Result<TwimlDocument> parsed = parseTwiml(xml.value());
        QVERIFY(parsed.ok());
        QVERIFY(parsed->verbs.isEmpty());
    }

    void escaping()
    {
        const QString nasty = u"Tom & Jerry <b>bold</b> \"quoted\" 'single' a>b"_s;
        TwimlWriter writer;
        writer.say({.text = nasty, .voice = u"Polly.Joanna"_s})
            .dial({.timeout = 20, .action = u"https://h.example/dial?a=1&b=\"2\"&c='3'<>"_s},
                  twiml::Client {.identity = u"alice"_s, .parameters = {{u"note"_s, nasty}}})
            .enqueue({.name = u"R&D <support>"_s, .waitUrl = u"/wait?x=1&y=2"_s});
        const QByteArray xml = xmlOf(writer);

        // Parsed back, every value is exactly what was written.
        const Result<TwimlDocument> parsed = parseTwiml(xml);
        QVERIFY2(parsed.ok(), xml.constData());
        QCOMPARE(parsed.value(), writer.document());
        QCOMPARE(parsed->verbs[0].text, nasty);
        QCOMPARE(parsed->verbs[1].attribute(u"action"_s), u"https://h.example/dial?a=1&b=\"2\"&c='3'<>"_s);
        QCOMPARE(parsed->verbs[1].nouns[0].children[1].attribute(u"value"_s), nasty);
        QCOMPARE(parsed->verbs[2].text, u"R&D <support>"_s);

        // And in the raw bytes, no value character appears unescaped.
        for (const char *raw :
             {"Tom & Jerry", "<b>", "\"quoted\"", "'single'", "a>b", "a=1&b", "R&D", "<support>", "x=1&y"}) {
            QVERIFY2(!xml.contains(raw), raw);
        }
        QVERIFY(!xml.contains('\'')); // attributes are double-quoted; ' only ever appears inside values
        QVERIFY(xml.contains("Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot; &apos;single&apos; a&gt;b"));
        QVERIFY(xml.contains("action=\"https://h.example/dial?a=1&amp;b=&quot;2&quot;&amp;c=&apos;3&apos;&lt;&gt;\""));
    }

    void whitespaceInAttributesSurvives()
    {
        TwimlWriter writer;
        writer.dial({}, twiml::Client {.identity = u"a"_s, .parameters = {{u"k"_s, u"line1\nline2\tend"_s}}});
        const Result<TwimlDocument> parsed = parseTwiml(xmlOf(writer));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->verbs[0].nouns[0].children[1].attribute(u"value"_s), u"line1\nline2\tend"_s);
    }

    void roundTrip_data()
    {
        QTest::addColumn<TwimlWriter>("writer");
        QTest::addColumn<QByteArray>("expectedXml"); // hand-written TwiML the writer must be equivalent to

        QTest::newRow("Say") << TwimlWriter().say(
            {.text = u"Your position is 3"_s, .voice = u"alice"_s, .language = u"en-GB"_s, .loop = 2})
                             << response(R"(<Say voice="alice" language="en-GB" loop="2">Your position is 3</Say>)");
        QTest::newRow("Say, loop 0") << TwimlWriter().say({.text = u"again"_s, .loop = 0})
                                     << response(R"(<Say loop="0">again</Say>)");
        QTest::newRow("Play") << TwimlWriter().play({.url = u"https://h.example/hold.mp3"_s, .loop = 0})
                              << response(R"(<Play loop="0">https://h.example/hold.mp3</Play>)");
        QTest::newRow("Play digits") << TwimlWriter().play({.digits = u"wwww3"_s})
                                     << response(R"(<Play digits="wwww3"/>)");
        QTest::newRow("Pause") << TwimlWriter().pause({.length = 5}) << response(R"(<Pause length="5"/>)");
        QTest::newRow("Redirect") << TwimlWriter().redirect({.url = u"/twilio/wait"_s, .method = HttpMethod::Post})
                                  << response(R"(<Redirect method="POST">/twilio/wait</Redirect>)");
        QTest::newRow("Redirect GET") << TwimlWriter().redirect({.url = u"/w"_s, .method = HttpMethod::Get})
                                      << response(R"(<Redirect method="GET">/w</Redirect>)");
        QTest::newRow("Hangup") << TwimlWriter().hangup() << response("<Hangup/>");
        QTest::newRow("Leave") << TwimlWriter().leave() << response("<Leave/>");
        QTest::newRow("Reject busy") << TwimlWriter().reject({.reason = u"busy"_s})
                                     << response(R"(<Reject reason="busy"/>)");
        QTest::newRow("Dial Client, short form")
            << TwimlWriter().dial(
                   {.timeout = 20, .action = u"/twilio/voice/dial-result"_s, .callerId = u"+15550001111"_s},
                   twiml::Client {.identity = u"alice"_s})
            << response(R"(<Dial timeout="20" action="/twilio/voice/dial-result" callerId="+15550001111">)"
                        R"(<Client>alice</Client></Dial>)");
        QTest::newRow("Dial Client, long form")
            << TwimlWriter().dial({.answerOnBridge = true},
                                  twiml::Client {.identity = u"alice"_s,
                                                 .parameters = {{u"callId"_s, u"42"_s}, {u"queue"_s, u"support"_s}},
                                                 .statusCallback = u"/twilio/status"_s,
                                                 .statusCallbackEvent = u"ringing answered completed"_s})
            << response(R"(<Dial answerOnBridge="true"><Client statusCallback="/twilio/status" )"
                        R"(statusCallbackEvent="ringing answered completed"><Identity>alice</Identity>)"
                        R"(<Parameter name="callId" value="42"/><Parameter name="queue" value="support"/>)"
                        R"(</Client></Dial>)");
        QTest::newRow("Dial every option")
            << TwimlWriter().dial({.timeout = 30,
                                   .action = u"/a"_s,
                                   .method = HttpMethod::Get,
                                   .callerId = u"client:ivr"_s,
                                   .answerOnBridge = false,
                                   .timeLimit = 3600,
                                   .record = u"record-from-answer"_s,
                                   .ringTone = u"uk"_s},
                                  twiml::Number {.number = u"+15551234567"_s, .sendDigits = u"ww1"_s})
            << response(R"(<Dial timeout="30" action="/a" method="GET" callerId="client:ivr" answerOnBridge="false" )"
                        R"(timeLimit="3600" record="record-from-answer" ringTone="uk">)"
                        R"(<Number sendDigits="ww1">+15551234567</Number></Dial>)");
        QTest::newRow("Dial several clients")
            << TwimlWriter().dial({}, twiml::Client {.identity = u"a"_s}, {twiml::Client {.identity = u"b"_s}})
            << response("<Dial><Client>a</Client><Client>b</Client></Dial>");
        QTest::newRow("Dial Sip")
            << TwimlWriter().dial({.timeout = 20, .action = u"/twilio/voice/dial-action?agent=alice"_s},
                                  twiml::Sip {.uri = u"sip:alice@acme.sip.twilio.com;transport=tls;secure=true"_s,
                                              .statusCallback = u"/twilio/voice/status?agent=alice"_s,
                                              .statusCallbackEvent = u"initiated ringing answered completed"_s,
                                              .statusCallbackMethod = HttpMethod::Post})
            << response(R"(<Dial timeout="20" action="/twilio/voice/dial-action?agent=alice">)"
                        R"(<Sip statusCallback="/twilio/voice/status?agent=alice" )"
                        R"(statusCallbackEvent="initiated ringing answered completed" statusCallbackMethod="POST">)"
                        R"(sip:alice@acme.sip.twilio.com;transport=tls;secure=true</Sip></Dial>)");
        QTest::newRow("Dial Queue")
            << TwimlWriter().dial(
                   {}, twiml::Queue {.name = u"support"_s, .url = u"/about-to-connect"_s, .method = HttpMethod::Post})
            << response(R"(<Dial><Queue url="/about-to-connect" method="POST">support</Queue></Dial>)");
        QTest::newRow("Enqueue") << TwimlWriter().enqueue({.name = u"support"_s,
                                                           .action = u"/twilio/queue/result"_s,
                                                           .method = HttpMethod::Post,
                                                           .waitUrl = u"/twilio/queue/wait"_s,
                                                           .waitUrlMethod = HttpMethod::Post})
                                 << response(R"(<Enqueue action="/twilio/queue/result" method="POST" )"
                                             R"(waitUrl="/twilio/queue/wait" waitUrlMethod="POST">support</Enqueue>)");
        QTest::newRow("Enqueue, 64 characters") << TwimlWriter().enqueue({.name = QString(64, u'q')})
                                                << response("<Enqueue>" + QByteArray(64, 'q') + "</Enqueue>");
        QTest::newRow("Gather")
            << TwimlWriter().gather({.input = u"dtmf"_s,
                                     .action = u"/menu"_s,
                                     .timeout = 5,
                                     .numDigits = 1,
                                     .prompts = {twiml::Say {.text = u"Press 1"_s}, twiml::Pause {.length = 1},
                                                 twiml::Play {.url = u"/beep.wav"_s}}})
            << response(R"(<Gather input="dtmf" action="/menu" timeout="5" numDigits="1"><Say>Press 1</Say>)"
                        R"(<Pause length="1"/><Play>/beep.wav</Play></Gather>)");
        QTest::newRow("Record") << TwimlWriter().record({.action = u"/voicemail"_s,
                                                         .method = HttpMethod::Post,
                                                         .timeout = 5,
                                                         .maxLength = 120,
                                                         .finishOnKey = u"#"_s,
                                                         .playBeep = true})
                                << response("<Record action=\"/voicemail\" method=\"POST\" timeout=\"5\" "
                                            "maxLength=\"120\" finishOnKey=\"#\" playBeep=\"true\"/>");
        QTest::newRow("several verbs") << TwimlWriter()
                                              .say({.text = u"All agents are busy"_s})
                                              .play({.url = u"/hold.mp3"_s})
                                              .pause({.length = 2})
                                              .redirect({.url = u"/wait"_s})
                                       << response("<Say>All agents are busy</Say><Play>/hold.mp3</Play><Pause "
                                                   "length=\"2\"/><Redirect>/wait</Redirect>");
    }
    void roundTrip()
    {
        QFETCH(TwimlWriter, writer);
        QFETCH(QByteArray, expectedXml);
        const QByteArray xml = xmlOf(writer);
        const Result<TwimlDocument> written = parseTwiml(xml);
        QVERIFY2(written.ok(), xml.constData());
        QCOMPARE(written.value(), writer.document());
        const Result<TwimlDocument> expected = parseTwiml(expectedXml);
        QVERIFY2(expected.ok(), qPrintable(expected.ok() ? QString() : expected.error().message));
        QCOMPARE(written.value(), expected.value());
    }

    void parsedStructure()
    {
        const Result<TwimlDocument> parsed = parseTwiml(R"(<?xml version="1.0" encoding="UTF-8"?>
            <Response>
              <!-- the inbound call -->
              <Dial timeout="20" action="/dial-result">
                <Client>
                  <Identity> alice </Identity>
                  <Parameter name="k" value="v"/>
                </Client>
                <Queue url="/q">support</Queue>
              </Dial>
              <Say><![CDATA[a < b & c]]></Say>
            </Response>)"_ba);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        const TwimlDocument expected {{
            TwimlVerb {
                TwimlVerb::Kind::Dial,
                {{u"timeout"_s, u"20"_s}, {u"action"_s, u"/dial-result"_s}},
                QString(),
                {TwimlNoun {u"Client"_s,
                            {},
                            QString(),
                            {TwimlNoun {u"Identity"_s, {}, u"alice"_s, {}},
                             TwimlNoun {u"Parameter"_s, {{u"name"_s, u"k"_s}, {u"value"_s, u"v"_s}}, QString(), {}}}},
                 TwimlNoun {u"Queue"_s, {{u"url"_s, u"/q"_s}}, u"support"_s, {}}}},
            TwimlVerb {TwimlVerb::Kind::Say, {}, u"a < b & c"_s, {}},
        }};
        QCOMPARE(parsed.value(), expected);
        QCOMPARE(parsed->verbs[0].name(), u"Dial"_s);
        QCOMPARE(parsed->verbs[0].intAttribute(u"timeout"_s), std::optional<int>(20));
        QCOMPARE(parsed->verbs[0].intAttribute(u"timeLimit"_s), std::nullopt);
    }

    void accepted_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<int>("verbs");
        QTest::newRow("no declaration") << "<Response><Hangup/></Response>"_ba << 1;
        QTest::newRow("empty response") << "<Response/>"_ba << 0;
        QTest::newRow("Dial with a number as text") << "<Response><Dial>+15551234567</Dial></Response>"_ba << 1;
        QTest::newRow("method in lower case")
            << R"(<Response><Redirect method="post">/x</Redirect></Response>)"_ba << 1;
        QTest::newRow("Say without text") << "<Response><Say/></Response>"_ba << 1;
        QTest::newRow("Pause length 0") << R"(<Response><Pause length="0"/></Response>)"_ba << 1;
        QTest::newRow("entities") << "<Response><Say>caf&#233; &amp; &lt;b&gt;</Say></Response>"_ba << 1;
        QTest::newRow("processing instruction")
            << "<?xml version=\"1.0\"?><?app x?><Response><Leave/></Response>"_ba << 1;
        QTest::newRow("Enqueue name of 64 non-ASCII characters")
            << "<Response><Enqueue>" + QString(64, u'é').toUtf8() + "</Enqueue></Response>" << 1;
        QTest::newRow("Client statusCallbackEvent set")
            << R"(<Response><Dial><Client statusCallbackEvent="initiated  ringing">a</Client></Dial></Response>)"_ba
            << 1;
        QTest::newRow("Sip with Twilio's attributes")
            << R"(<Response><Dial><Sip username="u" password="p" url="/whisper" method="GET" )"
               R"(machineDetection="Enable">sips:bob@pbx.example.com</Sip></Dial></Response>)"_ba
            << 1;
        QTest::newRow("Sip URI in capitals")
            << R"(<Response><Dial><Sip>SIP:bob@pbx.example.com;transport=udp</Sip></Dial></Response>)"_ba << 1;
    }
    void accepted()
    {
        QFETCH(QByteArray, xml);
        QFETCH(int, verbs);
        const Result<TwimlDocument> parsed = parseTwiml(xml);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed->verbs.size(), verbs);
    }

    void rejected_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("twilioError");

        const auto r = [](const char *body) {
            return response(QByteArray(body));
        };
        // XML that does not parse, or is not a <Response>: Twilio's 12100.
        QTest::newRow("empty") << QByteArray() << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("not XML") << "Hello, caller"_ba << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("JSON") << R"({"say":"hi"})"_ba << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("unclosed element") << r("<Say>hi") << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("mismatched tags") << "<Response><Say>hi</Play></Response>"_ba << u"twiml_parse_error"_s
                                         << QString() << 12100;
        QTest::newRow("two roots") << "<Response/><Response/>"_ba << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("unknown entity") << r("<Say>&nbsp;</Say>") << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("unescaped ampersand") << r("<Say>a & b</Say>") << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("DTD") << "<!DOCTYPE Response [<!ENTITY x \"y\">]><Response><Say>&x;</Say></Response>"_ba
                             << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("duplicate attribute")
            << r(R"(<Pause length="1" length="2"/>)") << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("nested too deep") << r(
            "<Dial><Client><Identity><a><b><c><d><e>x</e></d></c></b></a></Identity></Client></Dial>")
                                         << u"twiml_parse_error"_s << QString() << 12100;
        QTest::newRow("root not Response")
            << "<Document><Say>hi</Say></Document>"_ba << u"twiml_invalid_root"_s << u"Document"_s << 12100;
        QTest::newRow("root in lower case")
            << "<response><Say>hi</Say></response>"_ba << u"twiml_invalid_root"_s << u"response"_s << 12100;
        // Well-formed, but not valid TwiML: Twilio's 12200.
        QTest::newRow("unknown verb") << r("<Speak>hi</Speak>") << u"twiml_invalid_verb"_s << u"Speak"_s << 12200;
        QTest::newRow("verb in lower case") << r("<say>hi</say>") << u"twiml_invalid_verb"_s << u"say"_s << 12200;
        QTest::newRow("Connect: not executed here")
            << r("<Connect/>") << u"twiml_unsupported_verb"_s << u"Connect"_s << 12200;
        QTest::newRow("Record with a bad maxLength")
            << r(R"(<Record maxLength="0"/>)") << u"twiml_invalid_attribute"_s << u"Record.maxLength"_s << 12200;
        QTest::newRow("Client outside Dial")
            << r("<Client>alice</Client>") << u"twiml_misplaced_noun"_s << u"Client"_s << 12200;
        QTest::newRow("Queue outside Dial")
            << r("<Queue>support</Queue>") << u"twiml_misplaced_noun"_s << u"Queue"_s << 12200;
        QTest::newRow("Dial without a noun") << r("<Dial></Dial>") << u"twiml_missing_noun"_s << u"Dial"_s << 12200;
        QTest::newRow("Dial with only whitespace")
            << r("<Dial>  \n </Dial>") << u"twiml_missing_noun"_s << u"Dial"_s << 12200;
        QTest::newRow("Dial with text and a noun")
            << r("<Dial>+1555<Client>a</Client></Dial>") << u"twiml_invalid_text"_s << u"Dial"_s << 12200;
        QTest::newRow("verb inside Dial")
            << r("<Dial><Say>hi</Say></Dial>") << u"twiml_invalid_noun"_s << u"Dial.Say"_s << 12200;
        QTest::newRow("Dial timeout not a number") << r(R"(<Dial timeout="soon"><Client>a</Client></Dial>)")
                                                   << u"twiml_invalid_attribute"_s << u"Dial.timeout"_s << 12200;
        QTest::newRow("Dial timeout 0") << r(R"(<Dial timeout="0"><Client>a</Client></Dial>)")
                                        << u"twiml_invalid_attribute"_s << u"Dial.timeout"_s << 12200;
        QTest::newRow("Dial timeout negative") << r(R"(<Dial timeout="-5"><Client>a</Client></Dial>)")
                                               << u"twiml_invalid_attribute"_s << u"Dial.timeout"_s << 12200;
        QTest::newRow("Dial timeout fractional") << r(R"(<Dial timeout="2.5"><Client>a</Client></Dial>)")
                                                 << u"twiml_invalid_attribute"_s << u"Dial.timeout"_s << 12200;
        QTest::newRow("Dial answerOnBridge yes") << r(R"(<Dial answerOnBridge="yes"><Client>a</Client></Dial>)")
                                                 << u"twiml_invalid_attribute"_s << u"Dial.answerOnBridge"_s << 12200;
        QTest::newRow("misspelt attribute") << r(R"(<Dial callerID="+1"><Client>a</Client></Dial>)")
                                            << u"twiml_unknown_attribute"_s << u"Dial.callerID"_s << 12200;
        QTest::newRow("Say loop negative")
            << r(R"(<Say loop="-1">hi</Say>)") << u"twiml_invalid_attribute"_s << u"Say.loop"_s << 12200;
        QTest::newRow("Play loop negative")
            << r(R"(<Play loop="-2">/a.mp3</Play>)") << u"twiml_invalid_attribute"_s << u"Play.loop"_s << 12200;
        QTest::newRow("Pause length negative")
            << r(R"(<Pause length="-2"/>)") << u"twiml_invalid_attribute"_s << u"Pause.length"_s << 12200;
        QTest::newRow("Redirect method PUT") << r(R"(<Redirect method="PUT">/x</Redirect>)")
                                             << u"twiml_invalid_attribute"_s << u"Redirect.method"_s << 12200;
        QTest::newRow("Redirect without URL") << r("<Redirect/>") << u"twiml_invalid_text"_s << u"Redirect"_s << 12200;
        QTest::newRow("Play without URL") << r("<Play/>") << u"twiml_invalid_text"_s << u"Play"_s << 12200;
        QTest::newRow("Hangup with text")
            << r("<Hangup>now</Hangup>") << u"twiml_invalid_text"_s << u"Hangup"_s << 12200;
        QTest::newRow("Enqueue name of 65")
            << r(QByteArray("<Enqueue>" + QByteArray(65, 'q') + "</Enqueue>").constData()) << u"twiml_invalid_text"_s
            << u"Enqueue"_s << 12200;
        QTest::newRow("Enqueue without name")
            << r(R"(<Enqueue waitUrl="/w"/>)") << u"twiml_invalid_text"_s << u"Enqueue"_s << 12200;
        QTest::newRow("Enqueue maxQueueSize") << r(R"(<Enqueue maxQueueSize="5">q</Enqueue>)")
                                              << u"twiml_unknown_attribute"_s << u"Enqueue.maxQueueSize"_s << 12200;
        QTest::newRow("Queue name of 65")
            << r(QByteArray("<Dial><Queue>" + QByteArray(65, 'q') + "</Queue></Dial>").constData())
            << u"twiml_invalid_text"_s << u"Dial.Queue"_s << 12200;
        QTest::newRow("Client without identity")
            << r("<Dial><Client></Client></Dial>") << u"twiml_missing_noun"_s << u"Dial.Client"_s << 12200;
        QTest::newRow("Client with two identities")
            << r("<Dial><Client><Identity>a</Identity><Identity>b</Identity></Client></Dial>")
            << u"twiml_invalid_noun"_s << u"Dial.Client.Identity"_s << 12200;
        QTest::newRow("Client with text and Identity") << r("<Dial><Client>a<Identity>b</Identity></Client></Dial>")
                                                       << u"twiml_invalid_text"_s << u"Dial.Client"_s << 12200;
        QTest::newRow("Parameter without name")
            << r(R"(<Dial><Client><Identity>a</Identity><Parameter value="v"/></Client></Dial>)")
            << u"twiml_invalid_attribute"_s << u"Dial.Client.Parameter.name"_s << 12200;
        QTest::newRow("Client statusCallbackEvent unknown")
            << r(R"(<Dial><Client statusCallbackEvent="ringing hungup">a</Client></Dial>)")
            << u"twiml_invalid_attribute"_s << u"Dial.Client.statusCallbackEvent"_s << 12200;
        QTest::newRow("Sip and Client in one Dial") << r("<Dial><Sip>sip:a@d.example</Sip><Client>b</Client></Dial>")
                                                    << u"twiml_invalid_noun"_s << u"Dial.Sip"_s << 12200;
        QTest::newRow("two Sips in one Dial") << r("<Dial><Sip>sip:a@d.example</Sip><Sip>sip:b@d.example</Sip></Dial>")
                                              << u"twiml_invalid_noun"_s << u"Dial.Sip"_s << 12200;
        QTest::newRow("Sip without URI") << r("<Dial><Sip></Sip></Dial>") << u"twiml_invalid_text"_s << u"Dial.Sip"_s
                                         << 12200;
        QTest::newRow("Sip with a phone number")
            << r("<Dial><Sip>+15551234567</Sip></Dial>") << u"twiml_invalid_text"_s << u"Dial.Sip"_s << 12200;
        QTest::newRow("Sip URI of 255 characters")
            << r(QByteArray("<Dial><Sip>sip:a@" + QByteArray(251, 'd') + "</Sip></Dial>").constData())
            << u"twiml_invalid_text"_s << u"Dial.Sip"_s << 12200;
        QTest::newRow("Sip statusCallbackEvent unknown")
            << r(R"(<Dial><Sip statusCallbackEvent="ringing registered">sip:a@d.example</Sip></Dial>)")
            << u"twiml_invalid_attribute"_s << u"Dial.Sip.statusCallbackEvent"_s << 12200;
        QTest::newRow("Sip outside Dial")
            << r("<Sip>sip:a@d.example</Sip>") << u"twiml_misplaced_noun"_s << u"Sip"_s << 12200;
        QTest::newRow("Dial inside Gather")
            << r("<Gather><Dial>+1</Dial></Gather>") << u"twiml_invalid_noun"_s << u"Gather.Dial"_s << 12200;
        QTest::newRow("SSML inside Say") << r("<Say><prosody rate=\"slow\">hi</prosody></Say>")
                                         << u"twiml_invalid_noun"_s << u"Say.prosody"_s << 12200;
        QTest::newRow("Reject reason unknown")
            << r(R"(<Reject reason="nope"/>)") << u"twiml_invalid_attribute"_s << u"Reject.reason"_s << 12200;
        QTest::newRow("text in Response")
            << "<Response>hello<Hangup/></Response>"_ba << u"twiml_invalid_text"_s << u"Response"_s << 12200;
        QTest::newRow("attribute on Response") << R"(<Response voice="x"><Hangup/></Response>)"_ba
                                               << u"twiml_unknown_attribute"_s << u"Response.voice"_s << 12200;
        QTest::newRow("second verb bad, first fine")
            << r(R"(<Say>ok</Say><Pause length="x"/>)") << u"twiml_invalid_attribute"_s << u"Pause.length"_s << 12200;
    }
    void rejected()
    {
        QFETCH(QByteArray, xml);
        QFETCH(QString, code);
        QFETCH(QString, field);
        QFETCH(int, twilioError);
        const Result<TwimlDocument> parsed = parseTwiml(xml);
        QVERIFY2(!parsed.ok(), xml.constData());
        QCOMPARE(parsed.error().code, code);
        QCOMPARE(parsed.error().field, field);
        QVERIFY(!parsed.error().message.isEmpty());
        QCOMPARE(twilioErrorNumber(parsed.error()), twilioError);
    }

    void problemNamesTheVerb()
    {
        const Result<TwimlDocument> parsed = parseTwiml(response(R"(<Say>ok</Say><Pause length="x"/>)"));
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(u"verb 2 (Pause)"), qPrintable(parsed.error().message));
    }

    void writerRefuses_data()
    {
        QTest::addColumn<TwimlWriter>("writer");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::newRow("Enqueue name of 65")
            << TwimlWriter().enqueue({.name = QString(65, u'q')}) << u"twiml_invalid_text"_s << u"Enqueue"_s;
        QTest::newRow("Enqueue without name")
            << TwimlWriter().enqueue({.waitUrl = u"/w"_s}) << u"twiml_invalid_text"_s << u"Enqueue"_s;
        QTest::newRow("Queue name of 65") << TwimlWriter().dial({}, twiml::Queue {.name = QString(65, u'q')})
                                          << u"twiml_invalid_text"_s << u"Dial.Queue"_s;
        QTest::newRow("Say loop negative")
            << TwimlWriter().say({.text = u"x"_s, .loop = -1}) << u"twiml_invalid_attribute"_s << u"Say.loop"_s;
        QTest::newRow("Pause length negative")
            << TwimlWriter().pause({.length = -1}) << u"twiml_invalid_attribute"_s << u"Pause.length"_s;
        QTest::newRow("Dial timeout 0") << TwimlWriter().dial({.timeout = 0}, twiml::Client {.identity = u"a"_s})
                                        << u"twiml_invalid_attribute"_s << u"Dial.timeout"_s;
        QTest::newRow("Client without identity")
            << TwimlWriter().dial({}, twiml::Client {}) << u"twiml_missing_noun"_s << u"Dial.Client"_s;
        QTest::newRow("Parameter without name")
            << TwimlWriter().dial({}, twiml::Client {.identity = u"a"_s, .parameters = {{QString(), u"v"_s}}})
            << u"twiml_invalid_attribute"_s << u"Dial.Client.Parameter.name"_s;
        QTest::newRow("control character in text")
            << TwimlWriter().say({.text = u"bell \u0007"_s}) << u"twiml_invalid_text"_s << u"Say"_s;
        QTest::newRow("control character in attribute")
            << TwimlWriter().dial({.action = u"/a\u0001"_s}, twiml::Client {.identity = u"a"_s})
            << u"twiml_invalid_attribute"_s << u"Dial.action"_s;
        QTest::newRow("lone surrogate") << TwimlWriter().say({.text = QString(QChar(0xD800))})
                                        << u"twiml_invalid_text"_s << u"Say"_s;
        QTest::newRow("lone low surrogate")
            << TwimlWriter().say({.text = u"a"_s + QChar(0xDC00)}) << u"twiml_invalid_text"_s << u"Say"_s;
        QTest::newRow("U+FFFE") << TwimlWriter().say({.text = QString(QChar(0xFFFE))}) << u"twiml_invalid_text"_s
                                << u"Say"_s;
        QTest::newRow("Redirect without URL") << TwimlWriter().redirect({}) << u"twiml_invalid_text"_s << u"Redirect"_s;
        QTest::newRow("Reject reason unknown")
            << TwimlWriter().reject({.reason = u"later"_s}) << u"twiml_invalid_attribute"_s << u"Reject.reason"_s;
        QTest::newRow("Sip without URI") << TwimlWriter().dial({}, twiml::Sip {}) << u"twiml_invalid_text"_s
                                         << u"Dial.Sip"_s;
        QTest::newRow("Sip beside a Client")
            << TwimlWriter().dial({}, twiml::Sip {.uri = u"sip:a@d.example"_s}, {twiml::Client {.identity = u"b"_s}})
            << u"twiml_invalid_noun"_s << u"Dial.Sip"_s;
    }
    void writerRefuses()
    {
        QFETCH(TwimlWriter, writer);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const Result<QByteArray> xml = writer.toXml();
        QVERIFY(!xml.ok());
        QCOMPARE(xml.error().code, code);
        QCOMPARE(xml.error().field, field);
    }

    void verbNames()
    {
        for (const auto kind :
             {TwimlVerb::Kind::Say, TwimlVerb::Kind::Play, TwimlVerb::Kind::Pause, TwimlVerb::Kind::Redirect,
              TwimlVerb::Kind::Hangup, TwimlVerb::Kind::Leave, TwimlVerb::Kind::Reject, TwimlVerb::Kind::Dial,
              TwimlVerb::Kind::Enqueue, TwimlVerb::Kind::Gather}) {
            const QString name = twimlVerbName(kind);
            QVERIFY(!name.isEmpty());
            QCOMPARE(twimlVerbKind(name), std::optional<TwimlVerb::Kind>(kind));
        }
        QCOMPARE(twimlVerbKind(u"Client"), std::nullopt);
    }
};

QTEST_APPLESS_MAIN(TestTwilioTwiml)
#include "tst_twilio_twiml.moc"
