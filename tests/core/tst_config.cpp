// The configuration table: defaults, precedence (command line > environment > INI file > default),
// derived defaults, and rejection of every kind of bad value with a message naming key and value.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "config/Config.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

using Values = QHash<QString, QString>;

QString writeIni(const QTemporaryDir &dir, const QByteArray &content)
{
    const QString path = dir.filePath(u"heartline.ini"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(content);
    return path;
}

QString allMessages(const QList<Problem> &problems)
{
    QStringList lines;
    for (const Problem &problem : problems)
        lines.append(problem.message);
    return lines.join(u'\n');
}

} // namespace

class TestConfig final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsMatchTheSeed()
    {
        const Config config;
        QCOMPARE(config.boolValue(ConfigKey::FeatureAgentHeartbeat), true);
        QCOMPARE(config.boolValue(ConfigKey::FeatureDeviceConnectivity), true);
        QCOMPARE(config.boolValue(ConfigKey::FeatureEnhancedDiscovery), true);
        QCOMPARE(config.boolValue(ConfigKey::InboundCallDebug), false);
        QCOMPARE(config.boolValue(ConfigKey::FeatureDiscoveryFallback), false);
        QCOMPARE(config.intValue(ConfigKey::AgentHeartbeatInterval), 30);
        QCOMPARE(config.doubleValue(ConfigKey::HeartbeatThreshold), 75.0);
        QCOMPARE(config.intValue(ConfigKey::ReadinessThreshold), 70);
        QCOMPARE(config.stringValue(ConfigKey::TwilioApiBaseUrl), u"https://api.twilio.com"_s);
        QCOMPARE(config.stringValue(ConfigKey::ListenAddress), u"127.0.0.1:8080"_s);
        QCOMPARE(config.stringValue(ConfigKey::PublicBaseUrl), u"http://127.0.0.1:8080"_s);
        QCOMPARE(config.sourceOf(ConfigKey::AgentHeartbeatInterval), u"default"_s);
    }

    void everyKeyIsFoundByBothNames()
    {
        for (const ConfigKeyInfo &info : configKeys()) {
            QCOMPARE(configKeyByName(QString::fromLatin1(info.envName)), info.key);
            QCOMPARE(configKeyByName(QString::fromLatin1(info.iniName)), info.key);
            QVERIFY2(QByteArray(info.help).size() > 10, info.envName);
        }
        QVERIFY(!configKeyByName(u"FEATURE_NOT_A_THING"_s));
    }

    void precedence_data()
    {
        QTest::addColumn<QByteArray>("ini");
        QTest::addColumn<Values>("environment");
        QTest::addColumn<Values>("commandLine");
        QTest::addColumn<int>("expectedInterval");
        QTest::addColumn<QString>("expectedSource");

        const QByteArray ini = "[heartbeat]\ninterval=20\n";
        const Values env {{u"AGENT_HEARTBEAT_INTERVAL"_s, u"15"_s}};
        const Values cli {{u"AGENT_HEARTBEAT_INTERVAL"_s, u"10"_s}};
        QTest::newRow("default only") << QByteArray() << Values {} << Values {} << 30 << u"default"_s;
        QTest::newRow("file over default") << ini << Values {} << Values {} << 20 << u"file"_s;
        QTest::newRow("environment over file") << ini << env << Values {} << 15 << u"environment"_s;
        QTest::newRow("command line over environment") << ini << env << cli << 10 << u"command line"_s;
        QTest::newRow("command line over file") << ini << Values {} << cli << 10 << u"command line"_s;
        QTest::newRow("environment over default") << QByteArray() << env << Values {} << 15 << u"environment"_s;
    }
    void precedence()
    {
        QFETCH(QByteArray, ini);
        QFETCH(Values, environment);
        QFETCH(Values, commandLine);
        QFETCH(int, expectedInterval);
        QFETCH(QString, expectedSource);

        QTemporaryDir dir;
        ConfigSources sources;
        if (!ini.isEmpty())
            sources.iniFile = writeIni(dir, ini);
        sources.environment = environment;
        sources.commandLine = commandLine;
        const auto config = Config::load(sources);
        QVERIFY2(config, config ? "" : qPrintable(allMessages(config.error())));
        QCOMPARE(config->intValue(ConfigKey::AgentHeartbeatInterval), expectedInterval);
        QVERIFY2(config->sourceOf(ConfigKey::AgentHeartbeatInterval).startsWith(expectedSource),
                 qPrintable(config->sourceOf(ConfigKey::AgentHeartbeatInterval)));
    }

    void thresholdFollowsTheIntervalUnlessSet()
    {
        const auto derived
            = Config::load({.commandLine = {}, .environment = {{u"AGENT_HEARTBEAT_INTERVAL"_s, u"10"_s}}});
        QVERIFY(derived);
        QCOMPARE(derived->doubleValue(ConfigKey::HeartbeatThreshold), 25.0);

        const auto explicitThreshold = Config::load({.commandLine = {{u"HEARTBEAT_THRESHOLD"_s, u"40"_s}},
                                                     .environment = {{u"AGENT_HEARTBEAT_INTERVAL"_s, u"10"_s}}});
        QVERIFY(explicitThreshold);
        QCOMPARE(explicitThreshold->doubleValue(ConfigKey::HeartbeatThreshold), 40.0);
    }

    void publicBaseUrlFollowsTheListenAddressUnlessSet()
    {
        const auto derived = Config::load(
            {.commandLine = {{u"LISTEN_ADDRESS"_s, u"0.0.0.0:9090"_s}, {u"ALLOW_PLAIN_HTTP"_s, u"true"_s}}});
        QVERIFY(derived);
        QCOMPARE(derived->stringValue(ConfigKey::PublicBaseUrl), u"http://0.0.0.0:9090"_s);

        // With a certificate the server answers https://, and so Twilio is told.
        const auto tls = Config::load({.commandLine = {{u"LISTEN_ADDRESS"_s, u"0.0.0.0:9443"_s},
                                                       {u"TLS_CERTIFICATE_FILE"_s, u"/etc/heartline/tls.pem"_s},
                                                       {u"TLS_PRIVATE_KEY_FILE"_s, u"/etc/heartline/tls.key"_s}}});
        QVERIFY2(tls, tls ? "" : qPrintable(allMessages(tls.error())));
        QVERIFY(tls->tlsEnabled());
        QCOMPARE(tls->stringValue(ConfigKey::PublicBaseUrl), u"https://0.0.0.0:9443"_s);

        const auto given = Config::load({.commandLine = {{u"PUBLIC_BASE_URL"_s, u"https://calls.example.com/"_s}}});
        QVERIFY(given);
        QCOMPARE(given->stringValue(ConfigKey::PublicBaseUrl), u"https://calls.example.com"_s);
    }

    void acceptedSpellings_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("true") << u"INBOUND_CALL_DEBUG"_s << u"true"_s << QVariant(true);
        QTest::newRow("TRUE") << u"INBOUND_CALL_DEBUG"_s << u"TRUE"_s << QVariant(true);
        QTest::newRow("1") << u"INBOUND_CALL_DEBUG"_s << u"1"_s << QVariant(true);
        QTest::newRow("yes") << u"INBOUND_CALL_DEBUG"_s << u"yes"_s << QVariant(true);
        QTest::newRow("on") << u"INBOUND_CALL_DEBUG"_s << u"on"_s << QVariant(true);
        QTest::newRow("false") << u"FEATURE_AGENT_HEARTBEAT"_s << u"false"_s << QVariant(false);
        QTest::newRow("0") << u"FEATURE_AGENT_HEARTBEAT"_s << u"0"_s << QVariant(false);
        QTest::newRow("off") << u"FEATURE_AGENT_HEARTBEAT"_s << u"off"_s << QVariant(false);
        QTest::newRow("interval 1") << u"AGENT_HEARTBEAT_INTERVAL"_s << u"1"_s << QVariant(1);
        QTest::newRow("interval 3600") << u"AGENT_HEARTBEAT_INTERVAL"_s << u"3600"_s << QVariant(3600);
        QTest::newRow("interval spaces") << u"AGENT_HEARTBEAT_INTERVAL"_s << u" 45 "_s << QVariant(45);
        QTest::newRow("readiness 0") << u"READINESS_THRESHOLD"_s << u"0"_s << QVariant(0);
        QTest::newRow("readiness 100") << u"READINESS_THRESHOLD"_s << u"100"_s << QVariant(100);
        QTest::newRow("threshold fraction") << u"HEARTBEAT_THRESHOLD"_s << u"90.5"_s << QVariant(90.5);
        QTest::newRow("api url") << u"TWILIO_API_BASE_URL"_s << u"http://127.0.0.1:4010"_s
                                 << QVariant(u"http://127.0.0.1:4010"_s);
        QTest::newRow("strategy") << u"ROUTING_STRATEGY"_s << u"best-readiness"_s << QVariant(u"best-readiness"_s);
        QTest::newRow("strategy spaces") << u"ROUTING_STRATEGY"_s << u" random "_s << QVariant(u"random"_s);
        QTest::newRow("account sid") << u"TWILIO_ACCOUNT_SID"_s << u"AC0123456789abcdef0123456789ABCDEF"_s
                                     << QVariant(u"AC0123456789abcdef0123456789ABCDEF"_s);
    }
    void acceptedSpellings()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QVariant, expected);
        const auto config = Config::load({.environment = {{key, value}}});
        QVERIFY2(config, config ? "" : qPrintable(allMessages(config.error())));
        const ConfigKey id = *configKeyByName(key);
        switch (configKeyInfo(id).type) {
        case ConfigType::Bool:
            QCOMPARE(config->boolValue(id), expected.toBool());
            break;
        case ConfigType::Int:
            QCOMPARE(config->intValue(id), expected.toInt());
            break;
        case ConfigType::Double:
            QCOMPARE(config->doubleValue(id), expected.toDouble());
            break;
        default:
            QCOMPARE(config->stringValue(id), expected.toString());
        }
    }

    void rejected_data()
    {
        QTest::addColumn<QString>("source"); // "env", "cli" or "ini"
        QTest::addColumn<QString>("key");    // env name, or INI name for "ini"
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expectedField");
        QTest::addColumn<QString>("expectedInMessage");

        QTest::newRow("interval abc") << u"env"_s << u"AGENT_HEARTBEAT_INTERVAL"_s << u"abc"_s
                                      << u"AGENT_HEARTBEAT_INTERVAL"_s << u"from 1 to 3600"_s;
        QTest::newRow("interval 0") << u"env"_s << u"AGENT_HEARTBEAT_INTERVAL"_s << u"0"_s
                                    << u"AGENT_HEARTBEAT_INTERVAL"_s << u"AGENT_HEARTBEAT_INTERVAL=0"_s;
        QTest::newRow("interval 3601") << u"env"_s << u"AGENT_HEARTBEAT_INTERVAL"_s << u"3601"_s
                                       << u"AGENT_HEARTBEAT_INTERVAL"_s << u"from 1 to 3600"_s;
        QTest::newRow("interval fraction") << u"env"_s << u"AGENT_HEARTBEAT_INTERVAL"_s << u"2.5"_s
                                           << u"AGENT_HEARTBEAT_INTERVAL"_s << u"whole number"_s;
        QTest::newRow("interval negative") << u"cli"_s << u"AGENT_HEARTBEAT_INTERVAL"_s << u"-5"_s
                                           << u"AGENT_HEARTBEAT_INTERVAL"_s << u"command line"_s;
        QTest::newRow("interval empty") << u"env"_s << u"AGENT_HEARTBEAT_INTERVAL"_s << QString()
                                        << u"AGENT_HEARTBEAT_INTERVAL"_s << u"whole number"_s;
        QTest::newRow("flag maybe") << u"env"_s << u"FEATURE_ENHANCED_DISCOVERY"_s << u"maybe"_s
                                    << u"FEATURE_ENHANCED_DISCOVERY"_s << u"maybe"_s;
        QTest::newRow("flag 2") << u"env"_s << u"FEATURE_AGENT_HEARTBEAT"_s << u"2"_s << u"FEATURE_AGENT_HEARTBEAT"_s
                                << u"true or false"_s;
        QTest::newRow("readiness 101") << u"env"_s << u"READINESS_THRESHOLD"_s << u"101"_s << u"READINESS_THRESHOLD"_s
                                       << u"from 0 to 100"_s;
        QTest::newRow("threshold nan") << u"env"_s << u"HEARTBEAT_THRESHOLD"_s << u"nan"_s << u"HEARTBEAT_THRESHOLD"_s
                                       << u"a number"_s;
        QTest::newRow("threshold below interval")
            << u"env"_s << u"HEARTBEAT_THRESHOLD"_s << u"20"_s << u"HEARTBEAT_THRESHOLD"_s << u"longer than"_s;
        QTest::newRow("url without scheme")
            << u"env"_s << u"PUBLIC_BASE_URL"_s << u"calls.example.com"_s << u"PUBLIC_BASE_URL"_s << u"http://"_s;
        QTest::newRow("url ftp") << u"env"_s << u"TWILIO_API_BASE_URL"_s << u"ftp://example.com"_s
                                 << u"TWILIO_API_BASE_URL"_s << u"ftp://example.com"_s;
        QTest::newRow("listen no port") << u"cli"_s << u"LISTEN_ADDRESS"_s << u"127.0.0.1"_s << u"LISTEN_ADDRESS"_s
                                        << u"ADDRESS:PORT"_s;
        QTest::newRow("bad account sid") << u"env"_s << u"TWILIO_ACCOUNT_SID"_s << u"AC123"_s << u"TWILIO_ACCOUNT_SID"_s
                                         << u"32 hex"_s;
        QTest::newRow("strategy bogus") << u"env"_s << u"ROUTING_STRATEGY"_s << u"bogus"_s << u"ROUTING_STRATEGY"_s
                                        << u"one of longest-idle, round-robin, fewest-calls, least-talk-time, "
                                           "top-down, random, best-readiness"_s;
        QTest::newRow("strategy in capitals") << u"cli"_s << u"ROUTING_STRATEGY"_s << u"Random"_s
                                              << u"ROUTING_STRATEGY"_s << u"ROUTING_STRATEGY=Random"_s;
        QTest::newRow("strategy empty") << u"ini"_s << u"routing/strategy"_s << QString() << u"ROUTING_STRATEGY"_s
                                        << u"from file"_s;
        QTest::newRow("unknown cli key") << u"cli"_s << u"FEATURE_TELEPORT"_s << u"true"_s << u"FEATURE_TELEPORT"_s
                                         << u"unknown key"_s;
        QTest::newRow("ini name on cli") << u"cli"_s << u"heartbeat/interval"_s << u"10"_s << u"heartbeat/interval"_s
                                         << u"unknown key"_s;
        QTest::newRow("unknown ini key") << u"ini"_s << u"heartbeat/intervall"_s << u"10"_s << u"heartbeat/intervall"_s
                                         << u"unknown key"_s;
        QTest::newRow("bad ini value") << u"ini"_s << u"features/enhancedDiscovery"_s << u"perhaps"_s
                                       << u"FEATURE_ENHANCED_DISCOVERY"_s << u"from file"_s;
    }
    void rejected()
    {
        QFETCH(QString, source);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, expectedField);
        QFETCH(QString, expectedInMessage);

        QTemporaryDir dir;
        ConfigSources sources;
        if (source == u"env") {
            sources.environment.insert(key, value);
        } else if (source == u"cli") {
            sources.commandLine.insert(key, value);
        } else {
            const qsizetype slash = key.indexOf(u'/');
            sources.iniFile
                = writeIni(dir, u"[%1]\n%2=%3\n"_s.arg(key.left(slash), key.mid(slash + 1), value).toUtf8());
        }
        const auto config = Config::load(sources);
        QVERIFY(!config);
        QCOMPARE(config.error().size(), 1);
        QCOMPARE(config.error().first().field, expectedField);
        QVERIFY2(config.error().first().message.contains(expectedInMessage),
                 qPrintable(config.error().first().message));
    }

    void everyProblemIsReportedAtOnce()
    {
        const auto config = Config::load({.commandLine = {{u"READINESS_THRESHOLD"_s, u"x"_s}},
                                          .environment = {{u"AGENT_HEARTBEAT_INTERVAL"_s, u"abc"_s},
                                                          {u"FEATURE_ENHANCED_DISCOVERY"_s, u"maybe"_s}}});
        QVERIFY(!config);
        QStringList fields;
        for (const Problem &problem : config.error())
            fields.append(problem.field);
        fields.sort();
        QCOMPARE(
            fields,
            (QStringList {u"AGENT_HEARTBEAT_INTERVAL"_s, u"FEATURE_ENHANCED_DISCOVERY"_s, u"READINESS_THRESHOLD"_s}));
    }

    void secretsAreNeverEchoed()
    {
        // An auth token is valid text, so provoke an error on another key and check the help and
        // error text never contain the secret.
        const QString secret = u"s3cr3t-token-value"_s;
        const auto config
            = Config::load({.environment = {{u"TWILIO_AUTH_TOKEN"_s, secret}, {u"READINESS_THRESHOLD"_s, u"bad"_s}}});
        QVERIFY(!config);
        QVERIFY(!allMessages(config.error()).contains(secret));
        QVERIFY(!Config::helpText().contains(secret));

        const auto ok = Config::load({.environment = {{u"TWILIO_AUTH_TOKEN"_s, secret}}});
        QVERIFY(ok);
        QCOMPARE(ok->stringValue(ConfigKey::TwilioAuthToken), secret);
    }

    void unrelatedEnvironmentIsIgnored()
    {
        const auto config = Config::load({.environment = {{u"PATH"_s, u"/usr/bin"_s}, {u"FEATURE_X"_s, u"maybe"_s}}});
        QVERIFY(config);
    }

    void missingIniFileIsAnError()
    {
        const auto config = Config::load({.iniFile = u"/nonexistent/heartline.ini"_s});
        QVERIFY(!config);
        QCOMPARE(config.error().first().code, u"missing_file"_s);
        QVERIFY(config.error().first().message.contains(u"/nonexistent/heartline.ini"_s));
    }

    void iniValueWithCommaIsKeptWhole()
    {
        QTemporaryDir dir;
        const auto config = Config::load({.iniFile = writeIni(dir, "[server]\ndatabase=/tmp/a,b.db\n")});
        QVERIFY(config);
        QCOMPARE(config->stringValue(ConfigKey::DatabasePath), u"/tmp/a,b.db"_s);
    }

    void sipIsOffByDefault()
    {
        const Config config;
        QCOMPARE(config.stringValue(ConfigKey::SipDomain), QString());
        QCOMPARE(config.stringValue(ConfigKey::SipEdgeHost), QString());
        QCOMPARE(config.stringValue(ConfigKey::SipTransport), u"tls"_s);
        QCOMPARE(config.boolValue(ConfigKey::SipSecureMedia), true);
        QCOMPARE(config.stringValue(ConfigKey::SipCredentialList), u"Heartline agents"_s);
    }

    void sipEdgeHostFollowsTwilioNaming_data()
    {
        QTest::addColumn<Values>("settings");
        QTest::addColumn<QString>("expectedEdge");

        const Values twilio {{u"TWILIO_ACCOUNT_SID"_s, u"AC"_s + QString(32, u'a')}, {u"TWILIO_AUTH_TOKEN"_s, u"t"_s}};
        Values global = twilio;
        global.insert(u"SIP_DOMAIN"_s, u"acme.sip.twilio.com"_s);
        QTest::newRow("global domain: Ashburn") << global << u"acme.sip.ashburn.twilio.com"_s;
        Values chosen = global;
        chosen.insert(u"SIP_EDGE_HOST"_s, u"acme.sip.dublin.twilio.com"_s);
        QTest::newRow("edge chosen") << chosen << u"acme.sip.dublin.twilio.com"_s;
        Values local = twilio;
        local.insert(u"SIP_DOMAIN"_s, u"heartline.test"_s);
        local.insert(u"SIP_EDGE_HOST"_s, u"127.0.0.1:5061"_s);
        QTest::newRow("stand-in with a port") << local << u"127.0.0.1:5061"_s;
        Values v6 = local;
        v6.insert(u"SIP_EDGE_HOST"_s, u"[::1]:5061"_s);
        QTest::newRow("IPv6 registrar") << v6 << u"[::1]:5061"_s;
    }
    void sipEdgeHostFollowsTwilioNaming()
    {
        QFETCH(Values, settings);
        QFETCH(QString, expectedEdge);
        const auto config = Config::load({.environment = settings});
        QVERIFY2(config, config ? "" : qPrintable(allMessages(config.error())));
        QCOMPARE(config->stringValue(ConfigKey::SipEdgeHost), expectedEdge);
    }

    void sipRejected_data()
    {
        QTest::addColumn<Values>("settings");
        QTest::addColumn<QStringList>("expectedFields");
        QTest::addColumn<QString>("expectedInMessage");

        const Values twilio {{u"TWILIO_ACCOUNT_SID"_s, u"AC"_s + QString(32, u'a')}, {u"TWILIO_AUTH_TOKEN"_s, u"t"_s}};
        const auto with = [&twilio](std::initializer_list<std::pair<QString, QString>> extra) {
            Values values = twilio;
            for (const auto &[key, value] : extra)
                values.insert(key, value);
            return values;
        };
        QTest::newRow("domain with scheme") << with({{u"SIP_DOMAIN"_s, u"sip:acme.sip.twilio.com"_s}})
                                            << QStringList {u"SIP_DOMAIN"_s} << u"SIP_DOMAIN=sip:acme.sip.twilio.com"_s;
        QTest::newRow("domain with port") << with({{u"SIP_DOMAIN"_s, u"acme.sip.twilio.com:5061"_s}})
                                          << QStringList {u"SIP_DOMAIN"_s} << u"no port"_s;
        QTest::newRow("domain that is no Twilio global one, no edge")
            << with({{u"SIP_DOMAIN"_s, u"pbx.example.com"_s}}) << QStringList {u"SIP_EDGE_HOST"_s}
            << u"derived only for NAME.sip.twilio.com"_s;
        QTest::newRow("edge with scheme")
            << with({{u"SIP_DOMAIN"_s, u"acme.sip.twilio.com"_s}, {u"SIP_EDGE_HOST"_s, u"sips:edge.example.com"_s}})
            << QStringList {u"SIP_EDGE_HOST"_s} << u"HOST or HOST:PORT"_s;
        QTest::newRow("edge port 0") << with(
            {{u"SIP_DOMAIN"_s, u"acme.sip.twilio.com"_s}, {u"SIP_EDGE_HOST"_s, u"edge.example.com:0"_s}})
                                     << QStringList {u"SIP_EDGE_HOST"_s} << u"HOST or HOST:PORT"_s;
        QTest::newRow("edge without domain") << with({{u"SIP_EDGE_HOST"_s, u"acme.sip.ashburn.twilio.com"_s}})
                                             << QStringList {u"SIP_EDGE_HOST"_s} << u"SIP_DOMAIN is not"_s;
        QTest::newRow("transport word") << with(
            {{u"SIP_DOMAIN"_s, u"acme.sip.twilio.com"_s}, {u"SIP_TRANSPORT"_s, u"TLS"_s}})
                                        << QStringList {u"SIP_TRANSPORT"_s} << u"one of tls, tcp, udp"_s;
        QTest::newRow("secure media over udp")
            << with({{u"SIP_DOMAIN"_s, u"acme.sip.twilio.com"_s}, {u"SIP_TRANSPORT"_s, u"udp"_s}})
            << QStringList {u"SIP_SECURE_MEDIA"_s} << u"needs SIP_TRANSPORT=tls, not udp"_s;
        QTest::newRow("credential list name too long")
            << with({{u"SIP_CREDENTIAL_LIST"_s, QString(65, u'x')}}) << QStringList {u"SIP_CREDENTIAL_LIST"_s}
            << u"1 to 64 characters"_s;
        QTest::newRow("timeout 0") << with({{u"SIP_CREDENTIAL_TIMEOUT_MS"_s, u"0"_s}})
                                   << QStringList {u"SIP_CREDENTIAL_TIMEOUT_MS"_s} << u"from 100 to 60000"_s;
        QTest::newRow("domain without Twilio credentials")
            << Values {{u"SIP_DOMAIN"_s, u"acme.sip.twilio.com"_s}}
            << QStringList {u"TWILIO_ACCOUNT_SID"_s, u"TWILIO_AUTH_TOKEN"_s} << u"Twilio's REST API"_s;
    }
    void sipRejected()
    {
        QFETCH(Values, settings);
        QFETCH(QStringList, expectedFields);
        QFETCH(QString, expectedInMessage);
        const auto config = Config::load({.environment = settings});
        QVERIFY(!config);
        QStringList fields;
        for (const Problem &problem : config.error())
            fields.append(problem.field);
        QCOMPARE(fields, expectedFields);
        QVERIFY2(allMessages(config.error()).contains(expectedInMessage), qPrintable(allMessages(config.error())));
    }

    void tlsRules_data()
    {
        QTest::addColumn<Values>("settings");
        QTest::addColumn<QString>("expectedField"); ///< empty: accepted
        QTest::addColumn<QString>("expectedInMessage");
        const Values tls {{u"TLS_CERTIFICATE_FILE"_s, u"/etc/heartline/tls.pem"_s},
                          {u"TLS_PRIVATE_KEY_FILE"_s, u"/etc/heartline/tls.key"_s}};
        const auto with = [](Values values, std::initializer_list<std::pair<QString, QString>> extra) {
            for (const auto &[key, value] : extra)
                values.insert(key, value);
            return values;
        };
        QTest::newRow("certificate without key")
            << Values {{u"TLS_CERTIFICATE_FILE"_s, u"/etc/heartline/tls.pem"_s}} << u"TLS_PRIVATE_KEY_FILE"_s
            << u"TLS_CERTIFICATE_FILE is set but TLS_PRIVATE_KEY_FILE is not"_s;
        QTest::newRow("key without certificate")
            << Values {{u"TLS_PRIVATE_KEY_FILE"_s, u"/etc/heartline/tls.key"_s}} << u"TLS_CERTIFICATE_FILE"_s
            << u"TLS_PRIVATE_KEY_FILE is set but TLS_CERTIFICATE_FILE is not"_s;
        QTest::newRow("plain HTTP to other machines")
            << Values {{u"LISTEN_ADDRESS"_s, u"0.0.0.0:8080"_s}} << u"LISTEN_ADDRESS"_s
            << u"LISTEN_ADDRESS=0.0.0.0:8080 would serve plain HTTP"_s;
        QTest::newRow("plain HTTP on a LAN address") << Values {{u"LISTEN_ADDRESS"_s, u"192.168.1.10:8080"_s}}
                                                     << u"LISTEN_ADDRESS"_s << u"ALLOW_PLAIN_HTTP=true"_s;
        QTest::newRow("plain HTTP asked for")
            << Values {{u"LISTEN_ADDRESS"_s, u"0.0.0.0:8080"_s}, {u"ALLOW_PLAIN_HTTP"_s, u"true"_s}} << QString()
            << QString();
        QTest::newRow("plain HTTP on IPv6 loopback")
            << Values {{u"LISTEN_ADDRESS"_s, u"[::1]:8080"_s}} << QString() << QString();
        QTest::newRow("HTTPS to other machines")
            << with(tls, {{u"LISTEN_ADDRESS"_s, u"0.0.0.0:8443"_s}}) << QString() << QString();
        QTest::newRow("plain listener beside HTTPS on loopback") << with(
            tls, {{u"LISTEN_ADDRESS"_s, u"0.0.0.0:8443"_s}, {u"PLAIN_HTTP_LISTEN_ADDRESS"_s, u"127.0.0.1:8080"_s}})
                                                                 << QString() << QString();
        QTest::newRow("plain listener beside HTTPS to other machines")
            << with(tls, {{u"PLAIN_HTTP_LISTEN_ADDRESS"_s, u"0.0.0.0:8080"_s}}) << u"PLAIN_HTTP_LISTEN_ADDRESS"_s
            << u"PLAIN_HTTP_LISTEN_ADDRESS=0.0.0.0:8080 would serve plain HTTP"_s;
        QTest::newRow("plain listener beside HTTPS, asked for")
            << with(tls, {{u"PLAIN_HTTP_LISTEN_ADDRESS"_s, u"0.0.0.0:8080"_s}, {u"ALLOW_PLAIN_HTTP"_s, u"yes"_s}})
            << QString() << QString();
        QTest::newRow("plain listener without HTTPS")
            << Values {{u"PLAIN_HTTP_LISTEN_ADDRESS"_s, u"127.0.0.1:8081"_s}} << u"PLAIN_HTTP_LISTEN_ADDRESS"_s
            << u"TLS_CERTIFICATE_FILE is not set"_s;
        QTest::newRow("plain listener not an address")
            << with(tls, {{u"PLAIN_HTTP_LISTEN_ADDRESS"_s, u"8081"_s}}) << u"PLAIN_HTTP_LISTEN_ADDRESS"_s
            << u"PLAIN_HTTP_LISTEN_ADDRESS=8081 (from environment) is not accepted"_s;
    }
    void tlsRules()
    {
        QFETCH(Values, settings);
        QFETCH(QString, expectedField);
        QFETCH(QString, expectedInMessage);
        const auto config = Config::load({.environment = settings});
        if (expectedField.isEmpty()) {
            QVERIFY2(config, config ? "" : qPrintable(allMessages(config.error())));
            return;
        }
        QVERIFY(!config);
        QCOMPARE(config.error().size(), 1);
        QCOMPARE(config.error().first().field, expectedField);
        QVERIFY2(config.error().first().message.contains(expectedInMessage),
                 qPrintable(config.error().first().message));
    }

    void sipSecureMediaOffAllowsOtherTransports()
    {
        const auto config = Config::load({.environment = {{u"TWILIO_ACCOUNT_SID"_s, u"AC"_s + QString(32, u'a')},
                                                          {u"TWILIO_AUTH_TOKEN"_s, u"t"_s},
                                                          {u"SIP_DOMAIN"_s, u"acme.sip.twilio.com"_s},
                                                          {u"SIP_TRANSPORT"_s, u"tcp"_s},
                                                          {u"SIP_SECURE_MEDIA"_s, u"false"_s}}});
        QVERIFY2(config, config ? "" : qPrintable(allMessages(config.error())));
        QCOMPARE(config->stringValue(ConfigKey::SipTransport), u"tcp"_s);
    }

    void helpTextKeepsUnicode()
    {
        // The help strings are UTF-8 ("SK…"): read as Latin-1 they turned into "SKâ€¦" on the page.
        QVERIFY(Config::helpMarkdown().contains(u"(SK…)"_s));
        QVERIFY(!Config::helpMarkdown().contains(QChar(0xE2)));
    }

    void documentationMatchesTheTable()
    {
        QFile doc(QStringLiteral(HEARTLINE_SOURCE_DIR "/docs/configuration.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        const qsizetype begin = text.indexOf(u"<!-- config-table-begin -->"_s);
        const qsizetype end = text.indexOf(u"<!-- config-table-end -->"_s);
        QVERIFY(begin >= 0 && end > begin);
        const QString embedded = text.mid(begin + 27, end - begin - 27).trimmed();
        QVERIFY2(embedded == Config::helpMarkdown().trimmed(),
                 "docs/configuration.md is out of date: run scripts/update-config-doc.py");
    }

    void sampleConfigIsValid()
    {
        const auto config
            = Config::load({.iniFile = QStringLiteral(HEARTLINE_SOURCE_DIR "/resources/heartline.sample.ini")});
        QVERIFY2(config, config ? "" : qPrintable(allMessages(config.error())));
        QCOMPARE(config->sourceOf(ConfigKey::AgentHeartbeatInterval).left(4), u"file"_s);
    }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "tst_config.moc"
