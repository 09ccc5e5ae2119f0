#include "config/Config.h"

#include <array>
#include <cmath>

#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

#include "core/HostPort.h"
#include "core/RoutingStrategy.h"
#include "twilio/SipUri.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr double NoLimit = 0;

QStringList sipTransportWords()
{
    return {u"tls"_s, u"tcp"_s, u"udp"_s};
}

// The one table. Order is the order of --help-config and docs/configuration.md.
constexpr std::array keyTable {
    ConfigKeyInfo {ConfigKey::FeatureAgentHeartbeat, "FEATURE_AGENT_HEARTBEAT", "features/agentHeartbeat",
                   ConfigType::Bool, "true", NoLimit, NoLimit, false,
                   "Accept agent heartbeats and use them for offline detection. Off: heartbeats are refused and "
                   "routing relies on the stored status only."},
    ConfigKeyInfo {ConfigKey::FeatureDeviceConnectivity, "FEATURE_DEVICE_CONNECTIVITY", "features/deviceConnectivity",
                   ConfigType::Bool, "true", NoLimit, NoLimit, false,
                   "Validate the devices each agent reports (audio input and output, voice endpoint, network) "
                   "and score them in readiness."},
    ConfigKeyInfo {ConfigKey::FeatureEnhancedDiscovery, "FEATURE_ENHANCED_DISCOVERY", "features/enhancedDiscovery",
                   ConfigType::Bool, "true", NoLimit, NoLimit, false,
                   "Route inbound calls only to agents that pass readiness validation. Off: legacy discovery "
                   "by the stored status alone."},
    ConfigKeyInfo {ConfigKey::AgentHeartbeatInterval, "AGENT_HEARTBEAT_INTERVAL", "heartbeat/interval", ConfigType::Int,
                   "30", 1, 3600, false, "Seconds between two heartbeats of an agent app."},
    ConfigKeyInfo {ConfigKey::InboundCallDebug, "INBOUND_CALL_DEBUG", "routing/debug", ConfigType::Bool, "false",
                   NoLimit, NoLimit, false,
                   "Log every routing decision with its candidates, scores, reasons and timing."},
    ConfigKeyInfo {ConfigKey::FeatureDiscoveryFallback, "FEATURE_DISCOVERY_FALLBACK", "features/discoveryFallback",
                   ConfigType::Bool, "false", NoLimit, NoLimit, false,
                   "When no candidate passes validation, offer the call to the first candidate anyway. Off: the "
                   "caller waits in the queue for a ready agent instead."},
    ConfigKeyInfo {ConfigKey::RoutingStrategy, "ROUTING_STRATEGY", "routing/strategy", ConfigType::Choice,
                   "longest-idle", NoLimit, NoLimit, false,
                   "How agents are ordered for a call when the routing file names no strategy; docs/routing.md "
                   "describes each.",
                   routingStrategyWords},
    ConfigKeyInfo {ConfigKey::RoutingFile, "ROUTING_FILE", "routing/file", ConfigType::String, "", NoLimit, NoLimit,
                   false,
                   "JSON file with the queues (name, numbers, required skills, strategy, limits, hold music); see "
                   "docs/routing.md. Empty: one queue, \"default\", for every number and every agent."},
    ConfigKeyInfo {ConfigKey::DialTimeoutSeconds, "DIAL_TIMEOUT_SECONDS", "routing/dialTimeout", ConfigType::Int, "20",
                   5, 600, false, "Seconds a call rings at an agent before it counts as not answered."},
    ConfigKeyInfo {ConfigKey::CooldownSeconds, "COOLDOWN_SECONDS", "routing/cooldown", ConfigType::Int, "10", 0, 3600,
                   false, "Seconds an agent is offered nothing after a call it did not answer or declined."},
    ConfigKeyInfo {ConfigKey::HeartbeatThreshold, "HEARTBEAT_THRESHOLD", "heartbeat/threshold", ConfigType::Double,
                   nullptr, 1, 36000, false,
                   "Seconds after the last heartbeat at which an agent counts as stale. Default: 2.5 x "
                   "AGENT_HEARTBEAT_INTERVAL. Must be longer than the interval."},
    ConfigKeyInfo {ConfigKey::ReadinessThreshold, "READINESS_THRESHOLD", "readiness/threshold", ConfigType::Int, "70",
                   0, 100, false, "Lowest readiness score (0-100) at which an agent that passes every gate is ready."},
    ConfigKeyInfo {ConfigKey::ListenAddress, "LISTEN_ADDRESS", "server/listen", ConfigType::HostPort, "127.0.0.1:8080",
                   NoLimit, NoLimit, false, "Address and port heartline-server listens on (port 0 picks a free one)."},
    ConfigKeyInfo {ConfigKey::DatabasePath, "DATABASE_PATH", "server/database", ConfigType::String, "var/heartline.db",
                   NoLimit, NoLimit, false, "SQLite database file; created with its folder when missing."},
    ConfigKeyInfo {ConfigKey::TlsCertificateFile, "TLS_CERTIFICATE_FILE", "tls/certificateFile", ConfigType::String, "",
                   NoLimit, NoLimit, false,
                   "PEM certificate (the server's first, then any intermediates) for HTTPS and WSS on "
                   "LISTEN_ADDRESS; needs TLS_PRIVATE_KEY_FILE. Read again on SIGHUP. Empty: plain HTTP (see "
                   "ALLOW_PLAIN_HTTP).",
                   nullptr, "empty, or the path of a PEM file"},
    ConfigKeyInfo {ConfigKey::TlsPrivateKeyFile, "TLS_PRIVATE_KEY_FILE", "tls/privateKeyFile", ConfigType::String, "",
                   NoLimit, NoLimit, false,
                   "The certificate's private key: an unencrypted PEM file (RSA or EC), readable by the server "
                   "only. Read again on SIGHUP.",
                   nullptr, "empty, or the path of a PEM file"},
    ConfigKeyInfo {ConfigKey::AllowPlainHttp, "ALLOW_PLAIN_HTTP", "tls/allowPlainHttp", ConfigType::Bool, "false",
                   NoLimit, NoLimit, false,
                   "Serve plain HTTP on an address other machines reach (LISTEN_ADDRESS without TLS, or "
                   "PLAIN_HTTP_LISTEN_ADDRESS), e.g. behind a reverse proxy that terminates TLS. Plain HTTP on a "
                   "loopback address needs no permission."},
    ConfigKeyInfo {ConfigKey::PlainHttpListenAddress, "PLAIN_HTTP_LISTEN_ADDRESS", "tls/plainHttpListen",
                   ConfigType::String, "", NoLimit, NoLimit, false,
                   "A second listener serving plain HTTP beside HTTPS on LISTEN_ADDRESS, for a reverse proxy on the "
                   "same host (port 0 picks a free one). Empty: none.",
                   nullptr, "empty, or ADDRESS:PORT, e.g. 127.0.0.1:8081"},
    ConfigKeyInfo {ConfigKey::WsPingInterval, "WS_PING_INTERVAL", "websocket/pingInterval", ConfigType::Int, "5", 1,
                   300, false,
                   "Seconds between WebSocket pings to each agent app. An app that answers none for twice this long "
                   "is disconnected (a half-open connection: network cut, laptop asleep)."},
    ConfigKeyInfo {ConfigKey::ReconnectGraceSeconds, "RECONNECT_GRACE", "websocket/reconnectGrace", ConfigType::Int,
                   "30", 0, 3600, false,
                   "Seconds an agent whose connection dropped keeps its status: reconnecting within them resumes "
                   "the session as it was; after them the agent is set offline."},
    ConfigKeyInfo {ConfigKey::IdlePromptSeconds, "IDLE_PROMPT_SECONDS", "agents/idlePrompt", ConfigType::Int, "60", 0,
                   86400, false,
                   "Seconds without keyboard or mouse input (outside calls) after which the agent app asks \"Still "
                   "there?\". 0: the apps do not watch idle time."},
    ConfigKeyInfo {ConfigKey::IdleGraceSeconds, "IDLE_GRACE_SECONDS", "agents/idleGrace", ConfigType::Int, "30", 1,
                   3600, false,
                   "Seconds the \"Still there?\" question waits for an answer; unanswered, the agent is offered no "
                   "calls until the next input."},
    ConfigKeyInfo {ConfigKey::InputQuietSeconds, "INPUT_QUIET_SECONDS", "agents/inputQuiet", ConfigType::Int, "30", 0,
                   86400, false,
                   "Seconds without keyboard or mouse input (outside calls) after which the agent app reports the "
                   "agent quiet: calls go first to ready agents with more recent input, then to quiet ones. 0: not "
                   "reported."},
    ConfigKeyInfo {ConfigKey::PublicBaseUrl, "PUBLIC_BASE_URL", "server/publicBaseUrl", ConfigType::Url, nullptr,
                   NoLimit, NoLimit, false,
                   "The server's URL as Twilio reaches it (behind a proxy or tunnel it differs from the listen "
                   "address). Webhook signatures are checked against it. Default: https://LISTEN_ADDRESS with "
                   "TLS_CERTIFICATE_FILE, http://LISTEN_ADDRESS without."},
    ConfigKeyInfo {ConfigKey::ReconcileIntervalSeconds, "RECONCILE_INTERVAL_SECONDS", "twilio/reconcileInterval",
                   ConfigType::Int, "60", 0, 3600, false,
                   "Seconds between checks of Twilio's REST API for calls Heartline has wrong (missed or lost status "
                   "callbacks). 0 turns the check off; it also needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN."},
    ConfigKeyInfo {ConfigKey::ServiceLevelSeconds, "SERVICE_LEVEL_SECONDS", "queues/serviceLevel", ConfigType::Int,
                   "20", 1, 3600, false,
                   "A queued caller handed to an agent within this many seconds counts toward the service level."},
    ConfigKeyInfo {ConfigKey::MediaDir, "MEDIA_DIR", "queues/mediaDir", ConfigType::String, "", NoLimit, NoLimit, false,
                   "Folder of hold music files (WAV or MP3) served at /media/NAME; the built-in hold-music.wav is "
                   "used when a file is not found there."},
    ConfigKeyInfo {ConfigKey::TwilioAccountSid, "TWILIO_ACCOUNT_SID", "twilio/accountSid", ConfigType::String, "",
                   NoLimit, NoLimit, false, "Twilio Account SID (AC followed by 32 hex digits)."},
    ConfigKeyInfo {ConfigKey::TwilioAuthToken, "TWILIO_AUTH_TOKEN", "twilio/authToken", ConfigType::String, "", NoLimit,
                   NoLimit, true,
                   "Twilio auth token: signs webhooks and authenticates REST calls. Never printed or logged."},
    ConfigKeyInfo {ConfigKey::TwilioApiKeySid, "TWILIO_API_KEY_SID", "twilio/apiKeySid", ConfigType::String, "",
                   NoLimit, NoLimit, false,
                   "API key (SK…) that signs the Voice SDK access tokens agent apps get from /api/voice/token."},
    ConfigKeyInfo {ConfigKey::TwilioApiKeySecret, "TWILIO_API_KEY_SECRET", "twilio/apiKeySecret", ConfigType::String,
                   "", NoLimit, NoLimit, true, "The API key's secret. Never printed or logged."},
    ConfigKeyInfo {ConfigKey::TwilioTwimlAppSid, "TWILIO_TWIML_APP_SID", "twilio/twimlAppSid", ConfigType::String, "",
                   NoLimit, NoLimit, false,
                   "TwiML application (AP…) for calls agents place; empty: tokens allow incoming calls only."},
    ConfigKeyInfo {ConfigKey::TwilioApiBaseUrl, "TWILIO_API_BASE_URL", "twilio/apiBaseUrl", ConfigType::Url,
                   "https://api.twilio.com", NoLimit, NoLimit, false,
                   "Base URL of Twilio's REST API; point it at heartline-twilio-sim for tests and demos."},
    ConfigKeyInfo {ConfigKey::PasswordIterations, "PASSWORD_ITERATIONS", "auth/passwordIterations", ConfigType::Int,
                   "120000", 1000, 10000000, false,
                   "PBKDF2-SHA256 iterations for passwords set from now on. Each user keeps the count their "
                   "password was hashed with, so changing it never locks anyone out."},
    ConfigKeyInfo {ConfigKey::SessionTokenTtl, "SESSION_TOKEN_TTL", "auth/sessionTokenTtl", ConfigType::Int, "43200",
                   60, 2592000, false,
                   "Seconds a session token from POST /api/auth/login stays valid (default 12 hours)."},
    ConfigKeyInfo {ConfigKey::SupervisorPushIntervalMs, "SUPERVISOR_PUSH_INTERVAL_MS", "supervisor/pushIntervalMs",
                   ConfigType::Int, "250", 50, 10000, false,
                   "Milliseconds between two pushes of changed agents to supervisors on /ws/supervisor. Changes "
                   "within one interval are coalesced: each changed agent is sent once, as it is when its "
                   "agentsChanged (at most 100 agents, one per event-loop turn) is built."},
    ConfigKeyInfo {ConfigKey::SipDomain, "SIP_DOMAIN", "sip/domain", ConfigType::String, "", NoLimit, NoLimit, false,
                   "Twilio SIP Domain the agent apps register with (NAME.sip.twilio.com). Set: agents are dialed "
                   "with <Dial><Sip> and the server keeps their SIP credentials; needs TWILIO_ACCOUNT_SID and "
                   "TWILIO_AUTH_TOKEN. Empty: agents are dialed as Voice SDK clients (<Dial><Client>).",
                   nullptr, "empty, or a host name such as example.sip.twilio.com"},
    ConfigKeyInfo {ConfigKey::SipEdgeHost, "SIP_EDGE_HOST", "sip/edgeHost", ConfigType::String, nullptr, NoLimit,
                   NoLimit, false,
                   "Registrar the agent apps register to: HOST or HOST:PORT, usually the edge location nearest "
                   "the office (NAME.sip.dublin.twilio.com). Default for NAME.sip.twilio.com: "
                   "NAME.sip.ashburn.twilio.com; required for any other SIP_DOMAIN.",
                   nullptr, "HOST or HOST:PORT (a host name, an IPv4 address or [IPv6])"},
    ConfigKeyInfo {ConfigKey::SipTransport, "SIP_TRANSPORT", "sip/transport", ConfigType::Choice, "tls", NoLimit,
                   NoLimit, false, "How SIP signaling travels between Twilio and the agent apps.", sipTransportWords},
    ConfigKeyInfo {ConfigKey::SipSecureMedia, "SIP_SECURE_MEDIA", "sip/secureMedia", ConfigType::Bool, "true", NoLimit,
                   NoLimit, false,
                   "Encrypt the call audio (SRTP; ;secure=true in the dialed URI). Needs SIP_TRANSPORT=tls and the "
                   "SIP Domain's Secure Media setting on."},
    ConfigKeyInfo {ConfigKey::SipCredentialList, "SIP_CREDENTIAL_LIST", "sip/credentialList", ConfigType::String,
                   "Heartline agents", NoLimit, NoLimit, false,
                   "FriendlyName of the Twilio Credential List holding the agents' SIP credentials (1-64 "
                   "characters); created at start when missing. Map it to the SIP Domain's registration.",
                   nullptr, "1 to 64 characters"},
    ConfigKeyInfo {ConfigKey::SipCredentialTimeoutMs, "SIP_CREDENTIAL_TIMEOUT_MS", "sip/credentialTimeoutMs",
                   ConfigType::Int, "5000", 100, 60000, false,
                   "Milliseconds a login waits for Twilio to take the agent's new SIP password. Later, the login "
                   "answers without one (sip.status \"unavailable\") and the app asks again."},
};

QString latin1(const char *text)
{
    return QString::fromLatin1(text);
}

/// Help texts hold UTF-8 ("SK…"); names and defaults are ASCII.
QString utf8(const char *text)
{
    return QString::fromUtf8(text);
}

QString typeName(const ConfigKeyInfo &info)
{
    switch (info.type) {
    case ConfigType::Bool:
        return u"bool"_s;
    case ConfigType::Int:
        return u"integer"_s;
    case ConfigType::Double:
        return u"number"_s;
    case ConfigType::String:
        return u"text"_s;
    case ConfigType::Url:
        return u"URL"_s;
    case ConfigType::HostPort:
        return u"ADDR:PORT"_s;
    case ConfigType::Choice:
        return u"word"_s;
    }
    return {};
}

QString formatLimit(double value)
{
    return QString::number(value, 'g', 10);
}

/// What a key accepts, in words, for error messages and help.
QString accepted(const ConfigKeyInfo &info)
{
    if (info.accepts)
        return latin1(info.accepts);
    switch (info.type) {
    case ConfigType::Bool:
        return u"true or false (also 1/0, yes/no, on/off)"_s;
    case ConfigType::Int:
        return u"a whole number from %1 to %2"_s.arg(formatLimit(info.minimum), formatLimit(info.maximum));
    case ConfigType::Double:
        return u"a number from %1 to %2"_s.arg(formatLimit(info.minimum), formatLimit(info.maximum));
    case ConfigType::String:
        return u"any text"_s;
    case ConfigType::Url:
        return u"an absolute http:// or https:// URL"_s;
    case ConfigType::HostPort:
        return u"ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080"_s;
    case ConfigType::Choice:
        return u"one of "_s + info.choices().join(u", "_s);
    }
    return {};
}

/// Parses text for a key; an invalid QVariant when it is not acceptable.
QVariant parseValue(const ConfigKeyInfo &info, const QString &raw)
{
    const QString text = raw.trimmed();
    switch (info.type) {
    case ConfigType::Bool: {
        const QString lower = text.toLower();
        if (lower == u"true" || lower == u"1" || lower == u"yes" || lower == u"on")
            return true;
        if (lower == u"false" || lower == u"0" || lower == u"no" || lower == u"off")
            return false;
        return {};
    }
    case ConfigType::Int: {
        bool ok = false;
        const qlonglong value = text.toLongLong(&ok);
        if (!ok || value < info.minimum || value > info.maximum)
            return {};
        return int(value);
    }
    case ConfigType::Double: {
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (!ok || !std::isfinite(value) || value < info.minimum || value > info.maximum)
            return {};
        return value;
    }
    case ConfigType::String:
        return raw;
    case ConfigType::Url: {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http" && url.scheme() != u"https"))
            return {};
        // Stored without a trailing slash so callers can append "/path" without doubling it.
        QString canonical = url.toString();
        while (canonical.endsWith(u'/'))
            canonical.chop(1);
        return canonical;
    }
    case ConfigType::HostPort:
        if (!parseHostPort(text))
            return {};
        return text;
    case ConfigType::Choice:
        if (!info.choices().contains(text))
            return {};
        return text;
    }
    return {};
}

QString shownValue(const ConfigKeyInfo &info, const QString &raw)
{
    return info.secret ? u"(hidden)"_s : raw;
}

} // namespace

std::span<const ConfigKeyInfo> configKeys()
{
    return keyTable;
}

const ConfigKeyInfo &configKeyInfo(ConfigKey key)
{
    for (const ConfigKeyInfo &info : keyTable) {
        if (info.key == key)
            return info;
    }
    Q_UNREACHABLE();
    return keyTable.front();
}

std::optional<ConfigKey> configKeyByName(QStringView name)
{
    for (const ConfigKeyInfo &info : keyTable) {
        if (name == QLatin1StringView(info.envName) || name == QLatin1StringView(info.iniName))
            return info.key;
    }
    return std::nullopt;
}

Config::Config()
{
    m_values.resize(keyTable.size());
    m_sources.resize(keyTable.size());
    for (const ConfigKeyInfo &info : keyTable) {
        if (info.defaultValue)
            m_values[qsizetype(info.key)] = parseValue(info, latin1(info.defaultValue));
        m_sources[qsizetype(info.key)] = u"default"_s;
    }
    resolveDerivedDefaults();
}

void Config::resolveDerivedDefaults()
{
    auto &threshold = m_values[qsizetype(ConfigKey::HeartbeatThreshold)];
    if (m_sources[qsizetype(ConfigKey::HeartbeatThreshold)] == u"default")
        threshold = 2.5 * intValue(ConfigKey::AgentHeartbeatInterval);

    auto &publicUrl = m_values[qsizetype(ConfigKey::PublicBaseUrl)];
    if (m_sources[qsizetype(ConfigKey::PublicBaseUrl)] == u"default") {
        const auto listen = parseHostPort(stringValue(ConfigKey::ListenAddress));
        QString host = listen ? listen->address.toString() : u"127.0.0.1"_s;
        if (listen && listen->address.protocol() == QAbstractSocket::IPv6Protocol)
            host = u'[' + host + u']';
        publicUrl = u"%1://%2:%3"_s.arg(tlsEnabled() ? u"https"_s : u"http"_s, host).arg(listen ? listen->port : 8080);
    }

    auto &edgeHost = m_values[qsizetype(ConfigKey::SipEdgeHost)];
    if (m_sources[qsizetype(ConfigKey::SipEdgeHost)] == u"default")
        edgeHost = sipuri::defaultEdgeHost(stringValue(ConfigKey::SipDomain));
}

Result<Config, QList<Problem>> Config::load(const ConfigSources &sources)
{
    Config config;
    QList<Problem> problems;

    auto apply = [&](const ConfigKeyInfo &info, const QString &raw, const QString &source) {
        const QVariant value = parseValue(info, raw);
        if (!value.isValid()) {
            problems.append(Problem {u"invalid_value"_s, latin1(info.envName),
                                     u"%1=%2 (from %3) is not accepted: expected %4"_s.arg(
                                         latin1(info.envName), shownValue(info, raw), source, accepted(info))});
            return;
        }
        config.m_values[qsizetype(info.key)] = value;
        config.m_sources[qsizetype(info.key)] = source;
    };

    if (!sources.iniFile.isEmpty()) {
        if (!QFileInfo(sources.iniFile).isFile()) {
            problems.append(Problem {u"missing_file"_s, u"config"_s,
                                     u"configuration file %1 does not exist"_s.arg(sources.iniFile)});
        } else {
            QSettings ini(sources.iniFile, QSettings::IniFormat);
            if (ini.status() != QSettings::NoError) {
                problems.append(Problem {u"unreadable_file"_s, u"config"_s,
                                         u"configuration file %1 cannot be read as INI"_s.arg(sources.iniFile)});
            }
            for (const QString &name : ini.allKeys()) {
                const auto key = configKeyByName(name);
                if (!key || name != QLatin1StringView(configKeyInfo(*key).iniName)) {
                    problems.append(Problem {
                        u"unknown_key"_s, name,
                        u"%1: unknown key [%2] (see heartline-server --help-config)"_s.arg(sources.iniFile, name)});
                    continue;
                }
                const QVariant raw = ini.value(name);
                // QSettings splits unquoted values at commas; put them back together.
                const QString text
                    = raw.userType() == QMetaType::QStringList ? raw.toStringList().join(u',') : raw.toString();
                apply(configKeyInfo(*key), text, u"file %1"_s.arg(sources.iniFile));
            }
        }
    }

    for (const ConfigKeyInfo &info : keyTable) {
        const auto found = sources.environment.constFind(latin1(info.envName));
        if (found != sources.environment.constEnd())
            apply(info, found.value(), u"environment"_s);
    }

    for (auto it = sources.commandLine.constBegin(); it != sources.commandLine.constEnd(); ++it) {
        const auto key = configKeyByName(it.key());
        if (!key || it.key() != QLatin1StringView(configKeyInfo(*key).envName)) {
            problems.append(Problem {u"unknown_key"_s, it.key(),
                                     u"%1: unknown key on the command line (see --help-config)"_s.arg(it.key())});
            continue;
        }
        apply(configKeyInfo(*key), it.value(), u"command line"_s);
    }

    config.resolveDerivedDefaults();

    // Rules that tie keys together.
    const double threshold = config.doubleValue(ConfigKey::HeartbeatThreshold);
    const int interval = config.intValue(ConfigKey::AgentHeartbeatInterval);
    if (threshold <= interval) {
        problems.append(Problem {
            u"invalid_value"_s, u"HEARTBEAT_THRESHOLD"_s,
            u"HEARTBEAT_THRESHOLD=%1 (from %2) must be longer than AGENT_HEARTBEAT_INTERVAL=%3, or every agent "
            "would turn stale between two heartbeats"_s
                .arg(formatLimit(threshold), config.sourceOf(ConfigKey::HeartbeatThreshold))
                .arg(interval)});
    }
    const QString sid = config.stringValue(ConfigKey::TwilioAccountSid);
    static const QRegularExpression sidPattern(u"^AC[0-9a-fA-F]{32}$"_s);
    if (!sid.isEmpty() && !sidPattern.match(sid).hasMatch()) {
        problems.append(Problem {u"invalid_value"_s, u"TWILIO_ACCOUNT_SID"_s,
                                 u"TWILIO_ACCOUNT_SID=%1 (from %2) is not accepted: expected AC followed by 32 hex "
                                 "digits"_s.arg(sid, config.sourceOf(ConfigKey::TwilioAccountSid))});
    }

    config.checkSip(problems);
    config.checkTls(problems);

    if (!problems.isEmpty())
        return problems;
    return config;
}

void Config::checkSip(QList<Problem> &problems) const
{
    const QString domain = stringValue(ConfigKey::SipDomain);
    const auto refuse = [&](ConfigKey key, const QString &why) {
        const ConfigKeyInfo &info = configKeyInfo(key);
        problems.append(
            Problem {u"invalid_value"_s, latin1(info.envName),
                     u"%1=%2 (from %3) %4"_s.arg(latin1(info.envName), stringValue(key), sourceOf(key), why)});
    };
    const QString listName = stringValue(ConfigKey::SipCredentialList);
    if (listName.trimmed().isEmpty() || listName.size() > 64)
        refuse(ConfigKey::SipCredentialList, u"is not accepted: expected 1 to 64 characters (Twilio's FriendlyName)"_s);
    if (domain.isEmpty()) {
        // Without a domain nothing else about SIP is used; a registrar given alone is a mistake.
        if (sourceOf(ConfigKey::SipEdgeHost) != u"default" && !stringValue(ConfigKey::SipEdgeHost).isEmpty())
            refuse(ConfigKey::SipEdgeHost, u"is set but SIP_DOMAIN is not: set both, or neither"_s);
        return;
    }
    const bool domainOk = sipuri::isHostName(domain);
    if (!domainOk) {
        refuse(ConfigKey::SipDomain,
               u"is not accepted: expected a host name such as example.sip.twilio.com (no sip:, no port)"_s);
    }
    const QString edge = stringValue(ConfigKey::SipEdgeHost);
    if (edge.isEmpty()) {
        // Nothing could be derived from a domain that is itself wrong: one problem is enough.
        if (domainOk)
            refuse(ConfigKey::SipEdgeHost,
                   u"is empty: set it to the registrar the agent apps use (HOST or HOST:PORT); it is derived only "
                   "for NAME.sip.twilio.com"_s);
    } else if (!sipuri::isRegistrarAddress(edge)) {
        refuse(ConfigKey::SipEdgeHost,
               u"is not accepted: expected HOST or HOST:PORT, e.g. example.sip.dublin.twilio.com"_s);
    }
    if (boolValue(ConfigKey::SipSecureMedia) && stringValue(ConfigKey::SipTransport) != u"tls") {
        problems.append(Problem {u"invalid_value"_s, u"SIP_SECURE_MEDIA"_s,
                                 u"SIP_SECURE_MEDIA=true (from %1) needs SIP_TRANSPORT=tls, not %2: the keys of "
                                 "encrypted audio travel in the signaling"_s.arg(
                                     sourceOf(ConfigKey::SipSecureMedia), stringValue(ConfigKey::SipTransport))});
    }
    for (ConfigKey key : {ConfigKey::TwilioAccountSid, ConfigKey::TwilioAuthToken}) {
        if (stringValue(key).isEmpty()) {
            const QString name = latin1(configKeyInfo(key).envName);
            problems.append(Problem {u"missing_value"_s, name,
                                     u"%1 is required with SIP_DOMAIN=%2: the server creates the agents' SIP "
                                     "credentials over Twilio's REST API"_s.arg(name, domain)});
        }
    }
}

void Config::checkTls(QList<Problem> &problems) const
{
    const QString certificate = stringValue(ConfigKey::TlsCertificateFile);
    const QString key = stringValue(ConfigKey::TlsPrivateKeyFile);
    if (certificate.isEmpty() != key.isEmpty()) {
        const auto [given, missing] = certificate.isEmpty()
            ? std::pair {u"TLS_PRIVATE_KEY_FILE"_s, u"TLS_CERTIFICATE_FILE"_s}
            : std::pair {u"TLS_CERTIFICATE_FILE"_s, u"TLS_PRIVATE_KEY_FILE"_s};
        problems.append(Problem {
            u"missing_value"_s, missing,
            u"%1 is set but %2 is not: HTTPS needs both the certificate and its private key"_s.arg(given, missing)});
    }
    const bool allowPlain = boolValue(ConfigKey::AllowPlainHttp);
    // Plain HTTP carries passwords and session tokens in the clear: only on this machine unless asked.
    const auto refuseOpenPlain = [&](ConfigKey addressKey) {
        const QString name = latin1(configKeyInfo(addressKey).envName);
        problems.append(Problem {u"plain_http_refused"_s, name,
                                 u"%1=%2 would serve plain HTTP (passwords and session tokens unencrypted) to other "
                                 "machines: set TLS_CERTIFICATE_FILE and TLS_PRIVATE_KEY_FILE for HTTPS, use a "
                                 "loopback address such as 127.0.0.1, or set ALLOW_PLAIN_HTTP=true (e.g. behind a "
                                 "reverse proxy that terminates TLS)"_s.arg(name, stringValue(addressKey))});
    };
    const auto listen = parseHostPort(stringValue(ConfigKey::ListenAddress));
    if (!tlsEnabled() && listen && !listen->address.isLoopback() && !allowPlain)
        refuseOpenPlain(ConfigKey::ListenAddress);
    const QString plainText = stringValue(ConfigKey::PlainHttpListenAddress);
    if (plainText.isEmpty())
        return;
    const auto plain = parseHostPort(plainText);
    if (!plain) {
        problems.append(Problem {
            u"invalid_value"_s, u"PLAIN_HTTP_LISTEN_ADDRESS"_s,
            u"PLAIN_HTTP_LISTEN_ADDRESS=%1 (from %2) is not accepted: expected empty, or "
            "ADDRESS:PORT, e.g. 127.0.0.1:8081"_s.arg(plainText, sourceOf(ConfigKey::PlainHttpListenAddress))});
        return;
    }
    if (!tlsEnabled()) {
        problems.append(
            Problem {u"invalid_value"_s, u"PLAIN_HTTP_LISTEN_ADDRESS"_s,
                     u"PLAIN_HTTP_LISTEN_ADDRESS=%1 is a second listener beside HTTPS, but "
                     "TLS_CERTIFICATE_FILE is not set: LISTEN_ADDRESS already serves plain HTTP"_s.arg(plainText)});
        return;
    }
    if (!plain->address.isLoopback() && !allowPlain)
        refuseOpenPlain(ConfigKey::PlainHttpListenAddress);
}

bool Config::tlsEnabled() const
{
    return !stringValue(ConfigKey::TlsCertificateFile).isEmpty()
        && !stringValue(ConfigKey::TlsPrivateKeyFile).isEmpty();
}

bool Config::boolValue(ConfigKey key) const
{
    return m_values.at(qsizetype(key)).toBool();
}

int Config::intValue(ConfigKey key) const
{
    return m_values.at(qsizetype(key)).toInt();
}

double Config::doubleValue(ConfigKey key) const
{
    return m_values.at(qsizetype(key)).toDouble();
}

QString Config::stringValue(ConfigKey key) const
{
    return m_values.at(qsizetype(key)).toString();
}

QString Config::sourceOf(ConfigKey key) const
{
    return m_sources.at(qsizetype(key));
}

namespace {

QString defaultText(const ConfigKeyInfo &info)
{
    if (!info.defaultValue)
        return u"(derived)"_s;
    return QByteArrayView(info.defaultValue).isEmpty() ? u"(empty)"_s : latin1(info.defaultValue);
}

} // namespace

QString Config::helpMarkdown()
{
    QString text = u"| environment / `--set` | INI `[group] key` | type | default | accepts | meaning |\n"
                   "| --- | --- | --- | --- | --- | --- |\n"_s;
    for (const ConfigKeyInfo &info : keyTable) {
        const QString ini = latin1(info.iniName);
        const qsizetype slash = ini.indexOf(u'/');
        text += u"| `%1` | `[%2] %3` | %4 | `%5` | %6 | %7 |\n"_s.arg(
            latin1(info.envName), ini.left(slash), ini.mid(slash + 1), typeName(info), defaultText(info),
            accepted(info), utf8(info.help));
    }
    return text;
}

QString Config::helpText()
{
    QString text = u"Configuration keys. Precedence: command line (--set KEY=VALUE, --listen, --db) > "
                   "environment > INI file (--config) > default.\n\n"_s;
    for (const ConfigKeyInfo &info : keyTable) {
        const QString ini = latin1(info.iniName);
        const qsizetype slash = ini.indexOf(u'/');
        text += u"%1\n    INI: [%2] %3    type: %4    default: %5\n    accepts: %6\n    %7\n\n"_s.arg(
            latin1(info.envName), ini.left(slash), ini.mid(slash + 1), typeName(info), defaultText(info),
            accepted(info), utf8(info.help));
    }
    return text.trimmed();
}

} // namespace heartline
