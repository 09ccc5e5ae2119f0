// Twilio SIP Domain naming and the URIs Heartline dials: host names, registrar addresses, the
// default edge host, which agent ids can be SIP usernames, escaping and reading back a dialed URI.

#include <QTest>

#include "twilio/SipUri.h"

using namespace heartline;
using namespace Qt::StringLiterals;

class TestSipUri final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("twilio domain") << u"acme.sip.twilio.com"_s << true;
        QTest::newRow("single label") << u"localhost"_s << true;
        QTest::newRow("hyphen inside") << u"call-center.sip.twilio.com"_s << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("scheme") << u"sip:acme.sip.twilio.com"_s << false;
        QTest::newRow("port") << u"acme.sip.twilio.com:5061"_s << false;
        QTest::newRow("trailing dot") << u"acme.sip.twilio.com."_s << false;
        QTest::newRow("empty label") << u"acme..twilio.com"_s << false;
        QTest::newRow("leading hyphen") << u"-acme.sip.twilio.com"_s << false;
        QTest::newRow("underscore") << u"ac_me.sip.twilio.com"_s << false;
        QTest::newRow("space") << u"acme .sip.twilio.com"_s << false;
        QTest::newRow("label of 64") << QString(64, u'a') + u".com"_s << false;
    }
    void hostNames()
    {
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        QCOMPARE(sipuri::isHostName(text), accepted);
    }

    void registrarAddresses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("edge host") << u"acme.sip.ashburn.twilio.com"_s << true;
        QTest::newRow("with port") << u"acme.sip.ashburn.twilio.com:5061"_s << true;
        QTest::newRow("IPv4 and port") << u"127.0.0.1:5061"_s << true;
        QTest::newRow("IPv6 and port") << u"[::1]:5061"_s << true;
        QTest::newRow("IPv6 alone") << u"[::1]"_s << true;
        QTest::newRow("IPv6 without brackets") << u"::1"_s << false;
        QTest::newRow("port 0") << u"edge.example.com:0"_s << false;
        QTest::newRow("port 65536") << u"edge.example.com:65536"_s << false;
        QTest::newRow("port with sign") << u"edge.example.com:+5061"_s << false;
        QTest::newRow("scheme") << u"sips:edge.example.com"_s << false;
        QTest::newRow("path") << u"edge.example.com/x"_s << false;
        QTest::newRow("bracketed name") << u"[edge.example.com]:5061"_s << false;
    }
    void registrarAddresses()
    {
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        QCOMPARE(sipuri::isRegistrarAddress(text), accepted);
    }

    void defaultEdgeHostOnlyForGlobalDomains()
    {
        QCOMPARE(sipuri::defaultEdgeHost(u"acme.sip.twilio.com"), u"acme.sip.ashburn.twilio.com"_s);
        QCOMPARE(sipuri::defaultEdgeHost(u"acme.sip.dublin.twilio.com"), QString()); // already an edge host
        QCOMPARE(sipuri::defaultEdgeHost(u"pbx.example.com"), QString());
        QCOMPARE(sipuri::defaultEdgeHost(u".sip.twilio.com"), QString());
        QCOMPARE(sipuri::defaultEdgeHost(u"sip:acme.sip.twilio.com"), QString());
    }

    void usernames_data()
    {
        QTest::addColumn<QString>("agentId");
        QTest::addColumn<bool>("usable");
        QTest::newRow("plain") << u"alice"_s << true;
        QTest::newRow("dots, dashes, underscores") << u"a.b-c_d"_s << true;
        QTest::newRow("32 characters") << QString(32, u'a') << true;
        QTest::newRow("33 characters") << QString(33, u'a') << false;
        QTest::newRow("at sign") << u"alice@corp"_s << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("non-ASCII") << u"zoë"_s << false;
    }
    void usernames()
    {
        QFETCH(QString, agentId);
        QFETCH(bool, usable);
        const auto problem = sipuri::usernameProblem(agentId);
        QCOMPARE(!problem.has_value(), usable);
        if (problem)
            QVERIFY2(problem->contains(u"1 to 32 characters"_s), qPrintable(*problem));
    }

    void dialUriCarriesTransportAndSecureMedia()
    {
        QCOMPARE(sipuri::dialUri(u"alice", u"acme.sip.twilio.com", u"tls", true),
                 u"sip:alice@acme.sip.twilio.com;transport=tls;secure=true"_s);
        QCOMPARE(sipuri::dialUri(u"alice", u"acme.sip.twilio.com", u"udp", false),
                 u"sip:alice@acme.sip.twilio.com;transport=udp"_s);
    }

    void dialUriCarriesHeadersTwilioCopiesIntoTheInvite()
    {
        const QString uri
            = sipuri::dialUri(u"alice", u"acme.sip.twilio.com", u"tls", true,
                              {{u"x-heartline-parent-callsid"_s, u"CA0123"_s}, {u"x-note"_s, u"a&b=c d;e%"_s}});
        QCOMPARE(uri,
                 u"sip:alice@acme.sip.twilio.com;transport=tls;secure=true"
                 u"?x-heartline-parent-callsid=CA0123&x-note=a%26b%3Dc%20d%3Be%25"_s);
        // Read back as the stand-in reads a <Sip> URI.
        QCOMPARE(sipuri::uriHeaders(uri),
                 (sipuri::UriHeaders {{u"x-heartline-parent-callsid"_s, u"CA0123"_s}, {u"x-note"_s, u"a&b=c d;e%"_s}}));
        QCOMPARE(sipuri::withoutHeaders(uri), u"sip:alice@acme.sip.twilio.com;transport=tls;secure=true"_s);
        QCOMPARE(sipuri::uriParameter(uri, u"transport"), u"tls"_s);
        QCOMPARE(sipuri::uriParameter(uri, u"SECURE"), u"true"_s);
        QVERIFY(!sipuri::uriParameter(uri, u"x-note"));
        const auto address = sipuri::parseAddress(uri);
        QVERIFY(address);
        QCOMPARE(address->user, u"alice"_s);
        // No headers: the URI is the one dialUri() writes without them.
        QCOMPARE(sipuri::dialUri(u"alice", u"acme.sip.twilio.com", u"udp", false, {}),
                 u"sip:alice@acme.sip.twilio.com;transport=udp"_s);
        QVERIFY(sipuri::uriHeaders(u"sip:alice@acme.sip.twilio.com").isEmpty());
    }

    void escapingKeepsTheUriWellFormed_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("escaped");
        QTest::newRow("nothing to escape") << u"a.b-c_d"_s << u"a.b-c_d"_s;
        QTest::newRow("at sign") << u"alice@corp"_s << u"alice%40corp"_s;
        QTest::newRow("parameter and header starters") << u"a;b?c/d"_s << u"a%3Bb%3Fc%2Fd"_s;
        QTest::newRow("colon and space") << u"a:b c"_s << u"a%3Ab%20c"_s;
        QTest::newRow("percent") << u"100%"_s << u"100%25"_s;
        QTest::newRow("UTF-8") << u"zoë"_s << u"zo%C3%AB"_s;
    }
    void escapingKeepsTheUriWellFormed()
    {
        QFETCH(QString, user);
        QFETCH(QString, escaped);
        QCOMPARE(sipuri::escapeUser(user), escaped);
        // What Twilio reports back (a leg's To) reads as the same agent.
        const auto address = sipuri::parseAddress(sipuri::dialUri(user, u"acme.sip.twilio.com", u"tls", true));
        QVERIFY(address);
        QCOMPARE(address->user, user);
        QCOMPARE(address->host, u"acme.sip.twilio.com"_s);
    }

    void parseAddress_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("user"); // empty: not a SIP address
        QTest::addColumn<QString>("host");
        QTest::newRow("plain") << u"sip:alice@acme.sip.twilio.com"_s << u"alice"_s << u"acme.sip.twilio.com"_s;
        QTest::newRow("params") << u"sip:alice@acme.sip.twilio.com;transport=tls"_s << u"alice"_s
                                << u"acme.sip.twilio.com"_s;
        QTest::newRow("port and headers")
            << u"sip:bob@Acme.Sip.Twilio.com:5061?X-A=1"_s << u"bob"_s << u"acme.sip.twilio.com"_s;
        QTest::newRow("sips") << u"sips:carol@example.com"_s << u"carol"_s << u"example.com"_s;
        QTest::newRow("password") << u"sip:dave:secret@example.com"_s << u"dave"_s << u"example.com"_s;
        QTest::newRow("client") << u"client:alice"_s << QString() << QString();
        QTest::newRow("no user") << u"sip:acme.sip.twilio.com"_s << QString() << QString();
        QTest::newRow("phone number") << u"+15551234567"_s << QString() << QString();
    }
    void parseAddress()
    {
        QFETCH(QString, uri);
        QFETCH(QString, user);
        QFETCH(QString, host);
        const auto address = sipuri::parseAddress(uri);
        QCOMPARE(address.has_value(), !user.isEmpty());
        if (address) {
            QCOMPARE(address->user, user);
            QCOMPARE(address->host, host);
        }
    }
};

QTEST_APPLESS_MAIN(TestSipUri)
#include "tst_sip_uri.moc"
